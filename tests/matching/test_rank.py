"""Ranking: eligibility → components → weighted total 0–100 → top-k with reasons."""
import numpy as np
import pandas as pd
import pytest

from matching.components import COMPONENTS, PersonBlock
from matching.occupation_ranking import rank_occupations
from matching.programme_ranking import rank_programmes
from matching.rank import VacancyPool, rank_vacancies, score_vacancies, top_k
from models.match import FitWeights
from models.profile import Profile
from tests.matching.conftest import vacancy_row
from tests.matching.synthetic import simulate_person


def test_results_are_the_k_best_eligible_in_descending_order(person, occupations, vacancies):
    ranking = rank_vacancies(person, vacancies, occupations, k=15)
    totals = [r.total for r in ranking.results]
    assert len(totals) == 15 and totals == sorted(totals, reverse=True)
    assert [r.rank for r in ranking.results] == list(range(1, 16))
    everything = rank_vacancies(person, vacancies, occupations, k=10_000)
    assert [r.item_id for r in everything.results[:15]] == [r.item_id for r in ranking.results]


def test_total_is_the_weighted_mean_of_components(person, occupations, vacancies):
    w = FitWeights(aptitude=2, interest=1, work_values=1, work_style=1, practical=0)
    r = rank_vacancies(person, vacancies, occupations, k=1, weights=w).results[0]
    c = r.components
    expected = 100 * (2 * c["aptitude"] + c["interest"] + c["work_values"] + c["work_style"]) / 5
    assert r.total == pytest.approx(expected, abs=0.02)


def test_weights_are_configurable(person, occupations, vacancies):
    only_interest = FitWeights(aptitude=0, interest=1, work_values=0, work_style=0, practical=0, experience=0)
    ranking = rank_vacancies(person, vacancies, occupations, k=5, weights=only_interest)
    for r in ranking.results:
        assert r.total == pytest.approx(100 * r.components["interest"], abs=0.02)
    assert ranking.weights["interest"] == 1.0


def test_missing_battery_part_is_left_out_for_every_item(person, occupations, vacancies):
    partial = person.model_copy(update={"aptitudes": None})
    ranking = rank_vacancies(partial, vacancies, occupations, k=5)
    for r in ranking.results:
        assert r.components["aptitude"] is None and 0 <= r.total <= 100


def test_prepared_pool_gives_the_same_ranking_as_a_frame(person, occupations, vacancies):
    pool = VacancyPool.from_frame(vacancies, occupations)
    a = rank_vacancies(person, vacancies, occupations, k=20)
    b = rank_vacancies(person, pool, k=20)
    assert [(r.item_id, r.total) for r in a.results] == [(r.item_id, r.total) for r in b.results]


def test_block_kernel_reproduces_single_profile_totals(occupations, vacancies):
    rng = np.random.default_rng(8)
    people = [simulate_person(occupations, c, rng, person_id=f"p{i}")
              for i, c in enumerate(occupations["code"].iloc[:8])]
    pool = VacancyPool.from_frame(vacancies, occupations)
    block = score_vacancies(PersonBlock.from_profiles(people), pool)
    for i, p in enumerate(people):
        single = score_vacancies(PersonBlock.from_profiles([p]), pool)
        np.testing.assert_array_equal(block.total[i], single.total[0])
        np.testing.assert_array_equal(block.fail[i], single.fail[0])


def test_the_true_occupations_vacancies_rank_high_for_a_noiseless_person(occupations, vacancies):
    code = occupations["code"].iloc[10]
    p = simulate_person(occupations, code, np.random.default_rng(0), apt_se=(2.0, 2.01),
                        interest_noise=0.01, trait_noise=0.1, values_noise=0.01, true_spread_t=0.1)
    p = p.model_copy(update={"constraints": p.constraints.model_copy(update={"max_commute_minutes": None})})
    ranking = rank_vacancies(p, vacancies, occupations, k=10)
    assert code in [r.occupation_code for r in ranking.results[:5]]
    occ_ranking = rank_occupations(p, occupations, k=5)
    assert code in [r.occupation_code for r in occ_ranking.results]


def test_vacancy_without_occupation_code_gets_the_persons_median_fit(person, occupations, occ_table):
    frame = pd.DataFrame([vacancy_row(id="v1", occupation_code=None)])
    r = rank_vacancies(person, frame, occupations, k=1).results[0]
    block = score_vacancies(PersonBlock.from_profiles([person]), VacancyPool.from_frame(frame, occupations))
    assert r.components["interest"] == pytest.approx(float(np.median(block.psych["interest"][0])), abs=1e-4)


def test_vacancy_coded_at_unit_group_level_is_scored(person, occupations):
    group = occupations["code"].iloc[0].rsplit("-", 1)[0]
    frame = pd.DataFrame([vacancy_row(id="v1", occupation_code=group)])
    r = rank_vacancies(person, frame, occupations, k=1).results[0]
    assert r.occupation_code == group and r.components["interest"] is not None


def test_top_k_breaks_ties_by_position_and_skips_ineligible():
    total = np.array([50.0, 70.0, 70.0, 90.0, 70.0])
    eligible = np.array([True, True, True, False, True])
    assert top_k(total, eligible, 2).tolist() == [1, 2]
    assert top_k(total, eligible, 10).tolist() == [1, 2, 4, 0]


def test_occupation_ranking_components_cover_every_named_component(person, occupations):
    ranking = rank_occupations(person, occupations, k=3)
    assert all(set(r.components) == set(COMPONENTS) for r in ranking.results)
    assert ranking.ineligible.n_ineligible == 0


# --- training programmes ----------------------------------------------------------------------

def _bridging_world(occupations):
    """Vacancies in occupation X all require a certificate; programme 'bridge' awards it."""
    x = occupations["code"].iloc[5]
    other = occupations["code"].iloc[60]
    vac = pd.DataFrame([vacancy_row(id=f"x{i}", occupation_code=x, district="区1", required_certificates=["养老护理员证"])
                        for i in range(6)] + [vacancy_row(id=f"o{i}", occupation_code=other, district="区1") for i in range(3)])
    base = {"provider": "学校", "education_min": None, "required_certificates": [], "education_awarded": None,
            "duration_weeks": 8.0, "hours_per_week": 20.0, "schedule_shifts": [], "district": "区1",
            "lat": None, "lon": None, "capacity": 30, "cost_yuan": 0.0, "subsidy_yuan": 0.0,
            "start_date": None, "placement_rate": 0.6}
    progs = pd.DataFrame([
        {**base, "id": "bridge", "title": "养老护理员培训", "target_occupation_codes": [x],
         "certificates_awarded": ["养老护理员证"]},
        {**base, "id": "other", "title": "其他培训", "target_occupation_codes": [other], "certificates_awarded": []},
    ])
    return x, vac, progs


def test_strong_interest_without_qualification_brings_up_the_bridging_programme(occupations):
    x, vac, progs = _bridging_world(occupations)
    p = simulate_person(occupations, x, np.random.default_rng(1)).model_copy(
        update={"district": "区1", "home_lat": None, "home_lon": None, "interested_occupations": [x]})
    ranking = rank_programmes(p, progs, occupations, vac, k=2)
    top = ranking.results[0]
    assert top.item_id == "bridge"
    assert top.components["gaps_closed"] > ranking.results[1].components["gaps_closed"]
    assert {"programme_bridges", "programme_certificate"} & {r.code for r in top.reasons}


def test_programme_with_unmet_entry_requirement_is_excluded_and_counted(occupations):
    x, vac, progs = _bridging_world(occupations)
    progs = progs.assign(education_min=["senior_secondary", None])
    p = Profile(education="primary", district="区1")
    ranking = rank_programmes(p, progs, occupations, vac, k=5)
    assert [r.item_id for r in ranking.results] == ["other"]
    assert ranking.ineligible.by_reason["education"] == 1


def test_local_demand_counts_reachable_openings_in_target_occupations(occupations):
    x, vac, progs = _bridging_world(occupations)
    p = Profile(district="区1")
    comps = {r.item_id: r.components for r in rank_programmes(p, progs, occupations, vac, k=2).results}
    assert comps["other"]["local_demand"] > 0  # 3 openings the person can take
    assert comps["bridge"]["local_demand"] == 0  # all need a certificate the person lacks
