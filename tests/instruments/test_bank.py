"""The shipped bank: every instrument loads, validates and has the item counts the issue asks for."""
from __future__ import annotations


import pytest

from instruments.registry import load_all, load_bands, load_batteries, load_composites
from models.instrument import LANGUAGES

ALL_IDS = {"aptitude-v", "aptitude-n", "aptitude-s", "aptitude-p", "aptitude-q", "traits-big5",
           "interest-riasec", "motivation"}


def test_every_instrument_loads_and_validates(bank):
    assert set(bank) == ALL_IDS


@pytest.mark.parametrize("instrument_id", ["aptitude-v", "aptitude-n", "aptitude-s"])
def test_power_test_banks_hold_at_least_60_four_option_items(bank, instrument_id):
    items = bank[instrument_id].items
    assert len(items) >= 60
    assert all(len(item.options) == 4 and item.key in {o.id for o in item.options} for item in items)


@pytest.mark.parametrize("instrument_id", ["aptitude-v", "aptitude-n", "aptitude-s"])
def test_power_test_items_all_carry_irt_parameters(bank, instrument_id):
    assert all(item.parameters is not None and item.parameters.model == "3PL"
               for item in bank[instrument_id].items)


@pytest.mark.parametrize("instrument_id", ["aptitude-v", "aptitude-n", "aptitude-s"])
def test_power_tests_have_short_and_paper_forms(bank, instrument_id):
    forms = {f.id: f for f in bank[instrument_id].forms}
    assert len(forms["short"].items) == 12
    assert len(forms["paper"].items) == 30


@pytest.mark.parametrize("instrument_id", ["aptitude-v", "aptitude-n", "aptitude-s"])
def test_answer_keys_are_spread_over_all_four_positions(bank, instrument_id):
    keys = [item.key for item in bank[instrument_id].items]
    shares = [keys.count(k) / len(keys) for k in "ABCD"]
    assert min(shares) >= 0.15  # no position a test-wise guesser could exploit


@pytest.mark.parametrize("instrument_id", ["aptitude-p", "aptitude-q"])
def test_perception_tests_are_speeded_and_scored_as_corrected_rate(bank, instrument_id):
    inst = bank[instrument_id]
    assert inst.time_limit is not None and inst.time_limit.speeded
    assert [s.scoring.method for s in inst.scales] == ["rate_corrected"]


def test_clerical_pairs_are_half_same_half_different(bank):
    keys = [item.key for item in bank["aptitude-q"].items]
    assert keys.count("same") == keys.count("different")


def test_big_five_has_50_scored_items_ten_per_domain(bank):
    inst = bank["traits-big5"]
    scored = [i for i in inst.items if i.scale is not None]
    assert len(scored) == 50
    assert all(len(inst.scale_items(s.id)) == 10 for s in inst.scales)
    assert len(inst.scales) == 5


def test_big_five_is_about_half_reverse_keyed(bank):
    scored = [i for i in bank["traits-big5"].items if i.scale is not None]
    assert 0.4 <= sum(i.reverse for i in scored) / len(scored) <= 0.6


def test_big_five_has_infrequency_items_and_consistency_pairs(bank):
    kinds = [i.validity.kind for i in bank["traits-big5"].items if i.validity is not None]
    assert kinds.count("infrequency") >= 3
    assert kinds.count("consistency") >= 3


def test_riasec_has_60_items_ten_per_type(bank):
    inst = bank["interest-riasec"]
    assert len(inst.items) == 60
    assert [len(inst.scale_items(s.id)) for s in inst.scales] == [10] * 6
    assert [s.id[0].upper() for s in inst.scales] == list("RIASEC")


def test_riasec_covers_the_work_clients_do(bank):
    tags = {t for item in bank["interest-riasec"].items for t in item.tags}
    assert {"trades", "logistics", "care", "cleaning", "sales", "catering", "office"} <= tags


def test_motivation_has_about_40_items_over_values_and_motivation_scales(bank):
    inst = bank["motivation"]
    assert 36 <= len(inst.items) <= 44
    assert {"achievement", "working_conditions", "recognition", "relationships", "support",
            "independence", "employment_commitment", "job_search_self_efficacy",
            "job_search_activity", "readiness_to_change", "perceived_barriers"} == \
        {s.id for s in inst.scales}


def test_barriers_cover_the_five_named_areas_and_are_support_planning_only(bank):
    inst = bank["motivation"]
    tags = {t for i in inst.scale_items("perceived_barriers") for t in i.tags}
    assert {"care_duties", "health", "transport", "skills", "discrimination"} <= tags
    assert inst.scale("perceived_barriers").use == "support_planning"


def test_every_text_exists_in_both_languages(bank):
    for inst in bank.values():
        texts = [inst.title, inst.instructions]
        for item in [*inst.items, *inst.practice]:
            texts.append(item.text)
            texts += [o.text for o in item.options if o.text is not None]
            texts += item.pair or []
        for scale in inst.scales:
            texts += [scale.name, scale.description, scale.metric]
        for fmt in inst.response_formats.values():
            texts += fmt.anchors
        for interp in inst.interpretations:
            texts += [interp.client, interp.counsellor]
        for text in texts:
            assert all(text.get(lang).strip() for lang in LANGUAGES)


def test_every_scale_has_client_and_counsellor_texts_for_every_band(bank):
    bands = {b.id for b in load_bands()}
    for inst in bank.values():
        for scale in inst.scales:
            covered = {i.band for i in inst.interpretations if i.scale == scale.id}
            assert covered == bands, (inst.id, scale.id)


def test_shipped_norm_tables_match_the_current_content(bank):
    assert all(inst.norms_current for inst in bank.values())


def test_every_parameter_and_norm_is_marked_provisional(bank):
    for inst in bank.values():
        assert inst.provisional and inst.norms is not None and inst.norms.provisional
        assert all(i.parameters.provisional for i in inst.items if i.parameters is not None)


def test_g_is_the_mean_of_v_n_and_s(bank):
    g = load_composites()["G"]
    assert {(p.instrument, p.scale) for p in g.parts} == {
        ("aptitude-v", "V"), ("aptitude-n", "N"), ("aptitude-s", "S")}
    assert {i.band for i in g.interpretations} == {b.id for b in load_bands()}
    assert g.norms is not None and any(r.group_age_band == "all" for r in g.norms.rows)


def test_g_norms_were_built_for_the_current_v_n_and_s():
    assert load_composites()["G"].norms_current


def test_full_battery_gives_all_instruments(bank):
    full = load_batteries()["full"]
    assert {p.instrument for p in full.parts} == set(bank)


def test_short_battery_takes_about_30_minutes():
    short = load_batteries()["short"]
    assert 25 <= short.minutes <= 35
    assert {p.instrument for p in short.parts} >= {"aptitude-v", "aptitude-n", "aptitude-s",
                                                   "interest-riasec", "motivation"}


def test_loading_is_cached_per_process():
    assert load_all()["aptitude-v"] is load_all()["aptitude-v"]


def test_no_item_asks_about_protected_characteristics(bank):
    # Items may mention care duties, health or unfair treatment only as support-planning barriers.
    words = ["性别", "民族", "宗教", "残疾", "年龄", "年纪", "怀孕", "男人", "女人", "gender", "ethnic", "religio",
             "disab", "pregnan", " age ", "not young"]
    for inst in bank.values():
        for item in inst.items:
            scale = inst.scale(item.scale) if item.scale else None
            if scale is not None and scale.use == "support_planning":
                continue
            text = (item.text.get("zh-CN") + " " + item.text.get("en")).lower()
            assert not any(w in text for w in words), item.id
