"""Database tables: Referrals, applications, outcomes and follow-up contacts (pathway issue, items 1–2).

Rows that belong to a person set __erased_with_person__ = True and carry a person_id column:
erasing the person deletes them (api.services erasure walks Base.metadata).

``ranking_logs`` keeps every ranking shown for a person (what was shown, in which order, with which
score and exploration propensity) so that referrals and outcomes can be traced back to it.

``referrals``, ``outcome_events`` and ``followups`` are append-only records: a mistake is put right by
a new row whose ``corrects_id`` names the row it replaces (with ``correction_reason``, ``recorded_by``
and ``recorded_at``); the "effective" rows are those no later row corrects. ``retracted`` marks a
correction that withdraws the corrected row altogether (it never happened / wrong person).
"""
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base, UTCDateTime, utcnow


class RankingLog(Base):
    """One ranking of vacancies or programmes produced for a person. ``items`` is the list shown, best
    first: [{"item_id", "rank" (1-based), "score" (0–100 as shown), "exploration" (bool),
    "propensity" (probability in (0, 1] that the item was shown at that rank)}]."""

    __tablename__ = "ranking_logs"
    __erased_with_person__ = True

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    matcher_version: Mapped[str] = mapped_column(String(40))
    model_version: Mapped[str | None] = mapped_column(String(40))
    items: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Referral(Base):
    """A person referred to (or applying for) a vacancy. When ``match_id`` is set the rank, score,
    exploration flag, propensity and matcher version are copied from that ranking's item."""

    __tablename__ = "referrals"
    __erased_with_person__ = True

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    vacancy_id: Mapped[str] = mapped_column(ForeignKey("vacancies.id"), index=True)
    source: Mapped[str] = mapped_column(String(32))
    match_id: Mapped[str | None] = mapped_column(ForeignKey("ranking_logs.id"))
    rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    matcher_version: Mapped[str | None] = mapped_column(String(40))
    model_version: Mapped[str | None] = mapped_column(String(40))
    exploration: Mapped[bool] = mapped_column(default=False)
    propensity: Mapped[float | None] = mapped_column(Float)
    referred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    retracted: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("referrals.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)


class OutcomeEvent(Base):
    """What came of an application: interview, offer, hired, rejected, no response, withdrawn.
    A hire (``kind='hired'``) is a placement; ``referral_id`` is null for a hire the person found or a
    placement through training, an internship or a public-welfare post."""

    __tablename__ = "outcome_events"
    __erased_with_person__ = True

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referrals.id"), index=True)
    vacancy_id: Mapped[str | None] = mapped_column(ForeignKey("vacancies.id"))
    kind: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[date] = mapped_column(Date)
    start_date: Mapped[date | None] = mapped_column(Date)
    contract_type: Mapped[str | None] = mapped_column(String(32))
    monthly_pay: Mapped[int | None] = mapped_column(Integer)
    weekly_hours: Mapped[float | None] = mapped_column(Float)
    placement_route: Mapped[str | None] = mapped_column(String(32))
    rejected_by: Mapped[str | None] = mapped_column(String(16))
    reason_codes: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text)
    retracted: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("outcome_events.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)


class FollowUp(Base):
    """A follow-up contact after a placement (``placement_id`` = the hired outcome event)."""

    __tablename__ = "followups"
    __erased_with_person__ = True

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    placement_id: Mapped[str] = mapped_column(ForeignKey("outcome_events.id"), index=True)
    contacted_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str | None] = mapped_column(String(40))
    difficulties: Mapped[str | None] = mapped_column(Text)
    retracted: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("followups.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)
