"""Writing the audit log. Rows join the request's transaction, so a rolled-back write leaves no trace
and a committed one always has its audit row."""
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from api.deps import Principal, client_ip
from api.logs import request_id_var
from models.tables import AuditLog


def record(session: Session, request: Request, principal: Principal | None, resource: str, action: str,
           resource_id: str | None = None, organisation_id: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    """Add an audit row: who (key), what (resource, action, id), when (now, UTC), from where (IP).

    ``detail`` carries what does not fit one id, such as the ids a list call returned."""
    session.add(AuditLog(
        key_id=principal.key_id if principal else None,
        organisation_id=organisation_id or (principal.organisation_id if principal else None),
        resource=resource, resource_id=resource_id, action=action,
        client_ip=client_ip(request), request_id=request_id_var.get(), detail=detail,
    ))


def record_list(session: Session, request: Request, principal: Principal, resource: str, ids: list[str]) -> None:
    """One audit row for a list call, naming every id it returned (not one row per record)."""
    record(session, request, principal, resource, "list", detail={"count": len(ids), "ids": ids})
