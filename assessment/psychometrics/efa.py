"""Exploratory factor analysis: minres and maximum likelihood, as R's ``psych::fa`` computes them.

Algorithm (Revelle, psych 2.2 ``fa``; Harman & Jones 1966 minres; Jöreskog 1967 ML):

1. Pearson correlations from pairwise-complete observations (``cor(x, use = "pairwise")``).
2. Starting uniquenesses ψ = 1 − SMC (squared multiple correlations, from the inverse correlation matrix).
3. *minres*: minimise the unweighted least-squares residual F(ψ) = ½ Σ_{j>m} e_j² over ψ, where e_j are the
   eigenvalues of R − diag(ψ); the loadings are the first m eigenvectors scaled by √e_j. At the optimum the
   diagonal residual is zero, so this is the same optimum as psych's off-diagonal objective, reached with
   psych's own gradient diag(ΛΛᵀ + ψ − R). *ml*: minimise Jöreskog's concentrated ML discrepancy
   (``FAfn``/``FAgr`` of psych, as in ``stats::factanal``). Both by L-BFGS-B with ψ ∈ [0.005, max(SMC, 1)].
4. Rotation: ``oblimin`` (GPArotation quartimin, γ = 0, no Kaiser normalisation) through statsmodels'
   ``factor_rotation`` (gradient projection, Jennrich 2002 — the same algorithm as GPArotation);
   ``varimax`` as ``stats::varimax`` (Kaiser 1958 with Kaiser normalisation, relative tolerance 1e-5);
   ``promax`` as psych's ``kaiser(…, "Promax")`` (Hendrickson & White 1964, power 4, on Kaiser-normalised
   rows); ``none``.
5. psych's post-processing: reflect each factor so its loadings sum positive, order factors by the
   variance they explain (diag(Φ ΛᵀΛ)).
6. Fit statistics as ``psych::factor.stats``: RMSR of the off-diagonal residuals (weighted by pair counts
   when data are incomplete), the ML objective at the solution, Bartlett-corrected χ², df, Tucker–Lewis
   index, RMSEA and BIC — reported for minres as well, as psych does.

Agreement with R 4.2 / psych 2.2.9 on the 25 bfi items (5 factors) is tested to 0.01 in the loadings;
the measured differences are in ``docs/psychometrics-stack.md``.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize

from assessment.psychometrics._frame import numeric_frame, pairwise_cor

Method = Literal["minres", "ml"]
Rotation = Literal["oblimin", "promax", "varimax", "none"]

_PSI_LOWER = 0.005
_EPS = np.finfo(float).eps


class FactorAnalysisWarning(UserWarning):
    """The factor solution is suspect: the optimiser did not converge, or a Heywood case occurred."""


@dataclass(frozen=True)
class EFAResult:
    """Result of :func:`efa`.

    Attributes
    ----------
    loadings : DataFrame, items × factors
        Rotated pattern loadings (standardised metric, typically −1…1).
    communalities : Series
        h² = diag(ΛΦΛᵀ) per item, 0…1 (above 1 is a Heywood case).
    uniquenesses : Series
        1 − h² per item.
    factor_corr : DataFrame, factors × factors
        Factor correlations Φ (identity for orthogonal rotations and ``none``).
    structure : DataFrame, items × factors
        Structure loadings ΛΦ (item–factor correlations).
    unrotated : DataFrame, items × factors
        Loadings before rotation.
    rmsr : float
        Root mean square of the off-diagonal residual correlations (psych ``rms``).
    objective : float
        ML discrepancy of the fitted correlation matrix (psych ``objective``), ≥ 0.
    chi2, dof, pvalue, tli, rmsea, bic : float
        Bartlett-corrected χ² = objective · (n − 1 − (2p + 5)/6 − 2m/3), its degrees of freedom and p,
        Tucker–Lewis index, RMSEA (point estimate), BIC = χ² − df · ln n — as psych reports them.
    n_obs : int
        Number of persons (rows).
    method, rotation : str
        What was asked for.
    converged : bool
        Whether the uniqueness optimiser reported success.
    """

    loadings: pd.DataFrame
    communalities: pd.Series
    uniquenesses: pd.Series
    factor_corr: pd.DataFrame
    structure: pd.DataFrame
    unrotated: pd.DataFrame
    rmsr: float
    objective: float
    chi2: float
    dof: float
    pvalue: float
    tli: float
    rmsea: float
    bic: float
    n_obs: int
    method: str
    rotation: str
    converged: bool
    extra: dict = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        lines = [f"EFA: {self.loadings.shape[1]} factors, method={self.method}, rotation={self.rotation}, "
                 f"n={self.n_obs}",
                 self.loadings.round(2).assign(h2=self.communalities.round(2)).to_string(),
                 f"RMSR={self.rmsr:.3f}  chi2={self.chi2:.2f}  df={self.dof:g}  TLI={self.tli:.3f}  "
                 f"RMSEA={self.rmsea:.3f}  BIC={self.bic:.2f}"]
        return "\n".join(lines)


def smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlation of each variable with all others: 1 − 1/diag(R⁻¹), clipped to 0…1."""
    try:
        inv = np.linalg.inv(r)
    except np.linalg.LinAlgError:
        inv = np.linalg.pinv(r)
    return np.clip(1.0 - 1.0 / np.diag(inv), 0.0, 1.0)


def _top_eigen(s: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    values, vectors = np.linalg.eigh(s)
    order = np.argsort(values)[::-1]
    return values[order], vectors[:, order]


def _minres_loadings(psi: np.ndarray, r: np.ndarray, m: int) -> np.ndarray:
    values, vectors = _top_eigen(r - np.diag(psi), m)
    return vectors[:, :m] * np.sqrt(np.maximum(values[:m], 0.0))


def _minres_objective(psi: np.ndarray, r: np.ndarray, m: int) -> tuple[float, np.ndarray]:
    values, vectors = _top_eigen(r - np.diag(psi), m)
    rest = values[m:]
    load = vectors[:, :m] * np.sqrt(np.maximum(values[:m], 0.0))
    # d/dψ_i of ½Σ_{j>m} e_j² is diag(ΛΛᵀ + ψ − R)_i (psych's FAgr.minres)
    grad = np.einsum("ij,ij->i", load, load) + psi - np.diag(r)
    return 0.5 * float(rest @ rest), grad


def _ml_objective(psi: np.ndarray, r: np.ndarray, m: int) -> tuple[float, np.ndarray]:
    sc = 1.0 / np.sqrt(psi)
    values, vectors = _top_eigen(r * sc[:, None] * sc[None, :], m)
    e = values[m:]
    f = -(np.sum(np.log(e) - e) - m + r.shape[0])
    load = vectors[:, :m] * np.sqrt(np.maximum(values[:m] - 1.0, 0.0))
    load = load * np.sqrt(psi)[:, None]
    grad = (np.einsum("ij,ij->i", load, load) + psi - np.diag(r)) / psi**2
    return float(f), grad


def _ml_loadings(psi: np.ndarray, r: np.ndarray, m: int) -> np.ndarray:
    sc = 1.0 / np.sqrt(psi)
    values, vectors = _top_eigen(r * sc[:, None] * sc[None, :], m)
    load = vectors[:, :m] * np.sqrt(np.maximum(values[:m] - 1.0, 0.0))
    return load * np.sqrt(psi)[:, None]


def fit_uniquenesses(r: np.ndarray, m: int, method: Method) -> tuple[np.ndarray, np.ndarray, bool]:
    """Fit the unrotated m-factor model to a correlation matrix.

    Returns the loadings (p × m), the uniquenesses ψ and whether the optimiser converged.
    """
    start_smc = smc(r)
    upper = max(float(start_smc.max()), 1.0)
    start = np.clip(1.0 - start_smc, _PSI_LOWER, upper)
    fun = _minres_objective if method == "minres" else _ml_objective
    res = optimize.minimize(fun, start, args=(r, m), jac=True, method="L-BFGS-B",
                            bounds=[(_PSI_LOWER, upper)] * len(start),
                            options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 5000})
    psi = res.x
    load = _minres_loadings(psi, r, m) if method == "minres" else _ml_loadings(psi, r, m)
    return load, psi, bool(res.success)


def _reflect(load: np.ndarray) -> np.ndarray:
    signs = np.sign(load.sum(axis=0))
    signs[signs == 0] = 1.0
    return signs


def varimax(load: np.ndarray, normalize: bool = True, eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    """Varimax rotation exactly as R's ``stats::varimax`` (Kaiser 1958; SVD iteration, relative tol ``eps``).

    Returns the rotated loadings and the orthogonal rotation matrix T (rotated = load · T).
    """
    x = load.copy()
    p, k = x.shape
    if normalize:
        sc = np.sqrt((x * x).sum(axis=1))
        x = x / sc[:, None]
    t = np.eye(k)
    d = 0.0
    for _ in range(1000):
        z = x @ t
        b = x.T @ (z**3 - z @ np.diag((z * z).sum(axis=0)) / p)
        u, s, vt = np.linalg.svd(b)
        t = u @ vt
        d_past, d = d, float(s.sum())
        if d < d_past * (1 + eps):
            break
    z = x @ t
    if normalize:
        z = z * sc[:, None]
    return z, t


def promax(load: np.ndarray, power: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Promax as psych's ``fa(rotate = "promax")``: Kaiser-normalised rows, varimax, then the power-4 target.

    Hendrickson & White (1964). Returns the pattern loadings and the factor correlations Φ.
    """
    h2 = (load * load).sum(axis=1)
    weighted = load / np.sqrt(h2)[:, None]
    x, rot = varimax(weighted)
    q = x * np.abs(x) ** (power - 1)
    u, *_ = np.linalg.lstsq(x, q, rcond=None)
    d = np.diag(np.linalg.inv(u.T @ u))
    u = u * np.sqrt(d)[None, :]
    z = x @ u
    ui = np.linalg.inv(rot @ u)
    phi = ui @ ui.T
    return z * np.sqrt(h2)[:, None], phi


def oblimin(load: np.ndarray, gamma: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Direct oblimin (γ = 0: quartimin) by gradient projection, no Kaiser normalisation.

    Uses statsmodels' GPA implementation (Bernaards & Jennrich 2005), which follows GPArotation; the
    start is the identity as in GPArotation. Returns the pattern loadings and Φ.
    """
    from statsmodels.multivariate.factor_rotation import rotate_factors

    rotated, t = rotate_factors(load, "oblimin", gamma, "oblique")
    phi = t.T @ t
    return rotated, phi


def _cor_smooth(x: np.ndarray) -> np.ndarray:
    # psych::cor.smooth: lift non-positive eigenvalues so the matrix is invertible, then rescale
    values, vectors = np.linalg.eigh(x)
    if values.min() >= _EPS:
        return x
    values = np.where(values < _EPS, 100 * _EPS, values)
    values = values * x.shape[0] / values.sum()
    y = (vectors * values) @ vectors.T
    d = 1.0 / np.sqrt(np.diag(y))
    return y * d[:, None] * d[None, :]


def fit_statistics(r: np.ndarray, load: np.ndarray, phi: np.ndarray, n_obs: int,
                   np_obs: np.ndarray | None) -> dict[str, float]:
    """Fit statistics of a factor solution, following ``psych::factor.stats``."""
    p, m = load.shape
    model = load @ phi @ load.T
    residual = r - model
    np.fill_diagonal(residual, 0.0)
    dof = p * (p - 1) / 2 - p * m + m * (m - 1) / 2
    if np_obs is None:
        rmsr = float(np.sqrt((residual**2).sum() / (p * (p - 1))))
    else:
        off = ~np.eye(p, dtype=bool)
        nh = len(np_obs.ravel()) / np.sum(1.0 / np_obs.ravel())  # harmonic mean of the pair counts
        rmsr = float(np.sqrt((residual**2 * np_obs)[off].sum() / (nh * p * (p - 1))))
    model_full = model.copy()
    np.fill_diagonal(model_full, np.diag(r))
    model_full = _cor_smooth(model_full)
    rs = _cor_smooth(r)
    m_inv_r = np.linalg.solve(model_full, rs)
    objective = float(np.trace(m_inv_r) - np.linalg.slogdet(m_inv_r)[1] - p)
    correction = (n_obs - 1) - (2 * p + 5) / 6 - (2 * m) / 3
    chi2 = max(objective * correction, 0.0)
    from scipy import stats

    pvalue = float(stats.chi2.sf(chi2, dof)) if dof > 0 else float("nan")
    f0 = float(np.trace(rs) - np.linalg.slogdet(rs)[1] - p)
    mm = objective / dof if dof > 0 else float("nan")
    m0 = f0 * 2 / (p * (p - 1))
    tli = (m0 - mm) / (m0 - 1 / correction)
    if dof > 0:
        rmsea = float(np.sqrt(max(chi2 / (dof * n_obs) - 1 / (n_obs - 1), 0.0)))
        bic = chi2 - dof * np.log(n_obs)
    else:
        rmsea = bic = float("nan")
    return {"rmsr": rmsr, "objective": objective, "chi2": chi2, "dof": dof, "pvalue": pvalue,
            "tli": float(tli), "rmsea": rmsea, "bic": float(bic)}


def efa(data: pd.DataFrame | np.ndarray, n_factors: int, method: Method = "minres",
        rotation: Rotation = "oblimin") -> EFAResult:
    """Exploratory factor analysis of a persons × items table, matching ``psych::fa``.

    Parameters
    ----------
    data : DataFrame or 2-D array, shape (n_persons, n_items)
        Numeric item scores; missing cells are allowed (correlations are pairwise-complete).
    n_factors : int
        Number of factors m, 1 ≤ m and the model must have df ≥ 0.
    method : {"minres", "ml"}
        Minimum residual (psych's default) or maximum likelihood.
    rotation : {"oblimin", "promax", "varimax", "none"}
        Oblique: oblimin (default, as psych), promax. Orthogonal: varimax. ``none`` keeps the unrotated
        solution.

    Returns
    -------
    EFAResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(500, 2))
    >>> x = np.hstack([f[:, [0]] * 0.7, f[:, [0]] * 0.6, f[:, [0]] * 0.8,
    ...                f[:, [1]] * 0.7, f[:, [1]] * 0.6, f[:, [1]] * 0.8]) + rng.normal(scale=0.6, size=(500, 6))
    >>> efa(x, 2).loadings.shape
    (6, 2)

    References
    ----------
    Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality Research (fa, factor.stats).
    Harman, H. & Jones, W. (1966). Factor analysis by minimizing residuals (minres). Psychometrika 31.
    Jöreskog, K. G. (1967). Some contributions to maximum likelihood factor analysis. Psychometrika 32.
    Bernaards, C. & Jennrich, R. (2005). Gradient projection algorithms and software for arbitrary rotation
    criteria in factor analysis. Educational and Psychological Measurement 65.
    """
    if method not in ("minres", "ml"):
        raise ValueError(f"method={method!r} is not supported; use 'minres' or 'ml'.")
    if rotation not in ("oblimin", "promax", "varimax", "none"):
        raise ValueError(f"rotation={rotation!r} is not supported; use 'oblimin', 'promax', 'varimax' or 'none'.")
    frame = numeric_frame(data, what="efa data", min_rows=3, min_columns=3)
    p = frame.shape[1]
    if not isinstance(n_factors, (int, np.integer)) or n_factors < 1:
        raise ValueError(f"n_factors={n_factors!r}: give a positive whole number of factors.")
    dof = p * (p - 1) / 2 - p * n_factors + n_factors * (n_factors - 1) / 2
    if dof < 0:
        raise ValueError(f"n_factors={n_factors} is too many for {p} items (df = {dof:g} < 0); "
                         f"use at most the largest m with df ≥ 0.")
    x = frame.to_numpy()
    r, n_ij = pairwise_cor(x)
    if np.isnan(r).any():
        i, j = np.argwhere(np.isnan(r))[0]
        raise ValueError(f"efa data: items {frame.columns[i]!r} and {frame.columns[j]!r} are never answered "
                         f"by the same person, so their correlation is undefined; drop one of them.")
    complete = bool(np.all(~np.isnan(x)))
    load, psi, converged = fit_uniquenesses(r, n_factors, method)
    if not converged:
        warnings.warn(f"efa: the {method} optimiser did not converge; try fewer factors or check for items "
                      f"that are near-duplicates.", FactorAnalysisWarning, stacklevel=2)
    if n_factors > 1:
        load = load * _reflect(load)[None, :]
    elif load.sum() < 0:
        load = -load
    unrotated = load.copy()
    phi = np.eye(n_factors)
    if n_factors > 1 and rotation != "none":
        if rotation == "varimax":
            load, _ = varimax(load)
        elif rotation == "promax":
            load, phi = promax(load)
        else:
            load, phi = oblimin(load)
    signs = _reflect(load)
    load = load * signs[None, :]
    phi = phi * signs[:, None] * signs[None, :]
    if n_factors > 1:
        explained = np.diag(phi @ load.T @ load)
        order = np.argsort(-explained, kind="stable")
        load = load[:, order]
        phi = phi[np.ix_(order, order)]
    stats_ = fit_statistics(r, load, phi, frame.shape[0], None if complete else n_ij)
    h2 = np.einsum("ij,jk,ik->i", load, phi, load)
    if np.any(h2 > 1.0):
        warnings.warn("efa: an ultra-Heywood case (communality > 1) occurred; the solution is improper — "
                      "try fewer factors or method='minres'.", FactorAnalysisWarning, stacklevel=2)
    prefix = "MR" if method == "minres" else "ML"
    names = [f"{prefix}{k + 1}" for k in range(n_factors)]
    items = [str(c) for c in frame.columns]
    return EFAResult(
        loadings=pd.DataFrame(load, index=items, columns=names),
        communalities=pd.Series(h2, index=items, name="h2"),
        uniquenesses=pd.Series(1.0 - h2, index=items, name="u2"),
        factor_corr=pd.DataFrame(phi, index=names, columns=names),
        structure=pd.DataFrame(load @ phi, index=items, columns=names),
        unrotated=pd.DataFrame(unrotated, index=items, columns=names),
        n_obs=int(frame.shape[0]), method=method, rotation=rotation, converged=converged,
        extra={"psi": psi}, **stats_)
