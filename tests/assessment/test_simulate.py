"""Simulated responses (assessment.psychometrics.simulate) follow each shipped instrument's definition."""
import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from assessment.irt import normal_quadrature
from assessment.psychometrics.simulate import DEMOGRAPHIC_COLUMNS, hexagon_correlations, simulate
from instruments.registry import load_all, load_norm_groups


@pytest.fixture(scope="module")
def registry():
    return load_all()


@pytest.fixture(scope="module")
def bands():
    return load_norm_groups().age_bands


def test_same_seed_gives_the_same_data_and_another_seed_does_not(registry):
    ins = registry["traits-big5"]
    a, b = simulate(ins, 50, seed=4).responses, simulate(ins, 50, seed=4).responses
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(simulate(ins, 50, seed=5).responses)


@pytest.mark.parametrize("instrument_id", sorted(load_all()))
def test_columns_are_demographics_then_every_item_with_answers_in_its_response_format(registry, bands,
                                                                                     instrument_id):
    ins = registry[instrument_id]
    frame = simulate(ins, 120, seed=1, age_bands=bands).responses
    assert list(frame.columns) == [*DEMOGRAPHIC_COLUMNS, *(it.id for it in ins.items)]
    assert set(frame["gender"]) == {"F", "M"}
    assert frame["age"].between(16, 64).all()
    assert set(frame["age_band"]) <= {b.id for b in bands}
    for item in ins.items:
        fmt = ins.response_format_of(item)
        answers = frame[item.id].dropna()
        if fmt.kind == "likert":
            assert answers.between(1, fmt.points).all() and (answers == answers.round()).all()
        elif fmt.kind == "same_different":
            assert set(answers) <= {"same", "different"}
        else:
            assert set(answers) <= {o.id for o in item.options}


def test_reverse_keyed_item_correlates_negatively_with_its_scale_until_reversed(registry):
    ins = registry["traits-big5"]
    frame = simulate(ins, 1500, seed=2).responses
    reversed_items = [it for it in ins.items if it.reverse and it.scale]
    item = reversed_items[0]
    others = [it.id for it in ins.scale_items(item.scale) if not it.reverse]
    rest = frame[others].astype(float).mean(axis=1)
    raw = frame[item.id].astype(float)
    assert raw.corr(rest) < -0.3
    assert (6 - raw).corr(rest) > 0.3


def test_irt_items_are_answered_correctly_as_often_as_their_parameters_predict(registry):
    ins = registry["aptitude-v"]
    frame = simulate(ins, 4000, seed=3).responses
    quad = normal_quadrature()
    for item in ins.items[:10]:
        par = item.parameters
        expected = quad.weights @ (par.c + (1 - par.c) * expit(par.a * (quad.points - par.b)))
        observed = (frame[item.id] == item.key).mean()
        assert observed == pytest.approx(expected, abs=0.03)  # ~4 SE at n = 4000


def test_riasec_scales_follow_the_hexagon_adjacent_above_opposite(registry):
    ins = registry["interest-riasec"]
    frame = simulate(ins, 2000, seed=6).responses
    score = {s.id: frame[[it.id for it in ins.scale_items(s.id)]].astype(float).mean(axis=1) for s in ins.scales}
    adjacent = score["realistic"].corr(score["investigative"])
    opposite = score["realistic"].corr(score["social"])
    assert adjacent > opposite + 0.1
    assert hexagon_correlations(["realistic", "investigative", "artistic", "social", "enterprising",
                                 "conventional"])[0, 3] == pytest.approx(0.10)
    assert hexagon_correlations(["a", "b"]) is None


def test_speeded_test_leaves_only_the_end_unanswered_and_most_reach_most_items(registry):
    ins = registry["aptitude-q"]
    frame = simulate(ins, 400, seed=7).responses[[it.id for it in ins.items]]
    answered = frame.notna().to_numpy()
    # once a person stops, every later item is empty (not reached), never skipped in between
    assert np.all(np.diff(answered.astype(int), axis=1) <= 0)
    share = answered.mean()
    assert 0.4 < share < 0.95


def test_injected_dif_makes_the_item_harder_for_the_focal_group_only(registry):
    ins = registry["aptitude-v"]
    target, control = ins.items[5], ins.items[6]
    frame = simulate(ins, 3000, seed=8, dif={target.id: 1.5}).responses
    female = frame["gender"] == "F"

    def gap(item):
        right = frame[item.id] == item.key
        return right[~female].mean() - right[female].mean()

    assert gap(target) > 0.15
    assert abs(gap(control)) < 0.05


def test_group_effect_shifts_the_focal_groups_trait(registry):
    sim = simulate(registry["traits-big5"], 3000, seed=9, group_effect=0.5)
    female = sim.responses["gender"].to_numpy() == "F"
    diff = sim.theta.to_numpy()[female].mean(axis=0) - sim.theta.to_numpy()[~female].mean(axis=0)
    assert np.allclose(diff, 0.5, atol=0.1)


def test_missing_share_leaves_about_that_share_of_cells_empty(registry):
    ins = registry["motivation"]
    frame = simulate(ins, 800, seed=10, missing=0.1).responses[[it.id for it in ins.items]]
    assert frame.isna().to_numpy().mean() == pytest.approx(0.1, abs=0.01)


@pytest.mark.parametrize("kwargs, match", [({"n": 0}, "positive"), ({"n": 10, "missing": 0.7}, "share"),
                                           ({"n": 10, "dif": {"nope": 1.0}}, "nope"),
                                           ({"n": 10, "factor_corr": 1.0}, "between")])
def test_invalid_arguments_are_rejected_with_the_reason(registry, kwargs, match):
    with pytest.raises(ValueError, match=match):
        simulate(registry["motivation"], **kwargs)
