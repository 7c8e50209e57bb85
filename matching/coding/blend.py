"""Blend of the retrieval features by a conditional logit, fitted on labelled titles.

For title *i* and occupation *j* with feature vector ``x_ij`` the blend score is ``s_ij = w · x_ij``
and ``P(j | i) = softmax_j(s_ij)`` over all detailed occupations (McFadden 1974, conditional logit).
The weights maximise the log-probability of the labelled answer — for a group-level label (a 小类
such as 6-25-04-00) the summed probability of the group's occupations — with a small ridge penalty.
One weight vector per query language, since English titles lean on other features than Chinese ones.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

FEATURES = ("ngram", "emb_zh", "emb_en", "emb_def", "prior", "group_emb_zh", "group_emb_def", "head")
RIDGE = 1e-5


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of shape (n, m)."""
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_weights(features: np.ndarray, correct: np.ndarray, ridge: float = RIDGE) -> np.ndarray:
    """Maximum-likelihood weights of the conditional logit.

    Parameters
    ----------
    features : ndarray, shape (n_titles, n_occupations, n_features)
    correct : ndarray of bool, shape (n_titles, n_occupations)
        True for the labelled occupation (or every occupation of a labelled group). Titles with no
        True entry are ignored.
    ridge : float
        L2 penalty on the weights (per title, as the loss is a mean).

    Returns
    -------
    ndarray, shape (n_features,)
    """
    keep = correct.any(axis=1)
    if not keep.any():
        raise ValueError("no labelled title has its answer among the occupations; check the codes")
    X, Y = features[keep].astype(np.float64), correct[keep]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = softmax(X @ w)
        p_answer = np.where(Y, p, 0).sum(axis=1)
        value = -np.mean(np.log(p_answer)) + ridge * w @ w
        # d/dw of -log Σ_{j∈Y} p_j = E_p[x] - E_{p|Y}[x]
        q = np.where(Y, p, 0) / p_answer[:, None]
        grad = np.einsum("nm,nmf->f", p - q, X) / len(X) + 2 * ridge * w
        return value, grad

    return minimize(loss, np.zeros(X.shape[2]), jac=True, method="L-BFGS-B").x
