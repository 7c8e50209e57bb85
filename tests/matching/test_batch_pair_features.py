"""``pair_features``: the outcome model's matcher inputs for given (seeker, vacancy) pairs of a
batch are the single-profile kernel's numbers for those pairs (issue 17, batch allocation)."""
import numpy as np
import pytest

from api.services.matching import occupation_frame, occupation_table
from matching.batch.kernel import pair_features, prepare_vacancies
from matching.batch.schema import person_block, validate_seekers, validate_vacancies
from matching.batch.synthetic import generate_seekers, generate_vacancies
from matching.components import COMPONENTS
from matching.outcomes.model import PRACTICAL_PARTS
from matching.rank import VacancyPool, score_vacancies
from models.match import FitWeights


@pytest.fixture(scope="module")
def frames():
    occ = occupation_frame()
    seekers = validate_seekers(generate_seekers(occ, 120, seed=21)).rows
    vacancies = validate_vacancies(generate_vacancies(occ, 400, seed=21)).rows
    return seekers, vacancies


def assert_pairs_equal_the_dense_kernel(seekers, vacancies, weights=None, max_people=1000):
    pool = VacancyPool.from_frame(vacancies, occupation_table())
    block = person_block(seekers)
    rng = np.random.default_rng(3)
    i = np.sort(rng.integers(0, block.n, 3000))
    j = rng.integers(0, pool.n, 3000)
    got = pair_features(block, prepare_vacancies(pool, weights), i, j, max_people=max_people)
    dense = score_vacancies(block, pool, weights)
    np.testing.assert_array_equal(got["total"], dense.total[i, j])
    for name in COMPONENTS:
        np.testing.assert_array_equal(got[name], dense.components[name][i, j], err_msg=name)
    for name in PRACTICAL_PARTS:
        np.testing.assert_array_equal(got[name], np.broadcast_to(dense.practical_parts[name], dense.total.shape)[i, j],
                                      err_msg=name)
    np.testing.assert_array_equal(got["commute_minutes"], dense.reach.minutes[i, j])
    assert not np.isnan(got["experience"]).all() and not np.isnan(got["interest"]).all()


def test_pair_features_are_the_dense_kernels_numbers_for_those_pairs(frames):
    assert_pairs_equal_the_dense_kernel(*frames)


def test_pair_features_follow_the_fit_weights(frames):
    assert_pairs_equal_the_dense_kernel(*frames, weights=FitWeights(practical=0.8, interest=0.1))


def test_pair_features_with_an_uncoded_vacancy_use_the_persons_median_in_chunks(frames):
    seekers, vacancies = frames
    vacancies = vacancies.copy()
    vacancies.loc[[2, 9], "occupation_code"] = None
    assert prepare_vacancies(VacancyPool.from_frame(vacancies, occupation_table())).median_column
    assert_pairs_equal_the_dense_kernel(seekers, vacancies, max_people=37)
