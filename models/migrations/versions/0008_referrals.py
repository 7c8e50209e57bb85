"""Referrals, ranking logs, outcome events and follow-up contacts.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _owned_by_person() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("person_id", sa.String(40), sa.ForeignKey("persons.id"), nullable=False),
    ]


def _append_only(table: str) -> list[sa.Column]:
    """The columns every append-only record carries: who, when, and which row it corrects and why."""
    return [
        sa.Column("retracted", sa.Boolean, nullable=False),
        sa.Column("recorded_by", sa.String(40), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
        sa.Column("corrects_id", sa.String(40), sa.ForeignKey(f"{table}.id")),
        sa.Column("correction_reason", sa.Text),
    ]


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "ranking_logs",
        *_owned_by_person(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("matcher_version", sa.String(40), nullable=False),
        sa.Column("model_version", sa.String(40)),
        sa.Column("items", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )
    _indexes("ranking_logs", "organisation_id", "person_id")
    op.create_table(
        "referrals",
        *_owned_by_person(),
        sa.Column("vacancy_id", sa.String(40), sa.ForeignKey("vacancies.id"), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("match_id", sa.String(40), sa.ForeignKey("ranking_logs.id")),
        sa.Column("rank", sa.Integer),
        sa.Column("score", sa.Float),
        sa.Column("matcher_version", sa.String(40)),
        sa.Column("model_version", sa.String(40)),
        sa.Column("exploration", sa.Boolean, nullable=False),
        sa.Column("propensity", sa.Float),
        sa.Column("referred_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        *_append_only("referrals"),
    )
    _indexes("referrals", "organisation_id", "person_id", "vacancy_id")
    op.create_table(
        "outcome_events",
        *_owned_by_person(),
        sa.Column("referral_id", sa.String(40), sa.ForeignKey("referrals.id")),
        sa.Column("vacancy_id", sa.String(40), sa.ForeignKey("vacancies.id")),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("start_date", sa.Date),
        sa.Column("contract_type", sa.String(32)),
        sa.Column("monthly_pay", sa.Integer),
        sa.Column("weekly_hours", sa.Float),
        sa.Column("placement_route", sa.String(32)),
        sa.Column("rejected_by", sa.String(16)),
        sa.Column("reason_codes", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
        *_append_only("outcome_events"),
    )
    _indexes("outcome_events", "organisation_id", "person_id", "referral_id")
    op.create_table(
        "followups",
        *_owned_by_person(),
        sa.Column("placement_id", sa.String(40), sa.ForeignKey("outcome_events.id"), nullable=False),
        sa.Column("contacted_on", sa.Date, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("left_on", sa.Date),
        sa.Column("left_reason", sa.String(40)),
        sa.Column("difficulties", sa.Text),
        *_append_only("followups"),
    )
    _indexes("followups", "organisation_id", "person_id", "placement_id")


def downgrade() -> None:
    for table in ("followups", "outcome_events", "referrals", "ranking_logs"):
        op.drop_table(table)
