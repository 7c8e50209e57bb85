"""The batch allocation by expected benefit (issue 17, item 2): with an outcome model the
allocator maximises fit × P̂(lasting hire) / (1 + γ · competition), with the same model inputs as
one person's live list."""
from datetime import date

import numpy as np
import pandas as pd
import pytest

from api.batch.runner import BatchInputError, BatchOptions, run_batch
from api.services.matching import occupation_frame, occupation_table
from matching.batch.allocation import AllocationPolicy
from matching.batch.schema import seeker_profiles, validate_seekers, validate_vacancies
from matching.batch.synthetic import generate_seekers, generate_vacancies
from matching.outcomes.live import candidate_features
from matching.rank import VacancyPool
from tests.api.outcome_helpers import commute_model as synthetic_commute_model

AS_OF = date(2026, 6, 1)
POLICY = AllocationPolicy(capacity_factor=1.0, per_person=2)


@pytest.fixture(scope="module")
def frames():
    occ = occupation_frame()
    seekers = validate_seekers(generate_seekers(occ, 150, seed=8)).rows
    vacancies = generate_vacancies(occ, 200, seed=8)
    vacancies["posted_on"] = "2026-05-01"
    vacancies["referrals_so_far"] = np.arange(len(vacancies)) % 7
    return seekers, validate_vacancies(vacancies).rows


@pytest.fixture(scope="module")
def commute_model():
    return synthetic_commute_model()


def run(tmp_path, frames, name, **options):
    seekers, vacancies = frames
    return run_batch(seekers, vacancies, tmp_path / name, occupation_table(),
                     BatchOptions(k=8, block_size=40, allocate=True, policy=POLICY, as_of=AS_OF, **options))


def test_the_allocation_ranks_by_expected_benefit_under_the_model_it_names(tmp_path, frames, commute_model):
    summary = run(tmp_path, frames, "eb", outcome_model=commute_model, outcome_model_label="outcome model v1")
    objective = summary["recommendations_after_allocation"]["objective"]
    assert objective["ranking"] == "expected_benefit" and objective["outcome_model"] == "outcome model v1"
    allocation = pd.read_parquet(tmp_path / "eb" / "allocation.parquet")
    assert allocation["p_lasting"].between(0, 1).all() and len(allocation) > 0


def test_without_a_model_the_allocation_is_hand_set_and_has_no_p_lasting(tmp_path, frames):
    summary = run(tmp_path, frames, "hs")
    assert summary["recommendations_after_allocation"]["objective"] == {"ranking": "hand_set"}
    assert "p_lasting" not in pd.read_parquet(tmp_path / "hs" / "allocation.parquet").columns


def test_each_allocated_p_lasting_is_the_live_lists_prediction_for_that_pair(tmp_path, frames, commute_model):
    seekers, vacancies = frames
    run(tmp_path, frames, "eb", outcome_model=commute_model, outcome_model_label="v1")
    allocation = pd.read_parquet(tmp_path / "eb" / "allocation.parquet")
    pool = VacancyPool.from_frame(vacancies, occupation_table())
    profiles = dict(zip(seekers["id"].astype(str), seeker_profiles(seekers)))
    context = pd.DataFrame({"referrals_so_far": vacancies["referrals_so_far"].to_numpy(dtype=float),
                            "days_open": 31.0, "days_left": np.nan}, index=vacancies["id"].astype(str))
    checked = 0
    for seeker_id, rows in list(allocation.groupby("seeker_id"))[:25]:
        ids = rows["vacancy_id"].astype(str).tolist()
        live = candidate_features(profiles[seeker_id], pool, ids, context, as_of=AS_OF)
        np.testing.assert_array_equal(rows["total"].to_numpy(), live["total"].to_numpy())
        np.testing.assert_allclose(rows["p_lasting"].to_numpy(), commute_model.predict(live), rtol=1e-9)
        checked += len(ids)
    assert checked >= 25


def test_the_model_allocation_has_more_expected_benefit_than_the_fit_alone(tmp_path, frames, commute_model):
    seekers = frames[0]
    by_model = run(tmp_path, frames, "eb", outcome_model=commute_model, outcome_model_label="v1")
    run(tmp_path, frames, "hs")
    a = pd.read_parquet(tmp_path / "eb" / "allocation.parquet")
    h = pd.read_parquet(tmp_path / "hs" / "allocation.parquet")
    # Both allocations valued with the objective the model run maximises, from the live features.
    pool = VacancyPool.from_frame(frames[1], occupation_table())
    profiles = dict(zip(seekers["id"].astype(str), seeker_profiles(seekers)))
    context = pd.DataFrame({"referrals_so_far": frames[1]["referrals_so_far"].to_numpy(dtype=float),
                            "days_open": 31.0, "days_left": np.nan}, index=frames[1]["id"].astype(str))

    def benefit(allocation):
        total = 0.0
        for seeker_id, rows in allocation.groupby("seeker_id"):
            live = candidate_features(profiles[seeker_id], pool, rows["vacancy_id"].astype(str).tolist(), context,
                                      as_of=AS_OF)
            comp = (live["referrals_so_far"] + live["referrals_so_far"] / 31.0 * 30.0) / np.maximum(live["openings"], 1)
            total += float((rows["priority_weight"].to_numpy() * live["total"].to_numpy()
                            * commute_model.predict(live) / (1 + 0.05 * comp.to_numpy())).sum())
        return total

    assert by_model["recommendations_after_allocation"]["objective"]["ranking"] == "expected_benefit"
    assert benefit(a) > benefit(h)
    assert set(zip(a["seeker_id"], a["vacancy_id"])) != set(zip(h["seeker_id"], h["vacancy_id"]))


def test_an_outcome_model_without_the_allocation_is_refused_naming_the_fix(tmp_path, frames, commute_model):
    seekers, vacancies = frames
    with pytest.raises(BatchInputError, match="--allocate"):
        run_batch(seekers, vacancies, tmp_path / "x", occupation_table(),
                  BatchOptions(k=8, outcome_model=commute_model, outcome_model_label="v1"))
    assert not (tmp_path / "x").exists()


def test_a_negative_referral_count_rejects_the_vacancy_row():
    vacancies = generate_vacancies(occupation_frame(), 5, seed=1)
    vacancies["referrals_so_far"] = [0, 2, -1, 1.5, None]
    checked = validate_vacancies(vacancies)
    assert set(checked.rejected["field"]) == {"referrals_so_far"} and len(checked.rows) == 3
