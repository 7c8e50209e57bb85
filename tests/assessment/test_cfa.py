"""CFA agrees with lavaan::cfa on Holzinger-Swineford (reference: tests/data/r/reference_cfa.R)."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assessment.psychometrics.cfa import cfa

DATA = Path(__file__).resolve().parents[1] / "data"
REF = json.loads((DATA / "reference_cfa_hs.json").read_text())
MODEL = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}


@pytest.fixture(scope="module")
def fit():
    return cfa(pd.read_csv(DATA / "holzinger_swineford_1939.csv"), MODEL)


@pytest.mark.parametrize("ours,theirs", [("chi2", "chisq"), ("cfi", "cfi"), ("tli", "tli"), ("rmsea", "rmsea"),
                                          ("srmr", "srmr"), ("pvalue", "pvalue"), ("loglik", "logl"),
                                          ("loglik_unrestricted", "unrestricted.logl"), ("aic", "aic"),
                                          ("bic", "bic"), ("baseline_chi2", "baseline.chisq")])
def test_fit_measure_matches_lavaan_to_1e_8(fit, ours, theirs):
    assert getattr(fit, ours) == pytest.approx(REF["fit"][theirs], abs=1e-8)


def test_degrees_of_freedom_match_lavaan(fit):
    assert fit.dof == REF["fit"]["df"]


@pytest.mark.parametrize("column,ref_key", [("est", "est"), ("std_all", "std_all"), ("se", "se")])
def test_loadings_match_lavaan_to_1e_5(fit, column, ref_key):
    assert np.abs(fit.loadings[column].to_numpy() - np.array(REF["loadings"][ref_key])).max() < 1e-5


def test_first_loading_of_each_factor_is_fixed_to_one(fit):
    markers = fit.loadings.groupby("factor", sort=False).head(1)
    assert (markers["est"] == 1.0).all() and markers["fixed"].all()


def test_factor_covariances_match_lavaan_to_1e_5(fit):
    for lhs, rhs, est in zip(REF["factor_cov"]["lhs"], REF["factor_cov"]["rhs"], REF["factor_cov"]["est"]):
        assert fit.factor_cov.loc[lhs, rhs] == pytest.approx(est, abs=1e-5)


def test_cfa_names_an_item_missing_from_the_data():
    data = pd.read_csv(DATA / "holzinger_swineford_1939.csv")
    with pytest.raises(ValueError, match="x99"):
        cfa(data, {"visual": ["x1", "x2", "x99"]})


def test_cfa_recovers_simulated_loadings():
    rng = np.random.default_rng(5)
    f = rng.normal(size=(5000, 1))
    x = pd.DataFrame(f @ [[1.0, 0.8, 0.6, 0.7]] + rng.normal(scale=0.5, size=(5000, 4)), columns=list("abcd"))
    res = cfa(x, {"g": list("abcd")})
    assert np.allclose(res.loadings["est"], [1.0, 0.8, 0.6, 0.7], atol=0.03)
    assert res.rmsea < 0.03
