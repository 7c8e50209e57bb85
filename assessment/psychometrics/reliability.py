"""Internal-consistency reliability: Cronbach's alpha and McDonald's omega total, as R's psych computes them.

- ``alpha``: Cronbach (1951), raw alpha = k/(k − 1) · (1 − tr(C)/ΣC) with C the item covariance matrix from
  pairwise-complete observations — ``psych::alpha(x)$total$raw_alpha`` (Revelle, psych 2.2).
- ``omega``: McDonald (1999) omega total from a one-factor minres solution of the pairwise-complete
  correlation matrix R: ω_t = 1 − Σ(1 − h²_i) / ΣR, with h²_i the model communalities. This is
  ``psych::omega(x, nfactors = 1, flip = FALSE)$omega.tot`` (psych uses the observed ΣR as the total
  variance of the standardised sum). Items must already be keyed in one direction (reverse-key first).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.psychometrics._frame import numeric_frame, pairwise_cor, pairwise_cov
from assessment.psychometrics.efa import fit_uniquenesses


def alpha_from_cov(c: np.ndarray) -> float:
    """Raw alpha from a k × k covariance matrix (k ≥ 2): k/(k−1) · (1 − tr(C)/ΣC)."""
    k = c.shape[0]
    return float(k / (k - 1) * (1.0 - np.trace(c) / c.sum()))


def alpha(data: pd.DataFrame | np.ndarray) -> float:
    """Cronbach's alpha of a persons × items table, from pairwise-complete covariances.

    Parameters
    ----------
    data : DataFrame or 2-D array, shape (n_persons, k ≥ 2)
        Item scores, already reverse-keyed where needed. Missing cells allowed.

    Returns
    -------
    float
        Raw alpha; at most 1, usually 0…1 (negative when items covary negatively on average).

    Examples
    --------
    >>> alpha(pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]}))  # doctest: +ELLIPSIS
    0.95...
    """
    frame = numeric_frame(data, what="alpha data", min_rows=3, min_columns=2)
    cov, _ = pairwise_cov(frame.to_numpy())
    if np.isnan(cov).any():
        raise ValueError("alpha data: some pair of items is never answered by the same person (or by only one); "
                         "their covariance is undefined — drop one of them.")
    return alpha_from_cov(cov)


def omega(data: pd.DataFrame | np.ndarray) -> float:
    """McDonald's omega total from a one-factor minres model (as ``psych::omega(nfactors=1, flip=FALSE)``).

    Parameters
    ----------
    data : DataFrame or 2-D array, shape (n_persons, k ≥ 3)
        Item scores keyed in one direction. Missing cells allowed (pairwise-complete correlations).

    Returns
    -------
    float
        ω_t, at most 1, usually 0…1.
    """
    frame = numeric_frame(data, what="omega data", min_rows=4, min_columns=3)
    r, _ = pairwise_cor(frame.to_numpy())
    if np.isnan(r).any():
        raise ValueError("omega data: some pair of items is never answered by the same person; their "
                         "correlation is undefined — drop one of them.")
    load, _, _ = fit_uniquenesses(r, 1, "minres")
    h2 = (load * load).sum(axis=1)
    return float(1.0 - np.sum(1.0 - h2) / r.sum())
