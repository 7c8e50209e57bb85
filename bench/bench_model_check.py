"""Model check with known answers (issue 6): recall@10 of vacancies coded with a simulated
person's true occupation.

People: the profile of occupation X plus realistic noise (aptitude SE 3–4 T points plus 4 T points
of individual spread, interest and value noise SD 0.5 on the 1–5 scales, Big Five noise SD 5 T).
Vacancies: two per occupation, spread over a city; people keep commute limits, so the measure is
over the vacancies each person can actually take. Baselines measured in the same run: chance
(random order of eligible vacancies) and interest congruence alone (the classic Holland match).

Run: .venv/bin/python bench/bench_model_check.py [--people 600]
tests/matching/test_model_check.py asserts the default-weight figures printed here (600 people,
seed 7) minus a margin.
"""
import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.match import FitWeights  # noqa: E402
from tests.matching.synthetic import model_check, synthetic_occupations  # noqa: E402

REAL_TABLE = Path(__file__).resolve().parents[1] / "matching" / "data" / "occupation_profiles.csv"
ONLY = {c: FitWeights(**{k: float(k == c) for k in FitWeights.model_fields})
        for c in ("aptitude", "interest", "work_values", "work_style")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=600)  # the test uses the same
    args = ap.parse_args()
    tables = {"synthetic (300 occupations)": synthetic_occupations(300, seed=0)}
    if REAL_TABLE.exists():
        tables["shipped occupation_profiles.csv"] = pd.read_csv(REAL_TABLE)
    else:
        print("matching/data/occupation_profiles.csv not found: synthetic table only")
    for name, occ in tables.items():
        t0 = time.perf_counter()
        full = model_check(occ, n_people=args.people, seed=7)
        dt = time.perf_counter() - t0
        print(f"\n== {name}: {full['n_occupations']} occupations, {full['n_vacancies']} vacancies, "
              f"{full['n_people']} people with an eligible vacancy of their occupation ({dt:.1f} s)")
        print(f"recall@10 default weights        {full['recall']:.3f}")
        print(f"  counting identical profiles     {full['recall_same_profile']:.3f}")
        print(f"  hit rate (≥1 in top 10)         {full['hit_rate']:.3f}")
        print(f"baseline: chance recall@10        {full['chance_recall']:.4f}"
              f"   ratio {full['recall'] / full['chance_recall']:.1f}×")
        for comp, w in ONLY.items():
            r = model_check(occ, n_people=args.people, seed=7, weights=w)
            extra = ""
            if comp == "interest":
                extra = f"   ratio default/interest-only {full['recall'] / r['recall']:.2f}×"
            print(f"{comp + ' only':<32} {r['recall']:.3f}{extra}")
        psych = model_check(occ, n_people=args.people, seed=7, weights=FitWeights(practical=0))
        print(f"{'psychometric only (no practical)':<32} {psych['recall']:.3f}")


if __name__ == "__main__":
    main()
