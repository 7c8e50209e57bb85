"""Norm conversions: percentile, T and stanine by group, each with a CI in its own metric."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.norms import NormTable, convert_scores, stanine_from_percentile, t_from_percentile

NORMAL = NormTable(pd.DataFrame({
    "scale": ["verbal", "verbal", "verbal"],
    "age_band": ["18-29", "30-44", "*"],
    "method": ["normal"] * 3,
    "mean": [20.0, 18.0, 19.0], "sd": [5.0, 4.0, 4.5], "n": [300, 250, 550]}))

TABULATED = NormTable(pd.DataFrame({
    "scale": ["q"] * 5, "method": ["tabulated"] * 5, "mean": [2.0] * 5, "sd": [1.2] * 5, "n": [100] * 5,
    "score": [0, 1, 2, 3, 4], "percentile": [5.0, 20.0, 50.0, 80.0, 95.0]}))


def test_normal_norms_give_linear_t_and_normal_percentile():
    out = convert_scores(NORMAL, "verbal", [25.0], groups={"age_band": "18-29"}).iloc[0]
    assert out["t"] == pytest.approx(60.0) and out["percentile"] == pytest.approx(84.134, abs=1e-3)


def test_group_specific_norms_are_used_when_present():
    out = convert_scores(NORMAL, "verbal", [22.0, 22.0],
                         groups=pd.DataFrame({"age_band": ["18-29", "30-44"]}))
    assert out["t"].tolist() == pytest.approx([54.0, 60.0])


def test_unknown_group_falls_back_to_the_wildcard_norms():
    out = convert_scores(NORMAL, "verbal", [19.0], groups={"age_band": "60+"}).iloc[0]
    assert out["t"] == pytest.approx(50.0) and out["norm_group"] == "age_band=*"


def test_tabulated_norms_interpolate_the_percentile():
    out = convert_scores(TABULATED, "q", [2.5]).iloc[0]
    assert out["percentile"] == pytest.approx(65.0)


def test_tabulated_t_is_normalised_from_the_percentile():
    out = convert_scores(TABULATED, "q", [3.0]).iloc[0]
    assert out["t"] == pytest.approx(50 + 10 * 0.841621, abs=1e-4)


@pytest.mark.parametrize("p,stanine", [(3.9, 1), (4.0, 2), (10.9, 2), (23, 4), (50, 5), (60, 6), (96.1, 9)])
def test_stanine_cuts_at_4_11_23_40_60_77_89_96(p, stanine):
    assert stanine_from_percentile(p) == stanine


def test_ci_in_each_metric_maps_the_raw_interval():
    out = convert_scores(NORMAL, "verbal", [20.0], se=2.0, groups={"age_band": "18-29"}).iloc[0]
    half = 1.959964 * 2.0
    assert out["t_low"] == pytest.approx(50 - 10 * half / 5, abs=1e-4)
    assert out["t_high"] == pytest.approx(50 + 10 * half / 5, abs=1e-4)
    assert out["percentile_low"] < out["percentile"] < out["percentile_high"]
    assert out["stanine_low"] <= out["stanine"] <= out["stanine_high"]


@settings(deadline=None)
@given(st.lists(st.floats(-5, 30, allow_nan=False), min_size=2, max_size=30))
def test_t_and_percentile_are_monotone_in_the_raw_score(raw):
    raw = sorted(raw)
    for table, scale in ((NORMAL, "verbal"), (TABULATED, "q")):
        out = convert_scores(table, scale, raw)
        assert np.all(np.diff(out["t"]) >= -1e-12)
        assert np.all(np.diff(out["percentile"]) >= -1e-12)
        assert np.all(np.diff(out["stanine"]) >= 0)


def test_t_from_extreme_percentile_stays_finite():
    assert np.isfinite(t_from_percentile([0.0, 100.0])).all()


def test_missing_score_stays_missing():
    out = convert_scores(NORMAL, "verbal", [np.nan], groups={"age_band": "18-29"}).iloc[0]
    assert np.isnan(out["t"]) and np.isnan(out["stanine"])


def test_table_without_version_gets_a_content_hash_version():
    again = NormTable(NORMAL.frame.drop(columns="norm_version"))
    assert NORMAL.version.startswith("norms-") and again.version == NORMAL.version


def test_table_round_trips_through_csv(tmp_path):
    path = tmp_path / "norms.csv"
    TABULATED.frame.to_csv(path, index=False)
    back = NormTable(pd.read_csv(path))
    assert back.version == TABULATED.version
    assert convert_scores(back, "q", [1.5])["percentile"].iloc[0] == pytest.approx(35.0)


def test_unknown_scale_is_rejected_with_the_available_scales():
    with pytest.raises(ValueError, match=r"no norms for scale 'x'.*verbal"):
        convert_scores(NORMAL, "x", [1.0])


def test_decreasing_percentiles_are_rejected():
    bad = TABULATED.frame.assign(percentile=[5.0, 20.0, 10.0, 80.0, 95.0]).drop(columns="norm_version")
    with pytest.raises(ValueError, match="percentiles must rise"):
        NormTable(bad)
