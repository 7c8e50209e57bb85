"""Eligibility: hard constraints exclude items and every exclusion is counted with its reason."""
from datetime import date

import numpy as np
import pandas as pd
import pytest

from matching.components import PersonBlock
from matching.eligibility import ItemArrays, eligibility, failed_reasons, summarise
from matching.rank import rank_vacancies
from models.enums import EducationLevel, PhysicalDemand, Shift
from models.person import Constraints
from models.profile import Profile
from tests.matching.conftest import vacancy_row


def _items(*rows: dict) -> ItemArrays:
    df = pd.DataFrame([{**r, "id": f"v{i}"} for i, r in enumerate(rows)])
    return ItemArrays.from_frame(df, shifts_col="shifts", closes_col="closes_on",
                                 edu_hard_col="education_min_is_hard")


def _reasons(profile: Profile, *rows: dict, as_of: date | None = None) -> list[list[str]]:
    fail = eligibility(PersonBlock.from_profiles([profile]), _items(*rows), as_of=as_of)
    return [failed_reasons(int(b)) for b in fail[0]]


def test_missing_required_certificate_excludes():
    row = vacancy_row(required_certificates=["电工证"])
    assert _reasons(Profile(), row) == [["certificate"]]


def test_certificate_match_ignores_case_and_spaces():
    row = vacancy_row(required_certificates=["Forklift Licence"])
    assert _reasons(Profile(certificates=["forklift  licence"]), row) == [[]]


def test_hard_education_minimum_excludes_but_soft_does_not():
    hard = vacancy_row(education_min="junior_college", education_min_is_hard=True)
    soft = vacancy_row(education_min="junior_college", education_min_is_hard=False)
    p = Profile(education=EducationLevel.junior_secondary)
    assert _reasons(p, hard, soft) == [["education"], []]


def test_unknown_education_is_not_excluded():
    hard = vacancy_row(education_min="bachelor", education_min_is_hard=True)
    assert _reasons(Profile(), hard) == [[]]


def test_hours_above_the_persons_limit_exclude():
    p = Profile(constraints=Constraints(max_hours_per_week=30))
    assert _reasons(p, vacancy_row(hours_per_week=40), vacancy_row(hours_per_week=24)) == [["hours"], []]


def test_shift_the_person_cannot_work_excludes():
    p = Profile(constraints=Constraints(available_shifts=[Shift.day, Shift.weekend]))
    rows = (vacancy_row(shifts=["night"]), vacancy_row(shifts=["day", "weekend"]), vacancy_row(shifts=[]))
    assert _reasons(p, *rows) == [["shift"], [], []]


def test_no_declared_shifts_means_any_shift():
    assert _reasons(Profile(), vacancy_row(shifts=["night", "rotating"])) == [[]]


def test_commute_beyond_limit_by_coordinates_excludes():
    p = Profile(home_lat=39.90, home_lon=116.40, constraints=Constraints(max_commute_minutes=45))
    near = vacancy_row(lat=39.92, lon=116.42)   # ~2.8 km: about 21 minutes
    far = vacancy_row(lat=40.10, lon=116.40)    # ~22 km: about 96 minutes
    assert _reasons(p, near, far) == [[], ["commute"]]


def test_commute_limit_without_coordinates_uses_district():
    p = Profile(district="区1", constraints=Constraints(max_commute_minutes=45))
    assert _reasons(p, vacancy_row(district="区1"), vacancy_row(district="区2")) == [[], ["commute"]]


def test_no_commute_limit_never_excludes_by_distance():
    p = Profile(home_lat=39.9, home_lon=116.4)
    assert _reasons(p, vacancy_row(lat=41.0, lon=118.0)) == [[]]


def test_declared_physical_limitation_excludes_matching_demand_only():
    p = Profile(constraints=Constraints(physical_limitations=[PhysicalDemand.heavy_lifting]))
    rows = (vacancy_row(physical_demands=["heavy_lifting", "outdoor_work"]),
            vacancy_row(physical_demands=["outdoor_work"]))
    assert _reasons(p, *rows) == [["physical"], []]


def test_closed_vacancy_excluded_only_when_a_date_is_given():
    row = vacancy_row(closes_on="2025-01-31")
    assert _reasons(Profile(), row) == [[]]
    assert _reasons(Profile(), row, as_of=date(2025, 2, 1)) == [["closed"]]


def test_several_failures_are_all_reported():
    row = vacancy_row(required_certificates=["电工证"], hours_per_week=60)
    p = Profile(constraints=Constraints(max_hours_per_week=40))
    assert _reasons(p, row) == [["certificate", "hours"]]


def test_summary_counts_every_excluded_item():
    fail = np.array([0, 1, 1 | 4, 0, 32], dtype=np.uint8)
    s = summarise(fail)
    assert (s.n_items, s.n_eligible, s.n_ineligible) == (5, 2, 3)
    assert s.by_reason["certificate"] == 2 and s.by_reason["hours"] == 1 and s.by_reason["physical"] == 1


def test_ranking_excludes_and_counts_ineligible(occupations, vacancies):
    p = Profile(constraints=Constraints(physical_limitations=[PhysicalDemand.heavy_lifting]))
    ranking = rank_vacancies(p, vacancies, occupations, k=len(vacancies))
    n_heavy = int(vacancies["physical_demands"].map(lambda d: "heavy_lifting" in d).sum())
    n_cert = int(vacancies["required_certificates"].map(len).gt(0).sum())
    assert ranking.ineligible.by_reason["physical"] == n_heavy > 0
    assert ranking.ineligible.by_reason["certificate"] == n_cert
    assert len(ranking.results) == ranking.ineligible.n_eligible
    shown = {r.item_id for r in ranking.results}
    heavy_ids = set(vacancies.loc[vacancies["physical_demands"].map(lambda d: "heavy_lifting" in d), "id"])
    assert not shown & heavy_ids


def test_block_of_people_gives_the_same_bits_as_one_at_a_time(occupations, vacancies):
    from tests.matching.synthetic import simulate_person

    rng = np.random.default_rng(11)
    people = [simulate_person(occupations, c, rng) for c in occupations["code"].iloc[:6]]
    items = ItemArrays.from_frame(vacancies, shifts_col="shifts", closes_col="closes_on",
                                  edu_hard_col="education_min_is_hard")
    block = eligibility(PersonBlock.from_profiles(people), items)
    for i, p in enumerate(people):
        np.testing.assert_array_equal(block[i], eligibility(PersonBlock.from_profiles([p]), items)[0])


def test_unknown_shift_value_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown value 'graveyard'"):
        _items(vacancy_row(shifts=["graveyard"]))
