"""Training enrolments, internships, entrepreneurship steps, households and public-welfare placements.

The public-welfare flag on vacancies already exists (0002); public-welfare placements are hired outcomes
with placement_route 'public_welfare' in outcome_events (0008), so this revision adds no table for them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _append_only(table: str) -> list[sa.Column]:
    """The columns every append-only record carries: who, when, and which row it corrects and why."""
    return [
        sa.Column("retracted", sa.Boolean, nullable=False),
        sa.Column("recorded_by", sa.String(40), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
        sa.Column("corrects_id", sa.String(40), sa.ForeignKey(f"{table}.id")),
        sa.Column("correction_reason", sa.Text),
    ]


def _owned_by_person() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("person_id", sa.String(40), sa.ForeignKey("persons.id"), nullable=False),
    ]


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "enrolments",
        *_owned_by_person(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("programme_id", sa.String(40), sa.ForeignKey("training_programmes.id")),
        sa.Column("vacancy_id", sa.String(40), sa.ForeignKey("vacancies.id")),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        *_append_only("enrolments"),
    )
    _indexes("enrolments", "organisation_id", "person_id")
    op.create_table(
        "enrolment_events",
        *_owned_by_person(),
        sa.Column("enrolment_id", sa.String(40), sa.ForeignKey("enrolments.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("certificate", sa.String(100)),
        sa.Column("certificate_added", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text),
        *_append_only("enrolment_events"),
    )
    _indexes("enrolment_events", "organisation_id", "person_id", "enrolment_id")
    op.create_table(
        "entrepreneurship_steps",
        *_owned_by_person(),
        sa.Column("step", sa.String(40), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        *_append_only("entrepreneurship_steps"),
    )
    _indexes("entrepreneurship_steps", "organisation_id", "person_id")
    op.create_table(
        "households",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("external_id", sa.String(64)),
        sa.Column("district", sa.String(100), nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("organisation_id", "external_id", name="uq_household_external_id"),
    )
    _indexes("households", "organisation_id")
    op.create_table(
        "household_members",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("household_id", sa.String(40), sa.ForeignKey("households.id"), nullable=False),
        sa.Column("person_id", sa.String(40), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("relation", sa.String(32)),
        sa.Column("joined_on", sa.Date, nullable=False),
        sa.Column("left_on", sa.Date),
        sa.Column("recorded_by", sa.String(40), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
        sa.UniqueConstraint("person_id", name="uq_household_member_person"),
    )
    _indexes("household_members", "organisation_id", "household_id")


def downgrade() -> None:
    for table in ("household_members", "households", "entrepreneurship_steps", "enrolment_events", "enrolments"):
        op.drop_table(table)
