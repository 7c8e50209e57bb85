"""Confirmatory factor analysis by maximum likelihood with lavaan's conventions (Jöreskog 1969).

Model: Σ(θ) = ΛΦΛᵀ + Θ with Θ diagonal. Conventions follow ``lavaan::cfa`` (Rosseel 2012) defaults:

- the first loading of each factor is fixed to 1 (marker-variable scaling); factor variances and
  covariances are free; residual variances are free and unbounded (a negative one is reported with a
  warning, as lavaan does);
- the sample covariance uses divisor N; incomplete rows are dropped (listwise, lavaan's default);
- F_ML = ln|Σ| + tr(SΣ⁻¹) − ln|S| − p, test statistic χ² = N · F_ML, df = p(p+1)/2 − q;
- CFI and TLI against the independence (diagonal) baseline; RMSEA = √(max(χ² − df, 0) / (df · N));
  SRMR as lavaan's ``srmr`` (Bentler's, residuals standardised by the observed SDs, diagonal included);
  log-likelihood −N/2 · (p ln 2π + ln|Σ| + tr(SΣ⁻¹)); AIC and BIC with q free parameters;
- standard errors from the expected information matrix (lavaan ``se = "standard"``).

The fit is our own (scipy BFGS with the analytic gradient ∂F/∂Σ = Σ⁻¹ − Σ⁻¹SΣ⁻¹), not semopy:
semopy 2.3 stops its optimiser early enough that loadings differ from lavaan by up to 1.2e-3 on
Holzinger–Swineford, computes RMSEA with N − 1 and reports no SRMR; see ``docs/psychometrics-stack.md``.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats

from assessment.psychometrics._frame import check_columns, numeric_frame
from assessment.psychometrics.efa import fit_uniquenesses


class CFAWarning(UserWarning):
    """The CFA solution is suspect: non-convergence or an improper (Heywood) solution."""


@dataclass(frozen=True)
class CFAResult:
    """Result of :func:`cfa`.

    Attributes
    ----------
    chi2, dof, pvalue : float
        Model χ² = N · F_ML, its degrees of freedom and p-value.
    cfi, tli : float
        Comparative fit and Tucker–Lewis indices (0…1; TLI can exceed 1).
    rmsea : float
        Root mean square error of approximation (≥ 0; < .06 conventionally good).
    srmr : float
        Standardised root mean square residual (≥ 0; < .08 conventionally good).
    loglik, loglik_unrestricted, aic, bic : float
        Model and saturated log-likelihoods (natural log), information criteria.
    baseline_chi2, baseline_dof : float
        Independence model χ² and df.
    loadings : DataFrame
        One row per (factor, item): ``factor``, ``item``, ``est`` (unstandardised), ``se``, ``std_all``
        (standardised: λ·√φ / √σ_ii), ``fixed`` (True for the marker loadings).
    factor_cov : DataFrame, factors × factors
        Estimated factor covariance matrix Φ.
    factor_corr : DataFrame, factors × factors
        Φ scaled to correlations.
    residual_var : Series
        Residual (unique) variances θ per item, in the items' squared units.
    implied_cov : DataFrame
        Model-implied covariance matrix Σ(θ̂).
    n_obs : int
        Rows used (after listwise deletion).
    converged : bool
    """

    chi2: float
    dof: int
    pvalue: float
    cfi: float
    tli: float
    rmsea: float
    srmr: float
    loglik: float
    loglik_unrestricted: float
    aic: float
    bic: float
    baseline_chi2: float
    baseline_dof: int
    loadings: pd.DataFrame
    factor_cov: pd.DataFrame
    factor_corr: pd.DataFrame
    residual_var: pd.Series
    implied_cov: pd.DataFrame
    n_obs: int
    converged: bool
    extra: dict = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        return (f"CFA (ML, n={self.n_obs}): chi2={self.chi2:.3f} df={self.dof} p={self.pvalue:.4g} "
                f"CFI={self.cfi:.3f} TLI={self.tli:.3f} RMSEA={self.rmsea:.3f} SRMR={self.srmr:.3f}\n"
                + self.loadings.round(3).to_string(index=False))


class _Spec:
    """Index bookkeeping between the free-parameter vector and (Λ, Φ, θ)."""

    def __init__(self, items: list[str], model: dict[str, list[str]]):
        self.items = items
        self.factors = list(model)
        p, m = len(items), len(self.factors)
        self.p, self.m = p, m
        pos = {it: i for i, it in enumerate(items)}
        self.fixed = [(pos[model[f][0]], k) for k, f in enumerate(self.factors)]
        self.free_load = [(pos[it], k) for k, f in enumerate(self.factors) for it in model[f][1:]]
        self.phi_idx = [(i, j) for i in range(m) for j in range(i + 1)]
        self.n_load, self.n_phi = len(self.free_load), len(self.phi_idx)
        self.n_par = self.n_load + self.n_phi + p
        li = np.array(self.free_load, dtype=int).reshape(-1, 2)
        self.load_rows, self.load_cols = li[:, 0], li[:, 1]
        fi = np.array(self.phi_idx, dtype=int)
        self.phi_rows, self.phi_cols = fi[:, 0], fi[:, 1]

    def unpack(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lam = np.zeros((self.p, self.m))
        for i, k in self.fixed:
            lam[i, k] = 1.0
        lam[self.load_rows, self.load_cols] = theta[: self.n_load]
        phi = np.zeros((self.m, self.m))
        vals = theta[self.n_load: self.n_load + self.n_phi]
        phi[self.phi_rows, self.phi_cols] = vals
        phi[self.phi_cols, self.phi_rows] = vals
        psi = theta[self.n_load + self.n_phi:]
        return lam, phi, psi

    def sigma(self, theta: np.ndarray) -> np.ndarray:
        lam, phi, psi = self.unpack(theta)
        return lam @ phi @ lam.T + np.diag(psi)


def _objective(theta: np.ndarray, spec: _Spec, s: np.ndarray, logdet_s: float) -> tuple[float, np.ndarray]:
    lam, phi, psi = spec.unpack(theta)
    sigma = lam @ phi @ lam.T + np.diag(psi)
    sign, logdet = np.linalg.slogdet(sigma)
    if sign <= 0:
        # outside the positive-definite cone: a large value steers the line search back
        return 1e10, np.zeros_like(theta)
    inv = np.linalg.inv(sigma)
    f = logdet + np.trace(s @ inv) - logdet_s - spec.p
    g_sigma = inv - inv @ s @ inv
    g_lam = 2.0 * g_sigma @ lam @ phi
    g_phi = lam.T @ g_sigma @ lam
    g_phi_free = np.where(spec.phi_rows == spec.phi_cols, 1.0, 2.0) * g_phi[spec.phi_rows, spec.phi_cols]
    grad = np.concatenate([g_lam[spec.load_rows, spec.load_cols], g_phi_free, np.diag(g_sigma)])
    return float(f), grad


def _start(spec: _Spec, s: np.ndarray, model: dict[str, list[str]]) -> np.ndarray:
    # per-factor one-factor minres on the correlations gives sensible loadings and variances to start from
    sd = np.sqrt(np.diag(s))
    r = s / np.outer(sd, sd)
    pos = {it: i for i, it in enumerate(spec.items)}
    lam_start: dict[tuple[int, int], float] = {}
    phi = np.zeros((spec.m, spec.m))
    theta_var = 0.5 * np.diag(s)
    for k, f in enumerate(spec.factors):
        idx = [pos[it] for it in model[f]]
        sub = r[np.ix_(idx, idx)]
        if len(idx) >= 3:
            load, _, _ = fit_uniquenesses(sub, 1, "minres")
            ell = load[:, 0] * np.sign(load[0, 0] or 1.0)
        else:
            ell = np.full(len(idx), np.sqrt(abs(sub[0, 1])))
        ell = np.clip(ell, 0.1, 0.95)
        unstd = ell * sd[idx]
        phi[k, k] = unstd[0] ** 2
        for j, i in enumerate(idx[1:], start=1):
            lam_start[(i, k)] = unstd[j] / unstd[0]
        for j, i in enumerate(idx):
            theta_var[i] = (1 - ell[j] ** 2) * s[i, i]
    theta = np.concatenate([[lam_start[(i, k)] for i, k in spec.free_load],
                            [phi[i, j] for i, j in spec.phi_idx], theta_var])
    return theta


def _expected_information_se(spec: _Spec, theta: np.ndarray, n: int) -> np.ndarray:
    # Δ = ∂vech Σ / ∂θ by central differences (Σ is quadratic in θ, so this is exact up to rounding);
    # I = ½ Δᵀ D (Σ⁻¹ ⊗ Σ⁻¹) D Δ evaluated on the full vec, cov(θ̂) = I⁻¹ / N
    p = spec.p
    sigma = spec.sigma(theta)
    inv = np.linalg.inv(sigma)
    h = 1e-6
    jac = np.empty((p * p, len(theta)))
    for a in range(len(theta)):
        e = np.zeros_like(theta)
        e[a] = h
        jac[:, a] = ((spec.sigma(theta + e) - spec.sigma(theta - e)) / (2 * h)).ravel()
    w = np.kron(inv, inv)
    info = 0.5 * jac.T @ w @ jac
    try:
        cov = np.linalg.inv(info) / n
    except np.linalg.LinAlgError:
        return np.full(len(theta), np.nan)
    return np.sqrt(np.clip(np.diag(cov), 0.0, None))


def _validate_model(model: dict[str, list[str]], frame: pd.DataFrame) -> None:
    if not isinstance(model, dict) or not model:
        raise ValueError("cfa model: give a dict mapping each factor name to its list of items, e.g. "
                         "{'visual': ['x1', 'x2', 'x3']}.")
    for f, items in model.items():
        if not isinstance(items, (list, tuple)) or len(items) < 2:
            raise ValueError(f"cfa model: factor {f!r} needs at least 2 items (3 if it is the only factor).")
        if len(set(items)) != len(items):
            raise ValueError(f"cfa model: factor {f!r} lists an item twice.")
        check_columns(frame, items, what=f"cfa model factor {f!r}")
    if len(model) == 1 and len(next(iter(model.values()))) < 3:
        raise ValueError("cfa model: a single factor needs at least 3 items to be identified.")


def cfa(data: pd.DataFrame, model: dict[str, list[str]]) -> CFAResult:
    """Fit a simple-structure confirmatory factor model by maximum likelihood (lavaan conventions).

    Parameters
    ----------
    data : DataFrame, shape (n_persons, ≥ items in the model)
        Numeric scores; only the columns named in ``model`` are used; incomplete rows are dropped.
    model : dict[str, list[str]]
        Factor name → its items; the first item of each factor is the marker (loading fixed to 1).

    Returns
    -------
    CFAResult

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(400, 1))
    >>> x = pd.DataFrame(f @ [[1.0, 0.8, 0.6]] + rng.normal(scale=0.7, size=(400, 3)), columns=["a", "b", "c"])
    >>> round(cfa(x, {"g": ["a", "b", "c"]}).dof)
    0

    References
    ----------
    Jöreskog, K. G. (1969). A general approach to confirmatory maximum likelihood factor analysis.
    Psychometrika 34. Rosseel, Y. (2012). lavaan: An R package for structural equation modeling. JSS 48(2).
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError("cfa data: give a pandas DataFrame whose column names match the model's items.")
    _validate_model(model, data)
    items = list(dict.fromkeys(it for its in model.values() for it in its))
    frame = numeric_frame(data[items], what="cfa data", min_rows=3, min_columns=2)
    frame = frame.dropna()
    n = frame.shape[0]
    p = len(items)
    if n <= p:
        raise ValueError(f"cfa data: {n} complete rows for {p} items; need more persons than items.")
    x = frame.to_numpy()
    centred = x - x.mean(axis=0)
    s = centred.T @ centred / n
    logdet_s = np.linalg.slogdet(s)[1]
    spec = _Spec(items, model)
    dof = p * (p + 1) // 2 - spec.n_par
    if dof < 0:
        raise ValueError(f"cfa model: {spec.n_par} free parameters for {p * (p + 1) // 2} variances and "
                         f"covariances (df = {dof}); the model is not identified — add items or fix parameters.")
    theta0 = _start(spec, s, model)
    res = optimize.minimize(_objective, theta0, args=(spec, s, logdet_s), jac=True, method="BFGS",
                            options={"gtol": 1e-10, "maxiter": 10000})
    theta = res.x
    fmin, grad = _objective(theta, spec, s, logdet_s)
    converged = bool(np.max(np.abs(grad)) < 1e-6)
    if not converged:
        warnings.warn(f"cfa: the ML fit did not converge (largest gradient {np.max(np.abs(grad)):.2g}); "
                      f"check the model for under-identified factors.", CFAWarning, stacklevel=2)
    lam, phi, psi = spec.unpack(theta)
    if np.any(psi < 0):
        bad = [items[i] for i in np.nonzero(psi < 0)[0]]
        warnings.warn(f"cfa: negative residual variance for {bad} (Heywood case); the solution is improper.",
                      CFAWarning, stacklevel=2)
    sigma = spec.sigma(theta)
    se = _expected_information_se(spec, theta, n)

    chi2 = n * fmin
    base_f = float(np.sum(np.log(np.diag(s))) - logdet_s)
    base_chi2 = n * base_f
    base_dof = p * (p - 1) // 2
    pvalue = float(stats.chi2.sf(chi2, dof)) if dof > 0 else float("nan")
    d_model, d_base = max(chi2 - dof, 0.0), max(base_chi2 - base_dof, 0.0)
    cfi = 1.0 - d_model / max(d_model, d_base) if max(d_model, d_base) > 0 else 1.0
    tli = ((base_chi2 / base_dof) - (chi2 / dof)) / ((base_chi2 / base_dof) - 1.0) if dof > 0 else 1.0
    rmsea = float(np.sqrt(d_model / (dof * n))) if dof > 0 else 0.0
    sd = np.sqrt(np.diag(s))
    std_resid = (s - sigma) / np.outer(sd, sd)
    tril = np.tril_indices(p)
    srmr = float(np.sqrt(np.mean(std_resid[tril] ** 2)))
    inv = np.linalg.inv(sigma)
    loglik = -0.5 * n * (p * np.log(2 * np.pi) + np.linalg.slogdet(sigma)[1] + np.trace(s @ inv))
    loglik_sat = -0.5 * n * (p * np.log(2 * np.pi) + logdet_s + p)
    aic = -2 * loglik + 2 * spec.n_par
    bic = -2 * loglik + spec.n_par * np.log(n)

    rows = []
    free_pos = {pair: a for a, pair in enumerate(spec.free_load)}
    for k, f in enumerate(spec.factors):
        for it in model[f]:
            i = items.index(it)
            est = lam[i, k]
            rows.append({"factor": f, "item": it, "est": est,
                         "se": 0.0 if (i, k) not in free_pos else se[free_pos[(i, k)]],
                         "std_all": est * np.sqrt(phi[k, k]) / np.sqrt(sigma[i, i]),
                         "fixed": (i, k) not in free_pos})
    fsd = np.sqrt(np.diag(phi))
    return CFAResult(
        chi2=float(chi2), dof=int(dof), pvalue=pvalue, cfi=float(cfi), tli=float(tli), rmsea=rmsea, srmr=srmr,
        loglik=float(loglik), loglik_unrestricted=float(loglik_sat), aic=float(aic), bic=float(bic),
        baseline_chi2=float(base_chi2), baseline_dof=int(base_dof),
        loadings=pd.DataFrame(rows),
        factor_cov=pd.DataFrame(phi, index=spec.factors, columns=spec.factors),
        factor_corr=pd.DataFrame(phi / np.outer(fsd, fsd), index=spec.factors, columns=spec.factors),
        residual_var=pd.Series(psi, index=items, name="theta"),
        implied_cov=pd.DataFrame(sigma, index=items, columns=items),
        n_obs=int(n), converged=converged,
        extra={"theta": theta, "se": se, "n_iter": int(res.nit)})
