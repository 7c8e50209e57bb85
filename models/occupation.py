"""Occupations of the Chinese classification (CSCO 2022) with their O*NET-derived profiles."""
from pydantic import Field

from models.base import OutModel
from models.person import OCCUPATION_CODE_PATTERN


class OccupationProfile(OutModel):
    """One row of ``matching/data/occupation_profiles.csv`` (column contract in
    ``matching/data/CONTRACT.md``).

    Interests and work values are on O*NET's 1–7 scales, work styles on the 1–5 importance scale,
    aptitude requirements on the T metric of the general working population (mean 50, SD 10).
    """

    code: str = Field(pattern=OCCUPATION_CODE_PATTERN, examples=["4-09-08-01"])
    name_zh: str
    major_group: int = Field(ge=1, le=8, description="CSCO 大类, the first digit of the code.")
    confidence: float = Field(ge=0, le=1, description="How well the O*NET descriptors fit, 0–1.")
    n_onet: int = Field(ge=0, description="O*NET-SOC occupations aggregated.")
    riasec_R: float = Field(ge=1, le=7)
    riasec_I: float = Field(ge=1, le=7)
    riasec_A: float = Field(ge=1, le=7)
    riasec_S: float = Field(ge=1, le=7)
    riasec_E: float = Field(ge=1, le=7)
    riasec_C: float = Field(ge=1, le=7)
    wv_achievement: float = Field(ge=1, le=7)
    wv_working_conditions: float = Field(ge=1, le=7)
    wv_recognition: float = Field(ge=1, le=7)
    wv_relationships: float = Field(ge=1, le=7)
    wv_support: float = Field(ge=1, le=7)
    wv_independence: float = Field(ge=1, le=7)
    ws_achievement_effort: float = Field(ge=1, le=5)
    ws_persistence: float = Field(ge=1, le=5)
    ws_initiative: float = Field(ge=1, le=5)
    ws_leadership: float = Field(ge=1, le=5)
    ws_cooperation: float = Field(ge=1, le=5)
    ws_concern_for_others: float = Field(ge=1, le=5)
    ws_social_orientation: float = Field(ge=1, le=5)
    ws_self_control: float = Field(ge=1, le=5)
    ws_stress_tolerance: float = Field(ge=1, le=5)
    ws_adaptability_flexibility: float = Field(ge=1, le=5)
    ws_dependability: float = Field(ge=1, le=5)
    ws_attention_to_detail: float = Field(ge=1, le=5)
    ws_integrity: float = Field(ge=1, le=5)
    ws_independence: float = Field(ge=1, le=5)
    ws_innovation: float = Field(ge=1, le=5)
    ws_analytical_thinking: float = Field(ge=1, le=5)
    apt_V: float = Field(ge=20, le=80, description="Verbal aptitude needed, T metric.")
    apt_N: float = Field(ge=20, le=80, description="Numerical aptitude needed, T metric.")
    apt_S: float = Field(ge=20, le=80, description="Spatial aptitude needed, T metric.")
    apt_P: float = Field(ge=20, le=80, description="Form perception needed, T metric.")
    apt_Q: float = Field(ge=20, le=80, description="Clerical perception needed, T metric.")
    apt_G: float = Field(ge=20, le=80, description="General learning ability needed, T metric.")
    job_zone: float = Field(ge=1, le=5, description="O*NET Job Zone 1–5 (preparation needed).")
    education_rank: float = Field(ge=0, le=6, description="Typical required education, EducationLevel.rank scale.")


class OccupationCandidate(OutModel):
    """One candidate occupation for a free-text job title, as the title coder returns it."""

    code: str = Field(pattern=OCCUPATION_CODE_PATTERN, examples=["4-01-02-04"])
    name_zh: str
    score: float = Field(ge=0, le=1, description="Similarity of title and occupation text, 0–1.")
    confidence: float = Field(ge=0, le=1, description="Estimated probability the code is right, 0–1.")
