"""Centre figures (issue 16, item 8): how many people the pathway served, placed and kept in stable work
over a period, how short their path was, and how well training, re-employment, households and follow-up
did against the seed's standards. Pure aggregation with pandas; the API gathers the frames.

Definitions (a period is ``[start, end]``, both days included; every date is a day the person experienced):

- **registered**: the day of the person's first pathway step, or ``registered_on`` (the day the record was
  created) when that is earlier or there is no step.
- **served**: registered on or before ``end`` and at least one recorded service event dated in the period
  (a pathway step, referral, outcome, enrolment, enrolment event or follow-up: the ``contacts`` frame), or
  registered in the period.
- **placed**: an effective placement (hired outcome, any route) starting in the period. Counted once per
  person.
- **stable**: still employed ``stable_months`` after the start (the placement's ``stable`` flag, derived from
  the follow-ups); the person counts in the period in which that day (start + ``stable_months`` calendar
  months) falls, once, for their first such placement.
- **shortest path**: for the people stable in the period, the days from registration to the start of the
  placement that proved stable, and the number of distinct modules 1–6 they had entered by that start
  (module 7, follow-up, comes after the hire and is not counted). Medians.
- **placement rate after training** (培训后就业率, seed standard ≥ 70 %): of the people who finished an
  enrolment (``completed_on``: completed, certificate, passed, failed or converted to a hire; drop-outs
  have none) in the period, the share with a placement starting between the enrolment's start and
  ``training_window_days`` after it finished. Someone who finished recently and is still inside the window
  counts as not yet placed, so the latest weeks' rate is a lower bound that can only rise.
- **re-employment rate** (再就业率, seed standard ≥ 85 %): every person in the pathway is a registered
  unemployed job seeker; the rate is the share of the people served in the period who were in work at its
  end (a placement started on or before ``end`` that had not ended by then).
- **zero-employment households**: the status of matching.pathway.households (none of the working-age
  members who belonged to the household that day was in work; age used only for this legal definition,
  ``working_age`` = [min, max) years). Reported: households zero-employment on ``start`` (or, for a
  household first recorded during the period, on the day it was recorded), and households with a member whose
  placement became stable in the period while the household had been zero-employment the day before that
  placement started.
- **follow-ups on time**: each placement is due a contact every calendar month after its start (start + k
  months, k = 1 … ``followup_months``) while it lasts (a due day after ``ended_on`` is not due). Due day
  d_k is met on time when a follow-up of that placement falls in (d_{k-1} + grace, d_k + grace] (for k = 1:
  (start, d_1 + grace]); the windows do not overlap, so one contact meets one due day. Counted: due days in
  the period whose window had closed by ``as_of``.
- **counsellor**: the key that recorded the person's latest pathway step on or before ``end`` (the one who
  moved the case last), else ``None`` (unassigned).

Splits: by district and by counsellor (all figures); the fairness view by gender and by age band (age =
``end.year - birth_year``: birth year only is recorded) holds aggregate counts only (served, placed,
stable). Every fairness cell with fewer than ``MIN_CELL`` people is suppressed (``None``), and when only one
cell of a column would be suppressed the next smallest is suppressed too, so the suppressed one cannot be
got back by subtracting the others from the total. The fairness view describes outcomes; nothing here
filters or ranks anyone by it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from matching.pathway.households import ZERO_EMPLOYMENT, Employment, Membership, add_months, status_on

MIN_CELL = 5                      # fairness cells below this many people are suppressed
AGE_BANDS = ((16, 24), (25, 34), (35, 44), (45, 54), (55, 200))
UNKNOWN = "unknown"
PERSON_COLUMNS = ("person_id", "district", "gender", "birth_year", "registered_on")
STEP_COLUMNS = ("person_id", "module", "entered_on", "recorded_by")
PLACEMENT_COLUMNS = ("placement_id", "person_id", "start_date", "ended_on", "stable")
ENROLMENT_COLUMNS = ("enrolment_id", "person_id", "started_on", "completed_on")
FOLLOWUP_COLUMNS = ("placement_id", "contacted_on")
MEMBER_COLUMNS = ("household_id", "district", "person_id", "joined_on", "left_on", "birth_year")
CONTACT_COLUMNS = ("person_id", "on")
FAIRNESS_COUNTS = ("served", "placed", "stable")


@dataclass(frozen=True)
class KpiFrames:
    """The facts, one frame each (effective rows only; extra columns are ignored).

    persons: person_id, district, gender, birth_year, registered_on — one row per person of the centre.
    steps: person_id, module (1–7), entered_on, recorded_by — effective pathway steps.
    placements: placement_id, person_id, start_date, ended_on (NaT while employed), stable (True / False /
        None = not yet known).
    enrolments: enrolment_id, person_id, started_on, completed_on (NaT: not finished or dropped out).
    followups: placement_id, contacted_on — effective follow-up contacts.
    members: household_id, district (the household's), person_id, joined_on, left_on, birth_year (None:
        unknown; used only for the statutory working age of the zero-employment definition).
    contacts: person_id, on — the day of every recorded service event.
    """

    persons: pd.DataFrame
    steps: pd.DataFrame
    placements: pd.DataFrame
    enrolments: pd.DataFrame
    followups: pd.DataFrame
    members: pd.DataFrame
    contacts: pd.DataFrame


@dataclass(frozen=True)
class Figures:
    """One row of the centre figures (counts are people unless named otherwise; rates in [0, 1] or None
    when their denominator is 0; medians None when nobody reached stable work)."""

    served: int
    placed: int
    stable: int
    median_days_to_stable: float | None
    median_modules_to_stable: float | None
    finished_training: int
    placed_after_training: int
    placement_rate_after_training: float | None
    in_work_at_end: int
    reemployment_rate: float | None
    zero_employment_households: int
    zero_employment_households_now_stable: int
    followups_due: int
    followups_on_time: int
    followup_on_time_rate: float | None


@dataclass(frozen=True)
class KpiReport:
    """Figures for the period overall, by district, by counsellor (``None`` key: unassigned), and the
    fairness view: ``fairness[dimension][group][count]`` with dimension ``gender`` or ``age_band`` and
    counts ``served``/``placed``/``stable`` (``None`` = suppressed)."""

    start: date
    end: date
    district: str | None
    overall: Figures
    by_district: dict[str, Figures]
    by_counsellor: dict[str | None, Figures]
    fairness: dict[str, dict[str, dict[str, int | None]]] = field(default_factory=dict)


def _dates(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_datetime(out[column])
    return out


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} frame lacks columns {missing}")


def _age_band(birth_year: pd.Series, year: int) -> pd.Series:
    age = year - pd.to_numeric(birth_year, errors="coerce")
    band = pd.Series(UNKNOWN, index=birth_year.index, dtype=object)
    for low, high in AGE_BANDS:
        label = f"{low}+" if high >= 200 else f"{low}–{high}"
        band[(age >= low) & (age <= high)] = label
    return band


def _known_true(values: pd.Series) -> pd.Series:
    """True where the value is True; False for False and for None (not yet known)."""
    return values.map(lambda v: v is not None and not pd.isna(v) and bool(v)).astype(bool)


def _in_work(placements: pd.DataFrame, on: pd.Timestamp) -> pd.Series:
    """Per placement: running on day ``on`` (started, not yet ended)."""
    return (placements.start_date <= on) & (placements.ended_on.isna() | (placements.ended_on > on))


def _person_table(frames: KpiFrames, start: pd.Timestamp, end: pd.Timestamp, as_of: pd.Timestamp,
                  stable_months: int, training_window_days: int, followup_months: int,
                  grace_days: int) -> pd.DataFrame:
    """One row per person with the flags and measures the figures sum or take medians of."""
    persons = _dates(frames.persons, ("registered_on",)).set_index("person_id")
    steps = _dates(frames.steps, ("entered_on",))
    placements = _dates(frames.placements, ("start_date", "ended_on"))
    enrolments = _dates(frames.enrolments, ("started_on", "completed_on"))
    followups = _dates(frames.followups, ("contacted_on",))
    contacts = _dates(frames.contacts, ("on",))
    table = pd.DataFrame(index=persons.index)
    table["district"] = persons.district
    table["gender"] = persons.gender.fillna(UNKNOWN)
    table["age_band"] = _age_band(persons.birth_year, end.year)

    first_step = steps.groupby("person_id").entered_on.min()
    registered = pd.concat([persons.registered_on, first_step.reindex(persons.index)], axis=1).min(axis=1)
    table["registered"] = registered
    until_end = steps[steps.entered_on <= end].sort_values(["entered_on"], kind="stable")
    table["counsellor"] = until_end.groupby("person_id").recorded_by.last().reindex(persons.index)

    contacted = contacts[(contacts.on >= start) & (contacts.on <= end)].person_id.unique()
    table["served"] = (registered <= end) & (table.index.isin(contacted) | ((registered >= start)))

    starts_in = placements[(placements.start_date >= start) & (placements.start_date <= end)]
    table["placed"] = table.index.isin(starts_in.person_id)

    stable = placements[_known_true(placements.stable)].copy()
    stable["stable_on"] = stable.start_date + pd.DateOffset(months=stable_months)
    first_stable = stable.sort_values("start_date", kind="stable").drop_duplicates("person_id")
    first_stable = first_stable[(first_stable.stable_on >= start) & (first_stable.stable_on <= end)]
    first_stable = first_stable.set_index("person_id")
    table["stable"] = table.index.isin(first_stable.index)
    table["days_to_stable"] = (first_stable.start_date - registered.reindex(first_stable.index)).dt.days
    pre_job = steps.merge(first_stable.start_date.rename("job_start").reset_index(), on="person_id")
    pre_job = pre_job[(pre_job.entered_on <= pre_job.job_start) & pre_job.module.between(1, 6)]
    table["modules_to_stable"] = pre_job.groupby("person_id").module.nunique().reindex(first_stable.index)
    table.loc[table.stable & table.modules_to_stable.isna(), "modules_to_stable"] = 0

    finished = enrolments[(enrolments.completed_on >= start) & (enrolments.completed_on <= end)]
    window = finished.merge(placements[["person_id", "start_date"]], on="person_id", how="left")
    window_end = window.completed_on + pd.Timedelta(days=training_window_days)
    hit = (window.start_date >= window.started_on) & (window.start_date <= window_end)
    table["finished_training"] = table.index.isin(finished.person_id)
    table["placed_after_training"] = table.index.isin(window[hit].person_id)

    running = placements[_in_work(placements, end)]
    table["in_work_at_end"] = table.served & table.index.isin(running.person_id)

    due, on_time = _followups(placements, followups, start, end, as_of, followup_months, grace_days)
    table["followups_due"] = due.reindex(table.index, fill_value=0)
    table["followups_on_time"] = on_time.reindex(table.index, fill_value=0)
    return table


def _followups(placements: pd.DataFrame, followups: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
               as_of: pd.Timestamp, followup_months: int, grace_days: int) -> tuple[pd.Series, pd.Series]:
    """Per person: follow-up due days in the period whose window has closed, and how many were met."""
    grace = pd.Timedelta(days=grace_days)
    rows = []
    for k in range(1, followup_months + 1):
        part = placements[["placement_id", "person_id", "start_date", "ended_on"]].copy()
        part["due"] = part.start_date + pd.DateOffset(months=k)
        previous = part.start_date + pd.DateOffset(months=k - 1)
        part["opens"] = previous + grace if k > 1 else part.start_date
        rows.append(part)
    due = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["placement_id", "person_id", "start_date", "ended_on", "due", "opens"])
    due = due[(due.due >= start) & (due.due <= end) & (due.due + grace <= as_of)
              & (due.ended_on.isna() | (due.due <= due.ended_on))]
    met = due.merge(followups, on="placement_id", how="left")
    met = met[(met.contacted_on > met.opens) & (met.contacted_on <= met.due + grace)]
    met_keys = set(zip(met.placement_id, met.due))
    due = due.assign(met=[(p, d) in met_keys for p, d in zip(due.placement_id, due.due)])
    return due.groupby("person_id").size(), due.groupby("person_id").met.sum()


def _households(members: pd.DataFrame, placements: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                stable_months: int, working_age: tuple[int, int]) -> pd.DataFrame:
    """One row per household: district, member ids, zero-employment on ``start`` (or on its first day on
    record, when later), and whether it moved
    from zero-employment to a member in stable work in the period (status as matching.pathway.households
    defines it)."""
    members = _dates(members, ("joined_on", "left_on"))
    placements = _dates(placements, ("start_date", "ended_on"))
    stable = _known_true(placements.stable)
    jobs = [Employment(p.person_id, p.start_date.date(), _day(p.ended_on),
                       add_months(p.start_date.date(), stable_months) if is_stable else None)
            for p, is_stable in zip(placements.itertuples(), stable)]
    window = (start.date(), end.date())
    rows = []
    for household_id, household in members.groupby("household_id", sort=True):
        memberships = [Membership(m.person_id, m.joined_on.date(), _day(m.left_on), _year(m.birth_year))
                       for m in household.itertuples()]
        ids = {m.person_id for m in memberships}
        own = [j for j in jobs if j.person_id in ids]
        moved = any(j.stable_from is not None and window[0] <= j.stable_from <= window[1]
                    and status_on(memberships, own, j.start_date - timedelta(days=1), working_age).status
                    == ZERO_EMPLOYMENT for j in own)
        # A household recorded during the period is judged on its first day on record instead.
        first_day = max(window[0], min(m.joined_on for m in memberships))
        zero = first_day <= window[1] and status_on(memberships, own, first_day, working_age).status == ZERO_EMPLOYMENT
        rows.append({"household_id": household_id, "district": household.district.iloc[0],
                     "person_ids": frozenset(ids), "now_stable": moved, "zero_at_start": zero})
    return pd.DataFrame(rows, columns=["household_id", "district", "person_ids", "zero_at_start", "now_stable"])


def _day(value) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _year(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _median(values: pd.Series) -> float | None:
    values = values.dropna()
    return float(np.median(values)) if len(values) else None


def _figures(people: pd.DataFrame, households: pd.DataFrame) -> Figures:
    served = int(people.served.sum())
    finished = int(people.finished_training.sum())
    trained_placed = int((people.finished_training & people.placed_after_training).sum())
    in_work = int(people.in_work_at_end.sum())
    due, on_time = int(people.followups_due.sum()), int(people.followups_on_time.sum())
    stable = people[people.stable]
    return Figures(
        served=served, placed=int(people.placed.sum()), stable=len(stable),
        median_days_to_stable=_median(stable.days_to_stable),
        median_modules_to_stable=_median(stable.modules_to_stable),
        finished_training=finished, placed_after_training=trained_placed,
        placement_rate_after_training=_rate(trained_placed, finished),
        in_work_at_end=in_work, reemployment_rate=_rate(in_work, served),
        zero_employment_households=int(households.zero_at_start.sum()),
        zero_employment_households_now_stable=int(households.now_stable.sum()),
        followups_due=due, followups_on_time=on_time, followup_on_time_rate=_rate(on_time, due))


def _suppress(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int | None]]:
    """Cells below MIN_CELL become None; a column with exactly one such cell loses its next smallest too."""
    out: dict[str, dict[str, int | None]] = {group: dict(row) for group, row in counts.items()}
    for column in FAIRNESS_COUNTS:
        small = [g for g, row in counts.items() if row[column] < MIN_CELL]
        for group in small:
            out[group][column] = None
        if len(small) == 1 and len(counts) > 1:
            rest = sorted((row[column], g) for g, row in counts.items() if g not in small)
            out[rest[0][1]][column] = None
    return out


def _fairness(people: pd.DataFrame) -> dict[str, dict[str, dict[str, int | None]]]:
    view = {}
    for dimension in ("gender", "age_band"):
        counts = {str(group): {c: int(part[c].sum()) for c in FAIRNESS_COUNTS}
                  for group, part in people.groupby(dimension, sort=True)}
        view[dimension] = _suppress(counts)
    return view


def centre_figures(frames: KpiFrames, start: date, end: date, *, district: str | None = None,
                   as_of: date | None = None, stable_months: int = 3, training_window_days: int = 180,
                   followup_months: int = 12, followup_grace_days: int = 7,
                   working_age: tuple[int, int] = (16, 60)) -> KpiReport:
    """The centre figures for ``[start, end]`` (days, both included), optionally for one district.

    Parameters
    ----------
    frames : KpiFrames — the facts (see its docstring for the columns).
    start, end : date — the period; ``end`` must not be before ``start``.
    district : str or None — keep only people (and households) of this district.
    as_of : date — the day the figures are computed (follow-up windows after it are not yet judged);
        default ``end``.
    stable_months : int — months of work that make it stable (the setting, default 3).
    training_window_days : int — days after finishing an enrolment in which a placement counts as after
        training (default 180, half a year).
    followup_months : int — months after a start during which a monthly follow-up is due (default 12, the
        longest retention measured).
    followup_grace_days : int — days after a due day that still count as on time (default 7).
    working_age : (int, int) — statutory working age [min, max) in years (settings working_age_min/max),
        used only to tell zero-employment households.

    Returns
    -------
    KpiReport — see the module docstring for every definition.

    Example
    -------
    >>> import pandas as pd
    >>> empty = lambda cols: pd.DataFrame({c: [] for c in cols})
    >>> frames = KpiFrames(pd.DataFrame({"person_id": ["a"], "district": ["朝阳区"], "gender": ["female"],
    ...     "birth_year": [1980], "registered_on": [date(2026, 1, 5)]}), empty(STEP_COLUMNS),
    ...     empty(PLACEMENT_COLUMNS), empty(ENROLMENT_COLUMNS), empty(FOLLOWUP_COLUMNS),
    ...     empty(MEMBER_COLUMNS), empty(CONTACT_COLUMNS))
    >>> centre_figures(frames, date(2026, 1, 1), date(2026, 3, 31)).overall.served
    1
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    for frame, columns, name in ((frames.persons, PERSON_COLUMNS, "persons"), (frames.steps, STEP_COLUMNS, "steps"),
                                 (frames.placements, PLACEMENT_COLUMNS, "placements"),
                                 (frames.enrolments, ENROLMENT_COLUMNS, "enrolments"),
                                 (frames.followups, FOLLOWUP_COLUMNS, "followups"),
                                 (frames.members, MEMBER_COLUMNS, "members"),
                                 (frames.contacts, CONTACT_COLUMNS, "contacts")):
        _require(frame, columns, name)
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    people = _person_table(frames, t0, t1, pd.Timestamp(as_of or end), stable_months, training_window_days,
                           followup_months, followup_grace_days)
    households = _households(frames.members, frames.placements, t0, t1, stable_months, working_age)
    if district is not None:
        people = people[people.district == district]
        households = households[households.district == district]

    def households_of(ids: pd.Index) -> pd.DataFrame:
        members = set(ids)
        return households.loc[households.person_ids.map(lambda h: bool(h & members)).astype(bool)]

    by_district = {str(d): _figures(part, households[households.district == d])
                   for d, part in people.groupby("district", sort=True)}
    counsellors = people.counsellor.astype(object).where(people.counsellor.notna(), None)
    by_counsellor = {c: _figures(people[mask], households_of(people.index[mask]))
                     for c in sorted(set(counsellors), key=lambda c: (c is None, c or ""))
                     for mask in [(counsellors == c) if c is not None else counsellors.isna()]}
    return KpiReport(start=start, end=end, district=district, overall=_figures(people, households),
                     by_district=by_district, by_counsellor=by_counsellor, fairness=_fairness(people))
