import numpy as np
import pandas as pd
import pytest

from matching.outcomes.model import FEATURES, OutcomeModel, ProtectedAttributeError, feature_frame


def test_the_feature_list_is_fit_components_practical_parts_and_vacancy_context():
    assert FEATURES == ("aptitude", "interest", "work_values", "work_style", "practical", "experience",
                        "distance", "hours", "pay", "education", "commute_minutes", "hours_per_week",
                        "openings", "days_open", "referrals_per_opening")


@pytest.mark.parametrize("column", ["gender", "Gender", "age", "age_band", "birth_year", "ethnicity", "religion",
                                    "disability", "health", "physical_limitations", "hard_to_employ"])
def test_a_protected_attribute_reaching_the_model_raises(small_log, fitted_model, column):
    rows = small_log.head(5).assign(**{column: 1})
    with pytest.raises(ProtectedAttributeError, match=column.lower()):
        fitted_model.predict(rows)
    with pytest.raises(ProtectedAttributeError):
        OutcomeModel().fit(rows, np.array([0, 1, 0, 1, 0]), rows, np.array([0, 1, 0, 1, 0]))


def test_no_protected_attribute_is_among_the_fitted_estimator_inputs(fitted_model):
    names = list(fitted_model.estimator_.estimator.estimator.feature_names_in_)
    assert names == list(FEATURES)


def test_a_missing_feature_is_named():
    with pytest.raises(KeyError, match="referrals_per_opening"):
        feature_frame(pd.DataFrame({c: [0.5] for c in FEATURES if c != "referrals_per_opening"}))


def test_predictions_are_probabilities(small_log, fitted_model):
    p = fitted_model.predict(small_log)
    assert p.shape == (len(small_log),) and ((p >= 0) & (p <= 1)).all()


def test_more_competing_referrals_never_raise_the_chance(small_log, fitted_model):
    rows = small_log.head(200)
    p0 = fitted_model.estimator_.estimator.estimator.predict_proba(feature_frame(rows))[:, 1]
    p1 = fitted_model.estimator_.estimator.estimator.predict_proba(
        feature_frame(rows.assign(referrals_per_opening=rows["referrals_per_opening"] + 5)))[:, 1]
    assert (p1 <= p0 + 1e-12).all()


def test_auto_compares_both_estimators_on_the_validation_window(small_log):
    shown = small_log[small_log["shown"]]
    train, valid = shown[shown["day"] < 330], shown[(shown["day"] >= 330) & (shown["day"] < 420)]
    model = OutcomeModel().fit(train, train["lasting"], valid, valid["lasting"])
    assert set(model.selection_) == {"gradient_boosting", "logistic"}
    assert model.kind_ == min(model.selection_, key=lambda k: model.selection_[k]["log_loss"])


def test_a_stored_model_predicts_the_same_after_loading(small_log, fitted_model):
    again = OutcomeModel.from_bytes(fitted_model.to_bytes())
    assert np.array_equal(again.predict(small_log.head(50)), fitted_model.predict(small_log.head(50)))


def test_outcomes_of_one_kind_only_are_refused(small_log):
    rows = small_log.head(20)
    with pytest.raises(ValueError, match="both lasting hires and others"):
        OutcomeModel().fit(rows, np.zeros(20), rows, np.zeros(20))


def test_a_feature_missing_in_every_training_row_is_ignored_rather_than_fatal(small_log):
    shown = small_log[small_log["shown"]].assign(interest=np.nan)  # nobody in the centre was assessed
    train, valid = shown[shown["day"] < 330], shown[(shown["day"] >= 330) & (shown["day"] < 420)]
    model = OutcomeModel().fit(train, train["lasting"], valid, valid["lasting"])
    assert model.unobserved_ == ("interest",)
    later = small_log.head(50)
    assert np.array_equal(model.predict(later), model.predict(later.assign(interest=np.nan)))
