"""Validation problems in words a counsellor can act on, in zh-CN and en.

Pydantic's own messages ("Input should be greater than or equal to 1930") are written for programmers
and only in English. ``describe`` turns one pydantic error (an item of ``ValidationError.errors()``) into
a sentence that names the field by the label the reader sees (a form label or a spreadsheet column) and
says what to write instead. The import reports and the counsellor's forms both use it.
"""
from typing import Any

from pydantic import ValidationError

from api.errors import Problem

# Messages of our own model validators (models/*.py), matched by their start, translated here so the
# models keep one plain English text for the API.
_OWN = [
    ("pay_min must not exceed pay_max", "月薪下限不能高于上限，请对调或改正。", "The lowest pay must not be above the highest."),
    ("give both lat and lon", "纬度和经度要么都填，要么都不填。", "Give both latitude and longitude, or neither."),
    ("closes_on must not be before posted_on", "截止日期不能早于发布日期。", "The closing date must not be before the posting date."),
    ("entries must not be blank", "有空的项，请删掉多余的分隔符。", "There is an empty entry; remove the extra separator."),
    ("certificate names must not be blank", "证书名称不能为空，请删掉多余的分隔符。", "A certificate name is empty; remove the extra separator."),
    ("not CSCO 2022 codes", "不是职业代码，职业代码的样子是 4-10-05-02。", "Not an occupation code; codes look like 4-10-05-02."),
]


def _own_message(message: str, lang: str) -> str | None:
    text = message.removeprefix("Value error, ")
    for start, zh, en in _OWN:
        if text.startswith(start):
            return en if lang == "en" else zh
    return None


def describe(error: dict[str, Any], label: str, lang: str = "zh-CN", choices: list[str] | None = None) -> str:
    """One sentence for one pydantic error about the field the reader calls ``label``.

    ``choices`` are the readable allowed values for an enum field (shown instead of the codes).
    """
    kind, ctx, given = error.get("type", ""), error.get("ctx") or {}, error.get("input")
    en = lang == "en"
    shown = given if isinstance(given, (str, int, float)) else None
    if kind == "missing":
        return f"“{label}” is required; fill it in." if en else f"“{label}”必须填写。"
    if kind == "extra_forbidden":
        return (f"Unknown column or field “{label}”; remove it or spell it as in the template."
                if en else f"不认识“{label}”这一项：请删掉它，或按模板改正名称。")
    if kind in {"int_parsing", "int_from_float", "float_parsing", "int_type", "float_type", "decimal_parsing"}:
        whole = kind.startswith("int")
        if en:
            return f"“{label}” must be a {'whole ' if whole else ''}number (like 3 or 3500), not “{shown}”."
        return f"“{label}”应填{'整数' if whole else '数字'}（如 3 或 3500），现在是“{shown}”。"
    bounds = {"greater_than_equal": ("ge", "at least", "不能小于"), "less_than_equal": ("le", "at most", "不能大于"),
              "greater_than": ("gt", "more than", "必须大于"), "less_than": ("lt", "less than", "必须小于")}
    if kind in bounds:
        key, words_en, words_zh = bounds[kind]
        limit = ctx.get(key)
        return (f"“{label}” must be {words_en} {limit} (it is {shown})." if en
                else f"“{label}”{words_zh} {limit}（现在是 {shown}）。")
    if kind == "string_too_long":
        n = ctx.get("max_length")
        return f"“{label}” is too long; keep it to {n} characters." if en else f"“{label}”太长了，最多 {n} 个字。"
    if kind == "string_too_short":
        return f"“{label}” is required; fill it in." if en else f"“{label}”必须填写。"
    if kind == "too_long":
        n = ctx.get("max_length")
        return f"“{label}” has too many entries; at most {n}." if en else f"“{label}”填的项太多，最多 {n} 项。"
    if kind == "too_short":
        return f"“{label}” needs at least one entry." if en else f"“{label}”至少要填一项。"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith(r"^\d-"):
            return (f"“{label}” must be an occupation code like 4-10-05-02, not “{shown}”." if en
                    else f"“{label}”应是职业代码（如 4-10-05-02），现在是“{shown}”。")
        return (f"“{label}” may hold only letters, digits and . _ : - (not “{shown}”)." if en
                else f"“{label}”只能用字母、数字和 . _ : -（现在是“{shown}”）。")
    if kind == "enum" or kind == "literal_error":
        allowed = "、".join(choices) if choices else str(ctx.get("expected", ""))
        return (f"“{label}” cannot be “{shown}”; use one of: {', '.join(choices) if choices else allowed}." if en
                else f"“{label}”不能填“{shown}”，可以填：{allowed}。")
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"}:
        return (f"“{label}” must be a date like 2026-11-01, 2026/11/01 or 2026年11月1日, not “{shown}”." if en
                else f"“{label}”应是日期，如 2026-11-01、2026/11/01 或 2026年11月1日，现在是“{shown}”。")
    if kind in {"bool_parsing", "bool_type"}:
        return f"“{label}” must be 是 or 否 (yes or no), not “{shown}”." if en else f"“{label}”请填“是”或“否”，现在是“{shown}”。"
    if kind == "list_type":
        return (f"“{label}” must be a list; separate entries with | or 、." if en
                else f"“{label}”应是几项内容，用 | 或 、 分开。")
    if kind == "value_error":
        own = _own_message(str(error.get("msg", "")), lang)
        if own:
            return own if label in {"", "row"} else (f"“{label}”: {own}" if en else f"“{label}”：{own}")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"“{label}” has a value of the wrong kind: “{shown}”." if en else f"“{label}”填的内容类型不对：“{shown}”。"
    return (f"“{label}” is not valid: {error.get('msg', '')}." if en
            else f"“{label}”填得不对，请对照说明改正（{shown}）。")


# Problems the assessment service reports (``api.services.assessments.AssessmentError``), by the field they
# concern: the service keeps one English text for the API; a counsellor's page says it in its language.
_ASSESSMENT_FIELDS = {
    "battery": ("没有这套测评，请从列表里选一套。", "There is no such battery; choose one from the list."),
    "instrument_id": ("这次测评里没有这一部分。", "This part is not in the assessment."),
    "instrument_version": ("这张答题纸和本次测评的版本不一致，请用本次测评打印的答题纸。",
                           "This answer sheet is for another version; use the sheet printed for this assessment."),
    "status": ("这次测评已经结束或取消了，不能再这样操作。", "This assessment is finished or cancelled, so this cannot be done."),
    "reason": ("请写明原因（1 到 200 个字）。", "Give a reason of 1 to 200 characters."),
}
_ASSESSMENT_ITEM = ("这道题的答案不在选项里，请按答题纸上的选项填写。",
                    "This answer is not one of the options; enter an option from the sheet.")


def describe_assessment_problem(field: str, lang: str = "zh-CN") -> str:
    """What a page in ``lang`` says for a problem the assessment service reports about ``field``
    (an answer's field, ``responses.<item>``, gets the sentence about options)."""
    zh, en = _ASSESSMENT_FIELDS.get(field, _ASSESSMENT_ITEM)
    return en if lang == "en" else zh


def refused_field(exc: ValidationError | Problem) -> tuple[str, int]:
    """(the field a refusal names first, the HTTP status to answer with): pydantic's first error
    location (422), or the last part of the first field a service's ``Problem`` names (its own
    status); "" when neither names one. Pages turn the field into their own plain words."""
    if isinstance(exc, ValidationError):
        loc = exc.errors()[0]["loc"] if exc.errors() else ()
        return (str(loc[0]) if loc else ""), 422
    return (exc.errors[0]["field"].rsplit(".", 1)[-1] if exc.errors else ""), exc.status
