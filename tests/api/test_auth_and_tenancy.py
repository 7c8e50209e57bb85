"""Every request needs a valid key; a key sees only its own organisation's data."""
from models.enums import Role


def _create(client, tenant, external_id="T-1"):
    return client.post("/v1/persons", json={"external_id": external_id}, headers=tenant.headers()).json()["id"]


def test_request_without_key_is_401(client):
    response = client.get("/v1/persons")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_malformed_or_forged_key_is_401(client, tenant):
    forged = tenant.keys[Role.counsellor][:-4] + "AAAA"
    for key in ("not-a-key", forged):
        assert client.get("/v1/persons", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_key_is_also_accepted_in_x_api_key(client, tenant):
    assert client.get("/v1/persons", headers={"X-API-Key": tenant.keys[Role.counsellor]}).status_code == 200


def test_revoked_key_is_401(client, tenant):
    revoke = client.delete(f"/v1/keys/{tenant.key_ids[Role.counsellor]}", headers=tenant.headers(Role.admin))
    assert revoke.status_code == 200
    assert revoke.json()["revoked_at"] is not None
    assert client.get("/v1/persons", headers=tenant.headers()).status_code == 401


def test_another_organisations_person_is_404_not_403(client, make_tenant):
    owner, other = make_tenant(), make_tenant()
    person_id = _create(client, owner)
    for method in ("get", "patch", "delete"):
        kwargs = {"json": {"district": "x"}} if method == "patch" else {}
        response = getattr(client, method)(f"/v1/persons/{person_id}", headers=other.headers(), **kwargs)
        assert response.status_code == 404, method
    assert client.get(f"/v1/persons/{person_id}", headers=owner.headers()).status_code == 200


def test_lists_show_only_own_organisation(client, make_tenant):
    owner, other = make_tenant(), make_tenant()
    _create(client, owner)
    assert client.get("/v1/persons", headers=other.headers()).json()["total"] == 0


def test_only_admin_manages_organisations_and_keys(client, tenant):
    for role in (Role.counsellor, Role.case_system, Role.analyst):
        assert client.post("/v1/organisations", json={"name": "x"}, headers=tenant.headers(role)).status_code == 403
        assert client.get("/v1/keys", headers=tenant.headers(role)).status_code == 403


def test_platform_admin_key_creates_an_organisation_and_a_key_that_works_once_shown(client, tenant):
    created = client.post("/v1/organisations", json={"name": "新中心"}, headers=tenant.headers(Role.platform_admin))
    assert created.status_code == 201
    key = client.post("/v1/keys", json={"organisation_id": created.json()["id"], "role": "counsellor"},
                      headers=tenant.headers(Role.platform_admin)).json()
    assert key["key"].startswith("pfk.")
    response = client.post("/v1/persons", json={"external_id": "NEW-1"},
                           headers={"Authorization": f"Bearer {key['key']}"})
    assert response.json()["organisation_id"] == created.json()["id"]
    listed = client.get("/v1/keys", params={"organisation_id": created.json()["id"]},
                        headers=tenant.headers(Role.platform_admin)).json()
    assert [k["id"] for k in listed] == [key["id"]]
    assert "key" not in listed[0] and "secret_hash" not in listed[0]


def test_non_admin_sees_only_its_own_organisation(client, make_tenant):
    mine, other = make_tenant(), make_tenant()
    assert [o["id"] for o in client.get("/v1/organisations", headers=mine.headers()).json()] == [mine.organisation_id]
    assert client.get(f"/v1/organisations/{other.organisation_id}", headers=mine.headers()).status_code == 404
