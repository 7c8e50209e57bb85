"""Household employment status (一家一册): is a household a zero-employment family (零就业家庭) on a date,
and how its status changed over time.

A household is a zero-employment family while it has at least one working-age member and none of its
working-age members is employed. "Working-age" is the statutory range (人力资源社会保障部门的法定劳动年龄,
set per installation: ``working_age`` = (min, max), min ≤ age < max) and age is used ONLY for this legal
definition — never as a filter or a feature of any ranking. Age is known to the year only (the birth
year is what the record holds): a member's age on a date is ``date.year - birth_year``. A member whose
birth year is not recorded counts as working-age, so missing data never takes a family off the list.
The statutory range is one range for everyone: it deliberately does not differ by gender.

Employment comes from placements (hired outcomes): employed on ``d`` when ``start_date ≤ d`` and the
placement has not ended (``ended_on`` is the first day no longer employed). A placement known to be
stable (still employed at the stable-employment horizon) counts as stable work from ``stable_from``.

Statuses, most favourable last: ``no_working_age_members``, ``zero_employment``, ``employed`` (a
working-age member in work), ``stable`` (a working-age member in stable work, the policy's "at least one
member in stable employment").
"""
import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

ZERO_EMPLOYMENT = "zero_employment"
EMPLOYED = "employed"
STABLE = "stable"
NO_WORKING_AGE = "no_working_age_members"


@dataclass(frozen=True)
class Membership:
    """A person's time in the household: member on ``joined_on ≤ d < left_on`` (``left_on`` None: still)."""

    person_id: str
    joined_on: date
    left_on: date | None = None
    birth_year: int | None = None


@dataclass(frozen=True)
class Employment:
    """A placement: employed on ``start_date ≤ d < ended_on``; stable work from ``stable_from`` (None:
    not known to be stable)."""

    person_id: str
    start_date: date
    ended_on: date | None = None
    stable_from: date | None = None


@dataclass(frozen=True)
class Status:
    """The household on one date: ``status`` and the people behind it (ids, sorted)."""

    status: str
    working_age_members: tuple[str, ...] = field(default_factory=tuple)
    employed_members: tuple[str, ...] = field(default_factory=tuple)
    stable_members: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Change:
    """The status from ``since`` on (until the next change)."""

    since: date
    status: Status


def is_working_age(birth_year: int | None, on: date, working_age: tuple[int, int]) -> bool:
    """Whether a person born in ``birth_year`` is of statutory working age on ``on`` (unknown year: yes)."""
    if birth_year is None:
        return True
    low, high = working_age
    return low <= on.year - birth_year < high


def status_on(members: Iterable[Membership], jobs: Iterable[Employment], on: date,
              working_age: tuple[int, int]) -> Status:
    """The household's status on date ``on``."""
    current = [m for m in members if m.joined_on <= on and (m.left_on is None or on < m.left_on)]
    working = sorted({m.person_id for m in current if is_working_age(m.birth_year, on, working_age)})
    if not working:
        return Status(NO_WORKING_AGE)
    in_work = [j for j in jobs if j.person_id in working and j.start_date <= on
               and (j.ended_on is None or on < j.ended_on)]
    employed = sorted({j.person_id for j in in_work})
    stable = sorted({j.person_id for j in in_work if j.stable_from is not None and j.stable_from <= on})
    code = STABLE if stable else EMPLOYED if employed else ZERO_EMPLOYMENT
    return Status(code, tuple(working), tuple(employed), tuple(stable))


def history(members: Iterable[Membership], jobs: Iterable[Employment], until: date,
            working_age: tuple[int, int]) -> list[Change]:
    """Every change of status from the first member's joining up to ``until`` (inclusive), oldest first.

    The status can only change on a day something starts or stops: a member joins or leaves, a
    placement starts, ends or becomes stable, or a member's age (by year) enters or leaves the range on
    1 January."""
    members, jobs = list(members), list(jobs)
    if not members:
        return []
    first = min(m.joined_on for m in members)
    days = {first}
    for m in members:
        days |= {m.joined_on, *(d for d in (m.left_on,) if d)}
        if m.birth_year is not None:
            days |= {date(m.birth_year + age, 1, 1) for age in working_age}
    for j in jobs:
        days |= {j.start_date, *(d for d in (j.ended_on, j.stable_from) if d)}
    changes: list[Change] = []
    for day in sorted(d for d in days if first <= d <= until):
        status = status_on(members, jobs, day, working_age)
        if not changes or changes[-1].status != status:
            changes.append(Change(day, status))
    return changes


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
