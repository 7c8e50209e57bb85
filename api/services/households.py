"""Use case: households (一家一册) — link people into a family record and tell whether the family is a
zero-employment family (零就业家庭) now and since when, from the members' placements.

The status is derived on every read (matching/pathway/households.py holds the definition): from the
memberships, the members' birth years (statutory working age, used only for this legal definition,
``working_age`` = (min, max) years from the settings) and their placements as P1's placements service
derives them from hired outcomes and follow-ups. Nothing about the status is stored.

A person belongs to one household at most. Removing a member ends the membership (``left_on``) and keeps
the row, so the household's history still counts their time in it; adding a person whose membership of
another household has ended moves that row to the new household (the old household's history then no
longer shows them — the record follows the person, as the family register does).
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.deps import load_owned_person
from api.errors import Problem, not_found
from api.security import new_id
from api.services.enrolments import conflict, invalid, local_today
from api.services.placements import placements
from api.tenancy import owned
from matching.pathway import households as rules
from models.household import (
    HouseholdIn,
    HouseholdMemberIn,
    HouseholdMemberOut,
    HouseholdOut,
    HouseholdStatusCode,
    HouseholdSummary,
    StatusChange,
)
from models.tables import Person
from models.tables_households import Household, HouseholdMember


@dataclass(frozen=True)
class StatusRules:
    """What the status depends on besides the records: today's date in the centre, the statutory working
    age range [min, max) in years, and the months after which a placement counts as stable work."""

    today: date
    working_age: tuple[int, int]
    stable_months: int

    @classmethod
    def from_settings(cls, settings) -> "StatusRules":
        """Today in ``settings.timezone`` and the ``working_age_min/max`` and ``stable_employment_months``
        settings (api/settings.py)."""
        return cls(local_today(settings.timezone), (settings.working_age_min, settings.working_age_max),
                   settings.stable_employment_months)


def load_household(session: Session, organisation_id: str, household_id: str) -> Household:
    household = owned(session, organisation_id, Household, household_id)
    if household is None:
        raise not_found("household", household_id)
    return household


def _member_person(session: Session, organisation_id: str, person_id: str, field: str) -> Person:
    try:
        return load_owned_person(session, organisation_id, person_id)
    except Problem as problem:
        if problem.status == 404:
            raise invalid(field, f"no person {person_id!r} in your organisation; check the id") from None
        raise


def _join(session: Session, household: Household, key_id: str, member: HouseholdMemberIn, today: date,
          field: str) -> HouseholdMember:
    person = _member_person(session, household.organisation_id, member.person_id, f"{field}.person_id")
    joined_on = member.joined_on or today
    if joined_on > today:
        raise invalid(f"{field}.joined_on", f"{joined_on} is in the future; give the day the person joined "
                                            "the household, or leave it out for today")
    existing = session.scalar(select(HouseholdMember).where(HouseholdMember.person_id == person.id))
    if existing is not None:
        if existing.left_on is None:
            where = "this household" if existing.household_id == household.id else f"household {existing.household_id}"
            raise conflict(f"{field}.person_id", f"person {person.id} is already a member of {where}; a person "
                                                 "belongs to one household: remove them there first")
        if joined_on < existing.left_on:
            raise invalid(f"{field}.joined_on", f"person {person.id} left household {existing.household_id} on "
                                                f"{existing.left_on}; they can join another from that day on")
        session.delete(existing)
        session.flush()
    row = HouseholdMember(id=new_id("hm"), organisation_id=household.organisation_id, household_id=household.id,
                          person_id=person.id, relation=member.relation.value if member.relation else None,
                          joined_on=joined_on, recorded_by=key_id, recorded_at=datetime.now(timezone.utc))
    session.add(row)
    session.flush()
    return row


def create_household(session: Session, organisation_id: str, key_id: str, body: HouseholdIn,
                     today: date) -> Household:
    """A household with its first members (409 for an external id already used or a person already in
    another household; 422 for a person listed twice)."""
    seen: dict[str, int] = {}
    for index, member in enumerate(body.members):
        if member.person_id in seen:
            raise invalid(f"members.{index}.person_id", f"person {member.person_id} is listed twice (also as "
                                                       f"members.{seen[member.person_id]}); list each person once")
        seen[member.person_id] = index
    if body.external_id is not None and session.scalar(select(Household.id).where(
            Household.organisation_id == organisation_id, Household.external_id == body.external_id)):
        raise conflict("external_id", f"household {body.external_id!r} is already recorded; add members to it "
                                      "instead")
    household = Household(id=new_id("hh"), organisation_id=organisation_id, external_id=body.external_id,
                          district=body.district, created_by=key_id, created_at=datetime.now(timezone.utc))
    session.add(household)
    try:
        session.flush()
    except IntegrityError:  # the same external id created at the same moment by another request
        raise conflict("external_id", f"household {body.external_id!r} is already recorded") from None
    for index, member in enumerate(body.members):
        _join(session, household, key_id, member, today, f"members.{index}")
    return household


def add_member(session: Session, organisation_id: str, key_id: str, household_id: str, body: HouseholdMemberIn,
               today: date) -> HouseholdMember:
    household = load_household(session, organisation_id, household_id)
    return _join(session, household, key_id, body, today, "body")


def remove_member(session: Session, organisation_id: str, household_id: str, person_id: str,
                  left_on: date | None, today: date) -> HouseholdMember:
    """End a person's membership on ``left_on`` (default today); the row stays for the history."""
    household = load_household(session, organisation_id, household_id)
    member = session.scalar(select(HouseholdMember).where(HouseholdMember.household_id == household.id,
                                                          HouseholdMember.person_id == person_id))
    if member is None:
        raise not_found("household member", person_id)
    if member.left_on is not None:
        raise conflict("person_id", f"person {person_id} already left this household on {member.left_on}")
    left_on = left_on or today
    if left_on > today:
        raise invalid("left_on", f"{left_on} is in the future; record the move once it has happened")
    if left_on <= member.joined_on:
        raise invalid("left_on", f"{left_on} is not after the day the person joined ({member.joined_on})")
    member.left_on = left_on
    session.flush()
    return member


# --- status ----------------------------------------------------------------------------------------------

def _employment(session: Session, organisation_id: str, person_ids: Iterable[str],
                stable_months: int) -> dict[str, list[rules.Employment]]:
    wanted = set(person_ids)
    jobs: dict[str, list[rules.Employment]] = defaultdict(list)
    for view in placements(session, organisation_id, stable_months=stable_months):
        if view.person_id in wanted:
            stable_from = rules.add_months(view.start_date, stable_months) if view.stable else None
            jobs[view.person_id].append(rules.Employment(view.person_id, view.start_date, view.ended_on,
                                                         stable_from))
    return jobs


def _memberships(members: Iterable[HouseholdMember], people: dict[str, Person]) -> list[rules.Membership]:
    return [rules.Membership(m.person_id, m.joined_on, m.left_on, people[m.person_id].birth_year)
            for m in members if m.person_id in people]


def _members_of(session: Session, household_ids: list[str]) -> dict[str, list[HouseholdMember]]:
    rows = session.scalars(select(HouseholdMember).where(HouseholdMember.household_id.in_(household_ids))
                           .order_by(HouseholdMember.joined_on, HouseholdMember.id))
    grouped: dict[str, list[HouseholdMember]] = defaultdict(list)
    for row in rows:
        grouped[row.household_id].append(row)
    return grouped


def _people(session: Session, members: Iterable[HouseholdMember]) -> dict[str, Person]:
    ids = {m.person_id for m in members}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids), Person.erased_at.is_(None)))}


def _summaries(session: Session, households: list[Household], when: StatusRules,
               ) -> list[tuple[Household, list[HouseholdMember], dict[str, Person], list[rules.Change]]]:
    members = _members_of(session, [h.id for h in households])
    people = _people(session, [m for rows in members.values() for m in rows])
    jobs = _employment(session, households[0].organisation_id, people, when.stable_months) if households else {}
    out = []
    for household in households:
        rows = members.get(household.id, [])
        memberships = _memberships(rows, people)
        person_jobs = [j for m in memberships for j in jobs.get(m.person_id, [])]
        out.append((household, rows, people,
                    rules.history(memberships, person_jobs, when.today, when.working_age)))
    return out


def _summary(household: Household, rows: list[HouseholdMember], changes: list[rules.Change],
             today: date) -> dict:
    current = changes[-1] if changes else None
    return {"id": household.id, "external_id": household.external_id, "district": household.district,
            "status": current.status.status if current else rules.NO_WORKING_AGE,
            "status_since": current.since if current else None,
            "members": sum(1 for m in rows if m.joined_on <= today and (m.left_on is None or today < m.left_on))}


def household_out(session: Session, household: Household, when: StatusRules) -> HouseholdOut:
    """The household with its members, today's status and the history of its status."""
    [(household, rows, people, changes)] = _summaries(session, [household], when)
    today = changes[-1].status if changes else rules.Status(rules.NO_WORKING_AGE)
    ordered = [m for m in rows if m.left_on is None] + [m for m in rows if m.left_on is not None]
    return HouseholdOut.model_validate({
        **_summary(household, rows, changes, when.today), "created_by": household.created_by,
        "created_at": household.created_at,
        "people": [HouseholdMemberOut(
            person_id=m.person_id, external_id=people[m.person_id].external_id, name=people[m.person_id].name,
            relation=m.relation, joined_on=m.joined_on, left_on=m.left_on,
            working_age=rules.is_working_age(people[m.person_id].birth_year, when.today, when.working_age),
            employed=m.left_on is None and m.person_id in today.employed_members,
            stable=m.left_on is None and m.person_id in today.stable_members)
            for m in ordered if m.person_id in people],
        "history": [StatusChange(since=c.since, status=c.status.status,
                                 employed_members=list(c.status.employed_members),
                                 stable_members=list(c.status.stable_members)) for c in changes],
    })


def list_households(session: Session, organisation_id: str, when: StatusRules, limit: int, offset: int,
                    status: HouseholdStatusCode | None = None,
                    district: str | None = None) -> tuple[list[HouseholdSummary], int]:
    """Households of the organisation with today's status, oldest record first; ``status`` filters on the
    derived status (so every household is assessed before the page is cut)."""
    query = select(Household).where(Household.organisation_id == organisation_id)
    if district is not None:
        query = query.where(Household.district == district)
    households = list(session.scalars(query.order_by(Household.created_at, Household.id)))
    summaries = [HouseholdSummary.model_validate(_summary(h, rows, changes, when.today))
                 for h, rows, _, changes in _summaries(session, households, when)]
    if status is not None:
        summaries = [s for s in summaries if s.status == status]
    return summaries[offset:offset + limit], len(summaries)


def zero_employment_households(session: Session, organisation_id: str, person_ids: Iterable[str],
                               when: StatusRules) -> dict[str, str]:
    """For the batch allocator's household priority: person id → household id, for those of
    ``person_ids`` who are current members of a household that is a zero-employment family today."""
    ids = set(person_ids)
    members = session.scalars(select(HouseholdMember).where(HouseholdMember.organisation_id == organisation_id,
                                                            HouseholdMember.person_id.in_(ids),
                                                            HouseholdMember.left_on.is_(None)))
    by_household = {m.person_id: m.household_id for m in members}
    households = list(session.scalars(select(Household).where(Household.id.in_(set(by_household.values())))))
    zero = {h.id for h, _, _, changes in _summaries(session, households, when)
            if changes and changes[-1].status.status == rules.ZERO_EMPLOYMENT}
    return {person: household for person, household in by_household.items() if household in zero}


def household_of(session: Session, organisation_id: str, person_id: str) -> Household | None:
    """The household a person currently belongs to, if any (for the case file)."""
    member = session.scalar(select(HouseholdMember).where(HouseholdMember.organisation_id == organisation_id,
                                                          HouseholdMember.person_id == person_id,
                                                          HouseholdMember.left_on.is_(None)))
    return session.get(Household, member.household_id) if member else None
