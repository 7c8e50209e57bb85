"""An erased person answers the same everywhere: 410 from every API route that names them, and one erased
message on the counsellor's pages."""
import pytest

from tests.api.test_pages_counsellor import pages_app, register, signed_in  # noqa: F401 (pytest fixture)


@pytest.fixture
def erased(client, tenant):
    person_id = client.post("/v1/persons", json={"external_id": "ERASED-1", "birth_year": 1980},
                            headers=tenant.headers()).json()["id"]
    assert client.delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    return person_id


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/v1/persons/{id}", None),
    ("GET", "/v1/persons/{id}/assessments", None),
    ("POST", "/v1/assessments", {"person_id": "{id}", "battery": "short"}),
    ("GET", "/v1/persons/{id}/results", None),
    ("POST", "/v1/matches", {"person_id": "{id}"}),
])
def test_an_erased_person_is_gone_410_on_every_route(client, tenant, erased, method, path, body):
    json = {k: (v.format(id=erased) if isinstance(v, str) else v) for k, v in body.items()} if body else None
    response = client.request(method, path.format(id=erased), json=json, headers=tenant.headers())
    assert response.status_code == 410, response.text
    assert response.json()["title"] == "Person erased"


@pytest.mark.parametrize("page", ["", "/matches", "/matches.xlsx", "/edit"])
def test_the_pages_show_the_erased_message_for_an_erased_person(pages_app, make_tenant, page):  # noqa: F811
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    person_id = register(client, "ERASED-P")
    from fastapi.testclient import TestClient

    assert TestClient(pages_app).delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    response = client.get(f"/c/people/{person_id}{page}")
    assert response.status_code == 410
    assert "个人信息已经按要求删除" in response.text
