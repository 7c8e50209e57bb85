"""Database tables: Training enrolments, internships, directed-training places and the entrepreneurship track (item 3).

Rows that belong to a person set __erased_with_person__ = True and carry a person_id column:
erasing the person deletes them (api.services erasure walks Base.metadata).

All three tables are append-only records: a mistake is put right by a new row whose ``corrects_id``
names the row it replaces (with ``correction_reason``, ``recorded_by`` and ``recorded_at``); the
"effective" rows are those no later row corrects. ``retracted`` marks a correction that withdraws the
corrected row altogether (it was recorded for the wrong person or never happened).
"""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base, UTCDateTime, utcnow


class Enrolment(Base):
    """A person's place on a training programme (module 5) or an internship / directed-training place
    (module 6, ``vacancy_id``); ``kind`` is one of models.training_path.EnrolmentKind."""

    __tablename__ = "enrolments"
    __erased_with_person__ = True

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    programme_id: Mapped[str | None] = mapped_column(ForeignKey("training_programmes.id"))
    vacancy_id: Mapped[str | None] = mapped_column(ForeignKey("vacancies.id"))
    started_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    retracted: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("enrolments.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)


class EnrolmentEvent(Base):
    """What happened on an enrolment: completed, certificate awarded, dropped out, passed, failed,
    converted to a hire. ``certificate`` (for certificate_awarded) enters ``persons.certificates``;
    ``certificate_added`` remembers whether this event put it there (it was not already on the record),
    so that a correction removes only what the event added."""

    __tablename__ = "enrolment_events"
    __erased_with_person__ = True

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[date] = mapped_column(Date)
    certificate: Mapped[str | None] = mapped_column(String(100))
    certificate_added: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    retracted: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("enrolment_events.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)


class EntrepreneurshipStep(Base):
    """A recorded step of the 创业 track: referral to start-up support, a microcredit (小额担保贷款)
    application and its decision, business registration."""

    __tablename__ = "entrepreneurship_steps"
    __erased_with_person__ = True

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    retracted: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("entrepreneurship_steps.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)
