"""Hardening: revocable page sessions, idempotency records without secrets (expiring, erasable), an audit
``detail`` column (one row per list call names the ids) and an audit log PostgreSQL refuses to TRUNCATE.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)

# UPDATE/DELETE are refused row by row (0001); TRUNCATE bypasses row triggers, so it needs its own.
_PG_TRUNCATE = ("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()")


def upgrade() -> None:
    op.create_table(
        "page_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("key_id", sa.String(40), sa.ForeignKey("api_keys.id"), nullable=False),
        sa.Column("organisation_id", sa.String(40), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS),
    )
    op.create_index("ix_page_sessions_key_id", "page_sessions", ["key_id"])
    # Stored responses may hold secrets and are replayed without checking the caller: start afresh.
    op.execute("DELETE FROM idempotency_records")
    with op.batch_alter_table("idempotency_records") as table:
        table.add_column(sa.Column("secret_withheld", sa.Boolean, nullable=False, server_default=sa.false()))
        table.add_column(sa.Column("person_id", sa.String(40)))
    op.create_index("ix_idempotency_records_person_id", "idempotency_records", ["person_id"])
    op.create_index("ix_idempotency_records_created_at", "idempotency_records", ["created_at"])
    # A plain ADD COLUMN (no table rebuild), so the append-only triggers stay in place on SQLite.
    op.add_column("audit_log", sa.Column("detail", sa.JSON))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_TRUNCATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    op.drop_column("audit_log", "detail")
    op.drop_index("ix_idempotency_records_created_at", "idempotency_records")
    op.drop_index("ix_idempotency_records_person_id", "idempotency_records")
    with op.batch_alter_table("idempotency_records") as table:
        table.drop_column("person_id")
        table.drop_column("secret_withheld")
    op.drop_index("ix_page_sessions_key_id", "page_sessions")
    op.drop_table("page_sessions")
