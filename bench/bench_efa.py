"""Benchmark: EFA (minres, oblimin) on 20,000 persons × 50 items, against the best available Python library.

Baseline, measured in the same run: scikit-learn's ``FactorAnalysis`` (ML by SVD) followed by the same
oblimin rotation from statsmodels — factor_analyzer 0.5.1 is tried first but fails with scikit-learn ≥ 1.8
(``check_array(force_all_finite=…)`` was removed). When ``Rscript`` with psych is on the PATH, R's
``psych::fa`` is timed on the same data (the ``fa`` call only, not reading the CSV).

Prints wall times (median and range of ``REPEAT`` runs), the ratio of medians baseline / pathfit, and how
closely the loadings agree (largest absolute difference after matching factor order and sign); records
them in ``bench/results/efa.json``.

Run: ``.venv/bin/python bench/bench_efa.py``
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assessment.psychometrics.efa import efa, oblimin  # noqa: E402
from record import Row, spread, write_record  # noqa: E402

N, P, M, REPEAT, SEED = 20_000, 50, 5, 5, 20240601


def simulate() -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    phi = np.full((M, M), 0.3) + 0.7 * np.eye(M)
    f = rng.multivariate_normal(np.zeros(M), phi, size=N)
    load = np.zeros((P, M))
    for j in range(P):
        load[j, j % M] = rng.uniform(0.4, 0.8)
    x = f @ load.T + rng.normal(size=(N, P)) * np.sqrt(1 - (load**2).sum(axis=1))
    # 6-point Likert responses, as the centre's questionnaires produce
    cuts = np.array([-1.5, -0.5, 0.0, 0.5, 1.5])
    return pd.DataFrame(1 + np.searchsorted(cuts, x), columns=[f"v{j + 1:02d}" for j in range(P)])


def timed(fn, repeat: int = REPEAT) -> tuple[list[float], object]:
    """Seconds of ``repeat`` runs of ``fn`` and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def max_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Largest |a − b| after matching b's columns to a's by congruence and sign."""
    a, b = np.asarray(a), np.asarray(b)
    c = a.T @ b / np.sqrt(np.outer((a * a).sum(0), (b * b).sum(0)))
    order = np.abs(c).argmax(axis=1)
    signs = np.sign(c[np.arange(a.shape[1]), order])
    return float(np.abs(a - b[:, order] * signs).max())


def sklearn_baseline(x: pd.DataFrame) -> np.ndarray:
    from sklearn.decomposition import FactorAnalysis

    z = (x - x.mean()) / x.std()
    fa = FactorAnalysis(n_components=M, random_state=0).fit(z.to_numpy())
    load, _ = oblimin(fa.components_.T)
    return load


def factor_analyzer_baseline(x: pd.DataFrame) -> np.ndarray:
    from factor_analyzer import FactorAnalyzer  # GPL-2.0: benchmark comparison only, never a dependency

    fa = FactorAnalyzer(M, rotation="oblimin", method="minres").fit(x)
    return fa.loadings_


R_SCRIPT = """
suppressMessages({library(psych); library(GPArotation)})
x <- read.csv(commandArgs(TRUE)[1])
times <- sapply(1:%d, function(i) system.time(f <<- fa(x, %d, fm = "minres", rotate = "oblimin"))[["elapsed"]])
write.csv(unclass(f$loadings), commandArgs(TRUE)[2], row.names = FALSE)
cat(times, "\\n")
"""


def r_timing(x: pd.DataFrame) -> tuple[list[float], np.ndarray] | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        data, script, out = Path(tmp, "x.csv"), Path(tmp, "fa.R"), Path(tmp, "loadings.csv")
        x.to_csv(data, index=False)
        script.write_text(R_SCRIPT % (REPEAT, M))
        res = subprocess.run(["Rscript", str(script), str(data), str(out)], capture_output=True, text=True,
                             timeout=600)
        if res.returncode != 0:
            print(f"R run failed: {res.stderr.strip()[-300:]}")
            return None
        return [float(t) for t in res.stdout.split()], pd.read_csv(out).to_numpy()


def main() -> None:
    load_at_start = os.getloadavg()
    x = simulate()
    print(f"EFA benchmark: {N} persons × {P} items, {M} factors, minres + oblimin, {REPEAT} runs each")
    t_ours, ours = timed(lambda: efa(x, M, "minres", "oblimin"))
    ours_load = ours.loadings.to_numpy()
    print(f"  pathfit efa (minres, oblimin)                        : {spread(t_ours)}")

    baseline_name = "factor_analyzer 0.5.1 (minres, oblimin)"
    try:
        t_base, base_load = timed(lambda: factor_analyzer_baseline(x))
    except Exception as exc:  # ImportError, or its TypeError under scikit-learn >= 1.8
        print(f"  factor_analyzer unavailable ({type(exc).__name__}: {str(exc)[:70]})")
        baseline_name = "scikit-learn FactorAnalysis (ML) + statsmodels oblimin"
        t_base, base_load = timed(lambda: sklearn_baseline(x))
    ratio = statistics.median(t_base) / statistics.median(t_ours)
    print(f"  {baseline_name:<55}: {spread(t_base)}   max |Δloading| vs pathfit "
          f"{max_diff(ours_load, base_load):.4f}")
    print(f"  ratio of medians baseline / pathfit                  : {ratio:8.2f}×")
    what = f"`bench_efa.py`: EFA minres + oblimin, {N:,} × {P}, {M} factors"
    rows = [Row(what, spread(t_ours), f"{baseline_name} {spread(t_base)}", f"{ratio:.1f}× (medians)")]
    samples = {"seconds": {"pathfit": t_ours, "baseline": t_base}, "baseline": baseline_name}

    r = r_timing(x)
    if r is not None:
        t_r, r_load = r
        r_ratio = statistics.median(t_r) / statistics.median(t_ours)
        print(f"  R psych::fa (minres, oblimin)                        : {spread(t_r)}   "
              f"max |Δloading| vs pathfit {max_diff(ours_load, r_load):.2e}")
        print(f"  ratio of medians R / pathfit                         : {r_ratio:8.2f}×")
        rows.append(Row(what, spread(t_ours), f"R psych::fa {spread(t_r)}", f"{r_ratio:.2f}× (medians)"))
        samples["seconds"]["r_psych"] = t_r
    else:
        print("  Rscript not found: R timing skipped")
    write_record("efa", rows, samples, started_load=load_at_start)


if __name__ == "__main__":
    main()
