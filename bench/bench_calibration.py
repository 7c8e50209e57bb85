"""Benchmark: 2PL calibration by MML-EM on 10,000 persons × 40 items, against the `mirt` package.

Both fit the same simulated data with standard errors: pathfit's calibrate(..., "2pl")
(61 rectangular nodes, SQUAREM-accelerated EM, observed-information SEs; item fit skipped here and
timed separately) and mirt.fit_mirt(model="2PL", n_quadpts=61) from the `mirt` PyPI package
(mirt==1.2.*, Rust backend, Oakes SEs). Prints seconds, the ratio, log-likelihoods and the largest
parameter differences.

    python bench/bench_calibration.py [--n 10000] [--items 40]
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from assessment.psychometrics.calibration import calibrate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    a = rng.lognormal(0.0, 0.3, args.items)
    b = rng.normal(0.0, 1.0, args.items)
    theta = rng.standard_normal(args.n)
    p = 1.0 / (1.0 + np.exp(-a * (theta[:, None] - b)))
    x = (rng.random(p.shape) < p).astype(float)
    frame = pd.DataFrame(x, columns=[f"i{j + 1}" for j in range(args.items)])
    print(f"2PL calibration (MML-EM, with SEs): {args.n:,} persons x {args.items} items")

    t0 = time.perf_counter()
    ours = calibrate(frame, "2pl", item_fit=False)
    t_ours = time.perf_counter() - t0
    print(f"  pathfit calibrate      {t_ours:7.2f} s   loglik {ours.loglik:.3f}   {ours.n_iter} EM cycles")
    t0 = time.perf_counter()
    fit = calibrate(frame, "2pl", standard_errors=False)
    print(f"  (pathfit with S-X2 + M2, no SEs: {time.perf_counter() - t0:.2f} s)")
    del fit

    try:
        import mirt
    except ImportError:
        print("  mirt package not installed (pip install 'mirt==1.2.*'); no comparison")
        return
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = mirt.fit_mirt(x.astype(int), model="2PL", n_quadpts=61)
    t_mirt = time.perf_counter() - t0
    params = res.model.parameters if hasattr(res.model, "parameters") else res.model._parameters
    m_a = np.asarray(params["discrimination"]).ravel()
    m_b = np.asarray(params["difficulty"]).ravel()
    ll = getattr(res, "log_likelihood", float("nan"))
    print(f"  mirt {mirt.__version__} fit_mirt   {t_mirt:7.2f} s   loglik {ll:.3f} "
          "(Gauss–Hermite nodes; not comparable to the third decimal)")
    print(f"    max |Δa| = {np.max(np.abs(m_a - ours.items['a'].to_numpy())):.4f}, "
          f"max |Δb| = {np.max(np.abs(m_b - ours.items['b'].to_numpy())):.4f}")
    print("ratio (higher = pathfit faster):")
    print(f"  mirt / pathfit = {t_mirt / t_ours:6.2f}x")


if __name__ == "__main__":
    main()
