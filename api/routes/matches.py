"""Ranked vacancies, training programmes or occupations for one person, with components and reasons."""
from fastapi import APIRouter, Request

from api import audit
from api.deps import PersonReader, SessionDep
from api.matching import occupation_table, person_profile, programmes_of
from api.routes.assessments import load_person
from matching.rank import rank_occupations, rank_programmes, rank_vacancies
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
    filters = {name: getattr(body, name) for name in ("district", "public_welfare", "internship", "directed_training")
               if getattr(body, name) is not None}
    if body.kind == "occupations":
        ranking = rank_occupations(profile, occupation_table(), body.k, body.weights)
    else:
        pool, _ = request.app.state.vacancy_pools.get(db, principal.organisation_id, filters)
        programmes = programmes_of(db, principal.organisation_id)
        if body.kind == "vacancies":
            ranking = rank_vacancies(profile, pool, k=body.k, weights=body.weights,
                                     programmes=programmes if len(programmes) else None)
        else:
            ranking = rank_programmes(profile, programmes, occupation_table(), pool, body.k,
                                      fit_weights=body.weights)
    db.commit()
    return MatchResponse(person_id=body.person_id, result_id=result_id, ranking=ranking)

