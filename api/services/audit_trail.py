"""Reading the audit log: an administrator's filtered, newest-first page of entries."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.listing import page_of
from models.tables import AuditLog


def list_audit_entries(db: Session, *, organisation_id: str | None, key_id: str | None, resource: str | None,
                       resource_id: str | None, action: str | None, since: datetime | None,
                       until: datetime | None, limit: int, offset: int) -> tuple[list[AuditLog], int]:
    """Entries equal to every given filter, at or after ``since`` and before ``until`` (UTC), newest
    first: one page and the total. ``organisation_id`` None means every organisation's (platform admin)."""
    query = select(AuditLog)
    for column, value in ((AuditLog.organisation_id, organisation_id), (AuditLog.key_id, key_id),
                          (AuditLog.resource, resource), (AuditLog.resource_id, resource_id),
                          (AuditLog.action, action)):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditLog.at >= since)
    if until is not None:
        query = query.where(AuditLog.at < until)
    return page_of(db, query, (AuditLog.id.desc(),), limit, offset)
