"""Audit log entries: who read or wrote what, when and from where."""
from datetime import datetime
from typing import Any

from models.base import OutModel


class AuditEntryOut(OutModel):
    id: int
    at: datetime
    key_id: str | None
    organisation_id: str | None
    resource: str
    resource_id: str | None
    action: str
    client_ip: str | None
    request_id: str | None
    detail: dict[str, Any] | None = None  # e.g. a list call's {"count": n, "ids": [...]}
