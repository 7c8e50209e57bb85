"""The Matcher estimator on small hand-made pools: licensed lines of work, occupation physical
demands, families and near misses (the persona suite covers the shipped data)."""
import numpy as np
import pandas as pd
import pytest

from matching.matcher import Matcher, NotEnoughInformation
from models.person import Constraints
from models.profile import PastJob, Profile, RiasecScores
from tests.matching.conftest import vacancy_row

INTEREST = RiasecScores(R=4.5, I=2.0, A=1.5, S=2.0, E=2.0, C=3.0)


def _vacancies(code, n, **overrides):
    return [vacancy_row(id=f"{code}-{i}", occupation_code=code, **overrides) for i in range(n)]


@pytest.fixture
def licensed(occupations):
    code = occupations["code"].iloc[0]
    vac = pd.DataFrame(_vacancies(code, 2, required_certificates=["叉车证"]))
    prog = pd.DataFrame([{"id": "t1", "title": "叉车司机培训", "target_occupation_codes": [code], "district": "区1",
                          "certificates_awarded": ["叉车证"]}])
    return code, Matcher().fit(occupations, vac, prog)


def test_a_licensed_line_of_work_waits_for_its_certificate_in_the_after_training_list(licensed):
    code, matcher = licensed
    ranking = matcher.rank(Profile(interests=INTEREST), "occupations", 200)  # every family fits in k
    after = [r for r in ranking.after_training if code in {m.code for m in r.members}]
    assert after and after[0].bridging_programme == "叉车司机培训"
    assert any(x.code == "after_training_certificate" and "叉车证" in x.zh_CN for x in after[0].reasons)
    assert code not in {m.code for r in ranking.results for m in r.members}


def test_holding_the_certificate_puts_the_licensed_line_back_in_the_main_list(licensed):
    code, matcher = licensed
    ranking = matcher.rank(Profile(interests=INTEREST, certificates=["叉车证"]), "occupations", 200)
    assert code in {m.code for r in ranking.results for m in r.members}
    assert not any(code in {m.code for m in r.members} for r in ranking.after_training)


def test_an_occupation_that_demands_what_the_person_cannot_do_is_excluded_and_counted(occupations):
    df = occupations.copy()
    df["phys_walking_long_distances"] = np.where(np.arange(len(df)) % 2 == 0, 1.0, 0.0)
    matcher = Matcher().fit(df)
    person = Profile(interests=INTEREST, constraints=Constraints(physical_limitations=["walking_long_distances"]))
    ranking = matcher.rank(person, "occupations", 50)
    walking = set(df.loc[df["phys_walking_long_distances"] == 1, "code"])
    assert walking.isdisjoint({m.code for r in ranking.results for m in r.members})
    assert ranking.ineligible.by_reason["physical"] == len(walking)


def test_occupations_with_one_profile_are_one_entry_naming_every_member(occupations):
    df = occupations.copy()
    clone = df.iloc[[0]].assign(code="9-99-99-99", name_zh="克隆职业")
    matcher = Matcher().fit(pd.concat([df, clone], ignore_index=True))
    ranking = matcher.rank(Profile(interests=INTEREST), "occupations", len(df))
    entries = [r for r in ranking.results if "9-99-99-99" in {m.code for m in r.members}]
    assert len(entries) == 1 and {m.code for m in entries[0].members} == {df["code"].iloc[0], "9-99-99-99"}


def test_ties_at_the_cut_go_to_the_family_closer_to_past_work(occupations):
    df = occupations.iloc[:2].copy()
    df.loc[1, [c for c in df.columns if c not in ("code", "name_zh")]] = df.iloc[0][
        [c for c in df.columns if c not in ("code", "name_zh")]].to_numpy()
    df["family_id"] = df["code"]  # identical profiles, kept as two families
    matcher = Matcher(weights=None).fit(df)
    second = df["code"].iloc[1]
    person = Profile(interests=INTEREST, work_history=[PastJob(occupation_code=second, months=1)])
    first = matcher.rank(person, "occupations", 1).results[0]
    assert first.occupation_code == second


def test_too_far_vacancies_are_named_as_a_near_miss_with_the_extra_count(occupations):
    code = occupations["code"].iloc[0]
    vac = pd.DataFrame([vacancy_row(id=f"v{i}", occupation_code=code, lat=39.9, lon=116.4 + 0.05 * i)
                        for i in range(4)])
    matcher = Matcher().fit(occupations, vac)
    person = Profile(interests=INTEREST, home_lat=39.9, home_lon=116.4, constraints=Constraints(max_commute_minutes=15))
    ranking = matcher.rank(person, "vacancies", 10)
    miss = next(m for m in ranking.near_misses if m.constraint == "commute")
    assert miss.zh_CN == f"如果能接受{miss.relaxed_to}分钟路程，多{miss.extra_items}个岗位。"
    assert 0 < miss.extra_items <= 4 - len(ranking.results)


def test_an_empty_profile_is_refused_rather_than_ranked(occupations):
    with pytest.raises(NotEnoughInformation):
        Matcher().fit(occupations).rank(Profile(district="区1"), "occupations")
