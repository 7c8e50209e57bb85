"""Differential item functioning for dichotomous items: Mantel–Haenszel and logistic regression.

Mantel–Haenszel (Holland & Thayer 1988; Mantel & Haenszel 1959). Persons are matched on the total score
(number correct over all items, the studied item included, missing answers counting 0), strata with fewer
than 2 persons are dropped. Per stratum k with A/B the reference group's right/wrong counts and C/D the
focal group's: α_MH = Σ(A_k D_k / N_k) / Σ(B_k C_k / N_k); MH D-DIF = −2.35 ln α_MH (negative: the item is
harder for the focal group); the MH χ² with the continuity correction min(½, |Σ(A − E A)|) as R's
``mantelhaen.test``; the SE of ln α_MH by Robins, Breslow & Greenland (1986).
ETS classes (Zwick 2012, ETS RR-12-08): **A** when |D| < 1 or the MH χ² is not significant at ``alpha``;
**C** when |D| ≥ 1.5 and |D| is significantly greater than 1 (one-sided z = (|D| − 1)/SE_D > z_{1−alpha});
**B** otherwise.

Logistic regression (Swaminathan & Rogers 1990): three nested logits per item, M0: total; M1: total + group
(uniform DIF); M2: total + group + total × group (non-uniform DIF). Likelihood-ratio tests M1 vs M0
(uniform, 1 df), M2 vs M1 (non-uniform, 1 df), M2 vs M0 (combined, 2 df). Effect size: change in Nagelkerke
R² (as difR computes it), ΔR² = R²(M2) − R²(M0), classified when the 2-df test is significant by
Zumbo & Thomas (1997): A < 0.13 ≤ B < 0.26 ≤ C, and by Jodoin & Gierl (2001): A < 0.035 ≤ B < 0.070 ≤ C.
The logits are fitted with statsmodels' GLM (binomial, IRLS).

For ordinal (Likert) items: Mantel's (1963) χ² for ordered categories and the standardised mean
difference SMD (Dorans & Schmitt 1991), classed by the second ETS rule, AA/BB/CC on |SMD / SD| with
cuts 0.17 and 0.25 (Zwick, Thayer & Mazzeo 1997). Screening many items (and several comparisons) at
once takes its significance from Benjamini–Hochberg (1995) q-values.

Agreement with base R (``mantelhaen.test``, ``glm``) on simulated data is tested in ``tests/assessment``.
"""
from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from assessment.psychometrics._frame import numeric_frame

D_SCALE = -2.35


def _groups(group: pd.Series | np.ndarray | list, index: pd.Index, reference: object | None,
            focal: object | None) -> np.ndarray:
    g = pd.Series(np.asarray(group), index=index) if not isinstance(group, pd.Series) else group
    if len(g) != len(index):
        raise ValueError(f"dif group: {len(g)} values for {len(index)} persons; give one group label per row.")
    if g.isna().any():
        raise ValueError(f"dif group: {int(g.isna().sum())} missing group labels; drop those persons first.")
    levels = sorted(pd.unique(g), key=str)
    if len(levels) != 2:
        raise ValueError(f"dif group: DIF compares exactly two groups, found {len(levels)} "
                         f"({[str(v) for v in levels][:10]}); recode into reference and focal.")
    if reference is None and focal is None:
        reference, focal = levels
    elif reference is None:
        reference = levels[0] if levels[1] == focal else levels[1]
    elif focal is None:
        focal = levels[0] if levels[1] == reference else levels[1]
    if {reference, focal} != set(levels):
        raise ValueError(f"dif group: reference={reference!r}, focal={focal!r} do not match the group "
                         f"labels {[str(v) for v in levels]}.")
    return (g.to_numpy() == focal).astype(int)


def _mh_item(y: np.ndarray, focal: np.ndarray, strata: np.ndarray, alpha: float) -> dict[str, float | str]:
    ok = ~np.isnan(y)
    y, focal, strata = y[ok], focal[ok], strata[ok]
    levels, inverse, counts = np.unique(strata, return_inverse=True, return_counts=True)
    keep = counts[inverse] >= 2
    y, focal, inverse = y[keep], focal[keep], inverse[keep]
    k = len(levels)
    a = np.bincount(inverse, weights=(focal == 0) & (y == 1), minlength=k)
    b = np.bincount(inverse, weights=(focal == 0) & (y == 0), minlength=k)
    c = np.bincount(inverse, weights=(focal == 1) & (y == 1), minlength=k)
    d = np.bincount(inverse, weights=(focal == 1) & (y == 0), minlength=k)
    n = a + b + c + d
    used = n >= 2
    a, b, c, d, n = a[used], b[used], c[used], d[used], n[used]
    n_ref, n_foc, m1, m0 = a + b, c + d, a + c, b + d
    expected = n_ref * m1 / n
    var = n_ref * n_foc * m1 * m0 / (n**2 * (n - 1))
    delta = float(np.sum(a - expected))
    yates = min(0.5, abs(delta))
    chi2 = (abs(delta) - yates) ** 2 / var.sum() if var.sum() > 0 else float("nan")
    p_value = float(stats.chi2.sf(chi2, 1)) if np.isfinite(chi2) else float("nan")
    r_k, s_k = a * d / n, b * c / n
    r_sum, s_sum = r_k.sum(), s_k.sum()
    if r_sum > 0 and s_sum > 0:
        alpha_mh = r_sum / s_sum
        p_k, q_k = (a + d) / n, (b + c) / n
        # Robins, Breslow & Greenland (1986) variance of ln α_MH
        var_ln = (np.sum(p_k * r_k) / (2 * r_sum**2) + np.sum(p_k * s_k + q_k * r_k) / (2 * r_sum * s_sum)
                  + np.sum(q_k * s_k) / (2 * s_sum**2))
        se_ln = float(np.sqrt(var_ln))
        d_dif = D_SCALE * np.log(alpha_mh)
        se_d = 2.35 * se_ln
    else:
        alpha_mh = d_dif = se_ln = se_d = float("nan")
    ets = ets_mh_class(d_dif, se_d, p_value < alpha, alpha)
    z95 = stats.norm.ppf(0.975)
    return {"mh_chi2": float(chi2), "mh_p": p_value, "alpha_mh": float(alpha_mh),
            "alpha_mh_low": float(np.exp(np.log(alpha_mh) - z95 * se_ln)),
            "alpha_mh_high": float(np.exp(np.log(alpha_mh) + z95 * se_ln)),
            "mh_d_dif": float(d_dif), "mh_d_se": float(se_d), "ets_class": ets,
            "favours": "" if ets == "A" else ("reference" if d_dif < 0 else "focal"),
            "n_strata": int(len(n))}


def ets_mh_class(d_dif: float, se: float, significant: bool, alpha: float = 0.05) -> str:
    """ETS class A/B/C of an MH D-DIF value (delta metric) with standard error ``se`` (Zwick 2012).

    **A** when |D| < 1, D is not finite or the test of no DIF is not ``significant``; **C** when
    |D| ≥ 1.5 and |D| is significantly greater than 1 (one-sided z = (|D| − 1)/SE > z_{1−alpha});
    **B** otherwise.
    """
    size = abs(d_dif)
    if not (np.isfinite(d_dif) and significant) or size < 1.0:
        return "A"
    return "C" if size >= 1.5 and (size - 1.0) / se > stats.norm.ppf(1 - alpha) else "B"


def ets_smd_class(effect: float, significant: bool) -> str:
    """The second ETS rule, for ordinal items: class of SMD / SD (Zwick, Thayer & Mazzeo 1997).

    ``effect`` is the standardised mean difference divided by the item's SD (unitless). AA ("A") when
    |effect| ≤ 0.17, the effect is not finite or the test is not ``significant``; CC ("C") when
    |effect| > 0.25; BB ("B") otherwise.
    """
    if not (np.isfinite(effect) and significant):
        return "A"
    size = abs(effect)
    if size <= 0.17:
        return "A"
    return "C" if size > 0.25 else "B"


def mantel_smd(y: np.ndarray, focal: np.ndarray, strata: np.ndarray) -> tuple[float, float, float]:
    """Mantel (1963) ordinal χ² p-value, SMD (focal − reference, Dorans & Schmitt 1991) and SMD / SD.

    ``y`` (n,) item scores (NaN = not answered, left out), ``focal`` (n,) bool focal-group flag,
    ``strata`` (n,) matching-score values. The SMD is in the item's score units, weighted by the
    focal group's share in each stratum; SMD / SD divides by the item's SD over everyone (ddof 1).
    For 0/1 items the χ² is the Cochran–Mantel–Haenszel statistic without continuity correction.
    """
    ok = ~np.isnan(y)
    y, focal, strata = y[ok], focal[ok], strata[ok]
    num = exp = var = smd = 0.0
    n_focal = focal.sum()
    for s in np.unique(strata):
        m = strata == s
        yf, yr = y[m & focal], y[m & ~focal]
        nf, nr = yf.size, yr.size
        n = nf + nr
        if nf == 0 or nr == 0 or n < 2:
            continue
        ys = y[m]
        num += yf.sum()
        exp += nf * ys.mean()
        var += nr * nf / (n * n * (n - 1)) * (n * np.sum(ys * ys) - ys.sum() ** 2)
        smd += nf / n_focal * (yf.mean() - yr.mean())
    chi2 = (num - exp) ** 2 / var if var > 0 else np.nan
    p = float(stats.chi2.sf(chi2, 1)) if np.isfinite(chi2) else np.nan
    sd = float(np.std(y, ddof=1))
    return p, float(smd), float(smd / sd) if sd > 0 else np.nan


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg (1995) adjusted p-values (q-values) of the finite entries of ``p``.

    ``p`` (m,) p-values in [0, 1], NaN allowed (kept as NaN and not counted among the m tests).
    q_(i) = min_{k ≥ i} p_(k) · m / k, capped at 1; a test is significant at FDR level α when q < α.
    """
    q = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if not ok.any():
        return q
    pv = p[ok]
    order = np.argsort(pv)
    ranked = pv[order] * pv.size / np.arange(1, pv.size + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty_like(pv)
    out[order] = np.minimum(ranked, 1.0)
    q[ok] = out
    return q


def _nagelkerke(deviance: float, null_deviance: float, n: int) -> float:
    cox_snell = 1.0 - np.exp((deviance - null_deviance) / n)
    return float(cox_snell / (1.0 - np.exp(-null_deviance / n)))


def _class(delta_r2: float, significant: bool, cuts: tuple[float, float]) -> str:
    if not significant or not np.isfinite(delta_r2) or delta_r2 < cuts[0]:
        return "A"
    return "B" if delta_r2 < cuts[1] else "C"


def _logistic_item(y: np.ndarray, focal: np.ndarray, total: np.ndarray, alpha: float) -> dict[str, float | str]:
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    ok = ~np.isnan(y)
    y, g, s = y[ok], focal[ok].astype(float), total[ok]
    n = len(y)
    designs = [np.column_stack([np.ones(n), s]), np.column_stack([np.ones(n), s, g]),
               np.column_stack([np.ones(n), s, g, s * g])]
    fits = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        for x in designs:
            try:
                res = sm.GLM(y, x, family=sm.families.Binomial()).fit()
                fits.append((float(res.deviance), float(res.null_deviance)))
            except Exception:  # statsmodels raises on perfect separation in some versions
                fits.append((float("nan"), float("nan")))
    (d0, nd), (d1, _), (d2, _) = fits
    r2 = [_nagelkerke(dev, nd, n) for dev, _ in fits]
    uni, non, comb = d0 - d1, d1 - d2, d0 - d2
    p_uni, p_non, p_comb = stats.chi2.sf(uni, 1), stats.chi2.sf(non, 1), stats.chi2.sf(comb, 2)
    delta = r2[2] - r2[0]
    significant = bool(p_comb < alpha)
    return {"uniform_chi2": float(uni), "uniform_p": float(p_uni),
            "nonuniform_chi2": float(non), "nonuniform_p": float(p_non),
            "combined_chi2": float(comb), "combined_p": float(p_comb),
            "delta_r2": float(delta), "delta_r2_uniform": float(r2[1] - r2[0]),
            "delta_r2_nonuniform": float(r2[2] - r2[1]),
            "zumbo_thomas_class": _class(delta, significant, (0.13, 0.26)),
            "jodoin_gierl_class": _class(delta, significant, (0.035, 0.070))}


def dif(data: pd.DataFrame | np.ndarray, group: pd.Series | np.ndarray | list,
        method: Literal["mh", "logistic"] = "mh", *, reference: object | None = None,
        focal: object | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Screen every item of a dichotomous test for DIF between a reference and a focal group.

    Parameters
    ----------
    data : DataFrame or 2-D array, shape (n_persons, n_items)
        Item scores 0/1; missing answers are allowed (they count 0 in the matching total and the person
        is left out of that item's analysis).
    group : array-like of length n_persons
        Two group labels. By default the first label in sorted order is the reference group.
    method : {"mh", "logistic"}
        Mantel–Haenszel with ETS classes, or logistic-regression DIF with ΔR² classes.
    reference, focal : label, optional
        Which label is which; give one or both.
    alpha : float
        Significance level of the tests, 0…1 (default 0.05).

    Returns
    -------
    DataFrame indexed by item. For ``"mh"``: ``mh_chi2``, ``mh_p``, ``alpha_mh`` (common odds ratio, >1
    favours the reference group) with its 95 % CI, ``mh_d_dif`` (delta metric) and its SE, ``ets_class``
    (A/B/C), ``favours``, ``n_strata``. For ``"logistic"``: χ² and p of the uniform, non-uniform and combined
    tests, Nagelkerke ΔR² (total and by component), ``zumbo_thomas_class`` and ``jodoin_gierl_class``.

    References
    ----------
    Holland, P. W. & Thayer, D. T. (1988). Differential item performance and the Mantel–Haenszel procedure.
    Swaminathan, H. & Rogers, H. J. (1990). Detecting DIF using logistic regression procedures. JEM 27.
    Zumbo, B. D. & Thomas, D. R. (1997); Jodoin, M. G. & Gierl, M. J. (2001). Applied Measurement in Education 14.
    """
    if method not in ("mh", "logistic"):
        raise ValueError(f"method={method!r} is not supported; use 'mh' or 'logistic'.")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha!r}: the significance level must lie strictly between 0 and 1.")
    frame = numeric_frame(data, what="dif data", min_rows=10, min_columns=2)
    values = frame.to_numpy()
    observed = values[~np.isnan(values)]
    if not np.isin(observed, (0.0, 1.0)).all():
        col = frame.columns[(~np.isin(values, (0.0, 1.0)) & ~np.isnan(values)).any(axis=0)][0]
        raise ValueError(f"dif data: column {col!r} has values other than 0 and 1; DIF here is for "
                         f"dichotomously scored items — score the responses first.")
    focal_flag = _groups(group, frame.index, reference, focal)
    if min(focal_flag.sum(), len(focal_flag) - focal_flag.sum()) < 5:
        raise ValueError("dif group: each group needs at least 5 persons.")
    total = np.nansum(values, axis=1)
    rows = {}
    for j, item in enumerate(frame.columns):
        y = values[:, j]
        rows[str(item)] = (_mh_item(y, focal_flag, total, alpha) if method == "mh"
                           else _logistic_item(y, focal_flag, total, alpha))
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "item"
    return out
