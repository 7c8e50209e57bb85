"""Faults: a database that cannot write answers 503 with the cause (and /ready says so); backups restore
to a database that serves identical results; kill -9 during a burst of answers loses no acknowledged one."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from api.app import create_app
from api.cli.main import app as cli
from api.db import make_engine, make_sessionmaker, upgrade
from api.settings import Settings, get_settings
from models.enums import Role
from models.tables import AssessmentResponse, AuditLog
from tests.conftest import new_tenant

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "pathfit.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    tenant = new_tenant(engine)
    engine.dispose()
    return path, tenant


def test_a_read_only_database_answers_503_with_the_cause_and_is_not_ready(sqlite_file):
    path, tenant = sqlite_file
    application = create_app(Settings(database_url=f"sqlite:///file:{path}?mode=ro&uri=true", log_level="CRITICAL",
                                      secret_key="faults-secret-0123456789"))
    client = TestClient(application)
    response = client.post("/v1/persons", json={"external_id": "RO-1"}, headers=tenant.headers())
    assert response.status_code == 503 and "read-only" in response.json()["detail"]
    assert response.headers["retry-after"] == "30"
    read = client.get("/v1/persons", headers=tenant.headers())  # reads write audit rows: they fail closed
    assert read.status_code == 503
    ready = client.get("/ready")
    assert ready.status_code == 503 and "cannot write" in ready.json()["detail"]
    assert client.get("/health").status_code == 200
    application.state.engine.dispose()


def _cli(monkeypatch, url: str, *args: str):
    monkeypatch.setenv("PATHFIT_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        get_settings.cache_clear()


def test_a_restored_backup_serves_identical_results(sqlite_file, tmp_path, monkeypatch):
    path, tenant = sqlite_file
    url = f"sqlite:///{path}"
    application = create_app(Settings(database_url=url, log_level="WARNING", secret_key="faults-secret-0123456789"))
    client = TestClient(application)
    for i in range(3):
        client.post("/v1/persons", json={"external_id": f"BK-{i}", "name": f"备份{i}"}, headers=tenant.headers())
    before = client.get("/v1/persons", headers=tenant.headers()).json()["items"]
    backup = tmp_path / "backup.db"
    result = _cli(monkeypatch, url, "db", "backup", str(backup))
    assert result.exit_code == 0, result.output
    client.delete(f"/v1/persons/{before[0]['id']}", headers=tenant.headers())
    client.post("/v1/persons", json={"external_id": "BK-LATER"}, headers=tenant.headers())
    application.state.engine.dispose()
    result = _cli(monkeypatch, url, "db", "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    restored = create_app(Settings(database_url=url, log_level="WARNING", secret_key="faults-secret-0123456789"))
    assert TestClient(restored).get("/v1/persons", headers=tenant.headers()).json()["items"] == before
    restored.state.engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_pathfit_backup(sqlite_file, tmp_path, monkeypatch):
    path, _ = sqlite_file
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database")
    result = _cli(monkeypatch, f"sqlite:///{path}", "db", "restore", str(junk), "--yes")
    assert result.exit_code != 0 and "junk.db" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(url: str, port: int, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "PATHFIT_DATABASE_URL": url, "PATHFIT_SECRET_KEY": "faults-secret-0123456789",
           "PATHFIT_DATA_DIR": str(data_dir), "PATHFIT_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
                               "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except requests.ConnectionError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def _answer_until_stopped(base: str, token: str, acked: list, stop: threading.Event) -> None:
    with requests.Session() as http:
        try:
            page = http.get(f"{base}/v1/take/{token}", timeout=10).json()
            while not stop.is_set() and page.get("status") == "open":
                part = page["part"]
                batch = [{"instrument_id": part["instrument"]["id"], "item_id": item["id"],
                          "answer": item["options"][0]["id"] if item.get("options") else "1"} for item in page["items"]]
                response = http.post(f"{base}/v1/take/{token}/answers", json={"answers": batch}, timeout=10)
                if response.status_code != 200:
                    return
                acked.extend((token, a["instrument_id"], a["item_id"]) for a in batch)
                page = response.json()
        except requests.RequestException:
            return  # the server was killed mid-request: that answer was never acknowledged


def test_kill_9_during_a_burst_of_answers_loses_no_acknowledged_answer(sqlite_file, tmp_path):
    path, tenant = sqlite_file
    url = f"sqlite:///{path}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(url, port, tmp_path / "data")
    try:
        tokens = {}
        for i in range(8):
            person = requests.post(f"{base}/v1/persons", json={"external_id": f"K9-{i}"},
                                   headers=tenant.headers()).json()["id"]
            started = requests.post(f"{base}/v1/assessments", json={"person_id": person, "battery": "short"},
                                    headers=tenant.headers()).json()
            tokens[started["token"]] = started["id"]
        acked: list = []
        stop = threading.Event()
        threads = [threading.Thread(target=_answer_until_stopped, args=(base, t, acked, stop)) for t in tokens]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(acked) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        stop.set()
        for t in threads:
            t.join()
    finally:
        if server.poll() is None:
            server.kill()
    assert len(acked) >= 40, "the burst must be under way when the server is killed"
    engine = make_engine(url)
    with make_sessionmaker(engine)() as db:
        rows = db.execute(select(AssessmentResponse.session_id, AssessmentResponse.instrument_id,
                                 AssessmentResponse.item_id, func.count())
                          .group_by(AssessmentResponse.session_id, AssessmentResponse.instrument_id,
                                    AssessmentResponse.item_id)).all()
    engine.dispose()
    stored = {(session, instrument, item): n for session, instrument, item, n in rows}
    assert all(n == 1 for n in stored.values())
    assert {(tokens[t], i, item) for t, i, item in acked} <= set(stored)
    # The restarted server resumes every test where it stopped.
    server = _serve(url, port, tmp_path / "data")
    try:
        for token in tokens:
            assert requests.get(f"{base}/v1/take/{token}", timeout=10).status_code == 200
    finally:
        server.kill()
        server.wait()


def _read_only_app(path: Path, tmp_path: Path, **settings):
    return create_app(Settings(database_url=f"sqlite:///file:{path}?mode=ro&uri=true", log_level="CRITICAL",
                               secret_key="faults-secret-0123456789", data_dir=tmp_path / "data", **settings))


def test_with_spooling_a_read_only_database_still_serves_reads_and_spools_their_audit_rows(sqlite_file, tmp_path):
    path, tenant = sqlite_file
    application = _read_only_app(path, tmp_path, reads_when_read_only="spool")
    client = TestClient(application)
    assert client.get("/v1/persons", headers=tenant.headers()).status_code == 200
    spooled = (tmp_path / "data" / "audit-spool.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(spooled) == 1 and '"action": "list"' in spooled[0]
    application.state.engine.dispose()


def test_with_spooling_a_write_to_a_read_only_database_still_answers_503(sqlite_file, tmp_path):
    path, tenant = sqlite_file
    application = _read_only_app(path, tmp_path, reads_when_read_only="spool")
    response = TestClient(application).post("/v1/persons", json={"external_id": "RO-2"}, headers=tenant.headers())
    assert response.status_code == 503
    assert not (tmp_path / "data" / "audit-spool.jsonl").exists()
    application.state.engine.dispose()


def test_spooled_audit_rows_reach_the_audit_log_once_the_database_can_write(sqlite_file, tmp_path):
    path, tenant = sqlite_file
    read_only = _read_only_app(path, tmp_path, reads_when_read_only="spool")
    assert TestClient(read_only).get("/v1/persons", headers=tenant.headers()).status_code == 200
    read_only.state.engine.dispose()
    writable = create_app(Settings(database_url=f"sqlite:///{path}", log_level="CRITICAL", data_dir=tmp_path / "data",
                                   secret_key="faults-secret-0123456789", reads_when_read_only="spool"))
    client = TestClient(writable)
    assert client.post("/v1/persons", json={"external_id": "RW-1"}, headers=tenant.headers()).status_code == 201
    assert (tmp_path / "data" / "audit-spool.jsonl").read_text(encoding="utf-8") == ""
    engine = make_engine(f"sqlite:///{path}")
    with make_sessionmaker(engine)() as session:
        actions = [a for (a,) in session.execute(select(AuditLog.action).order_by(AuditLog.at))]
    assert actions[-2:] == ["list", "create"]
    engine.dispose()
    writable.state.engine.dispose()
