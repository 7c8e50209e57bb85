"""Provisional parameters and norms follow from the stated assumptions and are reproducible."""
from __future__ import annotations

import csv

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instruments.provisional import build
from instruments.registry import ROOT, load_all


@pytest.mark.parametrize("instrument_id", sorted(build.DIFFICULTY))
def test_committed_parameters_equal_a_fresh_build(instrument_id):
    inst = load_all()[instrument_id]
    for item in inst.items:
        fresh = build.item_parameters(item.id, item.features, build.DIFFICULTY[instrument_id])
        assert (fresh["a"], fresh["b"], fresh["c"]) == (item.parameters.a, item.parameters.b,
                                                        item.parameters.c), item.id


def test_parameters_of_an_item_do_not_depend_on_other_items():
    features = {"level": 2, "kind": "notice"}
    assert build.item_parameters("V999", features, build.difficulty_v) == \
        build.item_parameters("V999", features, build.difficulty_v)


def test_harder_series_rules_get_higher_provisional_difficulty():
    items = load_all()["aptitude-n"].items
    mean_b = {level: np.mean([i.parameters.b for i in items if i.features.get("rule_level") == level])
              for level in (1, 2, 3, 4)}
    assert mean_b[1] < mean_b[2] < mean_b[3] < mean_b[4]


def test_more_steps_in_a_word_problem_mean_higher_difficulty():
    items = load_all()["aptitude-n"].items
    mean_b = [np.mean([i.parameters.b for i in items if i.features.get("steps") == s]) for s in (1, 2, 3)]
    assert mean_b == sorted(mean_b)


def test_mirror_distractors_and_larger_angles_make_rotation_items_harder():
    f = {"model": "rotation", "n_blocks": 5, "angle": 45, "n_mirror": 1}
    assert build.difficulty_s({**f, "angle": 180}) > build.difficulty_s(f)
    assert build.difficulty_s({**f, "n_mirror": 2}) > build.difficulty_s(f)


def test_four_option_items_get_guessing_of_one_fifth():
    assert {i.parameters.c for i in load_all()["aptitude-v"].items} == {0.2}


@pytest.mark.parametrize("instrument_id", sorted(build.NORM_SPECS))
def test_committed_norms_equal_a_fresh_build(instrument_id):
    with (ROOT / instrument_id / "norms.csv").open(encoding="utf-8") as fh:
        committed = [{k: (v if k in ("scale", "group_age_band", "group_education") else float(v))
                      for k, v in row.items()} for row in csv.DictReader(fh)]
    fresh = [{**row, "mean": float(row["mean"]), "sd": float(row["sd"]), "n": float(row["n"])}
             for scale, spec in build.NORM_SPECS[instrument_id].items()
             for row in build.norm_rows(scale, spec)]
    assert committed == fresh


def test_overall_norm_row_reproduces_the_stated_population_mean_and_sd():
    rows = build.norm_rows("X", build.NormSpec(3.0, 0.8, edu=build.EDU_ABILITY, age=build.AGE_FLUID))
    overall = next(r for r in rows if r["group_age_band"] == "all" and r["group_education"] == "all")
    assert overall["mean"] == pytest.approx(3.0, abs=1e-4)
    assert overall["sd"] == pytest.approx(0.8, abs=1e-4)


def test_cell_means_average_back_to_the_margins():
    rows = build.norm_rows("X", build.NormSpec(0.0, 1.0, edu=build.EDU_ABILITY, age=build.AGE_FLUID))
    cells = {(r["group_age_band"], r["group_education"]): r for r in rows}
    for edu, weight_sum in build.EDU_MIX.items():
        pooled = sum(build.AGE_MIX[a] * cells[(a, edu)]["mean"] for a in build.AGE_MIX)
        assert pooled == pytest.approx(cells[("all", edu)]["mean"], abs=1e-3)


def test_higher_education_groups_have_higher_ability_norm_means():
    rows = [r for r in build.norm_rows("V", build.NORM_SPECS["aptitude-v"]["V"])
            if r["group_age_band"] == "all" and r["group_education"] != "all"]
    assert [r["mean"] for r in rows] == sorted(r["mean"] for r in rows)


def test_g_spread_reflects_the_assumed_intercorrelation():
    spec = build.composite_spec([build.NormSpec(0.0, 1.0)] * 3, rho=0.6)
    assert spec.sd == pytest.approx(np.sqrt((3 + 6 * 0.6) / 9))


def test_norm_rows_say_no_sample_stands_behind_them():
    assert all(r.n == 0 for inst in load_all().values() for r in inst.norms.rows)


effects = st.floats(-0.4, 0.4, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(mean=st.floats(-2, 5), sd=st.floats(0.1, 3), edu=st.lists(effects, min_size=4, max_size=4),
       age=st.lists(effects, min_size=5, max_size=5))
def test_any_group_effects_keep_the_stated_overall_distribution(mean, sd, edu, age):
    spec = build.NormSpec(mean, sd, edu=dict(zip(build.EDU_MIX, edu)),
                          age=dict(zip(build.AGE_MIX, age)))
    rows = build.norm_rows("X", spec)
    overall = next(r for r in rows if r["group_age_band"] == "all" and r["group_education"] == "all")
    assert overall["mean"] == pytest.approx(mean, abs=1e-3)
    assert overall["sd"] == pytest.approx(sd, abs=1e-3)
    assert all(r["sd"] > 0 for r in rows)
