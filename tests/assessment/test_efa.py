"""EFA agrees with psych::fa on the 25 bfi items (reference: tests/data/r/reference_efa.R)."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assessment.psychometrics.efa import efa, oblimin, varimax

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def bfi25() -> pd.DataFrame:
    return pd.read_csv(DATA / "bfi.csv").iloc[:, :25]


def reference(method: str, rotation: str) -> dict:
    return json.loads((DATA / f"reference_efa_bfi_{method}_{rotation}.json").read_text())


RUNS = [("minres", "oblimin"), ("minres", "varimax"), ("minres", "promax"), ("minres", "none"), ("ml", "oblimin")]


@pytest.fixture(scope="module")
def fits(bfi25):
    return {run: efa(bfi25, 5, *run) for run in RUNS}


@pytest.mark.parametrize("run", RUNS)
def test_loadings_match_psych_fa_to_1e_5(fits, run):
    expected = np.array(reference(*run)["loadings"]).T
    assert np.abs(fits[run].loadings.to_numpy() - expected).max() < 1e-5


@pytest.mark.parametrize("run", RUNS)
def test_communalities_match_psych_fa_to_1e_5(fits, run):
    expected = np.array(reference(*run)["communalities"])
    assert np.abs(fits[run].communalities.to_numpy() - expected).max() < 1e-5


@pytest.mark.parametrize("run", [("minres", "oblimin"), ("minres", "promax"), ("ml", "oblimin")])
def test_factor_correlations_match_psych_fa_to_1e_5(fits, run):
    expected = np.array(reference(*run)["factor_corr"])
    assert np.abs(fits[run].factor_corr.to_numpy() - expected).max() < 1e-5


@pytest.mark.parametrize("run", [("minres", "oblimin"), ("ml", "oblimin")])
def test_fit_statistics_match_psych_factor_stats_to_1e_6(fits, run):
    ref, res = reference(*run), fits[run]
    assert res.rmsr == pytest.approx(ref["rms"], abs=1e-6)
    assert res.dof == ref["dof"]
    assert res.chi2 == pytest.approx(ref["chi_square"], rel=1e-5)
    assert res.tli == pytest.approx(ref["tli"], abs=1e-6)
    assert res.rmsea == pytest.approx(ref["rmsea"], abs=1e-6)
    assert res.bic == pytest.approx(ref["bic"], abs=1e-2)


def test_every_factor_is_reflected_to_a_positive_loading_sum(fits):
    assert (fits[("minres", "oblimin")].loadings.sum() > 0).all()


def test_factors_are_ordered_by_explained_variance(fits):
    res = fits[("minres", "oblimin")]
    explained = np.diag(res.factor_corr.to_numpy() @ res.loadings.T.to_numpy() @ res.loadings.to_numpy())
    assert np.all(np.diff(explained) <= 1e-12)


def test_statsmodels_oblimin_is_invariant_to_an_orthogonal_start():
    rng = np.random.default_rng(2)
    load = rng.uniform(-0.2, 0.8, size=(12, 3))
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    a, _ = oblimin(load)
    b, _ = oblimin(load @ q)
    # same solution up to column order and sign
    corr = np.abs(np.corrcoef(a.T, b.T)[:3, 3:])
    assert np.allclose(np.sort(corr.max(axis=1)), 1.0, atol=1e-4)


def test_varimax_keeps_communalities():
    rng = np.random.default_rng(3)
    load = rng.uniform(0, 0.8, size=(10, 3))
    rotated, t = varimax(load)
    assert np.allclose((rotated**2).sum(axis=1), (load**2).sum(axis=1))
    assert np.allclose(t @ t.T, np.eye(3))


def test_efa_rejects_too_many_factors_for_the_items():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="too many"):
        efa(rng.normal(size=(100, 4)), 3)


def test_efa_rejects_an_unknown_rotation():
    with pytest.raises(ValueError, match="rotation='geomin'"):
        efa(np.random.default_rng(0).normal(size=(50, 6)), 2, rotation="geomin")
