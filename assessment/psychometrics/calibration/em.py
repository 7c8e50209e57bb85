"""Item calibration by marginal maximum likelihood with EM (Bock & Aitkin 1981), as in R mirt.

Models: "rasch", "2pl", "3pl" and "grm" (see :mod:`.likelihood`). The latent trait is integrated over
mirt's grid (61 points on [-6, 6], N(0, 1)). The M-step is Fisher scoring on the expected complete-data
log-likelihood, one small solve per item (jointly only for "rasch", whose common slope couples the
items); cycles are accelerated with SQUAREM (Varadhan & Roland 2008) and stop when the largest
parameter change is below ``tol`` (mirt: 1e-4). Standard errors: :mod:`.information`; item and
global fit: :mod:`.item_fit`.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from assessment.irt.models import ItemBank
from assessment.irt.quadrature import Quadrature, normal_quadrature
from assessment.psychometrics.calibration.information import covariance, irt_tables
from assessment.psychometrics.calibration.item_fit import m2_statistic, sx2
from assessment.psychometrics.calibration.likelihood import (DEFAULT_C_PRIOR, Layout, Patterns, estep,
                                                             item_terms, objective)
from assessment.psychometrics.calibration.result import Calibration

__all__ = ["CalibrationConvergenceWarning", "MODELS", "calibrate"]

MODELS = ("rasch", "2pl", "3pl", "grm")


class CalibrationConvergenceWarning(UserWarning):
    """EM stopped at ``max_iter`` before the largest parameter change fell below ``tol``."""


def _prepare(responses: pd.DataFrame, model: str) -> tuple[NDArray, NDArray, tuple[str, ...], NDArray, dict]:
    if not isinstance(responses, pd.DataFrame):
        responses = pd.DataFrame(np.asarray(responses, dtype=np.float64))
    ids = tuple(str(c) for c in responses.columns)
    try:
        x = np.array(responses.apply(pd.to_numeric, errors="raise").to_numpy(dtype=np.float64,
                                                                           na_value=np.nan))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"responses must be numeric category codes: {exc}") from exc
    if x.ndim != 2 or x.shape[1] < 2:
        raise ValueError("responses need at least two item columns")
    codes: dict[str, list[float]] = {}
    if model == "grm":
        # As mirt does, each item's observed values are mapped in order onto 0 … K_j − 1.
        for j in range(x.shape[1]):
            col = x[:, j]
            vals = np.unique(col[~np.isnan(col)])
            if vals.size < 2:
                raise ValueError(f"item {ids[j]!r} has fewer than two observed categories")
            codes[ids[j]] = vals.tolist()
            mapped = np.searchsorted(vals, col)
            x[:, j] = np.where(np.isnan(col), np.nan, mapped)
    else:
        obs = x[~np.isnan(x)]
        if not np.isin(obs, (0.0, 1.0)).all():
            raise ValueError(f"{model} needs responses coded 0/1 (NaN for missing)")
        for j in range(x.shape[1]):
            col = x[:, j]
            if np.unique(col[~np.isnan(col)]).size < 2:
                raise ValueError(f"item {ids[j]!r} is constant (or unanswered); it cannot be calibrated")
    answered = ~np.isnan(x).all(axis=1)
    x = x[answered]
    if x.shape[0] < 10:
        raise ValueError("at least 10 persons with some answers are needed")
    # Compress identical response patterns (NaN coded −1 for np.unique) into frequency weights.
    coded = np.where(np.isnan(x), -1.0, x)
    uniq, counts = np.unique(coded, axis=0, return_counts=True)
    xu = np.where(uniq < 0, np.nan, uniq)
    return xu, counts.astype(np.float64), ids, x, codes


def _start(layout: Layout, x: NDArray, freq: NDArray) -> NDArray[np.float64]:
    psi = np.zeros(layout.n_psi)
    for j in range(layout.J):
        col = x[:, j]
        ok = ~np.isnan(col)
        psi[layout.psi_index[j, 0]] = 1.0
        for k in range(1, layout.n_cat[j]):
            p = np.sum(freq[ok] * (col[ok] >= k)) / np.sum(freq[ok])
            p = np.clip(p, 0.01, 0.99)
            # Marginal logit shrinks by about sqrt(1 + a²·π²/8)-ish; 1.3 is a workable start.
            psi[layout.psi_index[j, k]] = 1.3 * np.log(p / (1.0 - p))
        if layout.has_c:
            psi[layout.psi_index[j, layout.kmax]] = 0.2
    return layout.phi_from_psi(psi)


def _em_cycle(layout: Layout, phi: NDArray, ids: tuple[str, ...], data: Patterns, quad: Quadrature,
              c_prior: tuple[float, float]) -> tuple[NDArray, float]:
    """One EM cycle: E-step at φ, then Fisher-scoring M-step on the expected counts to (near) convergence.

    Returns the new φ (n_phi,) and the marginal log-likelihood at the *input* φ. At most 25 scoring
    steps, each halved until the expected complete-data log-posterior does not fall.
    """
    psi = layout.psi(phi)
    r, ll = estep(layout.bank(psi, ids), data, quad, layout.kmax)
    new = phi.copy()
    absent = layout.psi_index < 0
    for _ in range(25):
        if layout.model == "rasch":  # the common slope couples the items: solve jointly
            grad, info, value = item_terms(layout, layout.psi(new), r, quad.points, c_prior)
            g_phi = layout.A.T @ grad
            i_phi = layout.A.T @ info @ layout.A
            try:
                step = np.linalg.solve(i_phi, g_phi)
            except np.linalg.LinAlgError:
                step = np.linalg.lstsq(i_phi, g_phi, rcond=None)[0]
        else:  # φ = ψ and the information is block-diagonal: one small solve per item
            g_loc, i_loc, value = item_terms(layout, new, r, quad.points, c_prior, local=True)
            # slots an item lacks (higher categories, c outside 3PL): identity rows, zero gradient
            g_loc[absent] = 0.0
            i_loc[absent] = 0.0
            i_loc[np.broadcast_to(absent[:, None, :], i_loc.shape)] = 0.0
            i_loc += absent[:, :, None] * np.eye(layout.local)[None]
            try:
                step_loc = np.linalg.solve(i_loc, g_loc[..., None])[..., 0]
            except np.linalg.LinAlgError:
                step_loc = (np.linalg.pinv(i_loc) @ g_loc[..., None])[..., 0]
            step = np.zeros(layout.n_psi)
            step[layout.slot_psi] = step_loc[layout.slot_item, layout.slot_local]
        t = 1.0
        while t > 1e-4:
            cand = new + t * step
            if layout.valid(layout.psi(cand)):
                _, _, v2 = item_terms(layout, layout.psi(cand), r, quad.points, c_prior)
                if v2 >= value - 1e-10:
                    break
            t *= 0.5
        else:
            break
        new = cand
        if np.max(np.abs(t * step)) < 1e-10:
            break
    return new, ll


def calibrate(responses: pd.DataFrame, model: str, quadrature: Quadrature | None = None,
              tol: float = 1e-4, max_iter: int = 2000, c_prior: tuple[float, float] = DEFAULT_C_PRIOR,
              item_fit: bool = True, standard_errors: bool = True, global_fit: bool = True) -> Calibration:
    """Calibrate items by marginal maximum likelihood (EM).

    Parameters
    ----------
    responses : DataFrame (N, J)
        One column per item; 0/1 for "rasch", "2pl", "3pl"; ordered integer categories for "grm"
        (each item's observed values are mapped in order to 0 … K_j − 1). NaN = not administered.
    model : {"rasch", "2pl", "3pl", "grm"}
    quadrature : Quadrature, optional
        Default: 61 points on [-6, 6], N(0, 1) (mirt).
    tol : float
        Stop when the largest absolute change in any slope–intercept parameter in one EM cycle is
        below ``tol`` (mirt's TOL, default 1e-4).
    max_iter : int
        Maximum EM cycles; reaching it emits :class:`CalibrationConvergenceWarning`.
    c_prior : (alpha, beta)
        Beta prior on the 3PL lower asymptote c; default Beta(5, 17) (mode 0.2).
    item_fit, standard_errors : bool
        Compute S-X² / M2 and the observed-information standard errors.
    global_fit : bool
        With ``item_fit``, also compute M2 (its weight matrix has J + J(J − 1)/2 rows, so it costs
        O(J⁶): seconds at 40 items, minutes beyond 60; pass False for long tests).

    Returns
    -------
    Calibration

    Examples
    --------
    >>> cal = calibrate(df, "2pl")          # doctest: +SKIP
    >>> cal.items.loc["item1", ["a", "b"]]  # doctest: +SKIP
    """
    model = model.lower()
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}")
    quad = quadrature or normal_quadrature()
    xu, freq, ids, x_all, codes = _prepare(responses, model)
    n_cat = (np.nanmax(xu, axis=0) + 1).astype(np.int64) if model == "grm" else np.full(xu.shape[1], 2)
    layout = Layout(model, n_cat)
    data = Patterns(xu, freq, layout.kmax)

    def em_map(phi: NDArray) -> tuple[NDArray, float]:
        return _em_cycle(layout, phi, ids, data, quad, c_prior)

    phi = _start(layout, xu, freq)
    converged = False
    n_iter = 0
    while n_iter < max_iter:
        # SQUAREM: two EM maps, an extrapolated point, then one stabilising map.
        phi1, _ = em_map(phi)
        phi2, _ = em_map(phi1)
        n_iter += 2
        r1 = phi1 - phi
        v = phi2 - phi1 - r1
        nv = np.linalg.norm(v)
        candidate = phi2
        if nv > 0:
            alpha = -np.linalg.norm(r1) / nv
            alpha = min(alpha, -1.0)
            acc = phi - 2.0 * alpha * r1 + alpha * alpha * v
            if layout.valid(layout.psi(acc)):
                candidate = acc
        new, _ = em_map(candidate)
        n_iter += 1
        if candidate is not phi2:
            # Keep the extrapolation only if it did not lower the objective.
            if objective(layout, new, ids, data, quad, c_prior) < \
                    objective(layout, phi2, ids, data, quad, c_prior) - 1e-9:
                candidate = phi2
                new, _ = em_map(phi2)
                n_iter += 1
        # mirt's criterion: the largest change made by one EM cycle.
        change = np.max(np.abs(layout.psi(new) - layout.psi(candidate)))
        phi = new
        if change < tol:
            converged = True
            break
    if not converged:
        warnings.warn(f"EM stopped after {n_iter} cycles without reaching tol={tol}. Raise max_iter, "
                      "check for items with near-zero variance or extreme difficulty, or use a "
                      "simpler model (2PL instead of 3PL).", CalibrationConvergenceWarning, stacklevel=2)

    psi = layout.psi(phi)
    bank = layout.bank(psi, ids)
    _, loglik = estep(bank, data, quad, layout.kmax)
    log_post = objective(layout, phi, ids, data, quad, c_prior)
    cov = covariance(layout, phi, ids, data, quad, c_prior) if standard_errors else None
    items, se, latent_sd, latent_sd_se = irt_tables(layout, phi, cov, ids)
    if model == "rasch":
        a_sd = latent_sd
        bank = ItemBank.dichotomous(np.ones(layout.J), items["b"].to_numpy(), None, ids)
    else:
        a_sd = 1.0
    fit_table = None
    m2 = None
    if item_fit:
        complete = x_all[~np.isnan(x_all).any(axis=1)]
        fit_bank = layout.bank(psi, ids)
        if complete.shape[0] >= 10:
            # mirt counts two parameters per Rasch item for S-X² df (d and the shared latent
            # variance); we follow it so df and p agree with mirt.
            n_item_pars = {"rasch": np.full(layout.J, 2.0), "2pl": np.full(layout.J, 2.0),
                           "3pl": np.full(layout.J, 3.0), "grm": n_cat.astype(float)}[model]
            fit_table = sx2(complete, fit_bank, quad, n_item_pars)
            if model != "grm" and global_fit:
                m2 = m2_statistic(complete, layout, phi, ids, quad)
    return Calibration(model=model, items=items, se=se, loglik=loglik, log_posterior=log_post,
                       latent_sd=a_sd, latent_sd_se=latent_sd_se, n_iter=n_iter, converged=converged,
                       n_persons=int(freq.sum()), n_parameters=layout.n_phi,
                       prior=(f"c ~ Beta({c_prior[0]:g}, {c_prior[1]:g})" if model == "3pl" else "none"),
                       bank=bank, item_fit=fit_table, m2=m2, category_codes=codes)
