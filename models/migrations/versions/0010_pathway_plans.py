"""Pathway module history, next-module decisions and 一人一策 plans.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pathway_steps",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("person_id", sa.String(40), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("module", sa.Integer, nullable=False),
        sa.Column("entered_on", sa.Date, nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("rule_id", sa.String(64)),
        sa.Column("override_reason_code", sa.String(40)),
        sa.Column("proposed_module", sa.Integer),
        sa.Column("proposed_rule_id", sa.String(64)),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("retracted", sa.Boolean, nullable=False),
        sa.Column("recorded_by", sa.String(40), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
        sa.Column("corrects_id", sa.String(40), sa.ForeignKey("pathway_steps.id")),
        sa.Column("correction_reason", sa.Text),
    )
    op.create_index("ix_pathway_steps_organisation_id", "pathway_steps", ["organisation_id"])
    op.create_index("ix_pathway_steps_person_id", "pathway_steps", ["person_id"])
    op.create_table(
        "plans",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("person_id", sa.String(40), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("signed_by", sa.String(40)),
        sa.Column("signed_at", _TS),
        sa.UniqueConstraint("person_id", "version", name="uq_plan_person_version"),
    )
    op.create_index("ix_plans_organisation_id", "plans", ["organisation_id"])
    op.create_index("ix_plans_person_id", "plans", ["person_id"])


def downgrade() -> None:
    op.drop_table("plans")
    op.drop_table("pathway_steps")
