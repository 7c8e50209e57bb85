"""Model check with known answers (issues 6 and 13): recall@10 of vacancies in a simulated person's
true occupation, for the matcher and two baselines, on people from a generative model that is NOT
the one the matcher scores (``tests/matching/career_sim.py``), plus the stability of the top 10
under measurement-sized noise.

Judged section (issue 13): 600 people from ``career_sim.simulate`` (logistic interest responses
with acquiescence, a general ability factor, traits unrelated to the occupation, 60 % with one past
job related to the true occupation), evaluation seed ``EVALUATION_SEED`` (never used for tuning;
tests/matching/test_model_check.py checks it is not a tuning seed), two vacancies per occupation
of the shipped table spread over a city, people with commute limits. Recall counts vacancies of
the true occupation's family (identical profiles cannot be told apart) among the eligible ones.
Methods: the matcher with default weights, the matcher without the experience component,
interest only (the matcher's interest component), and the O*NET Interest Profiler + job zone
procedure. Stability: mean Jaccard overlap of the default top 10 before and after adding one SE of
noise to every aptitude and interest score.

Also printed, for continuity with issue 6: the first simulator ("profile of X plus noise"), whose
figures tests/matching/test_model_check.py holds.

Run: .venv/bin/python bench/bench_model_check.py [--people 600]   (writes bench/results/model_check.json)
"""
import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from record import Row, write_record  # noqa: E402
from tests.matching.career_sim import EVALUATION_SEED, model_check_v2  # noqa: E402
from tests.matching.synthetic import model_check  # noqa: E402

REAL_TABLE = Path(__file__).resolve().parents[1] / "matching" / "data" / "occupation_profiles.csv"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=600)
    args = ap.parse_args()
    load = os.getloadavg()
    occ = pd.read_csv(REAL_TABLE, dtype={"code": str, "family_id": str})
    t0 = time.perf_counter()
    r = model_check_v2(occ, n_people=args.people, seed=EVALUATION_SEED)
    dt = time.perf_counter() - t0
    print(f"== career simulator (seed {EVALUATION_SEED}): {r['n_occupations']} occupations, {r['n_vacancies']} "
          f"vacancies, {r['n_people']} people with an eligible vacancy of their family ({dt:.1f} s)")
    print(f"{'recall@10':<32} {'family':>8} {'exact':>8} {'with job':>9} {'no job':>8}")
    for name in r["recall_family"]:
        print(f"{name:<32} {r['recall_family'][name]:8.3f} {r['recall_exact'][name]:8.3f} "
              f"{r['recall_family_with_history'][name]:9.3f} {r['recall_family_without_history'][name]:8.3f}")
    print(f"stability: Jaccard of the default top 10 after one SE of noise  {r['stability_jaccard_top10']:.3f}")
    ours = r["recall_family"]["matcher (default weights)"]
    best_base = max(r["recall_family"]["interest only"], r["recall_family"]["Interest Profiler + job zone"])
    print(f"matcher / best baseline: {ours / best_base:.2f}×")

    old = model_check(occ, n_people=args.people, seed=7)
    print(f"\n== first simulator (profile of X plus noise, seed 7): recall@10 {old['recall']:.3f}, "
          f"chance {old['chance_recall']:.4f}")
    base = (f"interest only {r['recall_family']['interest only']:.3f}; Interest Profiler + job zone "
            f"{r['recall_family']['Interest Profiler + job zone']:.3f}")
    rows = [Row(benchmark=f"Model check: recall@10 (family), {r['n_people']} simulated people × "
                          f"{r['n_vacancies']} vacancies, held-out seed",
                pathfit=f"{ours:.3f} (stability Jaccard {r['stability_jaccard_top10']:.2f})",
                baseline=base, ratio=f"{ours / best_base:.1f}×")]
    write_record("model_check", rows, {"career_sim": r, "first_simulator": old}, started_load=load,
                 notes="Recall of vacancies in the true occupation's family among eligible vacancies; "
                       "baselines measured in the same run on the same people.")


if __name__ == "__main__":
    main()
