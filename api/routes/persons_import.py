"""``POST /v1/persons/import``: register or update many people from a CSV or XLSX file (Chinese headers)."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from api import audit
from api.adapters.tabular import FILE_REQUEST_BODY, detect_format, read_records
from api.deps import PersonWriter, SessionDep
from api.errors import Problem
from api.services.people_import import HEADERS, import_people
from models.imports import ImportResult

router = APIRouter(prefix="/v1/persons", tags=["persons"])


@router.post("/import", response_model=ImportResult, summary="Import people from CSV or XLSX",
             description="Send the file as the request body. Columns may have the Chinese headers of "
                         "docs/import-templates.md. Every rejected row is listed with the row, column and fix "
                         "(`message` in English, `message_zh` in Chinese); valid rows are created or, for a known "
                         "external_id, updated, unless `atomic=true` and a row was rejected (422, nothing stored). "
                         "Every person created or updated is audit-logged.",
             openapi_extra={"requestBody": {"required": True, "content": FILE_REQUEST_BODY}})
def import_file(request: Request, session: SessionDep, principal: PersonWriter,
                format: Annotated[str | None, Query(pattern="^(csv|xlsx|json)$",
                                                    description="Defaults to the Content-Type.")] = None,
                atomic: Annotated[bool, Query(description="Store nothing if any row is rejected.")] = False):
    data = request.scope.get("pathfit.body", b"")  # buffered by RequestContextMiddleware
    try:
        records = read_records(data, format or detect_format(content_type=request.headers.get("content-type")), HEADERS)
    except ValueError as exc:
        field, _, message = str(exc).partition(": ")
        raise Problem(422, "Unreadable file", str(exc), [{"field": field, "message": message}]) from exc
    if not records:
        raise Problem(422, "No records", "The file has a header but no records.",
                      [{"field": "file", "message": "add at least one record"}])
    report, stored = import_people(session, principal.organisation_id, records, atomic)
    if not report.stored:
        raise Problem(422, "Import rejected", f"{len(report.rejected)} problem(s); nothing was stored (atomic import).",
                      [{"field": f"row {e.row}: {e.field}", "message": e.message} for e in report.rejected])
    for person, created in stored:
        audit.record(session, request, principal, "person", "import_create" if created else "import_update", person.id)
    session.commit()
    return report.as_dict()
