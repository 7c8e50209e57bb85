"""The next-module rule engine (matching/pathway/rules.py) under the shipped default rules, one seed rule
each, and the validation of rule files and province overrides."""
import copy
from datetime import date, timedelta
from importlib import resources

import pytest
import yaml

from matching.pathway.rules import CaseFacts, ModuleEntry, RuleSetError, parse_rule_set, propose, with_override

TODAY = date(2026, 6, 1)


def default_raw() -> dict:
    path = resources.files("matching").joinpath("data", "pathway_rules", "default.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


RULES = parse_rule_set(default_raw())


def path(*steps: tuple[int, int]) -> tuple[ModuleEntry, ...]:
    """Module entries from (module, days before TODAY)."""
    return tuple(ModuleEntry(m, TODAY - timedelta(days=d)) for m, d in steps)


def case(**facts) -> CaseFacts:
    return CaseFacts(today=TODAY, **facts)


def test_a_new_person_starts_with_basic_service():
    proposal = propose(case(), RULES)
    assert (proposal.next_module, proposal.rule_id, proposal.moves) == (1, "start", True)


def test_an_especially_hard_case_may_skip_basic_service():
    assert propose(case(hard_case=True), RULES).rule_id == "start_hard_case"
    assert propose(case(hard_case=True), RULES).next_module == 2


def test_three_failed_applications_in_basic_service_lead_to_coaching():
    proposal = propose(case(history=path((1, 20)), failed_applications=3, failed_applications_in_module=3), RULES)
    assert (proposal.next_module, proposal.rule_id) == (2, "coaching_after_failed_applications")
    assert proposal.facts_used == {"current_module": 1, "failed_applications_in_module": 3}
    assert "3 次求职未成功" in proposal.text_zh


def test_two_failed_applications_keep_the_person_in_basic_service():
    proposal = propose(case(history=path((1, 20)), failed_applications_in_module=2), RULES)
    assert (proposal.next_module, proposal.rule_id, proposal.moves) == (1, "stay", False)


def test_failed_applications_during_coaching_lead_to_the_expert_interview():
    proposal = propose(case(history=path((1, 40), (2, 20)), failed_applications_in_module=3), RULES)
    assert (proposal.next_module, proposal.rule_id) == (3, "interview_after_coaching")


def test_the_expert_interview_is_followed_by_the_assessment():
    proposal = propose(case(history=path((1, 40), (2, 20), (3, 2)), failed_applications_since_interview=0), RULES)
    assert (proposal.next_module, proposal.rule_id) == (4, "assessment_after_interview")


@pytest.mark.parametrize(("outcome", "module"), [("train", 5), ("internship", 6), ("apply", 1), ("unknown", 1),
                                                 ("readiness", 3), ("invalid", 3)])
def test_the_assessment_outcome_chooses_the_module_after_the_assessment(outcome, module):
    facts = case(history=path((3, 10), (4, 3)), failed_applications_since_interview=0,
                 has_valid_assessment=outcome != "invalid", assessment_outcome=outcome)
    assert propose(facts, RULES).next_module == module


def test_an_assessment_without_a_result_yet_stays_in_module_4():
    assert propose(case(history=path((3, 10), (4, 3)), failed_applications_since_interview=0), RULES).moves is False


def test_a_month_after_the_interview_without_work_leads_to_on_the_job_training():
    facts = case(history=path((3, 30), (4, 25), (1, 20)), failed_applications_since_interview=0)
    proposal = propose(facts, RULES)
    assert (proposal.next_module, proposal.rule_id) == (6, "on_the_job_after_interview")
    assert proposal.facts_used["days_since_interview"] == 30


def test_three_failed_applications_after_the_interview_lead_to_on_the_job_training():
    facts = case(history=path((3, 12), (4, 10), (1, 8)), failed_applications_since_interview=3)
    assert propose(facts, RULES).rule_id == "on_the_job_after_interview"


def test_a_person_in_training_is_not_pulled_out_a_month_after_the_interview():
    facts = case(history=path((3, 60), (4, 50), (5, 40)), failed_applications_since_interview=0)
    assert propose(facts, RULES).rule_id == "stay"


def test_completed_training_leads_to_on_the_job_training():
    facts = case(history=path((4, 50), (5, 40)), training_completed=True)
    assert (propose(facts, RULES).next_module, propose(facts, RULES).rule_id) == (6, "on_the_job_after_training")


def test_a_placement_after_modules_2_to_6_moves_the_person_to_follow_up():
    facts = case(history=path((1, 90), (2, 60), (6, 30)), employed=True, placed_via_pathway=True)
    assert (propose(facts, RULES).next_module, propose(facts, RULES).rule_id) == (7, "follow_up_after_placement")


def test_leaving_work_during_follow_up_goes_back_to_job_referral():
    facts = case(history=path((2, 60), (7, 30)), employed=False)
    assert propose(facts, RULES).rule_id == "back_to_referral_after_leaving"


def test_stable_employment_completes_the_path():
    facts = case(history=path((2, 160), (7, 100)), employed=True, placed_via_pathway=True, stable_employment=True)
    proposal = propose(facts, RULES)
    assert (proposal.next_module, proposal.rule_id, proposal.moves) == (None, "stable_employment", False)


def test_client_texts_are_separate_plain_words():
    proposal = propose(case(history=path((1, 20)), failed_applications_in_module=4), RULES)
    assert proposal.text("zh-CN", "client") != proposal.text("zh-CN", "counsellor")
    assert "模块" not in proposal.text("zh-CN", "client")


def test_a_province_override_changes_a_threshold_for_the_rules_that_use_it():
    rules = with_override(RULES, {"version": 1, "params": {"failed_applications_for_coaching": 2}}, "gd")
    proposal = propose(case(history=path((1, 20)), failed_applications_in_module=2), rules)
    assert proposal.rule_id == "coaching_after_failed_applications"
    assert rules.source == "default+gd"


def test_a_province_override_can_disable_a_rule():
    rules = with_override(RULES, {"version": 1, "disabled": ["start_hard_case"]}, "gd")
    assert propose(case(hard_case=True), rules).rule_id == "start"


def test_a_province_override_replaces_a_rule_with_the_same_id():
    replacement = copy.deepcopy(next(r for r in default_raw()["rules"] if r["id"] == "start_hard_case"))
    replacement["next_module"] = 3
    rules = with_override(RULES, {"version": 1, "rules": [replacement]}, "gd")
    assert propose(case(hard_case=True), rules).next_module == 3


def _broken(mutate) -> dict:
    raw = default_raw()
    mutate(raw)
    return raw


@pytest.mark.parametrize(("mutate", "where", "says"), [
    (lambda r: r["rules"][0]["when"][0].update(fact="age"), "rule stable_employment.when[0].fact", "unknown fact"),
    (lambda r: r["rules"][1].update(next_module=8), "rule follow_up_after_placement.next_module", "1–7"),
    (lambda r: r["rules"][0]["text"].pop("en"), "rule stable_employment.text", "zh-CN and en"),
    (lambda r: r["rules"][0]["text"].update(en="{nope}"), "rule stable_employment.text.en", "unknown placeholder"),
    (lambda r: r["rules"][0].update(colour="red"), "rule stable_employment", "unknown field colour"),
    (lambda r: r["rules"].pop(), "default", "when: [] and next_module: current"),
    (lambda r: r["rules"][1].update(id="stable_employment"), "rule stable_employment", "used twice"),
    (lambda r: r["params"].update(failed_applications_for_coaching="three"),
     "default params.failed_applications_for_coaching", "number"),
])
def test_a_broken_rule_file_is_refused_naming_the_rule_and_field(mutate, where, says):
    with pytest.raises(RuleSetError) as caught:
        parse_rule_set(_broken(mutate))
    assert caught.value.where == where
    assert says in caught.value.message


def test_a_parameter_reference_must_name_a_defined_parameter():
    def mutate(raw):
        rule = next(r for r in raw["rules"] if r["id"] == "coaching_after_failed_applications")
        rule["when"][1]["gte"] = {"param": "missing_threshold"}
    with pytest.raises(RuleSetError, match="coaching_after_failed_applications.when.1..gte"):
        parse_rule_set(_broken(mutate))


def test_an_override_cannot_disable_a_rule_that_does_not_exist():
    with pytest.raises(RuleSetError, match="disabled"):
        with_override(RULES, {"version": 1, "disabled": ["no_such_rule"]}, "gd")


def test_protected_attributes_are_not_facts_a_rule_can_read():
    from matching.pathway.rules import FACT_NAMES
    assert not FACT_NAMES & {"age", "gender", "ethnicity", "religion", "disability", "health", "birth_year"}
