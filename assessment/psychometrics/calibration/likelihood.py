"""The parameter layout and the likelihood the EM algorithm works on (Bock & Aitkin 1981).

Models: "rasch" (slopes fixed at 1, latent variance free — mirt's itemtype "Rasch"), "2pl", "3pl"
(Birnbaum 1968, with a Beta(5, 17) prior on c: Bayes modal estimation as commonly advised for
guessing parameters, Harwell & Baker 1991) and "grm" (Samejima 1969), all in slope–intercept form
logit P*_jm(θ) = a_j θ + d_jm, P*_jm = c_j + (1 − c_j)·logistic(…), P_jk = P*_jk − P*_j,k+1.

Shapes used throughout: J items, K = max categories, Q quadrature nodes, U distinct response
patterns, L local slots per item (a, d_1 … d_{K−1}[, c]); ψ the per-item parameters (n_psi,), φ the
free parameters (n_phi,) with ψ = A φ (for "rasch" every slope is the one common slope).
"""
from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from assessment.irt.models import ItemBank
from assessment.irt.quadrature import Quadrature

__all__ = ["DEFAULT_C_PRIOR", "Layout", "Patterns", "estep", "item_terms", "objective", "posterior", "score"]

DEFAULT_C_PRIOR = (5.0, 17.0)
"""Beta(α, β) prior on the 3PL lower asymptote c (mode 0.2)."""


class Layout:
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


def item_terms(layout: Layout, psi: NDArray[np.float64], r: NDArray[np.float64],
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


class Patterns:
    """Unique response patterns with frequencies and their category indicator matrices."""

    def __init__(self, x: NDArray[np.float64], freq: NDArray[np.float64], kmax: int):
        self.x = x
        self.freq = freq
        x0 = np.where(np.isnan(x), -1.0, x)
        # indicator[k] is (U, J): 1 where the response is category k; built once, reused every cycle.
        self.indicator = [np.ascontiguousarray((x0 == k).astype(np.float64)) for k in range(kmax)]
        self.seen = np.ascontiguousarray((~np.isnan(x)).astype(np.float64))
        self.complete = bool(self.seen.all())  # no skipped items: the "answered" sums are constants


def posterior(bank: ItemBank, data: Patterns, quad: Quadrature, kmax: int
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


def estep(bank: ItemBank, data: Patterns, quad: Quadrature, kmax: int
           ) -> tuple[NDArray[np.float64], float]:
    """Expected counts r (J, K, Q) and the marginal log-likelihood."""
    lp, marg = posterior(bank, data, quad, kmax)
    lp *= data.freq[:, None]
    r = np.empty((bank.n_items, kmax, quad.points.size))
    for k in range(1, kmax):
        r[:, k, :] = data.indicator[k].T @ lp
    # category 0 by subtraction: answered minus the other categories (one product fewer)
    answered = np.broadcast_to(lp.sum(axis=0), r.shape[::2]) if data.complete else data.seen.T @ lp
    r[:, 0, :] = answered - r[:, 1:, :].sum(axis=1)
    return r, float(data.freq @ marg)


def objective(layout: Layout, phi: NDArray, ids: tuple[str, ...], data: Patterns,
               quad: Quadrature, c_prior: tuple[float, float]) -> float:
    """Marginal log-likelihood plus log prior of the item parameters."""
    psi = layout.psi(phi)
    _, marg = posterior(layout.bank(psi, ids), data, quad, layout.kmax)
    ll = float(data.freq @ marg)
    if layout.has_c:
        _, _, c = layout.unpack(psi)
        ll += float(np.sum((c_prior[0] - 1) * np.log(c) + (c_prior[1] - 1) * np.log1p(-c)))
    return ll


def score(layout: Layout, phi: NDArray, ids: tuple[str, ...], data: Patterns,
           quad: Quadrature, c_prior: tuple[float, float]) -> NDArray[np.float64]:
    """Exact observed-data score (Fisher's identity): complete-data gradient under the E-step posterior."""
    psi = layout.psi(phi)
    r, _ = estep(layout.bank(psi, ids), data, quad, layout.kmax)
    grad, _, _ = item_terms(layout, psi, r, quad.points, c_prior)
    return layout.A.T @ grad
