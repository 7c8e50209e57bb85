"""Vacancies and training programmes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _owned(name: str, *columns: sa.Column, unique_name: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("organisation_id", sa.String(40), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("external_id", sa.String(64)),
        *columns,
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.UniqueConstraint("organisation_id", "external_id", name=unique_name),
    )
    op.create_index(f"ix_{name}_organisation_id", name, ["organisation_id"])


def upgrade() -> None:
    _owned(
        "vacancies",
        sa.Column("employer", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("occupation_code", sa.String(16)),
        sa.Column("occupation_code_confidence", sa.Float),
        sa.Column("occupation_candidates", sa.JSON, nullable=False),
        sa.Column("openings", sa.Integer, nullable=False),
        sa.Column("district", sa.String(100), nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("hours_per_week", sa.Float),
        sa.Column("shifts", sa.JSON, nullable=False),
        sa.Column("pay_min", sa.Integer),
        sa.Column("pay_max", sa.Integer),
        sa.Column("education_min", sa.String(32)),
        sa.Column("education_min_is_hard", sa.Boolean, nullable=False),
        sa.Column("required_certificates", sa.JSON, nullable=False),
        sa.Column("physical_demands", sa.JSON, nullable=False),
        sa.Column("public_welfare", sa.Boolean, nullable=False),
        sa.Column("internship", sa.Boolean, nullable=False),
        sa.Column("directed_training", sa.Boolean, nullable=False),
        sa.Column("posted_on", sa.Date),
        sa.Column("closes_on", sa.Date),
        unique_name="uq_vacancy_external_id",
    )
    op.create_index("ix_vacancies_occupation_code", "vacancies", ["occupation_code"])
    _owned(
        "training_programmes",
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("target_occupation_codes", sa.JSON, nullable=False),
        sa.Column("education_min", sa.String(32)),
        sa.Column("required_certificates", sa.JSON, nullable=False),
        sa.Column("certificates_awarded", sa.JSON, nullable=False),
        sa.Column("education_awarded", sa.String(32)),
        sa.Column("duration_weeks", sa.Float, nullable=False),
        sa.Column("hours_per_week", sa.Float),
        sa.Column("schedule_shifts", sa.JSON, nullable=False),
        sa.Column("district", sa.String(100), nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("cost_yuan", sa.Float, nullable=False),
        sa.Column("subsidy_yuan", sa.Float, nullable=False),
        sa.Column("start_date", sa.Date),
        sa.Column("placement_rate", sa.Float),
        unique_name="uq_programme_external_id",
    )


def downgrade() -> None:
    op.drop_table("training_programmes")
    op.drop_table("vacancies")
