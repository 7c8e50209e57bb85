"""MML-EM calibration (assessment.psychometrics.calibration): mirt agreement and independent checks."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from assessment.irt import ItemBank, normal_quadrature
from assessment.psychometrics.calibration import em, information, likelihood
from assessment.psychometrics.calibration.em import CalibrationConvergenceWarning, calibrate
from assessment.psychometrics.calibration.result import Calibration

DATA = Path(__file__).resolve().parents[1] / "data"


def expand(name: str) -> pd.DataFrame:
    frame = pd.read_csv(DATA / name)
    items = [c for c in frame.columns if c != "freq"]
    return pd.DataFrame(np.repeat(frame[items].to_numpy(float), frame["freq"].to_numpy(), axis=0),
                        columns=items)


@pytest.fixture(scope="module")
def lsat7_2pl() -> Calibration:
    return calibrate(expand("lsat7.csv"), "2pl", tol=1e-6)


# --------------------------------------------------------------------------- agreement with mirt
def test_lsat7_2pl_loglik_matches_mirt(lsat7_2pl):
    # philchalmers/mirt reference/LSAT7.md (mirt 1.45.7): mirt(expand.table(LSAT7)) prints
    # "Log-likelihood = -2658.805".
    assert lsat7_2pl.loglik == pytest.approx(-2658.805, abs=1e-3)


def test_lsat7_2pl_parameters_match_mirt(lsat7_2pl):
    # Same page, coef(mod): a1 = .988 1.081 1.706 .765 .736; d = 1.856 .808 1.804 .486 1.855
    # (printed to 3 decimals). mirt stops at a parameter change of 1e-4, which leaves item 3's slope
    # 1.5e-3 short of the maximum: its tighter SE.type = 'SEM' run in test-01-mirtOne.R reports
    # a1 = 1.7075 and d = 1.8052, as we do; hence 2e-3.
    a = lsat7_2pl.items["a"].to_numpy()
    d = -a * lsat7_2pl.items["b"].to_numpy()
    assert a == pytest.approx([0.988, 1.081, 1.706, 0.765, 0.736], abs=2e-3)
    assert d == pytest.approx([1.856, 0.808, 1.804, 0.486, 1.855], abs=2e-3)


def test_lsat7_2pl_standard_errors_match_mirt_numerical_information(lsat7_2pl):
    # mirt tests/testthat/test-01-mirtOne.R, modm2 (SE.type = 'Richardson', a numerical Hessian of
    # the observed log-likelihood): 95% CI of item 1's a1 = [0.6406, 1.3354] → SE = width / 3.92.
    assert lsat7_2pl.se.loc["item1", "a"] == pytest.approx((1.3354 - 0.6406) / 3.92, abs=2e-3)


def test_lsat7_2pl_m2_matches_mirt(lsat7_2pl):
    # philchalmers/mirt reference/M2.md: M2(mod1) → M2 = 11.938, df = 5, RMSEA = 0.037.
    assert lsat7_2pl.m2["M2"] == pytest.approx(11.938, abs=2e-3)
    assert lsat7_2pl.m2["df"] == 5
    assert lsat7_2pl.m2["RMSEA"] == pytest.approx(0.037, abs=1e-3)


def test_lsat7_2pl_sx2_matches_mirt(lsat7_2pl):
    # mirt tests/testthat/test-01-mirtOne.R: itemfit(modm1)$S_X2 = 4.749440 14.451071 1.270381
    # 5.237400 0.941125 with df 2 (modm1's estimates differ from ours in the 4th decimal).
    fit = lsat7_2pl.item_fit
    assert fit["S_X2"].to_numpy() == pytest.approx([4.749440, 14.451071, 1.270381, 5.237400, 0.941125],
                                                   abs=1e-2)
    assert fit["df"].tolist() == [2, 2, 2, 2, 2]


@pytest.fixture(scope="module")
def lsat6_rasch() -> Calibration:
    return calibrate(expand("lsat6.csv"), "rasch", tol=1e-6)


def test_lsat6_rasch_matches_mirt(lsat6_rasch):
    # philchalmers/mirt reference/LSAT6.md: mirt(dat, 1, itemtype = 'Rasch'): logLik = -2466.938;
    # d = 2.731 0.999 0.240 1.307 2.100; latent variance 0.572 (equal-slope fit: a = 0.755).
    assert lsat6_rasch.loglik == pytest.approx(-2466.938, abs=1e-3)
    assert -lsat6_rasch.items["b"].to_numpy() == pytest.approx([2.731, 0.999, 0.240, 1.307, 2.100], abs=1.5e-3)
    assert lsat6_rasch.latent_sd ** 2 == pytest.approx(0.572, abs=2e-3)
    assert (lsat6_rasch.items["a"] == 1.0).all()


def test_lsat6_rasch_fit_statistics_match_mirt(lsat6_rasch):
    # Same page: M2 = 5.293 (df 9); itemfit S_X2 = 0.436 1.576 0.872 0.190 0.190, df 2 2 1 2 2.
    assert lsat6_rasch.m2["M2"] == pytest.approx(5.293, abs=3e-3)
    assert lsat6_rasch.m2["df"] == 9
    assert lsat6_rasch.item_fit["S_X2"].to_numpy() == pytest.approx([0.436, 1.576, 0.872, 0.190, 0.190],
                                                                    abs=1e-3)
    assert lsat6_rasch.item_fit["df"].tolist() == [2, 2, 1, 2, 2]


# --------------------------------------------------------------------------- independent checks
def marginal_loglik(bank: ItemBank, x: np.ndarray) -> float:
    """Brute-force marginal log-likelihood on mirt's grid, written without the EM code."""
    quad = normal_quadrature()
    probs = bank.probabilities(quad.points)  # (Q, J, K)
    total = 0.0
    for row in x:
        like = np.ones(quad.points.size)
        for j, v in enumerate(row):
            if not np.isnan(v):
                like *= probs[:, j, int(v)]
        total += np.log(like @ quad.weights)
    return total


def simulate(bank: ItemBank, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    probs = bank.probabilities(rng.standard_normal(n))
    return (rng.random((n, bank.n_items, 1)) > probs.cumsum(axis=2)).sum(axis=2).astype(float)


def test_grm_with_missing_data_maximises_the_marginal_likelihood():
    truth = ItemBank.graded([1.2, 0.8, 1.6, 1.0], [[-1.0, 0.0, 1.0], [-0.5, 0.8, np.nan],
                                                  [-1.5, -0.2, 0.9], [-0.8, 0.4, 1.6]])
    x = simulate(truth, 400, seed=5)
    x[np.random.default_rng(6).random(x.shape) < 0.1] = np.nan
    cal = calibrate(pd.DataFrame(x, columns=list("pqrs")), "grm", tol=1e-7, item_fit=False)
    bank = cal.bank

    def negll(v):
        a, rest = v[:4], v[4:]
        d = np.full((4, 3), np.nan)
        d[0], d[1, :2], d[2], d[3] = rest[0:3], rest[3:5], rest[5:8], rest[8:11]
        try:
            return -marginal_loglik(ItemBank(a, d, np.zeros(4)), x)
        except ValueError:
            return np.inf

    start = np.concatenate([bank.slopes, bank.intercepts[0], bank.intercepts[1, :2],
                            bank.intercepts[2], bank.intercepts[3]])
    best = optimize.minimize(negll, start, method="Nelder-Mead",
                             options={"xatol": 1e-7, "fatol": 1e-9, "maxiter": 4000})
    assert cal.loglik == pytest.approx(-best.fun, abs=1e-5)
    assert cal.loglik == pytest.approx(marginal_loglik(bank, x), abs=1e-8)
    assert np.max(np.abs(best.x - start)) < 2e-3


def test_3pl_maximises_the_marginal_posterior_with_beta_prior_on_c():
    truth = ItemBank.dichotomous([1.5, 1.0, 2.0, 1.2], [-0.5, 0.0, 0.5, 1.0], [0.2, 0.15, 0.25, 0.2])
    x = simulate(truth, 600, seed=11)
    cal = calibrate(pd.DataFrame(x), "3pl", tol=1e-7, item_fit=False)
    bank = cal.bank

    def neglp(v):
        a, d, c = v[:4], v[4:8], v[8:]
        if np.any((c <= 0) | (c >= 1)):
            return np.inf
        prior = np.sum(4 * np.log(c) + 16 * np.log1p(-c))  # Beta(5, 17) kernel
        return -(marginal_loglik(ItemBank(a, d[:, None], c), x) + prior)

    start = np.concatenate([bank.slopes, bank.intercepts[:, 0], bank.guessing])
    best = optimize.minimize(neglp, start, method="Nelder-Mead",
                             options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 6000})
    assert cal.log_posterior == pytest.approx(-best.fun, abs=1e-5)
    assert np.max(np.abs(best.x - start)) < 2e-3
    assert "Beta(5, 17)" in cal.prior


def test_2pl_recovers_generating_parameters_from_a_large_sample():
    rng = np.random.default_rng(2)
    truth = ItemBank.dichotomous(rng.uniform(0.7, 2.0, 8), rng.normal(0, 1, 8))
    x = simulate(truth, 5000, seed=3)
    cal = calibrate(pd.DataFrame(x), "2pl", item_fit=False)
    z = (cal.items["b"].to_numpy() - truth.thresholds[:, 0]) / cal.se["b"].to_numpy()
    assert np.all(np.abs(z) < 4)
    assert np.abs(cal.items["a"].to_numpy() - truth.slopes).max() < 0.2


# --------------------------------------------------------------------------- behaviour
def test_grm_recodes_likert_values_to_zero_based_categories():
    x = simulate(ItemBank.graded([1.0, 1.5, 1.2], [[-1, 0, 1], [-1, 0, 1], [-0.5, 0.5, 1.5]]), 300, 8)
    cal = calibrate(pd.DataFrame(x + 1, columns=["a1", "a2", "a3"]), "grm", item_fit=False)
    assert list(cal.items.columns) == ["a", "b1", "b2", "b3"]
    assert cal.category_codes["a1"] == [1.0, 2.0, 3.0, 4.0]


def test_non_convergence_is_a_typed_warning_with_advice():
    x = expand("lsat7.csv")
    with pytest.warns(CalibrationConvergenceWarning, match="max_iter"):
        calibrate(x, "2pl", max_iter=3, item_fit=False, standard_errors=False)


def test_summary_is_readable():
    cal = calibrate(expand("lsat6.csv"), "2pl")
    text = cal.summary()
    assert "log-likelihood" in text and "S-X²" in text and "item3" in text
    assert repr(cal).startswith("Calibration(model='2pl'")


def test_constant_item_is_rejected():
    x = expand("lsat6.csv")
    x["item1"] = 1.0
    with pytest.raises(ValueError, match="constant"):
        calibrate(x, "2pl")


def test_non_binary_codes_are_rejected_for_dichotomous_models():
    x = expand("lsat6.csv")
    x.iloc[0, 0] = 2
    with pytest.raises(ValueError, match="0/1"):
        calibrate(x, "2pl")


def test_unknown_model_is_rejected():
    with pytest.raises(ValueError, match="model"):
        calibrate(expand("lsat6.csv"), "4pl")


# --------------------------------------------------------------------------- analytic standard errors
def _setup(frame: pd.DataFrame, model: str):
    """The fitted free-parameter vector and the internal data layout calibrate() works on."""
    cal = calibrate(frame, model, tol=1e-7, item_fit=False, standard_errors=False)
    xu, freq, ids, _, _ = em._prepare(frame, model)
    n_cat = (np.nanmax(xu, axis=0) + 1).astype(np.int64) if model == "grm" else np.full(xu.shape[1], 2)
    layout = likelihood.Layout(model, n_cat)
    data = likelihood.Patterns(xu, freq, layout.kmax)
    # Rasch: the bank has unit slopes and the latent SD plays the common slope (mirt's parameterisation)
    slope = np.full(layout.J, cal.latent_sd) if model == "rasch" else cal.bank.slopes
    psi = np.zeros(layout.n_psi)
    for j in range(layout.J):
        psi[layout.psi_index[j, 0]] = slope[j]
        for k in range(n_cat[j] - 1):
            psi[layout.psi_index[j, 1 + k]] = cal.bank.intercepts[j, k]
        if layout.has_c:
            psi[layout.psi_index[j, layout.kmax]] = cal.bank.guessing[j]
    return layout.phi_from_psi(psi), layout, ids, data


def _numerical_information(phi, layout, ids, data) -> np.ndarray:
    """−∂score/∂φ by central differences of the exact observed-data score (Fisher's identity)."""
    quad, prior = normal_quadrature(), likelihood.DEFAULT_C_PRIOR
    hess = np.empty((phi.size, phi.size))
    for i in range(phi.size):
        step = np.zeros(phi.size)
        step[i] = 1e-5 * max(1.0, abs(phi[i]))
        hess[:, i] = (likelihood.score(layout, phi + step, ids, data, quad, prior)
                      - likelihood.score(layout, phi - step, ids, data, quad, prior)) / (2 * step[i])
    return -(hess + hess.T) / 2


def _grm_with_missing() -> pd.DataFrame:
    truth = ItemBank.graded([1.2, 0.8, 1.6], [[-1.0, 0.0, 1.0], [-0.5, 0.8, np.nan], [-1.5, -0.2, 0.9]])
    x = simulate(truth, 300, seed=5)
    x[np.random.default_rng(6).random(x.shape) < 0.1] = np.nan
    return pd.DataFrame(x, columns=list("pqr"))


@pytest.mark.parametrize("model, frame", [
    ("2pl", lambda: expand("lsat7.csv")),
    ("rasch", lambda: expand("lsat6.csv")),
    ("3pl", lambda: pd.DataFrame(simulate(ItemBank.dichotomous([1.5, 1.0, 2.0, 1.2], [-0.5, 0.0, 0.5, 1.0],
                                                               [0.2, 0.15, 0.25, 0.2]), 400, 11))),
    ("grm", _grm_with_missing),
])
def test_louis_observed_information_equals_the_numerical_hessian(model, frame):
    # The analytic information (Louis 1982: complete-data information minus the posterior covariance of
    # the complete-data score) is the exact negative Hessian of the marginal log-likelihood (+ c prior).
    phi, layout, ids, data = _setup(frame(), model)
    quad = normal_quadrature()
    assert np.max(np.abs(likelihood.score(layout, phi, ids, data, quad, likelihood.DEFAULT_C_PRIOR))) < 1e-3  # at the maximum
    analytic = information.observed_information(layout, phi, ids, data, normal_quadrature(), likelihood.DEFAULT_C_PRIOR)
    numeric = _numerical_information(phi, layout, ids, data)
    assert np.max(np.abs(analytic - numeric)) < 1e-6 * np.max(np.abs(numeric))


def test_standard_errors_do_not_depend_on_the_block_size_of_the_missing_information(monkeypatch):
    frame = _grm_with_missing()
    whole = calibrate(frame, "grm", tol=1e-7, item_fit=False).se
    monkeypatch.setattr(information, "_BLOCK_ROWS", 7)
    blocked = calibrate(frame, "grm", tol=1e-7, item_fit=False).se
    assert np.allclose(whole.to_numpy(), blocked.to_numpy(), rtol=1e-10, equal_nan=True)
