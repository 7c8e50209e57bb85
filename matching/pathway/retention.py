"""Retention after a placement, from follow-up contacts (pure; no I/O).

Rule (also in docs/pathway.md):

* The placement *ends* on the ``left_on`` day of the earliest contact (by contacted_on) whose status is
  ``left``. ``changed_job`` is not an end: the person moved to another job and is still in work.
* Retained at m months (target day = start_date + m calendar months, clamped to the month's last day,
  so 31 Jan + 1 month = 28/29 Feb):
  - False when the placement ended before the target day;
  - True when it did not, and a contact on or after the target day says the person is in work
    (``still_employed`` or ``changed_job``), or says ``left`` with a left_on on or after the target day;
  - None (not yet known) otherwise — also when the target day has passed without such a contact: a
    missing follow-up is never counted as staying.
* A follow-up is due monthly: the k-th (k = 1..12) on start_date + k months. A contact on or after that
  day covers it; the next one due is the first anniversary after the latest contact.
"""
import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

IN_WORK = frozenset({"still_employed", "changed_job"})
FOLLOW_UP_MONTHS = 12  # monthly contacts for the first year, as the retention figures go to 12 months


@dataclass(frozen=True)
class Contact:
    """One effective follow-up contact: its day, status code and, for ``left``, the day work ended."""

    contacted_on: date
    status: str
    left_on: date | None = None


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ended_on(contacts: Iterable[Contact]) -> date | None:
    """left_on of the earliest ``left`` contact (its contact day when left_on is missing), or None."""
    left = sorted((c for c in contacts if c.status == "left"), key=lambda c: c.contacted_on)
    if not left:
        return None
    return left[0].left_on or left[0].contacted_on


def retained_at(start_date: date, contacts: Sequence[Contact], months: int) -> bool | None:
    """Whether the person was still in work ``months`` calendar months after ``start_date``: True,
    False, or None while not known (see the module docstring for the rule)."""
    target = add_months(start_date, months)
    end = ended_on(contacts)
    if end is not None and end < target:
        return False
    for contact in contacts:
        if contact.contacted_on < target:
            continue
        if contact.status in IN_WORK:
            return True
        if contact.status == "left" and contact.left_on is not None and contact.left_on >= target:
            return True
    return None


def retention(start_date: date, contacts: Sequence[Contact], months: Iterable[int]) -> dict[int, bool | None]:
    """``retained_at`` for each of ``months``: {m: True | False | None}."""
    return {m: retained_at(start_date, contacts, m) for m in months}


@dataclass(frozen=True)
class Due:
    month: int  # 1-based: the k-th monthly contact
    due_on: date
    days_overdue: int


def next_due(start_date: date, contacts: Sequence[Contact], today: date) -> Due | None:
    """The monthly follow-up due by ``today`` for a placement still running, or None (not yet due, the
    first year is covered, or the placement has ended)."""
    if ended_on(contacts) is not None:
        return None
    last = max((c.contacted_on for c in contacts), default=None)
    for k in range(1, FOLLOW_UP_MONTHS + 1):
        due_on = add_months(start_date, k)
        if last is not None and last >= due_on:
            continue
        if due_on > today:
            return None
        return Due(k, due_on, (today - due_on).days)
    return None
