"""What the matcher needs to know about one person: test scores with their uncertainty and the
registration facts that decide eligibility and practical fit.

Every psychometric block is optional because a person may have taken only part of the battery;
the matcher then leaves that fit component out for every item alike (see docs/matching-model.md).

Protected attributes (gender, birth year / age, ethnicity, disability, health status) are NOT
fields of a profile, so the matcher cannot use them. ``from_person`` drops them on purpose; the
priority flags are carried for batch allocation (issue 7) and never enter a fit score.
"""
import re

from pydantic import Field, field_validator, model_validator

from models.base import StrictModel
from models.enums import EducationLevel
from models.person import OCCUPATION_CODE_PATTERN, Constraints, PersonOut, PriorityGroups

APTITUDE_CODES = ("V", "N", "S", "P", "Q", "G")
RIASEC_CODES = ("R", "I", "A", "S", "E", "C")
BIG_FIVE_CODES = ("O", "C", "E", "A", "N")
WORK_VALUE_CODES = (
    "achievement",
    "working_conditions",
    "recognition",
    "relationships",
    "support",
    "independence",
)


class TScore(StrictModel):
    """A norm-referenced score on the T metric (mean 50, SD 10) with its standard error."""

    t: float = Field(ge=0, le=100, description="T-score, mean 50 SD 10 in the norm group.")
    se: float = Field(gt=0, le=30, description="Standard error of measurement, T points.")


class AptitudeScores(StrictModel):
    """职业能力倾向 aptitudes (GATB-style codes); each may be missing on a partial battery.

    V verbal, N numerical, S spatial, P form perception, Q clerical perception, G general
    learning ability.
    """

    V: TScore | None = None
    N: TScore | None = None
    S: TScore | None = None
    P: TScore | None = None
    Q: TScore | None = None
    G: TScore | None = None


class RiasecScores(StrictModel):
    """Holland interest scale means on the inventory's 1–5 response scale."""

    R: float = Field(ge=1, le=5)
    I: float = Field(ge=1, le=5)  # noqa: E741 - Holland's own letter
    A: float = Field(ge=1, le=5)
    S: float = Field(ge=1, le=5)
    E: float = Field(ge=1, le=5)
    C: float = Field(ge=1, le=5)


class BigFiveScores(StrictModel):
    """Big Five T-scores (mean 50, SD 10): openness, conscientiousness, extraversion,
    agreeableness, neuroticism (high N = less emotionally stable)."""

    O: float = Field(ge=0, le=100)  # noqa: E741
    C: float = Field(ge=0, le=100)
    E: float = Field(ge=0, le=100)
    A: float = Field(ge=0, le=100)
    N: float = Field(ge=0, le=100)


class WorkValueScores(StrictModel):
    """Importance of the six O*NET work values (Work Importance Profiler style), means 1–5."""

    achievement: float = Field(ge=1, le=5)
    working_conditions: float = Field(ge=1, le=5)
    recognition: float = Field(ge=1, le=5)
    relationships: float = Field(ge=1, le=5)
    support: float = Field(ge=1, le=5)
    independence: float = Field(ge=1, le=5)


class PastJob(StrictModel):
    """One past job as the matcher reads it. A job without ``occupation_code`` is coded from its
    title at the API edge (``matching.title_coder``); the matcher skips jobs still uncoded."""

    occupation_code: str | None = Field(None, pattern=OCCUPATION_CODE_PATTERN, examples=["4-02-02-02"])
    title: str | None = Field(None, max_length=200)
    months: int = Field(ge=0, le=720, description="Duration in months.")
    end_year: int | None = Field(None, ge=1950, le=2100, description="Year the job ended; None = current or unknown.")

    @model_validator(mode="after")
    def _code_or_title(self) -> "PastJob":
        if self.occupation_code is None and not (self.title or "").strip():
            raise ValueError("a past job needs an occupation_code (CSCO 2022, like 4-02-02-02) or a title")
        return self


class Profile(StrictModel):
    """One person as the matcher sees them.

    ``interested_occupations`` are CSCO codes the person or their counsellor named as a goal;
    training-programme ranking treats them as strong interest even when the inventory is missing.
    """

    person_id: str | None = Field(None, max_length=64)
    aptitudes: AptitudeScores | None = None
    interests: RiasecScores | None = None
    big_five: BigFiveScores | None = None
    work_values: WorkValueScores | None = None
    education: EducationLevel | None = None
    district: str | None = Field(None, max_length=100)
    home_lat: float | None = Field(None, ge=-90, le=90)
    home_lon: float | None = Field(None, ge=-180, le=180)
    expected_monthly_pay: int | None = Field(None, ge=0, le=1_000_000, description="Yuan per month.")
    constraints: Constraints = Field(default_factory=Constraints)
    certificates: list[str] = Field(default_factory=list, max_length=200)
    interested_occupations: list[str] = Field(default_factory=list, max_length=20)
    work_history: list[PastJob] = Field(default_factory=list, max_length=100)
    skills: list[str] = Field(default_factory=list, max_length=200,
                              description="Skills the person lists; shown to counsellors, not scored.")
    priority: PriorityGroups = Field(
        default_factory=PriorityGroups,
        description="Carried for batch allocation only; never an input to a fit score.",
    )

    @field_validator("interested_occupations")
    @classmethod
    def _codes_match_pattern(cls, codes: list[str]) -> list[str]:
        bad = [c for c in codes if not re.match(OCCUPATION_CODE_PATTERN, c)]
        if bad:
            raise ValueError(f"not CSCO 2022 codes (like 4-10-05-02): {bad}")
        return codes

    @classmethod
    def from_person(
        cls,
        person: PersonOut,
        *,
        aptitudes: AptitudeScores | None = None,
        interests: RiasecScores | None = None,
        big_five: BigFiveScores | None = None,
        work_values: WorkValueScores | None = None,
        interested_occupations: list[str] | None = None,
    ) -> "Profile":
        """Registration facts of ``person`` plus assessment scores. Gender and birth year are
        deliberately not copied."""
        return cls(
            person_id=person.id,
            aptitudes=aptitudes,
            interests=interests,
            big_five=big_five,
            work_values=work_values,
            education=person.education,
            district=person.district,
            home_lat=person.home_lat,
            home_lon=person.home_lon,
            expected_monthly_pay=person.expected_monthly_pay,
            constraints=person.constraints,
            certificates=list(person.certificates),
            work_history=[PastJob(occupation_code=j.occupation_code, title=j.title, months=j.months,
                                  end_year=j.end_year) for j in person.work_history],
            skills=list(person.skills),
            interested_occupations=list(interested_occupations or []),
            priority=person.priority,
        )
