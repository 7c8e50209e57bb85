"""Item calibration by marginal maximum likelihood with EM (Bock & Aitkin 1981), as in R mirt.

Models: "rasch" (slopes fixed at 1, latent variance free — mirt's itemtype "Rasch"), "2pl", "3pl"
(Birnbaum 1968, with a Beta(5, 17) prior on c: Bayes modal estimation as commonly advised for
guessing parameters, Harwell & Baker 1991) and "grm" (Samejima 1969). The latent trait is integrated
over mirt's grid (61 points on [-6, 6], N(0, 1)). The M-step is Fisher scoring on the expected
complete-data log-likelihood (per item, see below); cycles are accelerated with SQUAREM (Varadhan &
Roland 2008) and stop when the largest parameter change is below ``tol`` (mirt: 1e-4).

Standard errors come from the observed information of the marginal log-likelihood (or log-posterior
for 3PL), computed analytically at the estimates by Louis' (1982) identity: observed information =
expected complete-data information minus the missing information,

    I_obs = Σ_i E_post[−∂² log f(x_i | θ)] − Σ_i Cov_post[∂ log f(x_i | θ)],

both under the posterior of θ from one final E-step. For a unidimensional model the first term is
block-diagonal (one small block per item, from the analytic second derivatives of the category
probabilities); the second couples item pairs. Because the complete-data score is linear in the
category indicators, it reduces to posterior-weighted cross-products of those indicators per node
(one GEMM per block of persons, sorted by posterior mean so each block touches only the nodes its
posteriors cover) contracted with small per-item coefficient blocks. This replaces numerical
differentiation of the score (one E-step per parameter) at a fraction of the cost and without
step-size error. The covariance is carried to the IRT parameterisation by the delta method.
The M-step exploits the same block structure: one small Fisher-scoring solve per item (jointly only
for "rasch", whose common slope couples the items).

Item fit: S-X² (Orlando & Thissen 2000) with Lord–Wingersky summed-score recursions (Thissen et al.
1995 for polytomous items), expected cells below 1 collapsed with a neighbour as mirt's itemfit
does; complete cases only. Global fit: M2 (Maydeu-Olivares & Joe 2005, 2006) for dichotomous
models on complete cases.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats
from scipy.special import expit

from assessment.irt.models import ItemBank
from assessment.irt.quadrature import Quadrature, normal_quadrature

__all__ = ["Calibration", "CalibrationConvergenceWarning", "calibrate", "MODELS"]

MODELS = ("rasch", "2pl", "3pl", "grm")
DEFAULT_C_PRIOR = (5.0, 17.0)


class CalibrationConvergenceWarning(UserWarning):
    """EM stopped at ``max_iter`` before the largest parameter change fell below ``tol``."""


@dataclass
class Calibration:
    """Result of :func:`calibrate`.

    Attributes
    ----------
    model : str
        "rasch", "2pl", "3pl" or "grm".
    items : DataFrame
        One row per item (index = column names of the data), IRT parameterisation: ``a``, ``b``
        (+ ``c`` for 3PL; ``a``, ``b1`` … ``bk`` for GRM). θ in logits; for "rasch" a = 1 and the
        latent SD is ``latent_sd`` (θ ~ N(0, latent_sd²)).
    se : DataFrame
        Standard errors, same shape; NaN for fixed parameters.
    loglik : float
        Marginal log-likelihood at the estimates (natural log).
    log_posterior : float
        loglik plus the log prior density of the item parameters (equals loglik without priors).
    latent_sd : float
        SD of θ (1 except for "rasch").
    latent_sd_se : float
        Its standard error (NaN unless "rasch").
    n_iter : int
        EM cycles run.
    converged : bool
        Whether the largest parameter change fell below ``tol``.
    n_persons : int
        Rows used.
    n_parameters : int
        Free parameters.
    item_fit : DataFrame or None
        S_X2, df, p, RMSEA per item (complete cases).
    m2 : dict or None
        M2, df, p, RMSEA (dichotomous models, complete cases).
    prior : str
        Item-parameter priors used.
    bank : ItemBank
        The estimates ready for scoring (for "rasch" score with prior SD ``latent_sd``).
    """

    model: str
    items: pd.DataFrame
    se: pd.DataFrame
    loglik: float
    log_posterior: float
    latent_sd: float
    latent_sd_se: float
    n_iter: int
    converged: bool
    n_persons: int
    n_parameters: int
    prior: str
    bank: ItemBank
    item_fit: pd.DataFrame | None = None
    m2: dict[str, float] | None = None
    category_codes: dict[str, list[float]] = field(default_factory=dict)

    @property
    def aic(self) -> float:
        return -2.0 * self.loglik + 2.0 * self.n_parameters

    @property
    def bic(self) -> float:
        return -2.0 * self.loglik + np.log(self.n_persons) * self.n_parameters

    def summary(self) -> str:
        """Readable report: model, fit, parameters with SEs, item fit."""
        lines = [f"IRT calibration: {self.model.upper()} by MML-EM (Bock & Aitkin), "
                 f"{self.n_persons} persons x {len(self.items)} items",
                 f"{'Converged' if self.converged else 'NOT converged'} after {self.n_iter} EM cycles; "
                 f"priors: {self.prior}",
                 f"log-likelihood = {self.loglik:.3f}   AIC = {self.aic:.2f}   BIC = {self.bic:.2f}"]
        if self.model == "rasch":
            lines.append(f"latent SD = {self.latent_sd:.4f} (SE {self.latent_sd_se:.4f})")
        if self.m2 is not None:
            m = self.m2
            lines.append(f"M2({m['df']:.0f}) = {m['M2']:.3f}, p = {m['p']:.4f}, RMSEA = {m['RMSEA']:.4f}")
        table = self.items.copy()
        for col in self.se.columns:
            table[f"se_{col}"] = self.se[col]
        lines.append(table.round(4).to_string())
        if self.item_fit is not None:
            lines.append("Item fit (S-X², Orlando & Thissen 2000):")
            lines.append(self.item_fit.round(4).to_string())
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"Calibration(model={self.model!r}, items={len(self.items)}, persons={self.n_persons}, "
                f"loglik={self.loglik:.3f}, converged={self.converged}, n_iter={self.n_iter})")

    def __str__(self) -> str:
        return self.summary()


# ============================================================================ parameter layout
class _Layout:
    """Maps the free-parameter vector φ to per-item parameters ψ = A φ (slope, intercepts, guessing)."""

    def __init__(self, model: str, n_cat: NDArray[np.int64]):
        self.model = model
        self.n_cat = n_cat
        self.J = n_cat.size
        self.kmax = int(n_cat.max())
        self.has_c = model == "3pl"
        self.local = self.kmax + (1 if self.has_c else 0)  # a, d_1..d_{K-1}, [c]
        # psi index of each local slot (−1 = absent)
        idx = np.full((self.J, self.local), -1, dtype=np.intp)
        pos = 0
        for j in range(self.J):
            idx[j, 0] = pos
            pos += 1
            for k in range(n_cat[j] - 1):
                idx[j, 1 + k] = pos
                pos += 1
            if self.has_c:
                idx[j, self.kmax] = pos
                pos += 1
        self.psi_index = idx
        self.n_psi = pos
        if model == "rasch":
            # φ = (a_common, d...) ; every a_j = a_common
            n_phi = self.n_psi - self.J + 1
            A = np.zeros((self.n_psi, n_phi))
            col = 1
            for j in range(self.J):
                A[idx[j, 0], 0] = 1.0
                for k in range(n_cat[j] - 1):
                    A[idx[j, 1 + k], col] = 1.0
                    col += 1
            self.A = A
        else:
            self.A = np.eye(self.n_psi)
        self.n_phi = self.A.shape[1]
        # Scatter maps from per-item (j, slot) arrays to ψ: every free slot, and every pair of free
        # slots of the same item (item blocks never overlap, so plain fancy assignment is exact).
        self.slot_item, self.slot_local = np.nonzero(idx >= 0)
        self.slot_psi = idx[self.slot_item, self.slot_local]
        pj, pl, pm = [], [], []
        for j in range(self.J):
            slots = np.flatnonzero(idx[j] >= 0)
            pl.append(np.repeat(slots, slots.size))
            pm.append(np.tile(slots, slots.size))
            pj.append(np.full(slots.size * slots.size, j))
        self.pair_item, self.pair_l, self.pair_m = (np.concatenate(v) for v in (pj, pl, pm))
        self.pair_rows, self.pair_cols = idx[self.pair_item, self.pair_l], idx[self.pair_item, self.pair_m]

    def scatter(self, grad_local: NDArray[np.float64] | None, info_local: NDArray[np.float64] | None
                ) -> tuple[NDArray[np.float64] | None, NDArray[np.float64] | None]:
        """Per-item gradients (J, L) and information blocks (J, L, L) placed into ψ-space arrays."""
        grad = info = None
        if grad_local is not None:
            grad = np.zeros(self.n_psi)
            grad[self.slot_psi] = grad_local[self.slot_item, self.slot_local]
        if info_local is not None:
            info = np.zeros((self.n_psi, self.n_psi))
            info[self.pair_rows, self.pair_cols] = info_local[self.pair_item, self.pair_l, self.pair_m]
        return grad, info

    def psi(self, phi: NDArray[np.float64]) -> NDArray[np.float64]:
        return self.A @ phi

    def phi_from_psi(self, psi: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.linalg.lstsq(self.A, psi, rcond=None)[0]

    def unpack(self, psi: NDArray[np.float64]) -> tuple[NDArray, NDArray, NDArray]:
        a = psi[self.psi_index[:, 0]]
        d = np.full((self.J, max(self.kmax - 1, 1)), np.nan)
        for k in range(self.kmax - 1):
            sel = self.psi_index[:, 1 + k] >= 0
            d[sel, k] = psi[self.psi_index[sel, 1 + k]]
        c = psi[self.psi_index[:, self.kmax]] if self.has_c else np.zeros(self.J)
        return a, d, c

    def bank(self, psi: NDArray[np.float64], ids: tuple[str, ...]) -> ItemBank:
        a, d, c = self.unpack(psi)
        return ItemBank(a, d, c, ids)

    def valid(self, psi: NDArray[np.float64]) -> bool:
        a, d, c = self.unpack(psi)
        if not (np.isfinite(psi).all() and np.all(np.abs(a) < 50) and np.all(np.abs(d[np.isfinite(d)]) < 60)):
            return False
        if self.has_c and np.any((c <= 1e-6) | (c >= 0.999)):
            return False
        diffs = np.diff(np.where(np.isfinite(d), d, -np.inf), axis=1)
        return not np.any(diffs[np.isfinite(diffs)] >= 0)


# ============================================================================ item derivatives
def _item_terms(layout: _Layout, psi: NDArray[np.float64], r: NDArray[np.float64],
                points: NDArray[np.float64], c_prior: tuple[float, float], local: bool = False
                ) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Gradient (n_psi,) and expected information (n_psi, n_psi) of Σ r log P + log prior; its value.

    ``r`` holds expected counts (J, K_max, Q) from the E-step. With ``local`` the gradient and
    information are returned per item, (J, L) and (J, L, L) — the information is block-diagonal by item.
    """
    a, d, c = layout.unpack(psi)
    J, K, L = layout.J, layout.kmax, layout.local
    Q = points.size
    z = a[:, None, None] * points[None, None, :] + d[:, :, None]  # (J, K-1, Q)
    s = expit(z)
    valid = np.isfinite(z)
    s = np.where(valid, s, 0.0)
    w = s * (1.0 - s)
    cc = c[:, None, None]
    pstar = np.where(valid, cc + (1.0 - cc) * s, 0.0)
    pstar = np.concatenate([np.ones((J, 1, Q)), pstar[:, : K - 1], np.zeros((J, 1, Q))], axis=1)
    # d P*_m / d local parameter, m = 0..K
    dstar = np.zeros((J, K + 1, Q, L))
    for m in range(1, K):
        ok = valid[:, m - 1, :]
        dstar[:, m, :, 0] = np.where(ok, (1.0 - c)[:, None] * w[:, m - 1] * points[None, :], 0.0)
        dstar[:, m, :, m] = np.where(ok, (1.0 - c)[:, None] * w[:, m - 1], 0.0)
    if layout.has_c:
        dstar[:, 1, :, K] = 1.0 - s[:, 0]
    prob = np.maximum(pstar[:, :-1] - pstar[:, 1:], 1e-300)  # (J, K, Q)
    dprob = dstar[:, :-1] - dstar[:, 1:]  # (J, K, Q, L)
    ratio = r / prob
    grad_local = np.einsum("jkq,jkql->jl", ratio, dprob)
    n = r.sum(axis=1)  # (J, Q)
    info_local = np.einsum("jq,jkql,jkqm,jkq->jlm", n, dprob, dprob, 1.0 / prob)
    value = float(np.sum(r * np.log(prob)))
    if local:
        if layout.has_c:
            alpha, beta = c_prior
            grad_local[:, K] += (alpha - 1.0) / c - (beta - 1.0) / (1.0 - c)
            info_local[:, K, K] += (alpha - 1.0) / c ** 2 + (beta - 1.0) / (1.0 - c) ** 2
            value += float(np.sum((alpha - 1.0) * np.log(c) + (beta - 1.0) * np.log1p(-c)))
        return grad_local, info_local, value
    grad, info = layout.scatter(grad_local, info_local)
    if layout.has_c:
        alpha, beta = c_prior
        ix = layout.psi_index[:, K]
        grad[ix] += (alpha - 1.0) / c - (beta - 1.0) / (1.0 - c)
        info[ix, ix] += (alpha - 1.0) / c ** 2 + (beta - 1.0) / (1.0 - c) ** 2
        value += float(np.sum((alpha - 1.0) * np.log(c) + (beta - 1.0) * np.log1p(-c)))
    return grad, info, value


# ============================================================================ E-step
class _Patterns:
    """Unique response patterns with frequencies and their category indicator matrices."""

    def __init__(self, x: NDArray[np.float64], freq: NDArray[np.float64], kmax: int):
        self.x = x
        self.freq = freq
        x0 = np.where(np.isnan(x), -1.0, x)
        # indicator[k] is (U, J): 1 where the response is category k; built once, reused every cycle.
        self.indicator = [np.ascontiguousarray((x0 == k).astype(np.float64)) for k in range(kmax)]
        self.seen = np.ascontiguousarray((~np.isnan(x)).astype(np.float64))
        self.complete = bool(self.seen.all())  # no skipped items: the "answered" sums are constants


def _posterior(bank: ItemBank, data: _Patterns, quad: Quadrature, kmax: int
               ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Posterior weights of θ over the nodes per pattern (U, Q; rows sum to 1) and log marginals (U,)."""
    table = bank.log_probability_table(quad.points)  # (J, K, Q)
    base = table[:, 0, :]
    if data.complete:  # every pattern answers every item: Σ_j log P_j0 is the same row for all
        lp = np.repeat(base.sum(axis=0)[None, :], data.x.shape[0], axis=0)
    else:
        lp = data.seen @ base
    for k in range(1, kmax):
        lp += data.indicator[k] @ (table[:, k, :] - base)
    lp += quad.log_weights
    top = lp.max(axis=1, keepdims=True)
    lp -= top
    np.exp(lp, out=lp)
    total = lp.sum(axis=1)
    lp /= total[:, None]
    return lp, np.log(total) + top[:, 0]


def _estep(bank: ItemBank, data: _Patterns, quad: Quadrature, kmax: int
           ) -> tuple[NDArray[np.float64], float]:
    """Expected counts r (J, K, Q) and the marginal log-likelihood."""
    lp, marg = _posterior(bank, data, quad, kmax)
    lp *= data.freq[:, None]
    r = np.empty((bank.n_items, kmax, quad.points.size))
    for k in range(1, kmax):
        r[:, k, :] = data.indicator[k].T @ lp
    # category 0 by subtraction: answered minus the other categories (one product fewer)
    answered = np.broadcast_to(lp.sum(axis=0), r.shape[::2]) if data.complete else data.seen.T @ lp
    r[:, 0, :] = answered - r[:, 1:, :].sum(axis=1)
    return r, float(data.freq @ marg)


# ============================================================================ driver
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


def _start(layout: _Layout, x: NDArray, freq: NDArray) -> NDArray[np.float64]:
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
    layout = _Layout(model, n_cat)
    data = _Patterns(xu, freq, layout.kmax)

    def em_map(phi: NDArray) -> tuple[NDArray, float]:
        """One EM cycle: E-step at φ, then Fisher-scoring M-step to (near) convergence."""
        psi = layout.psi(phi)
        r, ll = _estep(layout.bank(psi, ids), data, quad, layout.kmax)
        new = phi.copy()
        absent = layout.psi_index < 0
        for _ in range(25):
            if layout.model == "rasch":  # the common slope couples the items: solve jointly
                grad, info, value = _item_terms(layout, layout.psi(new), r, quad.points, c_prior)
                g_phi = layout.A.T @ grad
                i_phi = layout.A.T @ info @ layout.A
                try:
                    step = np.linalg.solve(i_phi, g_phi)
                except np.linalg.LinAlgError:
                    step = np.linalg.lstsq(i_phi, g_phi, rcond=None)[0]
            else:  # φ = ψ and the information is block-diagonal: one small solve per item
                g_loc, i_loc, value = _item_terms(layout, new, r, quad.points, c_prior, local=True)
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
                    _, _, v2 = _item_terms(layout, layout.psi(cand), r, quad.points, c_prior)
                    if v2 >= value - 1e-10:
                        break
                t *= 0.5
            else:
                break
            new = cand
            if np.max(np.abs(t * step)) < 1e-10:
                break
        return new, ll

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
            if _objective(layout, new, ids, data, quad, c_prior) < \
                    _objective(layout, phi2, ids, data, quad, c_prior) - 1e-9:
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
    _, loglik = _estep(bank, data, quad, layout.kmax)
    log_post = _objective(layout, phi, ids, data, quad, c_prior)
    cov = _covariance(layout, phi, ids, data, quad, c_prior) if standard_errors else None
    items, se, latent_sd, latent_sd_se = _irt_tables(layout, phi, cov, ids)
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


def _objective(layout: _Layout, phi: NDArray, ids: tuple[str, ...], data: _Patterns,
               quad: Quadrature, c_prior: tuple[float, float]) -> float:
    """Marginal log-likelihood plus log prior of the item parameters."""
    psi = layout.psi(phi)
    _, marg = _posterior(layout.bank(psi, ids), data, quad, layout.kmax)
    ll = float(data.freq @ marg)
    if layout.has_c:
        _, _, c = layout.unpack(psi)
        ll += float(np.sum((c_prior[0] - 1) * np.log(c) + (c_prior[1] - 1) * np.log1p(-c)))
    return ll


def _score(layout: _Layout, phi: NDArray, ids: tuple[str, ...], data: _Patterns,
           quad: Quadrature, c_prior: tuple[float, float]) -> NDArray[np.float64]:
    """Exact observed-data score (Fisher's identity): complete-data gradient under the E-step posterior."""
    psi = layout.psi(phi)
    r, _ = _estep(layout.bank(psi, ids), data, quad, layout.kmax)
    grad, _, _ = _item_terms(layout, psi, r, quad.points, c_prior)
    return layout.A.T @ grad


def _category_derivatives(layout: _Layout, psi: NDArray[np.float64], points: NDArray[np.float64]
                          ) -> tuple[NDArray, NDArray, NDArray]:
    """Category probabilities P_jk(θ_q) and their first and second derivatives in the local parameters.

    Returns ``prob`` (J, K, Q), ``dprob`` (J, K, Q, L) and ``d2prob`` (J, K, Q, L, L), local slots
    (a, d_1 … d_{K−1}[, c]). With s = logistic(aθ + d_m), w = s(1 − s) and u = w(1 − 2s) = ds/dz · … :
    ∂P*_m/∂a = (1 − c) w θ, ∂P*_m/∂d_m = (1 − c) w, ∂P*_1/∂c = 1 − s; the second derivatives are
    (1 − c) u · (θ², θ, 1) for (a a, a d_m, d_m d_m) and −w · (θ, 1) for (a c, d_1 c).
    """
    a, d, c = layout.unpack(psi)
    J, K, L = layout.J, layout.kmax, layout.local
    Q = points.size
    z = a[:, None, None] * points[None, None, :] + d[:, :, None]  # (J, K-1, Q)
    valid = np.isfinite(z)
    s = np.where(valid, expit(np.where(valid, z, 0.0)), 0.0)
    w = s * (1.0 - s)
    u = w * (1.0 - 2.0 * s)
    one_c = (1.0 - c)[:, None]
    cc = c[:, None, None]
    pstar = np.where(valid, cc + (1.0 - cc) * s, 0.0)
    pstar = np.concatenate([np.ones((J, 1, Q)), pstar[:, : K - 1], np.zeros((J, 1, Q))], axis=1)
    dstar = np.zeros((J, K + 1, Q, L))
    d2star = np.zeros((J, K + 1, Q, L, L))
    th, th2 = points[None, :], (points * points)[None, :]
    for m in range(1, K):
        ok = valid[:, m - 1, :]
        wm = np.where(ok, one_c * w[:, m - 1], 0.0)
        um = np.where(ok, one_c * u[:, m - 1], 0.0)
        dstar[:, m, :, 0] = wm * th
        dstar[:, m, :, m] = wm
        d2star[:, m, :, 0, 0] = um * th2
        d2star[:, m, :, 0, m] = d2star[:, m, :, m, 0] = um * th
        d2star[:, m, :, m, m] = um
    if layout.has_c:
        dstar[:, 1, :, K] = 1.0 - s[:, 0]
        d2star[:, 1, :, 0, K] = d2star[:, 1, :, K, 0] = -w[:, 0] * th
        d2star[:, 1, :, 1, K] = d2star[:, 1, :, K, 1] = -w[:, 0]
    prob = np.maximum(pstar[:, :-1] - pstar[:, 1:], 1e-300)
    return prob, dstar[:, :-1] - dstar[:, 1:], d2star[:, :-1] - d2star[:, 1:]


# Blocks of posterior-weighted indicators: at most this many doubles (≈ 16 MB) and patterns.
_BLOCK_DOUBLES = 2_000_000
_BLOCK_ROWS = 512
# Posterior weights below this fraction of the largest are treated as zero in the missing information.
_NEGLIGIBLE = 1e-14


def _observed_information(layout: _Layout, phi: NDArray, ids: tuple[str, ...], data: _Patterns,
                          quad: Quadrature, c_prior: tuple[float, float]) -> NDArray[np.float64]:
    """Observed information −∂²/∂φ² of the marginal log-likelihood (+ log prior) by Louis (1982).

    I_obs = Σ_i E_post[−∂² log f(x_i | θ)] − Σ_i f_i (E_post[S Sᵀ] − s̄ s̄ᵀ), with S the complete-data
    score of pattern i at node θ_q and s̄ its posterior mean (the observed-data score, Fisher's identity).

    The complete-data score is linear in the pattern's category indicators: for item j,
    S_j(θ_q) = z_j0 · ∂log P_j0(θ_q) + Σ_{k≥1} z_jk · (∂log P_jk(θ_q) − ∂log P_j0(θ_q)), where z_j0 is 1 if
    j was answered (the constant 1 for items nobody skipped) and z_jk = 1[x_j = k]. So
    Σ_i f_i E_post[S Sᵀ] = Σ_q B_qᵀ N_q B_q with N_q = Σ_i f_i w_iq z_i z_iᵀ — one GEMM over the distinct
    indicator columns (≈ J(K − 1) + 1 of them, fewer than the J·L parameters) — and B_q the small
    per-item coefficient blocks.
    """
    psi = layout.psi(phi)
    bank = layout.bank(psi, ids)
    post, _ = _posterior(bank, data, quad, layout.kmax)           # (U, Q)
    prob, dprob, d2prob = _category_derivatives(layout, psi, quad.points)
    J, K, L = layout.J, layout.kmax, layout.local
    Q = quad.points.size
    freq = data.freq
    # --- complete-data information: per-item blocks Σ_kq r_jkq (∂P ∂Pᵀ / P² − ∂²P / P)
    r = np.empty_like(prob)
    weighted = post * freq[:, None]
    for k in range(K):
        r[:, k, :] = data.indicator[k].T @ weighted
    dlog = dprob / prob[..., None]                                  # (J, K, Q, L): ∂ log P_jk(θ_q)
    blocks = (np.einsum("jkq,jkql,jkqm->jlm", r, dlog, dlog)
              - np.einsum("jkq,jkqlm->jlm", r / prob, d2prob))
    # --- missing information. Indicator columns z: [1, seen_j for items with skips, 1[x_j = k] k ≥ 1].
    complete = data.seen.min(axis=0) == 1.0
    columns = [np.ones(post.shape[0])]
    zidx = np.zeros((J, K), dtype=np.intp)                          # item j, slot a → column of z
    for j in range(J):
        if not complete[j]:
            zidx[j, 0] = len(columns)
            columns.append(data.seen[:, j])
        for k in range(1, int(layout.n_cat[j])):
            zidx[j, k] = len(columns)
            columns.append(data.indicator[k][:, j])
    z = np.column_stack(columns)                                    # (U, D)
    n_z = z.shape[1]
    # B[q, j, a, l]: coefficient of z_{j,a} in S_jl(θ_q); zero for categories an item lacks.
    coef = dlog.transpose(2, 0, 1, 3).copy()                        # (Q, J, K, L)
    coef[:, :, 1:, :] -= coef[:, :, :1, :]
    absent = np.arange(K)[None, :] >= layout.n_cat[:, None]        # (J, K)
    coef[:, absent, :] = 0.0
    # Patterns in order of their posterior mean, in blocks: within a block the posterior mass sits on
    # a band of nodes, and nodes where every weight is below _NEGLIGIBLE (relative error ~1e-13) are
    # skipped, which typically halves or thirds the work of N_q.
    order = np.argsort(post @ quad.points, kind="stable")
    step = int(min(_BLOCK_ROWS, max(1, _BLOCK_DOUBLES // (Q * n_z))))
    n_q = np.zeros((n_z, Q, n_z))
    buffer = np.empty(step * Q * n_z)
    for lo in range(0, order.size, step):
        rows = order[lo:lo + step]
        w = post[rows] * freq[rows, None]                            # (u, Q)
        band = np.flatnonzero(w.max(axis=0) > _NEGLIGIBLE * w.max())
        q0, q1 = band[0], band[-1] + 1
        zr = z[rows]
        zw = buffer[: rows.size * (q1 - q0) * n_z].reshape(rows.size, q1 - q0, n_z)
        np.multiply(w[:, q0:q1, None], zr[:, None, :], out=zw)
        n_q[:, q0:q1, :] += (zr.T @ zw.reshape(rows.size, -1)).reshape(n_z, q1 - q0, n_z)
    sbar = np.zeros((post.shape[0], J, L))
    for k in range(K):
        # s̄_i = Σ_k 1[x_ij = k] Σ_q w_iq ∂log P_jk(θ_q)
        sbar += data.indicator[k][:, :, None] * (post @ dlog[:, k].transpose(1, 0, 2).reshape(Q, J * L)
                                                 ).reshape(-1, J, L)
    # N_q arranged by (item, slot) pairs, then contracted with the coefficient blocks.
    n_full = n_q.transpose(1, 0, 2)[:, zidx.ravel()][:, :, zidx.ravel()].reshape(Q, J, K, J, K)
    cross = np.einsum("qjal,qjakb,qkbm->jlkm", coef, n_full, coef, optimize=True)   # (J, L, J, L)
    flat_s = sbar.reshape(-1, J * L)
    cross = cross.reshape(J * L, J * L) - (flat_s * freq[:, None]).T @ flat_s
    # --- assemble in ψ (free slots only)
    slot_pos = layout.psi_index.ravel()                             # (J·L,) ψ index or −1
    used = slot_pos >= 0
    _, info = layout.scatter(None, blocks)
    info[np.ix_(slot_pos[used], slot_pos[used])] -= cross[np.ix_(used, used)]
    if layout.has_c:
        alpha, beta = c_prior
        _, _, c = layout.unpack(psi)
        ix = layout.psi_index[:, K]
        info[ix, ix] += (alpha - 1.0) / c ** 2 + (beta - 1.0) / (1.0 - c) ** 2
    return layout.A.T @ info @ layout.A


def _covariance(layout: _Layout, phi: NDArray, ids: tuple[str, ...], data: _Patterns,
                quad: Quadrature, c_prior: tuple[float, float]) -> NDArray[np.float64] | None:
    """Inverse observed information (φ space), or None when it is singular."""
    info = _observed_information(layout, phi, ids, data, quad, c_prior)
    info = 0.5 * (info + info.T)
    try:
        return np.linalg.inv(info)
    except np.linalg.LinAlgError:
        return None


def _irt_tables(layout: _Layout, phi: NDArray, cov: NDArray | None, ids: tuple[str, ...]
                ) -> tuple[pd.DataFrame, pd.DataFrame, float, float]:
    """IRT parameterisation and delta-method SEs (b_k = −d_k / a)."""
    psi = layout.psi(phi)
    a, d, c = layout.unpack(psi)
    cov_psi = layout.A @ cov @ layout.A.T if cov is not None else np.full((layout.n_psi,) * 2, np.nan)
    index = pd.Index(ids, name="item")
    latent_sd, latent_sd_se = 1.0, np.nan
    if layout.model == "rasch":
        # mirt's Rasch: logit = θ + d with θ ~ N(0, σ²); equivalent to slope σ on N(0, 1).
        latent_sd = float(a[0])
        latent_sd_se = float(np.sqrt(cov_psi[0, 0]))
        b = -d[:, 0]
        se_b = np.sqrt(np.diag(cov_psi)[layout.psi_index[:, 1]])
        return (pd.DataFrame({"a": np.ones(layout.J), "b": b}, index=index),
                pd.DataFrame({"a": np.full(layout.J, np.nan), "b": se_b}, index=index),
                latent_sd, latent_sd_se)
    items = {"a": a}
    ses = {"a": np.sqrt(np.diag(cov_psi)[layout.psi_index[:, 0]])}
    nb = layout.kmax - 1
    for k in range(nb):
        bk = -d[:, k] / a
        se_k = np.full(layout.J, np.nan)
        for j in range(layout.J):
            ia, id_ = layout.psi_index[j, 0], layout.psi_index[j, 1 + k]
            if id_ < 0:
                continue
            grad = np.array([d[j, k] / a[j] ** 2, -1.0 / a[j]])
            sub = cov_psi[np.ix_([ia, id_], [ia, id_])]
            se_k[j] = np.sqrt(grad @ sub @ grad)
        name = "b" if layout.model != "grm" else f"b{k + 1}"
        items[name] = bk
        ses[name] = se_k
    if layout.has_c:
        items["c"] = c
        ses["c"] = np.sqrt(np.diag(cov_psi)[layout.psi_index[:, layout.kmax]])
    return pd.DataFrame(items, index=index), pd.DataFrame(ses, index=index), latent_sd, latent_sd_se


# ============================================================================ item fit: S-X²
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


# ============================================================================ M2
def _moments(layout: _Layout, phi: NDArray, ids: tuple[str, ...], quad: Quadrature,
             pairs: tuple[NDArray, NDArray]) -> NDArray[np.float64]:
    p1 = layout.bank(layout.psi(phi), ids).probabilities(quad.points)[:, :, 1]  # (Q, J)
    first = quad.weights @ p1
    second = quad.weights @ (p1[:, pairs[0]] * p1[:, pairs[1]])
    return np.concatenate([first, second])


def m2_statistic(x: NDArray[np.float64], layout: _Layout, phi: NDArray, ids: tuple[str, ...],
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
