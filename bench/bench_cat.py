"""Benchmark: full CAT simulation, 10,000 simulees on a 300-item 3PL bank, against `catsim`.

Both engines use maximum-information selection with randomesque exposure control (5 candidates),
start at θ = 0 and stop at SE <= 0.3 or 30 items. pathfit estimates θ by EAP on a 61-point grid
and advances all simulees together; catsim (pip install catsim) loops over simulees and uses its
NumericalSearchEstimator. catsim is slow, so by default it runs on a subsample and its time is
extrapolated linearly to the full size (the output says so).

    python bench/bench_cat.py [--n 10000] [--items 300] [--catsim-n 500]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from assessment.cat import CatBank, CatSettings, simulate
from assessment.irt import ItemBank


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--catsim-n", type=int, default=500,
                        help="simulees for catsim (its time is extrapolated to --n)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    a = rng.lognormal(0.2, 0.3, args.items)
    b = rng.normal(0.0, 1.0, args.items)
    c = rng.uniform(0.0, 0.25, args.items)
    bank = CatBank(ItemBank.dichotomous(a, b, c))
    thetas = rng.standard_normal(args.n)
    settings = CatSettings(se_target=0.3, max_items=30, exposure="randomesque", randomesque_n=5)
    print(f"CAT simulation: {args.n:,} simulees, {args.items}-item 3PL bank, "
          "max-info + randomesque(5), stop SE <= 0.3 or 30 items")

    t0 = time.perf_counter()
    ours = simulate(bank, thetas, settings, seed=args.seed)
    t_ours = time.perf_counter() - t0
    s = ours.summary()
    print(f"  pathfit  {t_ours:8.2f} s   mean length {s['mean_length']:.2f}  bias {s['bias']:+.4f}  "
          f"RMSE {s['rmse']:.4f}  max exposure {s['max_exposure']:.3f}")

    try:
        from catsim.estimation import NumericalSearchEstimator
        from catsim.initialization import FixedPointInitializer
        from catsim.selection import RandomesqueSelector
        from catsim.simulation import Simulator
        from catsim.stopping import MinErrorStopper
    except ImportError:
        print("  catsim not installed (pip install catsim); no comparison")
        return
    m = min(args.catsim_n, args.n)
    items = np.column_stack([a, b, c, np.ones(args.items)])
    sim = Simulator(items, thetas[:m], FixedPointInitializer(0.0), RandomesqueSelector(5),
                    NumericalSearchEstimator(), MinErrorStopper(0.3, max_items=30), seed=args.seed)
    t0 = time.perf_counter()
    sim.simulate(verbose=False)
    t_cat = time.perf_counter() - t0
    est = np.asarray(sim.latest_estimations, dtype=float)
    lengths = np.array([len(x) for x in sim.administered_items])
    scale = args.n / m
    print(f"  catsim   {t_cat:8.2f} s on {m:,} simulees -> {t_cat * scale:8.2f} s extrapolated "
          f"linearly to {args.n:,}   mean length {lengths.mean():.2f}  "
          f"RMSE {np.sqrt(np.mean((est - thetas[:m]) ** 2)):.4f}")
    print("ratio (higher = pathfit faster):")
    print(f"  catsim / pathfit = {t_cat * scale / t_ours:8.1f}x  (goal >= 10; catsim time "
          f"{'extrapolated from a subsample' if m < args.n else 'measured on the full run'})")


if __name__ == "__main__":
    main()
