"""One member per zero-employment family carries the family's priority in the batch allocation."""
import numpy as np
import pytest

from matching.batch.allocation import AllocationPolicy, allocate, priority_weights

POLICY = AllocationPolicy(capacity_factor=1.0, per_person=1)


def test_only_the_best_fitting_member_of_a_zero_employment_household_keeps_the_family_weight():
    weight = priority_weights(np.array([True, True, True, False]), np.array([False, True, False, False]), POLICY,
                              household=np.array(["h1", "h1", "h2", None], dtype=object),
                              best_total=np.array([60.0, 80.0, 50.0, 90.0]))
    assert weight.tolist() == [1.0, 1.5, 1.5, 1.0]


def test_a_second_member_without_the_family_weight_keeps_their_own_hard_to_employ_weight():
    weight = priority_weights(np.array([True, True]), np.array([True, True]), POLICY,
                              household=np.array(["h1", "h1"], dtype=object), best_total=np.array([70.0, 70.0]))
    assert weight.tolist() == [1.5, 1.25]  # a tie goes to the earlier row


def test_zero_employment_seekers_without_a_household_each_keep_the_family_weight():
    weight = priority_weights(np.array([True, True]), np.array([False, False]), POLICY,
                              household=np.array(["", None], dtype=object), best_total=np.array([60.0, 70.0]))
    assert weight.tolist() == [1.5, 1.5]


def test_a_household_without_best_fits_is_refused_naming_the_argument():
    with pytest.raises(ValueError, match="best_total"):
        priority_weights(np.array([True]), np.array([False]), POLICY, household=np.array(["h1"], dtype=object))


def test_a_first_place_for_one_family_is_preferred_over_a_second_for_another():
    # Seekers 0 and 1 are one zero-employment family, seeker 2 another; vacancies 0 and 1 have one
    # place each. Per-seeker weights give both places to the first family (1.5 × 70 > 1.5 × 65);
    # with the household rule seeker 1 falls back to 1 (70 < 1.5 × 65) and each family gets one.
    seeker, vacancy = np.array([0, 0, 1, 2]), np.array([0, 1, 1, 1])
    total = np.array([80.0, 70.0, 70.0, 65.0])
    zero = np.array([True, True, True])
    per_seeker = priority_weights(zero, np.zeros(3, dtype=bool), POLICY)
    per_household = priority_weights(zero, np.zeros(3, dtype=bool), POLICY,
                                     household=np.array(["a", "a", "b"], dtype=object),
                                     best_total=np.array([80.0, 70.0, 65.0]))
    before = allocate(seeker, vacancy, total, np.ones(2), per_seeker, POLICY)
    after = allocate(seeker, vacancy, total, np.ones(2), per_household, POLICY)
    assert sorted(seeker[before].tolist()) == [0, 1]
    assert sorted(seeker[after].tolist()) == [0, 2]
