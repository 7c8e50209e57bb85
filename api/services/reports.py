"""Reports at the edge: look up a stored result and its header facts, run the matcher for the job
direction, build the ``Report`` (``assessment.report``) and render it (JSON, HTML or PDF).

Shared by ``GET /v1/results/{id}/report`` and ``pathfit report``. Tenancy is the caller's job: the
route loads the result through the caller's organisation; the CLI is an operator tool.
"""
from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from importlib import resources

from sqlalchemy.orm import Session

from api.timefmt import to_local
from assessment.report import ReportContext, build_report, direction_from_rankings
from instruments.registry import load_all, load_bands, load_batteries
from models.report import Audience, JobDirectionInput, Report, ReportFacts, ReportFormat, ReportLang
from models.result import ResultDocument
from models.tables import ApiKey, AssessmentResult, AssessmentSession, Organisation, Person

log = logging.getLogger("pathfit.reports")
MEDIA_TYPES: dict[str, str] = {"json": "application/json", "html": "text/html; charset=utf-8",
                               "pdf": "application/pdf"}
K_OCCUPATIONS, K_PROGRAMMES = 5, 3
NOT_ENOUGH_SCORES = {"zh-CN": "可用于匹配的测评分数不足（需要能力倾向或职业兴趣结果），本次未生成职业方向。",
                     "en": "Not enough usable scores for matching (aptitude or interest results are needed); no job "
                           "direction was ranked."}
MATCHING_MISSING = {"zh-CN": "岗位匹配模块不可用，本次未生成职业方向。",
                    "en": "The matching engine is not available, so no job direction was ranked."}


def report_context() -> ReportContext:
    """The shipped instrument bank, bands and batteries (cached by the registry)."""
    return ReportContext(instruments=load_all(), bands=load_bands(), batteries=load_batteries())


@lru_cache(maxsize=1)
def occupation_names_en() -> dict[str, str]:
    """CSCO code → the first English title mapped to it (``matching/data/csco22_titles_en.csv``)."""
    data = resources.files("matching").joinpath("data").joinpath("csco22_titles_en.csv")
    with data.open(encoding="utf-8") as handle:
        return {row["code"]: row["titles_en"].split("|")[0] for row in csv.DictReader(handle) if row["titles_en"]}


def job_direction(db: Session, person: Person, document: ResultDocument, vacancy_pools=None) -> JobDirectionInput:
    """Rank occupation groups (and the organisation's programmes) for this result's scores.

    The matcher reads only interpretable scores; a result with neither aptitudes nor interests gets
    no ranking (practical fit alone is not a job direction). ``vacancy_pools`` (the app's cache)
    lets programme ranking count local openings; without it that component is left out.
    """
    try:
        from api.services.matching import code_past_jobs, fitted_matcher, population_norms, programmes_of
        from api.services.people import person_out
        from api.services.reference import code_titles
        from assessment.matching_profile import matching_scores
        from models.profile import Profile
    except ImportError as exc:  # matching is optional for a report: say so instead of failing
        log.warning("matching unavailable for reports: %s", exc)
        return JobDirectionInput(available=False, note=MATCHING_MISSING)
    # Population-referenced scores (never the report's age × education norms), past jobs coded.
    scores = matching_scores(document, population_norms())
    if not (scores.get("aptitudes") or scores.get("interests")):
        return JobDirectionInput(available=False, note=NOT_ENOUGH_SCORES)
    profile = code_past_jobs(Profile.from_person(person_out(person), **scores), code_titles)
    programmes = programmes_of(db, person.organisation_id)
    pool = vacancy_pools.get(db, person.organisation_id, {})[0] if vacancy_pools is not None else None
    matcher = fitted_matcher(pool, programmes if len(programmes) else None, None)
    occupations = matcher.rank(profile, "occupations", K_OCCUPATIONS)
    ranked_programmes = matcher.rank(profile, "programmes", K_PROGRAMMES) if len(programmes) else None
    return direction_from_rankings(occupations, ranked_programmes, names_en=occupation_names_en(),
                                   k_occupations=K_OCCUPATIONS, k_programmes=K_PROGRAMMES)


def report_facts(db: Session, result: AssessmentResult, person: Person, today: date | None = None,
                 scored_at: datetime | None = None) -> ReportFacts:
    """Header facts: pseudonymous reference (external id, else internal id), the name if stored,
    the centre (organisation name), the counsellor (label of the key that opened the session), and
    the report and assessment dates as days in the centre's time zone (a 07:00 start in Beijing is
    23:00 UTC the day before)."""
    organisation = db.get(Organisation, result.organisation_id)
    session_row = db.get(AssessmentSession, result.session_id)
    key = db.get(ApiKey, session_row.created_by) if session_row is not None and session_row.created_by else None
    return ReportFacts(result_id=result.id, person_ref=person.external_id or person.id, person_name=person.name,
                       centre=organisation.name if organisation else None, counsellor=key.label if key else None,
                       report_date=today or to_local(datetime.now(timezone.utc)).date(),
                       assessed_on=to_local(scored_at).date() if scored_at is not None else None)


def build_for_result(db: Session, result: AssessmentResult, person: Person, *, lang: ReportLang,
                     audience: Audience, vacancy_pools=None) -> Report:
    """The ``Report`` of one stored result; its suggested next module comes from the pathway's rule
    engine (api.services.pathway.report_advisor), computed now and fixed in the built report."""
    from api.services.pathway import report_advisor
    from api.services.pathway_rules import load_rule_set
    from api.settings import get_settings

    document = ResultDocument.model_validate(result.document)
    facts = report_facts(db, result, person, scored_at=document.scored_at)
    advise = report_advisor(db, person, load_rule_set(get_settings().pathway_province), facts.report_date,
                            lang=lang, audience=audience, valid=any(r.interpretable for r in document.instruments))
    return build_report(document, facts, job_direction(db, person, document, vacancy_pools),
                        report_context(), lang=lang, audience=audience, advise=advise)


@dataclass(frozen=True)
class Rendered:
    body: bytes
    media_type: str
    filename: str


def render(report: Report, fmt: ReportFormat) -> Rendered:
    """The report as JSON, HTML or PDF bytes with its media type and a download file name."""
    stem = f"report-{report.header.result_id}-{report.lang}-{report.audience}"
    if fmt == "json":
        body = report.model_dump_json(indent=2).encode("utf-8")
    elif fmt == "html":
        from api.reports.html import render_html
        body = render_html(report).encode("utf-8")
    elif fmt == "pdf":
        from api.reports.pdf import render_pdf
        body = render_pdf(report)
    else:
        raise ValueError(f"format {fmt!r}: use json, html or pdf")
    return Rendered(body, MEDIA_TYPES[fmt], f"{stem}.{fmt}")
