"""Vacancies (岗位空缺) of the caller's organisation."""
from typing import Annotated

from fastapi import Query
from sqlalchemy import func, select

from api.catalogue import VACANCIES, to_out
from api.deps import Pagination, PersonReader, SessionDep
from api.routes.catalogue import catalogue_router
from models.pagination import Page
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
