"""Item statistics agree with psych::alpha; option analysis flags distractors that draw high scorers."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assessment.psychometrics.item_analysis import item_analysis

DATA = Path(__file__).resolve().parents[1] / "data"
REF = json.loads((DATA / "reference_reliability_bfi.json").read_text())


@pytest.fixture(scope="module")
def agreeableness():
    bfi = pd.read_csv(DATA / "bfi.csv")
    bfi["A1"] = 7 - bfi["A1"]
    return item_analysis(bfi[REF["agreeableness"]["items"]])


@pytest.mark.parametrize("column,ref_key", [("item_total_r", "item_total_r"), ("item_rest_r", "item_rest_r"),
                                            ("alpha_if_deleted", "alpha_if_deleted"), ("mean", "item_mean")])
def test_item_statistics_match_psych_alpha(agreeableness, column, ref_key):
    expected = np.array(REF["agreeableness"][ref_key])
    assert np.abs(agreeableness.items[column].to_numpy() - expected).max() < 1e-4


def test_item_rest_correlation_is_below_item_total(agreeableness):
    assert (agreeableness.items["item_rest_r"] < agreeableness.items["item_total_r"]).all()


@pytest.fixture(scope="module")
def multiple_choice():
    rng = np.random.default_rng(11)
    n = 2000
    theta = rng.normal(size=n)
    answers = {}
    for j in range(8):
        p = 1 / (1 + np.exp(-(1.5 * theta - (j - 4) * 0.3)))
        right = rng.random(n) < p
        wrong = rng.choice(["B", "C", "D"], n, p=[0.5, 0.3, 0.2])
        answers[f"q{j}"] = np.where(right, "A", wrong)
    # q7's distractor "D" is chosen by the strongest candidates: a miskeyed-looking option
    strong = theta > 1.0
    answers["q7"] = np.where(strong & (rng.random(n) < 0.6), "D", answers["q7"])
    return item_analysis(pd.DataFrame(answers), key={f"q{j}": "A" for j in range(8)})


def test_option_shares_sum_to_one_per_item(multiple_choice):
    assert np.allclose(multiple_choice.options.groupby("item")["share"].sum(), 1.0)


def test_distractor_chosen_by_high_scorers_is_flagged(multiple_choice):
    flagged = multiple_choice.flagged_distractors
    assert list(zip(flagged["item"], flagged["option"])) == [("q7", "D")]


def test_key_has_positive_point_biserial(multiple_choice):
    keys = multiple_choice.options[multiple_choice.options["is_key"]]
    assert (keys["pbis_rest"] > 0).all()


def test_difficulty_of_keyed_items_is_share_correct(multiple_choice):
    shares = multiple_choice.options[multiple_choice.options["is_key"]].set_index("item")["share"]
    assert np.allclose(multiple_choice.items["mean"], shares.loc[multiple_choice.items.index])


def test_key_naming_an_absent_item_is_rejected():
    data = pd.DataFrame({"q1": ["A", "B", "A"], "q2": ["B", "B", "A"]})
    with pytest.raises(ValueError, match="q9"):
        item_analysis(data, key={"q1": "A", "q9": "B"})
