"""Vacancies (岗位空缺) and training programmes (培训项目) of the caller's organisation: create, bulk
import, read, replace and delete (shared by both), the filtered lists, and the vacancies' occupation
choices. Two routers: ``vacancies_router`` and ``programmes_router``."""
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api import audit
from api.adapters.tabular import FILE_REQUEST_BODY, detect_format, read_records
from api.deps import Pagination, PersonReader, PersonWriter, SessionDep
from api.errors import Problem
from api.services.catalogue import (
    PROGRAMMES,
    VACANCIES,
    Catalogue,
    code_missing,
    import_records,
    programmes_page,
    replace_row,
    store,
    to_out,
    unknown_code_messages,
    unknown_codes,
    vacancies_page,
    vacancies_updated_since,
)
from api.services.title_choices import choice_entry, choose, vacancies_needing_choice, with_organisation_aliases
from api.tenancy import owned_or_404
from models.imports import ImportResult
from models.pagination import Page
from models.person import OCCUPATION_CODE_PATTERN
from models.tables import Vacancy
from models.training import TrainingProgramOut
from models.vacancy import VacancyOut


def catalogue_router(catalogue: Catalogue, prefix: str, tag: str) -> APIRouter:
    router = APIRouter(prefix=prefix, tags=[tag])
    table, out_model, name = catalogue.table, catalogue.out_model, catalogue.resource

    def _own(session, principal, item_id: str):
        return owned_or_404(session, principal.organisation_id, table, item_id, name)

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
                 openapi_extra={"requestBody": {"required": True, "content": FILE_REQUEST_BODY}})
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
            stored = vacancies_updated_since(session, principal.organisation_id, started)
            result["needs_choice"] = [choice_entry(r) for r in vacancies_needing_choice(
                session, principal.organisation_id, request.app.state.settings.title_choice_threshold, stored)]
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


# ------------------------------------------------------------------------------------------------
# vacancies (岗位空缺)
# ------------------------------------------------------------------------------------------------

vacancies_router = catalogue_router(VACANCIES, "/v1/vacancies", "vacancies")


@vacancies_router.get("", response_model=Page[VacancyOut], summary="Vacancies, filtered and paginated")
def list_vacancies(session: SessionDep, principal: PersonReader, page: Pagination,
                   district: Annotated[str | None, Query(max_length=100)] = None,
                   occupation_code: Annotated[str | None, Query(max_length=16)] = None,
                   public_welfare: bool | None = None, internship: bool | None = None,
                   directed_training: bool | None = None) -> Page[VacancyOut]:
    rows, total = vacancies_page(session, principal.organisation_id,
                                 {"district": district, "occupation_code": occupation_code,
                                  "public_welfare": public_welfare, "internship": internship,
                                  "directed_training": directed_training}, page.limit, page.offset)
    return Page(items=[to_out(VACANCIES, r) for r in rows], total=total, limit=page.limit, offset=page.offset)


class OccupationChoice(BaseModel):
    occupation_code: str = Field(pattern=OCCUPATION_CODE_PATTERN, examples=["4-02-06-02"],
                                 description="The code a person chose, usually one of the vacancy's candidates.")


class ChoiceResult(BaseModel):
    vacancy: VacancyOut
    alias_title: str
    alias_code: str
    chosen_by_key_id: str


@vacancies_router.get("/coding/pending", response_model=list[dict],
            summary="Vacancies whose title-coded occupation needs a person's choice")
def pending_choices(request: Request, session: SessionDep, principal: PersonReader) -> list[dict]:
    rows = vacancies_needing_choice(session, principal.organisation_id,
                                    request.app.state.settings.title_choice_threshold)
    return [choice_entry(r) for r in rows]


@vacancies_router.post("/{item_id}/occupation-choice", response_model=ChoiceResult,
             summary="Choose the occupation code of a vacancy; its title becomes an alias for the organisation")
def choose_occupation(item_id: str, body: OccupationChoice, request: Request, session: SessionDep,
                      principal: PersonWriter) -> ChoiceResult:
    row = owned_or_404(session, principal.organisation_id, Vacancy, item_id, "vacancy")
    before = (row.occupation_code, row.occupation_code_confidence)
    try:
        alias = choose(session, row, body.occupation_code, principal.key_id)
    except ValueError as exc:
        field, _, message = str(exc).partition(": ")
        raise Problem(422, "Unknown occupation code", str(exc), [{"field": field, "message": message}]) from exc
    audit.record(session, request, principal, "vacancy", "choose_occupation", row.id,
                 detail={"code": body.occupation_code, "model_code": before[0], "model_confidence": before[1]})
    audit.record(session, request, principal, "organisation_title_alias", "upsert", alias.id,
                 detail={"title": alias.title_normalised, "code": alias.occupation_code})
    session.commit()
    return ChoiceResult(vacancy=to_out(VACANCIES, row), alias_title=alias.title_normalised,
                        alias_code=alias.occupation_code, chosen_by_key_id=alias.chosen_by_key_id)


# ------------------------------------------------------------------------------------------------
# training programmes (培训项目)
# ------------------------------------------------------------------------------------------------

programmes_router = catalogue_router(PROGRAMMES, "/v1/programmes", "programmes")


@programmes_router.get("", response_model=Page[TrainingProgramOut], summary="Training programmes, paginated")
def list_programmes(session: SessionDep, principal: PersonReader, page: Pagination,
                    district: Annotated[str | None, Query(max_length=100)] = None) -> Page[TrainingProgramOut]:
    rows, total = programmes_page(session, principal.organisation_id, district, page.limit, page.offset)
    return Page(items=[to_out(PROGRAMMES, r) for r in rows], total=total, limit=page.limit, offset=page.offset)
