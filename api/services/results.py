"""Scoring a session and storing its immutable result; re-scoring adds a new result that supersedes."""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.assessments import PartState, instrument_for, started_at, utcnow
from api.security import new_id
from assessment.scoring import Norming, PartAnswers, PersonFacts, score_session
from instruments.registry import load_bands, load_batteries, load_composites, load_norm_groups
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
