"""Batch matching benchmark (issue 7): 100,000 seekers × 20,000 vacancies, top-20 both ways, 2 cores.

Goals: < 60 s wall, < 4 GB peak memory, within 3× of faiss (below). Measured in the same run:

- the batch job through ``api.batch.runner.run_batch`` (2 threads, block size 5,000),
  wall time, its setup / scoring / rest split (``summary["timing"]``) and peak RSS (the largest
  of this process and any child, from ``resource.getrusage``), at 50k, 100k and 200k seekers
  (scaling). Scoring (from the prepared vacancy side to the last block) is compared with faiss's search
  like for like; the whole job is compared too;
- baseline 1: an exact inner-product top-k with ``faiss.IndexFlatIP`` on the same feature vectors
  (seekers: RIASEC, work values, Big Five, aptitudes, standardised; vacancies: their occupation's
  profile on the same axes), 20 both ways, 2 threads. It ranks by a dot product only: no
  eligibility, commute or practical fit, so it is a lower bound on what exact top-k costs;
- baseline 2: a straightforward pandas implementation (cross merge seekers × vacancies, the
  commute rule, a simplified fit, ``sort_values`` + ``groupby().head(k)``) on a subsample of 100
  seekers, **extrapolated linearly** to the full pool (said so in the output);
- the allocation (min-cost flow) for 100,000 seekers × 50 candidate edges each.

Data: ``matching.batch.synthetic`` (a province with 16 cities; see its docstring), real CSCO codes.
Run: .venv/bin/python bench/bench_batch.py [--seekers 100000] [--vacancies 20000] [--scaling] [--repeat 3]
(the main size and faiss run ``--repeat`` times each, and the best of each is compared: the
machine is shared, and both swing by ±20 % from run to run).
"""
import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.batch.runner import BatchOptions, run_batch  # noqa: E402
from api.matching import occupation_frame, occupation_table  # noqa: E402
from matching.batch.allocation import AllocationPolicy, allocate  # noqa: E402
from matching.batch.schema import APT_T, BIG5, RIASEC, WV, validate_vacancies  # noqa: E402
from matching.batch.synthetic import generate_seekers, generate_vacancies  # noqa: E402
from matching.components import commute_minutes  # noqa: E402
from models.profile import APTITUDE_CODES, RIASEC_CODES, WORK_VALUE_CODES  # noqa: E402


def peak_rss_gb() -> float:
    """Largest resident set of this process or any finished child, GB (ru_maxrss is in KiB)."""
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024 ** 2


def run_kernel(seekers: pd.DataFrame, vacancies: pd.DataFrame, k: int, workers: int) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        summary = run_batch(seekers, vacancies, Path(d) / "out", occupation_table(),
                            BatchOptions(k=k, block_size=5000, workers=workers))
        return time.perf_counter() - t0, summary


def features(seekers: pd.DataFrame, vacancies: pd.DataFrame, occ: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Standardised 24-d vectors on shared axes (RIASEC 6, values 6, aptitudes 6, Big Five →
    zero-padded 6 on the vacancy side); missing scores → 0 (the mean)."""
    s = seekers[RIASEC + WV + APT_T + BIG5].to_numpy(dtype=float)
    s = np.concatenate([s, np.zeros((len(s), 1))], axis=1)
    o = occ.set_index("code")
    cols = ([f"riasec_{c}" for c in RIASEC_CODES] + [f"wv_{c}" for c in WORK_VALUE_CODES]
            + [f"apt_{c}" for c in APTITUDE_CODES])
    v = o.loc[vacancies["occupation_code"], cols].to_numpy(dtype=float)
    v = np.concatenate([v, np.zeros((len(v), 6))], axis=1)
    z = lambda x: np.nan_to_num((x - np.nanmean(x, 0)) / (np.nanstd(x, 0) + 1e-9))  # noqa: E731
    return np.ascontiguousarray(z(s), dtype=np.float32), np.ascontiguousarray(z(v), dtype=np.float32)


def faiss_topk(s: np.ndarray, v: np.ndarray, k: int) -> float:
    import faiss

    faiss.omp_set_num_threads(2)
    t0 = time.perf_counter()
    iv = faiss.IndexFlatIP(v.shape[1])
    iv.add(v)
    iv.search(s, k)
    isk = faiss.IndexFlatIP(s.shape[1])
    isk.add(s)
    isk.search(v, k)
    return time.perf_counter() - t0


def pandas_baseline(seekers: pd.DataFrame, vacancies: pd.DataFrame, occ: pd.DataFrame, k: int) -> float:
    """Cross merge, commute rule, interest correlation + pay + distance, sort, head(k) per seeker."""
    t0 = time.perf_counter()
    o = occ.set_index("code")[[f"riasec_{c}" for c in RIASEC_CODES]].add_prefix("o_")
    v = vacancies.join(o, on="occupation_code")
    m = seekers.merge(v, how="cross", suffixes=("", "_v"))
    m["minutes"] = commute_minutes(m["lat"], m["lon"], m["lat_v"], m["lon_v"])
    m = m[~(m["minutes"] > m["max_commute_minutes"])]
    a = m[RIASEC].to_numpy() - m[RIASEC].to_numpy().mean(1, keepdims=True)
    b = m[[f"o_riasec_{c}" for c in RIASEC_CODES]].to_numpy()
    b = b - b.mean(1, keepdims=True)
    m["interest"] = (a * b).sum(1) / np.sqrt((a * a).sum(1) * (b * b).sum(1))
    m["pay"] = ((m["pay_min"] - 0.6 * m["expected_monthly_pay"]) / (0.4 * m["expected_monthly_pay"])).clip(0, 1)
    m["total"] = 100 * (0.5 * (m["interest"] + 1) / 2 + 0.25 * m["pay"] + 0.25 * np.exp(-m["minutes"] / 60))
    m.sort_values(["id", "total"], ascending=[True, False]).groupby("id").head(k)
    m.sort_values(["id_v", "total"], ascending=[True, False]).groupby("id_v").head(k)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seekers", type=int, default=100_000)
    ap.add_argument("--vacancies", type=int, default=20_000)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scaling", action="store_true", help="also 50 % and 200 % of --seekers")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of the main size and of faiss; the best of each is compared (the machine is shared)")
    args = ap.parse_args()
    occ = occupation_frame()
    sizes = [args.seekers // 2, args.seekers, args.seekers * 2] if args.scaling else [args.seekers]
    all_seekers = generate_seekers(occ, max(sizes), seed=0)
    vacancies = generate_vacancies(occ, args.vacancies, seed=0)
    print(f"data: {max(sizes):,} seekers, {args.vacancies:,} vacancies (matching.batch.synthetic, seed 0)")
    main_times, scoring_times = [], []
    for n in [m for m in sizes for _ in range(args.repeat if m == args.seekers else 1)]:
        secs, summary = run_kernel(all_seekers.iloc[:n].reset_index(drop=True), vacancies, args.k, args.workers)
        pairs, timing = summary["pairs"], summary["timing"]
        print(f"kernel {n:>8,} seekers: {secs:7.1f} s wall ({args.workers} threads), "
              f"{pairs['candidates_checked'] / n:,.0f} candidate and {pairs['eligible'] / n:,.0f} eligible "
              f"vacancies per seeker, {secs / n * 1e6:.0f} µs per seeker, peak RSS so far {peak_rss_gb():.2f} GB; "
              f"setup {timing['seconds_setup']:.1f} s (validation, fingerprint, vacancy side), scoring "
              f"{timing['seconds_scoring']:.1f} s (the blocks: top-k both ways), the rest "
              f"{secs - timing['seconds_setup'] - timing['seconds_scoring']:.1f} s (merge, audit, writing the tables)")
        if n == args.seekers:
            main_times.append(secs)
            scoring_times.append(timing["seconds_scoring"])
    seekers = all_seekers.iloc[:args.seekers]
    s_vec, v_vec = features(seekers, vacancies, occ)
    faiss_times = [faiss_topk(s_vec, v_vec, args.k) for _ in range(args.repeat)]
    main_time, scoring_time, t_faiss = min(main_times), min(scoring_times), min(faiss_times)
    span = lambda xs: f"{min(xs):.1f}–{max(xs):.1f} s" if len(xs) > 1 else f"{xs[0]:.1f} s"  # noqa: E731
    print(f"faiss IndexFlatIP exact inner-product top-{args.k} both ways (2 threads, 24-d): best {t_faiss:.1f} s "
          f"of {span(faiss_times)}; {args.seekers:,} seekers best of {args.repeat}: scoring {span(scoring_times)}, "
          f"whole job {span(main_times)} → scoring / faiss = {scoring_time / t_faiss:.1f}× (like for like: top-k "
          f"both ways from data in memory); whole job / faiss = {main_time / t_faiss:.1f}×")
    sub = 100
    v_clean = validate_vacancies(vacancies).rows
    t_pd = pandas_baseline(seekers.iloc[:sub], v_clean, occ, args.k)
    est = t_pd * args.seekers / sub
    print(f"pandas merge-and-sort on {sub} seekers: {t_pd:.1f} s, EXTRAPOLATED to {args.seekers:,}: {est:,.0f} s "
          f"→ pandas / kernel = {est / main_time:.1f}×")
    rng = np.random.default_rng(1)
    n_s, per = 100_000, 50
    s = np.repeat(np.arange(n_s), per)
    v = rng.integers(0, args.vacancies, n_s * per)
    keep = ~pd.DataFrame({"s": s, "v": v}).duplicated().to_numpy()
    t = rng.uniform(40, 95, keep.sum())
    openings = vacancies["openings"].to_numpy(dtype=float)
    t0 = time.perf_counter()
    chosen = allocate(s[keep], v[keep], t, openings, np.ones(n_s), AllocationPolicy())
    print(f"allocation (OR-Tools min-cost flow) {n_s:,} seekers × {per} edges ({keep.sum():,} edges): "
          f"{time.perf_counter() - t0:.1f} s, {chosen.sum():,} recommendations")
    print(f"peak RSS (this process): {peak_rss_gb():.2f} GB")


if __name__ == "__main__":
    main()
