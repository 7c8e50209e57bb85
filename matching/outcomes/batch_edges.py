"""The outcome model's inputs for the batch allocator's candidate edges (issue 17, item 2).

The batch allocation ranks by the same expected benefit as one person's live list,
fit × P̂(lasting hire) / (1 + γ · c) (``matching.outcomes.objective``). For each (seeker, vacancy)
edge the model reads the matcher's numbers for that pair (``matching.batch.kernel.pair_features``)
and the vacancy's referral context as of the run's day, with the defaults one person's list uses
(``matching.outcomes.live.context_columns``): referrals already made to the vacancy, days since it
was posted and days until it closes.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from matching.outcomes.live import CONTEXT, context_columns
from matching.outcomes.model import FEATURES, OutcomeModel
from matching.outcomes.objective import expected_competition


def vacancy_context(vacancies: pd.DataFrame, as_of: date) -> dict[str, np.ndarray]:
    """Per vacancy row, (n_v,) floats (NaN = not recorded): ``referrals_so_far``, ``days_open``
    (≥ 0) and ``days_left`` as of ``as_of``, from the optional columns ``referrals_so_far``,
    ``posted_on`` and ``closes_on`` of a validated batch vacancy frame."""
    n = len(vacancies)

    def column(name: str, values) -> np.ndarray:
        return values(vacancies[name]) if name in vacancies.columns else np.full(n, np.nan)

    def days(dates: pd.Series) -> np.ndarray:
        return (pd.to_datetime(dates) - pd.Timestamp(as_of)).dt.days.to_numpy(dtype=float)

    return {"referrals_so_far": column("referrals_so_far", lambda x: pd.to_numeric(x).to_numpy(dtype=float)),
            "days_open": np.maximum(-column("posted_on", days), 0.0),
            "days_left": column("closes_on", days)}


def edge_inputs(pairs: dict[str, np.ndarray], vacancy: np.ndarray, hours_per_week: np.ndarray,
                openings: np.ndarray, context: dict[str, np.ndarray]) -> pd.DataFrame:
    """The model's ``FEATURES`` for edges, with the context columns they come from: ``pairs`` from
    ``pair_features`` (n_edges,), ``vacancy``
    the edges' vacancy positions, and per vacancy (n_v,) its weekly hours, openings and
    ``vacancy_context``."""
    v = np.asarray(vacancy, dtype=np.int64)
    cols = {name: pairs[name] for name in FEATURES if name in pairs}
    cols["hours_per_week"] = np.asarray(hours_per_week, dtype=float)[v]
    cols["openings"] = np.asarray(openings, dtype=float)[v]
    cols.update(context_columns(*(context[c][v] for c in CONTEXT), cols["openings"]))
    return pd.DataFrame(cols)


def edge_outcomes(model: OutcomeModel, pairs: dict[str, np.ndarray], vacancy: np.ndarray,
                  hours_per_week: np.ndarray, openings: np.ndarray, context: dict[str, np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(P̂(lasting hire), expected competing referrals per opening) per edge, (n_edges,) each, for
    ``matching.batch.allocation.allocate(..., p_lasting=, competition=)``."""
    rows = edge_inputs(pairs, vacancy, hours_per_week, openings, context)
    p = model.predict(rows) if len(rows) else np.zeros(0)
    return p, expected_competition(rows["referrals_so_far"], rows["days_open"], rows["days_left"], rows["openings"])


__all__ = ["edge_inputs", "edge_outcomes", "vacancy_context"]
