"""DIF agrees with base R's mantelhaen.test and glm (reference: tests/data/r/reference_dif.R)."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assessment.psychometrics.dif import benjamini_hochberg, dif, ets_mh_class, ets_smd_class

DATA = Path(__file__).resolve().parents[1] / "data"
REF = json.loads((DATA / "reference_dif.json").read_text())


@pytest.fixture(scope="module")
def simulated():
    d = pd.read_csv(DATA / "dif_simulated.csv")
    return d.drop(columns="group"), d["group"]


@pytest.fixture(scope="module")
def mh(simulated):
    return dif(*simulated, method="mh")


@pytest.fixture(scope="module")
def logistic(simulated):
    return dif(*simulated, method="logistic")


def ref_frame(kind):
    return pd.DataFrame(REF[kind]).T.astype(float)


@pytest.mark.parametrize("ours,theirs", [("mh_chi2", "chi_square"), ("alpha_mh", "alpha_mh"),
                                          ("mh_d_dif", "d_dif"), ("alpha_mh_low", "conf_low"),
                                          ("alpha_mh_high", "conf_high"), ("mh_p", "p_value")])
def test_mantel_haenszel_matches_mantelhaen_test(mh, ours, theirs):
    assert np.allclose(mh[ours], ref_frame("mantel_haenszel")[theirs], rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("column", ["uniform_chi2", "nonuniform_chi2", "combined_chi2"])
def test_logistic_likelihood_ratio_tests_match_glm(logistic, column):
    assert np.allclose(logistic[column], ref_frame("logistic")[column], atol=1e-6)


def test_logistic_delta_r2_is_nagelkerke_change_as_difr(logistic):
    ref = ref_frame("logistic")
    assert np.allclose(logistic["delta_r2"], ref["r2_m2"] - ref["r2_m0"], atol=1e-8)


def test_items_simulated_with_large_uniform_dif_are_not_class_a(mh):
    assert mh.loc["i02", "ets_class"] in {"B", "C"} and mh.loc["i01", "ets_class"] in {"B", "C"}


def test_direction_of_dif_is_reported(mh):
    assert mh.loc["i01", "favours"] == "reference" and mh.loc["i02", "favours"] == "focal"


def test_non_uniform_dif_item_has_the_largest_nonuniform_statistic(logistic):
    assert logistic["nonuniform_chi2"].idxmax() == "i03"


def test_item_without_dif_is_class_a_in_clean_data():
    rng = np.random.default_rng(4)
    theta = rng.normal(size=3000)
    b = np.linspace(-1.5, 1.5, 15)
    x = (rng.random((3000, 15)) < 1 / (1 + np.exp(-(theta[:, None] - b)))).astype(float)
    group = rng.integers(0, 2, 3000)
    res = dif(x, group)
    assert (res["ets_class"] == "A").mean() >= 0.9


def test_dif_rejects_polytomous_items_by_name():
    data = pd.DataFrame({"a": [0, 1, 2] * 10, "b": [1, 0, 1] * 10})
    with pytest.raises(ValueError, match="'a' has values other than 0 and 1"):
        dif(data, [0, 1] * 15)


def test_dif_rejects_more_than_two_groups():
    data = pd.DataFrame({"a": [0, 1, 1] * 10, "b": [1, 0, 1] * 10})
    with pytest.raises(ValueError, match="exactly two groups"):
        dif(data, [0, 1, 2] * 10)


def test_benjamini_hochberg_matches_statsmodels_and_keeps_nan_out_of_the_count():
    from statsmodels.stats.multitest import multipletests

    p = np.array([0.001, 0.04, np.nan, 0.03, 0.2, 0.011, np.nan, 0.9])
    q = benjamini_hochberg(p)
    finite = np.isfinite(p)
    assert np.isnan(q[~finite]).all()
    assert np.allclose(q[finite], multipletests(p[finite], method="fdr_bh")[1], rtol=1e-12)


@pytest.mark.parametrize("d, se, significant, expected", [
    (-0.9, 0.1, True, "A"),     # |D| < 1
    (-2.0, 0.1, False, "A"),    # not significant
    (-1.6, 0.2, True, "C"),     # |D| ≥ 1.5 and (1.6 − 1)/0.2 = 3 > 1.645
    (-1.6, 0.5, True, "B"),     # |D| ≥ 1.5 but (1.6 − 1)/0.5 = 1.2 < 1.645
    (1.2, 0.1, True, "B"),
    (float("nan"), float("nan"), True, "A"),
])
def test_ets_mh_class_follows_the_zwick_rule(d, se, significant, expected):
    assert ets_mh_class(d, se, significant, 0.05) == expected


@pytest.mark.parametrize("effect, significant, expected", [
    (0.17, True, "A"), (-0.18, True, "B"), (0.25, True, "B"), (-0.26, True, "C"), (0.4, False, "A"),
    (float("nan"), True, "A"),
])
def test_ets_smd_class_uses_the_017_and_025_cuts(effect, significant, expected):
    assert ets_smd_class(effect, significant) == expected
