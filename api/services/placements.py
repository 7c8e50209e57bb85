"""Use case: placements and what the follow-ups say about them, failed applications, and the
follow-up due list. Everything here is derived from the effective records, never typed in; the
retention rule is in :mod:`matching.pathway.retention`.

``failed_applications`` counts a person's referrals (since a day) that failed: the latest effective
outcome is ``rejected`` (by either side) or ``no_response``, or no outcome at all was recorded and the
referral is more than ``settings.no_response_days`` old (the employer never answered).
"""
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.enrolments import effective, local_today
from api.settings import get_settings
from matching.pathway import retention
from models.pathway import RETENTION_MONTHS, DueFollowUp, OutcomeKind, PlacementView
from models.tables import Person, Vacancy
from models.tables_referrals import FollowUp, OutcomeEvent, Referral

DUE_GRACE_DAYS = 7  # a monthly contact made within a week of its day is on time; later it is overdue


def _hires(session: Session, organisation_id: str, person_id: str | None) -> list[OutcomeEvent]:
    query = effective(OutcomeEvent, select(OutcomeEvent).where(OutcomeEvent.organisation_id == organisation_id,
                                                               OutcomeEvent.kind == OutcomeKind.hired.value))
    if person_id is not None:
        query = query.where(OutcomeEvent.person_id == person_id)
    return list(session.scalars(query.order_by(OutcomeEvent.start_date, OutcomeEvent.id)))


def _contacts(session: Session, organisation_id: str, hires: list[OutcomeEvent],
              person_id: str | None) -> dict[str, list[retention.Contact]]:
    """Effective follow-ups per effective hire id (a follow-up naming an older version of a corrected
    hire belongs to the hire it was corrected into)."""
    owner = {}
    for hire in hires:
        row = hire
        owner[row.id] = hire.id
        while row.corrects_id is not None:
            row = session.get(OutcomeEvent, row.corrects_id)
            owner[row.id] = hire.id
    query = effective(FollowUp, select(FollowUp).where(FollowUp.organisation_id == organisation_id))
    if person_id is not None:
        query = query.where(FollowUp.person_id == person_id)
    found: dict[str, list[retention.Contact]] = defaultdict(list)
    for f in session.scalars(query.order_by(FollowUp.contacted_on, FollowUp.recorded_at)):
        if f.placement_id in owner:
            found[owner[f.placement_id]].append(retention.Contact(f.contacted_on, f.status, f.left_on))
    return found


def placements(session: Session, organisation_id: str, person_id: str | None = None, *,
               stable_months: int | None = None) -> list[PlacementView]:
    """Every effective hire of the organisation (or of one person), earliest start first, with its end,
    retention at 1/3/6/12 months and whether it is stable employment (still in work at
    ``stable_months``, default ``settings.stable_employment_months``)."""
    months = stable_months or get_settings().stable_employment_months
    hires = _hires(session, organisation_id, person_id)
    contacts = _contacts(session, organisation_id, hires, person_id)
    views = []
    for hire in hires:
        seen = contacts.get(hire.id, [])
        views.append(PlacementView(
            placement_id=hire.id, person_id=hire.person_id, vacancy_id=hire.vacancy_id, start_date=hire.start_date,
            placement_route=hire.placement_route, ended_on=retention.ended_on(seen),
            retained=retention.retention(hire.start_date, seen, RETENTION_MONTHS),
            stable=retention.retained_at(hire.start_date, seen, months)))
    return views


def failed_applications(session: Session, organisation_id: str, person_id: str, since: date | None, *,
                        today: date | None = None, no_response_days: int | None = None) -> int:
    """How many of the person's effective referrals made on or after ``since`` (all when None) failed
    (see the module docstring)."""
    settings = get_settings()
    today = today or local_today(settings.timezone)
    stale_before = today - timedelta(days=no_response_days or settings.no_response_days)
    query = effective(Referral, select(Referral.id, Referral.referred_on).where(
        Referral.organisation_id == organisation_id, Referral.person_id == person_id))
    if since is not None:
        query = query.where(Referral.referred_on >= since)
    referrals = dict(session.execute(query).all())
    if not referrals:
        return 0
    latest: dict[str, str] = {}
    outcomes = session.execute(effective(OutcomeEvent, select(OutcomeEvent.referral_id, OutcomeEvent.kind).where(
        OutcomeEvent.referral_id.in_(list(referrals)))).order_by(OutcomeEvent.occurred_on, OutcomeEvent.recorded_at))
    for referral_id, kind in outcomes:
        latest[referral_id] = kind
    failed = {OutcomeKind.rejected.value, OutcomeKind.no_response.value}
    return sum(1 for rid, referred_on in referrals.items()
               if latest.get(rid) in failed or (rid not in latest and referred_on < stale_before))


def due_followups(session: Session, organisation_id: str, today: date) -> list[DueFollowUp]:
    """Placements still running whose monthly follow-up (first year) is due or overdue on ``today``,
    most overdue first."""
    hires = [h for h in _hires(session, organisation_id, None) if h.start_date <= today]
    contacts = _contacts(session, organisation_id, hires, None)
    due = []
    for hire in hires:
        seen = contacts.get(hire.id, [])
        found = retention.next_due(hire.start_date, seen, today)
        if found is not None:
            due.append((hire, found, max((c.contacted_on for c in seen), default=None)))
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_({h.person_id for h, _, _ in due})))}
    vacancies = {v.id: v for v in session.scalars(select(Vacancy).where(
        Vacancy.id.in_({h.vacancy_id for h, _, _ in due if h.vacancy_id})))}
    out = []
    for hire, found, last in due:
        person, vacancy = people[hire.person_id], vacancies.get(hire.vacancy_id)
        if person.erased_at is not None:
            continue
        out.append(DueFollowUp(
            placement_id=hire.id, person_id=hire.person_id, person_name=person.name, external_id=person.external_id,
            vacancy_id=hire.vacancy_id, employer=vacancy.employer if vacancy else None,
            vacancy_title=vacancy.title if vacancy else None, start_date=hire.start_date, month=found.month,
            due_on=found.due_on, days_overdue=found.days_overdue, overdue=found.days_overdue > DUE_GRACE_DAYS,
            last_contacted_on=last))
    out.sort(key=lambda d: (-d.days_overdue, d.placement_id))
    return out
