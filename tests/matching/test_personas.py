"""Persona suite (issue 13): people from the employment service's population, each with one
expectation a counsellor would agree with. The matcher runs on the shipped occupation table and
the demo centre's vacancies and programmes (``api/demo_data``), as a counsellor would use it.
"""
from pathlib import Path

import pandas as pd
import pytest

from api.services.matching import code_past_jobs
from api.services.reference import code_titles
from matching.eligibility import REASON_BITS
from matching.matcher import Matcher, NotEnoughInformation
from tests.matching.demo import demo_matcher
from tests.matching.personas import BY_KEY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def occupations() -> pd.DataFrame:
    return pd.read_csv(ROOT / "matching" / "data" / "occupation_profiles.csv", dtype={"code": str, "family_id": str})


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return demo_matcher()


def directions(matcher, key, k=10):
    return matcher.rank(BY_KEY[key].profile(), "occupations", k)


def member_codes(result) -> set[str]:
    return {m.code for m in result.members}


def codes_in(ranking) -> set[str]:
    return {c for r in ranking.results for c in member_codes(r)}


def test_laid_off_electrical_assembler_sees_electrical_manufacturing_work_first(matcher):
    top = directions(matcher, "factory_worker").results[0]
    assert any(c.startswith("6-24-") for c in member_codes(top))


def test_cashier_who_cannot_walk_far_stand_long_or_lift_is_offered_none_of_that(matcher, occupations):
    ranking = directions(matcher, "mobility_disability")
    declared = ("walking_long_distances", "prolonged_standing", "heavy_lifting")
    assert all(f"phys_{d}" in occupations.columns for d in declared), "the occupation table must describe demands"
    demands = occupations.set_index("code")[[f"phys_{d}" for d in declared]]
    shown = sorted(codes_in(ranking))
    assert not (demands.loc[shown] == 1).any().any()
    assert {"4-02-07-04", "4-02-07-08"}.isdisjoint(shown)  # 邮政投递员, 快递员
    assert ranking.ineligible.by_reason["physical"] > 0


def test_carer_limited_to_25_hours_of_day_work_nearby_is_told_what_would_open(matcher):
    ranking = matcher.rank(BY_KEY["carer"].profile(), "vacancies", 10)
    pool = matcher.pool_
    for r in ranking.results:
        row = list(pool.items.ids).index(r.item_id)
        assert pool.items.hours[row] <= 25
    assert len(ranking.results) < 10 and ranking.near_misses
    hours = [m for m in ranking.near_misses if m.constraint == "hours"]
    assert hours and f"{hours[0].extra_items}个岗位" in hours[0].zh_CN


def test_near_miss_counts_are_the_vacancies_that_fail_only_that_constraint(matcher):
    from matching.components import PersonBlock
    from matching.rank import score_vacancies

    profile = BY_KEY["carer"].profile()
    ranking = matcher.rank(profile, "vacancies", 10)
    s = score_vacancies(PersonBlock.from_profiles([profile]), matcher.pool_)
    for miss in ranking.near_misses:
        if miss.constraint == "hours":
            only = s.fail[0] == REASON_BITS["hours"]
            assert miss.extra_items == int((only & (matcher.pool_.items.hours <= float(miss.relaxed_to))).sum())


def test_truck_driver_with_a2_licence_sees_freight_driving_and_is_not_sold_the_a2_course(matcher):
    top5 = directions(matcher, "truck_driver", 5)
    assert "4-02-02-02" in codes_in(top5)  # 道路货运汽车驾驶员's family
    programmes = matcher.rank(BY_KEY["truck_driver"].profile(), "programmes", 10)
    assert "货车驾驶员（A2）培训" not in [r.title for r in programmes.results]
    assert programmes.ineligible.by_reason["certificate_held"] == 1


def test_restaurant_server_of_four_years_is_told_her_experience_counts(matcher):
    top5 = directions(matcher, "restaurant_server", 5)
    first = top5.results[0]
    assert "4-03-02-05" in member_codes(first)
    assert any(r.code == "experience_same" and "4年" in r.zh_CN for r in first.reasons)


def test_older_security_guard_keeps_security_work_in_his_top_three_and_is_not_sold_the_guard_course(matcher):
    ranking = directions(matcher, "older_guard", 3)
    assert "4-07-05-01" in codes_in(ranking)
    programmes = matcher.rank(BY_KEY["older_guard"].profile(), "programmes", 10)
    assert "保安员资格培训" not in [r.title for r in programmes.results]


def test_computing_graduate_without_work_history_sees_professional_directions(matcher):
    ranking = directions(matcher, "graduate", 5)
    assert all(r.occupation_code.startswith("2-") for r in ranking.results)
    assert all(r.components["experience"] is None for r in ranking.results)


def test_person_with_flat_interests_is_pointed_to_career_exploration_not_told_what_she_likes(matcher):
    ranking = directions(matcher, "flat_interests")
    assert [n.code for n in ranking.notes] == ["interests_flat"]
    assert not any(r.code == "interest_high" for res in ranking.results for r in res.reasons)


def test_certified_care_worker_sees_elderly_care_and_is_not_sold_the_care_course(matcher):
    ranking = directions(matcher, "care_worker", 3)
    assert "4-10-01-05" in codes_in(ranking)
    programmes = matcher.rank(BY_KEY["care_worker"].profile(), "programmes", 10)
    assert "养老护理员（五级/初级工）培训" not in [r.title for r in programmes.results]


def test_certified_welder_sees_welding_first_with_his_certificate_named(matcher):
    first = directions(matcher, "welder").results[0]
    assert "6-18-02-04" in member_codes(first)
    assert any(r.code == "certificate_held_fits" and "焊工证" in r.zh_CN for r in first.reasons)


def test_programmer_sees_programming_first(matcher):
    assert "4-04-05-01" in member_codes(directions(matcher, "programmer").results[0])


def test_accountant_sees_accounting_first(matcher):
    assert "2-06-03-00" in member_codes(directions(matcher, "accountant").results[0])


def test_cook_registered_only_by_job_title_gets_cooking_in_the_top_five_once_the_title_is_coded(matcher):
    profile = code_past_jobs(BY_KEY["untitled_cook"].profile(), code_titles)
    assert profile.work_history[0].occupation_code is not None
    ranking = matcher.rank(profile, "occupations", 5)
    assert any(c.startswith("4-03-02-0") for c in codes_in(ranking))


def test_person_with_no_scores_and_no_history_is_not_ranked(matcher):
    with pytest.raises(NotEnoughInformation):
        directions(matcher, "no_data")


def test_no_family_appears_twice_in_any_personas_list(matcher):
    for key in BY_KEY:
        if key == "no_data":
            continue
        ranking = directions(matcher, key)
        ids = [r.family_id for r in ranking.results + ranking.after_training]
        assert len(ids) == len(set(ids)), key


def test_options_after_training_never_appear_in_the_main_list(matcher):
    for key in BY_KEY:
        if key == "no_data":
            continue
        ranking = directions(matcher, key)
        assert not ({r.family_id for r in ranking.after_training} & {r.family_id for r in ranking.results}), key
        assert not any(r.code.startswith("aptitude_gap_large") for res in ranking.results for r in res.reasons)


def test_graduate_whose_directions_are_open_is_sent_to_no_unrelated_course(matcher):
    programmes = matcher.rank(BY_KEY["graduate"].profile(), "programmes", 10)
    assert "保安员资格培训" not in [r.title for r in programmes.results]
    assert programmes.ineligible.by_reason["leads_elsewhere"] >= 1


def test_course_towards_a_named_occupation_is_kept_even_when_it_leads_lower(matcher):
    named = BY_KEY["graduate"].profile().model_copy(update={"interested_occupations": ["4-07-05-01"]})
    programmes = matcher.rank(named, "programmes", 10)
    assert "保安员资格培训" in [r.title for r in programmes.results]
