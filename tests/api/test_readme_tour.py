"""The README tour's test-taker step works as written: the answer it sends is the item the session
shows first (taken from ``GET /v1/take/{token}``), never an item id the session does not contain."""
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import make_sessionmaker
from api.settings import Settings
from api.tenancy import create_api_key, create_organisation
from models.enums import Role

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def short_session(database_url):
    app = create_app(Settings(database_url=database_url, log_level="WARNING"))
    with make_sessionmaker(app.state.engine)() as session, session.begin():
        organisation = create_organisation(session, "导览中心", "朝阳区")
        _, key = create_api_key(session, organisation.id, Role.counsellor, "tour")
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {key}"}
    person = client.post("/v1/persons", json={"external_id": "TOUR-1"}, headers=headers).json()
    token = client.post("/v1/assessments", json={"person_id": person["id"], "battery": "short"},
                        headers=headers).json()["token"]
    yield client, token
    app.state.engine.dispose()


def test_the_first_item_shown_is_accepted_as_the_tour_sends_it(short_session):
    client, token = short_session
    page = client.get(f"/v1/take/{token}").json()
    item = page["items"][0]
    answer = {"instrument_id": page["part"]["instrument"]["id"], "item_id": item["id"],
              "answer": item["options"][0]["id"], "response_time_ms": 8000}
    assert client.post(f"/v1/take/{token}/answers", json={"answers": [answer]}).status_code == 200


def test_the_readme_tour_names_no_item_id_the_session_does_not_show(short_session):
    client, token = short_session
    shown = client.get(f"/v1/take/{token}").json()["items"][0]["id"]
    literal_ids = re.findall(r'\\"item_id\\": \\"([A-Z]+\d+)\\"|"item_id": "([A-Z]+\d+)"', README.read_text("utf-8"))
    assert [i for pair in literal_ids for i in pair if i and i != shown] == []
