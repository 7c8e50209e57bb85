"""The CLI bootstraps organisations and keys; a key it prints works against the API."""
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli.main import app as cli
from api.settings import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def cli_database(fresh_database_url, monkeypatch):
    url = fresh_database_url("sqlite")
    monkeypatch.setenv("PATHFIT_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _run(*args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_key_created_by_cli_can_create_and_read_a_person(cli_database):
    _run("db", "upgrade")
    org = _run("orgs", "create", "--name", "海淀区就业服务中心")
    key = _run("keys", "create", "--org", org, "--role", "counsellor")
    client = TestClient(create_app(Settings(database_url=cli_database)))
    created = client.post("/v1/persons", json={"external_id": "CLI-1"}, headers={"Authorization": f"Bearer {key}"})
    assert created.status_code == 201
    assert client.get(f"/v1/persons/{created.json()['id']}", headers={"X-API-Key": key}).status_code == 200


def test_keys_create_for_unknown_org_names_the_option(cli_database):
    _run("db", "upgrade")
    result = runner.invoke(cli, ["keys", "create", "--org", "org_nope", "--role", "analyst"])
    assert result.exit_code == 2
    assert "--org" in result.output and "pathfit orgs" in result.output


def test_revoked_key_stops_working(cli_database):
    _run("db", "upgrade")
    org = _run("orgs", "create", "--name", "x")
    key = _run("keys", "create", "--org", org, "--role", "counsellor")
    _run("keys", "revoke", key.split(".")[1])
    client = TestClient(create_app(Settings(database_url=cli_database)))
    assert client.get("/v1/persons", headers={"X-API-Key": key}).status_code == 401


def test_seed_is_idempotent(cli_database):
    _run("db", "upgrade")
    first = _run("db", "seed")
    second = _run("db", "seed")
    assert "0 added" not in first
    assert "occupations: 0 added, 0 updated" in second


def test_demo_prints_a_working_counsellor_key_and_can_run_twice(cli_database):
    _run("db", "upgrade")
    _run("demo", "--no-year")  # the simulated year has its own test (tests/api/test_demo_year.py)
    output = _run("demo", "--no-year")
    key = next(line.split(": ", 1)[1] for line in output.splitlines() if line.startswith("counsellor key"))
    client = TestClient(create_app(Settings(database_url=cli_database)))
    assert client.get("/v1/persons", headers={"X-API-Key": key}).json()["total"] == 3
    assert client.get("/v1/vacancies", headers={"X-API-Key": key}).json()["total"] == 30
    assert client.get("/v1/programmes", headers={"X-API-Key": key}).json()["total"] == 8


def test_db_downgrade_to_base_empties_the_schema(cli_database):
    _run("db", "upgrade")
    assert "base" in _run("db", "downgrade", "base")


def test_vacancies_import_reports_rejected_rows_and_atomic_stores_nothing(cli_database, tmp_path):
    _run("db", "upgrade")
    org = _run("orgs", "create", "--name", "x")
    path = tmp_path / "vacancies.csv"
    path.write_text("employer,title,district,openings\n某公司,保洁员,朝阳区,2\n某公司,保安,朝阳区,-1\n", encoding="utf-8")
    atomic = runner.invoke(cli, ["vacancies", "import", str(path), "--org", org, "--atomic"])
    assert atomic.exit_code == 2
    assert "openings" in atomic.output and "nothing stored" in atomic.output
    partial = runner.invoke(cli, ["vacancies", "import", str(path), "--org", org])
    assert partial.exit_code == 1  # some rows rejected, the others stored
    assert "2 received, 1 created, 0 updated, 1 rejected" in partial.output


def test_match_lists_ranked_vacancies_with_reasons(cli_database, tmp_path):
    _run("db", "upgrade")
    _run("db", "seed")
    org = _run("orgs", "create", "--name", "x")
    path = tmp_path / "v.csv"
    path.write_text("employer,title,occupation_code,district,openings\n某超市,收银员,4-01-02-04,朝阳区,2\n"
                    "某公司,软件工程师,2-02-10-03,朝阳区,1\n", encoding="utf-8")
    _run("vacancies", "import", str(path), "--org", org)
    key = _run("keys", "create", "--org", org, "--role", "counsellor")
    client = TestClient(create_app(Settings(database_url=cli_database)))
    # A past job gives the matcher something to rank on (a person with nothing is refused).
    person = client.post("/v1/persons", json={"external_id": "CLI-M", "district": "朝阳区", "work_history": [
        {"occupation_code": "4-01-02-04", "title": "收银员", "months": 24}]}, headers={"X-API-Key": key}).json()["id"]
    output = _run("match", "--person", person, "--k", "5")
    assert "收银员" in output and "2 eligible of 2" in output


def test_match_for_unknown_person_names_the_option(cli_database):
    _run("db", "upgrade")
    result = runner.invoke(cli, ["match", "--person", "p_nobody"])
    assert result.exit_code == 2 and "--person" in result.output


def test_code_title_prints_the_shipped_coders_candidates_with_confidence():
    output = _run("reference", "code-title", "叉车司机（持证）")
    first = output.splitlines()[1].split()
    assert output.startswith("叉车司机（持证）")
    assert first[0] == "6-30-05-01" and first[-2] == "confidence"
