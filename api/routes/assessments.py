"""Assessments as counsellors and case systems see them: start, follow, enter paper sheets, complete."""
from fastapi import APIRouter, Request

from api import audit
from api.services.assessments import (AssessmentError, create_session, part_states, progress, save_paper_sheet,
                             utcnow)
from api.deps import PersonReader, PersonWriter, Principal, SessionDep
from api.errors import Problem, not_found
from api.services.results import complete_session, latest_result_id
from api.tenancy import owned, owned_person
from models.assessment import AssessmentCreate, AssessmentCreated, AssessmentOut, PaperSheet
from models.tables import AssessmentSession, Person

router = APIRouter(prefix="/v1", tags=["assessments"])


def problem_from(error: AssessmentError) -> Problem:
    title = "Conflict" if error.status == 409 else "Invalid answer sheet" if len(error.problems) > 1 else "Invalid request"
    return Problem(error.status, title, "; ".join(f"{f}: {m}" for f, m in error.problems),
                   [{"field": f, "message": m} for f, m in error.problems])


def load_person(db, principal: Principal, person_id: str) -> Person:
    person = owned_person(db, principal.organisation_id, person_id)
    if person is None:
        raise not_found("person", person_id)
    return person


def load_assessment(db, principal: Principal, assessment_id: str) -> AssessmentSession:
    row = owned(db, principal.organisation_id, AssessmentSession, assessment_id)
    if row is None:
        raise not_found("assessment", assessment_id)
    return row


def assessment_out(db, row: AssessmentSession) -> AssessmentOut:
    return AssessmentOut(id=row.id, person_id=row.person_id, battery_id=row.battery_id, lang=row.lang,
                         mode=row.mode, status=row.status, created_at=row.created_at, completed_at=row.completed_at,
                         progress=progress(part_states(db, row, utcnow())), result_id=latest_result_id(db, row))


@router.post("/assessments", status_code=201, response_model=AssessmentCreated,
             summary="Start an assessment; the token (shown once) lets the test taker in")
def start(body: AssessmentCreate, request: Request, db: SessionDep, principal: PersonWriter) -> AssessmentCreated:
    person = load_person(db, principal, body.person_id)
    try:
        row, token = create_session(db, person, body.battery, body.lang, body.mode, principal.key_id)
    except AssessmentError as error:
        raise problem_from(error) from error
    audit.record(db, request, principal, "assessment", "create", row.id)
    out = assessment_out(db, row)
    db.commit()
    return AssessmentCreated(**out.model_dump(), token=token, take_path=f"/v1/take/{token}")


@router.get("/assessments/{assessment_id}", response_model=AssessmentOut, summary="Status and progress")
def read(assessment_id: str, request: Request, db: SessionDep, principal: PersonReader) -> AssessmentOut:
    row = load_assessment(db, principal, assessment_id)
    audit.record(db, request, principal, "assessment", "read", row.id)
    out = assessment_out(db, row)
    db.commit()
    return out


@router.get("/persons/{person_id}/assessments", response_model=list[AssessmentOut],
            summary="A person's assessments, newest first")
def list_for_person(person_id: str, request: Request, db: SessionDep, principal: PersonReader) -> list[AssessmentOut]:
    person = load_person(db, principal, person_id)
    rows = db.query(AssessmentSession).filter(AssessmentSession.person_id == person.id) \
        .order_by(AssessmentSession.created_at.desc(), AssessmentSession.id).all()
    audit.record(db, request, principal, "assessment", "list", person.id)
    out = [assessment_out(db, r) for r in rows]
    db.commit()
    return out


@router.post("/assessments/{assessment_id}/paper", response_model=AssessmentOut,
             summary="Enter one instrument's paper answer sheet (validated as a whole; nothing stored on error)")
def enter_paper(assessment_id: str, body: PaperSheet, request: Request, db: SessionDep,
                principal: PersonWriter) -> AssessmentOut:
    row = load_assessment(db, principal, assessment_id)
    if row.status != "open":
        raise Problem(409, "Assessment completed", "This assessment is completed; start a new one to enter more.")
    try:
        save_paper_sheet(db, row, body.instrument_id, body.instrument_version, body.responses, utcnow())
    except AssessmentError as error:
        raise problem_from(error) from error
    audit.record(db, request, principal, "assessment", "paper_entry", row.id)
    out = assessment_out(db, row)
    db.commit()
    return out


@router.post("/assessments/{assessment_id}/complete", response_model=AssessmentOut,
             summary="Close the assessment and score what was answered")
def complete(assessment_id: str, request: Request, db: SessionDep, principal: PersonWriter) -> AssessmentOut:
    row = load_assessment(db, principal, assessment_id)
    if row.status != "open":
        raise Problem(409, "Assessment completed", "This assessment is already completed; see its result.")
    states = part_states(db, row, utcnow())
    if not any(s.answered for s in states):
        raise Problem(409, "Nothing answered", "No answer was given yet, so there is nothing to score.")
    complete_session(db, row, states, principal.key_id)
    audit.record(db, request, principal, "assessment", "complete", row.id)
    out = assessment_out(db, row)
    db.commit()
    return out
