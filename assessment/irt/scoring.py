"""Person scoring: EAP (Bock & Mislevy 1982), MAP (Bayes modal) and ML with standard errors.

EAP is the posterior mean over a quadrature grid with the posterior SD as its standard error; by
default mirt's grid (61 points on [-6, 6], N(0, 1) prior). The likelihood is evaluated in log space
as matrix products of indicator matrices with log-probability tables, log L = X·(log P₁ − log P₀)ᵀ +
M·log P₀ᵀ, so one BLAS call per category scores a whole block of persons at every node.

MAP and ML solve the score equation by vectorised Newton–Raphson over persons (Baker & Kim 2004,
ch. 7), with Fisher scoring when the observed curvature is not negative (3PL). MAP's SE is
1/sqrt(observed information + 1/σ²) at the mode; ML's is 1/sqrt(observed information). ML has no
finite estimate when every answered item is in its lowest (or every one in its highest) category:
those persons get −inf (+inf) with SE NaN, as R mirt reports them. Responses are coded 0 … K−1;
NaN (or any negative code) means "not administered".
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from assessment.irt.models import ItemBank
from assessment.irt.quadrature import Quadrature, normal_quadrature

__all__ = ["ThetaEstimates", "as_response_matrix", "eap", "map_scores", "ml_scores",
           "log_likelihood_grid", "posterior_weights"]

DEFAULT_BLOCK = 1 << 15
DEFAULT_MAX_THETA = 20.0  # mirt's max_theta for modal estimators


@dataclass(frozen=True)
class ThetaEstimates:
    """Person scores on the θ (logit) scale.

    Attributes
    ----------
    theta : ndarray (N,)
        Estimates; ±inf for ML on extreme patterns; NaN when no item was answered (ML only).
    se : ndarray (N,)
        Standard errors (EAP: posterior SD); NaN where no finite estimate exists.
    n_answered : ndarray of int (N,)
        Number of items each person answered.
    method : str
        "EAP", "MAP" or "ML".
    """

    theta: NDArray[np.float64]
    se: NDArray[np.float64]
    n_answered: NDArray[np.int64]
    method: str

    def to_frame(self, index: ArrayLike | None = None) -> pd.DataFrame:
        """Columns theta, se, n_answered."""
        return pd.DataFrame({"theta": self.theta, "se": self.se, "n_answered": self.n_answered},
                            index=None if index is None else pd.Index(index))


# ------------------------------------------------------------------------------------------ input
def as_response_matrix(responses: ArrayLike | pd.DataFrame, bank: ItemBank) -> NDArray[np.float64]:
    """Validate responses against ``bank`` once, returning a float64 (N, J) array with NaN for missing.

    A DataFrame whose columns are the bank's item ids is reordered to the bank's order. Negative
    codes are read as missing. Raises ValueError on a wrong shape, non-integer codes or a category
    the item does not have.
    """
    if isinstance(responses, pd.DataFrame):
        cols = [str(c) for c in responses.columns]
        if set(cols) == set(bank.item_ids):
            responses = responses.set_axis(cols, axis=1)[list(bank.item_ids)]
        x = np.array(responses.to_numpy(dtype=np.float64, na_value=np.nan), copy=True)
    else:
        x = np.array(responses, dtype=np.float64, copy=True)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2 or x.shape[1] != bank.n_items:
        raise ValueError(f"responses must have shape (n_persons, {bank.n_items})")
    x[x < 0] = np.nan
    _check_codes(x, bank)
    return x


def _check_codes(x: NDArray[np.float64], bank: ItemBank, integral: bool = False) -> None:
    """Raise ValueError for non-integer codes or categories an item lacks (``integral``: source was int)."""
    if integral:
        # Integer input cannot hold fractions or infinities; only the range needs checking.
        over = x >= bank.n_categories[None, :]
        if np.any(over):
            i, j = np.argwhere(over)[0]
            raise ValueError(f"response {x[i, j]:g} to item {bank.item_ids[j]!r} is outside "
                             f"0 … {bank.n_categories[j] - 1}")
        return
    seen = ~np.isnan(x)
    if np.any(np.isinf(x)):
        raise ValueError("responses contain infinite values")
    vals = np.where(seen, x, 0.0)
    if np.any(vals != np.floor(vals)):
        raise ValueError("responses must be integer category codes 0 … K-1 (or NaN for missing)")
    over = vals >= bank.n_categories[None, :]
    if np.any(over):
        i, j = np.argwhere(over)[0]
        raise ValueError(f"response {vals[i, j]:g} to item {bank.item_ids[j]!r} is outside "
                         f"0 … {bank.n_categories[j] - 1}")


def _block(responses: ArrayLike, start: int, stop: int) -> NDArray[np.float64]:
    x = np.array(responses[start:stop], dtype=np.float64, copy=True)
    x[x < 0] = np.nan
    return x


# ------------------------------------------------------------------------------------------ kernels
def _loglik_block(x: NDArray[np.float64], table: NDArray[np.float64],
                  out: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
    """log L(x_i | θ_q) for a block: x (n, J) float with NaN missing, table (J, K, Q) → (n, Q)."""
    missing = np.isnan(x)
    any_missing = bool(missing.any())
    x0 = np.where(missing, 0.0, x) if any_missing else x
    base = table[:, 0, :]
    n_cat = table.shape[1]
    if n_cat == 2:
        out = np.matmul(x0, table[:, 1, :] - base, out=out)
    else:
        out = np.matmul((x0 == 1).astype(np.float64), table[:, 1, :] - base, out=out)
        for k in range(2, n_cat):
            out += (x0 == k).astype(np.float64) @ (table[:, k, :] - base)
    if any_missing:
        out += (~missing).astype(np.float64) @ base
    else:
        out += base.sum(axis=0)
    return out


def log_likelihood_grid(responses: ArrayLike, bank: ItemBank, points: ArrayLike) -> NDArray[np.float64]:
    """log-likelihood of each response row at each θ node: shape (N, Q). Missing responses drop out."""
    x = as_response_matrix(responses, bank)
    return _loglik_block(x, bank.log_probability_table(points))


def posterior_weights(responses: ArrayLike, bank: ItemBank,
                      quadrature: Quadrature | None = None) -> NDArray[np.float64]:
    """Posterior probability of each node for each person, rows summing to one: shape (N, Q)."""
    quad = quadrature or normal_quadrature()
    log_post = log_likelihood_grid(responses, bank, quad.points) + quad.log_weights
    log_post -= log_post.max(axis=1, keepdims=True)
    post = np.exp(log_post)
    post /= post.sum(axis=1, keepdims=True)
    return post


# ------------------------------------------------------------------------------------------ EAP
def eap(responses: ArrayLike | pd.DataFrame, bank: ItemBank, quadrature: Quadrature | None = None,
        block_size: int = DEFAULT_BLOCK, validate: bool = True) -> ThetaEstimates:
    """Expected a posteriori θ with posterior SD, vectorised and blocked over persons.

    Parameters
    ----------
    responses : array-like (N, J) or DataFrame
        Category codes 0 … K_j − 1; NaN or negative = not administered. A person with no answers
        gets the prior mean and SD.
    bank : ItemBank
        Item parameters, columns in the same order as ``responses``.
    quadrature : Quadrature, optional
        Grid and prior; default 61 points on [-6, 6] with N(0, 1) weights (R mirt's default).
    block_size : int
        Persons per block; memory is about ``block_size × (Q + 2J) × 8`` bytes.
    validate : bool
        Check codes first (one pass over the data). Pass False only for data already validated.

    Returns
    -------
    ThetaEstimates with method "EAP"; θ in logits, SE = posterior SD.
    """
    quad = quadrature or normal_quadrature()
    if isinstance(responses, pd.DataFrame):
        data = as_response_matrix(responses, bank)
    else:
        data = np.asarray(responses)
        if data.ndim == 1:
            data = data[None, :]
        if data.ndim != 2 or data.shape[1] != bank.n_items or data.dtype.kind not in "fiub":
            raise ValueError(f"responses must be a numeric array of shape (n_persons, {bank.n_items})")
        # Codes are checked block by block inside the scoring loop, so a large integer matrix is
        # converted to float64 once per block and never copied whole.
    n = data.shape[0]
    table = bank.log_probability_table(quad.points)
    log_w = quad.log_weights
    # One matmul against [1, θ, θ²] gives the three posterior moments at once.
    moments = np.stack([np.ones_like(quad.points), quad.points, quad.points ** 2], axis=1)
    theta = np.empty(n)
    se = np.empty(n)
    answered = np.empty(n, dtype=np.int64)
    buf = np.empty((min(block_size, max(n, 1)), quad.points.size))
    for start in range(0, n, block_size):
        stop = min(start + block_size, n)
        x = _block(data, start, stop)
        if validate:
            _check_codes(x, bank, integral=data.dtype.kind in "iub")
        lp = _loglik_block(x, table, out=buf[: stop - start])
        lp += log_w
        lp -= lp.max(axis=1, keepdims=True)
        np.exp(lp, out=lp)
        s = lp @ moments
        mean = s[:, 1] / s[:, 0]
        theta[start:stop] = mean
        # Guard tiny negative variances from cancellation in E[θ²] − E[θ]².
        se[start:stop] = np.sqrt(np.maximum(s[:, 2] / s[:, 0] - mean * mean, 0.0))
        answered[start:stop] = (~np.isnan(x)).sum(axis=1)
    return ThetaEstimates(theta, se, answered, "EAP")


# ------------------------------------------------------------------------------------------ modal
def _observed_derivatives(theta: NDArray[np.float64], x: NDArray[np.float64], bank: ItemBank
                          ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Σ_j d/dθ log P_{x_ij}, Σ_j d²/dθ² log P_{x_ij} and test information at θ_i over answered items."""
    seen = ~np.isnan(x)
    k = np.where(seen, x, 0.0).astype(np.intp)
    n_cat = bank.n_categories[None, :]
    a = bank.slopes[None, :]
    c = bank.guessing[None, :]
    # Extended intercepts: column k holds d for P*(Y >= k); k = 0 → +inf (P* = 1), k >= K → P* = 0.
    d_ext = np.concatenate([np.full((bank.n_items, 1), np.inf), bank.intercepts,
                            np.full((bank.n_items, 1), np.nan)], axis=1)
    d_ext = np.where(np.isnan(d_ext), -np.inf, d_ext)
    rows = np.arange(bank.n_items)[None, :]

    def star(kk: NDArray[np.intp]) -> tuple[NDArray, NDArray, NDArray]:
        z = theta[:, None] * a + d_ext[rows, kk]
        s = expit(z)
        w = s * (1.0 - s)
        scale = np.where(kk == 0, 1.0, 1.0 - c)
        p = np.where(kk == 0, 1.0, c + (1.0 - c) * s)
        p = np.where(kk >= n_cat, 0.0, p)
        d1 = np.where((kk == 0) | (kk >= n_cat), 0.0, scale * a * w)
        d2 = np.where((kk == 0) | (kk >= n_cat), 0.0, scale * a * a * w * (1.0 - 2.0 * s))
        return p, d1, d2

    p_hi, d1_hi, d2_hi = star(k)
    p_lo, d1_lo, d2_lo = star(k + 1)
    p = np.maximum(p_hi - p_lo, 1e-300)
    dp = d1_hi - d1_lo
    d2p = d2_hi - d2_lo
    g = np.where(seen, dp / p, 0.0)
    h = np.where(seen, d2p / p - (dp / p) ** 2, 0.0)
    info = np.where(seen, 0.0, 0.0)
    if seen.any():
        info_all = _information_rows(theta, bank)
        info = np.where(seen, info_all, 0.0)
    return g.sum(axis=1), h.sum(axis=1), info.sum(axis=1)


def _information_rows(theta: NDArray[np.float64], bank: ItemBank) -> NDArray[np.float64]:
    """Item information at each person's own θ: (N, J)."""
    return bank.information(theta)


def _newton(x: NDArray[np.float64], bank: ItemBank, start: NDArray[np.float64], prior_mean: float,
            prior_var: float | None, max_iter: int, tol: float, max_theta: float
            ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    theta = start.copy()
    active = np.ones(theta.size, dtype=bool)
    prior_prec = 0.0 if prior_var is None else 1.0 / prior_var
    for _ in range(max_iter):
        if not active.any():
            break
        idx = np.flatnonzero(active)
        g, h, info = _observed_derivatives(theta[idx], x[idx], bank)
        g = g - prior_prec * (theta[idx] - prior_mean)
        h = h - prior_prec
        # Where the log-posterior is not concave (3PL far from the mode) use Fisher scoring.
        curvature = np.where(h < -1e-12, h, -(info + prior_prec))
        curvature = np.where(curvature < -1e-12, curvature, -1e-12)
        step = np.clip(-g / curvature, -1.0, 1.0)
        new = np.clip(theta[idx] + step, -max_theta, max_theta)
        done = np.abs(new - theta[idx]) < tol
        theta[idx] = new
        active[idx[done]] = False
    g, h, info = _observed_derivatives(theta, x, bank)
    obs_info = -h + prior_prec
    total = np.where(obs_info > 0, obs_info, info + prior_prec)
    with np.errstate(divide="ignore"):
        se = 1.0 / np.sqrt(total)
    return theta, se, ~active


def map_scores(responses: ArrayLike | pd.DataFrame, bank: ItemBank, prior_mean: float = 0.0,
               prior_sd: float = 1.0, max_iter: int = 100, tol: float = 1e-8,
               max_theta: float = DEFAULT_MAX_THETA, block_size: int = DEFAULT_BLOCK) -> ThetaEstimates:
    """Maximum a posteriori θ under a N(prior_mean, prior_sd²) prior, SE = 1/sqrt(info + 1/prior_sd²).

    Starts Newton–Raphson from the EAP; the information is the observed information at the mode
    (equal to the test information for 2PL items). Estimates are bounded to ±``max_theta`` logits.
    """
    if prior_sd <= 0:
        raise ValueError("prior_sd must be positive")
    x = as_response_matrix(responses, bank)
    start = eap(x, bank, normal_quadrature(mean=prior_mean, sd=prior_sd), validate=False).theta
    theta = np.empty(x.shape[0])
    se = np.empty(x.shape[0])
    for s in range(0, x.shape[0], block_size):
        e = min(s + block_size, x.shape[0])
        theta[s:e], se[s:e], _ = _newton(x[s:e], bank, start[s:e], prior_mean, prior_sd ** 2,
                                         max_iter, tol, max_theta)
    return ThetaEstimates(theta, se, (~np.isnan(x)).sum(axis=1), "MAP")


def ml_scores(responses: ArrayLike | pd.DataFrame, bank: ItemBank, max_iter: int = 200,
              tol: float = 1e-8, max_theta: float = DEFAULT_MAX_THETA,
              block_size: int = DEFAULT_BLOCK) -> ThetaEstimates:
    """Maximum-likelihood θ with SE = 1/sqrt(observed information).

    Persons whose answered items are all in the lowest category get θ = −inf, all in the highest
    θ = +inf, none answered θ = NaN; their SE is NaN. No finite value is invented for them.
    """
    x = as_response_matrix(responses, bank)
    seen = ~np.isnan(x)
    n_seen = seen.sum(axis=1)
    top = bank.n_categories[None, :] - 1
    all_low = seen.any(axis=1) & np.all(~seen | (x == 0), axis=1)
    all_high = seen.any(axis=1) & np.all(~seen | (x == top), axis=1)
    finite = ~(all_low | all_high) & (n_seen > 0)
    theta = np.full(x.shape[0], np.nan)
    se = np.full(x.shape[0], np.nan)
    theta[all_low] = -np.inf
    theta[all_high] = np.inf
    idx = np.flatnonzero(finite)
    if idx.size:
        start = eap(x[idx], bank, validate=False).theta
        for s in range(0, idx.size, block_size):
            sl = idx[s:s + block_size]
            t, e, _ = _newton(x[sl], bank, start[s:s + block_size], 0.0, None, max_iter, tol, max_theta)
            theta[sl], se[sl] = t, e
    return ThetaEstimates(theta, se, n_seen.astype(np.int64), "ML")
