"""Assessment sessions, responses and immutable results.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)
_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")

# Results are immutable: UPDATE is refused by the database (DELETE stays possible for erasure).
_SQLITE_TRIGGERS = ["CREATE TRIGGER assessment_results_no_update BEFORE UPDATE ON assessment_results "
                    "BEGIN SELECT RAISE(ABORT, 'assessment_results are immutable'); END"]
_PG_TRIGGERS = [
    "CREATE FUNCTION assessment_results_immutable() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'assessment_results are immutable'; END $$",
    "CREATE TRIGGER assessment_results_no_update BEFORE UPDATE ON assessment_results "
    "FOR EACH ROW EXECUTE FUNCTION assessment_results_immutable()",
]


def upgrade() -> None:
    op.create_table(
        "assessment_sessions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("person_id", sa.String(40), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("battery_id", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by", sa.String(40)),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("part_started", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("completed_at", _TS),
    )
    op.create_index("ix_assessment_sessions_organisation_id", "assessment_sessions", ["organisation_id"])
    op.create_index("ix_assessment_sessions_person_id", "assessment_sessions", ["person_id"])
    op.create_table(
        "assessment_responses",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.String(40), sa.ForeignKey("assessment_sessions.id"), nullable=False),
        sa.Column("part_index", sa.Integer, nullable=False),
        sa.Column("instrument_id", sa.String(64), nullable=False),
        sa.Column("item_id", sa.String(64), nullable=False),
        sa.Column("answer", sa.String(32), nullable=False),
        sa.Column("response_time_ms", sa.Integer),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("answered_at", _TS, nullable=False),
        sa.UniqueConstraint("session_id", "instrument_id", "item_id", name="uq_response_item"),
    )
    op.create_index("ix_assessment_responses_session_id", "assessment_responses", ["session_id"])
    op.create_table(
        "assessment_results",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("person_id", sa.String(40), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("session_id", sa.String(40), sa.ForeignKey("assessment_sessions.id"), nullable=False),
        sa.Column("supersedes_id", sa.String(40)),
        sa.Column("created_by", sa.String(40)),
        sa.Column("engine_version", sa.String(32), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )
    for column in ("organisation_id", "person_id", "session_id"):
        op.create_index(f"ix_assessment_results_{column}", "assessment_results", [column])
    for statement in _PG_TRIGGERS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS assessment_results_no_update ON assessment_results")
        op.execute("DROP FUNCTION IF EXISTS assessment_results_immutable()")
    for table in ("assessment_results", "assessment_responses", "assessment_sessions"):
        op.drop_table(table)
