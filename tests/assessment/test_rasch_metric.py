"""Rasch estimates carried to equal-slope 2PL items on θ ~ N(0, 1) (calibration.rasch_metric)."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assessment.irt import ItemBank, normal_quadrature
from assessment.irt.scoring import log_likelihood_grid
from assessment.psychometrics.calibration.em import calibrate
from assessment.psychometrics.calibration.rasch_metric import rasch_as_2pl

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def lsat6() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "lsat6.csv")
    items = [c for c in frame.columns if c != "freq"]
    return pd.DataFrame(np.repeat(frame[items].to_numpy(float), frame["freq"].to_numpy(), axis=0), columns=items)


def test_equal_slope_items_at_theta_give_the_rasch_probabilities_at_sigma_theta():
    items = pd.DataFrame({"a": [1.0, 1.0, 1.0], "b": [-1.2, 0.3, 2.0]}, index=list("xyz"))
    se = pd.DataFrame({"a": [np.nan] * 3, "b": [0.1, 0.2, 0.3]}, index=list("xyz"))
    sigma = 0.75
    two_pl, _ = rasch_as_2pl(items, se, sigma, 0.05)
    theta = np.linspace(-3, 3, 13)
    rasch = ItemBank.dichotomous(np.ones(3), items["b"]).probabilities(sigma * theta)
    converted = ItemBank.dichotomous(two_pl["a"], two_pl["b"]).probabilities(theta)
    assert np.allclose(converted, rasch, rtol=0, atol=1e-15)


def test_standard_errors_scale_with_the_latent_sd_and_the_inputs_are_left_alone():
    items = pd.DataFrame({"a": [1.0, 1.0], "b": [-0.5, 1.0]})
    se = pd.DataFrame({"a": [np.nan, np.nan], "b": [0.2, 0.4]})
    two_pl, two_pl_se = rasch_as_2pl(items, se, 2.0, 0.1)
    assert two_pl_se["a"].tolist() == [0.1, 0.1] and two_pl_se["b"].tolist() == [0.1, 0.2]
    assert two_pl["b"].tolist() == [-0.25, 0.5]
    assert items["a"].tolist() == [1.0, 1.0] and se["b"].tolist() == [0.2, 0.4]


def test_converted_lsat6_calibration_has_the_rasch_marginal_likelihood_under_a_standard_normal(lsat6):
    cal = calibrate(lsat6, "rasch", tol=1e-6, item_fit=False, standard_errors=False)
    two_pl, _ = rasch_as_2pl(cal.items, cal.se, cal.latent_sd, np.nan)
    bank = ItemBank.dichotomous(two_pl["a"], two_pl["b"])
    quad = normal_quadrature()
    lik = np.exp(log_likelihood_grid(lsat6.to_numpy(), bank, quad.points)) @ quad.weights
    assert float(np.log(lik).sum()) == pytest.approx(cal.loglik, abs=1e-8)


def test_a_non_positive_latent_sd_is_refused():
    items = pd.DataFrame({"a": [1.0], "b": [0.0]})
    with pytest.raises(ValueError, match="latent_sd"):
        rasch_as_2pl(items, items, 0.0, 0.1)
