"""Title-coder accuracy on a labelled set of realistic job-ad titles, and coding speed.

Prints top-1 and top-3 accuracy (overall, zh, en), accuracy by confidence band, fit time and
per-title coding time. Baseline named in the ratio line: exact match of the title against the
classification's names and aliases (what a lookup table without similarity search achieves).

Run: ``.venv/bin/python bench/bench_title_coder.py``
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from matching.title_coder import TitleCoder, normalise_title

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "matching" / "data"
EVAL = ROOT / "bench" / "data" / "title_eval.csv"


def load() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    occupations = pd.read_csv(DATA / "csco22_occupations.csv", dtype={"code": str}, keep_default_na=False)
    titles_en = pd.read_csv(DATA / "csco22_titles_en.csv", dtype=str, keep_default_na=False)
    return occupations, titles_en, pd.read_csv(EVAL, dtype=str)


def evaluate(coder: TitleCoder, labelled: pd.DataFrame) -> pd.DataFrame:
    """One row per labelled title with the top-3 codes, top-1 confidence and hit flags."""
    results = coder.code_many(labelled["title"].tolist(), k=3)
    out = labelled.copy()
    out["top3"] = [[c.code for c in r] for r in results]
    out["confidence"] = [r[0].confidence for r in results]
    out["top1_hit"] = [r[0] == gold for r, gold in zip(out["top3"], out["code"])]
    out["top3_hit"] = [gold in r for r, gold in zip(out["top3"], out["code"])]
    return out


def exact_lookup_accuracy(occupations: pd.DataFrame, labelled: pd.DataFrame) -> float:
    level4 = occupations.loc[occupations["level"] == 4]
    table: dict[str, str] = {}
    for code, name, aliases in zip(level4["code"], level4["name_zh"], level4["aliases"]):
        for label in [name, *aliases.split("|")]:
            table.setdefault(normalise_title(label), code)
    return float(np.mean([table.get(normalise_title(t)) == c for t, c in zip(labelled["title"], labelled["code"])]))


def main() -> None:
    occupations, titles_en, labelled = load()
    start = time.perf_counter()
    coder = TitleCoder().fit(occupations, titles_en)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    scored = evaluate(coder, labelled)
    batch_ms = (time.perf_counter() - start) / len(labelled) * 1000
    single = []
    for title in labelled["title"].head(50):
        start = time.perf_counter()
        coder.code(title)
        single.append((time.perf_counter() - start) * 1000)

    print(f"title coder on {len(labelled)} labelled titles "
          f"({(labelled['lang'] == 'zh').sum()} zh, {(labelled['lang'] == 'en').sum()} en)")
    for name, part in [("all", scored), *scored.groupby("lang")]:
        print(f"  {name:>3}: top-1 {part['top1_hit'].mean():.3f}  top-3 {part['top3_hit'].mean():.3f}  (n={len(part)})")
    bands = pd.cut(scored["confidence"], [0, 0.2, 0.4, 0.6, 1.0], include_lowest=True)
    print("  top-1 accuracy by confidence band:")
    for band, part in scored.groupby(bands, observed=True):
        print(f"    {str(band):>14}: {part['top1_hit'].mean():.3f} (n={len(part)})")
    baseline = exact_lookup_accuracy(occupations, labelled)
    print(f"  baseline exact name/alias lookup top-1 {baseline:.3f}; "
          f"ratio coder/baseline {scored['top1_hit'].mean() / max(baseline, 1e-9):.1f}x")
    print(f"  fit {fit_s:.2f} s; batch {batch_ms:.2f} ms/title; single p50 {np.median(single):.2f} ms, "
          f"p99 {np.percentile(single, 99):.2f} ms")


if __name__ == "__main__":
    main()
