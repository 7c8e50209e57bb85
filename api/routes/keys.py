"""API keys (admin only). The secret is returned once, at creation."""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from api import audit
from api.deps import AdminKey, SessionDep
from api.errors import Problem, not_found
from api.tenancy import create_api_key, revoke_api_key
from models.organisation import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from models.tables import ApiKey

router = APIRouter(prefix="/v1/keys", tags=["keys"])


@router.post("", status_code=201, response_model=ApiKeyCreated, summary="Create a key; the secret is shown once")
def create(body: ApiKeyCreate, request: Request, session: SessionDep, principal: AdminKey) -> ApiKeyCreated:
    try:
        key, plaintext = create_api_key(session, body.organisation_id, body.role, body.label)
    except ValueError as exc:
        raise Problem(422, "Unknown organisation", str(exc),
                      [{"field": "organisation_id", "message": "no such organisation"}]) from exc
    audit.record(session, request, principal, "api_key", "create", key.id, key.organisation_id)
    session.commit()
    return ApiKeyCreated.model_validate({**ApiKeyOut.model_validate(key).model_dump(), "key": plaintext})


@router.get("", response_model=list[ApiKeyOut], summary="Keys, optionally of one organisation")
def list_keys(session: SessionDep, principal: AdminKey,
              organisation_id: Annotated[str | None, Query(max_length=40)] = None) -> list[ApiKey]:
    query = select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)
    if organisation_id:
        query = query.where(ApiKey.organisation_id == organisation_id)
    return list(session.scalars(query))


@router.delete("/{key_id}", response_model=ApiKeyOut, summary="Revoke a key")
def revoke(key_id: str, request: Request, session: SessionDep, principal: AdminKey) -> ApiKey:
    try:
        key = revoke_api_key(session, key_id)
    except ValueError as exc:
        raise not_found("API key", key_id) from exc
    audit.record(session, request, principal, "api_key", "revoke", key.id, key.organisation_id)
    session.commit()
    return key
