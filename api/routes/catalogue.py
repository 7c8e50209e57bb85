"""Routes shared by vacancies and training programmes: create, bulk import, read, delete."""
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import select

from api.services.catalogue import (Catalogue, code_missing, import_records, replace_row, store, to_out, unknown_code_messages,
                           unknown_codes)
from api.deps import PersonReader, PersonWriter, SessionDep
from api.errors import Problem, not_found
from api.adapters.tabular import detect_format, read_records
from api.tenancy import owned
from api.services.title_choices import choice_entry, vacancies_needing_choice, with_organisation_aliases
from models.tables import Vacancy

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_FILE_CONTENT = {"text/csv": _BINARY, "application/json": _BINARY, "application/ld+json": _BINARY,
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _BINARY}


class ImportResult(BaseModel):
    received: int
    created: int
    updated: int
    rejected_rows: int
    stored: bool
    rejected: list[dict]
    needs_choice: list[dict] = []  # vacancies coded from the title below the confidence threshold: pick one


def catalogue_router(catalogue: Catalogue, prefix: str, tag: str) -> APIRouter:
    router = APIRouter(prefix=prefix, tags=[tag])
    table, out_model, name = catalogue.table, catalogue.out_model, catalogue.resource

    def _own(session, principal, item_id: str):
        row = owned(session, principal.organisation_id, table, item_id)
        if row is None:
            raise not_found(name, item_id)
        return row

    def _coder(request: Request, session, principal):
        # The organisation's own title aliases (earlier choices) answer before the model.
        return with_organisation_aliases(session, principal.organisation_id, request.app.state.title_coder)

    def _known_codes(body, coder) -> None:
        bad = unknown_codes(catalogue, body)
        if bad:
            raise Problem(422, "Unknown occupation code", "An occupation code is not in the 2022 classification.",
                          [{"field": field, "message": unknown_code_messages(code, body.title, coder)[0]}
                           for field, code in bad])

    @router.post("", status_code=201, response_model=out_model, summary=f"Add one {name}")
    def create(body: catalogue.in_model, request: Request, session: SessionDep, principal: PersonWriter):
        coder = _coder(request, session, principal)
        _known_codes(body, coder)
        coded = code_missing(catalogue, [body], coder)[0]
        row, _ = store(session, catalogue, principal.organisation_id, body, coded)
        session.commit()
        return to_out(catalogue, row)

    @router.post("/import", response_model=ImportResult, summary=f"Import {name} records from CSV, XLSX or JSON",
                 description="Send the file as the request body. Every rejected row is listed with the field and "
                             "the reason. Valid rows are stored (upserted by external_id) unless `atomic=true`, "
                             "in which case any rejected row means nothing is stored (status 422). For vacancies "
                             "the JSON may be schema.org JobPosting objects.",
                 openapi_extra={"requestBody": {"required": True, "content": _FILE_CONTENT}})
    def import_file(request: Request, session: SessionDep, principal: PersonWriter,
                    format: Annotated[str | None, Query(pattern="^(csv|xlsx|json)$",
                                                        description="Defaults to the Content-Type.")] = None,
                    atomic: Annotated[bool, Query(description="Store nothing if any row is rejected.")] = False):
        data = request.scope.get("pathfit.body", b"")  # buffered by RequestContextMiddleware
        try:
            fmt = format or detect_format(content_type=request.headers.get("content-type"))
            records = read_records(data, fmt, catalogue.headers)
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            raise Problem(422, "Unreadable file", str(exc), [{"field": field, "message": message}]) from exc
        if not records:
            raise Problem(422, "No records", "The file has a header but no records.",
                          [{"field": "file", "message": "add at least one record"}])
        started = datetime.now(timezone.utc)
        report = import_records(session, catalogue, principal.organisation_id, records, atomic,
                                _coder(request, session, principal))
        if not report.stored:
            raise Problem(422, "Import rejected", f"{len(report.rejected)} problem(s); nothing was stored "
                                                  "(atomic import). Fix the rows listed and send the file again.",
                          [{"field": f"row {e.row}: {e.field}", "message": e.message} for e in report.rejected])
        result = report.as_dict()
        if table is Vacancy:
            stored = session.scalars(select(Vacancy.id).where(Vacancy.organisation_id == principal.organisation_id,
                                                              Vacancy.updated_at >= started)).all()
            result["needs_choice"] = [choice_entry(r) for r in vacancies_needing_choice(
                session, principal.organisation_id, request.app.state.settings.title_choice_threshold, list(stored))]
        session.commit()
        return result

    @router.get("/{item_id}", response_model=out_model, summary=f"One {name}")
    def read(item_id: str, session: SessionDep, principal: PersonReader):
        row = _own(session, principal, item_id)
        return to_out(catalogue, row)

    @router.put("/{item_id}", response_model=out_model, summary=f"Replace a {name}")
    def replace(item_id: str, body: catalogue.in_model, request: Request, session: SessionDep,
                principal: PersonWriter):
        row = _own(session, principal, item_id)
        coder = _coder(request, session, principal)
        _known_codes(body, coder)
        replace_row(session, catalogue, row, body, code_missing(catalogue, [body], coder)[0])
        session.commit()
        return to_out(catalogue, row)

    @router.delete("/{item_id}", status_code=204, summary=f"Remove a {name}")
    def delete(item_id: str, session: SessionDep, principal: PersonWriter) -> Response:
        row = _own(session, principal, item_id)
        session.delete(row)
        session.commit()
        return Response(status_code=204)

    return router

