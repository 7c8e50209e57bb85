"""Database engines, sessions and migrations.

SQLite (the embedded default) runs in WAL mode with foreign keys on; PostgreSQL is reached through
psycopg 3. A schema other than ``public`` can be chosen in the URL with
``?options=-csearch_path%3Dmyschema`` (the tests do this to isolate themselves).
"""
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from api.audit_spool import AuditSpool, SpoolingSession
from api.errors import Problem, cannot_write

# Requests run on AnyIO's worker threads (40 by default) and batch jobs on their own: the default pool of
# 5 + 10 connections made most of them queue for a connection under load (seconds of waiting at p99).
POOL = {"pool_size": 20, "max_overflow": 30, "pool_timeout": 30}


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL; None for another database or an in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def shown_url(url: str) -> str:
    """The URL as a message may show it: the password replaced by ``***``."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """Create an engine; for a SQLite file, create its folder and switch on WAL and foreign keys."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        in_memory = not parsed.database or parsed.database == ":memory:"
        # An in-memory database lives in one connection: share it (StaticPool) instead of sizing a pool.
        pool = {"poolclass": StaticPool} if in_memory else POOL
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **POOL)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_sessionmaker(engine: Engine, spool: AuditSpool | None = None) -> sessionmaker[Session]:
    """Sessions for ``engine``; with ``spool``, audit-only commits that the database refuses are spooled."""
    return sessionmaker(engine, class_=SpoolingSession, expire_on_commit=False, spool=spool)


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that runs the migrations shipped in ``models/migrations`` on ``engine``."""
    config = Config()
    config.set_main_option("script_location", "models:migrations")
    # configparser treats % as interpolation, so escape it (URL-encoded options contain %3D).
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision, or None when the database has never been migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head_revision(engine: Engine) -> str:
    """The newest revision shipped with this version of pathfit."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def ready_revision(engine: Engine) -> str | None:
    """The schema revision of a database that answers and can write (every request writes an audit row
    at least); ``Problem`` 503 naming the cause otherwise. ``/ready`` calls this."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        raise Problem(503, "Database unavailable", f"The database did not answer: {type(exc).__name__}.") from exc
    if revision is not None:
        try:  # every request writes (an audit row at least): a database that cannot write is not ready
            with engine.connect() as connection, connection.begin() as transaction:
                connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
                transaction.rollback()
        except SQLAlchemyError as exc:
            cause = cannot_write(exc) or type(exc).__name__
            raise Problem(503, "Database cannot write", f"The database answers but cannot write: {cause}.") from exc
    return revision
