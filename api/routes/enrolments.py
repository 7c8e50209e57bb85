"""Enrolments on training programmes, internships and directed-training places, their events, and a
person's entrepreneurship track (创业: training passed or failed, start-up support, the guaranteed loan)."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from api import audit
from api.deps import Pagination, PersonReader, PersonWriter, Principal, UnitOfWork
from api.services import enrolments as service
from api.services import entrepreneurship
from api.services.enrolments import CertificateChange
from models.pagination import Page
from models.training_path import (
    EnrolmentCorrectionIn,
    EnrolmentEventCorrectionIn,
    EnrolmentEventIn,
    EnrolmentEventOut,
    EnrolmentIn,
    EnrolmentKind,
    EnrolmentOut,
    EntrepreneurshipStepCorrectionIn,
    EntrepreneurshipStepIn,
    EntrepreneurshipTrack,
)

router = APIRouter(tags=["training and internships"])
RowId = Annotated[str, Path(min_length=1, max_length=40)]


def _today(request: Request):
    return service.local_today(request.app.state.settings.timezone)


def _audit_certificates(session, request: Request, principal: Principal, person_id: str,
                        change: CertificateChange, event_id: str) -> None:
    if change.added:
        audit.record(session, request, principal, "person", "certificate_added", person_id,
                     detail={"certificate": change.added, "event_id": event_id})
    if change.removed:
        audit.record(session, request, principal, "person", "certificate_removed", person_id,
                     detail={"certificate": change.removed, "event_id": event_id})


@router.post("/v1/enrolments", status_code=201, response_model=EnrolmentOut,
             summary="Enrol a person on a programme, an internship or a directed-training place")
def enrol(body: EnrolmentIn, request: Request, session: UnitOfWork, principal: PersonWriter) -> EnrolmentOut:
    row = service.create_enrolment(session, principal.organisation_id, principal.key_id, body, _today(request))
    audit.record(session, request, principal, "enrolment", "create", row.id, detail={"person_id": row.person_id})
    return service.enrolment_out(session, row)


@router.get("/v1/enrolments", response_model=Page[EnrolmentOut],
            summary="Effective enrolments, newest start first")
def list_enrolments(request: Request, session: UnitOfWork, principal: PersonReader, page: Pagination,
                    person_id: Annotated[str | None, Query(max_length=40)] = None,
                    kind: EnrolmentKind | None = None,
                    programme_id: Annotated[str | None, Query(max_length=40)] = None) -> Page[EnrolmentOut]:
    items, total = service.list_enrolments(session, principal.organisation_id, page.limit, page.offset,
                                           person_id=person_id, kind=kind, programme_id=programme_id)
    audit.record_list(session, request, principal, "enrolment", [i.id for i in items])
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/v1/enrolments/{enrolment_id}", response_model=EnrolmentOut,
            summary="One enrolment with its effective events")
def read(enrolment_id: RowId, request: Request, session: UnitOfWork, principal: PersonReader) -> EnrolmentOut:
    row = service.load_enrolment(session, principal.organisation_id, enrolment_id)
    audit.record(session, request, principal, "enrolment", "read", row.id)
    return service.enrolment_out(session, row)


@router.post("/v1/enrolments/{enrolment_id}/corrections", status_code=201, response_model=EnrolmentOut,
             summary="Correct or withdraw an enrolment (the original stays on record)")
def correct(enrolment_id: RowId, body: EnrolmentCorrectionIn, request: Request, session: UnitOfWork,
            principal: PersonWriter) -> EnrolmentOut:
    row = service.correct_enrolment(session, principal.organisation_id, principal.key_id, enrolment_id, body,
                                    _today(request))
    audit.record(session, request, principal, "enrolment", "retract" if body.retract else "correct", row.id,
                 detail={"corrects_id": enrolment_id, "reason": body.reason})
    return service.enrolment_out(session, row)


@router.get("/v1/enrolments/{enrolment_id}/events", response_model=list[EnrolmentEventOut],
            summary="Every event of an enrolment, corrected and withdrawn ones too, in the order recorded")
def events(enrolment_id: RowId, request: Request, session: UnitOfWork,
           principal: PersonReader) -> list[EnrolmentEventOut]:
    row = service.load_enrolment(session, principal.organisation_id, enrolment_id)
    history = service.event_history(session, row)
    audit.record(session, request, principal, "enrolment", "read_events", row.id,
                 detail={"ids": [e.id for e in history]})
    return history


@router.post("/v1/enrolments/{enrolment_id}/events", status_code=201, response_model=EnrolmentOut,
             summary="Record what happened: completed, certificate awarded, dropped out, passed, failed, hired")
def add_event(enrolment_id: RowId, body: EnrolmentEventIn, request: Request, session: UnitOfWork,
              principal: PersonWriter) -> EnrolmentOut:
    event, change = service.add_event(session, principal.organisation_id, principal.key_id, enrolment_id, body,
                                      _today(request))
    audit.record(session, request, principal, "enrolment_event", "create", event.id,
                 detail={"enrolment_id": event.enrolment_id, "kind": event.kind})
    _audit_certificates(session, request, principal, event.person_id, change, event.id)
    current = service.current_enrolment(session, principal.organisation_id, enrolment_id)
    return service.enrolment_out(session, current)


@router.post("/v1/enrolments/{enrolment_id}/events/{event_id}/corrections", status_code=201,
             response_model=EnrolmentOut,
             summary="Correct or withdraw an event; a certificate it added leaves the person's record")
def correct_event(enrolment_id: RowId, event_id: RowId, body: EnrolmentEventCorrectionIn, request: Request,
                  session: UnitOfWork, principal: PersonWriter) -> EnrolmentOut:
    event, change = service.correct_event(session, principal.organisation_id, principal.key_id, enrolment_id,
                                          event_id, body, _today(request))
    audit.record(session, request, principal, "enrolment_event", "retract" if body.retract else "correct",
                 event.id, detail={"corrects_id": event_id, "reason": body.reason})
    _audit_certificates(session, request, principal, event.person_id, change, event.id)
    current = service.current_enrolment(session, principal.organisation_id, enrolment_id)
    return service.enrolment_out(session, current)


@router.get("/v1/persons/{person_id}/entrepreneurship", response_model=EntrepreneurshipTrack,
            summary="A person's entrepreneurship track: training, start-up support, loan, registration")
def read_track(person_id: RowId, request: Request, session: UnitOfWork,
               principal: PersonReader) -> EntrepreneurshipTrack:
    result = entrepreneurship.track(session, principal.organisation_id, person_id)
    audit.record(session, request, principal, "entrepreneurship", "read", person_id)
    return result


@router.post("/v1/persons/{person_id}/entrepreneurship", status_code=201, response_model=EntrepreneurshipTrack,
             summary="Record a step: start-up support referral, loan application or decision, business registered")
def record_step(person_id: RowId, body: EntrepreneurshipStepIn, request: Request, session: UnitOfWork,
                principal: PersonWriter) -> EntrepreneurshipTrack:
    row = entrepreneurship.record_step(session, principal.organisation_id, principal.key_id, person_id, body,
                                       _today(request))
    audit.record(session, request, principal, "entrepreneurship_step", "create", row.id,
                 detail={"person_id": person_id, "step": row.step})
    return entrepreneurship.track(session, principal.organisation_id, person_id)


@router.post("/v1/persons/{person_id}/entrepreneurship/{step_id}/corrections", status_code=201,
             response_model=EntrepreneurshipTrack, summary="Correct or withdraw a step (the original stays on record)")
def correct_step(person_id: RowId, step_id: RowId, body: EntrepreneurshipStepCorrectionIn, request: Request,
                 session: UnitOfWork, principal: PersonWriter) -> EntrepreneurshipTrack:
    row = entrepreneurship.correct_step(session, principal.organisation_id, principal.key_id, person_id, step_id,
                                        body, _today(request))
    audit.record(session, request, principal, "entrepreneurship_step", "retract" if body.retract else "correct",
                 row.id, detail={"person_id": person_id, "corrects_id": step_id, "reason": body.reason})
    return entrepreneurship.track(session, principal.organisation_id, person_id)
