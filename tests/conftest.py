"""Fixtures shared by the whole suite: a migrated database on each back end, the app, tenants.

Every API test runs twice, on SQLite and on PostgreSQL. PostgreSQL is taken from
``PATHFIT_TEST_POSTGRES_URL`` (default: the server at 127.0.0.1:5432, user postgres, database test); each
test session works in a schema of its own and drops it at the end. When the server is unreachable the
PostgreSQL variants are skipped on a developer's machine and fail in CI (``CI`` set), so CI can never pass
without them.
"""
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import make_engine, make_sessionmaker, upgrade
from api.settings import Settings, get_settings
from api.tenancy import create_api_key, create_organisation
from models.enums import Role

POSTGRES_URL = os.environ.get("PATHFIT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_problem() -> str | None:
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {POSTGRES_URL} is unreachable: {exc}"


def require_postgres() -> None:
    problem = _postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(problem + " (CI must run the PostgreSQL tests)")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def fresh_database_url(tmp_path_factory) -> Iterator[Callable[[str], str]]:
    """A factory: ``fresh_database_url(backend)`` gives the URL of a new, empty database (or schema)."""
    schemas: list[str] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'pathfit.db'}"
        require_postgres()
        schema = f"pathfit_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
        schemas.append(schema)
        return f"{POSTGRES_URL.replace('postgresql://', 'postgresql+psycopg://', 1)}?options={quote(f'-csearch_path={schema}')}"

    yield make
    if schemas:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            for schema in schemas:
                connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, fresh_database_url) -> str:
    """A migrated database on each back end, shared by the tests of a session (tenants isolate them)."""
    url = fresh_database_url(request.param)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def app(database_url):
    application = create_app(Settings(database_url=database_url, max_body_bytes=65_536, log_level="WARNING",
                                      secret_key="suite-test-secret-0123456789abcdef",
                                      auth_failures_per_minute=1_000_000))  # tests share one client address
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


@dataclass
class Tenant:
    """An organisation with one key per role; ``headers(role)`` authenticates as that role."""

    organisation_id: str
    keys: dict[Role, str] = field(default_factory=dict)
    key_ids: dict[Role, str] = field(default_factory=dict)

    def headers(self, role: Role = Role.counsellor, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}", **extra}


def new_tenant(engine, name: str = "测试就业服务中心") -> Tenant:
    """A fresh organisation in ``engine``'s database with one key per role."""
    with make_sessionmaker(engine)() as session, session.begin():
        organisation = create_organisation(session, name, "测试区")
        tenant = Tenant(organisation.id)
        for role in Role:
            key, plaintext = create_api_key(session, organisation.id, role, f"test {role.value}")
            tenant.keys[role], tenant.key_ids[role] = plaintext, key.id
    return tenant


@pytest.fixture
def make_tenant(app):
    """Create a fresh organisation with keys for every role; tests never see each other's data."""
    return lambda name="测试就业服务中心": new_tenant(app.state.engine, name)


@pytest.fixture
def tenant(make_tenant) -> Tenant:
    return make_tenant()


@pytest.fixture
def cli_organisation(fresh_database_url, monkeypatch):
    """A migrated SQLite file the CLI points at, with one organisation; yields its id."""
    url = fresh_database_url("sqlite")
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as s, s.begin():
        org = create_organisation(s, "测试中心", "测试区").id
    engine.dispose()
    monkeypatch.setenv("PATHFIT_DATABASE_URL", url)
    get_settings.cache_clear()
    yield org
    get_settings.cache_clear()
