"""Validity indicators flag with a machine code and bilingual reason, and never drop anyone."""
import numpy as np
import pandas as pd
import pytest

from assessment.validity import (ValidityConfig, acquiescence, check_validity, fast_responding, inconsistency,
                                 infrequency, long_string, low_variance, missing_share)

ITEMS = [f"i{j}" for j in range(10)]


def frame(rows):
    return pd.DataFrame(rows, columns=ITEMS, index=[f"p{k}" for k in range(len(rows))])


def test_missing_share_flags_mostly_empty_response_sets():
    res = missing_share(frame([[1] * 10, [1, 2] + [None] * 8]), max_share=0.2)
    assert res.indicators["missing"].tolist() == [0.0, 0.8] and [f.person for f in res.flags] == ["p1"]


def test_long_string_counts_the_longest_identical_run():
    res = long_string(frame([[3, 3, 3, 3, 3, 3, 3, 1, 2, 4], [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]]), max_run=6)
    assert res.indicators["long_string"].tolist() == [7, 1] and res.flagged("p0") == ["long_string"]


def test_an_unanswered_item_breaks_a_run():
    res = long_string(frame([[3, 3, 3, None, 3, 3, 3, 1, 2, 4]]), max_run=6)
    assert res.indicators["long_string"].iloc[0] == 3 and not res.flags


def test_low_variance_flags_nearly_constant_answers():
    res = low_variance(frame([[3] * 9 + [4], [1, 5] * 5]), min_sd=0.5)
    assert res.flagged("p0") == ["low_variance"] and res.flagged("p1") == []


def test_inconsistency_reverses_opposite_keyed_pairs():
    data = frame([[5, 1, 5, 5] + [3] * 6, [5, 5, 5, 1] + [3] * 6])
    pairs = [("i0", "i1", "opposite"), ("i2", "i3", "same")]
    res = inconsistency(data, pairs, 1, 5, max_share=0.4)
    assert res.indicators["inconsistency"].tolist() == [0.0, 1.0] and res.flagged("p1") == ["inconsistency"]


def test_infrequency_counts_unexpected_answers_to_check_items():
    data = frame([[1] + [3] * 9, [5] + [3] * 8 + [5]])
    res = infrequency(data, {"i0": [1, 2], "i9": 3}, max_misses=1)
    assert res.indicators["infrequency"].tolist() == [0, 2] and res.flagged("p1") == ["infrequency"]


def test_fast_responding_uses_the_per_item_time_floor():
    times = frame([[0.4] * 5 + [5.0] * 5, [3.0] * 10])
    res = fast_responding(times, floor_seconds=1.0, max_share=0.25)
    assert res.indicators["fast_responding"].tolist() == [0.5, 0.0] and res.flagged("p0") == ["fast_responding"]


def test_acquiescence_counts_agreement_with_both_poles():
    data = frame([[5, 5, 4, 5] + [3] * 6, [5, 1, 4, 2] + [3] * 6])
    res = acquiescence(data, [("i0", "i1"), ("i2", "i3")], agree_at=4)
    assert res.indicators["acquiescence"].tolist() == [1.0, 0.0] and res.flagged("p0") == ["acquiescence"]


def test_every_flag_has_a_chinese_and_an_english_reason():
    res = check_validity(frame([[3] * 10]), ValidityConfig(max_run=6, min_sd=0.3))
    assert res.flags and all(set(f.reason) == {"zh-CN", "en"} and f.reason["zh-CN"] and f.reason["en"]
                             for f in res.flags)
    assert "连续" in res.flags[0].text() and "consecutive" in res.flags[0].text("en")


def test_no_person_is_dropped_by_the_combined_check():
    rng = np.random.default_rng(0)
    data = frame(rng.integers(1, 6, (50, 10)).tolist())
    data.iloc[0] = 3
    res = check_validity(data, ValidityConfig(max_run=6, pairs=[("i0", "i1", "same")],
                                              reversed_pairs=[("i2", "i3")]))
    assert list(res.indicators.index) == list(data.index)


def test_unknown_pair_item_is_rejected_by_name():
    with pytest.raises(ValueError, match="i99"):
        inconsistency(frame([[3] * 10]), [("i0", "i99", "same")], 1, 5)
