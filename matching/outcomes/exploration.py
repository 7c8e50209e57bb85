"""Randomised exploration of list positions with exact propensities (issue 17, item 3).

Scheme (a slot-wise ε-greedy slate, after Li et al. 2010 and Swaminathan et al. 2017 for the
item-level off-policy estimators it feeds): of the k positions of a list, X ~ Binomial(k, ε) are
exploration positions. The list holds the policy's top k − X items and X items drawn uniformly
without replacement from the rest of the candidates (the eligible, reasonably fitting items the
caller passes). With m candidates and the policy rank r (1-based), the chance that an item is
shown is

    P(shown | r) = Σ_x Binom(x; k, ε) · [1 if r ≤ k − x else x / (m − k + x)],

which every shown item carries as its ``propensity`` (a probability in (0, 1]). With m ≤ k every
candidate is shown with propensity 1 and nothing is explored. Exploration items take the positions
drawn for them; the rest keep the policy's order.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

DEFAULT_EXPLORATION_SHARE = 0.10


def inclusion_probabilities(m: int, k: int, share: float) -> np.ndarray:
    """P(shown) for each policy rank 1…m, shape (m,); 1 for every rank when m ≤ k or share = 0."""
    if not 0.0 <= share < 1.0:
        raise ValueError("the exploration share must be in [0, 1)")
    ranks = np.arange(1, m + 1)
    if m <= k or share == 0.0:
        return np.ones(m) if m <= k else (ranks <= k).astype(float)
    x = np.arange(k + 1)
    px = binom.pmf(x, k, share)                                   # (k+1,)
    greedy = ranks[None, :] <= (k - x)[:, None]                   # (k+1, m)
    drawn = np.where(greedy, 1.0, x[:, None] / (m - k + x[:, None]))
    return px @ drawn


@dataclass(frozen=True)
class Slate:
    """A shown list: candidate indices in display order, which positions were exploration, and
    each shown item's propensity (its ``inclusion_probabilities`` value)."""

    items: np.ndarray
    exploration: np.ndarray
    propensity: np.ndarray


def explore(order: np.ndarray, k: int, share: float, rng: np.random.Generator) -> Slate:
    """The shown list of at most k items from ``order`` (candidate indices sorted by the policy,
    best first), with ``share`` of the positions explored (see the module docstring)."""
    m = len(order)
    p = inclusion_probabilities(m, k, share)
    if m <= k or share == 0.0:
        n = min(m, k)
        return Slate(order[:n].copy(), np.zeros(n, dtype=bool), p[:n].copy())
    slots = rng.random(k) < share
    x = int(slots.sum())
    rest = rng.choice(np.arange(k - x, m), size=x, replace=False)  # policy ranks k−x+1 … m, 0-based
    ranks = np.empty(k, dtype=int)
    ranks[~slots] = np.arange(k - x)
    ranks[slots] = rest
    return Slate(order[ranks], slots.copy(), p[ranks])


__all__ = ["DEFAULT_EXPLORATION_SHARE", "Slate", "explore", "inclusion_probabilities"]
