"""The default vacancy list of a stored person goes through the outcome-learning path
(``matching.outcomes.live.outcome_list``): ordered by expected benefit under the active outcome
model (hand-set order while none is active), a share of positions explored, every shown item's
exploration flag and propensity in the answer and in the ranking log, with the model version."""
import numpy as np
import pytest
from pydantic import ValidationError
from sqlalchemy import select

from api.db import make_sessionmaker
from api.services import learning
from api.services.matching import match_person, person_profile
from api.services.referral_context import live_context
from api.settings import Settings
from matching.outcomes.live import CONTEXT, candidate_features
from matching.outcomes.model import FEATURES
from matching.outcomes.objective import expected_competition, rerank
from models.match import MatchRequest
from models.tables import Person
from models.tables_referrals import RankingLog
from tests.api import pathway_helpers as h
from tests.api.test_learning import labelled

SHOPS = ["某超市", "某便利店", "某商场", "某百货", "某卖场", "某市场", "某菜场", "某书店", "某药店"]
CASHIER = [{"occupation_code": "4-01-02-04", "title": "超市收银员", "months": 36}]


@pytest.fixture
def centre(client, tenant):
    """Nine cashier vacancies in the person's district (more reasonably fitting ones than a list of
    3 holds) and a cashier; yields (tenant, person id)."""
    for shop in SHOPS:
        h.vacancy(client, tenant, employer=shop, title="收银员", occupation_code="4-01-02-04", district="朝阳区")
    person_id = h.person(client, tenant, education="junior_secondary", district="朝阳区", work_history=CASHIER,
                         expected_monthly_pay=4000)
    return tenant, person_id


@pytest.fixture
def db(app):
    with make_sessionmaker(app.state.engine)() as s:
        yield s
        s.rollback()


def _match(app, db, tenant, rng_seed=0, share=0.5, recorded_by="k_test", **request):
    query = MatchRequest(**{"kind": "vacancies", "k": 3, **request})
    return match_person(db, tenant.organisation_id, query, pools=app.state.vacancy_pools,
                        code_titles=app.state.title_coder, recorded_by=recorded_by,
                        settings=app.state.settings.model_copy(update={"exploration_share": share}),
                        rng=np.random.default_rng(rng_seed))


def _log(db, match_id) -> RankingLog:
    return db.scalar(select(RankingLog).where(RankingLog.id == match_id))


def test_the_answer_and_the_log_carry_each_shown_items_exploration_and_propensity(app, db, centre):
    tenant, person_id = centre
    answers = [_match(app, db, tenant, seed, person_id=person_id) for seed in range(4)]
    assert any(r.exploration for a in answers for r in a.ranking.results)
    for answer in answers:
        shown = [(r.item_id, r.rank, r.exploration, r.propensity) for r in answer.ranking.results]
        log = _log(db, answer.match_id)
        assert [(i["item_id"], i["rank"], i["exploration"], i["propensity"]) for i in log.items] == shown
        assert log.model_version is None and answer.ranking_model == "hand-set"


def test_explored_positions_have_a_propensity_below_one(app, db, centre):
    tenant, person_id = centre
    results = [r for seed in range(4) for r in _match(app, db, tenant, seed, person_id=person_id).ranking.results]
    explored = [r.propensity for r in results if r.exploration]
    assert explored and max(explored) < 1


def test_without_exploration_and_model_the_list_is_the_hand_set_one(app, db, centre):
    tenant, person_id = centre
    live = _match(app, db, tenant, share=0.0, person_id=person_id)
    plain = _match(app, db, tenant, person_id=person_id, ranking="hand_set")
    assert [r.item_id for r in live.ranking.results] == [r.item_id for r in plain.ranking.results]


def test_the_hand_set_ranking_is_never_randomised(app, db, centre):
    tenant, person_id = centre
    for seed in range(4):
        answer = _match(app, db, tenant, seed, person_id=person_id, ranking="hand_set")
        assert all(not r.exploration and r.propensity == 1.0 for r in answer.ranking.results)
        assert answer.ranking_model == "hand-set"
        assert all(not i["exploration"] for i in _log(db, answer.match_id).items)


def test_an_inline_profile_is_neither_randomised_nor_logged(app, db, centre):
    tenant, _ = centre
    profile = {"education": "junior_secondary", "district": "朝阳区", "work_history": CASHIER}
    for seed in range(4):
        answer = _match(app, db, tenant, seed, profile=profile)
        assert answer.match_id is None
        assert all(not r.exploration and r.propensity == 1.0 for r in answer.ranking.results)


def test_with_an_active_model_the_list_is_ordered_by_expected_benefit_and_logs_the_version(app, client, db, centre):
    tenant, person_id = centre
    crowded = [r.item_id for r in _match(app, db, tenant, person_id=person_id, ranking="hand_set",
                                         recorded_by=None).ranking.results]
    for vacancy_id in crowded:  # the hand-set top 3 already have many referrals per opening
        for _ in range(4):
            referred = h.refer(client, tenant, h.person(client, tenant), vacancy_id, referred_on=h.day(-2))
            assert referred.status_code == 201, referred.text
    version = learning.train_version(db, tenant.organisation_id, labelled(), trained_by="test")
    assert version.status == "active"
    answer = _match(app, db, tenant, share=0.0, person_id=person_id)
    assert answer.ranking_model == f"outcome model v{version.version}"
    assert _log(db, answer.match_id).model_version == version.id

    plain = _match(app, db, tenant, person_id=person_id, ranking="hand_set", k=50)
    ids = [r.item_id for r in plain.ranking.results]
    total = np.array([r.total for r in plain.ranking.results])
    pool, _ = app.state.vacancy_pools.get(db, tenant.organisation_id, {})
    profile, _ = person_profile(db, db.get(Person, person_id), [])
    context = live_context(db, tenant.organisation_id, ids, h.today())
    feats = candidate_features(profile, pool, ids, context)
    model = learning.active_model(db, tenant.organisation_id)
    p = model.predict(feats[list(FEATURES)])
    c = expected_competition(feats["referrals_so_far"], feats["days_open"], feats["days_left"], feats["openings"])
    best = [ids[i] for i in rerank(total, p, c, 3)]
    assert [r.item_id for r in answer.ranking.results] == best
    assert not set(best) & set(crowded)


def test_the_referral_context_counts_referrals_made_so_far_but_not_withdrawn_ones(client, db, tenant):
    vacancy_id = h.vacancy(client, tenant, posted_on=h.day(-20), closes_on=h.day(10))
    referral_ids = [h.refer(client, tenant, h.person(client, tenant), vacancy_id, referred_on=h.day(-5)).json()["id"]
                    for _ in range(3)]
    withdrawn = client.post(f"/v1/referrals/{referral_ids[0]}/corrections", json={"reason": "录错了", "retract": True},
                            headers=tenant.headers())
    assert withdrawn.status_code == 201, withdrawn.text
    context = live_context(db, tenant.organisation_id, [vacancy_id], h.today())
    assert list(context.columns) == list(CONTEXT)
    assert context.loc[vacancy_id].tolist() == [2.0, 20.0, 10.0]


def test_an_exploration_share_outside_0_to_half_is_refused_naming_the_setting():
    with pytest.raises(ValidationError, match="PATHFIT_EXPLORATION_SHARE"):
        Settings(exploration_share=0.6)


def test_post_matches_says_which_ranking_ordered_the_list(client, centre):
    tenant, person_id = centre
    body = client.post("/v1/matches", json={"person_id": person_id, "k": 3}, headers=tenant.headers()).json()
    assert body["ranking_model"] == "hand-set" and body["match_id"] is not None
    assert all("propensity" in r and "exploration" in r for r in body["ranking"]["results"])
