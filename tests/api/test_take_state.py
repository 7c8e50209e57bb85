"""Saving answers works out each part's next page (an adaptive part replays its CAT) once per request,
then only the answered part again per answer, instead of every part for every answer."""
import api.services.assessments as assessments_service
from tests.api.test_assessments import _answers_for, _start


def test_a_page_of_answers_computes_each_parts_state_once_and_the_answered_part_once_per_answer(
        client, tenant, monkeypatch):
    started = _start(client, tenant, battery="short")
    page = client.get(f"/v1/take/{started['token']}").json()
    parts = page["part"]["count"]
    answers = _answers_for(page)
    calls = []
    real = assessments_service.next_page
    monkeypatch.setattr(assessments_service, "next_page", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    after = client.post(f"/v1/take/{started['token']}/answers", json={"answers": answers})
    assert after.status_code == 200, after.text
    assert parts > 1
    assert len(calls) == parts + len(answers)


def test_the_page_after_saving_is_the_page_a_fresh_request_shows(client, tenant):
    started = _start(client, tenant, battery="short")
    page = client.get(f"/v1/take/{started['token']}").json()
    for step in range(4):
        saved = client.post(f"/v1/take/{started['token']}/answers", json={"answers": _answers_for(page, step)}).json()
        page = client.get(f"/v1/take/{started['token']}").json()
        for shown in (saved, page):  # the clock runs on between the two requests
            shown["part"].pop("seconds_left")
        assert saved == page
