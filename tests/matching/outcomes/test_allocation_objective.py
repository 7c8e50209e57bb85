"""The batch allocator maximises the single-profile ranking's objective when given the outcome
model's P(lasting hire) per edge (``matching.batch.allocation.allocate``, issue 17 item 2)."""
import numpy as np
import pytest

from matching.batch.allocation import AllocationPolicy, allocate, edge_values
from matching.outcomes.objective import allocation_weights

ONE_PLACE = AllocationPolicy(capacity_factor=1.0, per_person=1)
# Two seekers want the one opening of vacancy 0: seeker 0 fits better, seeker 1 is far likelier to
# be hired and stay.
SEEKER, VACANCY = np.array([0, 1]), np.array([0, 0])
TOTAL, P_LASTING = np.array([80.0, 60.0]), np.array([0.1, 0.5])


def test_without_p_lasting_the_better_fit_gets_the_place():
    chosen = allocate(SEEKER, VACANCY, TOTAL, np.array([1.0]), np.ones(2), ONE_PLACE)
    assert chosen.tolist() == [True, False]


def test_with_p_lasting_the_higher_expected_benefit_gets_the_place():
    chosen = allocate(SEEKER, VACANCY, TOTAL, np.array([1.0]), np.ones(2), ONE_PLACE, p_lasting=P_LASTING)
    assert chosen.tolist() == [False, True]


def test_the_edge_value_is_the_objectives_allocation_weight():
    competition = np.array([2.0, 6.0])
    assert edge_values(TOTAL, P_LASTING, competition, 0.05) == pytest.approx(
        allocation_weights(TOTAL, P_LASTING, competition, 0.05))
    assert edge_values(TOTAL) == pytest.approx(TOTAL)


def test_competition_counts_only_with_a_congestion_weight():
    crowded = np.array([0.0, 40.0])  # seeker 1's edge: 40 expected competitors per opening
    kept = allocate(SEEKER, VACANCY, TOTAL, np.array([1.0]), np.ones(2), ONE_PLACE, p_lasting=P_LASTING,
                    competition=crowded)
    moved = allocate(SEEKER, VACANCY, TOTAL, np.array([1.0]), np.ones(2), ONE_PLACE, p_lasting=P_LASTING,
                     competition=crowded, congestion_weight=0.5)
    assert kept.tolist() == [False, True] and moved.tolist() == [True, False]


def test_a_p_lasting_of_the_wrong_length_is_refused_naming_it():
    with pytest.raises(ValueError, match="p_lasting"):
        allocate(SEEKER, VACANCY, TOTAL, np.array([1.0]), np.ones(2), ONE_PLACE, p_lasting=np.array([0.5]))


def test_competition_without_p_lasting_is_refused():
    with pytest.raises(ValueError, match="competition"):
        edge_values(TOTAL, competition=np.zeros(2))
