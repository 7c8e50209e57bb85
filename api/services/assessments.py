"""Running assessment sessions: creation, serving pages, saving answers, paper sheets, completion.

The plan is frozen at creation; answers are saved one by one as they come, so a closed browser or a
crashed server loses nothing and the next request resumes where the person stopped. Every decision about
what comes next is made by ``assessment.administration`` from the stored answers alone.
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import Problem
from api.security import new_id
from api.settings import get_settings
from api.tenancy import owned_or_404
from assessment.administration import (answer_problem, build_plan, next_page, part_timed_out,
                                       planned_length)
from instruments.registry import load_all, load_batteries
from models.assessment import AnswerIn, PartProgress, PlanPart
from models.instrument import Instrument
from models.tables import AssessmentResponse, AssessmentResult, AssessmentSession, Person


class AssessmentError(ValueError):
    """A request the session cannot accept: ``status`` (409/422), the offending ``field`` and why."""

    def __init__(self, status: int, field: str, message: str, more: list[tuple[str, str]] | None = None):
        super().__init__(f"{field}: {message}")
        self.status = status
        self.problems = [(field, message), *(more or [])]

    def problem(self) -> Problem:
        """The problem document the API answers with: every offending field and why."""
        title = "Conflict" if self.status == 409 else "Invalid answer sheet" if len(self.problems) > 1 \
            else "Invalid request"
        return Problem(self.status, title, "; ".join(f"{f}: {m}" for f, m in self.problems),
                       [{"field": f, "message": m} for f, m in self.problems])


def load_owned_assessment(db: Session, organisation_id: str, assessment_id: str) -> AssessmentSession:
    """The organisation's assessment, or ``Problem`` 404 (another organisation's looks like none)."""
    return owned_or_404(db, organisation_id, AssessmentSession, assessment_id, "assessment")


def assessments_of(db: Session, person: Person) -> list[AssessmentSession]:
    """The person's assessments, newest first."""
    return list(db.scalars(select(AssessmentSession).where(AssessmentSession.person_id == person.id)
                           .order_by(AssessmentSession.created_at.desc(), AssessmentSession.id)))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def create_session(db: Session, person: Person, battery_id: str, lang: str, mode: str,
                   created_by: str | None) -> tuple[AssessmentSession, str]:
    """Freeze the battery into a plan and open a session; returns it with the test taker's token."""
    batteries = load_batteries()
    if battery_id not in batteries:
        raise AssessmentError(422, "battery", f"unknown battery {battery_id!r}; use one of {sorted(batteries)}")
    plan = build_plan(batteries[battery_id], load_all(), paper=mode == "paper")
    token = secrets.token_urlsafe(24)
    row = AssessmentSession(
        id=new_id("as"), organisation_id=person.organisation_id, person_id=person.id, battery_id=battery_id,
        lang=lang, mode=mode, status="open", token_hash=token_hash(token), created_by=created_by,
        plan=[part.model_dump() for part in plan], part_started={})
    db.add(row)
    db.flush()
    return row, token


def plan_of(row: AssessmentSession) -> list[PlanPart]:
    return [PlanPart.model_validate(part) for part in row.plan]


def instrument_for(part: PlanPart) -> Instrument:
    """The instrument version the plan was made with; refuses to go on if the bank has changed since."""
    instrument = load_all()[part.instrument_id]
    if instrument.version != part.instrument_version:
        raise AssessmentError(409, "instrument_version",
                              f"{part.instrument_id} changed since this session began (was {part.instrument_version}, "
                              f"now {instrument.version}); complete this session and start a new one")
    return instrument


def answers_by_part(db: Session, row: AssessmentSession) -> dict[int, list[AssessmentResponse]]:
    """Stored answers per part index, in the order they were given."""
    out: dict[int, list[AssessmentResponse]] = {i: [] for i in range(len(row.plan))}
    query = select(AssessmentResponse).where(AssessmentResponse.session_id == row.id).order_by(AssessmentResponse.id)
    for response in db.scalars(query):
        out[response.part_index].append(response)
    return out


@dataclass
class PartState:
    index: int
    part: PlanPart
    answered: list[AssessmentResponse]
    page: list[str]
    timed_out: bool
    finished: bool


def part_states(db: Session, row: AssessmentSession, now: datetime) -> list[PartState]:
    """Where every part stands: its answers, the page it would show next, whether it is finished.

    An adaptive part's next page replays its CAT over every answer, so a request computes this once
    (:func:`save_online_answers` returns it updated) rather than once per answer."""
    stored = answers_by_part(db, row)
    return [part_state(row, index, part, stored[index], now) for index, part in enumerate(plan_of(row))]


def part_state(row: AssessmentSession, index: int, part: PlanPart, answered: list[AssessmentResponse],
               now: datetime) -> PartState:
    """One part's state from its answers (in the order given)."""
    timed_out = part_timed_out(part, started_at(row, index), now)
    page = [] if timed_out or row.mode == "paper" else next_page(
        part, instrument_for(part), [(a.item_id, a.answer) for a in answered], f"{row.id}:{index}")
    finished = timed_out or (row.mode != "paper" and not page)
    return PartState(index, part, answered, page, timed_out, finished)


def started_at(row: AssessmentSession, index: int) -> datetime | None:
    """When part ``index`` was first shown (UTC), or None if it has not been."""
    value = (row.part_started or {}).get(str(index))
    return datetime.fromisoformat(value) if value else None


def progress(states: list[PartState]) -> list[PartProgress]:
    return [PartProgress(instrument_id=s.part.instrument_id, mode=s.part.mode, answered=len(s.answered),
                         planned=planned_length(s.part), finished=s.finished) for s in states]


def current_state(states: list[PartState]) -> PartState | None:
    """The first unfinished part, or None when the whole battery is done."""
    return next((s for s in states if not s.finished), None)


def mark_started(row: AssessmentSession, index: int, now: datetime) -> None:
    """Start a part's clock the first time its page is shown (idempotent)."""
    started = dict(row.part_started or {})
    if str(index) not in started:
        started[str(index)] = now.isoformat()
        row.part_started = started


def save_online_answers(db: Session, row: AssessmentSession, answers: list[AnswerIn],
                        now: datetime) -> list[PartState]:
    """Save answers to the current part in the order given; an identical retry changes nothing.

    Returns the parts' states after the answers (computed once, then only the answered part again), so
    the caller can show the next page without replaying every part's CAT. Raises ``AssessmentError``
    naming the item when an answer does not fit; the caller rolls back.
    """
    states = part_states(db, row, now)
    for answer in answers:
        current = current_state(states)
        field = f"answers.{answer.item_id}"
        candidates = [s for s in states if answer.item_id in s.part.item_ids
                      and answer.instrument_id in (None, s.part.instrument_id)]
        if not candidates:
            raise AssessmentError(422, field, "this item is not part of the session")
        if any(a.item_id == answer.item_id and a.answer == answer.answer for s in candidates for a in s.answered):
            continue  # a retried request: nothing to change
        owner = current if current in candidates else candidates[0]
        previous = next((a for a in owner.answered if a.item_id == answer.item_id), None)
        if owner is not current:
            earlier = next((s for s in candidates if s.timed_out), None)
            raise AssessmentError(409, field, "time is up for this part" if earlier
                                  else "this part is not the one under way")
        problem = answer_problem(instrument_for(owner.part), answer.item_id, answer.answer)
        if problem:
            raise AssessmentError(422, field, problem)
        if previous is not None:
            if owner.part.mode == "adaptive":
                raise AssessmentError(409, field, "an adaptive test cannot change an answer once given")
            previous.answer, previous.response_time_ms, previous.answered_at = \
                answer.answer, answer.response_time_ms, now
        else:
            if answer.item_id not in current.page:
                raise AssessmentError(409, field, "this item is not on the current page; reload the page")
            mark_started(row, owner.index, now)
            response = AssessmentResponse(session_id=row.id, part_index=owner.index,
                                          instrument_id=owner.part.instrument_id, item_id=answer.item_id,
                                          answer=answer.answer, response_time_ms=answer.response_time_ms,
                                          source="online", answered_at=now)
            db.add(response)
            states[owner.index] = part_state(row, owner.index, owner.part, [*owner.answered, response], now)
        db.flush()
    row.updated_at = now
    return states


def save_paper_sheet(db: Session, row: AssessmentSession, instrument_id: str, version: str,
                     responses: dict[str, str], now: datetime) -> None:
    """Store a whole paper sheet for one instrument, or nothing: every problem is collected first."""
    plan = plan_of(row)
    index = next((i for i, p in enumerate(plan) if p.instrument_id == instrument_id), None)
    if index is None:
        raise AssessmentError(422, "instrument_id", f"{instrument_id!r} is not in battery {row.battery_id!r}; "
                                                    f"use one of {[p.instrument_id for p in plan]}")
    part = plan[index]
    if version != part.instrument_version:
        raise AssessmentError(422, "instrument_version", f"the sheet is for {version!r} but this session uses "
                                                         f"{part.instrument_version!r}; use the matching sheet")
    instrument = instrument_for(part)
    problems = []
    for item_id, answer in responses.items():
        if item_id not in part.item_ids:
            problems.append((f"responses.{item_id}", f"not an item of the {part.form_id or 'planned'} form"))
        elif (problem := answer_problem(instrument, item_id, answer)) is not None:
            problems.append((f"responses.{item_id}", problem))
    if problems:
        raise AssessmentError(422, *problems[0], more=problems[1:])
    existing = {a.item_id: a for a in answers_by_part(db, row)[index]}
    for item_id, answer in responses.items():
        if item_id in existing:
            existing[item_id].answer, existing[item_id].source, existing[item_id].answered_at = answer, "paper", now
        else:
            db.add(AssessmentResponse(session_id=row.id, part_index=index, instrument_id=instrument_id,
                                      item_id=item_id, answer=answer, source="paper", answered_at=now))
    row.updated_at = now
    db.flush()


def find_by_token(db: Session, token: str, now: datetime | None = None) -> AssessmentSession | None:
    """The session a test-taker link opens; None when unknown, expired, or the session was cancelled."""
    row = db.scalar(select(AssessmentSession).where(AssessmentSession.token_hash == token_hash(token)))
    if row is None or row.status == "cancelled" or (row.status == "open" and link_expired(row, now or utcnow())):
        return None
    return row


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def link_expires_at(row: AssessmentSession) -> datetime:
    """When the current link stops working: issued (or created) + ``PATHFIT_LINK_EXPIRY_DAYS`` (UTC)."""
    issued = row.token_issued_at or row.created_at or utcnow()
    return _aware(issued) + timedelta(days=get_settings().link_expiry_days)


def link_expired(row: AssessmentSession, now: datetime) -> bool:
    return _aware(now) >= link_expires_at(row)


def reissue_token(row: AssessmentSession, now: datetime) -> str:
    """A new link for an open session; the old one stops working at once. Returns the new token."""
    if row.status != "open":
        raise AssessmentError(409, "status", f"the assessment is {row.status}; only an open one gets a new link")
    token = secrets.token_urlsafe(24)
    row.token_hash, row.token_issued_at, row.updated_at = token_hash(token), now, now
    return token


def cancel_session(row: AssessmentSession, reason: str, now: datetime) -> None:
    """Close an open session without scoring it; its link stops working; answers are kept."""
    reason = reason.strip()
    if row.status != "open":
        raise AssessmentError(409, "status", f"the assessment is {row.status}; only an open one can be cancelled")
    if not reason or len(reason) > 200:
        raise AssessmentError(422, "reason", "give a reason of 1 to 200 characters")
    row.status, row.cancel_reason, row.completed_at, row.updated_at = "cancelled", reason, now, now


def open_sessions(db: Session, person: Person) -> list[AssessmentSession]:
    """The person's assessments still open, newest first."""
    return list(db.scalars(select(AssessmentSession).where(AssessmentSession.person_id == person.id,
                                                           AssessmentSession.status == "open")
                           .order_by(AssessmentSession.created_at.desc(), AssessmentSession.id)))


INVALID_SCAN = 1000  # the newest results looked at for validity flags


def _today_utc() -> tuple[datetime, datetime]:
    """Today in the centre's zone (``PATHFIT_TIMEZONE``), as a UTC interval [start, end)."""
    zone = ZoneInfo(get_settings().timezone)
    start = datetime.combine(datetime.now(zone).date(), time(0), zone)
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)


def _invalid(document: dict) -> bool:
    """Whether a result document has a part that cannot be interpreted or an invalid validity flag."""
    return any(not part.get("interpretable", True) or any(f.get("severity") == "invalid" for f in part.get("validity", []))
               for part in document.get("instruments", []))


def assessments_in_view(db: Session, organisation_id: str, view: str,
                        limit: int) -> list[tuple[AssessmentSession, Person]]:
    """The centre's assessments with their person, newest first, in one view: ``open`` (in progress),
    ``today`` (completed today in the centre's time zone) or ``invalid`` (a result among the newest
    ``INVALID_SCAN`` is flagged invalid); at most ``limit``."""
    base = select(AssessmentSession, Person).join(Person, Person.id == AssessmentSession.person_id).where(
        AssessmentSession.organisation_id == organisation_id)
    if view == "open":
        query = base.where(AssessmentSession.status == "open").order_by(AssessmentSession.created_at.desc())
    elif view == "today":
        start, end = _today_utc()
        query = base.where(AssessmentSession.status == "completed", AssessmentSession.completed_at >= start,
                           AssessmentSession.completed_at < end).order_by(AssessmentSession.completed_at.desc())
    elif view == "invalid":
        results = db.execute(select(AssessmentResult.session_id, AssessmentResult.document).where(
            AssessmentResult.organisation_id == organisation_id)
            .order_by(AssessmentResult.created_at.desc()).limit(INVALID_SCAN)).all()
        flagged = {session_id for session_id, document in results if _invalid(document or {})}
        query = base.where(AssessmentSession.id.in_(flagged)).order_by(AssessmentSession.created_at.desc())
    else:
        raise ValueError(f"view: {view!r} is not one of open, today, invalid")
    return [tuple(row) for row in db.execute(query.limit(limit)).all()]
