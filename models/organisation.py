"""Organisations (a district bureau or a service centre) and their API keys."""
from datetime import datetime

from pydantic import Field

from models.base import OutModel, StrictModel
from models.enums import Role


class OrganisationCreate(StrictModel):
    name: str = Field(min_length=1, max_length=200, examples=["朝阳区就业服务中心"])
    district: str | None = Field(None, max_length=100)


class OrganisationOut(OutModel):
    id: str
    name: str
    district: str | None
    created_at: datetime


class ApiKeyCreate(StrictModel):
    organisation_id: str | None = Field(None, min_length=1, max_length=40,
                                        description="Defaults to your own organisation.")
    role: Role
    label: str | None = Field(None, max_length=200, description="Who or what uses the key.")


class ApiKeyOut(OutModel):
    """A key's metadata; the secret itself is never returned after creation."""

    id: str
    organisation_id: str
    role: Role
    label: str | None
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    """Returned once, at creation: ``key`` is the only copy of the secret."""

    key: str
