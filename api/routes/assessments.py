"""Assessments as counsellors and case systems see them: start, follow, enter paper sheets, complete."""
from fastapi import APIRouter, Request

from api import audit
from api.deps import OwnedPerson, PersonReader, PersonWriter, UnitOfWork, load_owned_person
from api.errors import Problem
from api.services.assessments import (
    AssessmentError,
    assessments_of,
    create_session,
    load_owned_assessment,
    save_paper_sheet,
    utcnow,
)
from api.services.results import assessment_out, complete_assessment
from models.assessment import AssessmentCreate, AssessmentCreated, AssessmentOut, PaperSheet

router = APIRouter(prefix="/v1", tags=["assessments"])


@router.post("/assessments", status_code=201, response_model=AssessmentCreated,
             summary="Start an assessment; the token (shown once) lets the test taker in")
def start(body: AssessmentCreate, request: Request, db: UnitOfWork, principal: PersonWriter) -> AssessmentCreated:
    person = load_owned_person(db, principal.organisation_id, body.person_id)
    try:
        row, token = create_session(db, person, body.battery, body.lang, body.mode, principal.key_id)
    except AssessmentError as error:
        raise error.problem() from error
    audit.record(db, request, principal, "assessment", "create", row.id)
    out = assessment_out(db, row)
    return AssessmentCreated(**out.model_dump(), token=token, take_path=f"/v1/take/{token}")


@router.get("/assessments/{assessment_id}", response_model=AssessmentOut, summary="Status and progress")
def read(assessment_id: str, request: Request, db: UnitOfWork, principal: PersonReader) -> AssessmentOut:
    row = load_owned_assessment(db, principal.organisation_id, assessment_id)
    audit.record(db, request, principal, "assessment", "read", row.id)
    return assessment_out(db, row)


@router.get("/persons/{person_id}/assessments", response_model=list[AssessmentOut],
            summary="A person's assessments, newest first")
def list_for_person(request: Request, db: UnitOfWork, principal: PersonReader,
                    person: OwnedPerson) -> list[AssessmentOut]:
    rows = assessments_of(db, person)
    audit.record(db, request, principal, "assessment", "list", person.id)
    return [assessment_out(db, r) for r in rows]


@router.post("/assessments/{assessment_id}/paper", response_model=AssessmentOut,
             summary="Enter one instrument's paper answer sheet (validated as a whole; nothing stored on error)")
def enter_paper(assessment_id: str, body: PaperSheet, request: Request, db: UnitOfWork,
                principal: PersonWriter) -> AssessmentOut:
    row = load_owned_assessment(db, principal.organisation_id, assessment_id)
    if row.status != "open":
        raise Problem(409, "Assessment completed", "This assessment is completed; start a new one to enter more.")
    try:
        save_paper_sheet(db, row, body.instrument_id, body.instrument_version, body.responses, utcnow())
    except AssessmentError as error:
        raise error.problem() from error
    audit.record(db, request, principal, "assessment", "paper_entry", row.id)
    return assessment_out(db, row)


@router.post("/assessments/{assessment_id}/complete", response_model=AssessmentOut,
             summary="Close the assessment and score what was answered")
def complete(assessment_id: str, request: Request, db: UnitOfWork, principal: PersonWriter) -> AssessmentOut:
    row = load_owned_assessment(db, principal.organisation_id, assessment_id)
    complete_assessment(db, row, principal.key_id)
    audit.record(db, request, principal, "assessment", "complete", row.id)
    return assessment_out(db, row)
