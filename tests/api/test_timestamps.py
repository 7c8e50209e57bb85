"""Timestamps are aware UTC on both back ends: returned with an offset (RFC 3339) and compared as instants,
whatever offset a query gives."""
from datetime import datetime, timedelta, timezone

from models.enums import Role


def test_timestamps_come_back_with_a_utc_offset(client, tenant):
    created = client.post("/v1/persons", json={"external_id": "TS-1"}, headers=tenant.headers()).json()
    stamp = datetime.fromisoformat(created["created_at"])
    assert stamp.utcoffset() == timedelta(0)
    read = client.get(f"/v1/persons/{created['id']}", headers=tenant.headers()).json()
    assert datetime.fromisoformat(read["created_at"]).utcoffset() == timedelta(0)


def test_since_and_until_compare_instants_whatever_the_offset(client, tenant):
    client.post("/v1/persons", json={"external_id": "TS-2"}, headers=tenant.headers())
    entries = client.get("/v1/audit", headers=tenant.headers(Role.admin)).json()["items"]
    at = datetime.fromisoformat(entries[0]["at"])
    before = at - timedelta(seconds=1)
    counts = []
    for zone in (timezone.utc, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))):
        response = client.get("/v1/audit", params={"since": before.astimezone(zone).isoformat()},
                              headers=tenant.headers(Role.admin))
        counts.append(response.json()["total"])
    assert counts[0] >= 1 and len(set(counts)) == 1
    until = client.get("/v1/audit", params={"until": before.astimezone(timezone(timedelta(hours=8))).isoformat()},
                       headers=tenant.headers(Role.admin)).json()
    assert until["total"] == 0


def test_an_offset_beyond_the_bound_is_422_not_500(client, tenant):
    for path in ("/v1/persons", "/v1/vacancies", "/v1/programmes", "/v1/audit"):
        response = client.get(path, params={"offset": 4209735141466454884352}, headers=tenant.headers(Role.admin))
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.offset"
