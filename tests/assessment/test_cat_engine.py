"""Adaptive testing (assessment.cat): selection, exposure control, content balancing, stopping."""
import numpy as np
import pandas as pd
import pytest

from assessment.cat import CatBank, CatSettings, next_item, simulate, simulate_population, tune_sympson_hetter
from assessment.irt import ItemBank


def make_bank(n_items: int = 120, seed: int = 0, content: bool = False) -> CatBank:
    rng = np.random.default_rng(seed)
    items = ItemBank.dichotomous(rng.lognormal(0.2, 0.25, n_items), rng.normal(0, 1.2, n_items),
                                 rng.uniform(0.0, 0.2, n_items))
    labels = tuple(rng.choice(["V", "N", "S"], n_items, p=[0.4, 0.4, 0.2])) if content else None
    return CatBank(items, labels)


THETAS = np.random.default_rng(42).standard_normal(1500)


def test_cat_estimates_are_close_to_the_truth():
    result = simulate(make_bank(), THETAS, CatSettings(se_target=0.3, max_items=30), seed=1)
    assert abs(result.bias) < 0.05
    assert result.rmse < 0.4


def test_every_test_stops_at_se_target_or_max_length():
    result = simulate(make_bank(), THETAS, CatSettings(se_target=0.35, max_items=20), seed=2)
    assert np.all((result.se <= 0.35) | (result.length == 20))
    assert result.length.max() <= 20


def test_min_items_delays_the_se_stop():
    result = simulate(make_bank(), THETAS[:300], CatSettings(se_target=0.9, min_items=5), seed=3)
    assert result.length.min() == 5


def test_no_item_is_given_twice_to_the_same_person():
    result = simulate(make_bank(), THETAS[:500], CatSettings(max_items=25, se_target=0.0), seed=4)
    for row in result.items:
        used = row[row >= 0]
        assert used.size == np.unique(used).size


def test_first_item_without_exposure_control_is_most_informative_at_start():
    bank = make_bank()
    result = simulate(bank, THETAS[:50], CatSettings(exposure="none"), seed=5)
    best = int(np.argmax(bank.items.information([0.0])[0]))
    assert np.all(result.items[:, 0] == best)


def test_randomesque_spreads_the_opening_items_over_the_candidate_set():
    bank = make_bank()
    plain = simulate(bank, THETAS, CatSettings(exposure="none"), seed=6)
    random = simulate(bank, THETAS, CatSettings(exposure="randomesque", randomesque_n=6), seed=6)
    first = np.bincount(random.items[:, 0], minlength=bank.items.n_items) / THETAS.size
    assert plain.max_exposure == 1.0
    assert np.count_nonzero(first) == 6 and first.max() < 0.22
    assert random.max_exposure < plain.max_exposure


def test_tuned_sympson_hetter_keeps_exposure_near_target():
    bank = make_bank()
    settings = CatSettings(exposure="sympson-hetter", se_target=0.3, max_items=20)
    tuned, history = tune_sympson_hetter(bank, settings, r_max=0.3, n_simulees=1000, n_rounds=12, seed=7)
    assert history[0] == 1.0 and history[-1] < 0.4
    assert np.all(tuned.exposure_k <= 1.0) and tuned.exposure_k.min() < 1.0
    check = simulate(tuned, THETAS, settings, seed=8)
    assert check.max_exposure < 0.4


def test_content_balancing_follows_target_shares():
    bank = make_bank(content=True)
    targets = {"V": 0.5, "N": 0.3, "S": 0.2}
    result = simulate(bank, THETAS[:500], CatSettings(max_items=20, se_target=0.0,
                                                      content_targets=targets), seed=9)
    labels = np.array(bank.content)[result.items]
    shares = {k: np.mean(labels == k) for k in targets}
    assert shares == pytest.approx(targets, abs=0.02)


def test_content_targets_without_content_labels_are_rejected():
    with pytest.raises(ValueError, match="content"):
        simulate(make_bank(), THETAS[:10], CatSettings(content_targets={"V": 1.0}))


def test_exposure_rates_are_shares_of_simulees():
    result = simulate(make_bank(), THETAS[:400], CatSettings(max_items=10, se_target=0.0), seed=10)
    assert result.exposure.sum() == pytest.approx(10.0)
    assert result.mean_length == 10


# --------------------------------------------------------------------------- live API
def test_live_api_starts_with_most_informative_item_at_prior_mean():
    bank = make_bank()
    step = next_item(bank, [], [], CatSettings(exposure="none"))
    assert not step.stop and step.n_answered == 0
    assert step.item_id == bank.items.item_ids[int(np.argmax(bank.items.information([0.0])[0]))]


def test_live_api_never_repeats_an_answered_item():
    bank = make_bank()
    answered, responses = [], []
    settings = CatSettings(exposure="randomesque", se_target=0.0, max_items=15)
    for k in range(14):
        step = next_item(bank, answered, responses, settings, seed=k)
        assert step.item_id not in answered
        answered.append(step.item_id)
        responses.append(k % 2)
    final = next_item(bank, answered + ["item1" if "item1" not in answered else "item2"],
                      responses + [1], settings)
    assert final.stop and final.reason == "max_items"


def test_live_api_stops_on_se_target_with_theta_and_se():
    bank = make_bank()
    settings = CatSettings(se_target=0.9, exposure="none")
    first = next_item(bank, [], [], settings)
    step = next_item(bank, [first.item_id], [1], settings)
    assert step.stop and step.reason == "se_target" and step.se <= 0.9 and step.theta > 0


def test_live_api_rejects_unknown_items():
    with pytest.raises(ValueError, match="unknown"):
        next_item(make_bank(), ["nope"], [1])


def test_bank_reads_a_parameter_frame_with_content():
    frame = pd.DataFrame({"item": ["x", "y"], "a": [1.0, 1.2], "b": [0.0, 1.0], "c": [0.2, 0.1],
                          "content": ["V", "N"]})
    bank = CatBank.from_frame(frame)
    assert bank.items.item_ids == ("x", "y") and bank.content == ("V", "N")


def test_content_shares_are_each_areas_fraction_of_the_bank_and_none_without_areas():
    items = ItemBank.dichotomous(np.ones(4), np.zeros(4), None, ["i1", "i2", "i3", "i4"])
    assert CatBank(items, ("verbal", "number", "verbal", "verbal")).content_shares() == {"number": 0.25,
                                                                                          "verbal": 0.75}
    assert CatBank(items).content_shares() is None


def test_simulate_population_draws_the_thetas_then_the_responses_from_one_seeded_generator():
    bank = CatBank(ItemBank.dichotomous(np.linspace(0.8, 2.0, 30), np.linspace(-2, 2, 30), None,
                                        [f"i{j}" for j in range(30)]))
    settings = CatSettings(max_items=10)
    rng = np.random.default_rng(7)
    by_hand = simulate(bank, rng.standard_normal(50), settings, rng)
    assert simulate_population(bank, 50, settings, 7).summary() == by_hand.summary()
