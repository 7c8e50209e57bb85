"""Off-policy estimates of hires@k / lasting-hires@k of a new ranking from logged exploration.

Item-level estimators for unordered top-k lists (Li et al. 2018, "Offline evaluation of ranking
policies with click models"; the item-position model without position effects): the value of a
target policy π is V(π) = E_i Σ_{v ∈ π_k(i)} r(i, v). With the logging propensity
p(i, v) = P(v shown to i) > 0 for every candidate (``matching.outcomes.exploration``):

- IPS: V̂ = 1/N Σ_i Σ_{v logged for i} 1[v ∈ π_k(i)] r / p  (Horvitz & Thompson 1952);
- self-normalised IPS: the same sum divided by Σ_i Σ_v 1[v ∈ π_k(i)] / p, times Σ_i |π_k(i)|
  (the weights' expectation; Swaminathan & Joachims 2015);
- doubly robust: V̂ = 1/N Σ_i [Σ_{v ∈ π_k(i)} q̂(i, v) + Σ_{v logged} 1[v ∈ π_k(i)] (r − q̂) / p]
  with q̂ an outcome model fitted on *other* data (Dudík et al. 2011).

Intervals: percentile bootstrap over people (people are the independent units; a person's items
share the person's unobserved traits), ``n_boot`` resamples.

What it estimates: the target's value with every other person's list as logged (no interference).
When the new ranking is deployed, congestion changes with it; that is a different number, which
the benchmark reports next to this one.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Estimate:
    """A per-person mean with a bootstrap interval (``level``, default 95 %)."""

    value: float
    low: float
    high: float

    def covers(self, x: float) -> bool:
        return self.low <= x <= self.high

    def as_dict(self) -> dict[str, float]:
        return {"value": self.value, "low": self.low, "high": self.high}


def _bootstrap(num: np.ndarray, den: np.ndarray | None, scale: float, n_boot: int, level: float,
               rng: np.random.Generator) -> Estimate:
    n = len(num)
    value = num.sum() / (den.sum() if den is not None else n) * scale
    idx = rng.integers(0, n, (n_boot, n))
    boots = num[idx].sum(1) / (den[idx].sum(1) if den is not None else n) * scale
    lo, hi = np.quantile(boots, [(1 - level) / 2, (1 + level) / 2])
    return Estimate(float(value), float(lo), float(hi))


def estimate(logged: pd.DataFrame, target_items: pd.DataFrame, reward: str, *, q_hat: str | None = None,
             n_boot: int = 2000, level: float = 0.95, seed: int = 0) -> dict[str, Estimate]:
    """IPS, self-normalised IPS and (when ``q_hat`` is given) doubly robust estimates of the
    target policy's reward@k per person.

    ``logged``: the shown rows of the logging run, columns ``person``, ``vacancy``, ``propensity``,
    ``reward`` (0/1 outcome) and, for DR, ``q_hat`` (predicted reward). ``target_items``: the
    target policy's lists for the same people, columns ``person``, ``vacancy`` (and ``q_hat`` for
    DR), one row per listed item; every person of ``logged`` must appear there.
    """
    people = np.unique(target_items["person"].to_numpy())
    pos = pd.Series(np.arange(len(people)), index=people)
    missing = np.setdiff1d(logged["person"].unique(), people)
    if missing.size:
        raise ValueError(f"{missing.size} logged people have no target list")
    key = pd.MultiIndex.from_frame(target_items[["person", "vacancy"]])
    hit = pd.MultiIndex.from_frame(logged[["person", "vacancy"]]).isin(key)
    p = logged["propensity"].to_numpy(dtype=float)
    if (p <= 0).any() or np.isnan(p).any():
        raise ValueError("every logged item needs a propensity in (0, 1]")
    i = pos[logged["person"].to_numpy()].to_numpy()
    w = hit / p
    r = logged[reward].to_numpy(dtype=float)
    n = len(people)
    ips_i = np.bincount(i, weights=w * r, minlength=n)
    w_i = np.bincount(i, weights=w, minlength=n)
    size_i = np.bincount(pos[target_items["person"].to_numpy()].to_numpy(), minlength=n).astype(float)
    rng = np.random.default_rng(seed)
    out = {"ips": _bootstrap(ips_i, None, 1.0, n_boot, level, rng),
           # Σ_i |π(i)| / N rescales the self-normalised mean back to "per person".
           "snips": _bootstrap(ips_i, w_i, size_i.mean(), n_boot, level, rng)}
    if q_hat is not None:
        direct = np.bincount(pos[target_items["person"].to_numpy()].to_numpy(),
                             weights=target_items[q_hat].to_numpy(dtype=float), minlength=n)
        resid = np.bincount(i, weights=w * (r - logged[q_hat].to_numpy(dtype=float)), minlength=n)
        out["dr"] = _bootstrap(direct + resid, None, 1.0, n_boot, level, rng)
    return out


__all__ = ["Estimate", "estimate"]
