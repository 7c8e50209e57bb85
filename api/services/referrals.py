"""Use case: refer a person to a vacancy (推荐), list and read referrals, and the referral letter's facts.

A referral made from a ranking (``match_id``) copies the item's rank, score, exploration flag and
propensity and the ranking's matcher and model versions from ``ranking_logs``; the client cannot send
them. The same person referred to the same vacancy on the same day twice is a 409 (a retried request
with the same Idempotency-Key gets the first answer from the middleware instead).
"""
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.deps import load_owned_person
from api.errors import Problem, not_found
from api.security import new_id
from api.services.enrolments import conflict, corrector_of, effective, invalid
from api.tenancy import owned
from models.pathway import ReferralCorrectionIn, ReferralFields, ReferralIn, ReferralOut, ReferralSource
from models.tables import ApiKey, Organisation, Person, Vacancy
from models.tables_referrals import OutcomeEvent, RankingLog, Referral


def owned_person_field(session: Session, organisation_id: str, person_id: str) -> Person:
    """The organisation's person named in a request body: 422 naming ``person_id`` when there is none
    (a body field, not the path), 410 when erased."""
    try:
        return load_owned_person(session, organisation_id, person_id)
    except Problem as problem:
        if problem.status == 404:
            raise invalid("person_id", f"no person {person_id!r} in your organisation; check the id "
                                       "(GET /v1/persons)") from None
        raise


def not_in_future(field: str, day: date, today: date) -> None:
    if day > today:
        raise invalid(field, f"{day} is after today ({today}); give the day it happened (YYYY-MM-DD)")


def reference_number(row: Referral) -> str:
    """The number printed on the letter: referral day and the id's first 8 hex digits (unique enough
    for a phone call; the id itself is the key)."""
    return f"TJ{row.referred_on:%Y%m%d}-{row.id.split('_', 1)[-1][:8].upper()}"


def _from_ranking(session: Session, organisation_id: str, person_id: str, body: ReferralFields,
                  prefix: str = "") -> dict:
    """The rank, score, exploration, propensity and versions of ``body.vacancy_id`` in its ranking."""
    log = owned(session, organisation_id, RankingLog, body.match_id)
    if log is None:
        raise invalid(f"{prefix}match_id", f"no ranking {body.match_id!r} in your organisation; use the "
                                           "match_id of a POST /v1/matches answer, or leave match_id out")
    if log.person_id != person_id:
        raise invalid(f"{prefix}match_id", f"ranking {log.id} was made for another person; use this person's")
    if log.kind != "vacancy":
        raise invalid(f"{prefix}match_id", f"ranking {log.id} lists {log.kind}s, not vacancies; use a vacancy "
                                           "ranking")
    item = next((i for i in log.items if i["item_id"] == body.vacancy_id), None)
    if item is None:
        raise invalid(f"{prefix}vacancy_id", f"vacancy {body.vacancy_id} is not in ranking {log.id}; pick a "
                                             "vacancy from that list, or leave match_id out")
    return {"rank": item["rank"], "score": item["score"], "exploration": bool(item.get("exploration", False)),
            "propensity": item.get("propensity", 1.0), "matcher_version": log.matcher_version,
            "model_version": log.model_version}


def _check(session: Session, organisation_id: str, person_id: str, body: ReferralFields, today: date,
           prefix: str = "", except_id: str | None = None) -> dict:
    """Check ``body`` for ``person_id``; returns the fields copied from its ranking (none without one)."""
    if owned(session, organisation_id, Vacancy, body.vacancy_id) is None:
        raise invalid(f"{prefix}vacancy_id", f"no vacancy {body.vacancy_id!r} in your organisation; check the id "
                                             "(GET /v1/vacancies)")
    not_in_future(f"{prefix}referred_on", body.referred_on, today)
    copied = _from_ranking(session, organisation_id, person_id, body, prefix) if body.match_id else {}
    query = effective(Referral, select(Referral.id).where(
        Referral.organisation_id == organisation_id, Referral.person_id == person_id,
        Referral.vacancy_id == body.vacancy_id, Referral.referred_on == body.referred_on))
    if except_id is not None:
        query = query.where(Referral.id != except_id)
    same = session.scalar(query)
    if same is not None:
        raise conflict(f"{prefix}vacancy_id", f"this person was already referred to that vacancy on "
                                              f"{body.referred_on} (referral {same}); record what came of it "
                                              "with POST /v1/outcomes")
    return copied


def _row(organisation_id: str, person_id: str, key_id: str, body: ReferralFields, copied: dict,
         **append_only) -> Referral:
    return Referral(id=new_id("ref"), organisation_id=organisation_id, person_id=person_id,
                    vacancy_id=body.vacancy_id, source=body.source.value, match_id=body.match_id,
                    referred_on=body.referred_on, note=body.note, recorded_by=key_id,
                    recorded_at=datetime.now(timezone.utc), **copied, **append_only)


def create_referral(session: Session, organisation_id: str, key_id: str, body: ReferralIn,
                    today: date) -> Referral:
    """Record a referral: 422 naming the field for an unknown person, vacancy or ranking or a day in the
    future, 410 for an erased person, 409 for the same referral recorded twice. Never commits."""
    owned_person_field(session, organisation_id, body.person_id)
    copied = _check(session, organisation_id, body.person_id, body, today)
    row = _row(organisation_id, body.person_id, key_id, body, copied)
    session.add(row)
    session.flush()
    return row


def correct_referral(session: Session, organisation_id: str, key_id: str, referral_id: str,
                     body: ReferralCorrectionIn, today: date) -> Referral:
    """A new row replacing (``replacement``) or withdrawing (``retract``) referral ``referral_id``; the
    original stays. 409 when it was already corrected or has an effective outcome (correct or withdraw
    the outcome first, so that no outcome is left pointing at a replaced referral). Never commits."""
    original = load_referral(session, organisation_id, referral_id)
    later = corrector_of(session, Referral, original.id)
    if later is not None:
        raise conflict("referral_id", f"referral {original.id} was already corrected by {later.id}; "
                                      "correct that one")
    if original.retracted:
        raise conflict("referral_id", f"referral {original.id} is a withdrawal; record a new referral instead")
    if _status(session, original.id) is not None:
        raise conflict("referral_id", f"referral {original.id} already has outcomes; correct or withdraw them "
                                      "first (POST /v1/outcomes/{id}/corrections)")
    append_only = {"corrects_id": original.id, "correction_reason": body.reason}
    if body.retract:
        if body.replacement is not None:
            raise invalid("replacement", "give a replacement or retract: true, not both")
        copied = {k: getattr(original, k) for k in ("rank", "score", "matcher_version", "model_version",
                                                    "exploration", "propensity")}
        fields = ReferralFields.model_validate({k: getattr(original, k) for k in ReferralFields.model_fields})
        row = _row(organisation_id, original.person_id, key_id, fields, copied, retracted=True, **append_only)
    else:
        if body.replacement is None:
            raise invalid("replacement", "give the corrected referral in replacement, or retract: true to "
                                         "withdraw it")
        copied = _check(session, organisation_id, original.person_id, body.replacement, today, "replacement.",
                        except_id=original.id)
        row = _row(organisation_id, original.person_id, key_id, body.replacement, copied, **append_only)
    session.add(row)
    session.flush()
    return row


def load_referral(session: Session, organisation_id: str, referral_id: str) -> Referral:
    row = owned(session, organisation_id, Referral, referral_id)
    if row is None:
        raise not_found("referral", referral_id)
    return row


def _status(session: Session, referral_id: str) -> str | None:
    return session.scalar(effective(OutcomeEvent, select(OutcomeEvent.kind).where(
        OutcomeEvent.referral_id == referral_id)).order_by(OutcomeEvent.occurred_on.desc(),
                                                            OutcomeEvent.recorded_at.desc()).limit(1))


def vacancies_by_id(session: Session, organisation_id: str, ids: set[str]) -> dict[str, Vacancy]:
    """The organisation's vacancies among ``ids``, by id (to name the job on a referral or outcome)."""
    rows = session.scalars(select(Vacancy).where(Vacancy.organisation_id == organisation_id, Vacancy.id.in_(ids)))
    return {v.id: v for v in rows}


def referral_out(session: Session, row: Referral) -> ReferralOut:
    return ReferralOut.model_validate({
        **{c.key: getattr(row, c.key) for c in Referral.__table__.columns},
        "reference": reference_number(row), "status": _status(session, row.id),
        "effective": not row.retracted and corrector_of(session, Referral, row.id) is None})


def list_referrals(session: Session, organisation_id: str, limit: int, offset: int,
                   person_id: str | None = None, vacancy_id: str | None = None,
                   source: ReferralSource | None = None) -> tuple[list[ReferralOut], int]:
    """Effective referrals, newest first, and the total."""
    query = effective(Referral, select(Referral).where(Referral.organisation_id == organisation_id))
    for column, value in ((Referral.person_id, person_id), (Referral.vacancy_id, vacancy_id),
                          (Referral.source, source)):
        if value is not None:
            query = query.where(column == value)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Referral.referred_on.desc(), Referral.recorded_at.desc(), Referral.id)
                           .limit(limit).offset(offset))
    return [referral_out(session, r) for r in rows], total


@dataclass(frozen=True)
class LetterFacts:
    """What the referral letter prints."""

    reference: str
    referred_on: date
    person_name: str
    person_external_id: str | None
    employer: str
    vacancy_title: str
    vacancy_district: str | None
    centre: str
    counsellor: str | None


def letter_facts(session: Session, organisation_id: str, referral_id: str) -> LetterFacts:
    """The facts of referral ``referral_id`` for its letter (404 unknown or another organisation's, 409
    corrected or withdrawn)."""
    row = load_referral(session, organisation_id, referral_id)
    if row.retracted or corrector_of(session, Referral, row.id) is not None:
        raise conflict("referral_id", f"referral {row.id} was corrected or withdrawn; print the letter of the "
                                      "referral that replaced it")
    person = load_owned_person(session, organisation_id, row.person_id)
    vacancy = session.get(Vacancy, row.vacancy_id)
    key = session.get(ApiKey, row.recorded_by)
    return LetterFacts(reference=reference_number(row), referred_on=row.referred_on,
                       person_name=person.name or person.external_id or person.id,
                       person_external_id=person.external_id, employer=vacancy.employer, vacancy_title=vacancy.title,
                       vacancy_district=vacancy.district, centre=session.get(Organisation, organisation_id).name,
                       counsellor=key.label if key is not None else None)
