"""Test-taker links that expire and can be reissued; cancelling an assessment with a reason.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessment_sessions", sa.Column("token_issued_at", sa.DateTime(timezone=True)))
    op.add_column("assessment_sessions", sa.Column("cancel_reason", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("assessment_sessions") as table:
        table.drop_column("cancel_reason")
        table.drop_column("token_issued_at")
