"""Use case: record what came of an application (interview, offer, hired, rejected, no response,
withdrawn), list and read outcomes, and correct or withdraw one (the original stays on record).

Rules checked here (422 naming the field and the fix):
- every kind except ``hired`` belongs to a referral of the same person, on or after its referral day;
- ``hired`` needs start_date, contract_type and placement_route; a hire through a referral names it and
  has route ``referral``; other kinds may not carry the hire's fields;
- ``rejected`` needs rejected_by; reason codes belong to a rejection only;
- days are not in the future, except a hire's start_date (up to ``MAX_START_DAYS_AHEAD`` ahead).
A referral hired twice is a 409.
"""
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import not_found
from api.security import new_id
from api.services.enrolments import conflict, corrector_of, effective, invalid
from api.services.referrals import not_in_future, owned_person_field
from api.tenancy import owned
from models.pathway import OutcomeCorrectionIn, OutcomeFields, OutcomeIn, OutcomeKind, OutcomeOut, PlacementRoute
from models.tables import Vacancy
from models.tables_referrals import OutcomeEvent, Referral

MAX_START_DAYS_AHEAD = 92  # a hire is often recorded before the first day at work, not a quarter ahead
_HIRE_FIELDS = ("start_date", "contract_type", "monthly_pay", "weekly_hours", "placement_route")


def _check(session: Session, organisation_id: str, person_id: str, fields: OutcomeFields, today: date,
           prefix: str = "", except_id: str | None = None) -> str | None:
    """Check ``fields`` for ``person_id``; returns the vacancy id to store (the referral's by default)."""
    not_in_future(f"{prefix}occurred_on", fields.occurred_on, today)
    vacancy_id = fields.vacancy_id
    referral = None
    if fields.referral_id is not None:
        referral = owned(session, organisation_id, Referral, fields.referral_id)
        if referral is None or referral.person_id != person_id:
            raise invalid(f"{prefix}referral_id", f"no referral {fields.referral_id!r} of this person in your "
                                                  "organisation; check the id (GET /v1/referrals?person_id=…)")
        if fields.occurred_on < referral.referred_on:
            raise invalid(f"{prefix}occurred_on", f"{fields.occurred_on} is before the referral day "
                                                  f"{referral.referred_on}; give the day it happened")
        if vacancy_id is not None and vacancy_id != referral.vacancy_id:
            raise invalid(f"{prefix}vacancy_id", f"referral {referral.id} is for vacancy {referral.vacancy_id}; "
                                                 "leave vacancy_id out or give that one")
        vacancy_id = referral.vacancy_id
    elif fields.kind is not OutcomeKind.hired:
        raise invalid(f"{prefix}referral_id", f"a {fields.kind.value} outcome belongs to a referral: give "
                                              "referral_id (record an application the person made on their own "
                                              "with POST /v1/referrals, source self_application)")
    if vacancy_id is not None and owned(session, organisation_id, Vacancy, vacancy_id) is None:
        raise invalid(f"{prefix}vacancy_id", f"no vacancy {vacancy_id!r} in your organisation; check the id")
    if fields.kind is OutcomeKind.hired:
        _check_hire(session, fields, referral, today, prefix, except_id)
    else:
        for name in _HIRE_FIELDS:
            if getattr(fields, name) is not None:
                raise invalid(f"{prefix}{name}", f"only a hired outcome has {name}; remove it or use kind hired")
    if fields.kind is OutcomeKind.rejected:
        if fields.rejected_by is None:
            raise invalid(f"{prefix}rejected_by", "say who said no: employer or person")
    else:
        if fields.rejected_by is not None:
            raise invalid(f"{prefix}rejected_by", "only a rejected outcome has rejected_by; remove it")
        if fields.reason_codes:
            raise invalid(f"{prefix}reason_codes", "only a rejected outcome has reason codes; remove them")
    return vacancy_id


def _check_hire(session: Session, fields: OutcomeFields, referral: Referral | None, today: date, prefix: str,
                except_id: str | None) -> None:
    for name in ("start_date", "contract_type", "placement_route"):
        if getattr(fields, name) is None:
            raise invalid(f"{prefix}{name}", f"a hired outcome needs {name}")
    if fields.start_date > today + timedelta(days=MAX_START_DAYS_AHEAD):
        raise invalid(f"{prefix}start_date", f"{fields.start_date} is more than {MAX_START_DAYS_AHEAD} days ahead; "
                                             "give the first day at work (YYYY-MM-DD)")
    if referral is not None and fields.placement_route is not PlacementRoute.referral:
        raise invalid(f"{prefix}placement_route", "a hire through a referral has placement_route referral; "
                                                  "leave referral_id out for a job found another way")
    if referral is None and fields.placement_route is PlacementRoute.referral:
        raise invalid(f"{prefix}referral_id", "placement_route referral needs the referral's id in referral_id")
    if referral is not None:
        query = effective(OutcomeEvent, select(OutcomeEvent.id).where(OutcomeEvent.referral_id == referral.id,
                                                                      OutcomeEvent.kind == OutcomeKind.hired.value))
        if except_id is not None:
            query = query.where(OutcomeEvent.id != except_id)
        found = session.scalar(query)
        if found is not None:
            raise conflict(f"{prefix}referral_id", f"referral {referral.id} already has a hire (outcome {found}); "
                                                   "correct that one instead of adding another")


def _row(organisation_id: str, person_id: str, key_id: str, fields: OutcomeFields, vacancy_id: str | None,
         **append_only) -> OutcomeEvent:
    values = fields.model_dump(exclude={"vacancy_id", "reason_codes"})
    return OutcomeEvent(id=new_id("out"), organisation_id=organisation_id, person_id=person_id, vacancy_id=vacancy_id,
                        reason_codes=[c.value for c in fields.reason_codes], recorded_by=key_id,
                        recorded_at=datetime.now(timezone.utc),
                        **{k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}, **append_only)


def record_outcome(session: Session, organisation_id: str, key_id: str, body: OutcomeIn,
                   today: date) -> OutcomeEvent:
    """Record an outcome (see the module docstring for the rules). Never commits."""
    owned_person_field(session, organisation_id, body.person_id)
    fields = OutcomeFields.model_validate(body.model_dump(exclude={"person_id"}))
    vacancy_id = _check(session, organisation_id, body.person_id, fields, today)
    row = _row(organisation_id, body.person_id, key_id, fields, vacancy_id)
    session.add(row)
    session.flush()
    return row


def load_outcome(session: Session, organisation_id: str, outcome_id: str) -> OutcomeEvent:
    row = owned(session, organisation_id, OutcomeEvent, outcome_id)
    if row is None:
        raise not_found("outcome", outcome_id)
    return row


def correct_outcome(session: Session, organisation_id: str, key_id: str, outcome_id: str,
                    body: OutcomeCorrectionIn, today: date) -> OutcomeEvent:
    """A new row replacing (``replacement``) or withdrawing (``retract``) outcome ``outcome_id``; the
    original stays. 409 when that outcome was already corrected (correct the newer one). Never commits."""
    original = load_outcome(session, organisation_id, outcome_id)
    later = corrector_of(session, OutcomeEvent, original.id)
    if later is not None:
        raise conflict("outcome_id", f"outcome {original.id} was already corrected by {later.id}; correct that one")
    if original.retracted:
        raise conflict("outcome_id", f"outcome {original.id} is a withdrawal; record a new outcome instead")
    append_only = {"corrects_id": original.id, "correction_reason": body.reason}
    if body.retract:
        if body.replacement is not None:
            raise invalid("replacement", "give a replacement or retract: true, not both")
        fields = OutcomeFields.model_validate({
            **{k: getattr(original, k) for k in OutcomeFields.model_fields if k != "reason_codes"},
            "reason_codes": original.reason_codes})
        row = _row(organisation_id, original.person_id, key_id, fields, original.vacancy_id, retracted=True,
                   **append_only)
    else:
        if body.replacement is None:
            raise invalid("replacement", "give the corrected outcome in replacement, or retract: true to withdraw it")
        vacancy_id = _check(session, organisation_id, original.person_id, body.replacement, today, "replacement.",
                            except_id=original.id)
        row = _row(organisation_id, original.person_id, key_id, body.replacement, vacancy_id, **append_only)
    session.add(row)
    session.flush()
    return row


def outcome_out(session: Session, row: OutcomeEvent) -> OutcomeOut:
    return OutcomeOut.model_validate({
        **{c.key: getattr(row, c.key) for c in OutcomeEvent.__table__.columns},
        "effective": not row.retracted and corrector_of(session, OutcomeEvent, row.id) is None})


def list_outcomes(session: Session, organisation_id: str, limit: int, offset: int, person_id: str | None = None,
                  referral_id: str | None = None, kind: OutcomeKind | None = None) -> tuple[list[OutcomeOut], int]:
    """Effective outcomes, latest first, and the total."""
    query = effective(OutcomeEvent, select(OutcomeEvent).where(OutcomeEvent.organisation_id == organisation_id))
    for column, value in ((OutcomeEvent.person_id, person_id), (OutcomeEvent.referral_id, referral_id),
                          (OutcomeEvent.kind, kind)):
        if value is not None:
            query = query.where(column == value)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(OutcomeEvent.occurred_on.desc(), OutcomeEvent.recorded_at.desc(),
                                          OutcomeEvent.id).limit(limit).offset(offset))
    return [outcome_out(session, r) for r in rows], total


def effective_hire(session: Session, organisation_id: str, placement_id: str, field: str) -> OutcomeEvent:
    """The effective version of hired outcome ``placement_id`` (following corrections): 422 naming
    ``field`` when it is not a hire of the organisation, 409 when the hire was withdrawn."""
    row = owned(session, organisation_id, OutcomeEvent, placement_id)
    if row is None or row.kind != OutcomeKind.hired.value:
        raise invalid(field, f"no hired outcome {placement_id!r} in your organisation; give the id of the hire "
                             "(GET /v1/persons/{id}/placements)")
    while (later := corrector_of(session, OutcomeEvent, row.id)) is not None:
        row = later
    if row.retracted or row.kind != OutcomeKind.hired.value:
        raise conflict(field, f"the hire {placement_id} was withdrawn or corrected into a {row.kind} outcome; "
                              "follow-ups need a standing hire")
    return row


def hire_chain_ids(session: Session, row: OutcomeEvent) -> list[str]:
    """``row``'s id and the ids of the outcomes it corrects (follow-ups may name any of them)."""
    ids = [row.id]
    while row.corrects_id is not None:
        row = session.get(OutcomeEvent, row.corrects_id)
        ids.append(row.id)
    return ids
