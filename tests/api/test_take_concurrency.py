"""Two identical answers arriving at the same moment (a double tap, a retry racing the first) both get 200
and the answer is stored once."""
import threading

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.db import make_sessionmaker
from models.tables import AssessmentResponse


def test_identical_answers_sent_together_both_get_200_and_are_stored_once(app, tenant):
    client = TestClient(app)
    person = client.post("/v1/persons", json={"external_id": "RACE-1"}, headers=tenant.headers()).json()["id"]
    for round_ in range(5):
        started = client.post("/v1/assessments", json={"person_id": person, "battery": "short"},
                              headers=tenant.headers()).json()
        page = client.get(f"/v1/take/{started['token']}").json()
        item = page["items"][0]
        answer = {"answers": [{"instrument_id": page["part"]["instrument"]["id"], "item_id": item["id"],
                               "answer": item["options"][0]["id"] if item.get("options") else "1"}]}
        barrier, statuses = threading.Barrier(2), []

        def send() -> None:
            with TestClient(app) as own:
                barrier.wait()
                statuses.append(own.post(f"/v1/take/{started['token']}/answers", json=answer).status_code)

        threads = [threading.Thread(target=send) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [200, 200], (round_, statuses)
        with make_sessionmaker(app.state.engine)() as db:
            stored = db.scalar(select(func.count()).select_from(AssessmentResponse)
                               .where(AssessmentResponse.session_id == started["id"]))
        assert stored == 1
