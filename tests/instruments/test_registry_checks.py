"""The cross-reference checks of instruments.registry_validation, called directly."""
from pathlib import Path

from instruments.errors import Problem
from instruments.registry_validation import check_form, check_practice, validate_model
from models.instrument import Form, PracticeItem

FILE = Path("items.yaml")
TEXT = {"zh-CN": "示例", "en": "Example"}


def _form(form_id: str, items: list[str]) -> Form:
    return Form(id=form_id, name=TEXT, items=items)


def test_a_form_repeating_an_item_or_its_id_or_naming_an_unknown_item_gets_one_problem_each():
    problems: list[Problem] = []
    check_form(_form("short", ["q1", "q1", "q9"]), FILE, [_form("short", ["q1"])], {"q1": object()}, problems)
    messages = sorted(p.message for p in problems)
    assert messages == ["duplicate form id", "form lists item 'q1' 2 times", "form lists unknown item 'q9'"]
    assert all(p.item == "short" and p.file == FILE for p in problems)


def test_a_practice_answer_must_be_one_of_its_options_but_same_different_pairs_may_answer_same():
    problems: list[Problem] = []
    options = [{"id": "A", "text": TEXT}, {"id": "B", "text": TEXT}]
    check_practice(PracticeItem(id="p1", text=TEXT, options=options, answer="C", feedback=TEXT), FILE, problems)
    check_practice(PracticeItem(id="p2", text=TEXT, pair=[TEXT, TEXT], answer="same", feedback=TEXT), FILE, problems)
    assert [(p.item, p.message) for p in problems] == [("p1", "answer 'C' is not among the options ['A', 'B']")]


def test_validate_model_turns_each_pydantic_error_into_a_problem_naming_the_label():
    problems: list[Problem] = []
    assert validate_model(Form, {"id": "f", "items": []}, FILE, "f", problems) is None
    assert {p.item for p in problems} == {"f"} and len(problems) == 2  # name missing, items empty
