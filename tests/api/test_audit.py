"""Reads and writes of a person's data are audit-logged; the log is append-only and admin-only."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.enums import Role


def _entries(client, tenant, **filters):
    params = {"organisation_id": tenant.organisation_id, **filters}
    return client.get("/v1/audit", params=params, headers=tenant.headers(Role.admin)).json()["items"]


def test_create_read_update_erase_are_recorded_with_key_and_request_id(client, tenant):
    person_id = client.post("/v1/persons", json={"external_id": "AUD-1"}, headers=tenant.headers(
        **{"X-Request-ID": "req-aud-1"})).json()["id"]
    client.get(f"/v1/persons/{person_id}", headers=tenant.headers(Role.case_system))
    client.patch(f"/v1/persons/{person_id}", json={"district": "东城区"}, headers=tenant.headers())
    client.delete(f"/v1/persons/{person_id}", headers=tenant.headers())
    entries = _entries(client, tenant, resource="person", resource_id=person_id)
    assert [e["action"] for e in entries] == ["erase", "update", "read", "create"]
    assert entries[-1]["key_id"] == tenant.key_ids[Role.counsellor]
    assert entries[-1]["request_id"] == "req-aud-1"
    assert entries[2]["key_id"] == tenant.key_ids[Role.case_system]
    assert all(e["client_ip"] for e in entries)


def test_denied_request_leaves_no_person_audit_row(client, make_tenant):
    owner, other = make_tenant(), make_tenant()
    person_id = client.post("/v1/persons", json={"external_id": "AUD-2"}, headers=owner.headers()).json()["id"]
    client.get(f"/v1/persons/{person_id}", headers=other.headers())
    assert _entries(client, other, resource="person") == []


def test_audit_filters_by_action(client, tenant):
    client.post("/v1/persons", json={"external_id": "AUD-3"}, headers=tenant.headers())
    assert {e["action"] for e in _entries(client, tenant, action="create")} == {"create"}


def test_audit_is_admin_only(client, tenant):
    assert client.get("/v1/audit", headers=tenant.headers(Role.counsellor)).status_code == 403


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"])
def test_database_refuses_to_change_audit_rows(app, client, tenant, statement):
    client.post("/v1/persons", json={"external_id": "AUD-4"}, headers=tenant.headers())
    with pytest.raises(DBAPIError, match="append-only"):
        with app.state.engine.begin() as connection:
            connection.execute(text(statement))
