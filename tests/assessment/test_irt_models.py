"""Response functions and information of the IRT models (assessment.irt.models)."""
import numpy as np
import pandas as pd
import pytest

from assessment.irt import ItemBank, grm_probabilities, item_information, prob_correct


def test_2pl_probability_is_one_half_at_difficulty():
    assert prob_correct(0.7, a=1.8, b=0.7) == pytest.approx(0.5)


def test_3pl_lower_asymptote_is_guessing_parameter():
    assert prob_correct(-30.0, a=1.2, b=0.0, c=0.2) == pytest.approx(0.2)


def test_bank_stores_slope_intercept_and_reports_irt_parameters():
    bank = ItemBank.dichotomous([1.5, 0.8], [-1.0, 2.0], [0.1, 0.2], ["x", "y"])
    assert bank.intercepts[:, 0] == pytest.approx([1.5, -1.6])
    frame = bank.to_frame()
    assert frame.loc["y", "b"] == pytest.approx(2.0)
    assert frame.loc["x", "c"] == pytest.approx(0.1)


def test_graded_category_probabilities_sum_to_one():
    probs = grm_probabilities(np.linspace(-4, 4, 9), 1.3, [-1.0, 0.2, 1.5])
    assert probs.shape == (9, 4)
    assert probs.sum(axis=1) == pytest.approx(np.ones(9))


def test_graded_cumulative_probability_is_logistic_at_threshold():
    bank = ItemBank.graded([2.0], [[-0.5, 0.5]])
    cum = bank.cumulative([0.5])[0, 0]
    assert cum[2] == pytest.approx(0.5)


def test_mixed_category_counts_pad_absent_categories_with_zero():
    bank = ItemBank.graded([1.0, 1.0], [[-1.0, np.nan], [-1.0, 1.0]])
    probs = bank.probabilities([0.0])[0]
    assert probs[0, 2] == 0.0
    assert bank.n_categories.tolist() == [2, 3]


def test_information_equals_squared_derivative_over_variance_numerically():
    bank = ItemBank.graded([1.4, 0.9], [[-1.0, 0.0, 1.2], [-0.3, 0.8, np.nan]])
    theta, h = 0.37, 1e-5
    probs = bank.probabilities([theta - h, theta, theta + h])
    deriv = (probs[2] - probs[0]) / (2 * h)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.nansum(np.where(probs[1] > 0, deriv ** 2 / probs[1], 0.0), axis=1)
    assert bank.information([theta])[0] == pytest.approx(expected, rel=1e-6)


def test_3pl_information_matches_closed_form():
    bank = ItemBank.dichotomous([1.7], [0.3], [0.22])
    theta = np.array([-1.0, 0.3, 2.0])
    assert bank.information(theta)[:, 0] == pytest.approx(item_information(theta, 1.7, 0.3, 0.22)[:, 0])


def test_2pl_information_peaks_at_difficulty_with_a_squared_over_four():
    bank = ItemBank.dichotomous([2.0], [0.5])
    grid = np.linspace(-3, 3, 601)
    info = bank.information(grid)[:, 0]
    assert grid[np.argmax(info)] == pytest.approx(0.5)
    assert info.max() == pytest.approx(1.0)


def test_bank_rejects_disordered_thresholds():
    with pytest.raises(ValueError, match="decreasing"):
        ItemBank.graded([1.0], [[0.5, -0.5]])


def test_bank_rejects_guessing_outside_unit_interval():
    with pytest.raises(ValueError, match="guessing"):
        ItemBank.dichotomous([1.0], [0.0], [1.2])


def test_bank_round_trips_through_a_parameter_frame():
    frame = pd.DataFrame({"a": [1.1, 0.7], "b1": [-1.0, -0.5], "b2": [0.5, np.nan]},
                         index=["p", "q"])
    bank = ItemBank.from_frame(frame)
    assert bank.to_frame().loc["p", "b2"] == pytest.approx(0.5)
    assert bank.item_ids == ("p", "q")
