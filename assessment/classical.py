"""Classical test theory scoring of Likert-type scales: reverse keying, sum/mean scores, alpha, SEM, CIs.

Model: observed score X = T + E (Lord & Novick 1968, ch. 3). Per scale:

- reverse keying x' = max + min − x (e.g. 6 − x on a 1–5 scale);
- missing-item rule (parameterised per scale, default 80 %): a scale is scored only if at least
  ``ceil(min_answered · k)`` of its k items were answered; the mean is over the answered items and the sum
  is *mean-prorated*, sum = k · mean, so scores with and without a missing item share one metric
  (Schafer & Graham 2002 call this person-mean imputation; it is the usual rule in test manuals);
- Cronbach's (1951) alpha from pairwise-complete covariances (``psych::alpha`` raw alpha);
- SEM = SD · √(1 − reliability) (Lord & Novick 1968, eq. 3.8.4), in the sum metric and, divided by k, in
  the mean metric; SD and reliability come from the scale's reference values when given (a manual or norm
  sample), otherwise from the scored sample itself;
- confidence interval X ± z_{(1+c)/2} · SEM around the observed score, clipped to the possible range
  [k · min, k · max] (an interval beyond the scale's ends has no meaning).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from assessment.psychometrics._frame import check_columns, numeric_frame, pairwise_cov
from assessment.psychometrics.reliability import alpha_from_cov


@dataclass(frozen=True)
class ScaleSpec:
    """How one scale is scored.

    Parameters
    ----------
    name : str
        Scale identifier.
    items : sequence of str
        Column names of the scale's items (k ≥ 1).
    reverse : iterable of str
        Items keyed in the opposite direction (a subset of ``items``).
    min_value, max_value : float
        Lowest and highest response category (e.g. 1 and 5).
    min_answered : float
        Share of items (0 < share ≤ 1) that must be answered for the scale to be scored; default 0.8.
    reliability : float, optional
        Reference reliability (0…1) for the SEM; if None, alpha of the scored sample is used.
    sd_sum : float, optional
        Reference SD of the sum score for the SEM; if None, the SD of the scored sample is used.
    """

    name: str
    items: tuple[str, ...]
    reverse: frozenset[str] = field(default_factory=frozenset)
    min_value: float = 1.0
    max_value: float = 5.0
    min_answered: float = 0.8
    reliability: float | None = None
    sd_sum: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "reverse", frozenset(self.reverse))
        if not self.items:
            raise ValueError(f"scale {self.name!r}: items is empty; list the scale's item columns.")
        if len(set(self.items)) != len(self.items):
            raise ValueError(f"scale {self.name!r}: an item is listed twice.")
        unknown = self.reverse - set(self.items)
        if unknown:
            raise ValueError(f"scale {self.name!r}: reverse-keyed items {sorted(unknown)} are not in its items.")
        if not self.max_value > self.min_value:
            raise ValueError(f"scale {self.name!r}: max_value ({self.max_value}) must exceed min_value "
                             f"({self.min_value}).")
        if not 0 < self.min_answered <= 1:
            raise ValueError(f"scale {self.name!r}: min_answered={self.min_answered} must be a share in (0, 1].")
        if self.reliability is not None and not 0 <= self.reliability < 1:
            raise ValueError(f"scale {self.name!r}: reliability={self.reliability} must lie in [0, 1).")
        if self.sd_sum is not None and not self.sd_sum > 0:
            raise ValueError(f"scale {self.name!r}: sd_sum={self.sd_sum} must be positive.")

    @property
    def n_required(self) -> int:
        """Smallest number of answered items for which the scale is scored."""
        return max(1, math.ceil(self.min_answered * len(self.items) - 1e-9))


def reverse_key(values: np.ndarray | pd.DataFrame | pd.Series | float, min_value: float,
                max_value: float) -> np.ndarray | pd.DataFrame | pd.Series | float:
    """Reverse-key responses: max + min − x (NaN stays NaN). On a 1–6 scale 2 becomes 5."""
    return max_value + min_value - values


def _keyed_items(frame: pd.DataFrame, spec: ScaleSpec) -> pd.DataFrame:
    x = frame[list(spec.items)]
    outside = (x < spec.min_value) | (x > spec.max_value)
    if outside.to_numpy().any():
        col = x.columns[outside.any(axis=0).to_numpy()][0]
        row = int(np.nonzero(outside[col].to_numpy())[0][0])
        raise ValueError(f"scale {spec.name!r}: item {col!r} has the value {x[col].iloc[row]:g} at row {row + 1}, "
                         f"outside the categories {spec.min_value:g}–{spec.max_value:g}; fix the response or "
                         f"the scale's min_value/max_value.")
    rev = [c for c in spec.items if c in spec.reverse]
    if rev:
        x = x.copy()
        x[rev] = reverse_key(x[rev], spec.min_value, spec.max_value)
    return x


def keyed_items(data: pd.DataFrame, spec: ScaleSpec) -> pd.DataFrame:
    """The scale's items with reverse-keyed items reversed (validated), persons × k."""
    frame = numeric_frame(data, what=f"scale {spec.name!r} responses", min_rows=1, reject_constant=False)
    check_columns(frame, spec.items, what=f"scale {spec.name!r}")
    return _keyed_items(frame, spec)


def scale_alpha(data: pd.DataFrame, spec: ScaleSpec) -> float:
    """Cronbach's alpha of one scale after reverse keying (pairwise-complete, as ``psych::alpha``)."""
    x = keyed_items(data, spec)
    if len(spec.items) < 2:
        raise ValueError(f"scale {spec.name!r}: alpha needs at least 2 items.")
    c, _ = pairwise_cov(x.to_numpy())
    if np.isnan(c).any() or x.shape[0] < 3:
        raise ValueError(f"scale {spec.name!r}: too few complete pairs of answers to estimate alpha; "
                         f"give the scale a reference reliability.")
    return alpha_from_cov(c)


def _score_one(x: pd.DataFrame, spec: ScaleSpec, z: float) -> tuple[pd.DataFrame, dict[str, float]]:
    k = len(spec.items)
    answered = x.notna().sum(axis=1)
    scored = answered >= spec.n_required
    mean = x.mean(axis=1, skipna=True).where(scored)
    total = mean * k
    reliability = spec.reliability
    if reliability is None:
        if k < 2 or int(scored.sum()) < 3:
            raise ValueError(f"scale {spec.name!r}: its reliability cannot be estimated from "
                             f"{int(scored.sum())} scored person(s) and {k} item(s); give ScaleSpec.reliability.")
        c, _ = pairwise_cov(x[scored].to_numpy())
        reliability = alpha_from_cov(c) if not np.isnan(c).any() else float("nan")
    sd_sum = spec.sd_sum
    if sd_sum is None:
        if int(scored.sum()) < 3:
            raise ValueError(f"scale {spec.name!r}: its score SD cannot be estimated from fewer than 3 scored "
                             f"persons; give ScaleSpec.sd_sum.")
        sd_sum = float(total.std(skipna=True))
    # a negative alpha carries no error information; treat it as zero reliability rather than a NaN SEM
    sem_sum = sd_sum * math.sqrt(1.0 - min(max(reliability, 0.0), 1.0))
    lo_bound, hi_bound = k * spec.min_value, k * spec.max_value
    low = (total - z * sem_sum).clip(lower=lo_bound, upper=hi_bound)
    high = (total + z * sem_sum).clip(lower=lo_bound, upper=hi_bound)
    out = pd.DataFrame({
        "n_items": k, "n_answered": answered, "scored": scored,
        "sum": total, "mean": mean,
        "sem_sum": np.where(scored, sem_sum, np.nan), "ci_low_sum": low, "ci_high_sum": high,
        "sem_mean": np.where(scored, sem_sum / k, np.nan), "ci_low_mean": low / k, "ci_high_mean": high / k,
    }, index=x.index)
    return out, {"reliability": float(reliability), "sd_sum": float(sd_sum), "sem_sum": float(sem_sum)}


@dataclass(frozen=True)
class ClassicalScores:
    """Scale scores for a group of persons.

    Attributes
    ----------
    scores : dict[str, DataFrame]
        Per scale, one row per person: ``n_items``, ``n_answered``, ``scored`` (missing-item rule met),
        ``sum`` (prorated, k·min…k·max), ``mean`` (min…max), ``sem_sum``/``sem_mean`` and the CI bounds
        ``ci_low_sum``, ``ci_high_sum``, ``ci_low_mean``, ``ci_high_mean`` at ``confidence``.
    reliability, sd_sum, sem_sum : dict[str, float]
        The values used for each scale's SEM.
    confidence : float
    """

    scores: dict[str, pd.DataFrame]
    reliability: dict[str, float]
    sd_sum: dict[str, float]
    sem_sum: dict[str, float]
    confidence: float

    def wide(self, column: str = "sum") -> pd.DataFrame:
        """One column per scale holding ``column`` (e.g. ``"sum"`` or ``"mean"``)."""
        return pd.DataFrame({name: df[column] for name, df in self.scores.items()})


def score_scales(data: pd.DataFrame, scales: Sequence[ScaleSpec] | Mapping[str, ScaleSpec],
                 confidence: float = 0.95) -> ClassicalScores:
    """Score Likert scales for every person: reverse keying, missing-item rule, sum/mean, SEM and CI.

    Parameters
    ----------
    data : DataFrame, shape (n_persons, n_items)
        Raw responses, one column per item; empty cells are unanswered items.
    scales : sequence of ScaleSpec (or mapping name → ScaleSpec)
    confidence : float
        Coverage of the confidence intervals, 0 < c < 1 (default 0.95).

    Returns
    -------
    ClassicalScores

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 5, 3, 4], "b": [5, 1, 3, 2], "c": [2, 4, 3, None]})
    >>> spec = ScaleSpec("x", ["a", "b", "c"], reverse=["b"], min_answered=0.6, reliability=0.8, sd_sum=2.0)
    >>> score_scales(df, [spec]).scores["x"]["sum"].tolist()
    [4.0, 14.0, 9.0, 12.0]
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence}: give a coverage strictly between 0 and 1, e.g. 0.95.")
    specs = list(scales.values()) if isinstance(scales, Mapping) else list(scales)
    if not specs:
        raise ValueError("scales: empty; give at least one ScaleSpec.")
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"scales: duplicated scale names {names}.")
    frame = numeric_frame(data, what="responses", min_rows=1, reject_constant=False)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    scores, rel, sds, sems = {}, {}, {}, {}
    for spec in specs:
        check_columns(frame, spec.items, what=f"scale {spec.name!r}")
        x = _keyed_items(frame, spec)
        scores[spec.name], info = _score_one(x, spec, z)
        rel[spec.name], sds[spec.name], sems[spec.name] = info["reliability"], info["sd_sum"], info["sem_sum"]
    return ClassicalScores(scores=scores, reliability=rel, sd_sum=sds, sem_sum=sems, confidence=confidence)


def scale_specs_from_keys(keys: Mapping[str, Iterable[str]], min_value: float, max_value: float,
                          **kwargs: float) -> list[ScaleSpec]:
    """Build specs from psych-style keys: ``{"agree": ["-A1", "A2", …]}`` (a leading "−" marks reversal)."""
    specs = []
    for name, items in keys.items():
        items = list(items)
        plain = [i.lstrip("-") for i in items]
        rev = [i.lstrip("-") for i in items if i.startswith("-")]
        specs.append(ScaleSpec(name, tuple(plain), frozenset(rev), min_value, max_value, **kwargs))
    return specs
