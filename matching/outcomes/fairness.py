"""Fairness figures and the model card of an outcome model (issue 17, item 1).

Protected attributes never reach the model (``matching.outcomes.model.PROTECTED``); they are used
here, after the fact, to audit it:

- by group (gender; age band 16–24 … 55+): referrals, observed lasting-hire rate, mean predicted
  P(lasting hire) and the calibration gap (mean predicted − observed);
- the four-fifths rule on recommendations (US EEOC Uniform Guidelines 1978, §4D, as adverse-impact
  screens use it): a person counts as *recommended with a good chance* when their top-k list holds
  at least one item whose predicted P(lasting hire) is in the top quarter of all predictions on the
  evaluation candidates; each group's rate divided by the highest group's rate must be ≥ 0.8.
  Groups smaller than ``MIN_GROUP`` people are reported but not judged.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import sklearn

from matching.outcomes.model import FEATURES, MONOTONE, PROTECTED, OutcomeModel

FOUR_FIFTHS = 0.8
MIN_GROUP = 50


def group_calibration(groups: np.ndarray, y: np.ndarray, p: np.ndarray) -> dict[str, dict[str, float]]:
    """Per group: ``n``, ``observed`` rate, ``predicted`` mean and ``gap`` (predicted − observed)."""
    df = pd.DataFrame({"g": pd.Series(groups, dtype=object).fillna("unknown"), "y": y, "p": p})
    out = {}
    for g, d in df.groupby("g", sort=True):
        out[str(g)] = {"n": int(len(d)), "observed": float(d["y"].mean()), "predicted": float(d["p"].mean()),
                       "gap": float(d["p"].mean() - d["y"].mean())}
    return out


def four_fifths(groups: np.ndarray, selected: np.ndarray) -> dict[str, object]:
    """Selection rate per group (one entry per person), impact ratio to the best-selected group and
    whether every judged group (≥ ``MIN_GROUP`` people) passes the four-fifths rule."""
    df = pd.DataFrame({"g": pd.Series(groups, dtype=object).fillna("unknown"), "s": selected.astype(float)})
    rates = df.groupby("g")["s"].agg(["mean", "size"])
    judged = rates[rates["size"] >= MIN_GROUP]
    best = float(judged["mean"].max()) if len(judged) else float("nan")
    by_group = {str(g): {"people": int(r["size"]), "rate": float(r["mean"]),
                         "impact_ratio": float(r["mean"] / best) if best > 0 else float("nan"),
                         "judged": bool(r["size"] >= MIN_GROUP)} for g, r in rates.iterrows()}
    passes = all(v["impact_ratio"] >= FOUR_FIFTHS for v in by_group.values() if v["judged"])
    return {"by_group": by_group, "passes": passes}


def recommended_with_good_chance(people: np.ndarray, p_listed: np.ndarray, threshold: float) -> pd.Series:
    """Per person (index): does their list hold an item with predicted P ≥ ``threshold``?"""
    return pd.Series(p_listed >= threshold).groupby(people).any()


def model_card(model: OutcomeModel, metrics: dict, fairness: dict) -> dict:
    """The model card: what is predicted, from what, what is never used, how it was chosen and how it
    does, overall and by group (``metrics`` and ``fairness`` as the caller measured them on the
    evaluation window)."""
    return {
        "predicts": "P(hired and still employed at 3 months | referral)",
        "estimator": model.kind_,
        # A pickled model loads reliably only under the scikit-learn version that fitted it.
        "scikit_learn": sklearn.__version__,
        "calibration": "isotonic, on the validation window",
        "features": list(FEATURES),
        "monotone_constraints": dict(MONOTONE) if model.kind_ == "gradient_boosting" else {},
        "never_features": sorted(PROTECTED),
        "selection_on_validation": model.selection_,
        "training_rows": model.n_train_, "validation_rows": model.n_validation_,
        "base_rate": model.base_rate_,
        "metrics": metrics,
        "fairness": fairness,
    }


__all__ = ["FOUR_FIFTHS", "MIN_GROUP", "four_fifths", "group_calibration", "model_card", "recommended_with_good_chance"]
