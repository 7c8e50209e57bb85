"""The test taker's side: opened with the session token, no API key. Items come one page at a time in
the session's language (``?lang=`` switches it); answers are saved as they arrive.

A timed part's clock starts when the person has read the instructions and done the practice
(``POST /start``), or at the latest with the part's first answer; reading the instructions never costs
test time."""
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.exc import IntegrityError

from api import audit
from api.deps import SessionDep
from api.errors import Problem
from api.services.assessments import (
    AssessmentError,
    PartState,
    current_state,
    find_by_token,
    instrument_for,
    mark_started,
    part_states,
    save_online_answers,
    started_at,
    utcnow,
)
from api.services.results import complete_session
from assessment.administration import planned_length, seconds_left
from instruments.registry_public import public_view
from models.assessment import AnswersIn, TakePage, TakePart

router = APIRouter(prefix="/v1/take", tags=["test taker"])
LangQuery = Annotated[Literal["zh-CN", "en"] | None, Query(description="Switch the language of the texts.")]


def _session(db, token: str):
    row = find_by_token(db, token)
    if row is None:
        raise Problem(404, "Unknown link", "This test link is not valid. Ask your counsellor for a new one.")
    return row


def _page(db, row, lang: str, start: bool = False, states: list[PartState] | None = None) -> TakePage:
    """The page to show now; ``start`` also starts the current part's clock. ``states`` are the parts'
    states when the request already computed them (saving answers does)."""
    now = utcnow()
    states = states if states is not None else part_states(db, row, now)
    answered = sum(len(s.answered) for s in states)
    planned = sum(planned_length(s.part) for s in states)
    current = current_state(states) if row.status == "open" else None
    if current is None:
        if row.status == "open":
            complete_session(db, row, states, None)
        return TakePage(status="completed", lang=lang, answered=answered, planned=planned)
    if start:
        mark_started(row, current.index, now)
    try:
        instrument = instrument_for(current.part)
    except AssessmentError as error:
        raise error.problem() from error
    view = public_view(instrument, lang, current.part.form_id if current.part.mode == "form" else None)
    by_id = {item.id: item for item in view.items}
    part = TakePart(index=current.index, count=len(states),
                    instrument=view.model_copy(update={"items": [], "forms": []}),
                    seconds_left=seconds_left(current.part, started_at(row, current.index), now))
    return TakePage(status="open", lang=lang, part=part, items=[by_id[i] for i in current.page],
                    answered=answered, planned=planned)


def _reply(db, request: Request, row, lang: str | None, action: str, start: bool = False,
           states: list[PartState] | None = None) -> TakePage:
    """Build the page, audit the test taker's action and commit the request."""
    page = _page(db, row, lang or row.lang, start, states)
    audit.record(db, request, None, "assessment", action, row.id, row.organisation_id)
    db.commit()
    return page


@router.get("/{token}", response_model=TakePage, summary="The current page (resumes where the person stopped)")
def current_page(token: str, request: Request, db: SessionDep, lang: LangQuery = None) -> TakePage:
    return _reply(db, request, _session(db, token), lang, "take_view")


@router.post("/{token}/start", response_model=TakePage,
             summary="Start the current part's clock (call when the instructions and practice are done)")
def start_part(token: str, request: Request, db: SessionDep, lang: LangQuery = None) -> TakePage:
    return _reply(db, request, _session(db, token), lang, "part_start", start=True)


@router.post("/{token}/answers", response_model=TakePage,
             summary="Save answers (a retried identical answer changes nothing) and get the next page")
def answer(token: str, body: AnswersIn, request: Request, db: SessionDep, lang: LangQuery = None) -> TakePage:
    try:
        return _save_answers(db, request, token, body, lang)
    except IntegrityError:
        # The same answer arrived twice at once (a double tap, a retry racing the first) and the other
        # request stored it: run again, and the answer is now a retry, which changes nothing.
        db.rollback()
        return _save_answers(db, request, token, body, lang)


def _save_answers(db, request: Request, token: str, body: AnswersIn, lang: str | None) -> TakePage:
    row = _session(db, token)
    if row.status != "open":
        raise Problem(409, "Test finished", "This test is finished; thank you. Your answers are saved.")
    try:
        states = save_online_answers(db, row, body.answers, utcnow())
    except AssessmentError as error:
        raise error.problem() from error
    # Commit the answers before working out the next page (a CAT replay): on SQLite the write lock is then
    # held only for the inserts, not for the computation, so other takers' answers do not queue behind it.
    # Should the page then fail, the answers are kept and a retry of the same answers changes nothing.
    # The states computed while saving give the next page: each part's CAT is replayed once per request.
    db.commit()
    return _reply(db, request, row, lang, "answer", states=states)
