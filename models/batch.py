"""Batch-matching jobs as the API accepts and returns them (``/v1/batch-jobs``)."""
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from models.base import OutModel, StrictModel
from models.match import FitWeights


class BatchJobOptions(StrictModel):
    """Tuning of a batch job; the defaults are the policy's (docs/batch-matching.md)."""

    block_size: int = Field(5000, ge=100, le=200_000, description="Seekers per block (the checkpoint unit).")
    capacity_factor: float = Field(3.0, gt=0, le=100, description="Recommendations per opening (c).")
    per_person: int = Field(5, ge=1, le=50, description="Recommendations per seeker in the allocation (m).")
    good_fit: float = Field(60.0, ge=0, le=100, description="Total (0–100) from which a recommendation is good.")
    weights: FitWeights | None = None
    as_of: date | None = Field(None, description="Exclude vacancies closed before this date.")


class BatchJobCreate(StrictModel):
    """``POST /v1/batch-jobs``: match the organisation's own persons against its vacancies."""

    k: int = Field(20, ge=1, le=200, strict=True, description="List length both ways (a JSON integer).")
    allocate: bool = Field(False, description="Run the capacity-aware allocation.")
    ranking: Literal["expected_benefit", "hand_set"] = Field(
        "expected_benefit",
        description="What the allocation maximises: expected benefit (fit × chance of a lasting hire, with "
                    "congestion) under the outcome model active when the job is created, or the hand-set fit "
                    "alone. With no active model, or without allocate, the fit alone.")
    options: BatchJobOptions = Field(default_factory=BatchJobOptions)


class BatchJobOut(OutModel):
    id: str
    organisation_id: str
    status: Literal["queued", "running", "succeeded", "failed"]
    params: dict[str, Any]
    progress: dict[str, Any] = Field(description="blocks_done, blocks_total.")
    summary: dict[str, Any] | None = Field(None, description="The batch summary (counts, allocation, fairness audit).")
    error: str | None = None
    attempts: int
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
