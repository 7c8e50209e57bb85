"""A training programme (培训项目): skills training, directed training or a qualification course.

``certificates_awarded`` and ``education_awarded`` tell the matcher which eligibility gaps the
programme closes; ``target_occupation_codes`` which occupations it prepares for.
"""
import re
from datetime import date, datetime

from pydantic import Field, field_validator, model_validator

from models.base import OutModel, StrictModel
from models.enums import EducationLevel, Shift
from models.person import OCCUPATION_CODE_PATTERN


class TrainingProgramFields(StrictModel):
    provider: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=200, examples=["养老护理员（五级）培训"])
    target_occupation_codes: list[str] = Field(min_length=1, max_length=20)
    education_min: EducationLevel | None = Field(None, description="Entry requirement (hard).")
    required_certificates: list[str] = Field(default_factory=list, max_length=20)
    certificates_awarded: list[str] = Field(default_factory=list, max_length=20)
    education_awarded: EducationLevel | None = None
    duration_weeks: float = Field(gt=0, le=260)
    hours_per_week: float | None = Field(None, gt=0, le=84)
    schedule_shifts: list[Shift] = Field(default_factory=list, description="When classes run; empty = day.")
    district: str = Field(min_length=1, max_length=100)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    capacity: int = Field(ge=1, le=100_000)
    cost_yuan: float = Field(0, ge=0, description="Fee for the whole programme, yuan.")
    subsidy_yuan: float = Field(0, ge=0, description="Public subsidy per trainee, yuan.")
    start_date: date | None = None
    placement_rate: float | None = Field(None, ge=0, le=1, description="Share placed within 6 months.")

    @field_validator("target_occupation_codes")
    @classmethod
    def _codes(cls, codes: list[str]) -> list[str]:


        bad = [c for c in codes if not re.match(OCCUPATION_CODE_PATTERN, c)]
        if bad:
            raise ValueError(f"not CSCO 2022 codes (like 4-10-05-02): {bad}")
        return codes

    @model_validator(mode="after")
    def _coords(self) -> "TrainingProgramFields":
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class TrainingProgramIn(TrainingProgramFields):
    external_id: str | None = Field(None, max_length=64)


class TrainingProgramOut(OutModel):
    id: str
    organisation_id: str | None = None
    external_id: str | None = None
    provider: str
    title: str
    target_occupation_codes: list[str]
    education_min: EducationLevel | None
    required_certificates: list[str]
    certificates_awarded: list[str]
    education_awarded: EducationLevel | None
    duration_weeks: float
    hours_per_week: float | None
    schedule_shifts: list[Shift]
    district: str
    lat: float | None
    lon: float | None
    capacity: int
    cost_yuan: float
    subsidy_yuan: float
    start_date: date | None
    placement_rate: float | None
    created_at: datetime | None = None
