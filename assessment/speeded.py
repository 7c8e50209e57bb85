"""Rate scores for speeded tests (form perception P, clerical perception Q) with error correction.

Speeded tests are scored by how much correct work is done per unit time, with wrong answers penalised so that
fast guessing does not pay:

- ``"formula"``: corrected score R − W/(k − 1) for k answer options — the classical correction for guessing
  (Thurstone 1919; Lord & Novick 1968, §14.3; Frary 1988). For two-option same/different tasks (k = 2) it is
  R − W.
- ``"rights_minus_wrongs"``: R − W whatever k, as the GATB scores its two-choice perceptual parts
  (US Department of Labor 1970, GATB Manual Section III).
- ``"rights"``: number right only (no correction; for comparison).

The rate score is the corrected score divided by the time allowed or used, in minutes (items per minute).
Omitted and not-reached items are neither right nor wrong. Accuracy R / (R + W) is reported alongside, so
a counsellor can tell a slow-careful from a fast-careless profile.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

Correction = Literal["formula", "rights_minus_wrongs", "rights"]


def count_answers(responses: pd.DataFrame, key: Mapping[str, object]) -> pd.DataFrame:
    """Count rights, wrongs and omissions per person from raw answers and a key.

    Parameters
    ----------
    responses : DataFrame, persons × items
        Chosen options; empty cells are omitted / not reached.
    key : mapping item → correct option

    Returns
    -------
    DataFrame with integer columns ``rights``, ``wrongs``, ``omitted`` (one row per person).
    """
    missing = [i for i in key if i not in responses.columns]
    if missing:
        raise ValueError(f"speeded key: items {missing[:10]} are not columns of the responses.")
    answers = responses[list(key)].astype("string").apply(lambda s: s.str.strip())
    correct = pd.Series({i: str(v).strip() for i, v in key.items()})
    answered = answers.notna()
    right = answers.eq(correct, axis=1).fillna(False) & answered
    return pd.DataFrame({"rights": right.sum(axis=1).astype(int),
                         "wrongs": (answered & ~right).sum(axis=1).astype(int),
                         "omitted": (~answered).sum(axis=1).astype(int)}, index=responses.index)


def rate_scores(rights: np.ndarray | pd.Series | list[float], wrongs: np.ndarray | pd.Series | list[float],
                minutes: float | np.ndarray | pd.Series, *, n_options: int = 2,
                correction: Correction = "formula") -> pd.DataFrame:
    """Error-corrected rate scores for a speeded test.

    Parameters
    ----------
    rights, wrongs : array-like of non-negative counts, one per person
    minutes : float or array-like
        Working time in minutes (> 0), the limit or each person's own time.
    n_options : int
        Answer options per item k ≥ 2 (for ``"formula"``).
    correction : {"formula", "rights_minus_wrongs", "rights"}

    Returns
    -------
    DataFrame with ``rights``, ``wrongs``, ``attempted``, ``corrected`` (items; may be negative under heavy
    guessing), ``rate`` (corrected items per minute) and ``accuracy`` (0…1, NaN if nothing attempted).

    Examples
    --------
    >>> rate_scores([40], [8], 5.0, n_options=5)["rate"].tolist()
    [7.6]
    """
    r = np.asarray(rights, dtype=float)
    w = np.asarray(wrongs, dtype=float)
    if r.shape != w.shape or r.ndim != 1:
        raise ValueError("rate_scores: rights and wrongs must be 1-D and of the same length (one per person).")
    if np.isnan(r).any() or np.isnan(w).any() or (r < 0).any() or (w < 0).any():
        raise ValueError("rate_scores: rights and wrongs must be non-negative counts without missing values.")
    t = np.broadcast_to(np.asarray(minutes, dtype=float), r.shape)
    if np.isnan(t).any() or (t <= 0).any():
        raise ValueError("rate_scores: minutes must be positive (the working time of each person, in minutes).")
    if correction == "formula":
        if int(n_options) != n_options or n_options < 2:
            raise ValueError(f"rate_scores: n_options={n_options} must be a whole number ≥ 2.")
        corrected = r - w / (n_options - 1)
    elif correction == "rights_minus_wrongs":
        corrected = r - w
    elif correction == "rights":
        corrected = r.copy()
    else:
        raise ValueError(f"correction={correction!r}: use 'formula', 'rights_minus_wrongs' or 'rights'.")
    attempted = r + w
    with np.errstate(invalid="ignore", divide="ignore"):
        accuracy = np.where(attempted > 0, r / attempted, np.nan)
    index = rights.index if isinstance(rights, pd.Series) else None
    return pd.DataFrame({"rights": r, "wrongs": w, "attempted": attempted, "corrected": corrected,
                         "rate": corrected / t, "accuracy": accuracy}, index=index)
