"""Batch jobs run from the API: a background thread per job, state in the ``batch_jobs`` table, files
under ``PATHFIT_DATA_DIR/batch-jobs/<id>/``.

A job first snapshots its inputs (the organisation's persons and vacancies) to ``input/`` (atomic
renames), then runs ``api.batch.runner.run_batch`` into ``result/`` with checkpoints beside it. If
the server stops, ``resume_batch_jobs(app)`` (called at start-up) finds the jobs still queued or
running and starts them again: the snapshot is reused and finished blocks are skipped, so the
result is the one an uninterrupted run gives.
"""
from __future__ import annotations

import logging
import os
import threading
import traceback
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.batch.runner import BatchOptions, run_batch, write_table
from api.db import current_revision, head_revision
from api.batch.sources import organisation_frames
from api.services.households import StatusRules
from api.services.learning import stored_model
from api.services.matching import occupation_table
from api.settings import Settings, get_settings
from matching.batch.allocation import AllocationPolicy
from models.match import FitWeights
from models.tables import BatchJob, utcnow

log = logging.getLogger("pathfit.batch")
RESULT_TABLES = ("recommendations", "referrals", "allocation", "seeker_stats")


def job_dir(data_dir: Path, job_id: str) -> Path:
    return Path(data_dir) / "batch-jobs" / job_id


def result_file(data_dir: Path, job_id: str, table: str, fmt: str) -> Path:
    """A finished job's table as ``fmt``. Jobs write Parquet only; the CSV is made from it on the
    first request and kept (writing CSV for every job took 9–10 s of a 100,000-seeker run, most
    of it for files nobody asked for). Missing table: the path, which does not exist."""
    path = job_dir(data_dir, job_id) / "result" / f"{table}.{fmt}"
    parquet = path.with_suffix(".parquet")
    if fmt != "parquet" and not path.exists() and parquet.exists():
        tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
        try:
            write_table(pd.read_parquet(parquet), tmp, fmt)
            os.replace(tmp, path)  # concurrent first requests each write their own file; the last wins
        finally:
            tmp.unlink(missing_ok=True)  # nothing half-written stays behind
    return path


def options_from_params(params: dict) -> BatchOptions:
    o = params.get("options", {})
    return BatchOptions(
        k=params["k"], allocate=params["allocate"], block_size=o.get("block_size", 5000),
        policy=AllocationPolicy(capacity_factor=o.get("capacity_factor", 3.0), per_person=o.get("per_person", 5),
                                good_fit=o.get("good_fit", 60.0)),
        weights=FitWeights(**o["weights"]) if o.get("weights") else None,
        as_of=date.fromisoformat(o["as_of"]) if o.get("as_of") else None,
        formats=("parquet",), workers=1)


class BatchJobRunner:
    """Starts at most one thread per job id; safe to call ``start`` again for a running job."""

    def __init__(self, sessions: sessionmaker[Session], data_dir: Path, settings: Settings | None = None):
        self.sessions, self.data_dir = sessions, Path(data_dir)
        self.settings = settings or get_settings()  # the households' status rules for database inputs
        self._lock = threading.Lock()
        self._threads: dict[str, threading.Thread] = {}

    def start(self, job_id: str) -> None:
        with self._lock:
            alive = self._threads.get(job_id)
            if alive is not None and alive.is_alive():
                return
            thread = threading.Thread(target=self._run, args=(job_id,), name=f"batch-{job_id}", daemon=True)
            self._threads[job_id] = thread
            thread.start()

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Block until the job's thread ends (tests and shutdown)."""
        thread = self._threads.get(job_id)
        if thread is not None:
            thread.join(timeout)

    def _update(self, job_id: str, **values) -> None:
        with self.sessions() as db, db.begin():
            job = db.get(BatchJob, job_id)
            for name, value in values.items():
                setattr(job, name, value)
            job.updated_at = utcnow()

    def _run(self, job_id: str) -> None:
        with self.sessions() as db:
            job = db.get(BatchJob, job_id)
            if job is None or job.status in ("succeeded", "failed"):
                return
            org, params, attempts = job.organisation_id, dict(job.params), job.attempts
        self._update(job_id, status="running", started_at=utcnow(), attempts=attempts + 1, error=None)
        base = job_dir(self.data_dir, job_id)
        try:
            seekers, vacancies = self._inputs(base, org)
            if len(seekers) == 0 or len(vacancies) == 0:
                raise ValueError(f"the organisation has {len(seekers)} persons and {len(vacancies)} vacancies; "
                                 "a batch needs at least one of each")
            result = base / "result"
            if (result / "summary.json").exists():  # finished just before a restart
                import json

                summary = json.loads((result / "summary.json").read_text(encoding="utf-8"))
            else:
                def progress(done: int, total: int) -> None:
                    self._update(job_id, progress={"blocks_done": done, "blocks_total": total})

                summary = run_batch(seekers, vacancies, result, occupation_table(), self._options(org, params),
                                    progress=progress, source={"database": True, "organisation_id": org})
            self._update(job_id, status="succeeded", summary=summary, finished_at=utcnow())
        except Exception as exc:  # a job must end in a state the caller can read
            log.error("batch job %s failed: %s", job_id, traceback.format_exc())
            self._update(job_id, status="failed", error=f"{type(exc).__name__}: {exc}", finished_at=utcnow())

    def _options(self, org: str, params: dict) -> BatchOptions:
        """The job's options, with the outcome model version fixed at its creation (if any)."""
        options = options_from_params(params)
        version_id = params.get("outcome_model_version")
        if not version_id:
            return options
        with self.sessions() as db:
            row, model = stored_model(db, org, version_id)
        return replace(options, outcome_model=model, outcome_model_label=f"outcome model v{row.version}")

    def _inputs(self, base: Path, org: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The job's snapshot of the organisation's data, taken once (atomic renames)."""
        inputs = base / "input"
        s_path, v_path = inputs / "seekers.parquet", inputs / "vacancies.parquet"
        if not (s_path.exists() and v_path.exists()):
            inputs.mkdir(parents=True, exist_ok=True)
            with self.sessions() as db:
                seekers, vacancies = organisation_frames(db, org, StatusRules.from_settings(self.settings))
            for frame, path in ((seekers, s_path), (vacancies, v_path)):
                tmp = path.with_suffix(".tmp")
                frame.to_parquet(tmp, index=False)
                tmp.replace(path)
        return pd.read_parquet(s_path), pd.read_parquet(v_path)


def batch_runner(app) -> BatchJobRunner:
    """The app's job runner (created on first use)."""
    runner = getattr(app.state, "batch_jobs", None)
    if runner is None:
        runner = app.state.batch_jobs = BatchJobRunner(app.state.sessionmaker, app.state.settings.data_dir,
                                                        app.state.settings)
    return runner


def resume_batch_jobs(app) -> list[str]:
    """Start-up hook: restart every job left queued or running (from its checkpoints). Returns the ids.

    Does nothing on a database that is not migrated yet (``/ready`` reports that case).
    """
    engine = app.state.engine
    if current_revision(engine) != head_revision(engine):
        return []
    runner = batch_runner(app)
    with app.state.sessionmaker() as db:
        ids = list(db.scalars(select(BatchJob.id).where(BatchJob.status.in_(("queued", "running")))
                              .order_by(BatchJob.created_at)))
    for job_id in ids:
        runner.start(job_id)
    return ids
