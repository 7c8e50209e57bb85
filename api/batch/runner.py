"""Running a batch match: input files, checkpoints, local processes or a Dask cluster, outputs.

The kernel (``matching.batch.kernel``) is pure; this module does the I/O around it:

- reads seekers and vacancies from CSV, Parquet or XLSX (``read_table``) or takes frames (the
  database path), validates them (rejected rows go to ``rejected_seekers.csv`` /
  ``rejected_vacancies.csv`` in the output) and codes past jobs given by title only with the
  title coder (``code_past_job_titles``), as the single-profile API does;
- splits the seekers into blocks of ``block_size`` and runs ``score_block`` on each, in this
  process, in a pool of ``workers`` threads, or on a ``dask.distributed`` cluster
  (``client``: the vacancy side is scattered to every worker once, blocks are tasks);
- writes each finished block to a checkpoint directory beside the output as soon as it completes
  (write to a temporary name, then ``os.replace``: a block file is either complete or absent).
  The checkpoint directory is keyed by a fingerprint of the validated inputs, the options, the
  occupation table's content and the versions of the batch engine and of the matcher
  (``matching.matcher.MATCHER_VERSION``), so a run restarted with the same arguments finds it,
  skips the finished blocks and produces the same output as an uninterrupted run, and blocks
  scored with another occupation table or another matcher are never reused;
- merges the blocks (seekers' lists in order; vacancies' lists by a running top-k merge), runs the
  allocation and the fairness audit, writes everything into a temporary directory and renames it
  to the output directory only when complete. Nothing half-written ever appears there.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from api.adapters.cellsafe import neutralise_frame
from matching.batch.allocation import (AllocationPolicy, allocate, candidate_edges, priority_weights,
                                       recommendation_report)
from matching.batch.audit import fairness_audit
from matching.batch.kernel import BlockResult, VacancySide, pair_features, prepare_vacancies, score_block
from matching.batch.schema import (SchemaError, age_band, parse_work_history, person_block, validate_seekers,
                                   validate_vacancies)
from matching.batch.screen import VacancyHeaps
from matching.batch.topk import merge_vacancy_top, vacancy_candidates
from matching.components import COMPONENTS, OccupationTable
from matching.matcher import MATCHER_VERSION
from matching.outcomes.batch_edges import edge_outcomes, vacancy_context
from matching.outcomes.model import OutcomeModel
from matching.outcomes.objective import DEFAULT_CONGESTION_WEIGHT
from matching.rank import VacancyPool
from models.match import FitWeights

FORMATS = ("parquet", "csv", "xlsx")
ENGINE_VERSION = "batch-2"     # batch-2: experience component, work_history column (issue 13)


class BatchInputError(ValueError):
    """The inputs or options cannot produce a result; the message says what to fix."""


@dataclass(frozen=True)
class BatchOptions:
    """``k`` list length both ways; ``block_size`` seekers per block (the checkpoint unit; memory
    per worker is bounded by the kernel's chunking, not by this); ``allocate`` runs the
    capacity-aware allocation with ``policy``; ``weights`` the fit weights; ``as_of`` excludes
    vacancies closed before that date; ``formats`` of the output tables; ``workers`` threads
    scoring blocks (1 = this thread). ``outcome_model`` (with ``allocate``): the allocation
    maximises expected benefit, fit × P̂(lasting hire) / (1 + γ · competition), under that model
    instead of the fit alone; ``outcome_model_label`` names it in the summary ("outcome model v3")."""

    k: int = 20
    block_size: int = 5000
    allocate: bool = False
    policy: AllocationPolicy = field(default_factory=AllocationPolicy)
    weights: FitWeights | None = None
    as_of: date | None = None
    formats: tuple[str, ...] = ("parquet",)
    workers: int = 1
    reference_year: int | None = None
    outcome_model: OutcomeModel | None = None
    outcome_model_label: str | None = None

    def fingerprint_fields(self) -> dict:
        """The options that change the result (not the formats or where it runs). Without
        ``as_of``, past jobs' recency counts to the current year, so the year is part of it."""
        return {"k": self.k, "block_size": self.block_size, "allocate": self.allocate,
                "policy": asdict(self.policy), "weights": (self.weights or FitWeights()).model_dump(),
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "as_of_year": (self.as_of or date.today()).year, "reference_year": self.reference_year,
                "outcome_model": self.outcome_model_label if self.outcome_model is not None else None}


TitleCoder = Callable[[list[str]], list[tuple[str, float, list]]]


def code_past_job_titles(seekers: pd.DataFrame, code_titles: TitleCoder | None = None) -> tuple[pd.DataFrame, int]:
    """(``seekers`` with every past job that has a title but no code coded, the number coded).

    ``code_titles`` is ``api.services.reference.code_titles`` (best code first; loaded only when some job
    needs it); distinct titles are coded once, in one call. Coded cells are rewritten as JSON
    work histories; the rest of the frame is untouched."""
    if "work_history" not in seekers.columns:
        return seekers, 0
    cells = seekers["work_history"].tolist()
    parsed = [parse_work_history(c) if isinstance(c, str) and "title" in c else () for c in cells]
    titles = sorted({t.strip() for jobs in parsed for code, t, _, _ in jobs if code is None and t and t.strip()})
    if not titles:
        return seekers, 0
    if code_titles is None:
        from api.services.reference import code_titles
    best = {t: c[0] for t, c in zip(titles, code_titles(titles))}
    out, n = list(cells), 0
    for i, jobs in enumerate(parsed):
        if not any(code is None and t and t.strip() for code, t, _, _ in jobs):
            continue
        coded = []
        for code, title, months, end in jobs:
            if code is None and title and title.strip():
                code, n = best[title.strip()], n + 1
            coded.append({k: v for k, v in (("occupation_code", code), ("title", title), ("months", months),
                                             ("end_year", end)) if v is not None})
        out[i] = json.dumps(coded, ensure_ascii=False)
    return seekers.assign(work_history=out), n


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV (UTF-8), Parquet or XLSX file as a frame; ``BatchInputError`` naming the problem."""
    p = Path(path)
    if not p.is_file():
        raise BatchInputError(f"{p}: no such file")
    suffix = p.suffix.lower()
    try:
        if suffix == ".csv":
            if p.stat().st_size == 0:
                raise BatchInputError(f"{p}: the file is empty")
            return pd.read_csv(p, dtype={"id": str, "occupation_code": str}, encoding="utf-8-sig",
                               keep_default_na=True)
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(p)
        if suffix == ".xlsx":
            return pd.read_excel(p, dtype={"id": str, "occupation_code": str})
    except BatchInputError:
        raise
    except Exception as exc:  # parsers raise many types for a damaged file
        raise BatchInputError(f"{p}: cannot read it as {suffix[1:]} ({type(exc).__name__}: {exc})") from exc
    raise BatchInputError(f"{p}: unknown format {suffix!r}; use .csv, .parquet or .xlsx")


def engine_versions() -> dict[str, str]:
    """The code versions a checkpoint's blocks depend on."""
    return {"batch": ENGINE_VERSION, "matcher": MATCHER_VERSION}


def occupation_fingerprint(occ: OccupationTable) -> str:
    """SHA-256 of an occupation table's content: every field (arrays by dtype, shape and bytes;
    text arrays as their strings; absent optional fields as such), in field order. The code →
    row ``index`` is derived from the codes and left out."""
    h = hashlib.sha256()
    for name in occ.__dataclass_fields__:
        if name == "index":
            continue
        value = getattr(occ, name)
        h.update(name.encode())
        if isinstance(value, np.ndarray) and value.dtype == object:
            h.update(json.dumps([None if v is None else str(v) for v in value.tolist()], ensure_ascii=False).encode())
        elif isinstance(value, np.ndarray):
            h.update(f"{value.dtype.str}{value.shape}".encode())
            h.update(np.ascontiguousarray(value).tobytes())
        else:
            h.update(repr(value).encode())
    return h.hexdigest()


def _fingerprint(seekers: pd.DataFrame, vacancies: pd.DataFrame, options: BatchOptions, occupations: OccupationTable,
                 versions: dict[str, str]) -> str:
    """The checkpoint key: validated inputs, options, the occupation table's content, ``versions``."""
    h = hashlib.sha256()
    for frame in (seekers, vacancies):
        h.update(json.dumps(list(map(str, frame.columns))).encode())
        h.update(json.dumps(list(map(str, frame.dtypes))).encode())
        # The values themselves (not their text: converting 10⁵ rows to str took 4 s of a 60 s run).
        h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    h.update(json.dumps(options.fingerprint_fields(), sort_keys=True).encode())
    h.update(occupation_fingerprint(occupations).encode())
    h.update(json.dumps(versions, sort_keys=True).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# Work units (module-level so that Dask workers can import them)
# --------------------------------------------------------------------------------------------

_HEAPS = threading.local()   # per worker thread: the run it serves and its vacancy heaps


def _heaps_for(run: str, side: VacancySide, k: int) -> VacancyHeaps:
    """This thread's vacancy heaps for ``run`` (a token unique to one ``run_batch`` call): the
    blocks a worker scores in one run share them, so each block keeps only the pairs that can
    still be in a vacancy's top k over the whole run. A new run starts empty heaps: heaps filled
    with another pool's seekers would set thresholds this pool never reaches."""
    if getattr(_HEAPS, "run", None) != run:
        _HEAPS.run, _HEAPS.heaps = run, VacancyHeaps(side.n, k)
    return _HEAPS.heaps


def run_block(side: VacancySide, seekers: pd.DataFrame, offset: int, k: int, run: str) -> BlockResult:
    """One block: seeker rows (validated) → ``score_block``, sharing vacancy heaps within ``run``."""
    return score_block(person_block(seekers), side, k, offset=offset, heaps=_heaps_for(run, side, k))



# --------------------------------------------------------------------------------------------
# Checkpoints
# --------------------------------------------------------------------------------------------

def _block_path(work: Path, b: int) -> Path:
    return work / "blocks" / f"block-{b:06d}.npz"


def _write_block(work: Path, b: int, result: BlockResult) -> None:
    path = _block_path(work, b)
    tmp = path.with_suffix(".tmp")
    arrays = {f"s_{n}": x for n, x in result.seeker_top.items()}
    arrays |= {f"v_{n}": x for n, x in result.vacancy_top.items()}
    arrays |= {f"t_{n}": x for n, x in result.seeker_stats.items()}
    with open(tmp, "wb") as handle:
        np.savez(handle, **arrays)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)  # atomic: the block is either complete or absent


def _read_block(work: Path, b: int, only: dict[str, tuple[str, ...]] | None = None) -> BlockResult:
    """A block's checkpoint; ``only``: prefix (``s_``, ``v_``, ``t_``) → the arrays to read of it
    (a prefix not named: all of its arrays). Arrays are read from the file when asked for."""
    only = only or {}
    with np.load(_block_path(work, b)) as z:
        get = lambda prefix: {n[2:]: z[n] for n in z.files if n.startswith(prefix)  # noqa: E731
                              and (prefix not in only or n[2:] in only[prefix])}
        return BlockResult(get("s_"), get("v_"), get("t_"))


def work_dir_for(out: Path, fingerprint: str) -> Path:
    return out.parent / f".{out.name}.work-{fingerprint[:16]}"


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


def run_batch(seekers: pd.DataFrame, vacancies: pd.DataFrame, out: str | Path, occupations: OccupationTable,
              options: BatchOptions = BatchOptions(), *, client=None, progress: Progress | None = None,
              source: dict | None = None) -> dict:
    """Match every seeker against every vacancy and write the results to ``out``; returns the
    summary (also written as ``summary.json``). ``client``: a ``dask.distributed.Client`` to run
    the blocks on. ``progress(done, total)`` is called after each block."""
    started = time.perf_counter()
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BatchInputError(f"{out}: the output directory exists and is not empty; choose a new one")
    if options.k < 1:
        raise BatchInputError("k must be at least 1")
    if options.block_size < 1:
        raise BatchInputError("block size must be at least 1")
    if options.outcome_model is not None and not options.allocate:
        raise BatchInputError("an outcome model orders the allocation only; turn the allocation on (--allocate)")
    bad_formats = [f for f in options.formats if f not in FORMATS]
    if bad_formats:
        raise BatchInputError(f"format {bad_formats} is not one of {', '.join(FORMATS)}")
    try:
        vs, vv = validate_seekers(seekers), validate_vacancies(vacancies)
    except SchemaError as exc:
        raise BatchInputError(str(exc)) from exc
    if len(vs.rows) == 0:
        raise BatchInputError(f"seekers: every row was rejected ({len(vs.rejected)} problems; first: "
                              f"{vs.rejected.iloc[0].to_dict()})")
    if len(vv.rows) == 0:
        raise BatchInputError(f"vacancies: every row was rejected ({len(vv.rejected)} problems; first: "
                              f"{vv.rejected.iloc[0].to_dict()})")
    coded_rows, n_coded = code_past_job_titles(vs.rows)
    vs = replace(vs, rows=coded_rows)
    versions = engine_versions()
    fp = _fingerprint(vs.rows, vv.rows, options, occupations, versions)
    work = work_dir_for(out, fp)
    (work / "blocks").mkdir(parents=True, exist_ok=True)
    try:
        pool = VacancyPool.from_frame(vv.rows, occupations)
    except ValueError as exc:
        raise BatchInputError(f"vacancies: {exc}") from exc
    side = prepare_vacancies(pool, options.weights, as_of=options.as_of)
    n = len(vs.rows)
    bounds = [(a, min(a + options.block_size, n)) for a in range(0, n, options.block_size)]
    todo = [b for b in range(len(bounds)) if not _block_path(work, b).exists()]
    done = len(bounds) - len(todo)
    resumed = done
    if progress:
        progress(done, len(bounds))

    def finished(b: int, result: BlockResult) -> None:
        nonlocal done
        _write_block(work, b, result)
        done += 1
        if progress:
            progress(done, len(bounds))

    rows = vs.rows
    run = f"{fp}-{uuid.uuid4().hex}"
    scoring_started, scoring_cpu = time.perf_counter(), time.process_time()
    if client is not None:
        from distributed import as_completed as dask_completed

        side_future = client.scatter(side, broadcast=True)
        futures = {client.submit(run_block, side_future, rows.iloc[bounds[b][0]:bounds[b][1]], bounds[b][0],
                                 options.k, run, pure=False): b for b in todo}
        for fut in dask_completed(futures):
            finished(futures[fut], fut.result())
    elif options.workers > 1 and len(todo) > 1:
        # Threads, not processes: the screen (most of a block) runs without the GIL, and threads
        # share the vacancy side and start at once; on 2 cores 100,000 seekers took 10.5–12.7 s
        # this way and 12–15 s with spawned processes (import and unpickling the side in each).
        with ThreadPoolExecutor(options.workers) as ex:
            futures = {ex.submit(run_block, side, rows.iloc[bounds[b][0]:bounds[b][1]], bounds[b][0],
                                 options.k, run): b for b in todo}
            for fut in as_completed(futures):
                finished(futures[fut], fut.result())
    else:
        for b in todo:
            finished(b, run_block(side, rows.iloc[bounds[b][0]:bounds[b][1]], bounds[b][0], options.k, run))
    compute_seconds = time.perf_counter() - started
    scoring_cpu = time.process_time() - scoring_cpu
    summary = _assemble(work, out, len(bounds), vs, vv, side, options, fp)
    # setup: validation, fingerprint, the vacancy side; scoring: the blocks; the rest: merge,
    # allocation, audit, writing the tables.
    summary["timing"] = {"seconds_total": round(time.perf_counter() - started, 3),
                         "seconds_setup": round(scoring_started - started, 3),
                         "seconds_scoring": round(started + compute_seconds - scoring_started, 3),
                         "seconds_to_last_block": round(compute_seconds, 3),
                         # CPU time of this process's threads while scoring (not Dask workers'):
                         # on a shared machine it shows the work done, whatever others take.
                         "cpu_seconds_scoring": round(scoring_cpu, 3),
                         "blocks": len(bounds), "blocks_resumed": resumed,
                         "where": "dask" if client is not None else f"local×{max(options.workers, 1)}"}
    summary["versions"] = {**versions, "occupation_table_sha256": occupation_fingerprint(occupations)}
    summary["seekers"]["past_jobs_coded_from_title"] = n_coded
    if source:
        summary["source"] = source
    final = work / "final"
    (final / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    if out.exists():
        out.rmdir()  # empty (checked at the start)
    out.parent.mkdir(parents=True, exist_ok=True)
    os.replace(final, out)  # the complete result appears at once
    shutil.rmtree(work, ignore_errors=True)
    return summary


def _assemble(work: Path, out: Path, n_blocks: int, vs, vv, side: VacancySide, options: BatchOptions,
              fp: str) -> dict:
    k, pool = options.k, side.pool
    st, stats, v_parts = _read_blocks(work, n_blocks)
    # One merge of all blocks' lists, of the rows that can still be in a vacancy's top k.
    v_state = merge_vacancy_top(vacancy_candidates(v_parts, k), k)
    del v_parts
    seekers, vacancies = vs.rows, vv.rows
    n_s = len(seekers)
    sid = _Labels(seekers["id"].astype(str).str.strip().to_numpy(dtype=object))
    vid, codes = _Labels(pool.items.ids), _Labels(pool.occ_codes)
    recs = pd.DataFrame({"seeker_id": sid.take(st["seeker"]), "rank": st["rank"].astype(np.int32),
                         "vacancy_id": vid.take(st["vacancy"]), "occupation_code": codes.take(st["vacancy"]),
                         "total": st["total"], **{c: st[c] for c in COMPONENTS}})
    refs = pd.DataFrame({"vacancy_id": vid.take(v_state["vacancy"]), "rank": v_state["rank"].astype(np.int32),
                         "seeker_id": sid.take(v_state["seeker"]), "total": v_state["total"]})
    seeker_stats = pd.DataFrame({"seeker_id": sid.take(np.arange(n_s)), "n_candidates": stats["n_candidates"],
                                 "n_eligible": stats["n_eligible"],
                                 "enough_information": stats["enough_information"]})
    tables = {"recommendations": recs, "referrals": refs, "seeker_stats": seeker_stats}
    policy = options.policy
    hard = ((seekers["hard_to_employ"].notna() & (seekers["hard_to_employ"].astype(str).str.strip() != "")
             ).to_numpy() if "hard_to_employ" in seekers.columns else np.zeros(n_s, dtype=bool)
            ) | _flag(seekers, "assistance_card")
    weight = priority_weights(_flag(seekers, "zero_employment_family"), hard, policy,
                              **_households(seekers, st, n_s))
    # "Before": each seeker's first m recommendations, as if everyone were sent their best.
    first_m = st["rank"] <= policy.per_person
    before = recommendation_report(st["seeker"][first_m], st["vacancy"][first_m], st["total"][first_m], n_s,
                                   pool.openings, policy)
    final_seeker, final_total = st["seeker"][first_m], st["total"][first_m]
    summary: dict = {"fingerprint": fp, "k": k, "seekers": {"rows": n_s, "rejected_rows": int(vs.rejected["row"].nunique())
                                                             if len(vs.rejected) else 0},
                     "vacancies": {"rows": len(vacancies), "rejected_rows": int(vv.rejected["row"].nunique())
                                   if len(vv.rejected) else 0, "openings": int(pool.openings.sum())},
                     "pairs": {"candidates_checked": int(stats["n_candidates"].sum()),
                               "eligible": int(stats["n_eligible"].sum()),
                               "all": int(n_s) * len(vacancies)},
                     "seekers_without_enough_information": int((~stats["enough_information"]).sum()),
                     "seekers_without_eligible_vacancy": int(((stats["n_eligible"] == 0)
                                                              & stats["enough_information"]).sum()),
                     "recommendations_before_allocation": before}
    if options.allocate:
        t0 = time.perf_counter()
        s_e, v_e, t_e = candidate_edges(st, v_state)
        objective: dict = {"ranking": "hand_set"}
        if options.outcome_model is not None:
            t1 = time.perf_counter()
            p_e, c_e = _edge_outcomes(seekers, vv.rows, side, s_e, v_e, options)
            chosen = allocate(s_e, v_e, t_e, pool.openings, weight, policy, p_lasting=p_e, competition=c_e,
                              congestion_weight=DEFAULT_CONGESTION_WEIGHT)
            objective = {"ranking": "expected_benefit", "outcome_model": options.outcome_model_label,
                         "congestion_weight": DEFAULT_CONGESTION_WEIGHT,
                         "mean_p_lasting_of_allocated": float(p_e[chosen].mean()) if chosen.size else None,
                         "seconds_outcome_inputs": round(time.perf_counter() - t1, 3)}
        else:
            chosen = allocate(s_e, v_e, t_e, pool.openings, weight, policy)
        s_c, v_c, t_c = s_e[chosen], v_e[chosen], t_e[chosen]
        after = recommendation_report(s_c, v_c, t_c, n_s, pool.openings, policy)
        after["seconds"] = round(time.perf_counter() - t0, 3)
        after["candidate_edges"] = int(s_e.size)
        after["objective"] = objective
        summary["recommendations_after_allocation"] = after
        summary["allocation_policy"] = asdict(policy)
        order = np.lexsort((-t_c, s_c))
        tables["allocation"] = pd.DataFrame({"seeker_id": sid.take(s_c[order]), "vacancy_id": vid.take(v_c[order]),
                                             "total": t_c[order], "priority_weight": weight[s_c[order]]})
        if options.outcome_model is not None:
            tables["allocation"]["p_lasting"] = p_e[chosen][order]
        final_seeker, final_total = s_c, t_c
    year = options.reference_year or (options.as_of.year if options.as_of else date.today().year)
    groups = {}
    if "gender" in seekers.columns:
        groups["gender"] = seekers["gender"].astype(object).where(seekers["gender"].notna(), None).to_numpy()
    if "age_band" in seekers.columns and seekers["age_band"].notna().any():
        groups["age_band"] = seekers["age_band"].astype(object).where(seekers["age_band"].notna(), None).to_numpy()
    elif "birth_year" in seekers.columns:
        groups["age_band"] = age_band(pd.to_numeric(seekers["birth_year"]).to_numpy(dtype=float), year)
    summary["fairness"] = fairness_audit(groups, final_seeker, final_total, n_s, policy.good_fit)
    summary["fairness"]["of"] = "allocation" if options.allocate else f"top {policy.per_person} per seeker"
    # Write everything into a temporary directory, then rename it into place.
    final = work / "final"
    shutil.rmtree(final, ignore_errors=True)
    final.mkdir()
    for name, frame in tables.items():
        for fmt in options.formats:
            write_table(frame, final / f"{name}.{fmt}", fmt)
    if len(vs.rejected):
        neutralise_frame(vs.rejected).to_csv(final / "rejected_seekers.csv", index=False)
    if len(vv.rejected):
        neutralise_frame(vv.rejected).to_csv(final / "rejected_vacancies.csv", index=False)
    summary["files"] = sorted(p.name for p in final.iterdir()) + ["summary.json"]
    return summary


def _edge_outcomes(seekers: pd.DataFrame, vacancies: pd.DataFrame, side: VacancySide, s_e: np.ndarray,
                   v_e: np.ndarray, options: BatchOptions) -> tuple[np.ndarray, np.ndarray]:
    """(P̂(lasting hire), expected competition) per candidate edge (sorted by seeker), computed a
    block of seekers at a time from the matcher's numbers for the pairs and the vacancies' referral
    context as of the run's day (``matching.outcomes.batch_edges``)."""
    context = vacancy_context(vacancies, options.as_of or date.today())
    p, c = np.empty(s_e.size), np.empty(s_e.size)
    for a in range(0, len(seekers), options.block_size):
        b = min(a + options.block_size, len(seekers))
        lo, hi = np.searchsorted(s_e, [a, b])
        if lo == hi:
            continue
        pairs = pair_features(person_block(seekers.iloc[a:b]), side, s_e[lo:hi] - a, v_e[lo:hi])
        p[lo:hi], c[lo:hi] = edge_outcomes(options.outcome_model, pairs, v_e[lo:hi], side.pool.items.hours,
                                           side.pool.openings, context)
    return p, c


# The block arrays ``_assemble`` uses, of the vacancies' lists and the seeker statistics (whose own
# ``seeker`` column is their position 0 … n−1, already known); all of the seekers' lists.
_ASSEMBLE_ARRAYS = {"v_": ("vacancy", "seeker", "total", "rank"),
                    "t_": ("n_candidates", "n_eligible", "enough_information")}


def _read_blocks(work: Path, n_blocks: int) -> tuple[dict, dict, list[dict]]:
    """All blocks' seeker lists and statistics (concatenated, in seeker order) and their vacancy
    lists (one part per block, for ``merge_vacancy_top``)."""
    seeker_parts, stat_parts, v_parts = [], [], []
    for b in range(n_blocks):
        r = _read_block(work, b, only=_ASSEMBLE_ARRAYS)
        seeker_parts.append(r.seeker_top)
        stat_parts.append(r.seeker_stats)
        v_parts.append(r.vacancy_top)
    cat = lambda parts: {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}  # noqa: E731
    return cat(seeker_parts), cat(stat_parts), v_parts


class _Labels:
    """Ids or codes (an object array) to gather into output columns, ``labels[idx]``.

    A frame built from an object array of strings converts every string to pandas' string
    dtype (Arrow); for 10⁶ rows that was a quarter of a second per column. When every label is a
    string, the labels are converted once and gathered by position: the same column (dtype and
    values) as converting ``labels[idx]``. Otherwise (a missing label: pandas' inference depends
    on which rows are taken) the object array is gathered as before and pandas infers its type."""

    def __init__(self, labels: np.ndarray):
        self.labels = labels
        all_strings = labels.size > 0 and pd.api.types.infer_dtype(labels, skipna=False) == "string"
        self.converted = pd.Series(labels).array if all_strings else None

    def take(self, idx: np.ndarray):
        if self.converted is not None and idx.size:
            return self.converted.take(idx)
        return self.labels[idx]


def _households(seekers: pd.DataFrame, st: dict, n_s: int) -> dict:
    """``priority_weights``' household arguments when the seekers carry a ``household_id`` column:
    the ids (blank → None) and each seeker's best candidate fit (0 without candidates)."""
    if "household_id" not in seekers.columns:
        return {}
    ids = seekers["household_id"].astype(object).where(seekers["household_id"].notna(), None).to_numpy()
    best = np.zeros(n_s)
    first = st["rank"] == 1
    best[st["seeker"][first]] = st["total"][first]
    return {"household": ids, "best_total": best}


def _flag(seekers: pd.DataFrame, column: str) -> np.ndarray:
    """Per seeker: the priority flag ``column`` (``validate_seekers`` has read it as booleans;
    all false without the column)."""
    if column not in seekers.columns:
        return np.zeros(len(seekers), dtype=bool)
    return seekers[column].to_numpy(dtype=bool)


def write_table(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write a result table as ``fmt`` (parquet, csv or xlsx)."""
    if fmt == "parquet":
        # Dictionary encoding for the ids, codes and ranks (few distinct values, repeated), not for the
        # scores: nearly all distinct, their dictionary fills its page limit and is then abandoned,
        # which cost a third of the writing time (and the file comes out slightly smaller).
        repeated = [str(c) for c in frame.columns if frame[c].dtype.kind != "f"]
        frame.to_parquet(path, index=False, use_dictionary=repeated)
    elif fmt == "csv":  # opened in spreadsheets: no cell may start a formula
        neutralise_frame(frame).to_csv(path, index=False, encoding="utf-8")
    elif fmt == "xlsx":
        if len(frame) > 1_048_575:
            raise BatchInputError(f"{path.name}: {len(frame)} rows do not fit in one XLSX sheet; use parquet or csv")
        neutralise_frame(frame).to_excel(path, index=False)
