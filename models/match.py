"""Results of matching one profile: ranked items with fit components and readable reasons.

``FitWeights`` and ``ProgrammeWeights`` live here (not in ``matching``) so that the API can accept
them in a request body; their defaults and the reasons for them are in docs/matching-model.md.
"""
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.base import OutModel, StrictModel
from models.person import OCCUPATION_CODE_PATTERN
from models.profile import Profile

ItemKind = Literal["vacancy", "occupation", "programme"]
# "certificate_held": a programme whose every awarded certificate the person already holds (never
# sold back). Last, so the other bits keep their values.
INELIGIBILITY_REASONS = ("certificate", "education", "hours", "shift", "commute", "physical", "closed",
                         "certificate_held")


MAX_WEIGHT = 1000.0  # weights are relative; a bound keeps their sum finite


class FitWeights(StrictModel):
    """Relative weights of the fit components in the 0–100 total (normalised to sum 1).

    A component that cannot be computed (the person skipped that part of the battery) is left out
    and the remaining weights are renormalised.
    """

    aptitude: float = Field(0.20, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    interest: float = Field(0.35, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    work_values: float = Field(0.10, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    work_style: float = Field(0.10, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    practical: float = Field(0.25, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    experience: float = Field(0.30, ge=0, le=MAX_WEIGHT, allow_inf_nan=False, description="Continuity with past jobs; left out for people without one.")

    @model_validator(mode="after")
    def _positive_sum(self) -> "FitWeights":
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one weight must be positive")
        return self


class ProgrammeWeights(StrictModel):
    """Relative weights for ranking training programmes (normalised to sum 1)."""

    occupation_fit: float = Field(0.30, ge=0, le=MAX_WEIGHT)
    gaps_closed: float = Field(0.25, ge=0, le=MAX_WEIGHT)
    local_demand: float = Field(0.20, ge=0, le=MAX_WEIGHT)
    placement: float = Field(0.15, ge=0, le=MAX_WEIGHT)
    practical: float = Field(0.10, ge=0, le=MAX_WEIGHT)

    @model_validator(mode="after")
    def _positive_sum(self) -> "ProgrammeWeights":
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("at least one weight must be positive")
        return self


class Reason(BaseModel):
    """One sentence a counsellor can read aloud, in both languages."""

    model_config = ConfigDict(populate_by_name=True)

    code: str = Field(description="Stable key of the template, e.g. interest_high.")
    kind: Literal["strength", "gap", "info"]
    zh_CN: str = Field(alias="zh-CN")
    en: str


class Eligibility(OutModel):
    eligible: bool
    failed: list[str] = Field(default_factory=list, description="Reasons from INELIGIBILITY_REASONS.")


class FamilyMember(OutModel):
    """One occupation of a family of near-identical occupation profiles."""

    code: str
    name_zh: str


class MatchResult(OutModel):
    """One ranked item. ``components`` are 0–1 (None when not computable); ``total`` is 0–100.

    Occupation lists show one entry per family: ``family_label`` names it ("内科医师、外科医师等") and
    ``members`` lists its occupations. ``bridging_programme`` names the course that would open an
    option of the "after training" list.
    """

    item_id: str
    kind: ItemKind
    rank: int = Field(ge=1)
    title: str | None = None
    occupation_code: str | None = None
    total: float = Field(ge=0, le=100)
    components: dict[str, float | None]
    reasons: list[Reason]
    eligibility: Eligibility = Field(default_factory=lambda: Eligibility(eligible=True))
    family_id: str | None = None
    family_label: dict[str, str] | None = Field(None, description="{'zh-CN': …, 'en': …}")
    members: list[FamilyMember] = Field(default_factory=list)
    bridging_programme: str | None = None
    exploration: bool = Field(False, description="Shown at this rank by randomised exploration, not by its score.")
    propensity: float = Field(1.0, gt=0, le=1, description="Probability that the item was shown at this rank "
                                                           "(1 when the ranking is not randomised).")


class NearMiss(BaseModel):
    """What relaxing one constraint would open, stated and never applied."""

    model_config = ConfigDict(populate_by_name=True)

    constraint: str = Field(description="A reason from INELIGIBILITY_REASONS.")
    excluded: int = Field(description="Items this constraint alone excludes.")
    relaxed_to: str | None = Field(None, description="The relaxed value, e.g. '30' minutes or '40' hours.")
    extra_items: int = Field(description="Items that would become eligible if it were relaxed so.")
    zh_CN: str = Field(alias="zh-CN")
    en: str


class IneligibleSummary(OutModel):
    """How many items were excluded and why; one item can fail several reasons, so the counts in
    ``by_reason`` may add up to more than ``n_ineligible``."""

    n_items: int
    n_eligible: int
    n_ineligible: int
    by_reason: dict[str, int]


class Ranking(OutModel):
    kind: ItemKind
    results: list[MatchResult]
    ineligible: IneligibleSummary
    weights: dict[str, float] = Field(description="The normalised weights that produced the totals.")
    after_training: list[MatchResult] = Field(
        default_factory=list, description="培训后可以考虑 / Options after training: occupations the person cannot "
                                          "enter yet, each with the programme that bridges it.")
    near_misses: list[NearMiss] = Field(
        default_factory=list, description="When few or no items are eligible: what relaxing each constraint would open.")
    notes: list[Reason] = Field(default_factory=list, description="Remarks about the list as a whole.")


class MatchRequest(StrictModel):
    """``POST /v1/matches``: a stored person (their latest result and registration facts) or an inline profile."""

    person_id: str | None = Field(None, max_length=40)
    profile: Profile | None = None
    kind: Literal["vacancies", "programmes", "occupations"] = "vacancies"
    k: int = Field(10, ge=1, le=200, strict=True, description="How many to list, 1–200 (a JSON integer).")
    district: str | None = Field(None, max_length=100, description="Only vacancies in this district.")
    public_welfare: bool | None = Field(None, description="Only (or no) public-welfare posts 公益性岗位.")
    internship: bool | None = Field(None, description="Only (or no) internships 见习.")
    directed_training: bool | None = Field(None, description="Only (or no) directed-training places 定向.")
    interested_occupations: list[Annotated[str, Field(pattern=OCCUPATION_CODE_PATTERN)]] = Field(
        default_factory=list, max_length=20, description="CSCO 2022 codes (like 4-10-05-02) the person aims at "
                                                         "(programme ranking).")
    weights: FitWeights | None = None
    ranking: Literal["expected_benefit", "hand_set"] = Field(
        "expected_benefit", description="Vacancy lists only. 'expected_benefit': fit × the organisation's active "
                                        "outcome model's chance of a lasting hire, with congestion (the hand-set "
                                        "order while no model is active), and for a stored person a share of "
                                        "positions explored at random with the propensity logged. 'hand_set': the "
                                        "hand-set fit order, never randomised. Programmes and occupations are "
                                        "always hand-set.")

    @model_validator(mode="after")
    def _one_subject(self) -> "MatchRequest":
        if (self.person_id is None) == (self.profile is None):
            raise ValueError("give exactly one of person_id or profile")
        return self


class MatchResponse(BaseModel):
    person_id: str | None
    result_id: str | None = Field(description="The assessment result whose scores were used, if any.")
    ranking: Ranking
    match_id: str | None = Field(None, description="Id of the stored ranking (give it as match_id when referring "
                                                   "the person to one of its vacancies); null for an inline profile.")
    ranking_model: str | None = Field(None, description="What ordered the list: 'hand-set' or 'outcome model vN' "
                                                        "(the organisation's active outcome model, version N).")
