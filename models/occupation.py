"""Occupations of the Chinese classification (CSCO 2022) with their O*NET-derived profiles."""
from typing import Literal

from pydantic import Field

from models.base import OutModel
from models.person import OCCUPATION_CODE_PATTERN


class OccupationProfile(OutModel):
    """One row of ``matching/data/occupation_profiles.csv`` (column contract in
    ``matching/data/CONTRACT.md``).

    Interests and work values are on O*NET's 1–7 scales, work styles on the 1–5 importance scale,
    aptitude requirements are minimums a typical incumbent clears, on the T metric of the general
    working population (mean 50, SD 10). Physical demands are 1 (typically demanded), 0 (not) or
    ``None`` (the sources cannot tell).
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
    apt_V: float = Field(ge=20, le=80, description="Minimum verbal aptitude a typical incumbent clears, T metric.")
    apt_N: float = Field(ge=20, le=80, description="Minimum numerical aptitude a typical incumbent clears, T metric.")
    apt_S: float = Field(ge=20, le=80, description="Minimum spatial aptitude a typical incumbent clears, T metric.")
    apt_P: float = Field(ge=20, le=80, description="Minimum form perception a typical incumbent clears, T metric.")
    apt_Q: float = Field(ge=20, le=80, description="Minimum clerical perception a typical incumbent clears, T metric.")
    apt_G: float = Field(ge=20, le=80, description="Minimum general learning ability a typical incumbent clears, T metric.")
    job_zone: float = Field(ge=1, le=5, description="O*NET Job Zone 1–5 (preparation needed).")
    education_rank: float = Field(ge=0, le=6, description="Typical required education, EducationLevel.rank scale.")
    apt_source: Literal["onet_abilities", "formula"] = Field(
        description="Aptitude minimums from O*NET ability importances, or from the skill-based fallback.")
    phys_heavy_lifting: float | None = Field(default=None, ge=0, le=1)
    phys_prolonged_standing: float | None = Field(default=None, ge=0, le=1)
    phys_walking_long_distances: float | None = Field(default=None, ge=0, le=1)
    phys_climbing_heights: float | None = Field(default=None, ge=0, le=1)
    phys_fine_manual_work: float | None = Field(default=None, ge=0, le=1)
    phys_outdoor_work: float | None = Field(default=None, ge=0, le=1)
    phys_driving: float | None = Field(default=None, ge=0, le=1)
    phys_cold_or_hot_environment: float | None = Field(default=None, ge=0, le=1)
    family_id: str = Field(pattern=OCCUPATION_CODE_PATTERN, description="Smallest code of the occupation's family.")
    family_size: int = Field(ge=1, description="Occupations with the same (or a near-identical) profile.")


class OccupationCandidate(OutModel):
    """One candidate occupation for a free-text job title, as the title coder returns it."""

    code: str = Field(pattern=OCCUPATION_CODE_PATTERN, examples=["4-01-02-04"])
    name_zh: str
    score: float = Field(ge=0, le=1, description="Similarity of title and occupation text, 0–1.")
    confidence: float = Field(ge=0, le=1, description="Estimated probability the code is right, 0–1.")
