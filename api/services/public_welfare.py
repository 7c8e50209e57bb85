"""Use case: public-welfare posts as the floor (公益性岗位托底安置).

Candidates are the organisation's priority people — hard to employ (就业困难人员), holding an employment
assistance card, or a current member of a household that is a zero-employment family today (the
person's own ``zero_employment_family`` flag counts too) — who have been in every pathway module from 2
to 6 (effective pathway steps) and are not in work now (no placement that has not ended). Someone placed
and later out of work again is a candidate again. Protected attributes play no part: the household
status uses age only for the statutory working-age definition, as api/services/households.py explains.

Offering a post is a referral to a vacancy flagged public_welfare; a placement on it is a hired outcome
with placement_route 'public_welfare': both are P1's records, read here.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.enrolments import effective
from api.services.households import StatusRules, zero_employment_households
from api.services.placements import placements
from models.public_welfare import PriorityReason, PublicWelfareCandidate, PublicWelfarePlacement
from models.tables import Person, Vacancy
from models.tables_pathway import PathwayStep
from models.tables_referrals import Referral

PATH_MODULES = (2, 3, 4, 5, 6)  # the modules a person goes through before the floor applies


@dataclass
class _Path:
    """The modules a person has been in, and when they first entered module 6."""

    seen: set[int] = field(default_factory=set)
    reached_6_on: date | None = None


def _reasons(person: Person, household_id: str | None) -> list[PriorityReason]:
    flags = person.priority or {}
    reasons = []
    if flags.get("hard_to_employ"):
        reasons.append(PriorityReason.hard_to_employ)
    if flags.get("assistance_card"):
        reasons.append(PriorityReason.assistance_card)
    if household_id is not None or flags.get("zero_employment_family"):
        reasons.append(PriorityReason.zero_employment_family)
    return reasons


def _paths(session: Session, organisation_id: str) -> dict[str, _Path]:
    steps = session.scalars(effective(PathwayStep, select(PathwayStep).where(
        PathwayStep.organisation_id == organisation_id)).order_by(PathwayStep.entered_on))
    paths: dict[str, _Path] = {}
    for step in steps:
        path = paths.setdefault(step.person_id, _Path())
        path.seen.add(step.module)
        if step.module == 6 and path.reached_6_on is None:
            path.reached_6_on = step.entered_on
    return paths


def _offers(session: Session, organisation_id: str) -> dict[str, list[date]]:
    """Effective referrals to public-welfare vacancies: person id → the days they were referred."""
    rows = session.execute(effective(Referral, select(Referral.person_id, Referral.referred_on).join(
        Vacancy, Vacancy.id == Referral.vacancy_id).where(Referral.organisation_id == organisation_id,
                                                         Vacancy.public_welfare.is_(True))))
    offers: dict[str, list] = {}
    for person_id, referred_on in rows:
        offers.setdefault(person_id, []).append(referred_on)
    return offers


def candidates(session: Session, organisation_id: str, when: StatusRules,
               include_incomplete: bool = False) -> list[PublicWelfareCandidate]:
    """Priority people through modules 2–6 and out of work, who waited longest (entered module 6 first)
    first. ``include_incomplete`` also lists priority people out of work who have not yet seen every
    module (``modules_missing`` says which), so a counsellor sees who is close."""
    people = list(session.scalars(select(Person).where(Person.organisation_id == organisation_id,
                                                       Person.erased_at.is_(None))))
    in_work = {p.person_id for p in placements(session, organisation_id, stable_months=when.stable_months)
               if p.start_date <= when.today and (p.ended_on is None or when.today < p.ended_on)}
    households = zero_employment_households(session, organisation_id, [p.id for p in people], when)
    paths, offers = _paths(session, organisation_id), _offers(session, organisation_id)
    found = []
    for person in people:
        reasons = _reasons(person, households.get(person.id))
        if not reasons or person.id in in_work:
            continue
        path = paths.get(person.id, _Path())
        missing = [m for m in PATH_MODULES if m not in path.seen]
        if missing and not include_incomplete:
            continue
        made = sorted(offers.get(person.id, []))
        found.append(PublicWelfareCandidate(
            person_id=person.id, external_id=person.external_id, name=person.name, district=person.district,
            reasons=reasons, household_id=households.get(person.id), modules_seen=sorted(path.seen),
            modules_missing=missing, reached_module_6_on=path.reached_6_on, public_welfare_offers=len(made),
            last_offer_on=made[-1] if made else None))
    found.sort(key=lambda c: (bool(c.modules_missing), c.reached_module_6_on is None,
                              c.reached_module_6_on or when.today, c.person_id))
    return found


def placed(session: Session, organisation_id: str, stable_months: int) -> list[PublicWelfarePlacement]:
    """Everyone placed on a public-welfare post (hired outcomes with placement_route 'public_welfare'),
    latest start first, with whether the placement ended and proved stable."""
    views = [p for p in placements(session, organisation_id, stable_months=stable_months)
             if p.placement_route == "public_welfare"]
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_({v.person_id for v in views})))}
    vacancies = {v.id: v for v in session.scalars(select(Vacancy).where(
        Vacancy.id.in_({v.vacancy_id for v in views if v.vacancy_id})))}
    out = []
    for view in sorted(views, key=lambda v: (v.start_date, v.placement_id), reverse=True):
        person, vacancy = people.get(view.person_id), vacancies.get(view.vacancy_id)
        out.append(PublicWelfarePlacement(
            placement_id=view.placement_id, person_id=view.person_id,
            external_id=person.external_id if person else None, name=person.name if person else None,
            vacancy_id=view.vacancy_id, vacancy_title=f"{vacancy.employer} · {vacancy.title}" if vacancy else None,
            start_date=view.start_date, ended_on=view.ended_on, stable=view.stable))
    return out
