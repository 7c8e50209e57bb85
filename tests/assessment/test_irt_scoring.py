"""Person scoring (EAP, MAP, ML): agreement with R mirt, independent checks and invariants."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

from assessment.irt import ItemBank, eap, map_scores, ml_scores, normal_quadrature

DATA = Path(__file__).resolve().parents[1] / "data"


def lsat7_patterns() -> np.ndarray:
    frame = pd.read_csv(DATA / "lsat7.csv")
    return frame[[f"item{j}" for j in range(1, 6)]].to_numpy(float)


def slope_intercept_bank(a, d) -> ItemBank:
    a, d = np.asarray(a, float), np.asarray(d, float)
    return ItemBank.dichotomous(a, -d / a)


# --------------------------------------------------------------------------- agreement with mirt
def test_map_agrees_with_mirt_on_lsat7_to_1e3():
    # philchalmers/mirt tests/testthat/test-01-mirtOne.R: modm2 <- mirt(expand.table(LSAT7), 1,
    # SE.type = 'Richardson'); coef(modm2) a1/d; fscores(modm2, method = 'MAP', full.scores = FALSE)
    # for the first six unique patterns (00000, 00001, 00010, 00011, 00100, 00101).
    bank = slope_intercept_bank([0.988, 1.081, 1.706, 0.7651, 0.7358],
                                [1.8561, 0.808, 1.8043, 0.486, 1.8545])
    mirt_map = [-1.8165552, -1.4946906, -1.4822982, -1.1789899, -1.0958928, -0.7951026]
    result = map_scores(lsat7_patterns()[:6], bank)
    assert result.theta == pytest.approx(mirt_map, abs=1e-3)


def test_eap_agrees_with_mirt_on_lsat7_to_1e3():
    # Same file: modm1 (SE.type = 'SEM') coefficients and fscores(modm1, full.scores = FALSE) EAPs.
    # Those numbers were produced when fscores integrated over [-4, 4]; we use that grid here (our
    # default, [-6, 6], moves the all-wrong pattern by 3e-3 because its posterior reaches -4).
    bank = slope_intercept_bank([0.9876, 1.0808, 1.7075, 0.765, 0.7357],
                                [1.8559, 0.808, 1.8052, 0.486, 1.8545])
    mirt_eap = [-1.8665957, -1.5266920, -1.5134024, -1.1852276, -1.0946830, -0.7666992]
    result = eap(lsat7_patterns()[:6], bank, normal_quadrature(61, (-4.0, 4.0)))
    assert result.theta == pytest.approx(mirt_eap, abs=1e-3)


def test_ml_agrees_with_mirt_for_equal_slope_lsat7():
    # Same file: modm4 (LSAT7, slopes constrained equal: a = 1.011, d = 1.868, 0.791, 1.461, 0.521,
    # 1.993); fscores(modm4, method = 'ML') rows 13, 34, 40 = -2.783489, -1.750890, -2.783489 and
    # -Inf / Inf for the all-wrong first and all-right last respondent.
    bank = slope_intercept_bank([1.011] * 5, [1.868, 0.791, 1.461, 0.521, 1.993])
    frame = pd.read_csv(DATA / "lsat7.csv")
    people = np.repeat(frame.iloc[:, :5].to_numpy(float), frame["freq"].to_numpy(), axis=0)
    result = ml_scores(people[[0, 12, 33, 39, 999]], bank)
    assert result.theta[0] == -np.inf and result.theta[-1] == np.inf
    assert result.theta[1:4] == pytest.approx([-2.783489, -1.750890, -2.783489], abs=1e-2)


# --------------------------------------------------------------------------- independent checks
def test_eap_matches_adaptive_numerical_integration():
    # Independent of any grid: scipy.integrate.quad over the whole real line with a N(0, 1) prior.
    bank = ItemBank.dichotomous([1.2, 0.8, 1.9, 1.4], [-0.5, 0.3, 1.0, -1.2], [0.0, 0.2, 0.1, 0.0])
    pattern = np.array([1.0, 0.0, 1.0, 1.0])

    def like(t):
        p = bank.probabilities([t])[0, :, 1]
        return np.prod(np.where(pattern == 1, p, 1 - p)) * stats.norm.pdf(t)

    z = integrate.quad(like, -np.inf, np.inf)[0]
    mean = integrate.quad(lambda t: t * like(t), -np.inf, np.inf)[0] / z
    var = integrate.quad(lambda t: (t - mean) ** 2 * like(t), -np.inf, np.inf)[0] / z
    result = eap(pattern, bank)
    assert result.theta[0] == pytest.approx(mean, abs=1e-6)
    assert result.se[0] == pytest.approx(np.sqrt(var), abs=1e-6)


def test_map_matches_scalar_optimiser_for_graded_items_with_missing():
    bank = ItemBank.graded([1.3, 0.9, 2.0], [[-1.0, 0.5, 1.5], [-0.5, 0.0, 2.0], [0.0, 1.0, np.nan]])
    pattern = np.array([2.0, np.nan, 1.0])

    def neg_log_post(t):
        p = bank.probabilities([t])[0]
        return -(np.log(p[0, 2]) + np.log(p[2, 1]) + stats.norm.logpdf(t))

    best = optimize.minimize_scalar(neg_log_post, bounds=(-6, 6), method="bounded",
                                    options={"xatol": 1e-10})
    h = 1e-4
    curv = (neg_log_post(best.x + h) - 2 * neg_log_post(best.x) + neg_log_post(best.x - h)) / h ** 2
    result = map_scores(pattern, bank)
    assert result.theta[0] == pytest.approx(best.x, abs=1e-6)
    assert result.se[0] == pytest.approx(1 / np.sqrt(curv), rel=1e-4)


def test_map_se_is_inverse_root_of_test_plus_prior_information_for_2pl():
    bank = ItemBank.dichotomous([1.0, 1.5, 0.7], [0.0, 0.5, -1.0])
    result = map_scores([1, 0, 1], bank)
    info = bank.test_information(result.theta)[0]
    assert result.se[0] == pytest.approx(1 / np.sqrt(info + 1.0))


# --------------------------------------------------------------------------- behaviour
def test_ml_reports_infinite_estimates_for_all_wrong_and_all_right():
    bank = ItemBank.dichotomous([1.0, 1.2, 0.8], [0.0, -0.5, 0.5])
    result = ml_scores([[0, 0, 0], [1, 1, np.nan], [1, 0, 1]], bank)
    assert result.theta[0] == -np.inf and result.theta[1] == np.inf
    assert np.isnan(result.se[:2]).all()
    assert np.isfinite(result.theta[2]) and np.isfinite(result.se[2])


def test_ml_without_answers_is_nan():
    bank = ItemBank.dichotomous([1.0, 1.2], [0.0, 0.5])
    result = ml_scores([[np.nan, np.nan]], bank)
    assert np.isnan(result.theta[0]) and result.n_answered[0] == 0


def test_missing_responses_are_the_same_as_dropping_the_item():
    bank = ItemBank.dichotomous([1.0, 1.4, 0.6, 2.0], [0.1, -0.4, 0.9, 0.0])
    with_missing = eap([[1, np.nan, 0, 1]], bank)
    dropped = eap([[1, 0, 1]], bank.subset([0, 2, 3]))
    assert with_missing.theta == pytest.approx(dropped.theta)
    assert with_missing.se == pytest.approx(dropped.se)


def test_unanswered_person_gets_the_prior():
    bank = ItemBank.dichotomous([1.0, 1.4], [0.1, -0.4])
    result = eap([[np.nan, np.nan]], bank, normal_quadrature(mean=0.5, sd=1.2))
    assert result.theta[0] == pytest.approx(0.5, abs=1e-4)
    assert result.se[0] == pytest.approx(1.2, abs=1e-4)


def test_eap_blocks_give_the_same_answer_as_one_block():
    rng = np.random.default_rng(3)
    bank = ItemBank.dichotomous(rng.uniform(0.5, 2, 10), rng.normal(size=10))
    x = (rng.random((257, 10)) < 0.6).astype(float)
    x[rng.random(x.shape) < 0.2] = np.nan
    whole = eap(x, bank, block_size=1000)
    pieces = eap(x, bank, block_size=16)
    assert pieces.theta == pytest.approx(whole.theta)


def test_integer_matrices_with_negative_missing_codes_are_accepted():
    bank = ItemBank.dichotomous([1.0, 1.4, 0.7], [0.1, -0.4, 0.3])
    as_int = eap(np.array([[1, -1, 0]], dtype=np.int8), bank)
    as_nan = eap([[1, np.nan, 0]], bank)
    assert as_int.theta == pytest.approx(as_nan.theta)


def test_out_of_range_category_is_rejected_naming_the_item():
    bank = ItemBank.dichotomous([1.0, 1.4], [0.1, -0.4], item_ids=["v1", "v2"])
    with pytest.raises(ValueError, match="v2"):
        eap([[1, 2]], bank)


def test_dataframe_columns_are_matched_by_item_id():
    bank = ItemBank.dichotomous([1.0, 2.0], [0.0, 1.0], item_ids=["p", "q"])
    frame = pd.DataFrame({"q": [1.0], "p": [0.0]})
    assert eap(frame, bank).theta == pytest.approx(eap([[0.0, 1.0]], bank).theta)


# --------------------------------------------------------------------------- properties
BANK_2PL = ItemBank.dichotomous(np.linspace(0.6, 2.2, 12), np.linspace(-2, 2, 12))
patterns = st.lists(st.sampled_from([0.0, 1.0, np.nan]), min_size=12, max_size=12)


@settings(max_examples=60, deadline=None)
@given(patterns, st.integers(0, 11))
def test_one_more_correct_answer_never_lowers_theta(pattern, j):
    x = np.array(pattern)
    if x[j] == 1.0:
        return
    better = x.copy()
    better[j] = 1.0
    for scorer in (eap, map_scores):
        before, after = scorer(x, BANK_2PL).theta[0], scorer(better, BANK_2PL).theta[0]
        assert after >= before - 1e-10


@settings(max_examples=40, deadline=None)
@given(patterns, st.randoms(use_true_random=False))
def test_item_order_does_not_change_scores(pattern, rnd):
    x = np.array(pattern)
    order = list(range(12))
    rnd.shuffle(order)
    shuffled = BANK_2PL.subset(order)
    for scorer in (eap, map_scores):
        a, b = scorer(x, BANK_2PL), scorer(x[order], shuffled)
        assert b.theta[0] == pytest.approx(a.theta[0], abs=1e-9)
        assert b.se[0] == pytest.approx(a.se[0], abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0]), min_size=12, max_size=12), st.integers(1, 11))
def test_posterior_sd_shrinks_as_items_are_added(pattern, k):
    # Adding items never increases MAP's SE (information only accumulates). For EAP the posterior
    # SD can grow after a surprising answer, so the invariant holds on average over responses:
    # the expected posterior variance after one more item is at most the current one.
    x = np.array(pattern)
    fewer = x.copy()
    fewer[k:] = np.nan
    more = x.copy()
    more[k + 1:] = np.nan
    assert map_scores(more, BANK_2PL).se[0] <= map_scores(fewer, BANK_2PL).se[0] + 1e-12
    now = eap(fewer, BANK_2PL)
    p1 = float(np.sum(BANK_2PL.probabilities(normal_quadrature().points)[:, k, 1]
                      * _posterior(fewer)))
    right, wrong = more.copy(), more.copy()
    right[k], wrong[k] = 1.0, 0.0
    expected_var = p1 * eap(right, BANK_2PL).se[0] ** 2 + (1 - p1) * eap(wrong, BANK_2PL).se[0] ** 2
    assert expected_var <= now.se[0] ** 2 + 1e-12


def _posterior(x):
    from assessment.irt import posterior_weights
    return posterior_weights(x, BANK_2PL)[0]
