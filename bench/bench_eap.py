"""Benchmark: EAP θ with posterior SD for N persons × 40 2PL items (default N = 1,000,000).

Compares, in the same run and on the same data:
  * pathfit  — assessment.irt.eap (log-space matrix products over mirt's 61-point grid, blocked);
  * numpy    — the strongest plain-numpy version a user would write: the log-likelihood on the grid as
               two matrix products, x @ log P + (1 − x) @ log(1 − P), then posterior moments after
               subtracting each row's maximum (blocked to bound memory);
  * mirt     — the `mirt` PyPI package (mirt==1.2.*), fscores(method="EAP", n_quadpts=61).
Each is timed --repeat times (alternating, so all see the same machine load); medians with the range
are printed and recorded in bench/results/eap.json. Checks that the three agree.

    python bench/bench_eap.py [--n 1000000] [--items 40] [--repeat 5] [--skip-mirt]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assessment.irt import ItemBank, eap, normal_quadrature  # noqa: E402
from record import Row, spread, write_record  # noqa: E402


def numpy_reference(x: np.ndarray, a: np.ndarray, b: np.ndarray, block: int = 65536
                    ) -> tuple[np.ndarray, np.ndarray]:
    """EAP by matrix products: log L(θ_q) = Σ_j x_j log P_j(θ_q) + (1 − x_j) log(1 − P_j(θ_q))."""
    quad = normal_quadrature()
    p = 1.0 / (1.0 + np.exp(-a[None, :] * (quad.points[:, None] - b[None, :])))  # (Q, J)
    log_p, log_q = np.log(p).T, np.log1p(-p).T  # (J, Q)
    log_w = np.log(quad.weights)
    theta = np.empty(x.shape[0])
    sd = np.empty(x.shape[0])
    for s in range(0, x.shape[0], block):
        xb = x[s:s + block].astype(np.float64)  # (n, J)
        log_like = xb @ log_p + (1.0 - xb) @ log_q + log_w  # (n, Q)
        like = np.exp(log_like - log_like.max(axis=1, keepdims=True))
        norm = like.sum(axis=1)
        mean = like @ quad.points / norm
        theta[s:s + block] = mean
        sd[s:s + block] = np.sqrt(np.maximum(like @ quad.points ** 2 / norm - mean ** 2, 0.0))
    return theta, sd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-mirt", action="store_true")
    args = parser.parse_args()
    load_at_start = os.getloadavg()

    rng = np.random.default_rng(args.seed)
    a = rng.lognormal(0.0, 0.3, args.items)
    b = rng.normal(0.0, 1.0, args.items)
    bank = ItemBank.dichotomous(a, b)
    x = np.empty((args.n, args.items), dtype=np.int8)
    for s in range(0, args.n, 100_000):
        th = rng.standard_normal(min(100_000, args.n - s))
        p = 1.0 / (1.0 + np.exp(-a * (th[:, None] - b)))
        x[s:s + th.size] = rng.random(p.shape) < p
    print(f"EAP with posterior SD: {args.n:,} persons x {args.items} items, 2PL, 61 nodes on [-6, 6], "
          f"{args.repeat} runs each")

    fscores = None
    if not args.skip_mirt:
        try:
            import mirt
            from mirt.models.dichotomous import TwoParameterLogistic
        except ImportError:
            print("  mirt package not installed (pip install 'mirt==1.2.*'); skipped")
        else:
            model = TwoParameterLogistic(n_items=args.items)
            model.set_parameters(discrimination=a, difficulty=b)
            model._is_fitted = True  # parameters are given, not estimated

            def fscores():
                return mirt.fscores(model, x, method="EAP", n_quadpts=61)

    times: dict[str, list[float]] = {"pathfit": [], "numpy": [], "mirt": []}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        ours = eap(x, bank)
        times["pathfit"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ref_theta, ref_sd = numpy_reference(x, a, b)
        times["numpy"].append(time.perf_counter() - t0)
        if fscores is not None:
            t0 = time.perf_counter()
            res = fscores()
            times["mirt"].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items() if v}
    print(f"  pathfit eap                  {spread(times['pathfit'])}")
    print(f"  numpy matrix-product version {spread(times['numpy'])}")
    print(f"    max |Δθ| vs numpy = {np.max(np.abs(ours.theta - ref_theta)):.2e}, "
          f"max |ΔSD| = {np.max(np.abs(ours.se - ref_sd)):.2e}")
    rows = [Row(f"`bench_eap.py`: EAP + posterior SD, {args.n:,} persons × {args.items} items",
                spread(times["pathfit"]), f"numpy matrix products {spread(times['numpy'])}",
                f"{med['numpy'] / med['pathfit']:.2f}× numpy (medians)")]
    if times["mirt"]:
        print(f"  mirt {mirt.__version__:<23} {spread(times['mirt'])}")
        print(f"    max |Δθ| vs mirt = {np.max(np.abs(ours.theta - res.theta.ravel())):.2e} "
              "(mirt integrates with 61 Gauss–Hermite nodes, pathfit with mirt-R's rectangular grid)")
        rows.append(Row(rows[0].benchmark, rows[0].pathfit, f"`mirt` {mirt.__version__} fscores "
                        f"{spread(times['mirt'])}", f"{med['mirt'] / med['pathfit']:.2f}× mirt (medians)"))
    print("ratios of medians (higher = pathfit faster):")
    print(f"  numpy / pathfit = {med['numpy'] / med['pathfit']:6.2f}x")
    if times["mirt"]:
        print(f"  mirt / pathfit  = {med['mirt'] / med['pathfit']:6.2f}x")
    write_record("eap", rows, {"seconds": times, "n": args.n, "items": args.items}, started_load=load_at_start)


if __name__ == "__main__":
    main()
