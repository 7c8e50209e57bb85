"""Fairness audit of a batch's recommendations by gender and age band.

Gender and age are audit attributes only: the kernel never sees them. For each group we report
its size, the recommendation rate (share of its seekers with at least one good recommendation,
total ≥ the good-fit threshold) and the mean fit of its recommendations; the adverse-impact ratio
of a group is its rate divided by the highest group rate, and the four-fifths rule (US EEOC
Uniform Guidelines 1978, 29 CFR 1607.4(D)) flags ratios below 0.8. Groups smaller than
``min_group`` are reported but neither compared nor flagged (their rates are too noisy).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

FOUR_FIFTHS = 0.8


def fairness_audit(groups: dict[str, np.ndarray], rec_seeker: np.ndarray, rec_total: np.ndarray,
                   n_seekers: int, good_fit: float = 60.0, min_group: int = 30) -> dict:
    """``groups``: attribute name → per-seeker label (None = unknown, reported as 'unknown');
    ``rec_seeker``/``rec_total``: the recommendations (seeker position, total 0–100)."""
    good = np.zeros(n_seekers, dtype=bool)
    good[rec_seeker[rec_total >= good_fit]] = True
    out: dict[str, object] = {"good_fit": good_fit, "threshold": FOUR_FIFTHS, "min_group": min_group}
    for attr, labels in groups.items():
        lab = pd.Series(labels, dtype=object).fillna("unknown").astype(str).to_numpy()
        # Integer codes of the labels: comparing codes, not strings, per group and recommendation.
        code, names = pd.factorize(lab)
        rec_code = code[rec_seeker]
        rows = []
        for c in sorted(range(len(names)), key=lambda c: names[c]):
            g = names[c]
            members = code == c
            fits = rec_total[rec_code == c]
            rows.append({"group": g, "n": int(members.sum()), "rate": float(good[members].mean()),
                         "mean_fit": float(fits.mean()) if fits.size else None})
        comparable = [r for r in rows if r["n"] >= min_group and r["group"] != "unknown"]
        best = max((r["rate"] for r in comparable), default=0.0)
        for r in rows:
            ok = r in comparable and best > 0
            r["adverse_impact_ratio"] = round(r["rate"] / best, 4) if ok else None
            r["fails_four_fifths"] = bool(ok and r["rate"] / best < FOUR_FIFTHS)
        out[attr] = rows
    out["flagged"] = [f"{attr}={r['group']}" for attr in groups for r in out[attr] if r["fails_four_fifths"]]
    return out
