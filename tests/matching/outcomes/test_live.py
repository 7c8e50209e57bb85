import numpy as np
import pandas as pd
import pytest

from matching.components import PersonBlock
from matching.matcher import Matcher
from matching.outcomes.explain import STABLE_REASON, supports_stable_reason
from matching.outcomes.exploration import inclusion_probabilities
from matching.outcomes.live import (
    CONTEXT, LOGGED_FEATURES, MAX_CANDIDATES, MIN_TOTAL, candidate_features, outcome_list,
)
from matching.outcomes.model import FEATURES
from matching.rank import score_vacancies

NO_CONTEXT = pd.DataFrame(columns=list(CONTEXT), dtype=float)


@pytest.fixture(scope="module")
def fitted(occupations, vacancies):
    return Matcher().fit(occupations, vacancies)


@pytest.fixture
def ranked(fitted, person):
    return fitted.rank(person, "vacancies", MAX_CANDIDATES)


def test_without_a_model_and_exploration_the_list_is_the_hand_set_top_k(fitted, person, ranked):
    shown, logged = outcome_list(ranked, person, fitted.pool_, 10, model=None, context=NO_CONTEXT,
                                 rng=np.random.default_rng(0), exploration_share=0.0)
    expected = [r.item_id for r in ranked.results[:10]]
    assert [r.item_id for r in shown.results] == expected
    assert [r.rank for r in shown.results] == list(range(1, len(expected) + 1))
    assert all(not x.exploration and x.propensity == 1.0 for x in logged)


def test_every_shown_item_carries_the_propensity_of_its_rank(fitted, person, ranked):
    shown, logged = outcome_list(ranked, person, fitted.pool_, 10, model=None, context=NO_CONTEXT,
                                 rng=np.random.default_rng(5), exploration_share=0.3)
    cands = [r.item_id for r in ranked.results if r.total >= MIN_TOTAL]
    p = inclusion_probabilities(len(cands), 10, 0.3)
    assert [x.propensity for x in logged] == pytest.approx([p[cands.index(x.item_id)] for x in logged])


def test_the_shown_results_carry_the_exploration_and_propensity_the_log_records(fitted, person, ranked):
    shown, logged = outcome_list(ranked, person, fitted.pool_, 10, model=None, context=NO_CONTEXT,
                                 rng=np.random.default_rng(5), exploration_share=0.3)
    assert any(x.exploration for x in logged)
    assert [(r.item_id, r.exploration, r.propensity) for r in shown.results] == \
        [(x.item_id, x.exploration, x.propensity) for x in logged]


def test_with_fewer_fitting_vacancies_than_k_all_are_shown_then_the_others_with_propensity_one(fitted, person,
                                                                                               ranked):
    totals = [60.0, 50.0, 40.0] + [20.0] * (len(ranked.results) - 3)
    weak = ranked.model_copy(update={"results": [r.model_copy(update={"total": t})
                                                 for r, t in zip(ranked.results, totals)]})
    shown, logged = outcome_list(weak, person, fitted.pool_, 10, model=None, context=NO_CONTEXT,
                                 rng=np.random.default_rng(5), exploration_share=0.5)
    assert [r.item_id for r in shown.results] == [r.item_id for r in ranked.results[:10]]
    assert all(not x.exploration and x.propensity == 1.0 for x in logged)


def test_the_features_are_those_the_matcher_computed_for_the_person(fitted, person, ranked):
    ids = [r.item_id for r in ranked.results[:5]]
    feats = candidate_features(person, fitted.pool_, ids, NO_CONTEXT)
    assert set(FEATURES) <= set(feats.columns)
    assert feats["total"].round(2).tolist() == [r.total for r in ranked.results[:5]]
    assert feats["interest"].round(4).tolist() == [r.components["interest"] for r in ranked.results[:5]]


def test_the_listed_vacancies_score_as_in_the_whole_pool(fitted, person):
    pool = fitted.pool_
    cols = np.random.default_rng(0).choice(pool.n, size=25, replace=False)
    whole = score_vacancies(PersonBlock.from_profiles([person]), pool)
    feats = candidate_features(person, pool, [str(pool.items.ids[c]) for c in cols], NO_CONTEXT)
    expected = {"total": whole.total[0, cols], "commute_minutes": whole.reach.minutes[0, cols],
                **{n: x[0, cols] for n, x in whole.components.items()},
                **{n: np.broadcast_to(x, whole.total.shape)[0, cols] for n, x in whole.practical_parts.items()}}
    for name, values in expected.items():
        np.testing.assert_allclose(feats[name].to_numpy(), values, equal_nan=True, err_msg=name)


def test_the_stable_sentence_appears_only_where_the_model_supports_it(fitted, person, ranked, fitted_model):
    shown, _ = outcome_list(ranked, person, fitted.pool_, 10, model=fitted_model, context=NO_CONTEXT,
                            rng=np.random.default_rng(0), exploration_share=0.0)
    ids = [r.item_id for r in shown.results]
    p = fitted_model.predict(candidate_features(person, fitted.pool_, ids, NO_CONTEXT)[list(FEATURES)])
    for r, chance in zip(shown.results, p):
        has = any(x.zh_CN == STABLE_REASON["zh-CN"] for x in r.reasons)
        assert has == supports_stable_reason(float(chance), fitted_model.base_rate_, fitted_model.n_train_)


def test_the_stable_sentence_needs_a_clearly_higher_chance_than_usual_and_enough_training_rows():
    assert supports_stable_reason(0.16, 0.10, 1000)
    assert not supports_stable_reason(0.14, 0.10, 1000)
    assert not supports_stable_reason(0.5, 0.10, 100)


@pytest.mark.parametrize("with_model", [False, True])
def test_logged_items_carry_the_features_of_their_vacancy_when_asked(fitted, person, ranked, fitted_model,
                                                                     with_model):
    _, logged = outcome_list(ranked, person, fitted.pool_, 10, model=fitted_model if with_model else None,
                             context=NO_CONTEXT, rng=np.random.default_rng(5), exploration_share=0.3,
                             log_features=True)
    expected = candidate_features(person, fitted.pool_, [x.item_id for x in logged], NO_CONTEXT)
    for x, (_, row) in zip(logged, expected.iterrows()):
        assert list(x.features) == list(LOGGED_FEATURES)
        np.testing.assert_allclose([x.features[n] for n in LOGGED_FEATURES], row[list(LOGGED_FEATURES)].to_numpy(
            dtype=float), equal_nan=True)


def test_logged_items_carry_no_features_unless_asked(fitted, person, ranked):
    _, logged = outcome_list(ranked, person, fitted.pool_, 10, model=None, context=NO_CONTEXT,
                             rng=np.random.default_rng(5), exploration_share=0.3)
    assert all(x.features == {} for x in logged)
