"""Bad input gets a 4xx problem document naming the field, and writes nothing."""
import json

import pytest


def _count(client, tenant) -> int:
    return client.get("/v1/persons", headers=tenant.headers()).json()["total"]


def test_malformed_json_is_400_and_writes_nothing(client, tenant):
    response = client.post("/v1/persons", content=b'{"external_id": "A"', headers=tenant.headers(
        **{"Content-Type": "application/json"}))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"
    assert _count(client, tenant) == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"external_id": "A", "birth_year": "nineteen eighty"}, "birth_year"),
    ({"external_id": "A", "education": "phd"}, "education"),
    ({"external_id": "A", "constraints": {"max_commute_minutes": 999}}, "constraints.max_commute_minutes"),
    ({"external_id": "A", "work_history": [{"occupation_code": "plumber", "months": 3}]},
     "work_history.0.occupation_code"),
    ({"birth_year": 1980}, "external_id"),
])
def test_wrong_values_are_422_naming_the_field(client, tenant, body, field):
    response = client.post("/v1/persons", json=body, headers=tenant.headers())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert _count(client, tenant) == 0


def test_unknown_field_is_422_with_a_fix(client, tenant):
    response = client.post("/v1/persons", json={"external_id": "A", "hukou": "北京"}, headers=tenant.headers())
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "hukou"
    assert "remove" in error["message"]


def test_oversized_body_is_413(client, tenant):
    body = json.dumps({"external_id": "A", "skills": ["x" * 100] * 1000})
    response = client.post("/v1/persons", content=body, headers=tenant.headers(**{"Content-Type": "application/json"}))
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "body"
    assert _count(client, tenant) == 0


def test_key_for_unknown_organisation_is_422_naming_it(client, tenant):
    from models.enums import Role

    response = client.post("/v1/keys", json={"organisation_id": "org_missing", "role": "counsellor"},
                           headers=tenant.headers(Role.admin))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "organisation_id"


def test_database_error_mid_request_rolls_back_the_whole_request(app, tenant):
    """A failure after the person row is flushed (the audit insert fails) must leave no person behind."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from models.tables import AuditLog

    def fail_audit(*_):
        raise OperationalError("INSERT INTO audit_log", {}, ConnectionError("simulated database failure"))

    event.listen(AuditLog, "before_insert", fail_audit)
    try:
        response = TestClient(app, raise_server_exceptions=False).post(
            "/v1/persons", json={"external_id": "ROLLBACK-1"}, headers=tenant.headers())
    finally:
        event.remove(AuditLog, "before_insert", fail_audit)
    assert response.status_code == 500
    assert response.json()["title"] == "Database error"
    assert TestClient(app).get("/v1/persons", params={"external_id": "ROLLBACK-1"},
                               headers=tenant.headers()).json()["total"] == 0
