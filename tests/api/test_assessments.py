"""Taking a battery through the API: pages, answers saved as they come, resume, paper entry, results."""
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from assessment.administration import allowed_answers
from instruments.registry import load_all

BANK = load_all()
SECRET_FIELDS = {"key", "parameters", "reverse", "features", "validity", "scale", "thresholds"}


def _person(client, tenant, **fields):
    body = {"external_id": "ASSESS-1", "birth_year": 1985, "education": "junior_secondary", **fields}
    return client.post("/v1/persons", json=body, headers=tenant.headers()).json()["id"]


def _start(client, tenant, battery="short", mode="online", lang="zh-CN"):
    person_id = _person(client, tenant)
    response = client.post("/v1/assessments", json={"person_id": person_id, "battery": battery, "mode": mode,
                                                    "lang": lang}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    return response.json()


def _answers_for(page, choose=0):
    """Answer every item on the page: the ``choose``-th allowed answer (cycled), 3 s each."""
    out = []
    instrument = BANK[page["part"]["instrument"]["id"]]
    for item in page["items"]:
        allowed = allowed_answers(instrument, instrument.item(item["id"]))
        out.append({"instrument_id": instrument.id, "item_id": item["id"], "answer": allowed[choose % len(allowed)],
                    "response_time_ms": 3000})
    return out


def _finish(client, token, limit=400):
    page = client.get(f"/v1/take/{token}").json()
    steps = 0
    while page["status"] == "open":
        page = client.post(f"/v1/take/{token}/answers", json={"answers": _answers_for(page, steps)}).json()
        steps += 1
        assert steps < limit
    return page


def _secret_fields(value, path=""):
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in SECRET_FIELDS:
                found.append(f"{path}.{k}")
            found += _secret_fields(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _secret_fields(v, f"{path}[{i}]")
    return found


def test_full_battery_is_taken_adaptively_and_scored(client, tenant):
    started = _start(client, tenant, battery="full")
    assert [p["mode"] for p in started["progress"][:3]] == ["adaptive"] * 3
    final = _finish(client, started["token"])
    assert final["status"] == "completed"
    assessment = client.get(f"/v1/assessments/{started['id']}", headers=tenant.headers()).json()
    assert assessment["status"] == "completed"
    result = client.get(f"/v1/results/{assessment['result_id']}", headers=tenant.headers()).json()
    document = result["document"]
    assert [r["instrument_id"] for r in document["instruments"]] == [p["instrument_id"] for p in started["progress"]]
    verbal = document["instruments"][0]["scales"][0]
    assert verbal["scored"] and verbal["n_answered"] <= 20
    assert verbal["normed"]["t_ci"][0] < verbal["normed"]["t"] < verbal["normed"]["t_ci"][1]
    assert verbal["normed"]["provisional"] is True
    assert document["composites"][0]["scale_id"] == "G"
    assert document["profiles"]["holland"]["code"]


def test_short_battery_pages_are_one_item_for_ability_and_six_for_questionnaires(client, tenant):
    token = _start(client, tenant)["token"]
    first = client.get(f"/v1/take/{token}").json()
    assert first["part"]["instrument"]["id"] == "aptitude-v" and len(first["items"]) == 1
    assert first["part"]["seconds_left"] is not None
    page = first
    while page["part"]["instrument"]["kind"] == "aptitude":
        page = client.post(f"/v1/take/{token}/answers", json={"answers": _answers_for(page)}).json()
    assert page["part"]["instrument"]["id"] == "interest-riasec" and len(page["items"]) == 6


def test_closing_the_browser_and_reopening_resumes_at_the_same_item(client, app, tenant):
    token = _start(client, tenant, battery="full")["token"]
    page = client.get(f"/v1/take/{token}").json()
    for _ in range(3):
        page = client.post(f"/v1/take/{token}/answers", json={"answers": _answers_for(page)}).json()
    reopened = TestClient(app).get(f"/v1/take/{token}").json()
    assert reopened["answered"] == 3
    assert [i["id"] for i in reopened["items"]] == [i["id"] for i in page["items"]]


def test_retrying_the_same_answer_changes_nothing(client, tenant):
    token = _start(client, tenant)["token"]
    page = client.get(f"/v1/take/{token}").json()
    answers = {"answers": _answers_for(page)}
    after_first = client.post(f"/v1/take/{token}/answers", json=answers).json()
    after_retry = client.post(f"/v1/take/{token}/answers", json=answers)
    assert after_retry.status_code == 200
    assert after_retry.json()["answered"] == after_first["answered"] == 1
    assert after_retry.json()["items"] == after_first["items"]


def test_an_adaptive_answer_cannot_be_changed(client, tenant):
    token = _start(client, tenant, battery="full")["token"]
    page = client.get(f"/v1/take/{token}").json()
    client.post(f"/v1/take/{token}/answers", json={"answers": _answers_for(page, 0)})
    changed = client.post(f"/v1/take/{token}/answers", json={"answers": _answers_for(page, 1)})
    assert changed.status_code == 409
    assert changed.json()["errors"][0]["field"] == f"answers.{page['items'][0]['id']}"


def test_invalid_option_is_422_naming_the_item_and_stores_nothing(client, tenant):
    token = _start(client, tenant)["token"]
    item_id = client.get(f"/v1/take/{token}").json()["items"][0]["id"]
    response = client.post(f"/v1/take/{token}/answers", json={"answers": [{"item_id": item_id, "answer": "Z"}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == f"answers.{item_id}"
    assert client.get(f"/v1/take/{token}").json()["answered"] == 0


def test_item_not_on_the_current_page_is_409(client, tenant):
    token = _start(client, tenant)["token"]
    page = client.get(f"/v1/take/{token}").json()
    later = [i for i in BANK["interest-riasec"].items][0].id
    response = client.post(f"/v1/take/{token}/answers", json={"answers": [{"item_id": later, "answer": "3"}]})
    assert response.status_code == 409
    assert page["items"][0]["id"] != later


def test_unknown_token_is_404(client):
    assert client.get("/v1/take/not-a-token").status_code == 404


def test_take_pages_and_instrument_endpoints_carry_no_secret_fields(client, tenant):
    token = _start(client, tenant, battery="full")["token"]
    page = client.get(f"/v1/take/{token}").json()
    served = [page]
    for _ in range(25):
        page = client.post(f"/v1/take/{token}/answers", json={"answers": _answers_for(page)}).json()
        served.append(page)
    served.append(client.get(f"/v1/take/{token}", params={"lang": "en"}).json())
    for instrument_id in BANK:
        served.append(client.get(f"/v1/instruments/{instrument_id}", headers=tenant.headers()).json())
    served.append(client.get("/v1/instruments", headers=tenant.headers()).json())
    served.append(client.get("/v1/batteries", headers=tenant.headers()).json())
    assert [path for payload in served for path in _secret_fields(payload)] == []


def test_paper_sheet_with_unknown_item_and_bad_answer_is_rejected_whole(client, tenant):
    started = _start(client, tenant, battery="paper", mode="paper")
    version = BANK["aptitude-v"].version
    sheet = {"instrument_id": "aptitude-v", "instrument_version": version,
             "responses": {"V999": "A", BANK["aptitude-v"].form("paper").items[0]: "Z"}}
    response = client.post(f"/v1/assessments/{started['id']}/paper", json=sheet, headers=tenant.headers())
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"responses.V999", f"responses.{BANK['aptitude-v'].form('paper').items[0]}"}
    progress = client.get(f"/v1/assessments/{started['id']}", headers=tenant.headers()).json()["progress"]
    assert progress[0]["answered"] == 0


def test_paper_sheet_for_another_version_is_422(client, tenant):
    started = _start(client, tenant, battery="paper", mode="paper")
    sheet = {"instrument_id": "aptitude-v", "instrument_version": "0.9.0+000000000000", "responses": {"V001": "A"}}
    response = client.post(f"/v1/assessments/{started['id']}/paper", json=sheet, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "instrument_version"


def test_paper_entry_then_completion_gives_a_result(client, tenant):
    started = _start(client, tenant, battery="paper", mode="paper")
    for part in started["progress"]:
        instrument = BANK[part["instrument_id"]]
        items = instrument.form("paper").items
        sheet = {"instrument_id": instrument.id, "instrument_version": instrument.version,
                 "responses": {i: instrument.item(i).key for i in items[: len(items) // 2]}}
        assert client.post(f"/v1/assessments/{started['id']}/paper", json=sheet,
                           headers=tenant.headers()).status_code == 200
    completed = client.post(f"/v1/assessments/{started['id']}/complete", headers=tenant.headers()).json()
    assert completed["status"] == "completed"
    document = client.get(f"/v1/results/{completed['result_id']}", headers=tenant.headers()).json()["document"]
    assert all(r["mode"] == "form" for r in document["instruments"])
    assert all(r["scales"][0]["scored"] for r in document["instruments"])


def test_rescoring_adds_a_result_and_keeps_the_old_one(client, app, tenant):
    started = _start(client, tenant)
    _finish(client, started["token"])
    first = client.get(f"/v1/assessments/{started['id']}", headers=tenant.headers()).json()["result_id"]
    second = client.post(f"/v1/results/{first}/rescore", headers=tenant.headers())
    assert second.status_code == 201
    assert second.json()["supersedes_id"] == first
    person_id = second.json()["person_id"]
    listed = client.get(f"/v1/persons/{person_id}/results", headers=tenant.headers()).json()
    assert [r["id"] for r in listed] == [second.json()["id"], first]


def test_database_refuses_to_change_a_stored_result(client, app, tenant):
    started = _start(client, tenant)
    _finish(client, started["token"])
    with pytest.raises(DBAPIError, match="immutable"):
        with app.state.engine.begin() as connection:
            connection.execute(text("UPDATE assessment_results SET engine_version = 'x'"))


def test_another_organisations_result_and_assessment_are_404(client, make_tenant):
    owner, other = make_tenant(), make_tenant()
    started = _start(client, owner)
    _finish(client, started["token"])
    result_id = client.get(f"/v1/assessments/{started['id']}", headers=owner.headers()).json()["result_id"]
    assert client.get(f"/v1/assessments/{started['id']}", headers=other.headers()).status_code == 404
    assert client.get(f"/v1/results/{result_id}", headers=other.headers()).status_code == 404


def test_unknown_battery_is_422_naming_it(client, tenant):
    person_id = _person(client, tenant)
    response = client.post("/v1/assessments", json={"person_id": person_id, "battery": "nope"},
                           headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "battery"


def test_finished_test_refuses_more_answers(client, tenant):
    started = _start(client, tenant)
    _finish(client, started["token"])
    response = client.post(f"/v1/take/{started['token']}/answers",
                           json={"answers": [{"item_id": "V001", "answer": "A"}]})
    assert response.status_code == 409


def test_erasing_a_person_removes_their_answers_and_results(client, app, tenant):
    from sqlalchemy import func, select

    from models.tables import AssessmentResponse, AssessmentResult, AssessmentSession

    started = _start(client, tenant)
    _finish(client, started["token"])
    assert client.delete(f"/v1/persons/{started['person_id']}", headers=tenant.headers()).status_code == 204
    with app.state.sessionmaker() as db:
        counts = [db.scalar(select(func.count()).select_from(t).where(t.session_id == started["id"]))
                  for t in (AssessmentResponse, AssessmentResult)]
        assert counts == [0, 0]
        assert db.get(AssessmentSession, started["id"]) is None
    assert client.get(f"/v1/take/{started['token']}").status_code == 404


def test_reading_the_instructions_costs_no_time_and_start_begins_the_clock(client, tenant, app):
    from models.tables import AssessmentSession

    started = _start(client, tenant)
    token = started["token"]
    limit = client.get(f"/v1/take/{token}").json()["part"]["seconds_left"]
    with app.state.sessionmaker() as db:
        assert db.get(AssessmentSession, started["id"]).part_started == {}
    after_start = client.post(f"/v1/take/{token}/start").json()
    assert after_start["part"]["seconds_left"] <= limit
    with app.state.sessionmaker() as db:
        assert set(db.get(AssessmentSession, started["id"]).part_started) == {"0"}


def test_the_first_answer_starts_the_clock_when_start_was_not_called(client, tenant, app):
    from models.tables import AssessmentSession

    started = _start(client, tenant)
    page = client.get(f"/v1/take/{started['token']}").json()
    client.post(f"/v1/take/{started['token']}/answers", json={"answers": _answers_for(page)})
    with app.state.sessionmaker() as db:
        assert set(db.get(AssessmentSession, started["id"]).part_started) == {"0"}
