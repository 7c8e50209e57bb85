"""Scored results: immutable; re-scoring (e.g. with new norms) adds a result that supersedes the old."""
from fastapi import APIRouter, Request
from sqlalchemy import select

from api import audit
from api.services.assessments import AssessmentError, part_states, utcnow
from api.deps import PersonReader, PersonWriter, Principal, SessionDep
from api.errors import not_found
from api.services.results import result_out, score_document, store_result
from api.routes.assessments import load_person, problem_from
from api.tenancy import owned
from models.result import ResultOut
from models.tables import AssessmentResult, AssessmentSession

router = APIRouter(prefix="/v1", tags=["results"])


def load_result(db, principal: Principal, result_id: str) -> AssessmentResult:
    result = owned(db, principal.organisation_id, AssessmentResult, result_id)
    if result is None:
        raise not_found("result", result_id)
    return result


@router.get("/results/{result_id}", response_model=ResultOut, summary="One result: scores, norms, validity, profiles")
def read(result_id: str, request: Request, db: SessionDep, principal: PersonReader) -> ResultOut:
    result = load_result(db, principal, result_id)
    audit.record(db, request, principal, "result", "read", result.id)
    db.commit()
    return result_out(result)


@router.get("/persons/{person_id}/results", response_model=list[ResultOut], summary="A person's results, newest first")
def list_for_person(person_id: str, request: Request, db: SessionDep, principal: PersonReader) -> list[ResultOut]:
    person = load_person(db, principal, person_id)
    rows = db.scalars(select(AssessmentResult).where(AssessmentResult.person_id == person.id)
                      .order_by(AssessmentResult.created_at.desc(), AssessmentResult.id.desc())).all()
    audit.record(db, request, principal, "result", "list", person.id)
    db.commit()
    return [result_out(r) for r in rows]


@router.post("/results/{result_id}/rescore", status_code=201, response_model=ResultOut,
             summary="Score the same answers again with the current norms; the old result stays readable")
def rescore(result_id: str, request: Request, db: SessionDep, principal: PersonWriter) -> ResultOut:
    old = load_result(db, principal, result_id)
    session_row = db.get(AssessmentSession, old.session_id)
    try:
        document = score_document(db, session_row, part_states(db, session_row, utcnow()), utcnow())
    except AssessmentError as error:
        raise problem_from(error) from error
    new = store_result(db, session_row, document, principal.key_id, supersedes=old.id)
    audit.record(db, request, principal, "result", "rescore", new.id)
    db.commit()
    return result_out(new)
