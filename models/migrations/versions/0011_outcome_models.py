"""Stored outcome models (learning from outcomes).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outcome_models",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("trained_at", _TS, nullable=False),
        sa.Column("trained_by", sa.String(40), nullable=False),
        sa.Column("estimator", sa.String(32), nullable=False),
        sa.Column("training_rows", sa.Integer, nullable=False),
        sa.Column("metrics", sa.JSON, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("decided_at", _TS, nullable=False),
        sa.Column("model", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("organisation_id", "version", name="uq_outcome_models_org_version"),
    )
    op.create_index("ix_outcome_models_organisation_id", "outcome_models", ["organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_outcome_models_organisation_id", table_name="outcome_models")
    op.drop_table("outcome_models")
