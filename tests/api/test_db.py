"""The embedded SQLite database runs in WAL mode with foreign keys enforced."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from api.db import make_engine, normalise_url, upgrade


def test_sqlite_uses_wal_and_enforces_foreign_keys(fresh_database_url):
    engine = make_engine(fresh_database_url("sqlite"))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with pytest.raises(IntegrityError):
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO api_keys (id, organisation_id, role, secret_hash, created_at) "
                                    "VALUES ('k_x', 'org_missing', 'admin', 'h', CURRENT_TIMESTAMP)"))
    engine.dispose()


def test_plain_postgresql_urls_use_psycopg3():
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_an_in_memory_sqlite_url_makes_one_shared_database():
    from sqlalchemy import text

    from api.db import make_engine

    engine = make_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(text("create table t (x integer)"))
    with engine.connect() as connection:
        assert connection.execute(text("select count(*) from t")).scalar() == 0
