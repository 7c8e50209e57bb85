"""Database tables: Households (一家一册) and their members (item 6).

Rows that belong to a person set __erased_with_person__ = True and carry a person_id column:
erasing the person deletes them (api.services erasure walks Base.metadata). A household row itself holds
no personal data and stays when a member is erased.

Whether a household is a zero-employment family is never stored: it is derived from the members'
placements (api/services/households.py). People placed on a public-welfare post (item 7) are recorded
as hired outcomes with placement_route 'public_welfare' in outcome_events (models/tables_referrals.py).
"""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base, UTCDateTime, utcnow


class Household(Base):
    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("organisation_id", "external_id", name="uq_household_external_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64))
    district: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HouseholdMember(Base):
    """A person's membership of one household (a person belongs to one household at most: person_id is
    unique). ``left_on`` ends the membership but keeps the row, so the household's status history still
    counts the time the person was in it."""

    __tablename__ = "household_members"
    __table_args__ = (UniqueConstraint("person_id", name="uq_household_member_person"),)
    __erased_with_person__ = True

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"))
    relation: Mapped[str | None] = mapped_column(String(32))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
