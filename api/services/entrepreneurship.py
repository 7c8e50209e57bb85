"""Use case: the 创业 (entrepreneurship) track of a person — entrepreneurship training passed or failed
(enrolments of kind ``entrepreneurship_training`` with their events, see api/services/enrolments.py), and
the recorded steps: referral to start-up support, the guaranteed start-up loan (创业担保贷款, formerly
小额担保贷款) applied for and decided, the business registered.

Steps are append-only like every pathway record (corrections and withdrawals are new rows). A loan
decision needs an application recorded before it that has no decision yet, so the track always reads
in order.
"""
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import load_owned_person
from api.errors import not_found
from api.security import new_id
from api.services.enrolments import conflict, corrector_of, effective, invalid, person_enrolments
from api.tenancy import owned
from models.tables_training import EntrepreneurshipStep
from models.training_path import (
    EnrolmentKind,
    EntrepreneurshipStepCorrectionIn,
    EntrepreneurshipStepIn,
    EntrepreneurshipStepKind,
    EntrepreneurshipStepOut,
    EntrepreneurshipTrack,
)

_DECISIONS = (EntrepreneurshipStepKind.microcredit_approved, EntrepreneurshipStepKind.microcredit_declined)


def _steps(session: Session, organisation_id: str, person_id: str) -> list[EntrepreneurshipStep]:
    query = effective(EntrepreneurshipStep, select(EntrepreneurshipStep).where(
        EntrepreneurshipStep.organisation_id == organisation_id, EntrepreneurshipStep.person_id == person_id))
    return list(session.scalars(query.order_by(EntrepreneurshipStep.occurred_on, EntrepreneurshipStep.recorded_at)))


def _check(steps: list[EntrepreneurshipStep], body: EntrepreneurshipStepIn, today: date, prefix: str = "") -> None:
    """422 for a date in the future; 409 for a loan decision without an undecided application before it."""
    if body.occurred_on > today:
        raise invalid(f"{prefix}occurred_on", f"{body.occurred_on} is in the future; record a step once it has "
                                              "happened")
    if body.step in _DECISIONS:
        earlier = [s for s in steps if s.occurred_on <= body.occurred_on]
        applications = sum(s.step == EntrepreneurshipStepKind.microcredit_application for s in earlier)
        decisions = sum(s.step in _DECISIONS for s in steps)
        if applications <= decisions:
            raise conflict(f"{prefix}step", "there is no loan application on or before this date that is still "
                                            "waiting for a decision; record the application "
                                            "(microcredit_application) first")


def _new(organisation_id: str, person_id: str, key_id: str, body: EntrepreneurshipStepIn,
         **columns) -> EntrepreneurshipStep:
    return EntrepreneurshipStep(id=new_id("ent"), organisation_id=organisation_id, person_id=person_id,
                                step=body.step.value, occurred_on=body.occurred_on, note=body.note,
                                recorded_by=key_id, recorded_at=datetime.now(timezone.utc), **columns)


def record_step(session: Session, organisation_id: str, key_id: str, person_id: str, body: EntrepreneurshipStepIn,
                today: date) -> EntrepreneurshipStep:
    load_owned_person(session, organisation_id, person_id)
    _check(_steps(session, organisation_id, person_id), body, today)
    row = _new(organisation_id, person_id, key_id, body)
    session.add(row)
    session.flush()
    return row


def correct_step(session: Session, organisation_id: str, key_id: str, person_id: str, step_id: str,
                 body: EntrepreneurshipStepCorrectionIn, today: date) -> EntrepreneurshipStep:
    """A new row replacing or withdrawing step ``step_id``; the original stays readable.

    Withdrawing an application that a decision depends on is refused (409): withdraw the decision first."""
    load_owned_person(session, organisation_id, person_id)
    original = owned(session, organisation_id, EntrepreneurshipStep, step_id)
    if original is None or original.person_id != person_id:
        raise not_found("entrepreneurship step", step_id)
    later = corrector_of(session, EntrepreneurshipStep, original.id)
    if later is not None or original.retracted:
        raise conflict("step_id", f"step {original.id} was already corrected or is a withdrawal; correct "
                                  f"{later.id if later else 'the current record'} instead")
    if body.retract == (body.replacement is not None):
        raise invalid("replacement", "give either replacement (the step as it should be) or retract: true")
    others = [s for s in _steps(session, organisation_id, person_id) if s.id != original.id]
    common = {"corrects_id": original.id, "correction_reason": body.reason}
    if body.retract:
        kept = EntrepreneurshipStepIn.model_validate({"step": original.step, "occurred_on": original.occurred_on,
                                                      "note": original.note})
        applications = sum(s.step == EntrepreneurshipStepKind.microcredit_application for s in others)
        if original.step == EntrepreneurshipStepKind.microcredit_application and \
                applications < sum(s.step in _DECISIONS for s in others):
            raise conflict("retract", "a loan decision rests on this application; withdraw the decision first")
        row = _new(organisation_id, person_id, key_id, kept, retracted=True, **common)
    else:
        _check(others, body.replacement, today, prefix="replacement.")
        row = _new(organisation_id, person_id, key_id, body.replacement, **common)
    session.add(row)
    session.flush()
    return row


def track(session: Session, organisation_id: str, person_id: str) -> EntrepreneurshipTrack:
    """The person's entrepreneurship training and steps, and where the track stands."""
    load_owned_person(session, organisation_id, person_id)
    trainings = person_enrolments(session, organisation_id, person_id, [EnrolmentKind.entrepreneurship_training])
    steps = _steps(session, organisation_id, person_id)
    loan = None
    for step in steps:
        if step.step == EntrepreneurshipStepKind.microcredit_application:
            loan = "applied"
        elif step.step == EntrepreneurshipStepKind.microcredit_approved:
            loan = "approved"
        elif step.step == EntrepreneurshipStepKind.microcredit_declined:
            loan = "declined"
    return EntrepreneurshipTrack(
        person_id=person_id, trainings=trainings,
        steps=[EntrepreneurshipStepOut.model_validate(s) for s in steps],
        training_passed=any(t.result == "passed" for t in trainings), microcredit=loan,
        business_registered=any(s.step == EntrepreneurshipStepKind.business_registered for s in steps))
