"""Use case: record follow-up contacts after a placement (回访), correct or withdraw one, list them, and
the list of placements whose monthly follow-up is due.

Rules (422 naming the field): the contact is not in the future and not before the first day at work;
``left`` needs left_on and left_reason; left_on lies between the start and the contact; a still-employed
contact has no left_on. A contact after the placement has ended (an effective ``left``) is a 409: a new
job is a new hired outcome.
"""
from datetime import date, datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import not_found
from api.security import new_id
from api.services.enrolments import conflict, corrector_of, effective, invalid
from api.services.outcomes import effective_hire, hire_chain_ids
from api.services.referrals import not_in_future, owned_person_field
from api.tenancy import owned
from models.pathway import FollowUpCorrectionIn, FollowUpFields, FollowUpIn, FollowUpOut, FollowUpStatus
from models.tables_referrals import FollowUp, OutcomeEvent


def _check(session: Session, hire: OutcomeEvent, fields: FollowUpFields, today: date, prefix: str = "",
           except_id: str | None = None) -> None:
    not_in_future(f"{prefix}contacted_on", fields.contacted_on, today)
    if fields.contacted_on < hire.start_date:
        raise invalid(f"{prefix}contacted_on", f"{fields.contacted_on} is before the first day at work "
                                               f"({hire.start_date}); give the day of the contact")
    if fields.status is FollowUpStatus.left:
        for name in ("left_on", "left_reason"):
            if getattr(fields, name) is None:
                raise invalid(f"{prefix}{name}", f"a contact saying the person left work needs {name}")
    elif fields.status is FollowUpStatus.still_employed:
        for name in ("left_on", "left_reason"):
            if getattr(fields, name) is not None:
                raise invalid(f"{prefix}{name}", f"a still-employed contact has no {name}; remove it or use "
                                                 "status left or changed_job")
    if fields.left_on is not None and not hire.start_date <= fields.left_on <= fields.contacted_on:
        raise invalid(f"{prefix}left_on", f"{fields.left_on} must lie between the first day at work "
                                          f"({hire.start_date}) and the contact ({fields.contacted_on})")
    query = effective(FollowUp, select(FollowUp).where(FollowUp.placement_id.in_(hire_chain_ids(session, hire)),
                                                       FollowUp.status == FollowUpStatus.left.value))
    if except_id is not None:
        query = query.where(FollowUp.id != except_id)
    ended = session.scalars(query.order_by(FollowUp.contacted_on)).first()
    if ended is not None and fields.contacted_on >= ended.contacted_on:
        raise conflict(f"{prefix}contacted_on", f"the placement ended on {ended.left_on} (follow-up {ended.id}); "
                                                "record a new hired outcome if the person started work again, "
                                                "or correct that follow-up")


def _row(hire: OutcomeEvent, key_id: str, fields: FollowUpFields, **append_only) -> FollowUp:
    values = fields.model_dump()
    return FollowUp(id=new_id("fu"), organisation_id=hire.organisation_id, person_id=hire.person_id,
                    placement_id=hire.id, recorded_by=key_id, recorded_at=datetime.now(timezone.utc),
                    **{k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}, **append_only)


def record_followup(session: Session, organisation_id: str, key_id: str, body: FollowUpIn,
                    today: date) -> FollowUp:
    """Record a follow-up contact of placement ``body.placement_id`` (the hired outcome; a corrected
    hire is followed to its current version). Never commits."""
    owned_person_field(session, organisation_id, body.person_id)
    hire = effective_hire(session, organisation_id, body.placement_id, "placement_id")
    if hire.person_id != body.person_id:
        raise invalid("placement_id", f"placement {body.placement_id} belongs to another person; check the ids")
    fields = FollowUpFields.model_validate(body.model_dump(exclude={"person_id", "placement_id"}))
    _check(session, hire, fields, today)
    row = _row(hire, key_id, fields)
    session.add(row)
    session.flush()
    return row


def load_followup(session: Session, organisation_id: str, followup_id: str) -> FollowUp:
    row = owned(session, organisation_id, FollowUp, followup_id)
    if row is None:
        raise not_found("follow-up", followup_id)
    return row


def correct_followup(session: Session, organisation_id: str, key_id: str, followup_id: str,
                     body: FollowUpCorrectionIn, today: date) -> FollowUp:
    """A new row replacing or withdrawing follow-up ``followup_id``; the original stays. Never commits."""
    original = load_followup(session, organisation_id, followup_id)
    later = corrector_of(session, FollowUp, original.id)
    if later is not None:
        raise conflict("followup_id", f"follow-up {original.id} was already corrected by {later.id}; "
                                      "correct that one")
    if original.retracted:
        raise conflict("followup_id", f"follow-up {original.id} is a withdrawal; record a new follow-up instead")
    hire = effective_hire(session, organisation_id, original.placement_id, "followup_id")
    append_only = {"corrects_id": original.id, "correction_reason": body.reason}
    if body.retract:
        if body.replacement is not None:
            raise invalid("replacement", "give a replacement or retract: true, not both")
        fields = FollowUpFields.model_validate({k: getattr(original, k) for k in FollowUpFields.model_fields})
        row = _row(hire, key_id, fields, retracted=True, **append_only)
    else:
        if body.replacement is None:
            raise invalid("replacement", "give the corrected contact in replacement, or retract: true to "
                                         "withdraw it")
        _check(session, hire, body.replacement, today, "replacement.", except_id=original.id)
        row = _row(hire, key_id, body.replacement, **append_only)
    session.add(row)
    session.flush()
    return row


def followup_out(session: Session, row: FollowUp) -> FollowUpOut:
    return FollowUpOut.model_validate({
        **{c.key: getattr(row, c.key) for c in FollowUp.__table__.columns},
        "effective": not row.retracted and corrector_of(session, FollowUp, row.id) is None})


def list_followups(session: Session, organisation_id: str, limit: int, offset: int, person_id: str | None = None,
                   placement_id: str | None = None) -> tuple[list[FollowUpOut], int]:
    """Effective follow-ups, latest contact first, and the total. ``placement_id`` matches the hire and
    the versions it corrects."""
    query = effective(FollowUp, select(FollowUp).where(FollowUp.organisation_id == organisation_id))
    if person_id is not None:
        query = query.where(FollowUp.person_id == person_id)
    if placement_id is not None:
        hire = owned(session, organisation_id, OutcomeEvent, placement_id)
        ids = hire_chain_ids(session, hire) if hire is not None else [placement_id]
        query = query.where(FollowUp.placement_id.in_(ids))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(FollowUp.contacted_on.desc(), FollowUp.recorded_at.desc(), FollowUp.id)
                           .limit(limit).offset(offset))
    return [followup_out(session, r) for r in rows], total
