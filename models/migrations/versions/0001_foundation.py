"""Foundation: organisations, API keys, persons, append-only audit log, idempotency, occupations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")
_TS = sa.DateTime(timezone=True)

# Audit rows are append-only: the database itself refuses to change or remove them.
_SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]
_PG_TRIGGERS = [
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("district", sa.String(100)),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("label", sa.String(200)),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS),
    )
    op.create_index("ix_api_keys_organisation_id", "api_keys", ["organisation_id"])
    op.create_table(
        "persons",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("external_id", sa.String(64)),
        sa.Column("name", sa.String(100)),
        sa.Column("birth_year", sa.Integer),
        sa.Column("gender", sa.String(16)),
        sa.Column("education", sa.String(32)),
        sa.Column("district", sa.String(100)),
        sa.Column("home_lat", sa.Float),
        sa.Column("home_lon", sa.Float),
        sa.Column("expected_monthly_pay", sa.Integer),
        sa.Column("priority", sa.JSON, nullable=False),
        sa.Column("constraints", sa.JSON, nullable=False),
        sa.Column("skills", sa.JSON, nullable=False),
        sa.Column("certificates", sa.JSON, nullable=False),
        sa.Column("work_history", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("erased_at", _TS),
        sa.UniqueConstraint("organisation_id", "external_id", name="uq_person_external_id"),
    )
    op.create_index("ix_persons_organisation_id", "persons", ["organisation_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("key_id", sa.String(40)),
        sa.Column("organisation_id", sa.String(40)),
        sa.Column("resource", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(64)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("client_ip", sa.String(64)),
        sa.Column("request_id", sa.String(64)),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_org_at", "audit_log", ["organisation_id", "at"])
    op.create_table(
        "idempotency_records",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("idem_key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("response_body", sa.Text),
        sa.Column("content_type", sa.String(100)),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("scope", "idem_key", name="uq_idempotency_scope_key"),
    )
    op.create_table(
        "occupations",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("parent_code", sa.String(16)),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("definition_zh", sa.Text),
        sa.Column("aliases", sa.JSON, nullable=False),
    )
    op.create_index("ix_occupations_parent_code", "occupations", ["parent_code"])
    triggers = _PG_TRIGGERS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in ("occupations", "idempotency_records", "audit_log", "persons", "api_keys", "organisations"):
        op.drop_table(table)
