"""Classical scale scoring: reverse keying, the missing-item rule, SEM and confidence intervals."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.classical import ScaleSpec, reverse_key, scale_alpha, score_scales

SPEC = ScaleSpec("scale", ("a", "b", "c", "d", "e"), reverse=frozenset({"b", "d"}), min_value=1, max_value=5,
                 reliability=0.8, sd_sum=4.0)

answers = st.lists(st.integers(1, 5), min_size=5, max_size=5)


@settings(deadline=None)
@given(answers)
def test_reverse_keyed_item_mirrors_its_score(row):
    # answering a reversed item one category higher lowers the scale score by exactly one
    data = pd.DataFrame([row], columns=list("abcde"))
    base = score_scales(data, [SPEC]).scores["scale"]["sum"].iloc[0]
    if row[1] < 5:
        bumped = data.assign(b=row[1] + 1)
        assert score_scales(bumped, [SPEC]).scores["scale"]["sum"].iloc[0] == base - 1


@settings(deadline=None)
@given(answers)
def test_reversing_every_item_mirrors_the_scale_score(row):
    data = pd.DataFrame([row], columns=list("abcde"))
    mirrored = pd.DataFrame([[6 - v for v in row]], columns=list("abcde"))
    s1 = score_scales(data, [SPEC]).scores["scale"]["sum"].iloc[0]
    s2 = score_scales(mirrored, [SPEC]).scores["scale"]["sum"].iloc[0]
    assert s1 + s2 == 5 * 6


@settings(max_examples=50, deadline=None)
@given(st.lists(answers, min_size=1, max_size=6), st.permutations(list("abcde")))
def test_item_order_does_not_change_scale_scores(rows, order):
    data = pd.DataFrame(rows, columns=list("abcde"))
    a = score_scales(data, [SPEC]).scores["scale"]["sum"]
    b = score_scales(data[order], [SPEC]).scores["scale"]["sum"]
    assert np.allclose(a, b)


def test_reverse_key_is_max_plus_min_minus_x():
    assert reverse_key(np.array([1, 2, 6]), 1, 6).tolist() == [6, 5, 1]


def test_scale_is_scored_when_80_percent_answered_and_sum_is_mean_prorated():
    data = pd.DataFrame({"a": [4], "b": [2], "c": [4], "d": [np.nan], "e": [4]})
    out = score_scales(data, [SPEC]).scores["scale"].iloc[0]
    assert out["scored"] and out["mean"] == 4.0 and out["sum"] == 20.0


def test_scale_is_not_scored_below_the_missing_item_rule():
    data = pd.DataFrame({"a": [4], "b": [2], "c": [np.nan], "d": [np.nan], "e": [4]})
    out = score_scales(data, [SPEC]).scores["scale"].iloc[0]
    assert not out["scored"] and math.isnan(out["sum"])


def test_missing_rule_is_a_parameter():
    lenient = ScaleSpec("s", ("a", "b", "c", "d", "e"), min_answered=0.6, reliability=0.8, sd_sum=4.0)
    data = pd.DataFrame({"a": [4], "b": [2], "c": [np.nan], "d": [np.nan], "e": [4]})
    assert score_scales(data, [lenient]).scores["s"]["scored"].iloc[0]


def test_sem_is_sd_times_root_one_minus_reliability():
    data = pd.DataFrame([[3, 3, 3, 3, 3]], columns=list("abcde"))
    res = score_scales(data, [SPEC])
    assert res.sem_sum["scale"] == pytest.approx(4.0 * math.sqrt(0.2))


def test_confidence_interval_is_symmetric_inside_the_range():
    data = pd.DataFrame([[3, 3, 3, 3, 3]], columns=list("abcde"))
    out = score_scales(data, [SPEC], confidence=0.95).scores["scale"].iloc[0]
    half = 1.959964 * 4.0 * math.sqrt(0.2)
    assert out["ci_low_sum"] == pytest.approx(15 - half, abs=1e-4)
    assert out["ci_high_sum"] == pytest.approx(15 + half, abs=1e-4)


def test_confidence_interval_is_clipped_to_the_possible_range():
    data = pd.DataFrame([[5, 1, 5, 1, 5]], columns=list("abcde"))
    out = score_scales(data, [SPEC]).scores["scale"].iloc[0]
    assert out["sum"] == 25 and out["ci_high_sum"] == 25


def test_sample_alpha_is_used_when_no_reference_reliability_is_given():
    rng = np.random.default_rng(0)
    t = rng.normal(size=(500, 1))
    data = pd.DataFrame(np.clip(np.round(3 + t + rng.normal(size=(500, 5))), 1, 5), columns=list("abcde"))
    spec = ScaleSpec("x", tuple("abcde"))
    res = score_scales(data, [spec])
    assert res.reliability["x"] == pytest.approx(scale_alpha(data, spec))


def test_out_of_range_response_is_rejected_naming_item_and_row():
    data = pd.DataFrame({"a": [4, 7], "b": [2, 2], "c": [4, 4], "d": [1, 1], "e": [4, 4]})
    with pytest.raises(ValueError, match=r"item 'a' has the value 7 at row 2"):
        score_scales(data, [SPEC])


def test_reverse_item_outside_the_scale_is_rejected():
    with pytest.raises(ValueError, match="not in its items"):
        ScaleSpec("s", ("a", "b"), reverse=frozenset({"z"}))
