"""Benchmark: full CAT simulation, 10,000 simulees on a 300-item 3PL bank, against `catsim`.

Both engines use maximum-information selection with randomesque exposure control (5 candidates),
start at θ = 0 and stop at SE <= 0.3 or 30 items. pathfit estimates θ by EAP on a 61-point grid
and advances all simulees together; catsim (pip install catsim) loops over simulees and uses its
NumericalSearchEstimator. By default catsim runs on the full 10,000 simulees (about 5 minutes here);
with --catsim-n smaller than --n it runs on a subsample and its time is extrapolated linearly, which
the output and the record label as an extrapolation, with no ratio. pathfit runs --repeat times
(median and range); catsim once. Recorded in bench/results/cat.json.

    python bench/bench_cat.py [--n 10000] [--items 300] [--catsim-n 10000] [--repeat 5]
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

from assessment.cat import CatBank, CatSettings, simulate  # noqa: E402
from assessment.irt import ItemBank  # noqa: E402
from record import Row, spread, write_record  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--catsim-n", type=int, default=10_000,
                        help="simulees for catsim (below --n its time is extrapolated to --n)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of pathfit")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    load_at_start = os.getloadavg()

    rng = np.random.default_rng(args.seed)
    a = rng.lognormal(0.2, 0.3, args.items)
    b = rng.normal(0.0, 1.0, args.items)
    c = rng.uniform(0.0, 0.25, args.items)
    bank = CatBank(ItemBank.dichotomous(a, b, c))
    thetas = rng.standard_normal(args.n)
    settings = CatSettings(se_target=0.3, max_items=30, exposure="randomesque", randomesque_n=5)
    print(f"CAT simulation: {args.n:,} simulees, {args.items}-item 3PL bank, "
          "max-info + randomesque(5), stop SE <= 0.3 or 30 items")

    t_ours = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        ours = simulate(bank, thetas, settings, seed=args.seed)
        t_ours.append(time.perf_counter() - t0)
    s = ours.summary()
    print(f"  pathfit  {spread(t_ours)}   mean length {s['mean_length']:.2f}  bias {s['bias']:+.4f}  "
          f"RMSE {s['rmse']:.4f}  max exposure {s['max_exposure']:.3f}")
    what = f"`bench_cat.py`: CAT simulation, {args.n:,} simulees, {args.items}-item 3PL bank"
    samples = {"seconds": {"pathfit": t_ours}, "pathfit_summary": s}

    try:
        from catsim.estimation import NumericalSearchEstimator
        from catsim.initialization import FixedPointInitializer
        from catsim.selection import RandomesqueSelector
        from catsim.simulation import Simulator
        from catsim.stopping import MinErrorStopper
    except ImportError:
        print("  catsim not installed (pip install catsim); no comparison")
        write_record("cat", [Row(what, spread(t_ours), "catsim not installed")], samples,
                     started_load=load_at_start)
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
    samples["seconds"]["catsim"] = [t_cat]
    samples["catsim_simulees"] = m
    print(f"  catsim   {t_cat:8.2f} s on {m:,} simulees   mean length {lengths.mean():.2f}  "
          f"RMSE {np.sqrt(np.mean((est - thetas[:m]) ** 2)):.4f}")
    if m < args.n:
        estimate = t_cat * args.n / m
        print(f"  catsim extrapolated linearly to {args.n:,}: {estimate:.1f} s (an estimate, not a measurement; "
              "no ratio)")
        row = Row(what, spread(t_ours), f"`catsim`: {t_cat:.1f} s measured on {m:,} simulees "
                  f"(≈ {estimate:.0f} s for {args.n:,}, extrapolated)", "— (extrapolated baseline)")
    else:
        ratio = t_cat / statistics.median(t_ours)
        print(f"ratio (higher = pathfit faster): catsim / pathfit median = {ratio:.1f}x (both measured)")
        row = Row(what, spread(t_ours), f"`catsim`: {t_cat:.1f} s (1 run, all {m:,} simulees)", f"{ratio:.0f}×")
    write_record("cat", [row], samples, started_load=load_at_start)


if __name__ == "__main__":
    main()
