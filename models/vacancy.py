"""A vacancy (岗位空缺) as employers post it and the matcher reads it.

Requirements a vacancy states are treated as hard by the matcher (eligibility) except the
education minimum, which is hard only when ``education_min_is_hard`` says the law or the employer
makes it so; otherwise it lowers practical fit. A vacancy never states a gender, age or ethnicity
preference: the type has no such field and refuses unknown ones.
"""
from datetime import date, datetime

from pydantic import Field, field_validator, model_validator

from models.base import OutModel, StrictModel
from models.enums import EducationLevel, PhysicalDemand, Shift
from models.person import OCCUPATION_CODE_PATTERN


class VacancyFields(StrictModel):
    employer: str = Field(min_length=1, max_length=200, examples=["朝阳区某物业服务有限公司"])
    title: str = Field(min_length=1, max_length=200, examples=["小区保安"])
    occupation_code: str | None = Field(
        None, pattern=OCCUPATION_CODE_PATTERN, examples=["4-10-05-02"],
        description="CSCO 2022 code; the title coder fills it when missing.",
    )
    openings: int = Field(1, ge=1, le=100_000)
    district: str = Field(min_length=1, max_length=100)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    hours_per_week: float | None = Field(None, gt=0, le=84, description="Contracted hours per week.")
    shifts: list[Shift] = Field(default_factory=list, description="Shifts the job requires; empty = day.")
    pay_min: int | None = Field(None, ge=0, le=1_000_000, description="Yuan per month.")
    pay_max: int | None = Field(None, ge=0, le=1_000_000, description="Yuan per month.")
    education_min: EducationLevel | None = None
    education_min_is_hard: bool = Field(
        False, description="True when the minimum is a legal or stated hard requirement."
    )
    required_certificates: list[str] = Field(default_factory=list, max_length=20)
    physical_demands: list[PhysicalDemand] = Field(default_factory=list)
    public_welfare: bool = Field(False, description="公益性岗位")
    internship: bool = Field(False, description="见习")
    directed_training: bool = Field(False, description="定向培训")
    posted_on: date | None = None
    closes_on: date | None = None

    @field_validator("required_certificates")
    @classmethod
    def _no_blank(cls, values: list[str]) -> list[str]:
        if any(not v.strip() for v in values):
            raise ValueError("certificate names must not be blank")
        return values

    @model_validator(mode="after")
    def _consistent(self) -> "VacancyFields":
        if self.pay_min is not None and self.pay_max is not None and self.pay_min > self.pay_max:
            raise ValueError("pay_min must not exceed pay_max")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.posted_on and self.closes_on and self.closes_on < self.posted_on:
            raise ValueError("closes_on must not be before posted_on")
        return self


class VacancyIn(VacancyFields):
    """A new vacancy; ``external_id`` is the source system's id when there is one."""

    external_id: str | None = Field(None, max_length=64)


class VacancyOut(OutModel):
    id: str
    organisation_id: str | None = None
    external_id: str | None = None
    employer: str
    title: str
    occupation_code: str | None
    occupation_code_confidence: float | None = Field(
        None, description="0–1 when the code came from the title coder; None when given."
    )
    occupation_candidates: list[dict] = Field(
        default_factory=list, description="The title coder's top 3 [{code, name_zh, confidence}] when it coded.")
    openings: int
    district: str
    lat: float | None
    lon: float | None
    hours_per_week: float | None
    shifts: list[Shift]
    pay_min: int | None
    pay_max: int | None
    education_min: EducationLevel | None
    education_min_is_hard: bool
    required_certificates: list[str]
    physical_demands: list[PhysicalDemand]
    public_welfare: bool
    internship: bool
    directed_training: bool
    posted_on: date | None
    closes_on: date | None
    created_at: datetime | None = None
