"""Scored results: immutable; re-scoring (e.g. with new norms) adds a result that supersedes the old."""
from fastapi import APIRouter, Request

from api import audit
from api.deps import OwnedPerson, PersonReader, PersonWriter, UnitOfWork
from api.services.assessments import AssessmentError
from api.services.results import load_owned_result, result_out, results_of, rescore as score_again
from models.result import ResultOut

router = APIRouter(prefix="/v1", tags=["results"])


@router.get("/results/{result_id}", response_model=ResultOut, summary="One result: scores, norms, validity, profiles")
def read(result_id: str, request: Request, db: UnitOfWork, principal: PersonReader) -> ResultOut:
    result = load_owned_result(db, principal.organisation_id, result_id)
    audit.record(db, request, principal, "result", "read", result.id)
    return result_out(result)


@router.get("/persons/{person_id}/results", response_model=list[ResultOut], summary="A person's results, newest first")
def list_for_person(request: Request, db: UnitOfWork, principal: PersonReader, person: OwnedPerson) -> list[ResultOut]:
    rows = results_of(db, person)
    audit.record(db, request, principal, "result", "list", person.id)
    return [result_out(r) for r in rows]


@router.post("/results/{result_id}/rescore", status_code=201, response_model=ResultOut,
             summary="Score the same answers again with the current norms; the old result stays readable")
def rescore(result_id: str, request: Request, db: UnitOfWork, principal: PersonWriter) -> ResultOut:
    old = load_owned_result(db, principal.organisation_id, result_id)
    try:
        new = score_again(db, old, principal.key_id)
    except AssessmentError as error:
        raise error.problem() from error
    audit.record(db, request, principal, "result", "rescore", new.id)
    return result_out(new)
