"""Scoring a session and storing its immutable result; re-scoring adds a new result that supersedes."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import Problem
from api.security import new_id
from api.services.assessments import PartState, instrument_for, part_states, progress, started_at, utcnow
from api.tenancy import owned_or_404
from assessment.scoring import Norming, PartAnswers, PersonFacts, score_session
from instruments.registry import load_bands, load_batteries, load_composites, load_norm_groups
from models.assessment import AssessmentOut
from models.result import ResultDocument, ResultOut
from models.tables import AssessmentResult, AssessmentSession, Person


def _minutes_used(row: AssessmentSession, state: PartState) -> float | None:
    """Working time of a timed online part: first display to last answer, at most the limit."""
    start = started_at(row, state.index)
    if row.mode == "paper" or start is None or not state.answered or state.part.time_limit_seconds is None:
        return None
    last = max(a.answered_at for a in state.answered)
    last = last if last.tzinfo else last.replace(tzinfo=start.tzinfo)
    return min((last - start).total_seconds(), state.part.time_limit_seconds) / 60


def score_document(db: Session, row: AssessmentSession, states: list[PartState], now: datetime) -> ResultDocument:
    person = db.get(Person, row.person_id)
    parts = [PartAnswers(instrument=instrument_for(s.part), mode=s.part.mode, item_ids=s.part.item_ids,
                         answers={a.item_id: a.answer for a in s.answered},
                         times_ms={a.item_id: a.response_time_ms for a in s.answered},
                         minutes_used=_minutes_used(row, s)) for s in states]
    age = now.year - person.birth_year if person.birth_year else None
    battery = load_batteries().get(row.battery_id)
    composites = [load_composites()[c] for c in battery.composites] if battery else []
    return score_session(parts, PersonFacts(age, person.education), Norming(load_norm_groups(), load_bands()),
                         composites, person_id=row.person_id, session_id=row.id, battery_id=row.battery_id,
                         scored_at=now)


def store_result(db: Session, row: AssessmentSession, document: ResultDocument, created_by: str | None,
                 supersedes: str | None = None) -> AssessmentResult:
    result = AssessmentResult(id=new_id("r"), organisation_id=row.organisation_id, person_id=row.person_id,
                              session_id=row.id, supersedes_id=supersedes, created_by=created_by,
                              engine_version=document.engine_version, document=document.model_dump(mode="json"))
    db.add(result)
    db.flush()
    return result


def complete_session(db: Session, row: AssessmentSession, states: list[PartState],
                     created_by: str | None) -> AssessmentResult:
    """Close the session and store its scored result (answers after this are refused)."""
    now = utcnow()
    result = store_result(db, row, score_document(db, row, states, now), created_by)
    row.status, row.completed_at, row.updated_at = "completed", now, now
    return result


def latest_result_id(db: Session, row: AssessmentSession) -> str | None:
    return db.scalar(select(AssessmentResult.id).where(AssessmentResult.session_id == row.id)
                     .order_by(AssessmentResult.created_at.desc(), AssessmentResult.id.desc()).limit(1))


def result_out(result: AssessmentResult) -> ResultOut:
    return ResultOut(id=result.id, person_id=result.person_id, session_id=result.session_id,
                     supersedes_id=result.supersedes_id, created_at=result.created_at,
                     document=ResultDocument.model_validate(result.document))


class CompletionRefused(Problem):
    """409: the assessment cannot be completed; ``reason`` is ``completed`` (it already is) or
    ``nothing_answered`` (there is nothing to score). The pages show their own message for each."""

    def __init__(self, reason: str) -> None:
        detail = {"completed": "This assessment is already completed; see its result.",
                  "nothing_answered": "No answer was given yet, so there is nothing to score."}[reason]
        super().__init__(409, "Assessment completed" if reason == "completed" else "Nothing answered", detail)
        self.reason = reason


def complete_assessment(db: Session, row: AssessmentSession, completed_by: str | None) -> AssessmentResult:
    """The counsellor closes an open assessment with at least one answer and it is scored, for the API
    and the pages alike; raises :class:`CompletionRefused` otherwise."""
    if row.status != "open":
        raise CompletionRefused("completed")
    states = part_states(db, row, utcnow())
    if not any(s.answered for s in states):
        raise CompletionRefused("nothing_answered")
    return complete_session(db, row, states, completed_by)


def assessment_out(db: Session, row: AssessmentSession) -> AssessmentOut:
    """The API view of an assessment: status, per-part progress and its latest result."""
    return AssessmentOut(id=row.id, person_id=row.person_id, battery_id=row.battery_id, lang=row.lang,
                         mode=row.mode, status=row.status, created_at=row.created_at, completed_at=row.completed_at,
                         progress=progress(part_states(db, row, utcnow())), result_id=latest_result_id(db, row))


def load_owned_result(db: Session, organisation_id: str, result_id: str) -> AssessmentResult:
    """The organisation's result, or ``Problem`` 404 (an erased person's results went with them)."""
    return owned_or_404(db, organisation_id, AssessmentResult, result_id, "result")


def results_of(db: Session, person: Person) -> list[AssessmentResult]:
    """The person's results, newest first."""
    return list(db.scalars(select(AssessmentResult).where(AssessmentResult.person_id == person.id)
                           .order_by(AssessmentResult.created_at.desc(), AssessmentResult.id.desc())))


def rescore(db: Session, old: AssessmentResult, created_by: str) -> AssessmentResult:
    """Score the same answers again with the current norms: a new result superseding ``old``."""
    row = db.get(AssessmentSession, old.session_id)
    now = utcnow()
    return store_result(db, row, score_document(db, row, part_states(db, row, now), now), created_by,
                        supersedes=old.id)


def results_with_people(db: Session, organisation_id: str, limit: int) -> list[tuple[AssessmentResult, Person]]:
    """The organisation's results of people who are not erased, with the person, newest first (at most
    ``limit``)."""
    return [tuple(row) for row in db.execute(
        select(AssessmentResult, Person).join(Person, Person.id == AssessmentResult.person_id)
        .where(AssessmentResult.organisation_id == organisation_id, Person.erased_at.is_(None))
        .order_by(AssessmentResult.created_at.desc()).limit(limit)).all()]
