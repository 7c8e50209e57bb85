"""A scored assessment result: what the report, the matcher and case systems read.

Every score carries its uncertainty and provenance: the raw (θ, mean or rate) score with its SE and
confidence interval, and where norms exist the T-score, percentile and stanine with intervals in the
same metric, the norm group used and whether those norms are provisional.
"""
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Text = dict[str, str]  # {"zh-CN": ..., "en": ...}


class NormedScore(BaseModel):
    """A raw score placed against a norm group (T = 50 + 10z; stanine cuts at P 4, 11, 23, 40, 60, 77, 89, 96)."""

    t: float
    t_ci: tuple[float, float]
    percentile: float = Field(ge=0, le=100)
    percentile_ci: tuple[float, float]
    stanine: int = Field(ge=1, le=9)
    norm_group: dict[str, str] = Field(description="e.g. {'age_band': '25-34', 'education': 'secondary'}")
    norm_version: str
    provisional: bool


class ScaleScore(BaseModel):
    """One scale's score. ``scored`` is false (with ``not_scored_reason``) when too few items were answered."""

    instrument_id: str
    scale_id: str
    name: Text
    method: Literal["irt", "mean", "rate_corrected", "composite"]
    scored: bool
    not_scored_reason: Text | None = None
    raw: float | None = Field(None, description="θ (logits), mean item score, or corrected items per minute.")
    se: float | None = Field(None, description="Standard error in the raw metric.")
    ci: tuple[float, float] | None = Field(None, description="95% interval in the raw metric.")
    n_items: int
    n_answered: int
    normed: NormedScore | None = None
    band: str | None = Field(None, description="Interpretation band id (from the T-score).")
    interpretation: dict[str, Text] | None = Field(None, description="{'client': Text, 'counsellor': Text}")
    details: dict[str, float] = Field(default_factory=dict, description="e.g. rights, wrongs, accuracy.")


class ValidityFlag(BaseModel):
    instrument_id: str
    code: str
    value: float
    threshold: float
    reason: Text
    severity: Literal["warning", "invalid"]


class InstrumentResult(BaseModel):
    instrument_id: str
    version: str
    kind: str
    mode: str
    provisional: bool
    interpretable: bool = Field(description="False when a validity check says the scores should not be read.")
    scales: list[ScaleScore]
    validity: list[ValidityFlag] = Field(default_factory=list)


class HollandProfile(BaseModel):
    code: str
    tied_positions: list[int] = Field(default_factory=list)
    differentiation: float
    consistency: Literal["high", "medium", "low"]
    scores: dict[str, float]


class MotivationProfile(BaseModel):
    readiness: str
    readiness_text: Text
    barriers: list[str] = Field(default_factory=list)


class Profiles(BaseModel):
    holland: HollandProfile | None = None
    big_five: dict[str, dict] | None = Field(None, description="domain → {t, band, label}")
    work_values: list[dict] | None = Field(None, description="ranked: [{value, score, rank}]")
    motivation: MotivationProfile | None = None


class ResultDocument(BaseModel):
    """The whole result of one session, immutable once stored."""

    person_id: str
    session_id: str
    battery_id: str
    scored_at: datetime
    engine_version: str
    person_age: int | None = None
    person_education: str | None = None
    instruments: list[InstrumentResult]
    composites: list[ScaleScore] = Field(default_factory=list)
    profiles: Profiles = Field(default_factory=Profiles)
    provisional: bool = Field(description="True when any parameter or norm used was provisional.")


class ResultOut(BaseModel):
    id: str
    person_id: str
    session_id: str
    supersedes_id: str | None
    created_at: datetime
    document: ResultDocument
