"""The validator fails loudly: each broken definition names the file, the item and the cause."""
from __future__ import annotations

import pytest

from instruments.errors import InstrumentDefinitionError
from instruments.registry import load_instrument


def _problems(folder) -> list[str]:
    with pytest.raises(InstrumentDefinitionError) as info:
        load_instrument(folder)
    return [str(p) for p in info.value.problems]


def _one_problem_naming(problems: list[str], file: str, item: str, cause: str) -> None:
    hits = [p for p in problems if file in p and f"[{item}]" in p and cause in p]
    assert hits, f"no problem naming {file}, {item} and {cause!r} in {problems}"


def test_a_valid_minimal_definition_loads(write_definition):
    assert load_instrument(write_definition()).id == "tiny"


def test_missing_translation_names_file_and_item(write_definition):
    def edit(d):
        del d["items"][1]["text"]["en"]
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "T2",
                        "missing translation: en")


def test_missing_option_translation_names_the_item(write_definition):
    def edit(d):
        d["items"][0]["options"][2] = {"zh-CN": "三"}
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "T1",
                        "missing translation: en")


def test_unknown_scale_names_file_and_item(write_definition):
    def edit(d):
        d["items"][0]["scale"] = "X"
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "T1",
                        "unknown scale 'X'")


def test_duplicate_item_id_is_caught(write_definition):
    def edit(d):
        d["items"][1]["id"] = "T1"
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "T1",
                        "duplicate item id")


def test_duplicate_id_across_included_files_names_the_second_file(write_definition):
    def edit(d):
        d["include"] = ["more.yaml"]
    more = ("items:\n  - {id: T1, scale: T, text: {zh-CN: 又一题, en: Again},\n"
            "     options: [{zh-CN: a, en: a}, {zh-CN: b, en: b}], key: A}\n")
    _one_problem_naming(_problems(write_definition(edit, {"more.yaml": more})), "more.yaml",
                        "T1", "duplicate item id")


def test_key_not_among_options_is_caught(write_definition):
    def edit(d):
        d["items"][0]["key"] = "E"
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "T1",
                        "key 'E' is not among the options")


def test_choice_item_without_key_is_caught(write_definition):
    def edit(d):
        del d["items"][0]["key"]
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "T1",
                        "needs a key")


def test_scale_without_items_is_caught(write_definition):
    def edit(d):
        d["scales"].append({**d["scales"][0], "id": "EMPTY"})
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "EMPTY",
                        "scale has no items")


def test_parameters_out_of_range_name_the_parameter_file_and_item(write_definition):
    def edit(d):
        d["scales"][0]["scoring"] = {"method": "irt"}
        d["parameters"] = "parameters.csv"
    csv = ("item_id,model,a,b,c,thresholds,provisional\n"
           "T1,3PL,1.0,0.0,0.2,,true\n"
           "T2,3PL,9.0,0.0,0.2,,true\n")
    problems = _problems(write_definition(edit, {"parameters.csv": csv}))
    _one_problem_naming(problems, "parameters.csv", "T2", "a: Input should be less than or equal to 4")


def test_guessing_above_half_is_out_of_range(write_definition):
    def edit(d):
        d["scales"][0]["scoring"] = {"method": "irt"}
        d["parameters"] = "parameters.csv"
    csv = ("item_id,model,a,b,c,thresholds,provisional\n"
           "T1,3PL,1.0,0.0,0.7,,true\nT2,3PL,1.0,0.0,0.2,,true\n")
    _one_problem_naming(_problems(write_definition(edit, {"parameters.csv": csv})),
                        "parameters.csv", "T1", "c: Input should be less than or equal to 0.5")


def test_irt_scored_item_without_parameters_is_caught(write_definition):
    def edit(d):
        d["scales"][0]["scoring"] = {"method": "irt"}
        d["parameters"] = "parameters.csv"
    csv = "item_id,model,a,b,c,thresholds,provisional\nT1,3PL,1.0,0.0,0.2,,true\n"
    _one_problem_naming(_problems(write_definition(edit, {"parameters.csv": csv})),
                        "instrument.yaml", "T2", "has no parameters")


def test_parameters_for_an_unknown_item_are_caught(write_definition):
    def edit(d):
        d["scales"][0]["scoring"] = {"method": "irt"}
        d["parameters"] = "parameters.csv"
    csv = ("item_id,model,a,b,c,thresholds,provisional\nT1,3PL,1,0,0.2,,true\n"
           "T2,3PL,1,0,0.2,,true\nT9,3PL,1,0,0.2,,true\n")
    _one_problem_naming(_problems(write_definition(edit, {"parameters.csv": csv})),
                        "parameters.csv", "T9", "unknown item")


def test_grm_thresholds_must_increase(write_definition):
    def edit(d):
        d["response_formats"] = {"agree3": {"kind": "likert", "anchors": [
            {"zh-CN": "不", "en": "No"}, {"zh-CN": "中", "en": "Mid"}, {"zh-CN": "是", "en": "Yes"}]}}
        d["default_response_format"] = "agree3"
        d["scales"][0]["scoring"] = {"method": "irt"}
        d["parameters"] = "parameters.csv"
        for item in d["items"]:
            del item["options"], item["key"]
    csv = ("item_id,model,a,b,c,thresholds,provisional\n"
           "T1,GRM,1.0,,,-1;1,true\nT2,GRM,1.0,,,1;-1,true\n")
    _one_problem_naming(_problems(write_definition(edit, {"parameters.csv": csv})),
                        "parameters.csv", "T2", "strictly increasing")


def test_reverse_keying_a_choice_item_is_caught(write_definition):
    def edit(d):
        d["items"][0]["reverse"] = True
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "T1",
                        "only likert items can be reverse-keyed")


def test_form_listing_an_unknown_item_is_caught(write_definition):
    def edit(d):
        d["forms"] = [{"id": "short", "name": {"zh-CN": "简", "en": "Short"}, "items": ["T1", "T7"]}]
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "short",
                        "unknown item 'T7'")


def test_consistency_pair_must_name_an_existing_item(write_definition):
    def edit(d):
        d["response_formats"] = {"agree3": {"kind": "likert", "anchors": [
            {"zh-CN": "不", "en": "No"}, {"zh-CN": "中", "en": "Mid"}, {"zh-CN": "是", "en": "Yes"}]}}
        d["default_response_format"] = "agree3"
        for item in d["items"]:
            del item["options"], item["key"]
        d["items"].append({"id": "CON1", "text": {"zh-CN": "再问一次", "en": "Again"},
                           "validity": {"kind": "consistency", "pair_with": "T5"}})
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "CON1",
                        "consistency pair 'T5' is not an item")


def test_unknown_field_is_caught_instead_of_ignored(write_definition):
    def edit(d):
        d["items"][0]["revers"] = True
    _one_problem_naming(_problems(write_definition(edit)), "instrument.yaml", "T1", "revers")


def test_missing_interpretation_band_names_scale_and_band(write_definition):
    def edit(d):
        d["interpretations"] = "interpretations.yaml"
    text = "{client: {zh-CN: 好, en: Good}, counsellor: {zh-CN: 好, en: Good}}"
    bands = "\n".join(f"  {b}: {text}" for b in ["very_low", "low", "average", "high"])
    _one_problem_naming(_problems(write_definition(edit, {"interpretations.yaml": f"T:\n{bands}\n"})),
                        "interpretations.yaml", "T/very_high", "missing interpretation")


def test_norm_table_without_overall_row_is_caught(write_definition):
    def edit(d):
        d["norms"] = {"file": "norms.csv", "provisional": True}
    csv = "scale,group_age_band,group_education,mean,sd,n\nT,16-24,tertiary,1.0,0.5,0\n"
    _one_problem_naming(_problems(write_definition(edit, {"norms.csv": csv})), "norms.csv", "T",
                        "no norm row for group all/all")


def test_every_problem_is_reported_not_just_the_first(write_definition):
    def edit(d):
        d["items"][0]["key"] = "Z"
        d["items"][1]["scale"] = "nope"
    problems = _problems(write_definition(edit))
    assert any("[T1]" in p for p in problems) and any("[T2]" in p for p in problems)


def test_broken_yaml_names_the_file(write_definition, tmp_path):
    folder = write_definition()
    (folder / "instrument.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    assert any("instrument.yaml" in p and "not valid YAML" in p for p in _problems(folder))
