"""Training programmes (培训项目) of the caller's organisation."""
from typing import Annotated

from fastapi import Query
from sqlalchemy import func, select

from api.services.catalogue import PROGRAMMES, to_out
from api.deps import Pagination, PersonReader, SessionDep
from api.routes.catalogue import catalogue_router
from models.pagination import Page
from models.tables import TrainingProgramme
from models.training import TrainingProgramOut

router = catalogue_router(PROGRAMMES, "/v1/programmes", "programmes")


@router.get("", response_model=Page[TrainingProgramOut], summary="Training programmes, paginated")
def list_programmes(session: SessionDep, principal: PersonReader, page: Pagination,
                    district: Annotated[str | None, Query(max_length=100)] = None) -> Page[TrainingProgramOut]:
    query = select(TrainingProgramme).where(TrainingProgramme.organisation_id == principal.organisation_id)
    if district is not None:
        query = query.where(TrainingProgramme.district == district)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(TrainingProgramme.created_at, TrainingProgramme.id)
                           .limit(page.limit).offset(page.offset))
    return Page(items=[to_out(PROGRAMMES, r) for r in rows], total=total, limit=page.limit, offset=page.offset)
