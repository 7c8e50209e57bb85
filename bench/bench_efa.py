"""Benchmark: EFA (minres, oblimin) on 20,000 persons × 50 items, against the best available Python library.

Baseline, measured in the same run: scikit-learn's ``FactorAnalysis`` (ML by SVD) followed by the same
oblimin rotation from statsmodels — factor_analyzer 0.5.1 is tried first but fails with scikit-learn ≥ 1.8
(``check_array(force_all_finite=…)`` was removed). When ``Rscript`` with psych is on the PATH, R's
``psych::fa`` is timed on the same data (the ``fa`` call only, not reading the CSV).

Prints wall times (best of ``REPEAT``), the ratio baseline / pathfit, and how closely the loadings agree
(largest absolute difference after matching factor order and sign).

Run: ``.venv/bin/python bench/bench_efa.py``
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assessment.psychometrics.efa import efa, oblimin  # noqa: E402

N, P, M, REPEAT, SEED = 20_000, 50, 5, 3, 20240601


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


def best_of(fn, repeat: int = REPEAT) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


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
cat(min(times), "\\n")
"""


def r_timing(x: pd.DataFrame) -> tuple[float, np.ndarray] | None:
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
        return float(res.stdout.split()[-1]), pd.read_csv(out).to_numpy()


def main() -> None:
    x = simulate()
    print(f"EFA benchmark: {N} persons × {P} items, {M} factors, minres + oblimin, best of {REPEAT}")
    t_ours, ours = best_of(lambda: efa(x, M, "minres", "oblimin"))
    ours_load = ours.loadings.to_numpy()
    print(f"  pathfit efa (minres, oblimin)                        : {t_ours:8.3f} s")

    baseline_name = "factor_analyzer 0.5.1 (minres, oblimin)"
    try:
        t_base, base_load = best_of(lambda: factor_analyzer_baseline(x))
    except Exception as exc:  # ImportError, or its TypeError under scikit-learn >= 1.8
        print(f"  factor_analyzer unavailable ({type(exc).__name__}: {str(exc)[:70]})")
        baseline_name = "scikit-learn FactorAnalysis (ML) + statsmodels oblimin"
        t_base, base_load = best_of(lambda: sklearn_baseline(x))
    print(f"  {baseline_name:<55}: {t_base:8.3f} s   max |Δloading| vs pathfit {max_diff(ours_load, base_load):.4f}")
    print(f"  ratio baseline / pathfit                             : {t_base / t_ours:8.2f}×")

    r = r_timing(x)
    if r is not None:
        t_r, r_load = r
        print(f"  R psych::fa (minres, oblimin)                        : {t_r:8.3f} s   "
              f"max |Δloading| vs pathfit {max_diff(ours_load, r_load):.2e}")
        print(f"  ratio R / pathfit                                    : {t_r / t_ours:8.2f}×")
    else:
        print("  Rscript not found: R timing skipped")


if __name__ == "__main__":
    main()
