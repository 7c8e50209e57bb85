import numpy as np
import pytest

from matching.outcomes.objective import allocation_weights, expected_benefit, expected_competition, rerank


def test_expected_benefit_is_fit_times_chance_without_competition():
    assert expected_benefit(np.array([80.0]), np.array([0.25]), np.array([0.0]))[0] == pytest.approx(0.2)


def test_more_competition_lowers_the_benefit():
    b = expected_benefit(np.array([70.0, 70.0]), np.array([0.3, 0.3]), np.array([0.0, 5.0]), 0.2)
    assert b[1] < b[0]


def test_expected_competition_adds_the_same_rate_over_the_days_left():
    # 6 referrals in 30 days, 30 days left, 3 openings → (6 + 6) / 3.
    assert expected_competition(np.array([6]), np.array([30]), np.array([30]), np.array([3]))[0] == pytest.approx(4.0)


def test_rerank_puts_a_lasting_chance_before_a_slightly_higher_fit():
    order = rerank(np.array([80.0, 75.0, 60.0]), np.array([0.05, 0.3, 0.1]), np.zeros(3), k=2)
    assert order.tolist() == [1, 2]


def test_equal_benefit_keeps_the_hand_set_order():
    order = rerank(np.array([50.0, 80.0]), np.array([0.0, 0.0]), np.zeros(2), k=2)
    assert order.tolist() == [1, 0]


def test_allocation_weights_are_the_benefit_on_the_fit_scale():
    w = allocation_weights(np.array([[50.0, 100.0]]), np.array([[0.5, 0.1]]), np.zeros((1, 2)))
    assert w.shape == (1, 2) and w[0].tolist() == pytest.approx([25.0, 10.0])


def test_a_negative_congestion_weight_is_refused():
    with pytest.raises(ValueError, match="congestion weight"):
        expected_benefit(np.array([50.0]), np.array([0.1]), np.array([1.0]), -0.1)
