"""Rate scores for speeded tests with error correction."""
import numpy as np
import pandas as pd
import pytest

from assessment.speeded import count_answers, rate_scores


def test_formula_score_subtracts_wrongs_over_options_minus_one():
    out = rate_scores([40], [8], 5.0, n_options=5, correction="formula")
    assert out["corrected"].iloc[0] == 38 and out["rate"].iloc[0] == pytest.approx(7.6)


def test_rights_minus_wrongs_ignores_the_number_of_options():
    out = rate_scores([40], [8], 4.0, n_options=5, correction="rights_minus_wrongs")
    assert out["corrected"].iloc[0] == 32 and out["rate"].iloc[0] == 8


def test_random_guessing_earns_nothing_on_average_under_formula_scoring():
    rng = np.random.default_rng(0)
    k, n_items = 4, 100000
    rights = (rng.integers(0, k, n_items) == 0).sum()
    out = rate_scores([rights], [n_items - rights], 1.0, n_options=k)
    assert abs(out["corrected"].iloc[0]) / n_items < 0.01


def test_accuracy_is_share_right_of_attempted():
    out = rate_scores([30, 0], [10, 0], 2.0)
    assert out["accuracy"].iloc[0] == 0.75 and np.isnan(out["accuracy"].iloc[1])


def test_counts_treat_empty_cells_as_omitted():
    responses = pd.DataFrame({"1": ["S", "D", None], "2": ["S", None, None]})
    counts = count_answers(responses, {"1": "S", "2": "S"})
    assert counts.to_dict("list") == {"rights": [2, 0, 0], "wrongs": [0, 1, 0], "omitted": [0, 1, 2]}


def test_non_positive_time_is_rejected():
    with pytest.raises(ValueError, match="minutes must be positive"):
        rate_scores([1], [0], 0.0)
