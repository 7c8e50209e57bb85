"""Background work starts with the server (the lifespan handler), not when the app is built."""
from fastapi.testclient import TestClient

import api.app
from api.settings import Settings


def test_building_the_app_resumes_no_batch_job_and_starting_it_resumes_them_once(database_url, monkeypatch):
    resumed = []
    monkeypatch.setattr(api.app, "resume_batch_jobs", lambda app: resumed.append(app))
    app = api.app.create_app(Settings(database_url=database_url, log_level="WARNING"))
    assert resumed == []
    with TestClient(app):
        assert resumed == [app]
    app.state.engine.dispose()
