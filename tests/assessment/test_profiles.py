"""Holland codes, congruence indices, Big Five bands, work values and motivation readiness."""
import pytest

from assessment.profiles import (big_five_profile, brown_gore_c, hexagon_distance, holland_code, iachan_m,
                                 motivation_summary, profile_similarity, rank_work_values)


def test_holland_code_takes_the_three_highest_letters():
    assert holland_code({"R": 10, "I": 30, "A": 12, "S": 25, "E": 20, "C": 5}).code == "ISE"


def test_ties_are_broken_in_hexagon_order_and_reported():
    hc = holland_code({"R": 10, "I": 30, "A": 12, "S": 25, "E": 25, "C": 5})
    assert hc.code == "ISE" and hc.tied_positions == (1, 2)


def test_differentiation_indices():
    hc = holland_code({"R": 10, "I": 30, "A": 12, "S": 25, "E": 20, "C": 5})
    assert hc.differentiation_range == 25
    assert hc.differentiation_iachan == 30 - (25 + 12) / 2


@pytest.mark.parametrize("a,b,d", [("R", "R", 0), ("R", "I", 1), ("R", "C", 1), ("R", "A", 2), ("R", "S", 3),
                                   ("I", "E", 3), ("A", "C", 3)])
def test_hexagon_distance(a, b, d):
    assert hexagon_distance(a, b) == d


@pytest.mark.parametrize("scores,level", [({"R": 9, "I": 8, "A": 1, "S": 1, "E": 1, "C": 1}, "high"),
                                          ({"R": 9, "I": 1, "A": 8, "S": 1, "E": 1, "C": 1}, "medium"),
                                          ({"R": 9, "I": 1, "A": 1, "S": 8, "E": 1, "C": 1}, "low")])
def test_consistency_from_the_first_two_letters(scores, level):
    assert holland_code(scores).consistency == level


def test_iachan_m_is_28_for_identical_codes_and_0_for_disjoint():
    assert iachan_m("RIA", "RIA") == 28 and iachan_m("RIA", "SEC") == 0


def test_iachan_m_weights_by_position():
    assert iachan_m("ISE", "SIE") == 10 + 10 + 1


def test_brown_gore_c_index():
    assert brown_gore_c("RIA", "RIA") == 18
    assert brown_gore_c("RIA", "SEC") == 3 * 0 + 2 * 0 + 1 * 0
    assert brown_gore_c("RIA", "IRA") == 3 * 2 + 2 * 2 + 1 * 3


def test_profile_correlation_ignores_level_but_distance_does_not():
    a = {"R": 1, "I": 2, "A": 3, "S": 4, "E": 5, "C": 6}
    b = {k: v + 10 for k, v in a.items()}
    sim = profile_similarity(a, b)
    assert sim["correlation"] == pytest.approx(1.0) and sim["distance"] == pytest.approx(10 * 6**0.5)


@pytest.mark.parametrize("t,band", [(30, "very_low"), (40, "low"), (50, "average"), (60, "high"), (70, "very_high")])
def test_big_five_bands_follow_the_neo_cuts(t, band):
    assert big_five_profile({"N": t}).loc["N", "band"] == band


def test_work_values_are_ranked_with_shared_ranks_for_ties():
    ranks = rank_work_values({"pay": 4.5, "security": 4.8, "autonomy": 4.5, "prestige": 2.0})
    assert ranks.index.tolist() == ["security", "pay", "autonomy", "prestige"]
    assert ranks["rank"].tolist() == [1, 2, 2, 4]


def test_readiness_is_high_only_without_weak_areas():
    assert motivation_summary({"commitment": 60, "efficacy": 58, "intensity": 57}).level == "high"
    assert motivation_summary({"commitment": 70, "efficacy": 38, "intensity": 60}).level == "moderate"


def test_reversed_barrier_scale_lowers_readiness():
    s = motivation_summary({"commitment": 45, "barriers": 70}, reversed_scales=["barriers"])
    assert s.level == "low" and s.weak_areas == ("barriers",) and "barriers" in s.text["en"]


def test_missing_riasec_letter_is_rejected():
    with pytest.raises(ValueError, match=r"\['C'\]"):
        holland_code({"R": 1, "I": 2, "A": 3, "S": 4, "E": 5})
