"""The experience component for the batch kernel: ``matching.components.experience_component``'s
numbers, bit for bit, without its (people × past jobs × occupations) similarity array.

The single-profile matcher builds, per block, s(h, o) for every person's every past job h against
every occupation o of the pool's table (``past_job_arrays``), then the noisy-or product of
``matching.experience.experience_fit``. A batch block of 5,000 seekers with up to three past jobs
against 1,700 occupations would hold 200 MB of mostly repeated rows. Here:

- s(h, ·) is computed once per distinct past code per run (``SimilarityCache``, with the
  matcher's own ``past_similarity`` against the pool's whole table, so the same bits), and only
  the columns the vacancies use are kept;
- per block, each seeker's jobs are a (seekers × H) weight array and a row index into the block's
  distinct past codes (``past_jobs``);
- the product runs over the jobs in order with the same elementwise operations as
  ``experience_fit`` (``1 − w·s``, a select, a multiply), either for a whole (seekers × columns)
  matrix (``experience_matrix``) or for a list of pairs (``experience_pairs``): elementwise, so
  both give the matrix's bits.

A seeker without a coded past job gets NaN (the component drops out of the weighted total).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from matching.components import OccupationTable, past_similarity
from matching.experience import history_weight
from matching.prepared import PersonBlock


class SimilarityCache:
    """s(code, ·) against every row of ``occ`` (the pool's extended occupation table), per distinct
    past code: ``matching.components.past_similarity``, the single-profile matcher's own function,
    computed once per code for the whole run. Shared by the threads of a run; a lock guards the
    dictionary and is held while rows are computed (the work holds the GIL anyway, so a second
    thread would only compute the same row again)."""

    def __init__(self, occ: OccupationTable):
        self.occ = occ
        self._rows: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def rows(self, codes: list[str], columns: np.ndarray) -> np.ndarray:
        """(len(codes), len(columns)): s(code, column) for each code."""
        with self._lock:
            for code in codes:
                if code not in self._rows:
                    self._rows[code] = past_similarity(code, self.occ)
            return (np.stack([self._rows[c][columns] for c in codes]) if codes
                    else np.zeros((0, columns.size)))

    def __getstate__(self) -> dict:          # Dask ships the side to its workers: no lock
        return {"occ": self.occ, "_rows": dict(self._rows)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()


@dataclass(frozen=True)
class PastJobs:
    """A block's past jobs: ``weight`` (n_p, H) ``history_weight`` per job (NaN padding),
    ``row`` (n_p, H) int64 the job's row of ``sim``, ``sim`` (codes × columns) s(code, column)
    for the block's distinct past codes and the experience columns, ``has`` (n_p,) whether the
    seeker has a job that counts (weight > 0)."""

    weight: np.ndarray
    row: np.ndarray
    sim: np.ndarray
    has: np.ndarray


def past_jobs(persons: PersonBlock, cache: SimilarityCache, columns: np.ndarray, as_of_year: int) -> PastJobs:
    """The block's ``PastJobs`` against ``columns`` (rows of ``cache.occ``)."""
    history = persons.history if len(persons.history) == persons.n else ((),) * persons.n
    h = max((len(x) for x in history), default=0)
    months = np.full((persons.n, h), np.nan)
    end = np.full((persons.n, h), np.nan)
    row = np.zeros((persons.n, h), dtype=np.int64)
    codes: dict[str, int] = {}
    for i, jobs in enumerate(history):
        for e, (code, m, y) in enumerate(jobs):
            months[i, e], end[i, e] = m, y
            row[i, e] = codes.setdefault(code, len(codes))
    with np.errstate(invalid="ignore"):
        weight = np.where(np.isnan(months), np.nan, history_weight(months, end, as_of_year))
    sim = cache.rows(list(codes), columns)
    has = np.zeros(persons.n, dtype=bool)
    for e in range(h):
        w = weight[:, e]
        has |= ~np.isnan(w) & (w > 0)
    return PastJobs(weight=weight, row=row, sim=np.ascontiguousarray(sim), has=has)


def experience_matrix(jobs: PastJobs) -> np.ndarray:
    """Experience of every seeker × every column of ``jobs.sim``, (n_p, n_columns): the entries
    of ``experience_fit`` (same operations, same order)."""
    n_p, h = jobs.weight.shape
    keep = np.ones((n_p, jobs.sim.shape[1]))
    for e in range(h):
        w = jobs.weight[:, e]
        ok = ~np.isnan(w) & (w > 0)
        s = jobs.sim[jobs.row[:, e]] if jobs.sim.shape[0] else np.zeros_like(keep)
        keep = keep * np.where(ok[:, None], 1.0 - np.where(ok, w, 0.0)[:, None] * s, 1.0)
    return np.where(jobs.has[:, None], 1.0 - keep, np.nan)


def experience_pairs(jobs: PastJobs, person: np.ndarray, column: np.ndarray) -> np.ndarray:
    """Experience of aligned pairs (seeker ``person[i]``, column ``column[i]``), (n_pairs,): the
    entries of ``experience_matrix``, bit for bit."""
    keep = np.ones(person.size)
    for e in range(jobs.weight.shape[1]):
        w = jobs.weight[person, e]
        ok = ~np.isnan(w) & (w > 0)
        s = jobs.sim[jobs.row[person, e], column] if jobs.sim.shape[0] else np.zeros_like(keep)
        keep = keep * np.where(ok, 1.0 - np.where(ok, w, 0.0) * s, 1.0)
    return np.where(jobs.has[person], 1.0 - keep, np.nan)
