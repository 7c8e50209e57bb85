"""The audit log, for administrators: who read or wrote which record, when and from where. An admin reads
its own organisation's entries only; a platform admin reads every organisation's."""
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminKey, Pagination, SessionDep, may_administer
from api.errors import Problem, not_found
from api.services.audit_trail import list_audit_entries
from models.enums import Role
from models.audit import AuditEntryOut
from models.pagination import Page

router = APIRouter(prefix="/v1/audit", tags=["audit"])


def _instant(value: datetime, field: str) -> datetime:
    """``value`` as UTC (no offset: taken as UTC); 422 for a time that has no UTC equivalent (year 1 at +01:00)."""
    try:
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    except OverflowError:
        raise Problem(422, "Invalid request", f"query.{field}: outside the years 1–9999 in UTC",
                      [{"field": f"query.{field}", "message": "outside the years 1–9999 in UTC"}]) from None


@router.get("", response_model=Page[AuditEntryOut], summary="Audit entries of your organisation, newest first (admin)")
def list_entries(session: SessionDep, principal: AdminKey, page: Pagination,
                 organisation_id: Annotated[str | None, Query(max_length=40)] = None,
                 key_id: Annotated[str | None, Query(max_length=40)] = None,
                 resource: Annotated[str | None, Query(max_length=64)] = None,
                 resource_id: Annotated[str | None, Query(max_length=64)] = None,
                 action: Annotated[str | None, Query(max_length=32)] = None,
                 since: Annotated[datetime | None, Query(description="ISO 8601, inclusive")] = None,
                 until: Annotated[datetime | None, Query(description="ISO 8601, exclusive")] = None,
                 ) -> Page[AuditEntryOut]:
    if organisation_id is not None and not may_administer(principal, organisation_id):
        raise not_found("organisation", organisation_id)
    if principal.role is not Role.platform_admin:
        organisation_id = principal.organisation_id
    rows, total = list_audit_entries(
        session, organisation_id=organisation_id, key_id=key_id, resource=resource, resource_id=resource_id,
        action=action, since=_instant(since, "since") if since is not None else None,
        until=_instant(until, "until") if until is not None else None, limit=page.limit, offset=page.offset)
    return Page(items=[AuditEntryOut.model_validate(r) for r in rows], total=total,
                limit=page.limit, offset=page.offset)
