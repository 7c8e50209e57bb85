"""Ranking by expected benefit: fit × P(lasting hire) with a congestion term (issue 17, item 2).

    benefit = (total / 100) · p_lasting / (1 + γ · c)

``total`` is the matcher's 0–100 fit (the person's utility, as in the "expected surplus" ranking
of the field experiment the issue cites), ``p_lasting`` the outcome model's P(hired and still
employed at 3 months), and c the expected competing referrals per opening over the vacancy's
remaining window (``expected_competition``). The model already lowers ``p_lasting`` for the
referrals made so far; the γ term also counts the ones still to come and the competition this
referral adds for others, which pure hire-probability ranking ignores (it piles everyone onto the
same easy vacancies). γ = ``DEFAULT_CONGESTION_WEIGHT``.

Two uses: ``rerank`` orders the matcher's eligible candidates for one person (the single-profile
path); ``allocation_weights`` gives the batch allocator a benefit per (person, vacancy) edge in the
same units. The hand-set ranking (order by ``total``) stays available: callers without an active
model never call this module.
"""
from __future__ import annotations

import numpy as np

DEFAULT_CONGESTION_WEIGHT = 0.05


def expected_competition(referrals_so_far: np.ndarray, days_open: np.ndarray, days_left: np.ndarray,
                         openings: np.ndarray) -> np.ndarray:
    """Expected referrals per opening by the time the vacancy closes: the ones so far plus the
    same daily rate over the days left (days ≥ 1; openings ≥ 1)."""
    so_far = np.asarray(referrals_so_far, dtype=float)
    rate = so_far / np.maximum(np.asarray(days_open, dtype=float), 1.0)
    left = np.maximum(np.nan_to_num(np.asarray(days_left, dtype=float), nan=0.0), 0.0)
    return (so_far + rate * left) / np.maximum(np.asarray(openings, dtype=float), 1.0)


def expected_benefit(total: np.ndarray, p_lasting: np.ndarray, competition: np.ndarray,
                     congestion_weight: float = DEFAULT_CONGESTION_WEIGHT) -> np.ndarray:
    """fit × P(lasting hire) / (1 + γ · competition); total 0–100, p in [0, 1] → benefit in [0, 1]."""
    if congestion_weight < 0:
        raise ValueError("the congestion weight must be ≥ 0")
    return (np.asarray(total, dtype=float) / 100.0) * np.asarray(p_lasting, dtype=float) \
        / (1.0 + congestion_weight * np.asarray(competition, dtype=float))


def rerank(total: np.ndarray, p_lasting: np.ndarray, competition: np.ndarray, k: int,
           congestion_weight: float = DEFAULT_CONGESTION_WEIGHT) -> np.ndarray:
    """Indices of the k candidates with the highest expected benefit, best first; ties keep the
    hand-set order (higher total, then position)."""
    b = expected_benefit(total, p_lasting, competition, congestion_weight)
    return np.lexsort((np.arange(len(b)), -np.asarray(total, dtype=float), -b))[:k]


def allocation_weights(total: np.ndarray, p_lasting: np.ndarray, competition: np.ndarray,
                       congestion_weight: float = DEFAULT_CONGESTION_WEIGHT) -> np.ndarray:
    """Benefit per (person, vacancy) edge for the batch allocator, same shape as ``total``, scaled
    back to 0–100 so it can stand where the allocator reads the fit total."""
    return 100.0 * expected_benefit(total, p_lasting, competition, congestion_weight)


__all__ = ["DEFAULT_CONGESTION_WEIGHT", "allocation_weights", "expected_benefit", "expected_competition", "rerank"]
