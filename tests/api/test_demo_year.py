"""``pathfit demo`` seeds a simulated year through the services: people along the path, hires with
follow-ups, households and plans, and centre figures computed from them; a second run keeps the year."""
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.test_cli import _run, cli_database  # noqa: F401


def _key(output: str) -> str:
    return next(line.split(": ", 1)[1] for line in output.splitlines() if line.startswith("counsellor key"))


def test_the_demo_year_leaves_a_living_centre_and_is_seeded_once(cli_database):  # noqa: F811
    _run("db", "upgrade")
    first = _run("demo", "--people", "30")
    assert "simulated year: 30 people" in first
    second = _run("demo", "--people", "30")
    assert "simulated year: already in this database" in second
    client = TestClient(create_app(Settings(database_url=cli_database)))
    headers = {"X-API-Key": _key(second)}
    assert client.get("/v1/persons", headers=headers).json()["total"] == 33  # the three try-out people too
    person = client.get("/v1/persons", params={"external_id": "DEMO-Y0001"}, headers=headers).json()["items"][0]
    case = client.get(f"/v1/persons/{person['id']}/pathway", headers=headers).json()
    assert case["current"] is not None and case["history"]
    households = client.get("/v1/households", headers=headers).json()
    assert households["total"] == 7  # 30 people, a quarter of them two to a household
    figures = client.get("/v1/kpis", headers=headers).json()
    assert figures["overall"]["served"] >= 30 and figures["overall"]["placed"] >= 1
    assert {c["label"] for c in figures["by_counsellor"]} >= {"演示指导师 王老师"}
