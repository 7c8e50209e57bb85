"""``POST /v1/matches`` refuses what it used to turn into a 500 or a silent wrong answer: 422 naming the field."""
import pytest


def _person(client, tenant) -> str:
    return client.post("/v1/persons", json={"external_id": "BOUND-1"}, headers=tenant.headers()).json()["id"]


@pytest.mark.parametrize(("extra", "field"), [
    ({"interested_occupations": ["x"]}, "interested_occupations.0"),
    ({"k": True}, "k"),
    ({"k": 2.5}, "k"),
])
def test_bad_fields_for_a_stored_person_are_422_naming_them(client, tenant, extra, field):
    response = client.post("/v1/matches", json={"person_id": _person(client, tenant), **extra},
                           headers=tenant.headers())
    assert response.status_code == 422 and field in {e["field"] for e in response.json()["errors"]}


def test_invalid_codes_beside_an_inline_profile_are_422(client, tenant):
    response = client.post("/v1/matches", json={"profile": {"education": "junior_secondary"},
                                                "interested_occupations": ["not-a-code"]}, headers=tenant.headers())
    assert response.status_code == 422


def test_an_infinite_or_huge_weight_is_422(client, tenant):
    person = _person(client, tenant)
    for raw in ('1e400', '1e9'):
        body = '{"person_id": "%s", "weights": {"aptitude": %s}}' % (person, raw)
        response = client.post("/v1/matches", content=body, headers=tenant.headers(**{"Content-Type": "application/json"}))
        assert response.status_code == 422, raw
        assert response.json()["errors"][0]["field"] == "weights.aptitude"
