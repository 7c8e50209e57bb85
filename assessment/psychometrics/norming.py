"""Norm tables from a centre's own data: smoothed percentile distributions by norm group.

For each scale and norm group the cumulative distribution is tabulated as mid-p percentile ranks,
P(x) = 100 · (F(x⁻) + f(x)/2) / n (Angoff 1984; half of the tied persons count as below), after optional
smoothing:

- ``"loglinear"`` (integer scores): polynomial log-linear presmoothing of the score frequencies over the full
  integer range, degree C (default 4), which preserves the first C moments of the observed distribution
  (Holland & Thayer 2000, *J. Educ. Behav. Stat.* 25; the standard presmoothing in test equating). Fitted
  as a Poisson GLM.
- ``"kernel"`` (continuous scores, e.g. θ): Gaussian-kernel smoothed CDF, F̂(x) = mean Φ((x − x_i)/h),
  bandwidth h by Silverman's rule 0.9 · min(SD, IQR/1.34) · n^(−1/5) (Silverman 1986, eq. 3.31); tabulated on
  201 points from the group minimum to maximum. A continuous CDF has no ties, so mid-p is automatic.
- ``"none"``: the raw mid-p ranks at every observed score.
- ``"auto"`` (default): loglinear when every score is a whole number spanning at most 200 points, else kernel.

Minimum group size: a group with fewer than ``min_group_size`` persons is either refused
(``small_groups="refuse"``, a ``ValueError`` listing the groups) or merged (``"merge"``, default): its
persons are pooled with those that share all but the *last* group key, which becomes ``*``; this repeats key
by key until the pooled group is large enough. An all-``*`` group for the whole sample is always added when
it is large enough, as the fallback for people whose group is not in the table. Lookup in
``assessment.norms`` prefers the most specific matching group, so merged groups serve exactly the people
whose own group was too small.

The table's version id is a content hash (``assessment.norms.content_version``).
"""
from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from assessment.norms import ANY, NormTable

Smoothing = Literal["auto", "loglinear", "kernel", "none"]


def _mid_p(values: np.ndarray, freq: np.ndarray) -> np.ndarray:
    n = freq.sum()
    below = np.concatenate([[0.0], np.cumsum(freq)[:-1]])
    return 100.0 * (below + freq / 2.0) / n


def _loglinear(x: np.ndarray, degree: int) -> tuple[np.ndarray, np.ndarray]:
    import statsmodels.api as sm

    lo, hi = int(x.min()), int(x.max())
    grid = np.arange(lo, hi + 1, dtype=float)
    freq = np.bincount((x - lo).astype(int), minlength=len(grid)).astype(float)
    degree = max(1, min(degree, len(grid) - 1))
    # standardised powers keep the design well conditioned
    u = (grid - grid.mean()) / (grid.std() or 1.0)
    design = np.column_stack([u**p for p in range(degree + 1)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.GLM(freq, design, family=sm.families.Poisson()).fit()
    smooth = fit.fittedvalues
    return grid, _mid_p(grid, smooth)


def _kernel(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(x)
    sd = x.std(ddof=1)
    iqr = np.subtract(*np.percentile(x, [75, 25]))
    spread = min(sd, iqr / 1.34) if iqr > 0 else sd
    h = 0.9 * spread * n ** (-0.2)
    grid = np.linspace(x.min(), x.max(), 201)
    cdf = np.empty_like(grid)
    for start in range(0, len(grid), 50):   # blocks bound the n × grid memory
        block = grid[start:start + 50]
        cdf[start:start + 50] = stats.norm.cdf((block[:, None] - x[None, :]) / h).mean(axis=1)
    return grid, 100.0 * cdf


def tabulate(x: np.ndarray, smoothing: Smoothing = "auto", degree: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Score grid and mid-p percentile ranks (0 < P < 100, non-decreasing) of one group's scores."""
    whole = np.all(np.abs(x - np.round(x)) < 1e-9)
    if smoothing == "auto":
        smoothing = "loglinear" if whole and (x.max() - x.min()) <= 200 else "kernel"
    if smoothing == "loglinear" and not whole:
        raise ValueError("build_norms: smoothing='loglinear' needs whole-number scores; use 'kernel' for θ.")
    if smoothing == "loglinear":
        grid, pct = _loglinear(np.round(x), degree)
    elif smoothing == "kernel":
        grid, pct = _kernel(x)
    else:
        grid, freq = np.unique(x, return_counts=True)
        pct = _mid_p(grid, freq.astype(float))
    pct = np.maximum.accumulate(np.clip(pct, 1e-3, 100 - 1e-3))
    return grid, pct


def _key_tuple(row: dict[str, str], keys: list[str], level: int) -> tuple[str, ...]:
    return tuple(row[k] if i < level else ANY for i, k in enumerate(keys))


def build_norms(scores: pd.DataFrame | pd.Series, groups: pd.DataFrame | pd.Series | None = None, *,
                min_group_size: int = 100, smoothing: Smoothing = "auto", degree: int = 4,
                small_groups: Literal["merge", "refuse"] = "merge",
                method: Literal["tabulated", "normal"] = "tabulated") -> NormTable:
    """Build a versioned norm table (percentile / T / stanine by group) from local data.

    Parameters
    ----------
    scores : DataFrame (persons × scales) or Series (one scale, named by the Series name)
        Raw scores or θ; NaN = not scored (left out of that scale's norms).
    groups : DataFrame (persons × group keys) or Series, optional
        Norm-group labels, e.g. ``age_band`` and ``education``, most important key first; None = one group.
    min_group_size : int
        Smallest group that gets its own norms (≥ 10; default 100).
    smoothing : {"auto", "loglinear", "kernel", "none"}
    degree : int
        Polynomial degree of the loglinear presmoothing (moments preserved), 1…10; default 4.
    small_groups : {"merge", "refuse"}
    method : {"tabulated", "normal"}
        ``normal`` writes only mean/SD per group (linear T, normal-curve percentiles).

    Returns
    -------
    NormTable
        ``.frame`` is the table to save as CSV; ``.version`` its content-hash id.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> s = pd.Series(rng.binomial(30, 0.5, 600), name="verbal")
    >>> g = pd.Series(rng.choice(["18-29", "30-44"], 600), name="age_band")
    >>> table = build_norms(s, g, min_group_size=200)
    >>> sorted(table.frame["age_band"].unique())
    ['*', '18-29', '30-44']
    """
    if isinstance(scores, pd.Series):
        scores = scores.to_frame(name=scores.name if scores.name is not None else "score")
    if not isinstance(scores, pd.DataFrame) or scores.shape[1] == 0:
        raise ValueError("build_norms scores: give a DataFrame with one column per scale (or a Series).")
    if min_group_size < 10:
        raise ValueError(f"min_group_size={min_group_size}: norms from fewer than 10 persons are meaningless; "
                         f"use at least 10 (100 or more is usual).")
    if smoothing not in ("auto", "loglinear", "kernel", "none"):
        raise ValueError(f"smoothing={smoothing!r}: use 'auto', 'loglinear', 'kernel' or 'none'.")
    if small_groups not in ("merge", "refuse"):
        raise ValueError(f"small_groups={small_groups!r}: use 'merge' or 'refuse'.")
    if method not in ("tabulated", "normal"):
        raise ValueError(f"method={method!r}: use 'tabulated' or 'normal'.")
    if not 1 <= degree <= 10:
        raise ValueError(f"degree={degree}: use a polynomial degree between 1 and 10.")
    numeric = {}
    for col in scores.columns:
        conv = pd.to_numeric(scores[col], errors="coerce")
        bad = conv.isna() & scores[col].notna()
        if bad.any():
            row = int(np.nonzero(bad.to_numpy())[0][0])
            raise ValueError(f"build_norms scores: column {col!r} has a non-numeric value "
                             f"{scores[col].iloc[row]!r} at row {row + 1}.")
        numeric[str(col)] = conv.astype(float)
    scores = pd.DataFrame(numeric, index=scores.index)
    if groups is None:
        groups = pd.DataFrame(index=scores.index)
    elif isinstance(groups, pd.Series):
        groups = groups.to_frame(name=groups.name if groups.name is not None else "group")
    if len(groups) != len(scores):
        raise ValueError(f"build_norms groups: {len(groups)} rows for {len(scores)} persons; one row per person.")
    keys = [str(k) for k in groups.columns]
    clash = [k for k in keys if k in ("norm_version", "scale", "method", "mean", "sd", "n", "score", "percentile")]
    if clash:
        raise ValueError(f"build_norms groups: key name(s) {clash} are reserved table columns; rename them.")
    if groups.isna().any().any():
        col = groups.columns[groups.isna().any().to_numpy()][0]
        raise ValueError(f"build_norms groups: column {col!r} has missing labels; fill them or drop those persons.")
    labels = groups.astype(str).set_axis(keys, axis=1)
    if (labels == ANY).any().any():
        raise ValueError(f"build_norms groups: the label {ANY!r} is reserved for 'any value'.")

    rows: list[dict] = []
    for scale in scores.columns:
        x_all = scores[scale]
        ok = x_all.notna().to_numpy()
        if ok.sum() < min_group_size:
            raise ValueError(f"build_norms: scale {scale!r} has {int(ok.sum())} scored persons, fewer than "
                             f"min_group_size={min_group_size}; collect more data or lower min_group_size.")
        lab = labels[ok].to_dict(orient="records")
        x = x_all.to_numpy()[ok]
        if x.max() == x.min():
            raise ValueError(f"build_norms: scale {scale!r} is constant ({x[0]:g}); it cannot be normed.")
        groups_needed: dict[tuple[str, ...], np.ndarray] = {}
        by_level = [pd.Series([_key_tuple(r, keys, level) for r in lab]) for level in range(len(keys) + 1)]
        too_small = []
        for full in sorted(set(by_level[len(keys)])):
            level, key = len(keys), full
            members = (by_level[level] == key).to_numpy()
            while members.sum() < min_group_size and level > 0:
                if small_groups == "refuse":
                    too_small.append((full, int(members.sum())))
                    break
                level -= 1
                key = _key_tuple(dict(zip(keys, full)), keys, level)
                members = (by_level[level] == key).to_numpy()
            groups_needed.setdefault(key, members)
        if too_small:
            listing = "; ".join(f"{dict(zip(keys, k))}: {n}" for k, n in too_small)
            raise ValueError(f"build_norms: scale {scale!r} has norm groups below min_group_size="
                             f"{min_group_size} ({listing}); merge categories, collect more data or use "
                             f"small_groups='merge'.")
        groups_needed.setdefault(tuple(ANY for _ in keys), np.ones(len(x), dtype=bool))
        for key, members in groups_needed.items():
            xs = x[members]
            base = {"scale": scale, **dict(zip(keys, key)), "mean": float(xs.mean()),
                    "sd": float(xs.std(ddof=1)), "n": int(len(xs))}
            if method == "normal":
                rows.append({**base, "method": "normal", "score": np.nan, "percentile": np.nan})
                continue
            grid, pct = tabulate(xs, smoothing, degree)
            keep = np.concatenate([[True], np.diff(grid) > 0])
            for sc, p in zip(grid[keep], pct[keep]):
                rows.append({**base, "method": "tabulated", "score": float(sc), "percentile": float(p)})
    frame = pd.DataFrame(rows)
    frame = frame[["scale", *keys, "method", "mean", "sd", "n", "score", "percentile"]]
    return NormTable(frame)
