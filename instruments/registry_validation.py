"""Checks of an instrument definition beyond its field types, each appending ``Problem``s.

The loader (``instruments.registry``) validates every part against its pydantic model with
:func:`validate_model` and then runs the cross-reference checks here: an item against its scale and
response format (keys among the options, Likert items without keys, GRM thresholds for the points),
a validity rule against the items, forms against the bank, scales against their items. Nothing here
raises; the loader raises one ``InstrumentDefinitionError`` with everything found.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from instruments.errors import Problem
from models.instrument import SAME_DIFFERENT_OPTIONS, Form, Item, PracticeItem, ResponseFormat, Scale

__all__ = ["check_form", "check_item", "check_practice", "check_scale_members", "check_validity_rule",
           "validate_model"]


def _errors(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"] if part != "root")
        msg = err["msg"].removeprefix("Value error, ")
        out.append(f"{loc}: {msg}" if loc else msg)
    return out


def validate_model(model: type[BaseModel], raw: Any, file: Path, label: str | None,
              problems: list[Problem]) -> Any:
    """``model.model_validate(raw)``, turning failures into problems that name ``label``."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems.extend(Problem(file, label, msg) for msg in _errors(exc))
        return None


def check_item(item: Item, file: Path, scales: dict[str, Scale], formats: dict[str, ResponseFormat],
                default_format: Any, problems: list[Problem]) -> None:
    def bad(message: str) -> None:
        problems.append(Problem(file, item.id, message))

    if item.scale is None and item.validity is None:
        bad("item has no scale (only validity items may go without one)")
    if item.scale is not None and item.scale not in scales:
        bad(f"unknown scale {item.scale!r}; known: {sorted(scales)}")
    fmt_id = item.response_format or default_format
    fmt = formats.get(fmt_id)
    if fmt is None:
        bad(f"unknown response format {fmt_id!r}")
        return
    option_ids = [o.id for o in item.options]
    for opt_id, n in Counter(option_ids).items():
        if n > 1:
            bad(f"duplicate option id {opt_id!r}")
    if fmt.kind == "choice":
        if len(item.options) < 2:
            bad("a choice item needs at least two options")
        if item.key is None:
            bad("a choice item needs a key")
        elif item.key not in option_ids:
            bad(f"key {item.key!r} is not among the options {option_ids}")
        if item.reverse:
            bad("only likert items can be reverse-keyed")
    elif fmt.kind == "same_different":
        valid = [o for o, _ in SAME_DIFFERENT_OPTIONS]
        if item.options:
            bad("a same/different item takes no options of its own")
        if item.pair is None:
            bad("a same/different item needs the pair it compares")
        if item.key not in valid:
            bad(f"key {item.key!r} is not among the options {valid}")
    else:
        if item.options:
            bad("a likert item takes its options from the response format, not its own")
        if item.key is not None:
            bad("a likert item has no key (use reverse for keying)")
    scale = scales.get(item.scale or "")
    if scale is not None and scale.scoring.method == "irt" and fmt.kind == "likert":
        if item.parameters is not None and item.parameters.model != "GRM":
            bad("a likert item scored by IRT needs GRM parameters")
    if item.parameters is not None and item.parameters.model == "GRM" and fmt.kind == "likert":
        if len(item.parameters.thresholds or []) != fmt.points - 1:
            bad(f"GRM needs {fmt.points - 1} thresholds for {fmt.points} categories")


def check_validity_rule(item: Item, file: Path, items: dict[str, Item],
                         formats: dict[str, ResponseFormat], default_format: Any,
                         problems: list[Problem]) -> None:
    rule = item.validity
    if rule is None:
        return
    fmt = formats.get(item.response_format or default_format)
    points = fmt.points if fmt else 0
    if rule.kind == "infrequency":
        if any(not 1 <= c <= points for c in rule.expected):
            problems.append(Problem(file, item.id, f"expected categories {rule.expected} outside "
                                                   f"1..{points}"))
    elif rule.pair_with not in items:
        problems.append(Problem(file, item.id, f"consistency pair {rule.pair_with!r} is not an item"))
    elif rule.pair_with == item.id:
        problems.append(Problem(file, item.id, "an item cannot be its own consistency pair"))


def check_practice(p_item: PracticeItem, file: Path, problems: list[Problem]) -> None:
    """A practice item's answer must be among its options (or same/different for a pair)."""
    option_ids = [o.id for o in p_item.options]
    if p_item.answer is not None and p_item.answer not in option_ids and not (
            option_ids == [] and p_item.pair and p_item.answer in ("same", "different")):
        problems.append(Problem(file, p_item.id, f"answer {p_item.answer!r} is not among the "
                                                 f"options {option_ids}"))


def check_form(form: Form, file: Path, earlier: list[Form], items: dict[str, Item],
               problems: list[Problem]) -> None:
    """A form's id is new among ``earlier`` forms and it lists known items, each once."""
    if any(f.id == form.id for f in earlier):
        problems.append(Problem(file, form.id, "duplicate form id"))
    for item_id in form.items:
        if item_id not in items:
            problems.append(Problem(file, form.id, f"form lists unknown item {item_id!r}"))
    for item_id, n in Counter(form.items).items():
        if n > 1:
            problems.append(Problem(file, form.id, f"form lists item {item_id!r} {n} times"))


def check_scale_members(scale: Scale, items: list[Item], main: Path, item_file: dict[str, Path],
                        problems: list[Problem]) -> None:
    """A scale has items, and every item of an IRT-scored scale has parameters."""
    members = [i for i in items if i.scale == scale.id]
    if not members:
        problems.append(Problem(main, scale.id, "scale has no items"))
    if scale.scoring.method == "irt":
        for item in members:
            if item.parameters is None:
                problems.append(Problem(item_file[item.id], item.id,
                                        f"scale {scale.id} is IRT-scored but the item has no "
                                        f"parameters"))
