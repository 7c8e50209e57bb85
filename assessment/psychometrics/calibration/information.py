"""Standard errors of the calibration: observed information by Louis' (1982) identity.

Observed information of the marginal log-likelihood (or log-posterior for 3PL) at the estimates is
the expected complete-data information minus the missing information,

    I_obs = Σ_i E_post[−∂² log f(x_i | θ)] − Σ_i Cov_post[∂ log f(x_i | θ)],

both under the posterior of θ from one final E-step. For a unidimensional model the first term is
block-diagonal (one small block per item, from the analytic second derivatives of the category
probabilities); the second couples item pairs. Because the complete-data score is linear in the
category indicators, it reduces to posterior-weighted cross-products of those indicators per node
(one GEMM per block of persons, sorted by posterior mean so each block touches only the nodes its
posteriors cover) contracted with small per-item coefficient blocks. This replaces numerical
differentiation of the score (one E-step per parameter) at a fraction of the cost and without
step-size error. The covariance is carried to the IRT parameterisation (b = −d / a) by the delta method.
Shapes as in :mod:`assessment.psychometrics.calibration.likelihood`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.special import expit

from assessment.irt.quadrature import Quadrature
from assessment.psychometrics.calibration.likelihood import Layout, Patterns, posterior

__all__ = ["covariance", "irt_tables", "observed_information"]


def _category_derivatives(layout: Layout, psi: NDArray[np.float64], points: NDArray[np.float64]
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


def observed_information(layout: Layout, phi: NDArray, ids: tuple[str, ...], data: Patterns,
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
    post, _ = posterior(bank, data, quad, layout.kmax)           # (U, Q)
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


def covariance(layout: Layout, phi: NDArray, ids: tuple[str, ...], data: Patterns,
                quad: Quadrature, c_prior: tuple[float, float]) -> NDArray[np.float64] | None:
    """Inverse observed information (φ space), or None when it is singular."""
    info = observed_information(layout, phi, ids, data, quad, c_prior)
    info = 0.5 * (info + info.T)
    try:
        return np.linalg.inv(info)
    except np.linalg.LinAlgError:
        return None


def irt_tables(layout: Layout, phi: NDArray, cov: NDArray | None, ids: tuple[str, ...]
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
