import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from matching.outcomes.evaluation import Split, check_disjoint, evaluate_world, weighted_auc


def test_evaluation_people_shared_with_training_are_refused():
    train = pd.DataFrame({"person": [1, 2], "day": [10, 20]})
    valid = pd.DataFrame({"person": [3], "day": [400]})
    test = pd.DataFrame({"person": [2, 4], "day": [600, 610]})
    with pytest.raises(ValueError, match="also training or validation people"):
        check_disjoint(train, valid, test)


def test_windows_out_of_time_order_are_refused():
    train = pd.DataFrame({"person": [1], "day": [500]})
    valid = pd.DataFrame({"person": [3], "day": [400]})
    with pytest.raises(ValueError, match="after the training"):
        check_disjoint(train, valid, pd.DataFrame({"person": [5], "day": [600]}))


@pytest.fixture(scope="module")
def evaluated(small_world):
    return evaluate_world(small_world, seed=3, n_boot=200)


def test_the_evaluation_reports_every_ranking_and_estimator(evaluated):
    metrics, _ = evaluated
    assert set(metrics["deployed"]) == {"hand_set", "learned", "oracle"}
    assert set(metrics["off_policy"]["lasting_hires_at_k"]["covered"]) == {"ips", "snips", "dr"}
    assert set(metrics["fairness"]) >= {"gender", "age_band"}


def test_the_model_sees_only_referrals_made_before_the_validation_window_ends(evaluated, small_log):
    metrics, model = evaluated
    split = Split()
    shown = small_log[small_log["shown"]]
    assert model.n_train_ == metrics["rows"]["train"] == int((shown["day"] < split.train_to).sum())
    assert model.n_validation_ == int(((shown["day"] >= split.train_to) & (shown["day"] < split.valid_to)).sum())
    evaluation_people = set(small_log.loc[small_log["day"] >= split.test_from, "person"])
    seen = set(shown.loc[shown["day"] < split.valid_to, "person"])
    assert evaluation_people and not evaluation_people & seen


def test_the_oracle_is_at_least_as_good_as_the_hand_set_ranking(evaluated):
    d = evaluated[0]["deployed"]
    assert d["oracle"]["lasting_hires_at_k"] >= d["hand_set"]["lasting_hires_at_k"]


def test_weighted_auc_with_unit_weights_is_sklearns_auc_with_ties():
    rng = np.random.default_rng(0)
    y, s = rng.integers(0, 2, 300), rng.integers(0, 8, 300).astype(float)
    assert weighted_auc(y, s, np.ones((1, 300)))[0] == pytest.approx(roc_auc_score(y, s))


def test_weighted_auc_counts_a_row_drawn_twice_twice():
    y, s = np.array([0, 1, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8, 0.2])
    w = np.array([[2, 1, 0, 3, 1]])
    assert weighted_auc(y, s, w)[0] == pytest.approx(roc_auc_score(y, s, sample_weight=w[0]))
