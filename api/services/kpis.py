"""Use case: the centre figures (issue 16, item 8) — gather one organisation's pathway records into the
frames of ``matching.pathway.kpis`` and shape the result for the API, the page and the Excel export.

Only effective rows count (not corrected by a later row, not withdrawn). Placements, their end and
whether they became stable come from the placements service (api/services/placements.py), so the figures
agree with what a person's case file shows. People who were erased are gone from every table and from
the figures. The registration day is the person's first pathway step, or the day the record was created
in the centre's time zone when that is earlier (a person registered before the pathway was recorded).
An enrolment is finished on its first effective completed, certificate awarded, passed, failed or
converted-to-hire event (the course is over, whatever the result); a drop-out never finishes.
"""
from dataclasses import asdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from api.errors import Problem
from api.labels import label
from api.services.exports import workbook
from api.services.placements import placements as placement_views
from matching.pathway import kpis
from models.kpis import (
    STANDARDS,
    CounsellorFigures,
    DistrictFigures,
    FairnessCell,
    FairnessView,
    KpiFigures,
    KpiReportOut,
)
from models.tables import ApiKey, Person
from models.tables_households import Household, HouseholdMember
from models.tables_pathway import PathwayStep
from models.tables_referrals import FollowUp, OutcomeEvent, Referral
from models.tables_training import Enrolment, EnrolmentEvent

FINISHING_EVENTS = ("completed", "certificate_awarded", "passed", "failed", "converted_to_hire")
TRAINING_WINDOW_DAYS = 180
FOLLOWUP_MONTHS = 12      # monthly follow-up is due for a year after a start (the longest retention measured)
FOLLOWUP_GRACE_DAYS = 7   # a follow-up up to a week after its due day is on time
MAX_PERIOD_DAYS = 10 * 366  # a decade: longer periods are a typo in the year, not a question
MAX_DAYS_AHEAD = 366  # a period may end in the coming year (its future days count nothing yet), not later
EARLIEST = date(2000, 1, 1)  # older than any pathway record; also keeps dates inside pandas' range


def _effective(model: type, query):
    """``query`` narrowed to rows no later row corrects (and not withdrawn, where the table can withdraw)."""
    later = aliased(model)
    query = query.where(~exists().where(later.corrects_id == model.id))
    if hasattr(model, "retracted"):
        query = query.where(model.retracted.is_(False))
    return query


def _frame(rows, columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame([tuple(r) for r in rows], columns=list(columns))


def _enrolments(session: Session, organisation_id: str) -> pd.DataFrame:
    """Effective enrolments with the day they finished; events recorded on an earlier version of a
    corrected enrolment belong to its effective version."""
    rows = list(session.scalars(select(Enrolment).where(Enrolment.organisation_id == organisation_id)))
    corrected_by = {r.corrects_id: r.id for r in rows if r.corrects_id is not None}

    def head(row_id: str) -> str:
        while row_id in corrected_by:
            row_id = corrected_by[row_id]
        return row_id

    finished: dict[str, date] = {}
    events = session.scalars(_effective(EnrolmentEvent, select(EnrolmentEvent).where(
        EnrolmentEvent.organisation_id == organisation_id, EnrolmentEvent.kind.in_(FINISHING_EVENTS))))
    for event in events:
        target = head(event.enrolment_id)
        finished[target] = min(finished.get(target, event.occurred_on), event.occurred_on)
    live = [r for r in rows if r.id not in corrected_by and not r.retracted]
    return _frame(((r.id, r.person_id, r.started_on, finished.get(r.id)) for r in live),
                  kpis.ENROLMENT_COLUMNS)


def gather(session: Session, organisation_id: str, zone: str) -> kpis.KpiFrames:
    """The organisation's facts as the frames ``matching.pathway.kpis.centre_figures`` reads."""
    tz = ZoneInfo(zone)
    people = list(session.execute(select(Person.id, Person.district, Person.gender, Person.birth_year,
                                         Person.created_at)
                                  .where(Person.organisation_id == organisation_id, Person.erased_at.is_(None))))
    persons = _frame(((i, d, g, b, c.astimezone(tz).date()) for i, d, g, b, c in people), kpis.PERSON_COLUMNS)
    birth_years = {p[0]: p[3] for p in people}
    steps = _frame(session.execute(_effective(PathwayStep, select(
        PathwayStep.person_id, PathwayStep.module, PathwayStep.entered_on, PathwayStep.recorded_by)
        .where(PathwayStep.organisation_id == organisation_id))), kpis.STEP_COLUMNS)
    views = placement_views(session, organisation_id)
    placements = _frame(((v.placement_id, v.person_id, v.start_date, v.ended_on, v.stable) for v in views),
                        kpis.PLACEMENT_COLUMNS)
    followups = _frame(session.execute(_effective(FollowUp, select(FollowUp.placement_id, FollowUp.contacted_on)
                                                  .where(FollowUp.organisation_id == organisation_id))),
                       kpis.FOLLOWUP_COLUMNS)
    members = _frame(((h, d, p, j, left, birth_years.get(p)) for h, d, p, j, left in session.execute(
        select(HouseholdMember.household_id, Household.district, HouseholdMember.person_id,
               HouseholdMember.joined_on, HouseholdMember.left_on)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(HouseholdMember.organisation_id == organisation_id))), kpis.MEMBER_COLUMNS)
    enrolments = _enrolments(session, organisation_id)
    contact_queries = [
        select(Referral.person_id, Referral.referred_on).where(Referral.organisation_id == organisation_id),
        select(OutcomeEvent.person_id, OutcomeEvent.occurred_on).where(OutcomeEvent.organisation_id == organisation_id),
        select(FollowUp.person_id, FollowUp.contacted_on).where(FollowUp.organisation_id == organisation_id),
        select(EnrolmentEvent.person_id, EnrolmentEvent.occurred_on)
        .where(EnrolmentEvent.organisation_id == organisation_id),
    ]
    contacts = [(p, on) for query in contact_queries for p, on in session.execute(query)]
    contacts += [(s.person_id, s.entered_on) for s in steps.itertuples()]
    contacts += [(e.person_id, e.started_on) for e in enrolments.itertuples()]
    return kpis.KpiFrames(persons, steps, placements, enrolments, followups, members,
                          _frame(contacts, kpis.CONTACT_COLUMNS))


def _figures(figures: kpis.Figures) -> KpiFigures:
    return KpiFigures(**asdict(figures))


def _cells(groups: dict[str, dict[str, int | None]]) -> list[FairnessCell]:
    return [FairnessCell(group=group, **counts) for group, counts in groups.items()]


def check_period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The period asked for: ``to`` defaults to today, ``from`` to a year before ``to``; 422 naming the
    parameter when ``to`` is more than a year ahead, ``from`` is before 2000 or after ``to``, or the period
    is longer than ten years."""
    end = end or today
    if end > today + timedelta(days=MAX_DAYS_AHEAD):
        raise Problem(422, "Invalid period", f"query.to: {end} is more than a year ahead; give the last day of the "
                                             "period (YYYY-MM-DD), today or earlier for figures that are complete",
                      [{"field": "query.to", "message": f"{end} is more than a year ahead"}])
    start = start or (end - timedelta(days=364))
    if start < EARLIEST:
        raise Problem(422, "Invalid period", f"query.from: {start} is before {EARLIEST}; no pathway records are "
                                             "that old, check the year",
                      [{"field": "query.from", "message": f"{start} is before {EARLIEST}"}])
    if start > end:
        raise Problem(422, "Invalid period", f"query.from: {start} is after to={end}; give from ≤ to (YYYY-MM-DD)",
                      [{"field": "query.from", "message": f"{start} is after to={end}"}])
    if (end - start).days > MAX_PERIOD_DAYS:
        raise Problem(422, "Invalid period", "query.from: the period is longer than ten years; check the years",
                      [{"field": "query.from", "message": "period longer than ten years"}])
    return start, end


def centre_report(session: Session, organisation_id: str, settings, start: date, end: date,
                  district: str | None, today: date) -> KpiReportOut:
    """The centre figures of ``organisation_id`` for ``[start, end]`` (both days included), optionally for
    one district, computed on ``today`` (follow-up windows still open are not judged)."""
    frames = gather(session, organisation_id, settings.timezone)
    report = kpis.centre_figures(frames, start, end, district=district or None, as_of=today,
                                 stable_months=settings.stable_employment_months,
                                 training_window_days=TRAINING_WINDOW_DAYS, followup_months=FOLLOWUP_MONTHS,
                                 followup_grace_days=FOLLOWUP_GRACE_DAYS,
                                 working_age=(settings.working_age_min, settings.working_age_max))
    key_ids = [k for k in report.by_counsellor if k is not None]
    labels = {key_id: label for key_id, label in session.execute(select(ApiKey.id, ApiKey.label).where(
        ApiKey.organisation_id == organisation_id, ApiKey.id.in_(key_ids)))} if key_ids else {}
    return report_out(report, labels, settings.stable_employment_months, today)


def report_out(report: kpis.KpiReport, labels: dict[str, str | None], stable_months: int,
               today: date) -> KpiReportOut:
    """The pure module's report as the API sends it; ``labels`` names the counsellors' keys."""
    return KpiReportOut(
        from_=report.start, to=report.end, district=report.district, as_of=today,
        stable_months=stable_months, training_window_days=TRAINING_WINDOW_DAYS,
        standards=STANDARDS, overall=_figures(report.overall),
        by_district=[DistrictFigures(district=d, figures=_figures(f)) for d, f in report.by_district.items()],
        by_counsellor=[CounsellorFigures(key_id=k, label=labels.get(k) if k else None, figures=_figures(f))
                       for k, f in report.by_counsellor.items()],
        fairness=FairnessView(suppressed_below=kpis.MIN_CELL, gender=_cells(report.fairness["gender"]),
                              age_band=_cells(report.fairness["age_band"])))


def districts(session: Session, organisation_id: str) -> list[str]:
    """The districts the organisation's people live in (for the page's district choice)."""
    rows = session.scalars(select(Person.district).where(Person.organisation_id == organisation_id,
                                                         Person.erased_at.is_(None), Person.district.is_not(None))
                           .distinct())
    return sorted(rows)


# --- Excel -------------------------------------------------------------------------------------------

FIGURE_COLUMNS = ("served", "placed", "stable", "median_days_to_stable", "median_modules_to_stable",
                  "finished_training", "placed_after_training", "placement_rate_after_training",
                  "in_work_at_end", "reemployment_rate", "zero_employment_households",
                  "zero_employment_households_now_stable", "followups_due", "followups_on_time",
                  "followup_on_time_rate")
HEADERS = {
    "zh-CN": ["分组", "组别", "服务人数", "实现就业人数", "稳定就业人数（3个月）", "到稳定就业的天数（中位数）",
              "经过的模块数（中位数）", "培训结业人数", "培训后就业人数", "培训后就业率", "期末在岗人数",
              "再就业率", "零就业家庭（期初）", "零就业家庭实现一人稳定就业", "应回访次数", "按时回访次数",
              "按时回访率"],
    "en": ["Split", "Group", "Served", "Placed", "In stable work (3 months)", "Days to stable work (median)",
           "Modules to stable work (median)", "Finished training", "Placed after training",
           "Placement rate after training", "In work at period end", "Re-employment rate",
           "Zero-employment households (at start)", "Zero-employment households now with stable work",
           "Follow-ups due", "Follow-ups on time", "Follow-up on-time rate"],
}
SPLITS = {"zh-CN": {"overall": "全部", "district": "按区", "counsellor": "按职业指导师", "gender": "按性别（公平性）",
                    "age_band": "按年龄段（公平性）"},
          "en": {"overall": "All", "district": "By district", "counsellor": "By counsellor",
                 "gender": "By gender (fairness)", "age_band": "By age band (fairness)"}}
UNASSIGNED = {"zh-CN": "未分配", "en": "Unassigned"}
SUPPRESSED = {"zh-CN": "少于5人", "en": "fewer than 5"}


def _row(split: str, group: str | None, figures: KpiFigures) -> list:
    values = figures.model_dump()
    return [split, group] + [round(values[c], 3) if isinstance(values[c], float) else values[c]
                             for c in FIGURE_COLUMNS]


def workbook_rows(report: KpiReportOut, lang: str, group_label) -> list[list]:
    """One row per group: overall, districts, counsellors, then the fairness view (its three counts only;
    a suppressed cell says so in words). ``group_label(dimension, code)`` names a fairness group."""
    split = SPLITS[lang]
    rows = [_row(split["overall"], None, report.overall)]
    rows += [_row(split["district"], d.district, d.figures) for d in report.by_district]
    rows += [_row(split["counsellor"], c.label or c.key_id or UNASSIGNED[lang], c.figures)
             for c in report.by_counsellor]
    for dimension in ("gender", "age_band"):
        for cell in getattr(report.fairness, dimension):
            counts = [SUPPRESSED[lang] if v is None else v for v in (cell.served, cell.placed, cell.stable)]
            rows.append([split[dimension], group_label(dimension, cell.group), *counts]
                        + [None] * (len(FIGURE_COLUMNS) - 3))
    return rows



UNKNOWN_GROUP = {"zh-CN": "未填写", "en": "Not recorded"}


def group_label(dimension: str, code: str, lang: str) -> str:
    """A fairness group's name for people: the gender's label, or the age band in words."""
    if code == kpis.UNKNOWN:
        return UNKNOWN_GROUP[lang]
    if dimension == "gender":
        return label("Gender", code, lang)
    if code.endswith("+"):
        return f"{code[:-1]}岁及以上" if lang == "zh-CN" else f"{code[:-1]} and over"
    return f"{code}岁" if lang == "zh-CN" else code


def workbook_bytes(report: KpiReportOut, lang: str) -> bytes:
    """The figures as one Excel sheet (text cells formula-safe, see api/services/exports.py)."""
    title = "中心指标" if lang == "zh-CN" else "Centre figures"
    return workbook(title, HEADERS[lang], workbook_rows(report, lang, lambda d, c: group_label(d, c, lang)))
