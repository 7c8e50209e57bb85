"""Assessment sessions as the API and the administration logic see them."""
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from models.base import OutModel, StrictModel
from models.instrument import InstrumentPublic, ItemPublic, Lang


class PlanPart(BaseModel):
    """One part of a session's frozen plan: which items of which instrument version, how delivered.

    ``item_ids`` is the administration order for ``all``/``form`` parts and the bank for ``adaptive``
    parts. ``page_size`` items are shown per screen. ``time_limit_seconds`` applies to the whole part.
    """

    instrument_id: str
    instrument_version: str
    mode: Literal["all", "form", "adaptive"]
    form_id: str | None = None
    item_ids: list[str]
    page_size: int = Field(ge=1)
    max_items: int | None = None
    target_se: float | None = None
    time_limit_seconds: int | None = None


class AssessmentCreate(StrictModel):
    person_id: str = Field(min_length=1, max_length=40)
    battery: str = Field("full", min_length=1, max_length=64, description="Battery id (GET /v1/batteries).")
    lang: Lang = "zh-CN"
    mode: Literal["online", "paper"] = Field("online", description="paper: fixed forms, entered by a counsellor.")


class PartProgress(BaseModel):
    instrument_id: str
    mode: str
    answered: int
    planned: int = Field(description="Items in the part (for adaptive parts: the maximum length).")
    finished: bool


class AssessmentOut(OutModel):
    id: str
    person_id: str
    battery_id: str
    lang: str
    mode: str
    status: Literal["open", "completed", "cancelled"] = Field(
        description="cancelled: closed by a counsellor without scoring.")
    created_at: datetime
    completed_at: datetime | None
    progress: list[PartProgress]
    result_id: str | None = None


class AssessmentCreated(AssessmentOut):
    """Returned once, at creation: ``token`` lets the test taker in; give it to them as a link or QR code."""

    token: str
    take_path: str


class AnswerIn(StrictModel):
    instrument_id: str | None = Field(None, max_length=64, description="The part's instrument (item ids are "
                                      "unique only within an instrument); defaults to the current part.")
    item_id: str = Field(min_length=1, max_length=64)
    answer: str = Field(min_length=1, max_length=32, description="Option id (choice), 1..k (Likert), same/different.")
    response_time_ms: int | None = Field(None, ge=0, le=3_600_000)


class AnswersIn(StrictModel):
    answers: list[AnswerIn] = Field(min_length=1, max_length=200)


class PaperSheet(StrictModel):
    """A whole paper answer sheet for one instrument, entered by a counsellor."""

    instrument_id: str = Field(min_length=1, max_length=64)
    instrument_version: str = Field(min_length=1, max_length=64, description="As printed on the sheet.")
    responses: dict[str, str] = Field(min_length=1, description="item id → answer; omit unanswered items.")


class TakePart(BaseModel):
    index: int
    count: int
    instrument: InstrumentPublic = Field(description="Title, instructions, practice items; items left empty.")
    seconds_left: float | None = None


class TakePage(BaseModel):
    """What the test taker's screen shows next: the current part and the items of this page."""

    status: Literal["open", "completed"]
    lang: Lang
    part: TakePart | None = None
    items: list[ItemPublic] = Field(default_factory=list)
    answered: int
    planned: int
