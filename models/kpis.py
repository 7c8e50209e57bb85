"""The centre figures as the API sends them (GET /v1/kpis): the definitions are in matching/pathway/kpis.py."""
from datetime import date

from pydantic import BaseModel, Field

# The seed's standards the figures are read against (issue 16): placement rate after training ≥ 70 %,
# re-employment rate ≥ 85 %.
STANDARDS = {"placement_rate_after_training": 0.70, "reemployment_rate": 0.85}


class KpiFigures(BaseModel):
    """One row of figures. Counts are people (households and follow-up due days where named); rates are
    0–1, null when nobody is in the denominator; medians null when nobody reached stable work."""

    served: int = Field(description="People with a recorded service event in the period, or registered in it.")
    placed: int = Field(description="People whose placement (any route) started in the period.")
    stable: int = Field(description="People still in work `stable_months` after the start, that day falling "
                                    "in the period.")
    median_days_to_stable: float | None = Field(description="Median days from registration to the start of "
                                                            "the job that proved stable.")
    median_modules_to_stable: float | None = Field(description="Median number of modules 1–6 entered before "
                                                               "that job started (the shortest path).")
    finished_training: int = Field(description="People who finished an enrolment in the period.")
    placed_after_training: int = Field(description="Of those, placed between the enrolment's start and "
                                                   "`training_window_days` after it ended.")
    placement_rate_after_training: float | None
    in_work_at_end: int = Field(description="People served in the period who were in work on its last day.")
    reemployment_rate: float | None = Field(description="in_work_at_end / served.")
    zero_employment_households: int = Field(description="Households that were zero-employment families on "
                                                        "the period's first day (or on the day they were "
                                                        "recorded, when that is later).")
    zero_employment_households_now_stable: int = Field(description="Households that were zero-employment "
                                                                   "when a member started the job that became "
                                                                   "stable in the period.")
    followups_due: int = Field(description="Monthly follow-up due days in the period whose window has closed.")
    followups_on_time: int
    followup_on_time_rate: float | None


class DistrictFigures(BaseModel):
    district: str | None
    figures: KpiFigures


class CounsellorFigures(BaseModel):
    """``key_id`` is the API key that recorded the person's latest pathway step; null: no step yet."""

    key_id: str | None
    label: str | None
    figures: KpiFigures


class FairnessCell(BaseModel):
    """Counts for one group; null where fewer than `suppressed_below` people would be shown."""

    group: str
    served: int | None
    placed: int | None
    stable: int | None


class FairnessView(BaseModel):
    """Outcomes by gender and by age band (age = the period's last year − birth year): aggregate counts for
    review only, never a filter or an input to matching."""

    suppressed_below: int
    gender: list[FairnessCell]
    age_band: list[FairnessCell]


class KpiReportOut(BaseModel):
    from_: date = Field(alias="from", serialization_alias="from")
    to: date
    district: str | None
    as_of: date = Field(description="The day the figures were computed (follow-up windows after it are not "
                                    "yet judged).")
    stable_months: int
    training_window_days: int
    standards: dict[str, float] = Field(description="The seed's standards the rates are read against.")
    overall: KpiFigures
    by_district: list[DistrictFigures]
    by_counsellor: list[CounsellorFigures]
    fairness: FairnessView

    model_config = {"populate_by_name": True}
