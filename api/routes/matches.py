"""Ranked vacancies, training programmes or occupations for one person, with components and reasons.

A profile with no scores and no coded past job gets 422 (problem document, zh-CN then en): there is
nothing to rank on, and a list would look like advice.
"""
from fastapi import APIRouter, Request

from api import audit
from api.deps import PersonReader, UnitOfWork
from api.services.matching import match_person
from models.match import MatchRequest, MatchResponse

router = APIRouter(prefix="/v1", tags=["matching"])


@router.post("/matches", response_model=MatchResponse,
             summary="Rank vacancies, programmes or occupations for a person (latest result) or an inline profile")
def match(body: MatchRequest, request: Request, db: UnitOfWork, principal: PersonReader) -> MatchResponse:
    response = match_person(db, principal.organisation_id, body, pools=request.app.state.vacancy_pools,
                            code_titles=request.app.state.title_coder, recorded_by=principal.key_id,
                            settings=request.app.state.settings)
    if response.person_id is not None:
        audit.record(db, request, principal, "person", "match", response.person_id)
    return response
