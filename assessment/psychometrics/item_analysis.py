"""Classical item analysis: difficulty, item–total and item–rest correlations, alpha if deleted, distractors.

Definitions follow ``psych::alpha`` (Revelle, psych 2.2) so the figures agree with R:
item–total r = correlation of the item with the person's mean over answered items (the mean-prorated
total; psych ``raw.r``), item–rest r = cov(i, total − i) / √(C_ii · var(total − i))
(psych ``r.drop``), alpha if deleted = raw alpha of C without item i (psych ``alpha.drop``), all from the
pairwise-complete covariance matrix C.

Option (distractor) analysis for multiple-choice items follows Haladyna & Downing (1993) and Attali &
Fraenkel (2000): for every option the share of persons choosing it, the mean total score of its choosers and
the point-biserial correlation between choosing it and the *rest* score (total without the item, so the key's
own contribution does not inflate its correlation). A distractor is flagged ``attracts_high_scorers`` when its
point-biserial is positive (distractors should draw the weaker candidates) and ``non_functional`` when fewer
than 5 % choose it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessment.psychometrics._frame import check_columns, numeric_frame, pairwise_cov
from assessment.psychometrics.reliability import alpha_from_cov

OMIT = "(omit)"
NON_FUNCTIONAL_SHARE = 0.05


@dataclass(frozen=True)
class ItemAnalysis:
    """Result of :func:`item_analysis`.

    Attributes
    ----------
    items : DataFrame, one row per item
        ``n`` answers, ``mean`` (for 0/1 scored items this is the difficulty p, 0…1), ``sd``,
        ``item_total_r``, ``item_rest_r`` (−1…1), ``alpha_if_deleted``.
    alpha : float
        Raw alpha of all items.
    options : DataFrame or None
        With a key: one row per (item, option): ``share`` (0…1), ``mean_total`` (number correct of its
        choosers), ``pbis_rest`` (−1…1), ``is_key``, ``attracts_high_scorers``, ``non_functional``.
    scored : DataFrame
        The 0/1 scored matrix (with a key) or the numeric input (without).
    """

    items: pd.DataFrame
    alpha: float
    options: pd.DataFrame | None
    scored: pd.DataFrame

    @property
    def flagged_distractors(self) -> pd.DataFrame:
        """Distractors that attract high scorers (empty without a key)."""
        if self.options is None:
            return pd.DataFrame()
        return self.options[self.options["attracts_high_scorers"]]


def _score_with_key(data: pd.DataFrame, key: Mapping[str, object]) -> pd.DataFrame:
    check_columns(data, list(key), what="item_analysis key")
    scored = {}
    for item, correct in key.items():
        col = data[item]
        hit = col.astype("string").str.strip() == str(correct).strip()
        # an omitted answer earns no credit, the usual number-right rule
        scored[item] = hit.fillna(False).astype(float)
    return pd.DataFrame(scored, index=data.index)


def _option_table(data: pd.DataFrame, key: Mapping[str, object], scored: pd.DataFrame) -> pd.DataFrame:
    total = scored.sum(axis=1).to_numpy()
    rows = []
    for item, correct in key.items():
        answers = data[item].astype("string").str.strip().fillna(OMIT).to_numpy()
        rest = total - scored[item].to_numpy()
        options = sorted(set(answers) - {OMIT}, key=str)
        if (answers == OMIT).any():
            options.append(OMIT)
        for opt in options:
            chose = (answers == opt).astype(float)
            share = float(chose.mean())
            if 0 < share < 1 and rest.std() > 0:
                pbis = float(np.corrcoef(chose, rest)[0, 1])
            else:
                pbis = float("nan")
            is_key = opt == str(correct).strip()
            rows.append({"item": item, "option": opt, "share": share,
                         "mean_total": float(total[chose == 1].mean()) if chose.any() else float("nan"),
                         "pbis_rest": pbis, "is_key": is_key,
                         "attracts_high_scorers": bool(not is_key and opt != OMIT and np.isfinite(pbis)
                                                       and pbis > 0),
                         "non_functional": bool(not is_key and opt != OMIT and share < NON_FUNCTIONAL_SHARE)})
    return pd.DataFrame(rows)


def item_analysis(data: pd.DataFrame, key: Mapping[str, object] | pd.Series | None = None) -> ItemAnalysis:
    """Classical item statistics for a persons × items table.

    Parameters
    ----------
    data : DataFrame, shape (n_persons, n_items)
        Without ``key``: numeric item scores (0/1 or Likert), missing allowed.
        With ``key``: the raw options chosen (e.g. "A"…"D" or 1…4); empty cells are omissions.
    key : mapping item → correct option, optional
        Scores the items 1 (key chosen) / 0 (anything else, including omission) and adds option analysis.

    Returns
    -------
    ItemAnalysis

    Examples
    --------
    >>> df = pd.DataFrame({"q1": ["A", "B", "A", "A", "C"], "q2": ["D", "D", "B", "D", "D"],
    ...                    "q3": ["C", "C", "C", "A", "B"]})
    >>> ia = item_analysis(df, key={"q1": "A", "q2": "D", "q3": "C"})
    >>> float(ia.items.loc["q1", "mean"])
    0.6
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError("item_analysis data: give a pandas DataFrame with one column per item.")
    options = None
    if key is not None:
        key = dict(key.items()) if isinstance(key, pd.Series) else dict(key)
        if not key:
            raise ValueError("item_analysis key: empty; map each item to its correct option.")
        scored = _score_with_key(data, key)
        frame = numeric_frame(scored, what="item_analysis scored items", min_rows=3, min_columns=2,
                              reject_constant=True)
        options = _option_table(data, key, scored)
    else:
        frame = numeric_frame(data, what="item_analysis data", min_rows=3, min_columns=2)
    x = frame.to_numpy()
    c, _ = pairwise_cov(x)
    if np.isnan(c).any():
        raise ValueError("item_analysis data: some pair of items is never answered by the same persons; "
                         "their covariance is undefined — drop one of them.")
    total_var = c.sum()
    col_sum = c.sum(axis=0)
    d = np.diag(c)
    # psych's raw.r: correlate with the prorated total (row mean over answered items), pairwise-complete
    answered = (~np.isnan(x)).sum(axis=1)
    total = np.where(answered > 0, np.nansum(x, axis=1) / np.maximum(answered, 1), np.nan)
    item_total = np.array([pd.Series(x[:, i]).corr(pd.Series(total)) for i in range(x.shape[1])])
    rest_var = total_var - 2 * col_sum + d
    item_rest = (col_sum - d) / np.sqrt(d * rest_var)
    k = c.shape[0]
    if k > 2:
        keep = ~np.eye(k, dtype=bool)
        alpha_drop = np.array([alpha_from_cov(c[np.ix_(keep[i], keep[i])]) for i in range(k)])
    else:
        alpha_drop = np.full(k, np.nan)  # one item left: alpha is undefined
    items = pd.DataFrame({
        "n": frame.notna().sum().to_numpy(),
        "mean": frame.mean().to_numpy(),
        "sd": frame.std().to_numpy(),
        "item_total_r": item_total,
        "item_rest_r": item_rest,
        "alpha_if_deleted": alpha_drop,
    }, index=pd.Index([str(c_) for c_ in frame.columns], name="item"))
    return ItemAnalysis(items=items, alpha=alpha_from_cov(c), options=options, scored=frame)
