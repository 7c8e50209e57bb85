"""The assessment report (测评报告): what module 4 hands to the client and to the counsellor.

A ``Report`` is built for one language and one audience from a stored ``ResultDocument`` (see
``assessment.report``). Its texts are plain strings in that language. The same object is served as
JSON and rendered as HTML and PDF, so the three formats always say the same thing.

Two audiences:

* ``client`` (服务对象): plain words, strengths first, no raw statistics (no T-scores, percentiles
  or standard errors; charts show bands, not numbers);
* ``counsellor`` (职业指导师): adds the statistics (T with its 95 % interval, percentile, stanine,
  SE, norm group), validity details, item counts per scale and notes for the expert interview
  (module 3). Fields that only the counsellor version fills are ``None`` in the client version.

A section is ``None`` when its instrument was not part of the session (partial batteries show only
what was taken). A section whose instrument failed a validity check has ``status="invalid"`` and a
``warning`` instead of scores and interpretations.

``JobDirectionInput`` is the matcher's output as the report builder receives it; the builder never
computes a match itself.
"""
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.match import Reason

ReportLang = Literal["zh-CN", "en"]
Audience = Literal["client", "counsellor"]
ReportFormat = Literal["json", "html", "pdf"]
SectionStatus = Literal["shown", "invalid", "not_scored"]
NextStep = Literal["apply_now", "train_first", "internship"]

REPORT_SCHEMA_VERSION = "1.0"


class _ReportModel(BaseModel):
    model_config = ConfigDict(frozen=True)


# --------------------------------------------------------------------------------------------- input
class ReportFacts(_ReportModel):
    """Header facts the API looks up; the builder cannot (it does no I/O).

    ``person_name`` is filled only when the organisation stores names; ``counsellor`` is the label of
    the key that created the session, or a name typed by the counsellor.
    """

    result_id: str
    person_ref: str = Field(description="Pseudonymous id shown on the report (external id or internal id).")
    person_name: str | None = None
    centre: str | None = Field(None, description="Organisation (employment service centre) name.")
    counsellor: str | None = None
    report_date: date
    assessed_on: date | None = Field(None, description="The day of scoring in the centre's time zone; "
                                                       "None: the UTC date of ``scored_at``.")


class DirectionItem(_ReportModel):
    """One ranked occupation group or training programme from the matcher, with its reasons."""

    id: str
    kind: Literal["occupation", "programme"]
    code: str | None = Field(None, description="CSCO 2022 occupation code (the programme's first target).")
    title: dict[str, str] = Field(description="{'zh-CN': …, 'en': …}; en falls back to zh-CN when unknown.")
    fit: float = Field(ge=0, le=100, description="Matcher total, 0–100.")
    components: dict[str, float | None] = Field(default_factory=dict, description="Fit components, 0–1.")
    reasons: list[Reason] = Field(default_factory=list)
    target_codes: list[str] = Field(default_factory=list, description="Programmes: occupations trained for.")
    bridging_programme: str | None = Field(None, description="Options after training: the course that opens it.")


class JobDirectionInput(_ReportModel):
    """The job-direction input: ranked occupations and programmes as the matching engine gave them.

    ``available`` is false when no ranking could be made (matching not installed, or not enough
    scores); ``note`` then says why, in both languages.
    """

    available: bool = True
    occupations: list[DirectionItem] = Field(default_factory=list)
    programmes: list[DirectionItem] = Field(default_factory=list)
    after_training: list[DirectionItem] = Field(
        default_factory=list, description="Occupations the person cannot enter yet, each with its bridging course.")
    source: str | None = Field(None, description="What produced the ranking, e.g. 'pathfit matching'.")
    note: dict[str, str] | None = None


# --------------------------------------------------------------------------------------------- output
class InstrumentLine(_ReportModel):
    instrument_id: str
    title: str
    version: str
    mode: str
    provisional: bool


class ReportHeader(_ReportModel):
    title: str
    result_id: str
    person_ref: str
    person_name: str | None = None
    assessed_on: date
    report_date: date
    centre: str | None = None
    counsellor: str | None = None
    battery: str
    instruments: list[InstrumentLine]
    engine_version: str
    provisional: bool
    provisional_note: str | None = Field(None, description="Shown whenever provisional parameters or norms were used.")
    norm_group: str | None = Field(None, description="Counsellor: the norm group the scores were compared with.")


class ValidityFlagLine(_ReportModel):
    code: str
    severity: Literal["warning", "invalid"]
    reason: str
    value: float | None = Field(None, description="Counsellor only.")
    threshold: float | None = Field(None, description="Counsellor only.")


class ValidityLine(_ReportModel):
    instrument_id: str
    title: str
    interpretable: bool
    message: str
    flags: list[ValidityFlagLine] = Field(default_factory=list)


class ValiditySummary(_ReportModel):
    """First thing on the report: can the results be read, and if not, why not."""

    status: Literal["ok", "warnings", "some_invalid", "all_invalid"]
    headline: str
    instruments: list[ValidityLine]


class ScoreLine(_ReportModel):
    """One scale as the report shows it. Statistics are ``None`` in the client version."""

    scale_id: str
    name: str
    scored: bool
    band: str | None = None
    band_label: str | None = None
    strength: bool = Field(False, description="Band high or very high: listed first as a strength.")
    text: str | None = Field(None, description="Interpretation for the audience, or why it was not scored.")
    t: float | None = None
    t_low: float | None = None
    t_high: float | None = None
    percentile: float | None = None
    percentile_low: float | None = None
    percentile_high: float | None = None
    stanine: int | None = None
    raw: float | None = None
    se: float | None = None
    metric: str | None = None
    items: str | None = Field(None, description="Counsellor: items answered of items given, e.g. '18/20'.")
    details: dict[str, float] | None = None
    provisional_norms: bool | None = None
    chart: tuple[float, float, float] | None = Field(
        None, description="(T, low, high) where the chart draws the dot and its 95% line; the client version "
                          "draws it against bands and prints no number.")


class Section(_ReportModel):
    instrument_ids: list[str]
    status: SectionStatus
    title: str
    warning: str | None = Field(None, description="Set instead of interpretations when status is 'invalid'.")
    summary: list[str] = Field(default_factory=list, description="Plain-language reading, strengths first.")
    scales: list[ScoreLine] = Field(default_factory=list)


class AptitudeSection(Section):
    general: ScoreLine | None = Field(None, description="G composite, when V, N and S were all scored.")


class InterestSection(Section):
    code: str | None = None
    code_text: str | None = Field(None, description="The three letters in words.")
    letters: list[dict[str, str]] = Field(default_factory=list, description="[{letter, name, description}] of the code.")
    scores: dict[str, float] | None = Field(None, description="R I A S E C means (1–5) for the hexagon.")
    differentiation: float | None = Field(None, description="Counsellor: range of the six means.")
    differentiation_text: str | None = None
    consistency: str | None = None
    consistency_text: str | None = None
    tied_note: str | None = None
    example_occupations: list[str] = Field(default_factory=list)


class ValueLine(_ReportModel):
    value: str
    name: str
    rank: int
    score: float | None = Field(None, description="Counsellor: mean importance 1–5.")


class MotivationSection(Section):
    values: list[ValueLine] = Field(default_factory=list)
    readiness: Literal["high", "moderate", "low"] | None = None
    readiness_text: str | None = None
    barriers: list[dict[str, str]] = Field(default_factory=list, description="[{code, name, support}] the person named.")


class DirectionLine(_ReportModel):
    rank: int
    title: str
    code: str | None = None
    fit: float | None = Field(None, description="Counsellor: matcher total 0–100.")
    fit_label: str = Field(description="Plain words for the fit: very good / good / possible.")
    next_step: NextStep | None = None
    next_step_label: str | None = None
    reasons: list[str] = Field(default_factory=list)
    components: dict[str, float | None] | None = None
    bridging_programme: str | None = Field(None, description="Options after training: the course that opens it.")


class PathwayAdvice(_ReportModel):
    module: int = Field(ge=1, le=7)
    name: str
    reason: str


class JobDirectionSection(_ReportModel):
    available: bool
    note: str | None = None
    occupations: list[DirectionLine] = Field(default_factory=list)
    programmes: list[DirectionLine] = Field(default_factory=list)
    after_training: list[DirectionLine] = Field(
        default_factory=list, description="培训后可以考虑: occupations open after a course, never in the main list.")
    next_module: PathwayAdvice
    next_steps_text: list[str] = Field(default_factory=list)


class CounsellorNotes(_ReportModel):
    """For the expert interview (module 3) and the counsellor's own reading."""

    interview_prompts: list[str]
    item_flags: list[str] = Field(default_factory=list, description="Scale-level item counts and flags worth checking.")
    method_notes: list[str] = Field(default_factory=list)


class Report(_ReportModel):
    """The assessment report for one result, language and audience."""

    schema_version: str = REPORT_SCHEMA_VERSION
    lang: ReportLang
    audience: Audience
    generated_at: datetime
    header: ReportHeader
    validity: ValiditySummary
    aptitudes: AptitudeSection | None = None
    traits: Section | None = None
    interests: InterestSection | None = None
    motivation: MotivationSection | None = None
    job_direction: JobDirectionSection
    counsellor_notes: CounsellorNotes | None = None
    closing: str = Field(description="The reminder that the assessment guides and never screens out.")
    labels: dict[str, str] = Field(default_factory=dict, description="Headings and chart labels in the report's language.")
