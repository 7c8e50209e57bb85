"""Fit of a calibration: S-X² per item and the M2 global statistic.

S-X² (Orlando & Thissen 2000) with Lord–Wingersky summed-score recursions (Thissen et al. 1995 for
polytomous items), expected cells below 1 collapsed with a neighbour as mirt's itemfit does; complete
cases only. Global fit: M2 (Maydeu-Olivares & Joe 2005, 2006) for dichotomous models on complete cases.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from assessment.irt.models import ItemBank
from assessment.irt.quadrature import Quadrature
from assessment.psychometrics.calibration.likelihood import Layout

__all__ = ["m2_statistic", "sx2"]


def _lord_wingersky(probs: NDArray[np.float64]) -> NDArray[np.float64]:
    """Summed-score likelihoods: probs (J, K, Q) → (S_max + 1, Q) with S_max = Σ (K_j − 1)."""
    J, K, Q = probs.shape
    out = np.ones((1, Q))
    for j in range(J):
        kj = int(np.sum(probs[j].sum(axis=1) > 0)) or K
        new = np.zeros((out.shape[0] + kj - 1, Q))
        for k in range(kj):
            new[k:k + out.shape[0]] += out * probs[j, k]
        out = new
    return out


def _collapse(obs: NDArray[np.float64], exp: NDArray[np.float64], mincell: float
              ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Merge score groups whose expected count in any category is below ``mincell`` (mirt's rule)."""
    keep = obs.sum(axis=1) > 0
    obs, exp = obs[keep], exp[keep]
    while obs.shape[0] > 1 and np.any(exp < mincell):
        row = int(np.flatnonzero((exp < mincell).any(axis=1))[0])
        if row == 0:
            target = 1
        elif row == obs.shape[0] - 1:
            target = row - 1
        else:
            # merge towards the neighbour with fewer observations
            target = row - 1 if obs[row - 1].sum() <= obs[row + 1].sum() else row + 1
        obs[target] += obs[row]
        exp[target] += exp[row]
        obs = np.delete(obs, row, axis=0)
        exp = np.delete(exp, row, axis=0)
    return obs, exp


def sx2(x: NDArray[np.float64], bank: ItemBank, quad: Quadrature, n_item_pars: NDArray[np.float64],
        mincell: float = 1.0) -> pd.DataFrame:
    """S-X² item fit (Orlando & Thissen 2000) on complete response rows ``x`` (codes 0 … K−1)."""
    probs = bank.probabilities(quad.points).transpose(1, 2, 0)  # (J, K, Q)
    w = quad.weights
    x = x.astype(np.int64)
    total = x.sum(axis=1)
    s_max = int((bank.n_categories - 1).sum())
    full = _lord_wingersky(probs) @ w  # P(S = s)
    n = x.shape[0]
    rows = []
    for j in range(bank.n_items):
        others = np.delete(np.arange(bank.n_items), j)
        lw = _lord_wingersky(probs[others])
        kj = int(bank.n_categories[j])
        exp_p = np.zeros((s_max + 1, kj))
        for k in range(kj):
            joint = np.zeros(s_max + 1)
            joint[k:k + lw.shape[0]] = (lw * probs[j, k]) @ w
            exp_p[:, k] = joint
        exp_p /= np.maximum(full, 1e-300)[:, None]
        scores = np.arange(1, s_max)  # extreme scores determine every response
        n_s = np.bincount(total, minlength=s_max + 1)[scores].astype(float)
        obs = np.zeros((scores.size, kj))
        for k in range(kj):
            obs[:, k] = np.bincount(total[x[:, j] == k], minlength=s_max + 1)[scores]
        exp = exp_p[scores] * n_s[:, None]
        o, e = _collapse(obs, exp, mincell)
        stat = float(np.sum((o - e) ** 2 / np.maximum(e, 1e-12)))
        df = int(o.shape[0] * (kj - 1) - n_item_pars[j])
        p = float(stats.chi2.sf(stat, df)) if df > 0 else np.nan
        rmsea = float(np.sqrt(max(stat - df, 0.0) / (df * (n - 1)))) if df > 0 else np.nan
        rows.append((stat, df, rmsea, p))
    return pd.DataFrame(rows, columns=["S_X2", "df", "RMSEA", "p"], index=pd.Index(bank.item_ids, name="item"))


def _moments(layout: Layout, phi: NDArray, ids: tuple[str, ...], quad: Quadrature,
             pairs: tuple[NDArray, NDArray]) -> NDArray[np.float64]:
    p1 = layout.bank(layout.psi(phi), ids).probabilities(quad.points)[:, :, 1]  # (Q, J)
    first = quad.weights @ p1
    second = quad.weights @ (p1[:, pairs[0]] * p1[:, pairs[1]])
    return np.concatenate([first, second])


def m2_statistic(x: NDArray[np.float64], layout: Layout, phi: NDArray, ids: tuple[str, ...],
                 quad: Quadrature) -> dict[str, float]:
    """M2 limited-information fit for dichotomous models on complete rows ``x`` (0/1)."""
    n, J = x.shape
    iu = np.triu_indices(J, k=1)
    p_obs = np.concatenate([x.mean(axis=0), ((x[:, iu[0]] * x[:, iu[1]]).mean(axis=0))])
    pi = _moments(layout, phi, ids, quad, iu)
    # Ξ: covariance of first/second-order indicators under the model, by quadrature.
    p1 = layout.bank(layout.psi(phi), ids).probabilities(quad.points)[:, :, 1]
    sets = [np.array([j]) for j in range(J)] + [np.array([i, k]) for i, k in zip(*iu)]
    m = len(sets)
    member = np.zeros((m, J), dtype=bool)
    for t, sset in enumerate(sets):
        member[t, sset] = True
    logp = np.log(np.maximum(p1, 1e-300))  # (Q, J)
    xi = np.empty((m, m))
    for t in range(m):
        union = member[t][None, :] | member  # (m, J)
        joint = np.exp(union.astype(np.float64) @ logp.T) @ quad.weights  # (m,)
        xi[t] = joint - pi[t] * pi
    # Δ: derivatives of the model moments with respect to the free parameters.
    delta = np.empty((m, phi.size))
    for i in range(phi.size):
        h = 1e-6 * max(1.0, abs(phi[i]))
        e = np.zeros(phi.size)
        e[i] = h
        delta[:, i] = (_moments(layout, phi + e, ids, quad, iu) - _moments(layout, phi - e, ids, quad, iu)) / (2 * h)
    xi_inv = np.linalg.pinv(xi)
    mid = np.linalg.pinv(delta.T @ xi_inv @ delta)
    cmat = xi_inv - xi_inv @ delta @ mid @ delta.T @ xi_inv
    resid = p_obs - pi
    stat = float(n * resid @ cmat @ resid)
    df = int(m - phi.size)
    p = float(stats.chi2.sf(stat, df)) if df > 0 else np.nan
    rmsea = float(np.sqrt(max(stat - df, 0.0) / (df * n))) if df > 0 else np.nan
    return {"M2": stat, "df": float(df), "p": p, "RMSEA": rmsea}
