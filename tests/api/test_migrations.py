"""Migrations take an empty database to head and back to empty, on both back ends."""
import pytest
from sqlalchemy import inspect

from api.db import current_revision, downgrade, head_revision, make_engine, upgrade

TABLES = {"organisations", "api_keys", "persons", "audit_log", "idempotency_records", "occupations",
          "vacancies", "training_programmes", "assessment_sessions", "assessment_responses", "assessment_results"}


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_upgrade_from_empty_to_head_and_back_down(fresh_database_url, backend):
    engine = make_engine(fresh_database_url(backend))
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision(engine)
        assert TABLES <= set(inspect(engine).get_table_names())
        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_models_match_the_migrated_schema(fresh_database_url, backend):
    """Alembic's autogenerate finds no difference between the ORM tables and the migrated schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from models.tables import Base

    engine = make_engine(fresh_database_url(backend))
    try:
        upgrade(engine)
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()
