"""A registered job seeker (服务对象) as the API and the cores see them."""
from datetime import datetime

from pydantic import Field, field_validator

from models.base import OutModel, StrictModel
from models.enums import EducationLevel, Gender, HardToEmployCategory, PhysicalDemand, Shift

OCCUPATION_CODE_PATTERN = r"^\d-\d{2}(-\d{2}){0,2}$"  # CSCO 2022, e.g. 4-10-05-02


class Constraints(StrictModel):
    """What the person has declared they can and cannot do; the matcher treats these as hard."""

    max_hours_per_week: int | None = Field(None, ge=1, le=84, description="Hours per week, 1–84.")
    available_shifts: list[Shift] = Field(default_factory=list, description="Empty means any.")
    max_commute_minutes: int | None = Field(None, ge=0, le=240, description="One way, minutes.")
    physical_limitations: list[PhysicalDemand] = Field(default_factory=list)


class WorkHistoryEntry(StrictModel):
    """One past job, coded to the Chinese occupational classification (CSCO 2022)."""

    occupation_code: str = Field(pattern=OCCUPATION_CODE_PATTERN, examples=["4-10-05-02"])
    title: str | None = Field(None, max_length=200)
    months: int = Field(ge=0, le=720, description="Duration in months.")
    end_year: int | None = Field(None, ge=1950, le=2100,
                                 description="Year the job ended; leave out for a current job. Matching weighs recent work more.")


class PriorityGroups(StrictModel):
    """Policy priority flags (零就业家庭, 就业困难人员, 援助卡)."""

    zero_employment_family: bool = False
    hard_to_employ: HardToEmployCategory | None = None
    assistance_card: bool = False


class PersonFields(StrictModel):
    """Everything a case system may set about a person; all optional so updates can be partial."""

    name: str | None = Field(None, max_length=100, description="Stored only if the centre keeps names.")
    birth_year: int | None = Field(None, ge=1930, le=2015)
    gender: Gender | None = Field(None, description="For fairness audits only.")
    education: EducationLevel | None = None
    district: str | None = Field(None, max_length=100)
    home_lat: float | None = Field(None, ge=-90, le=90)
    home_lon: float | None = Field(None, ge=-180, le=180)
    expected_monthly_pay: int | None = Field(None, ge=0, le=1_000_000, description="Yuan per month.")
    priority: PriorityGroups | None = None
    constraints: Constraints | None = None
    skills: list[str] | None = Field(None, max_length=200)
    certificates: list[str] | None = Field(None, max_length=200)
    work_history: list[WorkHistoryEntry] | None = Field(None, max_length=100)

    @field_validator("skills", "certificates")
    @classmethod
    def _no_blank_entries(cls, values: list[str] | None) -> list[str] | None:
        if values is not None and any(not v.strip() for v in values):
            raise ValueError("entries must not be blank; remove the empty strings")
        return values


class PersonCreate(PersonFields):
    """A new person; ``external_id`` is the case system's id, unique within the organisation."""

    external_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")


class PersonUpdate(PersonFields):
    """A partial update: fields left out keep their value; ``null`` clears a field."""


class PersonOut(OutModel):
    """A person as the API returns them. ``id`` is the pseudonymous id used everywhere else."""

    id: str
    organisation_id: str
    external_id: str | None
    name: str | None
    birth_year: int | None
    gender: Gender | None
    education: EducationLevel | None
    district: str | None
    home_lat: float | None
    home_lon: float | None
    expected_monthly_pay: int | None
    priority: PriorityGroups
    constraints: Constraints
    skills: list[str]
    certificates: list[str]
    work_history: list[WorkHistoryEntry]
    created_at: datetime
    updated_at: datetime
