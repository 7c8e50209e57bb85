"""Norm-referenced scores: raw or θ → percentile, T-score and stanine by norm group, each with its CI.

Conversions (Angoff 1984, *Scales, Norms and Equivalent Scores*; Crocker & Algina 1986, ch. 19):

- ``normal`` norms (mean, SD of the norm group): z = (x − mean)/SD, percentile = 100 · Φ(z), linear T = 50 + 10z.
- ``tabulated`` norms (the group's cumulative distribution as mid-p percentiles, see below): percentile by
  linear interpolation between tabulated scores (clamped to the table's ends), normalised
  T = 50 + 10 · Φ⁻¹(percentile/100), with the percentile held inside [0.1, 99.9] so T stays finite
  (≈ 19.1…80.9).
- Stanine from the percentile with cuts at 4, 11, 23, 40, 60, 77, 89, 96 (stanine = 1 + number of cuts ≤ P).
- Uncertainty: the interval x ± z_{(1+c)/2} · SE in the raw/θ metric is mapped through the same monotone
  conversion, so every converted score carries a CI in its own metric (Angoff 1984; the end points of a
  monotone transform of an interval bound the transformed quantity).

Norm table format (one long table, CSV-serialisable, one row per line)
--------------------------------------------------------------------
=================  =====================================================================================
column             meaning
=================  =====================================================================================
``norm_version``   version id of the table (same on every row), e.g. ``norms-3f9c0a1b2d4e``
``scale``          scale identifier the row applies to
*group keys*       any further text columns (e.g. ``age_band``, ``education``); ``*`` means "any value"
``method``         ``normal`` or ``tabulated``
``mean``, ``sd``   norm-group mean and SD in the raw/θ metric (required for ``normal``)
``n``              norm-group size
``score``          (``tabulated`` only) a raw/θ value, ascending within a group
``percentile``     (``tabulated`` only) mid-p percentile rank of ``score`` in the group, 0 < P < 100:
                   100 · (F(x⁻) + f(x)/2) / n — half of the persons with exactly that score count as below
=================  =====================================================================================

A ``normal`` group has one row; a ``tabulated`` group has one row per tabulated score. Lookup takes the row
group whose keys match the person's exactly; a key the table sets to ``*`` matches anything; among matching
groups the most specific (fewest ``*``) wins. ``assessment.psychometrics.norming.build_norms`` writes tables
in this format.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

RESERVED = ("norm_version", "scale", "method", "mean", "sd", "n", "score", "percentile")
ANY = "*"
STANINE_CUTS = np.array([4.0, 11.0, 23.0, 40.0, 60.0, 77.0, 89.0, 96.0])
_P_CLIP = (0.1, 99.9)


def stanine_from_percentile(percentile: np.ndarray | float) -> np.ndarray:
    """Stanine 1…9 from a percentile rank 0…100 (cuts at 4, 11, 23, 40, 60, 77, 89, 96)."""
    p = np.asarray(percentile, dtype=float)
    out = 1 + np.searchsorted(STANINE_CUTS, p, side="right")
    return np.where(np.isnan(p), np.nan, out)


def t_from_percentile(percentile: np.ndarray | float) -> np.ndarray:
    """Normalised T-score 50 + 10·Φ⁻¹(P/100), P clipped to [0.1, 99.9]."""
    p = np.clip(np.asarray(percentile, dtype=float), *_P_CLIP)
    return 50.0 + 10.0 * stats.norm.ppf(p / 100.0)


def content_version(frame: pd.DataFrame) -> str:
    """Version id of a norm table: ``norms-`` + first 12 hex digits of SHA-256 over its canonical CSV text
    (the ``norm_version`` column excluded, rows sorted), so equal content gives an equal id."""
    body = frame.drop(columns=["norm_version"], errors="ignore")
    body = body[sorted(body.columns)]
    body = body.sort_values(list(body.columns), kind="stable", na_position="first").reset_index(drop=True)
    text = body.to_csv(index=False, float_format="%.10g", lineterminator="\n")
    return "norms-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class NormGroup:
    """One scale's norms for one group: ``normal`` (mean/SD) or ``tabulated`` (score → percentile)."""

    scale: str
    keys: dict[str, str]
    method: str
    mean: float
    sd: float
    n: float
    scores: np.ndarray
    percentiles: np.ndarray

    def percentile(self, x: np.ndarray) -> np.ndarray:
        """Percentile rank(s) 0…100 of raw/θ value(s) ``x``."""
        if self.method == "normal":
            return 100.0 * stats.norm.cdf((x - self.mean) / self.sd)
        return np.interp(x, self.scores, self.percentiles)

    def t_score(self, x: np.ndarray) -> np.ndarray:
        """T-score(s): linear for normal norms, normalised for tabulated norms."""
        if self.method == "normal":
            return 50.0 + 10.0 * (x - self.mean) / self.sd
        return t_from_percentile(self.percentile(x))

    @property
    def label(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.keys.items()) or ANY


class NormTable:
    """A validated norm table (see the module docstring for the format).

    Parameters
    ----------
    frame : DataFrame
        The table in long format; ``norm_version`` may be absent, in which case the content hash is used.

    Attributes
    ----------
    frame : DataFrame
        The table with its ``norm_version`` column filled.
    version : str
    group_keys : list[str]
        Group key columns, in table order.
    scales : list[str]
    """

    def __init__(self, frame: pd.DataFrame):
        if not isinstance(frame, pd.DataFrame):
            raise ValueError("norm table: give a pandas DataFrame (e.g. read from the table's CSV).")
        for col in ("scale", "method"):
            if col not in frame.columns:
                raise ValueError(f"norm table: required column {col!r} is missing; columns are "
                                 f"{list(frame.columns)}.")
        frame = frame.copy()
        self.group_keys = [c for c in frame.columns if c not in RESERVED]
        for col in ("mean", "sd", "n", "score", "percentile"):
            if col not in frame.columns:
                frame[col] = np.nan
            frame[col] = pd.to_numeric(frame[col], errors="raise")
        frame["scale"] = frame["scale"].astype(str)
        for key in self.group_keys:
            frame[key] = frame[key].fillna(ANY).astype(str)
        bad = ~frame["method"].isin(["normal", "tabulated"])
        if bad.any():
            raise ValueError(f"norm table: method {frame.loc[bad, 'method'].iloc[0]!r} at row "
                             f"{int(np.nonzero(bad.to_numpy())[0][0]) + 1}; use 'normal' or 'tabulated'.")
        self._groups: dict[str, list[NormGroup]] = {}
        for (scale, *keys), rows in frame.groupby(["scale", *self.group_keys], sort=False, dropna=False):
            self._groups.setdefault(scale, []).append(self._make_group(scale, dict(zip(self.group_keys, keys)),
                                                                       rows))
        if "norm_version" not in frame.columns or frame["norm_version"].isna().all():
            frame["norm_version"] = content_version(frame)
        versions = frame["norm_version"].astype(str).unique()
        if len(versions) != 1:
            raise ValueError(f"norm table: several norm_version values {list(versions)[:5]}; a table has one.")
        self.version = str(versions[0])
        frame["norm_version"] = self.version
        self.frame = frame[["norm_version", "scale", *self.group_keys, "method", "mean", "sd", "n", "score",
                            "percentile"]]
        self.scales = list(self._groups)

    @staticmethod
    def _make_group(scale: str, keys: dict[str, str], rows: pd.DataFrame) -> NormGroup:
        where = f"norm table scale {scale!r} group {keys or ANY}"
        methods = rows["method"].unique()
        if len(methods) != 1:
            raise ValueError(f"{where}: mixes methods {list(methods)}; a group is either normal or tabulated.")
        method = str(methods[0])
        mean, sd, n = (float(rows[c].iloc[0]) for c in ("mean", "sd", "n"))
        if method == "normal":
            if len(rows) != 1:
                raise ValueError(f"{where}: a normal group has exactly one row, found {len(rows)}.")
            if not np.isfinite(mean) or not np.isfinite(sd) or sd <= 0:
                raise ValueError(f"{where}: normal norms need a finite mean and a positive sd.")
            return NormGroup(scale, keys, method, mean, sd, n, np.empty(0), np.empty(0))
        scores = rows["score"].to_numpy(float)
        pct = rows["percentile"].to_numpy(float)
        if len(rows) < 2 or np.isnan(scores).any() or np.isnan(pct).any():
            raise ValueError(f"{where}: tabulated norms need at least 2 rows with both score and percentile.")
        order = np.argsort(scores, kind="stable")
        scores, pct = scores[order], pct[order]
        if np.any(np.diff(scores) <= 0):
            raise ValueError(f"{where}: tabulated scores must be distinct.")
        if np.any(np.diff(pct) < 0) or pct.min() <= 0 or pct.max() >= 100:
            raise ValueError(f"{where}: percentiles must rise with the score and lie strictly between 0 and 100.")
        return NormGroup(scale, keys, method, mean, sd, n, scores, pct)

    def lookup(self, scale: str, group: Mapping[str, object] | None = None) -> NormGroup:
        """The most specific norm group of ``scale`` that matches ``group`` (keys → values)."""
        if scale not in self._groups:
            raise ValueError(f"norm table {self.version}: no norms for scale {scale!r}; it has {self.scales}.")
        group = {k: str(v) for k, v in (group or {}).items()}
        best, best_rank = None, -1
        for g in self._groups[scale]:
            ok = all(v == ANY or group.get(k) == v for k, v in g.keys.items())
            rank = sum(v != ANY for v in g.keys.values())
            if ok and rank > best_rank:
                best, best_rank = g, rank
        if best is None:
            raise ValueError(f"norm table {self.version}: no norm group of scale {scale!r} matches {group}; "
                             f"add a group with '*' keys as a fallback.")
        return best


def convert_scores(table: NormTable, scale: str, scores: np.ndarray | pd.Series | list[float],
                   se: np.ndarray | pd.Series | list[float] | float | None = None,
                   groups: pd.DataFrame | Mapping[str, object] | None = None,
                   confidence: float = 0.95) -> pd.DataFrame:
    """Convert raw or θ scores to percentile, T and stanine with confidence intervals in each metric.

    Parameters
    ----------
    table : NormTable
    scale : str
        Scale whose norms to use.
    scores : array-like, shape (n,)
        Raw scores or θ (logits); NaN stays NaN.
    se : float or array-like, shape (n,), optional
        Standard error of each score in the same metric (SEM or SE(θ)); without it no CIs are given.
    groups : DataFrame (n rows, one column per group key) or a single mapping for all persons, optional
    confidence : float
        CI coverage 0 < c < 1.

    Returns
    -------
    DataFrame with ``score``, ``se``, ``percentile`` (0…100), ``t`` (T metric, 50/10), ``stanine`` (1…9),
    each with ``_low``/``_high`` CI bounds; ``z``; ``norm_group``; ``norm_version``.

    Examples
    --------
    >>> tab = NormTable(pd.DataFrame({"scale": ["x"], "method": ["normal"], "mean": [20.0], "sd": [5.0]}))
    >>> convert_scores(tab, "x", [25.0], se=2.0)[["t", "stanine"]].round(1).values.tolist()
    [[60.0, 7.0]]
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence={confidence}: give a coverage strictly between 0 and 1, e.g. 0.95.")
    index = scores.index if isinstance(scores, pd.Series) else None
    x = np.asarray(scores, dtype=float)
    if x.ndim != 1:
        raise ValueError("convert_scores: scores must be one value per person (1-D).")
    if se is None:
        s = np.full_like(x, np.nan)
    else:
        s = np.broadcast_to(np.asarray(se, dtype=float), x.shape).copy()
        if (s[~np.isnan(s)] < 0).any():
            raise ValueError("convert_scores: standard errors must be non-negative.")
    n = len(x)
    if groups is None or isinstance(groups, Mapping):
        per_person = [dict(groups or {})] * n
    else:
        if len(groups) != n:
            raise ValueError(f"convert_scores: groups has {len(groups)} rows for {n} scores.")
        per_person = groups.astype(str).to_dict(orient="records")
    z_c = float(stats.norm.ppf(0.5 + confidence / 2))
    cols = {c: np.full(n, np.nan) for c in ("percentile", "percentile_low", "percentile_high", "t", "t_low",
                                             "t_high", "z")}
    labels = np.empty(n, dtype=object)
    cache: dict[tuple, NormGroup] = {}
    buckets: dict[int, list[int]] = {}
    for i, g in enumerate(per_person):
        key = tuple(sorted(g.items()))
        if key not in cache:
            cache[key] = table.lookup(scale, g)
        buckets.setdefault(id(cache[key]), []).append(i)
    by_id = {id(g): g for g in cache.values()}
    for gid, rows in buckets.items():
        grp, idx = by_id[gid], np.array(rows)
        xi, si = x[idx], s[idx]
        lo, hi = xi - z_c * si, xi + z_c * si
        cols["percentile"][idx] = grp.percentile(xi)
        cols["percentile_low"][idx] = grp.percentile(lo)
        cols["percentile_high"][idx] = grp.percentile(hi)
        cols["t"][idx] = grp.t_score(xi)
        cols["t_low"][idx] = grp.t_score(lo)
        cols["t_high"][idx] = grp.t_score(hi)
        cols["z"][idx] = (cols["t"][idx] - 50.0) / 10.0
        labels[idx] = grp.label
    nan_x = np.isnan(x)
    for c in cols:
        cols[c][nan_x] = np.nan
    out = pd.DataFrame({"score": x, "se": s, "score_low": x - z_c * s, "score_high": x + z_c * s,
                        **cols,
                        "stanine": stanine_from_percentile(cols["percentile"]),
                        "stanine_low": stanine_from_percentile(cols["percentile_low"]),
                        "stanine_high": stanine_from_percentile(cols["percentile_high"]),
                        "norm_group": labels, "norm_version": table.version}, index=index)
    return out
