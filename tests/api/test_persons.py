"""Person records through the API: create, upsert by external id, read, update, list, erase."""
from models.enums import Role

PERSON = {
    "external_id": "CASE-1001", "birth_year": 1980, "gender": "female", "education": "junior_secondary",
    "district": "朝阳区", "priority": {"zero_employment_family": True, "hard_to_employ": "older_worker"},
    "constraints": {"max_hours_per_week": 40, "available_shifts": ["day"], "max_commute_minutes": 45,
                    "physical_limitations": ["heavy_lifting"]},
    "skills": ["保洁"], "certificates": ["健康证"],
    "work_history": [{"occupation_code": "4-03-02-05", "title": "餐厅服务员", "months": 36}],
}


def test_created_person_reads_back_with_every_field(client, tenant):
    created = client.post("/v1/persons", json=PERSON, headers=tenant.headers())
    assert created.status_code == 201
    person = client.get(f"/v1/persons/{created.json()['id']}", headers=tenant.headers()).json()
    assert person["id"].startswith("p_")
    assert person["organisation_id"] == tenant.organisation_id
    assert {k: person[k] for k in ("external_id", "birth_year", "education", "skills")} == {
        "external_id": "CASE-1001", "birth_year": 1980, "education": "junior_secondary", "skills": ["保洁"]}
    assert person["constraints"]["physical_limitations"] == ["heavy_lifting"]
    assert person["work_history"][0]["occupation_code"] == "4-03-02-05"


def test_duplicate_external_id_is_a_conflict_naming_the_field(client, tenant):
    client.post("/v1/persons", json=PERSON, headers=tenant.headers())
    again = client.post("/v1/persons", json=PERSON, headers=tenant.headers())
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["errors"][0]["field"] == "external_id"
    listing = client.get("/v1/persons", params={"external_id": "CASE-1001"}, headers=tenant.headers()).json()
    assert listing["total"] == 1


def test_same_external_id_is_allowed_in_another_organisation(client, make_tenant):
    first, second = make_tenant(), make_tenant()
    assert client.post("/v1/persons", json=PERSON, headers=first.headers()).status_code == 201
    assert client.post("/v1/persons", json=PERSON, headers=second.headers()).status_code == 201


def test_upsert_creates_then_replaces(client, tenant):
    body = {k: v for k, v in PERSON.items() if k != "external_id"}
    first = client.put("/v1/persons/by-external-id/CASE-7", json=body, headers=tenant.headers(Role.case_system))
    assert first.status_code == 201
    second = client.put("/v1/persons/by-external-id/CASE-7", json={"education": "senior_secondary"},
                        headers=tenant.headers(Role.case_system))
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["education"] == "senior_secondary"
    assert second.json()["skills"] == []  # an upsert sends the whole record


def test_patch_changes_only_the_fields_sent(client, tenant):
    person_id = client.post("/v1/persons", json=PERSON, headers=tenant.headers()).json()["id"]
    patched = client.patch(f"/v1/persons/{person_id}", json={"district": "海淀区", "birth_year": None},
                           headers=tenant.headers())
    assert patched.status_code == 200
    assert patched.json()["district"] == "海淀区"
    assert patched.json()["birth_year"] is None
    assert patched.json()["skills"] == ["保洁"]


def test_list_is_paginated(client, tenant):
    for i in range(5):
        client.post("/v1/persons", json={"external_id": f"PAGE-{i}"}, headers=tenant.headers())
    page = client.get("/v1/persons", params={"limit": 2, "offset": 2}, headers=tenant.headers()).json()
    assert page["total"] == 5
    assert [p["external_id"] for p in page["items"]] == ["PAGE-2", "PAGE-3"]


def test_delete_erases_personal_fields_and_hides_the_person(client, app, tenant):
    person_id = client.post("/v1/persons", json=PERSON, headers=tenant.headers()).json()["id"]
    assert client.delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    assert client.get(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 410
    assert client.get("/v1/persons", headers=tenant.headers()).json()["total"] == 0
    from models.tables import Person

    with app.state.sessionmaker() as session:
        row = session.get(Person, person_id)
    assert row.erased_at is not None
    assert (row.external_id, row.birth_year, row.gender, row.skills, row.work_history) == (None, None, None, [], [])


def test_erased_external_id_can_be_registered_again(client, tenant):
    person_id = client.post("/v1/persons", json=PERSON, headers=tenant.headers()).json()["id"]
    client.delete(f"/v1/persons/{person_id}", headers=tenant.headers())
    assert client.post("/v1/persons", json=PERSON, headers=tenant.headers()).status_code == 201


def test_analyst_may_read_but_not_write(client, tenant):
    assert client.get("/v1/persons", headers=tenant.headers(Role.analyst)).status_code == 200
    denied = client.post("/v1/persons", json=PERSON, headers=tenant.headers(Role.analyst))
    assert denied.status_code == 403
    assert "counsellor" in denied.json()["detail"]
