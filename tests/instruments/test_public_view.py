"""Public views carry what a test form needs and never a key, keying or item parameter."""
from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pydantic import BaseModel

from instruments.registry import load_all
from instruments.registry_public import public_view, summary
from models.instrument import (
    SAME_DIFFERENT_OPTIONS,
    FormPublic,
    InstrumentPublic,
    InstrumentSummary,
    ItemPublic,
    OptionPublic,
    PracticeItemPublic,
)

SECRET_FIELDS = {"key", "reverse", "scale", "parameters", "features", "validity", "a", "b", "c",
                 "thresholds", "model", "tags", "pair_with", "expected", "content_hash"}
CASES = [(inst_id, lang) for inst_id in sorted(load_all()) for lang in ("zh-CN", "en")]


def _field_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    seen = seen or set()
    names = set()
    for name, field in model.model_fields.items():
        names.add(name)
        for arg in getattr(field.annotation, "__args__", ()) + (field.annotation,):
            inner = getattr(arg, "__args__", (arg,))
            for t in inner:
                if isinstance(t, type) and issubclass(t, BaseModel) and t not in seen:
                    seen.add(t)
                    names |= _field_names(t, seen)
    return names


def _walk(value: Any):
    if isinstance(value, dict):
        for k, v in value.items():
            yield ("key", k)
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield ("value", value)


@pytest.mark.parametrize("model", [InstrumentPublic, ItemPublic, OptionPublic, PracticeItemPublic,
                                   FormPublic, InstrumentSummary])
def test_public_types_have_no_field_that_could_hold_a_secret(model):
    assert not (_field_names(model) - {"answer"}) & SECRET_FIELDS


def test_public_item_refuses_a_key_even_when_given_one():
    with pytest.raises(ValueError):
        ItemPublic(id="X", text="t", format="choice", options=[], key="A")


@pytest.mark.parametrize("instrument_id,lang", CASES)
def test_public_view_json_has_no_secret_field_names(instrument_id, lang):
    data = json.loads(public_view(load_all()[instrument_id], lang).model_dump_json())
    names = {v for kind, v in _walk(data) if kind == "key"}
    assert not (names - {"answer"}) & SECRET_FIELDS


@pytest.mark.parametrize("instrument_id,lang", CASES)
def test_public_view_json_contains_no_parameter_value(instrument_id, lang):
    inst = load_all()[instrument_id]
    secret_numbers = {v for i in inst.items if i.parameters
                      for v in (i.parameters.a, i.parameters.b, i.parameters.c) if v is not None}
    data = json.loads(public_view(inst, lang).model_dump_json())
    numbers = {v for kind, v in _walk(data) if kind == "value" and isinstance(v, float)}
    assert not numbers & secret_numbers


@pytest.mark.parametrize("instrument_id,lang", CASES)
def test_public_view_text_never_spells_out_a_bank_items_key(instrument_id, lang):
    # Practice items explain their answer; scored items must not. No serialized public item may
    # mention its own key in words (e.g. "答案是 B", "The answer is B").
    inst = load_all()[instrument_id]
    view = public_view(inst, lang)
    telling = re.compile(r"答案是|正确答案|answer is|correct answer", re.IGNORECASE)
    for item in view.items:
        assert not telling.search(item.model_dump_json()), item.id


@pytest.mark.parametrize("instrument_id", ["aptitude-s", "aptitude-p"])
def test_drawings_carry_no_ids_classes_or_telling_words(instrument_id):
    view = public_view(load_all()[instrument_id], "en")
    svgs = [i.stimulus_svg for i in view.items] + [o.svg for i in view.items for o in i.options]
    assert all(svgs)
    for svg in svgs:
        assert " id=" not in svg and "class=" not in svg
        assert not any(w in svg.lower() for w in ("correct", "key", "mirror", "right", "wrong"))


@pytest.mark.parametrize("instrument_id,lang", CASES)
def test_public_view_is_in_the_requested_language_with_options_for_every_item(instrument_id, lang):
    inst = load_all()[instrument_id]
    view = public_view(inst, lang)
    assert view.lang == lang and view.title == inst.title.get(lang)
    assert [i.id for i in view.items] == [i.id for i in inst.items]
    assert all(len(i.options) >= 2 and all(o.text or o.svg for o in i.options) for i in view.items)


def test_likert_items_offer_the_anchors_as_numbered_options():
    view = public_view(load_all()["traits-big5"], "zh-CN")
    assert [(o.id, o.text) for o in view.items[0].options] == [
        ("1", "完全不像我"), ("2", "不太像我"), ("3", "说不清"), ("4", "有点像我"), ("5", "非常像我")]


def test_same_different_items_offer_same_and_different_and_show_the_pair():
    view = public_view(load_all()["aptitude-q"], "en")
    assert [o.id for o in view.items[0].options] == [oid for oid, _ in SAME_DIFFERENT_OPTIONS]
    assert view.items[0].pair is not None and len(view.items[0].pair) == 2


def test_form_view_holds_only_the_form_items_in_order_with_its_time_limit():
    inst = load_all()["aptitude-v"]
    view = public_view(inst, "zh-CN", form="short")
    assert [i.id for i in view.items] == inst.form("short").items
    assert view.time_limit == inst.form("short").time_limit


def test_practice_items_come_with_feedback():
    view = public_view(load_all()["aptitude-n"], "zh-CN")
    assert view.practice and all(p.feedback and p.answer for p in view.practice)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unsupported language"):
        public_view(load_all()["aptitude-v"], "fr")


def test_summary_counts_items_and_carries_the_version():
    inst = load_all()["interest-riasec"]
    line = summary(inst)
    assert (line.n_items, line.version) == (60, inst.version)
