"""Test takers answering at once while a counsellor lists people and a batch job runs (issue 18 goal:
p99 < 300 ms for answers with 50 takers, zero errors, every acknowledged answer stored exactly once), on
SQLite and on PostgreSQL.

A real server (``uvicorn`` in a subprocess, loopback only) on a fresh database; N takers (threads, one
HTTP connection each) open their test link and answer page after page of the short battery; one
counsellor lists people every 0.5 s; a batch-matching job is started when the load begins and restarted
when it ends, so one is running throughout. Bounded: each taker stops after ``--answers`` answers or when
``--seconds`` have passed, whichever comes first. Afterwards every acknowledged answer is looked up in the
database (each must be stored exactly once, and nothing unacknowledged added).

Run: .venv/bin/python bench/bench_take_load.py [--takers 50] [--answers 30] [--seconds 90] [--think 2]
     [--backends sqlite postgres] [--no-batch]
``--think`` is the mean time a taker spends on a page before answering (default 2 s, uniform between
half and one and a half times it; people take several seconds per item); ``--think 0`` is a stress run
with every taker answering back to back. ``--no-batch`` leaves the batch job out, to attribute time.

(writes bench/results/take_load.json)
"""
import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import numpy as np
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from api.db import make_engine, make_sessionmaker, upgrade  # noqa: E402
from api.tenancy import create_api_key, create_organisation  # noqa: E402
from models.enums import Role  # noqa: E402
from models.tables import AssessmentResponse  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from record import Row, write_record  # noqa: E402

POSTGRES = os.environ.get("PATHFIT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
VACANCY_CSV = "employer,title,occupation_code,district,openings\n" + "".join(
    f"企业{i},岗位{i},{code},朝阳区,2\n" for i, code in enumerate(["4-01-02-04", "4-07-05-01", "4-10-01-05"] * 100))


class Client(requests.Session):
    """One keep-alive HTTP connection to the server, with paths relative to ``base``."""

    def __init__(self, base: str, headers: dict | None = None):
        super().__init__()
        self.base = base
        self.headers.update(headers or {})

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 60)
        return super().request(method, self.base + url, *args, **kwargs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database(backend: str, tmp: Path) -> tuple[str, callable]:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'load.db'}", lambda: None
    import psycopg

    schema = f"pathfit_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES, autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(POSTGRES, autocommit=True) as c:
            c.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    url = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1) + f"?options={quote(f'-csearch_path={schema}')}"
    return url, drop


def _first_option(item: dict) -> str:
    if item.get("options"):
        return item["options"][0]["id"]
    if item.get("scale_points") or item.get("points"):
        return "1"
    return "same" if item.get("kind") == "same_different" else "1"


def _taker(base: str, token: str, answers: int, stop_at: float, think: float, seed: int, out: dict) -> None:
    latencies, acked, errors = [], [], []
    rng = random.Random(seed)
    with Client(base) as http:
        page = http.get(f"/v1/take/{token}").json()
        while page.get("status") == "open" and len(acked) < answers and time.monotonic() < stop_at:
            part = page["part"]
            batch = [{"instrument_id": part["instrument"]["id"], "item_id": item["id"], "answer": _first_option(item)}
                     for item in page["items"]]
            time.sleep(think * rng.uniform(0.5, 1.5))  # reading the item (people take several seconds)
            started = time.perf_counter()
            response = http.post(f"/v1/take/{token}/answers", json={"answers": batch})
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {response.text[:200]}")
                break
            acked.extend((a["instrument_id"], a["item_id"]) for a in batch)
            page = response.json()
    out.update(latencies=latencies, acked=acked, errors=errors)


def _counsellor(base: str, key: str, stop: threading.Event, out: dict) -> None:
    latencies, errors = [], []
    with Client(base, {"Authorization": f"Bearer {key}"}) as http:
        while not stop.is_set():
            started = time.perf_counter()
            r = http.get("/v1/persons", params={"limit": 100})
            latencies.append((time.perf_counter() - started) * 1000)
            if r.status_code != 200:
                errors.append(r.status_code)
            stop.wait(0.5)
    out.update(latencies=latencies, errors=errors)


def _batch(base: str, key: str, stop: threading.Event, out: dict) -> None:
    jobs, errors = 0, []
    with Client(base, {"Authorization": f"Bearer {key}"}) as http:
        while not stop.is_set():
            r = http.post("/v1/batch-jobs", json={"k": 10})
            if r.status_code not in (201, 202):
                errors.append(r.status_code)
                break
            jobs += 1
            while not stop.is_set() and http.get(f"/v1/batch-jobs/{r.json()['id']}").json()["status"] in ("queued", "running"):
                stop.wait(0.2)
    out.update(jobs=jobs, errors=errors)


def run(backend: str, takers: int, answers: int, seconds: float, think: float, batch: bool = True) -> dict:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url, drop = _database(backend, tmp)
        engine = make_engine(url)
        upgrade(engine)
        with make_sessionmaker(engine)() as db, db.begin():
            org = create_organisation(db, "压测中心")
            keys = {role: create_api_key(db, org.id, role, "bench")[1] for role in (Role.counsellor, Role.analyst)}
        port = _free_port()
        env = {**os.environ, "PATHFIT_DATABASE_URL": url, "PATHFIT_DATA_DIR": str(tmp / "data"),
               "PATHFIT_SECRET_KEY": "bench-secret-0123456789", "PATHFIT_LOG_LEVEL": "WARNING"}
        server = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
                                   "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if requests.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except requests.ConnectionError:
                    time.sleep(0.2)
            counsellor = {"Authorization": f"Bearer {keys[Role.counsellor]}"}
            with Client(base, counsellor) as http:
                http.post("/v1/vacancies/import", data=VACANCY_CSV.encode(), headers={"Content-Type": "text/csv"})
                tokens = []
                for i in range(takers):
                    person = http.post("/v1/persons", json={"external_id": f"LOAD-{i}", "education": "junior_secondary",
                                                            "district": "朝阳区"}).json()["id"]
                    tokens.append(http.post("/v1/assessments", json={"person_id": person, "battery": "short"})
                                  .json()["token"])
            stop = threading.Event()
            side = {"counsellor": {}, "batch": {}}
            helpers = [threading.Thread(target=_counsellor, args=(base, keys[Role.counsellor], stop, side["counsellor"]))]
            if batch:
                helpers.append(threading.Thread(target=_batch, args=(base, keys[Role.analyst], stop, side["batch"])))
            else:
                side["batch"].update(jobs=0, errors=[])
            for t in helpers:
                t.start()
            time.sleep(0.5)  # the batch job is under way before the takers start
            outs = [{} for _ in tokens]
            stop_at = time.monotonic() + seconds
            threads = [threading.Thread(target=_taker, args=(base, token, answers, stop_at, think, i, out))
                       for i, (token, out) in enumerate(zip(tokens, outs))]
            began = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - began
            stop.set()
            for t in helpers:
                t.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        with make_sessionmaker(engine)() as db:
            stored = db.execute(select(AssessmentResponse.instrument_id, AssessmentResponse.item_id,
                                       AssessmentResponse.session_id, func.count())
                                .group_by(AssessmentResponse.session_id, AssessmentResponse.instrument_id,
                                          AssessmentResponse.item_id)).all()
        engine.dispose()
        drop()
    latencies = np.array([x for o in outs for x in o["latencies"]])
    acked = sum(len(o["acked"]) for o in outs)
    duplicates = sum(1 for *_, n in stored if n > 1)
    errors = [e for o in outs for e in o["errors"]] + [f"counsellor {e}" for e in side["counsellor"]["errors"]] \
        + [f"batch {e}" for e in side["batch"]["errors"]]
    listing = np.array(side["counsellor"]["latencies"])
    return {"backend": backend, "takers": takers, "think_seconds": think, "answer_requests": int(latencies.size),
            "answers_acknowledged": acked, "answers_stored": len(stored), "stored_twice": duplicates,
            "p50_ms": round(float(np.percentile(latencies, 50)), 1), "p99_ms": round(float(np.percentile(latencies, 99)), 1),
            "max_ms": round(float(latencies.max()), 1), "errors": len(errors), "error_samples": errors[:5],
            "list_p50_ms": round(float(np.percentile(listing, 50)), 1) if listing.size else None,
            "batch_jobs_run": side["batch"]["jobs"], "batch_running": batch, "seconds": round(wall, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--takers", type=int, default=50)
    parser.add_argument("--answers", type=int, default=30, help="Most answers per taker.")
    parser.add_argument("--seconds", type=float, default=90, help="Most seconds of load per back end.")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--think", type=float, default=2.0,
                        help="Mean seconds a taker spends on a page before answering (uniform 0.5-1.5 x; 0: none).")
    parser.add_argument("--no-batch", action="store_true", help="No batch job beside the takers (to attribute time).")
    args = parser.parse_args()
    load_at_start = os.getloadavg()
    rows = []
    for backend in args.backends:
        row = run(backend, args.takers, args.answers, args.seconds, args.think, batch=not args.no_batch)
        rows.append(row)
        print(f"{backend:9s} takers={row['takers']} answers p50={row['p50_ms']} ms p99={row['p99_ms']} ms "
              f"max={row['max_ms']} ms errors={row['errors']} acknowledged={row['answers_acknowledged']} "
              f"stored={row['answers_stored']} stored_twice={row['stored_twice']} batch_jobs={row['batch_jobs_run']} "
              f"list_p50={row['list_p50_ms']} ms", flush=True)
    readme = [Row(f"`bench_take_load.py`: answers, {r['takers']} takers on {r['backend']}"
                  f"{', batch job running' if r['batch_running'] else ''}, {r['think_seconds']} s think time",
                  f"p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms; {r['errors']} errors; "
                  f"{r['answers_acknowledged']} acknowledged = {r['answers_stored']} stored, {r['stored_twice']} twice",
                  "goal: p99 < 300 ms", "—") for r in rows]
    write_record("take_load", readme, {"command": " ".join(sys.argv), "runs": rows}, started_load=load_at_start)


if __name__ == "__main__":
    main()
