"""The clarifying step: a vacancy coded from its title with low confidence asks for a choice; a choice is
stored with who made it and becomes the organisation's alias for that title."""
from models.enums import Role

# 急招普工包吃住 names no occupation (普工 = "general worker"): the coder is unsure (confidence < 0.5).
CSV = """external_id,employer,title,openings,district
C-1,某电子厂,急招普工包吃住,10,朝阳区
C-2,某物业公司,小区保安,2,朝阳区
""".encode()


def _import(client, tenant, data=CSV):
    return client.post("/v1/vacancies/import", content=data, headers=tenant.headers(**{"Content-Type": "text/csv"}))


def test_import_report_lists_the_unsure_vacancy_with_three_named_candidates(client, tenant):
    report = _import(client, tenant).json()
    assert [e["external_id"] for e in report["needs_choice"]] == ["C-1"]
    entry = report["needs_choice"][0]
    assert entry["needs_choice"] is True and entry["confidence"] < 0.5
    assert len(entry["candidates"]) == 3
    assert all(c["name_zh"] and c["name_en"] for c in entry["candidates"])


def test_pending_list_shows_vacancies_needing_a_choice_until_one_is_made(client, tenant):
    _import(client, tenant)
    pending = client.get("/v1/vacancies/coding/pending", headers=tenant.headers()).json()
    assert [p["external_id"] for p in pending] == ["C-1"]
    client.post(f"/v1/vacancies/{pending[0]['vacancy_id']}/occupation-choice",
                json={"occupation_code": "6-25-04-07"}, headers=tenant.headers())
    assert client.get("/v1/vacancies/coding/pending", headers=tenant.headers()).json() == []


def test_a_choice_sets_the_code_records_who_chose_and_is_audit_logged(client, tenant):
    vacancy_id = _import(client, tenant).json()["needs_choice"][0]["vacancy_id"]
    response = client.post(f"/v1/vacancies/{vacancy_id}/occupation-choice", json={"occupation_code": "6-25-04-07"},
                           headers=tenant.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["chosen_by_key_id"] == tenant.key_ids[Role.counsellor]
    assert (body["vacancy"]["occupation_code"], body["vacancy"]["occupation_code_confidence"]) == ("6-25-04-07", 1.0)
    audit = client.get("/v1/audit", params={"organisation_id": tenant.organisation_id, "action": "choose_occupation"},
                       headers=tenant.headers(Role.admin)).json()["items"]
    assert [(a["resource_id"], a["key_id"]) for a in audit] == [(vacancy_id, tenant.key_ids[Role.counsellor])]


def test_the_chosen_title_codes_the_organisations_next_vacancy_without_asking(client, tenant, make_tenant):
    vacancy_id = _import(client, tenant).json()["needs_choice"][0]["vacancy_id"]
    client.post(f"/v1/vacancies/{vacancy_id}/occupation-choice", json={"occupation_code": "6-25-04-07"},
                headers=tenant.headers())
    again = "external_id,employer,title,openings,district\nC-9,another,急招 普工（包吃住）,3,朝阳区\n".encode()
    report = _import(client, tenant, again).json()
    assert report["needs_choice"] == []
    coded = client.get("/v1/vacancies", params={"occupation_code": "6-25-04-07"}, headers=tenant.headers()).json()
    assert {v["external_id"] for v in coded["items"]} == {"C-1", "C-9"}
    other = make_tenant()
    assert [e["external_id"] for e in _import(client, other, again).json()["needs_choice"]] == ["C-9"]


def test_choosing_an_unknown_code_is_refused_and_changes_nothing(client, tenant):
    entry = _import(client, tenant).json()["needs_choice"][0]
    response = client.post(f"/v1/vacancies/{entry['vacancy_id']}/occupation-choice",
                           json={"occupation_code": "9-99-99-99"}, headers=tenant.headers())
    assert response.status_code == 422
    assert "occupation_code" in response.text
    stored = client.get(f"/v1/vacancies/{entry['vacancy_id']}", headers=tenant.headers()).json()
    assert stored["occupation_code"] == entry["occupation_code"]


def test_another_organisation_cannot_choose_for_a_vacancy_it_does_not_own(client, tenant, make_tenant):
    entry = _import(client, tenant).json()["needs_choice"][0]
    response = client.post(f"/v1/vacancies/{entry['vacancy_id']}/occupation-choice",
                           json={"occupation_code": "6-25-04-07"}, headers=make_tenant().headers())
    assert response.status_code == 404
