"""Organisation title aliases: the occupation code a person chose for a job title, and who chose it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation_title_aliases",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("title_normalised", sa.String(200), nullable=False),
        sa.Column("occupation_code", sa.String(16), nullable=False),
        sa.Column("vacancy_id", sa.String(40)),
        sa.Column("chosen_by_key_id", sa.String(40), nullable=False),
        sa.Column("model_code", sa.String(16)),
        sa.Column("model_confidence", sa.Float),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("organisation_id", "title_normalised", name="uq_org_title_alias"),
    )
    op.create_index("ix_organisation_title_aliases_organisation_id", "organisation_title_aliases", ["organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_organisation_title_aliases_organisation_id", table_name="organisation_title_aliases")
    op.drop_table("organisation_title_aliases")
