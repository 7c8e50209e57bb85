"""Ranked vacancies, training programmes or occupations for one person, with components and reasons.

A profile with no scores and no coded past job gets 422 (problem document, zh-CN then en): there is
nothing to rank on, and a list would look like advice.
"""
from fastapi import APIRouter, Request

from api import audit
from api.deps import PersonReader, SessionDep
from api.errors import Problem
from api.matching import code_past_jobs, fitted_matcher, person_profile, programmes_of
from api.routes.assessments import load_person
from matching.matcher import NotEnoughInformation
from models.match import MatchRequest, MatchResponse

router = APIRouter(prefix="/v1", tags=["matching"])


@router.post("/matches", response_model=MatchResponse,
             summary="Rank vacancies, programmes or occupations for a person (latest result) or an inline profile")
def match(body: MatchRequest, request: Request, db: SessionDep, principal: PersonReader) -> MatchResponse:
    result_id = None
    if body.person_id is not None:
        person = load_person(db, principal, body.person_id)
        profile, result_id = person_profile(db, person, body.interested_occupations)
        audit.record(db, request, principal, "person", "match", person.id)
    else:
        profile = body.profile.model_copy(update={"interested_occupations": body.interested_occupations
                                                  or body.profile.interested_occupations})
    profile = code_past_jobs(profile, request.app.state.title_coder)
    filters = {name: getattr(body, name) for name in ("district", "public_welfare", "internship", "directed_training")
               if getattr(body, name) is not None}
    pool, _ = request.app.state.vacancy_pools.get(db, principal.organisation_id, filters)
    programmes = programmes_of(db, principal.organisation_id)
    matcher = fitted_matcher(pool, programmes, body.weights)
    try:
        ranking = matcher.rank(profile, body.kind, body.k)
    except NotEnoughInformation as e:
        db.rollback()
        raise Problem(422, "Not enough information to rank", f"{e.zh} / {e.en}",
                      [{"field": "person_id" if body.person_id else "profile",
                        "message": "no assessment scores and no past job with an occupation: "
                                   "score an assessment or add work_history"}]) from None
    db.commit()
    return MatchResponse(person_id=body.person_id, result_id=result_id, ranking=ranking)
