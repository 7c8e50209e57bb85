"""Database tables: The pathway case file: module history and next-module decisions, and the 一人一策 plans (items 4–5).

Rows that belong to a person set __erased_with_person__ = True and carry a person_id column:
erasing the person deletes them (api.services erasure walks Base.metadata).

``pathway_steps`` is an append-only record: each row says the person entered ``module`` on ``entered_on``
and why (the rule the counsellor accepted, an override with its reason code, or the initial placement on
the path). A mistaken step is put right by a new row whose ``corrects_id`` names it (with
``correction_reason``); ``retracted`` marks a correction that withdraws the step altogether. The current
module is the module of the last effective step.

``plans`` keeps every version of a person's plan: an edit adds version n+1, signing sets ``status``,
``signed_by`` and ``signed_at`` on the latest draft once, and a signed version is never changed again.
"""
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base, UTCDateTime, utcnow


class PathwayStep(Base):
    """The person entered pathway module ``module`` (1–7) on ``entered_on``.

    ``reason`` is 'initial' (first placement on the path), 'rule' (the counsellor accepted the engine's
    proposal ``rule_id``) or 'override' (the counsellor chose another module; ``override_reason_code`` from
    the closed list in models.pathway, ``note`` free text). ``facts`` holds the case facts the engine saw;
    ``proposed_module``/``proposed_rule_id`` what it proposed when the decision was taken (kept for
    overrides so that the difference can be reviewed)."""

    __tablename__ = "pathway_steps"
    __erased_with_person__ = True

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    module: Mapped[int] = mapped_column(Integer)
    entered_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(16))
    rule_id: Mapped[str | None] = mapped_column(String(64))
    override_reason_code: Mapped[str | None] = mapped_column(String(40))
    proposed_module: Mapped[int | None] = mapped_column(Integer)
    proposed_rule_id: Mapped[str | None] = mapped_column(String(64))
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    retracted: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("pathway_steps.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)


class Plan(Base):
    """One version of a person's 一人一策 plan (援助协议). ``document``: goal family, steps
    [{text, owner, due_on}], supports [{name, status: 'to_check'}], review_on — see models.pathway.PlanDocument."""

    __tablename__ = "plans"
    __erased_with_person__ = True
    __table_args__ = (UniqueConstraint("person_id", "version", name="uq_plan_person_version"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    document: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signed_by: Mapped[str | None] = mapped_column(String(40))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
