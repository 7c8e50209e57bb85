"""Health and readiness need no key; readiness checks the database and its schema."""
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import head_revision
from api.settings import Settings


def test_health_answers_without_a_key(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_ready_reports_database_at_head(client):
    body = client.get("/ready").json()
    assert body["status"] == "ready"
    assert body["schema"] == head_revision(client.app.state.engine)


def test_ready_is_503_on_an_unmigrated_database(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    response = TestClient(app).get("/ready")
    assert response.status_code == 503
    assert "pathfit db upgrade" in response.json()["detail"]


def test_every_response_carries_a_request_id(client):
    assert len(client.get("/health").headers["x-request-id"]) == 32
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    assert "/v1/persons" in client.get("/openapi.json").json()["paths"]
