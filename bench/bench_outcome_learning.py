"""Learning from outcomes (issue 17): hand-set vs learned vs oracle ranking on a simulated centre.

For each seed: ``matching.outcomes.simulator`` builds a centre (20,000 people arriving over two years,
12,000 vacancies, the real matcher's fit components, a hidden ground truth that differs from the
matcher's formula), the hand-set ranking with 10 % explored positions logs two years of referrals and
outcomes, and ``matching.outcomes.evaluation.evaluate_world`` fits the outcome model on days [0, 330),
selects and calibrates it on [330, 420) and evaluates on the people who arrive in [540, 730) (none of
whom the model saw; checked). Figures are the simulator's expected values (true probabilities),
measured on every evaluation person with at least one reasonably fitting candidate, not extrapolated.

Goals (issue 17, "done when"): learned lasting-hires@10 ≥ 1.3 × hand-set and ≥ 80 % of the oracle,
with 95 % intervals over the seeds (t interval of the per-seed ratios); the off-policy estimate's
interval covers the truth; fairness figures printed.

Run: .venv/bin/python bench/bench_outcome_learning.py [--people 20000] [--vacancies 12000] [--seeds 5]
     [--no-record]
Writes ``bench/results/outcome_learning.json`` (``bench.record``) unless --no-record or a smaller size.
The seeds (101–105 by default) are not the seed the simulator was designed on (1).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from api.services.matching import occupation_frame, occupation_table  # noqa: E402
from matching.outcomes.evaluation import evaluate_world  # noqa: E402
from matching.outcomes.simulator import WorldConfig, simulate_world  # noqa: E402
from record import Row, write_record  # noqa: E402

FULL = WorldConfig()


def interval(xs: list[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the t interval of the mean over seeds."""
    m = float(np.mean(xs))
    if len(xs) < 2:
        return m, float("nan"), float("nan")
    h = float(stats.t.ppf((1 + level) / 2, len(xs) - 1) * np.std(xs, ddof=1) / np.sqrt(len(xs)))
    return m, m - h, m + h


def fmt(xs: list[float], digits: int = 3) -> str:
    m, lo, hi = interval(xs)
    return (f"median {statistics.median(xs):.{digits}f}, mean {m:.{digits}f} (95 % CI {lo:.{digits}f}–{hi:.{digits}f}, "
            f"range {min(xs):.{digits}f}–{max(xs):.{digits}f}, {len(xs)} seeds)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=FULL.n_people)
    ap.add_argument("--vacancies", type=int, default=FULL.n_vacancies)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--first-seed", type=int, default=101)
    ap.add_argument("--no-record", action="store_true")
    args = ap.parse_args()
    started_load = os.getloadavg()
    occ, table = occupation_frame(), occupation_table()
    config = WorldConfig(n_people=args.people, n_vacancies=args.vacancies)
    per_seed = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        t0 = time.perf_counter()
        world = simulate_world(occ, table, config, seed=seed)
        metrics, _ = evaluate_world(world, seed=seed)
        metrics["seconds"] = time.perf_counter() - t0
        per_seed.append(metrics)
        d = metrics["deployed"]
        print(f"seed {seed}: lasting-hires@10 hand-set {d['hand_set']['lasting_hires_at_k']:.3f}, "
              f"learned {d['learned']['lasting_hires_at_k']:.3f}, oracle {d['oracle']['lasting_hires_at_k']:.3f}; "
              f"model {metrics['chosen_estimator']}; {metrics['rows']}; {metrics['seconds']:.0f} s", flush=True)

    def series(*path: str) -> list[float]:
        out = []
        for m in per_seed:
            x = m
            for p in path:
                x = x[p]
            out.append(float(x))
        return out

    print(f"\n{args.people:,} people, {args.vacancies:,} vacancies, k = {config.k}, "
          f"{config.exploration_share:.0%} explored positions in the logging policy; evaluation people per seed: "
          f"{[m['rows']['evaluation_people'] for m in per_seed]}")
    figures = {}
    for metric in ("hires_at_k", "lasting_hires_at_k"):
        for policy in ("hand_set", "learned", "oracle"):
            xs = series("deployed", policy, metric)
            figures[f"{metric}/{policy}"] = xs
            print(f"{metric.replace('_at_k', '@10'):>18} {policy:>8}: {fmt(xs)}")
    lift = [lr / h for lr, h in zip(series("deployed", "learned", "lasting_hires_at_k"),
                                    series("deployed", "hand_set", "lasting_hires_at_k"))]
    share = [lr / o for lr, o in zip(series("deployed", "learned", "lasting_hires_at_k"),
                                     series("deployed", "oracle", "lasting_hires_at_k"))]
    gained = [(lr - h) / (o - h) for lr, h, o in zip(series("deployed", "learned", "lasting_hires_at_k"),
                                                     series("deployed", "hand_set", "lasting_hires_at_k"),
                                                     series("deployed", "oracle", "lasting_hires_at_k"))]
    print(f"learned / hand-set lasting-hires@10: {fmt(lift)} (goal ≥ 1.30: "
          f"{'met' if interval(lift)[0] >= 1.3 else 'NOT met'})")
    print(f"learned / oracle   lasting-hires@10: {fmt(share)} (goal ≥ 0.80: "
          f"{'met' if interval(share)[0] >= 0.8 else 'NOT met'})")
    print(f"share of the oracle's advantage over hand-set recovered: {fmt(gained)}")
    for policy in ("hand_set", "learned", "oracle"):
        print(f"{policy:>8}: AUC {fmt(series('quality', policy, 'auc'))}; "
              f"ECE {fmt(series('quality', policy, 'ece'), 4)}")
    for metric in ("lasting_hires_at_k", "hires_at_k"):
        methods = per_seed[0]["off_policy"][metric]["covered"]
        covered = {m: sum(s["off_policy"][metric]["covered"][m] for s in per_seed) for m in methods}
        for s, seed in zip(per_seed, range(args.first_seed, args.first_seed + args.seeds)):
            o = s["off_policy"][metric]
            print(f"off-policy {metric} seed {seed}: truth {o['truth']:.3f}; "
                  + "; ".join(f"{m} {o[m]['value']:.3f} ({o[m]['low']:.3f}–{o[m]['high']:.3f})"
                              for m in o["covered"]))
        print(f"off-policy {metric}: interval covers the truth in " +
              ", ".join(f"{m} {c}/{len(per_seed)}" for m, c in covered.items()) + " seeds")
    last = per_seed[-1]["fairness"]
    for attr in ("gender", "age_band"):
        f = last[attr]
        print(f"fairness by {attr} (seed {args.first_seed + args.seeds - 1}): calibration " +
              "; ".join(f"{g}: n {c['n']}, observed {c['observed']:.3f}, predicted {c['predicted']:.3f}"
                        for g, c in f["calibration"].items()))
        for policy in ("hand_set", "learned"):
            ff = f[f"four_fifths_{policy}"]
            print(f"  four-fifths ({policy}, good-chance recommendation): "
                  + "; ".join(f"{g} {v['rate']:.3f} (ratio {v['impact_ratio']:.2f})" for g, v in ff["by_group"].items())
                  + f" → {'passes' if ff['passes'] else 'FAILS'}")
            print(f"  lasting-hires@10 by group ({policy}): "
                  + ", ".join(f"{g} {x:.3f}" for g, x in f[f"lasting_hires_at_k_{policy}"].items()))
    passes = {attr: [s["fairness"][attr]["four_fifths_learned"]["passes"] for s in per_seed]
              for attr in ("gender", "age_band")}
    print("four-fifths rule (learned) passes in: "
          + ", ".join(f"{a} {sum(v)}/{len(v)} seeds" for a, v in passes.items()))

    full = args.people == FULL.n_people and args.vacancies == FULL.n_vacancies and args.seeds >= 5
    if args.no_record or not full:
        return
    covered_lasting = {m: sum(s["off_policy"]["lasting_hires_at_k"]["covered"][m] for s in per_seed)
                       for m in per_seed[0]["off_policy"]["lasting_hires_at_k"]["covered"]}
    rows = [
        Row(f"Learned ranking (fit × P(lasting hire), congestion term), lasting-hires@10, simulated centre "
            f"{args.people:,} people × 2 years, time split, {args.seeds} seeds",
            fmt(figures["lasting_hires_at_k/learned"]),
            f"hand-set weights: {fmt(figures['lasting_hires_at_k/hand_set'])}; oracle: "
            f"{fmt(figures['lasting_hires_at_k/oracle'])}",
            f"{interval(lift)[0]:.2f}× hand-set (95 % CI {interval(lift)[1]:.2f}–{interval(lift)[2]:.2f}); "
            f"{interval(share)[0]:.0%} of oracle ({interval(share)[1]:.0%}–{interval(share)[2]:.0%})"),
        Row("Off-policy estimate (IPS / SNIPS / DR from 10 % logged exploration) of the learned ranking's "
            "lasting-hires@10 vs the simulated truth",
            "95 % interval covers the truth: "
            + ", ".join(f"{m} {c}/{args.seeds} seeds" for m, c in covered_lasting.items()),
            "simulated truth (same logged context)"),
    ]
    write_record("outcome_learning", rows, {"per_seed": per_seed, "config": vars(args)}, started_load=started_load,
                 notes="Expected values from the simulator's true probabilities on every evaluation person.")


if __name__ == "__main__":
    main()
