import numpy as np

from matching.outcomes.exploration import inclusion_probabilities
from matching.outcomes.model import PROTECTED
from matching.outcomes.simulator import PAIR_COLUMNS, handset_scorer, run_policy, simulate_world
from tests.matching.outcomes.conftest import SMALL


def test_the_same_seed_builds_the_same_centre(shipped_occupations, shipped_table, small_world):
    again = simulate_world(shipped_occupations, shipped_table, SMALL, seed=3)
    assert again.candidates.equals(small_world.candidates)


def test_candidate_and_log_rows_carry_no_protected_attribute(small_log):
    assert not PROTECTED & set(PAIR_COLUMNS)
    assert not PROTECTED & set(small_log.columns)


def test_candidates_are_open_on_the_arrival_day(small_world):
    c = small_world.candidates
    assert ((c["posted_day"] <= c["day"]) & (c["day"] < c["closes_day"])).all()


def test_logged_propensities_are_those_of_the_rank_under_the_logging_policy(small_log):
    for _, rows in list(small_log.groupby("person"))[:200]:
        order = np.lexsort((np.arange(len(rows)), -rows["total"].to_numpy()))
        p = inclusion_probabilities(len(rows), 10, 0.1)
        rank = np.empty(len(rows), dtype=int)
        rank[order] = np.arange(len(rows))
        shown = rows["shown"].to_numpy()
        assert np.allclose(rows["propensity"].to_numpy()[shown], p[rank[shown]])


def test_outcomes_are_drawn_only_for_shown_items_and_lasting_implies_hired(small_log):
    assert small_log.loc[~small_log["shown"], "hired"].isna().all()
    shown = small_log[small_log["shown"]]
    assert (shown["lasting"] <= shown["hired"]).all()


def test_a_period_can_start_from_the_referrals_an_earlier_one_left(small_world):
    whole, ref_whole = run_policy(small_world, handset_scorer)
    first, ref = run_policy(small_world, handset_scorer, to_day=365)
    second, ref_two = run_policy(small_world, handset_scorer, from_day=365, referrals=ref)
    assert np.array_equal(ref_whole, ref_two)
    late = whole[whole["day"] >= 365].reset_index(drop=True)
    assert np.array_equal(late["referrals_before"].to_numpy(), second["referrals_before"].to_numpy())


def test_congestion_lowers_the_true_chance_of_a_hire(small_log, small_world):
    rows = small_log.head(100)
    _, busy = small_world.truth(rows.assign(referrals_per_opening=rows["referrals_per_opening"] + 3))
    _, calm = small_world.truth(rows)
    assert (busy < calm).all()
