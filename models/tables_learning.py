"""Database tables: stored outcome-model versions (learning from outcomes, issue 17).

A version is trained by ``pathfit outcomes train`` (or the schedule) from the organisation's recorded
referrals and outcomes and compared offline with the ranking in use at once
(``api.services.learning``): ``status`` is 'active' when it beat the current ranking (the matcher
then uses it), 'rejected' when it did not (the reason is kept in ``decision``), 'retired' when a
later version replaced it. At most one version per organisation is active.

The model bytes hold fitted estimator parameters (tree splits, coefficients, calibration
thresholds), no person's row, so the table is not erased with a person; a retrained version no
longer reflects an erased person's outcomes.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.tables import Base, UTCDateTime, utcnow

MODEL_STATUSES = ("active", "rejected", "retired")


class OutcomeModelVersion(Base):
    """One trained outcome model: P(hired and still employed at 3 months | referral)."""

    __tablename__ = "outcome_models"
    __table_args__ = (UniqueConstraint("organisation_id", "version", name="uq_outcome_models_org_version"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    trained_by: Mapped[str] = mapped_column(String(40))
    estimator: Mapped[str] = mapped_column(String(32))
    training_rows: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[dict] = mapped_column(JSON)
    decision: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    model: Mapped[bytes] = mapped_column(LargeBinary)
