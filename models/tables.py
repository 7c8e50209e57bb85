"""Database tables (SQLAlchemy 2 declarative). Only the API edge and migrations import this module.

Closed vocabularies are stored as short strings, not native enum types, so that adding a value never
needs a type migration on PostgreSQL. Timestamps are aware UTC datetimes on both back ends
(``UTCDateTime``): stored in UTC, read back with their offset, compared as instants.
"""
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """``TIMESTAMP WITH TIME ZONE`` that always hands back aware UTC datetimes.

    PostgreSQL keeps the instant itself; SQLite has no time-zone type and stores the text of the
    datetime it is given, so every value (and every bound comparison value, e.g. ``since``) is converted to
    UTC first: stored texts then sort as instants, and the offset is put back when a row is read. A naive
    value is taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    label: Mapped[str | None] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Person(Base):
    __tablename__ = "persons"
    __table_args__ = (UniqueConstraint("organisation_id", "external_id", name="uq_person_external_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(100))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(16))
    education: Mapped[str | None] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(100))
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lon: Mapped[float | None] = mapped_column(Float)
    expected_monthly_pay: Mapped[int | None] = mapped_column(Integer)
    priority: Mapped[dict[str, Any]] = mapped_column(default=dict)
    constraints: Mapped[dict[str, Any]] = mapped_column(default=dict)
    skills: Mapped[list[Any]] = mapped_column(default=list)
    certificates: Mapped[list[Any]] = mapped_column(default=list)
    work_history: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditLog(Base):
    """Append-only: the migration installs triggers that refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_org_at", "organisation_id", "at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    key_id: Mapped[str | None] = mapped_column(String(40))
    organisation_id: Mapped[str | None] = mapped_column(String(40))
    resource: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # e.g. the ids a list call returned


class IdempotencyRecord(Base):
    """The first response to a write sent with an ``Idempotency-Key`` header, replayed on retries."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "idem_key", name="uq_idempotency_scope_key"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    scope: Mapped[str] = mapped_column(String(64))
    idem_key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # "pending" until the response is stored
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(100))
    secret_withheld: Mapped[bool] = mapped_column(default=False)  # the response carried a once-only secret
    person_id: Mapped[str | None] = mapped_column(String(40), index=True)  # deleted with the person's data
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class PageSession(Base):
    """A counsellor's signed-in browser session. The cookie carries a random id; only its SHA-256 is
    stored here, so a session is revocable (sign-out, key revocation, expiry) and a forged cookie naming a
    key id signs nobody in."""

    __tablename__ = "page_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 hex of the cookie's session id
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Occupation(Base):
    """The 2022 Chinese occupational classification (职业分类大典), shipped reference data."""

    __tablename__ = "occupations"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    parent_code: Mapped[str | None] = mapped_column(String(16), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    definition_zh: Mapped[str | None] = mapped_column(Text)
    aliases: Mapped[list[Any]] = mapped_column(default=list)


class Vacancy(Base):
    """A vacancy (岗位空缺) collected by an organisation; see ``models.vacancy`` for field meanings."""

    __tablename__ = "vacancies"
    __table_args__ = (UniqueConstraint("organisation_id", "external_id", name="uq_vacancy_external_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64))
    employer: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    occupation_code: Mapped[str | None] = mapped_column(String(16), index=True)
    occupation_code_confidence: Mapped[float | None] = mapped_column(Float)
    occupation_candidates: Mapped[list[Any]] = mapped_column(default=list)
    openings: Mapped[int] = mapped_column(Integer)
    district: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    shifts: Mapped[list[Any]] = mapped_column(default=list)
    pay_min: Mapped[int | None] = mapped_column(Integer)
    pay_max: Mapped[int | None] = mapped_column(Integer)
    education_min: Mapped[str | None] = mapped_column(String(32))
    education_min_is_hard: Mapped[bool] = mapped_column(default=False)
    required_certificates: Mapped[list[Any]] = mapped_column(default=list)
    physical_demands: Mapped[list[Any]] = mapped_column(default=list)
    public_welfare: Mapped[bool] = mapped_column(default=False)
    internship: Mapped[bool] = mapped_column(default=False)
    directed_training: Mapped[bool] = mapped_column(default=False)
    posted_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OrganisationTitleAlias(Base):
    """A job title an organisation coded by hand: used as an alias by the title coder for that
    organisation from then on (latest choice per normalised title wins), with who chose it."""

    __tablename__ = "organisation_title_aliases"
    __table_args__ = (UniqueConstraint("organisation_id", "title_normalised", name="uq_org_title_alias"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_normalised: Mapped[str] = mapped_column(String(200))
    occupation_code: Mapped[str] = mapped_column(String(16))
    vacancy_id: Mapped[str | None] = mapped_column(String(40))
    chosen_by_key_id: Mapped[str] = mapped_column(String(40))
    model_code: Mapped[str | None] = mapped_column(String(16))  # what the coder had proposed
    model_confidence: Mapped[float | None] = mapped_column(Float)
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrainingProgramme(Base):
    """A training programme (培训项目); see ``models.training`` for field meanings."""

    __tablename__ = "training_programmes"
    __table_args__ = (UniqueConstraint("organisation_id", "external_id", name="uq_programme_external_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(64))
    provider: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    target_occupation_codes: Mapped[list[Any]] = mapped_column(default=list)
    education_min: Mapped[str | None] = mapped_column(String(32))
    required_certificates: Mapped[list[Any]] = mapped_column(default=list)
    certificates_awarded: Mapped[list[Any]] = mapped_column(default=list)
    education_awarded: Mapped[str | None] = mapped_column(String(32))
    duration_weeks: Mapped[float] = mapped_column(Float)
    hours_per_week: Mapped[float | None] = mapped_column(Float)
    schedule_shifts: Mapped[list[Any]] = mapped_column(default=list)
    district: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    cost_yuan: Mapped[float] = mapped_column(Float, default=0)
    subsidy_yuan: Mapped[float] = mapped_column(Float, default=0)
    start_date: Mapped[date | None] = mapped_column(Date)
    placement_rate: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AssessmentSession(Base):
    """One sitting (or several) of a battery by one person; the test taker holds a token for it.

    ``plan`` is the frozen list of parts (instrument, version, mode, items) made at creation, so a later
    change to a battery never alters a session already under way. ``part_started`` records when each
    timed part was first shown (ISO timestamps by part index).
    """

    __tablename__ = "assessment_sessions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    battery_id: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str | None] = mapped_column(String(40))
    plan: Mapped[list[Any]] = mapped_column(default=list)
    part_started: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # When the current test-taker link was issued (NULL: at creation); links expire PATHFIT_LINK_EXPIRY_DAYS later.
    token_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(String(200))  # why a counsellor cancelled it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AssessmentResponse(Base):
    """One answer, saved as it comes; a retried identical answer changes nothing."""

    __tablename__ = "assessment_responses"
    __table_args__ = (UniqueConstraint("session_id", "instrument_id", "item_id", name="uq_response_item"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    session_id: Mapped[str] = mapped_column(ForeignKey("assessment_sessions.id"), index=True)
    part_index: Mapped[int] = mapped_column(Integer)
    instrument_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(32))
    response_time_ms: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AssessmentResult(Base):
    """A scored result. Immutable (the database refuses updates); re-scoring adds a new row that
    ``supersedes`` the old one, which stays readable."""

    __tablename__ = "assessment_results"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("assessment_sessions.id"), index=True)
    supersedes_id: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[str | None] = mapped_column(String(40))
    engine_version: Mapped[str] = mapped_column(String(32))
    document: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BatchJob(Base):
    """A batch-matching job of one organisation (``POST /v1/batch-jobs``); results live under the data
    directory. ``status``: queued, running, succeeded or failed; a job found queued or running at start-up
    is resumed from its checkpoints."""

    __tablename__ = "batch_jobs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The pathway's tables live in their own modules; importing them here puts them in ``Base.metadata``
# wherever the tables are used (the API, the migrations and their check).
from models import tables_households, tables_learning, tables_pathway, tables_referrals, tables_training  # noqa: E402,F401
