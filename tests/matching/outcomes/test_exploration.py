import numpy as np
import pytest

from matching.outcomes.exploration import explore, inclusion_probabilities


def test_inclusion_probabilities_sum_to_the_list_length():
    p = inclusion_probabilities(40, 10, 0.1)
    assert p.sum() == pytest.approx(10.0)


def test_inclusion_probabilities_are_positive_for_every_candidate_and_fall_with_rank():
    p = inclusion_probabilities(40, 10, 0.1)
    assert (p > 0).all() and (np.diff(p) <= 1e-12).all()


def test_short_candidate_lists_are_shown_whole_with_propensity_one():
    slate = explore(np.array([4, 2, 7]), 10, 0.1, np.random.default_rng(0))
    assert slate.items.tolist() == [4, 2, 7] and slate.propensity.tolist() == [1.0, 1.0, 1.0]
    assert not slate.exploration.any()


def test_no_exploration_shows_the_policy_top_k():
    slate = explore(np.arange(30)[::-1], 5, 0.0, np.random.default_rng(0))
    assert slate.items.tolist() == [29, 28, 27, 26, 25]


def test_shown_frequencies_match_the_logged_propensities():
    rng = np.random.default_rng(1)
    m, k, share, n = 25, 10, 0.1, 20_000
    counts = np.zeros(m)
    for _ in range(n):
        slate = explore(np.arange(m), k, share, rng)
        assert len(set(slate.items.tolist())) == k
        counts[slate.items] += 1
    expected = inclusion_probabilities(m, k, share)
    assert np.abs(counts / n - expected).max() < 0.01


def test_each_shown_item_carries_its_rank_propensity():
    rng = np.random.default_rng(2)
    p = inclusion_probabilities(30, 10, 0.3)
    for _ in range(50):
        slate = explore(np.arange(30), 10, 0.3, rng)
        assert np.allclose(slate.propensity, p[slate.items])


def test_a_share_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="exploration share"):
        inclusion_probabilities(20, 10, 1.0)
