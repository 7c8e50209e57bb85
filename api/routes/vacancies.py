"""Vacancies (岗位空缺) of the caller's organisation."""
from typing import Annotated

from fastapi import Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from api import audit

from api.services.catalogue import VACANCIES, to_out
from api.deps import Pagination, PersonReader, PersonWriter, SessionDep
from api.errors import Problem, not_found
from api.routes.catalogue import catalogue_router
from api.tenancy import owned
from api.services.title_choices import choice_entry, choose, vacancies_needing_choice
from models.pagination import Page
from models.person import OCCUPATION_CODE_PATTERN
from models.tables import Vacancy
from models.vacancy import VacancyOut

router = catalogue_router(VACANCIES, "/v1/vacancies", "vacancies")


@router.get("", response_model=Page[VacancyOut], summary="Vacancies, filtered and paginated")
def list_vacancies(session: SessionDep, principal: PersonReader, page: Pagination,
                   district: Annotated[str | None, Query(max_length=100)] = None,
                   occupation_code: Annotated[str | None, Query(max_length=16)] = None,
                   public_welfare: bool | None = None, internship: bool | None = None,
                   directed_training: bool | None = None) -> Page[VacancyOut]:
    query = select(Vacancy).where(Vacancy.organisation_id == principal.organisation_id)
    for column, value in ((Vacancy.district, district), (Vacancy.occupation_code, occupation_code),
                          (Vacancy.public_welfare, public_welfare), (Vacancy.internship, internship),
                          (Vacancy.directed_training, directed_training)):
        if value is not None:
            query = query.where(column == value)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Vacancy.created_at, Vacancy.id).limit(page.limit).offset(page.offset))
    return Page(items=[to_out(VACANCIES, r) for r in rows], total=total, limit=page.limit, offset=page.offset)


class OccupationChoice(BaseModel):
    occupation_code: str = Field(pattern=OCCUPATION_CODE_PATTERN, examples=["4-02-06-02"],
                                 description="The code a person chose, usually one of the vacancy's candidates.")


class ChoiceResult(BaseModel):
    vacancy: VacancyOut
    alias_title: str
    alias_code: str
    chosen_by_key_id: str


@router.get("/coding/pending", response_model=list[dict],
            summary="Vacancies whose title-coded occupation needs a person's choice")
def pending_choices(request: Request, session: SessionDep, principal: PersonReader) -> list[dict]:
    rows = vacancies_needing_choice(session, principal.organisation_id,
                                    request.app.state.settings.title_choice_threshold)
    return [choice_entry(r) for r in rows]


@router.post("/{item_id}/occupation-choice", response_model=ChoiceResult,
             summary="Choose the occupation code of a vacancy; its title becomes an alias for the organisation")
def choose_occupation(item_id: str, body: OccupationChoice, request: Request, session: SessionDep,
                      principal: PersonWriter) -> ChoiceResult:
    row = owned(session, principal.organisation_id, Vacancy, item_id)
    if row is None:
        raise not_found("vacancy", item_id)
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
