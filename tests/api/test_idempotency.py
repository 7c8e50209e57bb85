"""Writes with an Idempotency-Key header are safe to retry."""


def test_retry_with_same_key_returns_first_response_and_writes_once(client, tenant):
    headers = tenant.headers(**{"Idempotency-Key": "create-IDEM-1"})
    first = client.post("/v1/persons", json={"external_id": "IDEM-1"}, headers=headers)
    retry = client.post("/v1/persons", json={"external_id": "IDEM-1"}, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert client.get("/v1/persons", headers=tenant.headers()).json()["total"] == 1


def test_same_key_with_a_different_body_is_422(client, tenant):
    headers = tenant.headers(**{"Idempotency-Key": "k-2"})
    client.post("/v1/persons", json={"external_id": "IDEM-2"}, headers=headers)
    reused = client.post("/v1/persons", json={"external_id": "IDEM-3"}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["errors"][0]["field"] == "header.idempotency-key"
    assert client.get("/v1/persons", headers=tenant.headers()).json()["total"] == 1


def test_failed_first_attempt_can_be_retried_with_the_same_key(client, tenant):
    headers = tenant.headers(**{"Idempotency-Key": "k-3"})
    assert client.post("/v1/persons", json={"external_id": "IDEM-4", "birth_year": 3000},
                       headers=headers).status_code == 422
    assert client.post("/v1/persons", json={"external_id": "IDEM-4", "birth_year": 3000},
                       headers=headers).status_code == 422
    ok = client.post("/v1/persons", json={"external_id": "IDEM-4"}, headers=headers)
    assert ok.status_code == 201


def test_keys_are_scoped_to_the_caller(client, make_tenant):
    first, second = make_tenant(), make_tenant()
    a = client.post("/v1/persons", json={"external_id": "S-1"}, headers=first.headers(**{"Idempotency-Key": "same"}))
    b = client.post("/v1/persons", json={"external_id": "S-1"}, headers=second.headers(**{"Idempotency-Key": "same"}))
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
