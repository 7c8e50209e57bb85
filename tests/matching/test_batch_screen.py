"""The screened batch kernel: approximate totals with a proven bound decide which pairs are
computed exactly; the output must be the exact reference's, bit for bit, in the awkward cases
too (ties at the k-th place, commutes exactly at a seeker's limit, blocks sharing vacancy heaps,
pools that need the chunked path)."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from api.services.matching import occupation_frame, occupation_table
from matching.batch import screen
from matching.batch.kernel import prepare_vacancies, score_block, score_block_unpruned
from matching.batch.topk import merge_vacancy_top
from matching.batch.schema import person_block, validate_seekers, validate_vacancies
from matching.batch.synthetic import generate_seekers, generate_vacancies
from matching import components
from matching.components import commute_minutes
from matching.rank import VacancyPool, score_vacancies
from models.match import FitWeights


@pytest.fixture(scope="module")
def frames():
    occ = occupation_frame()
    seekers = validate_seekers(generate_seekers(occ, 400, seed=11)).rows
    vacancies = validate_vacancies(generate_vacancies(occ, 1200, seed=11)).rows
    return seekers, vacancies


def side_for(vacancies, weights=None):
    return prepare_vacancies(VacancyPool.from_frame(vacancies, occupation_table()), weights)


def assert_same_result(mine, reference):
    for part in ("seeker_top", "vacancy_top", "seeker_stats"):
        a, b = getattr(mine, part), getattr(reference, part)
        assert list(a) == list(b), part
        for name in b:
            assert a[name].dtype == b[name].dtype, (part, name)
            np.testing.assert_array_equal(a[name], b[name], err_msg=f"{part}.{name}")


def test_interpolated_normal_cdf_stays_within_its_stated_bound():
    z = np.linspace(-12.0, 12.0, 2_000_001)
    table = screen.phi_table()
    approx = np.array([screen.phi_approx(x, table) for x in z[::97]])
    assert np.abs(approx - ndtr(z[::97])).max() < 1.9e-6
    assert np.isnan(screen.phi_approx(np.nan, table))


def test_ties_at_the_kth_place_are_broken_as_the_reference_breaks_them(frames):
    # Thirty copies of a few vacancies: many equal totals, so the k-th place is contested.
    seekers, vacancies = frames
    copies = vacancies.iloc[np.repeat(np.arange(8), 30)].reset_index(drop=True)
    copies["id"] = [f"copy-{i}" for i in range(len(copies))]
    side = side_for(copies)
    block = person_block(seekers)
    assert_same_result(score_block(block, side, k=7), score_block_unpruned(block, side, k=7))


def test_a_commute_exactly_at_the_limit_is_decided_by_the_exact_formula(frames):
    seekers, vacancies = frames
    vacancies = vacancies[vacancies["lat"].notna()].iloc[:300].reset_index(drop=True)
    people = seekers[seekers["lat"].notna()].iloc[:60].copy()
    # Each seeker's limit is the exact estimate to one vacancy, nudged by −1, 0 or +1 ulp.
    target = vacancies.iloc[np.arange(len(people)) % len(vacancies)]
    minutes = commute_minutes(people["lat"].to_numpy(), people["lon"].to_numpy(),
                              target["lat"].to_numpy(), target["lon"].to_numpy())
    nudge = np.array([-1, 0, 1])[np.arange(len(people)) % 3]
    people["max_commute_minutes"] = np.where(nudge < 0, np.nextafter(minutes, 0),
                                             np.where(nudge > 0, np.nextafter(minutes, 1e9), minutes))
    side = side_for(vacancies)
    block = person_block(people)
    result = score_block(block, side, k=10)
    assert_same_result(result, score_block_unpruned(block, side, k=10))
    dense = score_vacancies(block, side.pool)
    np.testing.assert_array_equal(result.seeker_stats["n_eligible"], (dense.fail == 0).sum(axis=1))


def test_blocks_sharing_vacancy_heaps_merge_to_the_whole_pools_lists(frames):
    seekers, vacancies = frames
    side = side_for(vacancies)
    whole = score_block(person_block(seekers), side, k=6)
    heaps = screen.VacancyHeaps(side.n, 6)
    parts = [score_block(person_block(seekers.iloc[a:a + 100]), side, k=6, offset=a, heaps=heaps)
             for a in range(0, len(seekers), 100)]
    merged = merge_vacancy_top([p.vacancy_top for p in parts], k=6)
    for name in ("vacancy", "seeker", "total", "rank"):
        np.testing.assert_array_equal(merged[name], whole.vacancy_top[name])
    later = sum(p.vacancy_top["seeker"].size for p in parts[1:])
    alone = sum(score_block(person_block(seekers.iloc[a:a + 100]), side, k=6, offset=a).vacancy_top["seeker"].size
                for a in range(100, len(seekers), 100))
    assert later < alone  # the point of sharing: later blocks keep fewer pairs


def test_heaps_for_another_k_are_refused(frames):
    seekers, vacancies = frames
    side = side_for(vacancies)
    with pytest.raises(ValueError, match="k = 5"):
        score_block(person_block(seekers.iloc[:10]), side, k=6, heaps=screen.VacancyHeaps(side.n, 5))


def test_a_pool_with_an_uncoded_vacancy_takes_the_chunked_path_with_the_same_result(frames):
    seekers, vacancies = frames
    vacancies = vacancies.copy()
    vacancies.loc[3, "occupation_code"] = None
    side = side_for(vacancies)
    assert side.median_column
    block = person_block(seekers.iloc[:150])
    assert_same_result(score_block(block, side, k=5, max_pairs=20_000, max_people=40),
                       score_block_unpruned(block, side, k=5))


def test_the_screen_follows_a_changed_over_qualification_threshold(frames, monkeypatch):
    # numba caches compiled code on disk keyed on screen.py alone: a constant it baked in from
    # matching.components would survive a change there. The screen takes them as an argument.
    seekers, vacancies = frames
    side = side_for(vacancies)
    block = person_block(seekers.iloc[:200])
    monkeypatch.setattr(components, "OVERQUALIFICATION_T", 2.0)
    assert screen.model_constants()[screen.K_OVER_T] == 2.0
    assert_same_result(score_block(block, side, k=8), score_block_unpruned(block, side, k=8))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n_seekers=st.integers(1, 60), n_vacancies=st.integers(1, 150),
       k=st.integers(1, 9), weights=st.sampled_from([None, FitWeights(aptitude=0.0), FitWeights(practical=0.0),
                                                     FitWeights(interest=1.0, practical=0.05, work_values=0.0),
                                                     FitWeights(experience=0.0), FitWeights(experience=3.0)]))
def test_screened_blocks_equal_the_reference_on_any_small_pool(seed, n_seekers, n_vacancies, k, weights):
    # The synthetic seekers have work histories (most of them): the experience component is in.
    occ = occupation_frame()
    seekers = validate_seekers(generate_seekers(occ, n_seekers, seed=seed)).rows
    vacancies = validate_vacancies(generate_vacancies(occ, n_vacancies, seed=seed)).rows
    side = side_for(vacancies, weights)
    block = person_block(seekers)
    assert_same_result(score_block(block, side, k=k, offset=3), score_block_unpruned(block, side, k=k, offset=3))
