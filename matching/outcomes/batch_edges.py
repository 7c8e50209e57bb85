"""The outcome model's inputs for the batch allocator's candidate edges (issue 17, item 2).

The batch allocation ranks by the same expected benefit as one person's live list,
fit × P̂(lasting hire) / (1 + γ · c) (``matching.outcomes.objective``). For each (seeker, vacancy)
edge the model reads the matcher's numbers for that pair (``matching.batch.kernel.pair_features``)
and the vacancy's referral context as of the run's day, built here exactly as
``matching.outcomes.live.candidate_features`` builds it for one person: referrals already made to
the vacancy (missing = 0), days since it was posted (missing = 0) and days until it closes
(missing = 30).
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from matching.outcomes.model import FEATURES, OutcomeModel
from matching.outcomes.objective import expected_competition

DAYS_LEFT_UNKNOWN = 30.0   # as ``candidate_features``: a vacancy with no closing day counts 30 days left


def vacancy_context(vacancies: pd.DataFrame, as_of: date) -> dict[str, np.ndarray]:
    """Per vacancy row, (n_v,) floats: ``referrals_so_far``, ``days_open`` (≥ 0) and ``days_left``
    as of ``as_of``, from the optional columns ``referrals_so_far``, ``posted_on`` and
    ``closes_on`` of a validated batch vacancy frame."""
    n = len(vacancies)
    day = pd.Timestamp(as_of)

    def days(col: str, sign: int) -> np.ndarray:
        if col not in vacancies.columns:
            return np.full(n, np.nan)
        delta = (pd.to_datetime(vacancies[col]) - day).dt.days.to_numpy(dtype=float)
        return sign * delta

    so_far = (pd.to_numeric(vacancies["referrals_so_far"]).to_numpy(dtype=float)
              if "referrals_so_far" in vacancies.columns else np.zeros(n))
    return {"referrals_so_far": np.nan_to_num(so_far, nan=0.0),
            "days_open": np.maximum(np.nan_to_num(days("posted_on", -1), nan=0.0), 0.0),
            "days_left": np.nan_to_num(days("closes_on", 1), nan=DAYS_LEFT_UNKNOWN)}


def edge_inputs(pairs: dict[str, np.ndarray], vacancy: np.ndarray, hours_per_week: np.ndarray,
                openings: np.ndarray, context: dict[str, np.ndarray]) -> pd.DataFrame:
    """The model's ``FEATURES`` for edges: ``pairs`` from ``pair_features`` (n_edges,), ``vacancy``
    the edges' vacancy positions, and per vacancy (n_v,) its weekly hours, openings and
    ``vacancy_context``."""
    v = np.asarray(vacancy, dtype=np.int64)
    cols = {name: pairs[name] for name in FEATURES if name in pairs}
    cols["hours_per_week"] = np.asarray(hours_per_week, dtype=float)[v]
    cols["openings"] = np.asarray(openings, dtype=float)[v]
    cols["days_open"] = context["days_open"][v]
    cols["referrals_per_opening"] = context["referrals_so_far"][v] / np.maximum(cols["openings"], 1.0)
    return pd.DataFrame(cols)[list(FEATURES)]


def edge_outcomes(model: OutcomeModel, pairs: dict[str, np.ndarray], vacancy: np.ndarray,
                  hours_per_week: np.ndarray, openings: np.ndarray, context: dict[str, np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(P̂(lasting hire), expected competing referrals per opening) per edge, (n_edges,) each, for
    ``matching.batch.allocation.allocate(..., p_lasting=, competition=)``."""
    v = np.asarray(vacancy, dtype=np.int64)
    p = model.predict(edge_inputs(pairs, v, hours_per_week, openings, context)) if v.size else np.zeros(0)
    c = expected_competition(context["referrals_so_far"][v], context["days_open"][v], context["days_left"][v],
                             np.asarray(openings, dtype=float)[v])
    return p, c


__all__ = ["DAYS_LEFT_UNKNOWN", "edge_inputs", "edge_outcomes", "vacancy_context"]
