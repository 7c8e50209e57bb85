"""Idempotency records, page sessions, logs, the failure limit and the audit log, as the hardening issue
specifies them."""
import base64
import json
import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy import select, text, update

from api.app import create_app
from api.db import make_sessionmaker
from api.middleware import redacted_path
from api.settings import Settings
from models.enums import Role
from models.tables import AuditLog, IdempotencyRecord, utcnow
from tests.api.test_pages_counsellor import csrf_of, signed_in

SECRET = "hardening-test-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def pages_app(database_url):
    application = create_app(Settings(database_url=database_url, secret_key=SECRET, log_level="WARNING",
                                      auth_failures_per_minute=1_000_000))
    yield application
    application.state.engine.dispose()


def _records(app, scope_prefix: str = "") -> list[IdempotencyRecord]:
    with make_sessionmaker(app.state.engine)() as db:
        return list(db.scalars(select(IdempotencyRecord).where(IdempotencyRecord.scope.startswith(scope_prefix))))


def test_a_revoked_key_gets_no_replay_and_an_erased_person_leaves_no_stored_response(client, app, tenant):
    headers = tenant.headers(Role.case_system, **{"Idempotency-Key": "erase-me"})
    body = {"external_id": "IDEM-ERASE", "name": "王小明"}
    person = client.post("/v1/persons", json=body, headers=headers).json()
    scope = f"k:{tenant.key_ids[Role.case_system]}"
    assert [r.person_id for r in _records(app, scope)] == [person["id"]]
    assert client.delete(f"/v1/persons/{person['id']}", headers=tenant.headers()).status_code == 204
    assert _records(app, scope) == []
    client.delete(f"/v1/keys/{tenant.key_ids[Role.case_system]}", headers=tenant.headers(Role.admin))
    replay = client.post("/v1/persons", json=body, headers=headers)
    assert replay.status_code == 401 and "王小明" not in replay.text


def test_bearer_and_x_api_key_are_one_caller(client, tenant):
    body = {"external_id": "IDEM-SAME"}
    first = client.post("/v1/persons", json=body, headers=tenant.headers(**{"Idempotency-Key": "one-caller"}))
    again = client.post("/v1/persons", json=body, headers={"X-API-Key": tenant.keys[Role.counsellor],
                                                           "Idempotency-Key": "one-caller"})
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()


def test_a_new_key_is_never_stored_and_its_replay_names_it_without_the_secret(client, app, tenant):
    headers = tenant.headers(Role.admin, **{"Idempotency-Key": "new-key"})
    created = client.post("/v1/keys", json={"role": "analyst"}, headers=headers).json()
    stored = _records(app, f"k:{tenant.key_ids[Role.admin]}")
    assert len(stored) == 1 and stored[0].secret_withheld and created["key"] not in stored[0].response_body
    replay = client.post("/v1/keys", json={"role": "analyst"}, headers=headers)
    assert replay.status_code == 409 and created["id"] in replay.json()["detail"]
    assert created["key"] not in replay.text


def test_a_test_takers_token_is_never_stored(client, app, tenant):
    person = client.post("/v1/persons", json={"external_id": "IDEM-TOKEN"}, headers=tenant.headers()).json()["id"]
    started = client.post("/v1/assessments", json={"person_id": person, "battery": "short"},
                          headers=tenant.headers(**{"Idempotency-Key": "token"})).json()
    (stored,) = [r for r in _records(app, f"k:{tenant.key_ids[Role.counsellor]}") if r.idem_key == "token"]
    assert started["token"] not in stored.response_body and stored.person_id == person


def test_a_record_older_than_a_day_is_gone_and_the_retry_runs_afresh(client, app, tenant):
    headers = tenant.headers(**{"Idempotency-Key": "old"})
    client.post("/v1/persons", json={"external_id": "IDEM-OLD"}, headers=headers)
    with make_sessionmaker(app.state.engine)() as db, db.begin():
        db.execute(update(IdempotencyRecord).where(IdempotencyRecord.idem_key == "old")
                   .values(created_at=utcnow() - timedelta(hours=25)))
    retry = client.post("/v1/persons", json={"external_id": "IDEM-OLD"}, headers=headers)
    assert retry.status_code == 409 and "idempotent-replayed" not in retry.headers  # a real second attempt
    assert retry.json()["title"] == "Duplicate external id"


def _forged_cookie(payload: dict) -> str:
    data = base64.b64encode(json.dumps(payload).encode())
    return TimestampSigner(SECRET).sign(data).decode()


def test_a_forged_cookie_naming_a_key_id_signs_nobody_in(pages_app, make_tenant):
    from tests.conftest import new_tenant

    tenant = new_tenant(pages_app.state.engine)
    client = TestClient(pages_app)
    for payload in ({"key_id": tenant.key_ids[Role.counsellor], "org": tenant.organisation_id},
                    {"sid": tenant.key_ids[Role.counsellor]}):
        client.cookies.set("pathfit_session", _forged_cookie(payload))
        assert client.get("/c/people", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_session_on_the_server_even_for_a_copied_cookie(pages_app):
    from tests.conftest import new_tenant

    client = signed_in(pages_app, new_tenant(pages_app.state.engine))
    copied = client.cookies.get("pathfit_session")
    token = csrf_of(client.get("/c/people").text)
    assert client.post("/c/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    thief = TestClient(pages_app)
    thief.cookies.set("pathfit_session", copied)
    assert thief.get("/c/people", follow_redirects=False).status_code == 303


def test_a_failed_sign_in_is_audited(pages_app):
    client = TestClient(pages_app, headers={"X-Request-ID": "failed-sign-in-1"})
    token = csrf_of(client.get("/c/login").text)
    assert client.post("/c/login", data={"csrf": token, "key": "pfk.k_00.nope"}).status_code == 401
    with make_sessionmaker(pages_app.state.engine)() as db:
        row = db.scalar(select(AuditLog).where(AuditLog.request_id == "failed-sign-in-1"))
    assert (row.resource, row.action, row.detail) == ("session", "sign_in_failed", {"reason": "bad_key"})


def test_pages_refuse_to_serve_without_a_secret_unless_in_development(database_url):
    refused = create_app(Settings(database_url=database_url, log_level="WARNING"))
    response = TestClient(refused).get("/c/login")
    assert response.status_code == 503 and "PATHFIT_SECRET_KEY" in response.text
    assert TestClient(refused).get("/health").status_code == 200  # the API still serves
    dev = create_app(Settings(database_url=database_url, log_level="WARNING", dev=True))
    assert TestClient(dev).get("/c/login").status_code == 200
    for application in (refused, dev):
        application.state.engine.dispose()


def test_the_secure_cookie_setting_marks_the_session_cookie(database_url):
    application = create_app(Settings(database_url=database_url, secret_key=SECRET, cookie_secure=True,
                                      log_level="WARNING"))
    response = TestClient(application).get("/c/login")
    assert "secure" in response.headers["set-cookie"].lower()
    application.state.engine.dispose()


def test_test_taker_tokens_are_redacted_from_the_access_log(client, tenant):
    assert redacted_path("/v1/take/abcDEF123/answers") == "/v1/take/<token>/answers"
    assert redacted_path("/t/abcDEF123") == "/t/<token>"
    lines: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = lines.append
    logger = logging.getLogger("pathfit.access")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        client.get("/v1/take/secret-token-value-123")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    assert lines and all("secret-token-value-123" not in (r.getMessage() + str(r.__dict__)) for r in lines)


def test_bursts_of_wrong_keys_get_429_with_retry_after(database_url):
    application = create_app(Settings(database_url=database_url, auth_failures_per_minute=3, log_level="WARNING"))
    client = TestClient(application)
    statuses = [client.get("/v1/persons", headers={"Authorization": "Bearer pfk.k_x.guess"}).status_code
                for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    limited = client.get("/v1/take/guessed-token")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    application.state.engine.dispose()


def test_the_audit_log_cannot_be_truncated(app, database_url):
    statement = "TRUNCATE audit_log" if database_url.startswith("postgresql") else "DELETE FROM audit_log"
    with pytest.raises(Exception, match="append-only"):
        with app.state.engine.begin() as connection:
            connection.execute(text(statement))


def test_serve_keeps_one_random_owner_only_secret_in_the_data_directory(tmp_path):
    from api.pages.sessions import stored_secret

    first = stored_secret(tmp_path / "data")
    assert len(first) >= 48 and stored_secret(tmp_path / "data") == first
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert stored_secret(tmp_path / "other") != first
