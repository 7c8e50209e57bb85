"""Title coder v2: accuracy on unseen job-ad titles, calibration, and coding speed.

Sets (``bench/data``):

- ``title_eval_unseen.csv`` — 2,283 job-ad titles written as employers write them, none equal to a
  name or alias of the index after normalisation (``tests/matching/test_title_eval_sets.py``). Split by a
  hash of the normalised title into ``tune`` (40 %: blend weights and calibration are fitted on it)
  and ``heldout`` (60 %: the figures to quote).
- ``title_eval.csv`` — the older 244 titles, 58 of them verbatim aliases: reported as "alias-seen".

A hit at the *detailed* level means the predicted code equals the label (for a label that is a 小类,
any occupation inside it); at the *小类* level, that the prediction lies in the label's 小类. Baseline:
the v1 character n-gram coder (``matching.title_coder``) on the same titles.

Run: ``.venv/bin/python bench/bench_title_coder.py`` (add ``--fit`` to refit
``matching/data/title_coder_params.json`` on the tuning split first). Writes
``bench/results/title_coder.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.adapters.title_coding import PARAMS_FILE, load_hybrid_coder, model_id, read_tables  # noqa: E402
from matching.coding.blend import FEATURES, fit_weights, softmax  # noqa: E402
from matching.coding.calibration import IsotonicMap  # noqa: E402
from matching.title_coder import TitleCoder  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from record import Row, write_record  # noqa: E402

DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results" / "title_coder.json"
FOLDS = 5
BANDS = [0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 1.0]
LATENCY_BATCH = 1000


def correct_matrix(codes: np.ndarray, labels: list[str], levels: dict[str, int]) -> np.ndarray:
    """(n_titles, n_occupations) True where the occupation counts as the labelled answer."""
    out = np.zeros((len(labels), len(codes)), dtype=bool)
    groups = np.array([c[:7] for c in codes])
    for i, gold in enumerate(labels):
        out[i] = (codes == gold) if levels[gold] == 4 else (groups == gold[:7])
    return out


def hits(top: np.ndarray, codes: np.ndarray, labels: list[str], correct: np.ndarray) -> dict[str, np.ndarray]:
    """Per title: detailed top-1/top-3 and 小类 top-1/top-3 hits, from top-k occupation indexes."""
    exact = np.take_along_axis(correct, top, axis=1)
    group = np.array([[codes[j][:7] == gold[:7] for j in row] for row, gold in zip(top, labels)])
    return {"top1": exact[:, 0], "top3": exact[:, :3].any(1), "group_top1": group[:, 0],
            "group_top3": group[:, :3].any(1)}


def summarise(h: dict[str, np.ndarray], langs: np.ndarray) -> dict:
    out = {}
    for name, mask in [("all", np.ones(len(langs), bool)), ("zh", langs == "zh"), ("en", langs == "en")]:
        out[name] = {"n": int(mask.sum()), **{k: round(float(v[mask].mean()), 3) for k, v in h.items()}}
    return out


def fit_params(features: np.ndarray, correct: np.ndarray, langs: np.ndarray) -> dict:
    """Blend weights per language on all given titles; calibration on 5-fold out-of-fold top-1 probabilities."""
    params = {"features": list(FEATURES), "model": model_id(), "weights": {}, "calibration": {},
              "fitted_on": "bench/data/title_eval_unseen.csv split=tune", "n": {}}
    rng = np.random.default_rng(20261202)
    for lang in ("zh", "en"):
        rows = np.where(langs == lang)[0]
        params["n"][lang] = int(len(rows))
        params["weights"][lang] = [round(float(w), 5) for w in fit_weights(features[rows], correct[rows])]
        fold = rng.permutation(len(rows)) % FOLDS
        p_top, hit = np.zeros(len(rows)), np.zeros(len(rows), bool)
        for f in range(FOLDS):
            w = fit_weights(features[rows[fold != f]], correct[rows[fold != f]])
            test = rows[fold == f]
            p = softmax(features[test].astype(np.float64) @ w)
            best = p.argmax(1)
            p_top[fold == f] = p[np.arange(len(test)), best]
            hit[fold == f] = correct[test, best]
        params["calibration"][lang] = IsotonicMap.fit(p_top, hit).as_dict()
    return params


def reliability(stated: np.ndarray, hit: np.ndarray) -> list[dict]:
    out = []
    for lo, hi in zip(BANDS[:-1], BANDS[1:]):
        m = (stated >= lo) & ((stated < hi) if hi < 1 else (stated <= hi))
        if m.any():
            out.append({"band": f"{lo:.1f}–{hi:.1f}", "n": int(m.sum()), "stated": round(float(stated[m].mean()), 3),
                        "observed": round(float(hit[m].mean()), 3)})
    return out


def machine() -> dict:
    """What the figures depend on beyond ``record.machine_facts``: the model and the load at start."""
    return {"cores": os.cpu_count(), "load_1min_at_start": os.getloadavg()[0], "model": model_id()}


def print_block(name: str, s: dict) -> None:
    print(f"  {name}")
    for lang, v in s.items():
        print(f"    {lang:>3} (n={v['n']:4d}): detailed top-1 {v['top1']:.3f} top-3 {v['top3']:.3f} | "
              f"小类 top-1 {v['group_top1']:.3f} top-3 {v['group_top3']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit the blend and calibration on the tuning split")
    args = parser.parse_args()
    info = machine()
    occupations, titles_en = read_tables()
    levels = dict(zip(occupations["code"], occupations["level"].astype(int)))
    unseen = pd.read_csv(DATA / "title_eval_unseen.csv", dtype=str, keep_default_na=False)
    seen = pd.read_csv(DATA / "title_eval.csv", dtype=str, keep_default_na=False)

    coder = load_hybrid_coder(params={"features": list(FEATURES), "weights": {}, "calibration": {}})
    codes = coder.codes_
    start = time.perf_counter()
    features = coder.features(unseen["title"].tolist())
    feature_s = time.perf_counter() - start
    correct = correct_matrix(codes, unseen["code"].tolist(), levels)
    langs = unseen["lang"].to_numpy()
    tune = (unseen["split"] == "tune").to_numpy()
    if args.fit:
        params = fit_params(features[tune], correct[tune], langs[tune])
        (ROOT / "matching" / "data" / PARAMS_FILE).write_text(json.dumps(params, indent=1, ensure_ascii=False) + "\n",
                                                                encoding="utf-8")
        print(f"refitted {PARAMS_FILE} on {tune.sum()} tuning titles")
    params = json.loads((ROOT / "matching" / "data" / PARAMS_FILE).read_text(encoding="utf-8"))
    coder = load_hybrid_coder(params=params)

    report: dict = {"machine": info, "sets": {}, "weights": params["weights"], "features": params["features"]}
    probs = coder.probabilities(unseen["title"].tolist(), features=features, langs=langs)
    top = np.argsort(-probs, axis=1, kind="stable")[:, :3]
    h = hits(top, codes, unseen["code"].tolist(), correct)
    v1 = TitleCoder().fit(occupations, titles_en)
    v1_top = np.argsort(-v1.scores(unseen["title"].tolist()), axis=1, kind="stable")[:, :3]
    h1 = hits(v1_top, codes, unseen["code"].tolist(), correct)
    held = ~tune
    print(f"title coder v2 ({info['model']}) on {len(unseen)} unseen job-ad titles "
          f"({held.sum()} held out, {tune.sum()} tuning)")
    for split, mask in [("heldout", held), ("tune", tune)]:
        s = summarise({k: v[mask] for k, v in h.items()}, langs[mask])
        b = summarise({k: v[mask] for k, v in h1.items()}, langs[mask])
        report["sets"][f"unseen_{split}"] = {"v2": s, "v1_ngram": b}
        print_block(f"unseen / {split}: v2 hybrid", s)
        print_block(f"unseen / {split}: v1 n-gram baseline", b)
    low = (unseen["agreement"] == "low").to_numpy() & held
    report["sets"]["unseen_heldout_low_agreement"] = summarise({k: v[low] for k, v in h.items()}, langs[low])

    # Reliability on the held-out titles: calibrated top-1 confidence against observed accuracy.
    stated = np.array([coder.calibration[l](p[t[0]]) for l, p, t in zip(langs, probs, top)])
    table = reliability(stated[held], h["top1"][held])
    report["reliability_heldout"] = table
    print("  reliability (held out): stated confidence vs observed top-1 accuracy")
    for row in table:
        print(f"    {row['band']:>8}: stated {row['stated']:.3f}  observed {row['observed']:.3f}  (n={row['n']})")
    threshold = 0.5
    ask = stated[held] < threshold
    report["choice_at_0.5"] = {"share_asked": round(float(ask.mean()), 3),
                               "top1_when_not_asked": round(float(h["top1"][held][~ask].mean()), 3),
                               "top3_when_asked": round(float(h["top3"][held][ask].mean()), 3)}
    print(f"  below 0.5 (asked to choose): {ask.mean():.1%} of titles; top-1 of the rest "
          f"{report['choice_at_0.5']['top1_when_not_asked']:.3f}; top-3 of the asked "
          f"{report['choice_at_0.5']['top3_when_asked']:.3f}")

    seen_codes = [c for c in seen["code"]]
    seen_correct = correct_matrix(codes, seen_codes, levels)
    seen_langs = seen["lang"].to_numpy()
    seen_top = np.argsort(-coder.probabilities(seen["title"].tolist()), axis=1, kind="stable")[:, :3]
    s_seen = summarise(hits(seen_top, codes, seen_codes, seen_correct), seen_langs)
    v1_seen = np.argsort(-v1.scores(seen["title"].tolist()), axis=1, kind="stable")[:, :3]
    b_seen = summarise(hits(v1_seen, codes, seen_codes, seen_correct), seen_langs)
    report["sets"]["alias_seen"] = {"v2": s_seen, "v1_ngram": b_seen}
    print_block("alias-seen set (title_eval.csv, 58/244 verbatim aliases): v2", s_seen)
    print_block("alias-seen set: v1 n-gram baseline", b_seen)

    # Latency: batches of 1,000 held-out titles through the whole public path (embed + score + top-k).
    pool = unseen.loc[held, "title"].tolist()
    batch = [pool[i % len(pool)] for i in range(LATENCY_BATCH)]
    # The batch is coded in 20 chunks of 50 (the import codes per request; 50 keeps memory small): the
    # per-title time of each chunk is its wall time / 50, and p95 is over the 20 chunks.
    chunk = 50
    per_title = []
    start_all = time.perf_counter()
    for i in range(0, LATENCY_BATCH, chunk):
        start = time.perf_counter()
        coder.code_many(batch[i:i + chunk])
        per_title.append((time.perf_counter() - start) / chunk * 1000)
    whole_ms = (time.perf_counter() - start_all) / LATENCY_BATCH * 1000
    singles = []
    for title in pool[:30]:
        start = time.perf_counter()
        coder.code_many([title])
        singles.append((time.perf_counter() - start) * 1000)
    v1_start = time.perf_counter()
    v1.code_many(batch)
    v1_ms = (time.perf_counter() - v1_start) / LATENCY_BATCH * 1000
    report["latency_ms"] = {"batch_1000_mean_per_title": round(whole_ms, 2),
                            "batch_1000_per_title_p50": round(float(np.percentile(per_title, 50)), 2),
                            "batch_1000_per_title_p95": round(float(np.percentile(per_title, 95)), 2),
                            "single_title_p50": round(float(np.percentile(singles, 50)), 2),
                            "single_title_p95": round(float(np.percentile(singles, 95)), 2),
                            "v1_batch_1000_per_title": round(v1_ms, 2),
                            "features_all_unseen_s": round(feature_s, 1)}
    print(f"  latency, batch of {LATENCY_BATCH} in chunks of {chunk}: mean {whole_ms:.1f} ms/title, p50 "
          f"{np.percentile(per_title, 50):.1f}, p95 {np.percentile(per_title, 95):.1f} ms/title; one title alone "
          f"p50 {np.percentile(singles, 50):.1f} ms, p95 {np.percentile(singles, 95):.1f} ms; v1 n-gram "
          f"{v1_ms:.2f} ms/title; {info['cores']} cores, 1-min load {info['load_1min_at_start']:.1f} at start")
    write_record(RESULTS.stem, readme_rows(report, held.sum(), (langs[held] == "zh").sum()), report)


def readme_rows(report: dict, n_held: int, n_zh: int) -> list[Row]:
    """The README's lines: held-out accuracy against the v1 coder, the alias-seen set, latency."""
    held, seen, lat = report["sets"]["unseen_heldout"], report["sets"]["alias_seen"], report["latency_ms"]
    v2, v1 = held["v2"], held["v1_ngram"]

    def figures(s: dict) -> str:
        return (f"top-1 {s['all']['top1']:.3f}, top-3 {s['all']['top3']:.3f} (zh {s['zh']['top1']:.3f}/"
                f"{s['zh']['top3']:.3f}, en {s['en']['top1']:.3f}/{s['en']['top3']:.3f})")

    return [
        Row(f"`bench_title_coder.py`: job-title coding, {n_held:,} held-out unseen job-ad titles ({n_zh:,} zh)",
            f"{figures(v2)}; within the right 小类 {v2['all']['group_top1']:.3f}/{v2['all']['group_top3']:.3f}",
            f"v1 n-gram coder {figures(v1)}", f"{v2['all']['top1'] / v1['all']['top1']:.2f}× top-1"),
        Row("`bench_title_coder.py`: alias-seen set (244 titles, 58 verbatim aliases)", figures(seen["v2"]),
            f"v1 n-gram coder {figures(seen['v1_ngram'])}", "—"),
        Row("`bench_title_coder.py`: latency, batch of 1,000 titles in chunks of 50",
            f"p95 {lat['batch_1000_per_title_p95']:.1f} ms/title (mean {lat['batch_1000_mean_per_title']:.1f})",
            f"v1 n-gram coder {lat['v1_batch_1000_per_title']:.2f} ms/title", "—"),
    ]


if __name__ == "__main__":
    main()
