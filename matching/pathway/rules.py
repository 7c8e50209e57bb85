"""The next-module rule engine of the seven-module pathway (路径服务), as pure computation.

The modules: 1 basic service (job referral), 2 job-search coaching, 3 expert interview, 4 vocational
assessment, 5 skills or entrepreneurship training, 6 internship / directed training / on-the-job
training, 7 follow-up. A person's case (``CaseFacts``) goes in, a ``Proposal`` comes out: the next
module (or None when the path is complete, or the current module when nothing moves it on), the rule
that fired and the facts it looked at.

Rules are data (``matching/data/pathway_rules/default.yaml``; a province file may override it). The
API reads the files and hands the parsed mappings to :func:`parse_rule_set` / :func:`with_override`,
which validate them and raise :class:`RuleSetError` naming the rule and the field at fault. The
engine reads no file itself.

A rule holds when all of its conditions hold (first rule by ascending priority wins). A condition is
``{"fact": name, op: value}`` with op in ``is, eq, ne, in, not_in, gte, gt, lte, lt, contains``; a
value may be ``{"param": name}``; ``{"any": [conditions]}`` holds when one of them does. A comparison
with an unknown (None) fact is false, except ``eq: null`` / ``ne: null``, which test for unknown.
"""
from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

MODULES = range(1, 8)
INTERVIEW_MODULE = 3
STAY = "current"
LANGS = ("zh-CN", "en")

MODULE_NAMES: dict[int, dict[str, str]] = {
    1: {"zh-CN": "基本服务（岗位推荐）", "en": "Basic service (job referral)"},
    2: {"zh-CN": "求职应聘指导", "en": "Job-search coaching"},
    3: {"zh-CN": "专家心理访谈", "en": "Expert interview"},
    4: {"zh-CN": "职业素质测评", "en": "Vocational assessment"},
    5: {"zh-CN": "职业技能培训", "en": "Skills training"},
    6: {"zh-CN": "见习和定向培训", "en": "Internship and directed training"},
    7: {"zh-CN": "跟踪服务", "en": "Follow-up"},
}

ASSESSMENT_OUTCOMES = ("invalid", "readiness", "train", "internship", "apply", "unknown")


@dataclass(frozen=True)
class ModuleEntry:
    """The person entered ``module`` on ``entered_on`` (an effective pathway step)."""

    module: int
    entered_on: date


@dataclass(frozen=True)
class CaseFacts:
    """What the engine knows about one person's case on ``today``.

    ``history`` is the effective module entries, oldest first; the current module is the last one's.
    Counts of failed applications (rejected, no response, and referrals left unanswered — see
    api.services.placements) are given in total, since entering the current module and since the latest
    expert interview (None when there was none). ``assessment_outcome`` is what the latest result's report
    suggests: one of ``ASSESSMENT_OUTCOMES`` or None when there is no result. ``hard_case``: especially
    hard case that may skip module 1. ``employed``: a placement that has not ended; ``stable_employment``:
    still employed at the stable-employment mark; ``placed_via_pathway``: employed after going through
    modules 2–6. ``training_completed``: a training course completed since entering module 5.
    """

    today: date
    history: tuple[ModuleEntry, ...] = ()
    failed_applications: int = 0
    failed_applications_in_module: int = 0
    failed_applications_since_interview: int | None = None
    has_valid_assessment: bool = False
    assessment_outcome: str | None = None
    hard_case: bool = False
    employed: bool = False
    stable_employment: bool = False
    placed_via_pathway: bool = False
    training_completed: bool = False

    @property
    def current_module(self) -> int | None:
        return self.history[-1].module if self.history else None

    def values(self) -> dict[str, Any]:
        """Every fact a rule may read, by name (derived ones included; dates as ISO strings)."""
        current = self.history[-1] if self.history else None
        interviews = [e for e in self.history if e.module == INTERVIEW_MODULE]
        out = {k: v for k, v in asdict(self).items() if k not in ("today", "history")}
        out.update(
            current_module=current.module if current else None,
            days_in_module=(self.today - current.entered_on).days if current else None,
            modules_seen=sorted({e.module for e in self.history}),
            days_since_interview=(self.today - interviews[-1].entered_on).days if interviews else None,
        )
        return out


FACT_NAMES = frozenset(CaseFacts(today=date(2000, 1, 1)).values())
_OPS = ("is", "eq", "ne", "in", "not_in", "gte", "gt", "lte", "lt", "contains")


class RuleSetError(ValueError):
    """A rule file is not valid: ``where`` names the file, the rule and the field."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


@dataclass(frozen=True)
class Condition:
    fact: str | None
    op: str | None
    value: Any = None
    any_of: tuple[Condition, ...] = ()

    def facts(self) -> list[str]:
        return [self.fact] if self.fact else [f for c in self.any_of for f in c.facts()]

    def holds(self, facts: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
        if self.any_of:
            return any(c.holds(facts, params) for c in self.any_of)
        have = facts[self.fact]
        want = params[self.value["param"]] if isinstance(self.value, dict) else self.value
        if self.op in ("eq", "ne") and want is None:
            return (have is None) == (self.op == "eq")
        if have is None:
            return False
        if self.op == "is":
            return bool(have) is want
        if self.op == "eq":
            return have == want
        if self.op == "ne":
            return have != want
        if self.op == "in":
            return have in want
        if self.op == "not_in":
            return have not in want
        if self.op == "contains":
            return want in have
        return {"gte": have >= want, "gt": have > want, "lte": have <= want, "lt": have < want}[self.op]


@dataclass(frozen=True)
class Rule:
    id: str
    priority: int
    when: tuple[Condition, ...]
    next_module: int | str | None  # 1–7, STAY, or None (the path is complete)
    text: dict[str, str]
    client_text: dict[str, str]

    def facts(self) -> list[str]:
        return list(dict.fromkeys(f for c in self.when for f in c.facts()))


@dataclass(frozen=True)
class RuleSet:
    """Validated rules in the order they are tried, with their parameters; ``source`` names the files."""

    rules: tuple[Rule, ...]
    params: dict[str, int | float]
    source: str

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True)
class Proposal:
    """The engine's answer. ``next_module`` None: the path is complete; equal to the current module
    (``moves`` False): stay. ``facts_used``: the facts the rule read, with their values."""

    next_module: int | None
    rule_id: str
    facts_used: dict[str, Any]
    text_zh: str
    text_en: str
    client_text_zh: str
    client_text_en: str
    moves: bool = field(default=True)

    def text(self, lang: str, audience: str = "counsellor") -> str:
        if audience == "client":
            return self.client_text_zh if lang == "zh-CN" else self.client_text_en
        return self.text_zh if lang == "zh-CN" else self.text_en


# --- parsing and validation ------------------------------------------------------------------------

def _condition(raw: Any, where: str, params: Mapping[str, Any]) -> Condition:
    if not isinstance(raw, dict):
        raise RuleSetError(where, "a condition is a mapping such as {fact: current_module, eq: 1}")
    if "any" in raw:
        items = raw["any"]
        if set(raw) != {"any"} or not isinstance(items, list) or not items:
            raise RuleSetError(where, "'any' takes a non-empty list of conditions and nothing else")
        return Condition(None, None, any_of=tuple(_condition(c, f"{where}.any[{i}]", params)
                                                 for i, c in enumerate(items)))
    fact = raw.get("fact")
    if fact not in FACT_NAMES:
        raise RuleSetError(f"{where}.fact", f"unknown fact {fact!r}; use one of {', '.join(sorted(FACT_NAMES))}")
    ops = [k for k in raw if k != "fact"]
    if len(ops) != 1 or ops[0] not in _OPS:
        raise RuleSetError(where, f"give exactly one operator of {', '.join(_OPS)} (found {', '.join(ops) or 'none'})")
    op, value = ops[0], raw[ops[0]]
    if isinstance(value, dict):
        if set(value) != {"param"} or value["param"] not in params:
            raise RuleSetError(f"{where}.{op}", f"{value!r}: a parameter reference is {{param: <name>}} with a name "
                                                f"from params ({', '.join(sorted(params)) or 'none defined'})")
    elif op == "is" and not isinstance(value, bool):
        raise RuleSetError(f"{where}.is", f"{value!r}: 'is' compares with true or false")
    elif op in ("in", "not_in") and not isinstance(value, list):
        raise RuleSetError(f"{where}.{op}", f"{value!r}: '{op}' takes a list, e.g. [5, 6, 7]")
    elif op in ("gte", "gt", "lte", "lt") and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise RuleSetError(f"{where}.{op}", f"{value!r}: '{op}' compares with a number")
    return Condition(fact, op, value)


def _texts(raw: Any, where: str, names: set[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or set(raw) != set(LANGS) or not all(isinstance(v, str) and v.strip()
                                                                       for v in raw.values()):
        raise RuleSetError(where, "give a non-empty text for both zh-CN and en")
    for lang, text in raw.items():
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        except ValueError as exc:
            raise RuleSetError(f"{where}.{lang}", f"broken placeholder ({exc}); write {{name}} or double the braces")
        unknown = used - names
        if unknown:
            raise RuleSetError(f"{where}.{lang}", f"unknown placeholder {', '.join(sorted(unknown))}; "
                                                  "use a fact or a parameter name")
    return dict(raw)


def _rule(raw: Any, where: str, params: Mapping[str, Any]) -> Rule:
    if not isinstance(raw, dict):
        raise RuleSetError(where, "a rule is a mapping with id, priority, when, next_module, text, client_text")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.isidentifier() or len(rule_id) > 64:
        raise RuleSetError(f"{where}.id", f"{rule_id!r}: give an id of letters, digits and _ (at most 64)")
    where = f"rule {rule_id}"
    unknown = set(raw) - {"id", "priority", "when", "next_module", "text", "client_text"}
    if unknown:
        raise RuleSetError(where, f"unknown field {', '.join(sorted(unknown))}; remove it or check its spelling")
    priority = raw.get("priority")
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise RuleSetError(f"{where}.priority", f"{priority!r}: give a whole number (lower is tried first)")
    when = raw.get("when")
    if not isinstance(when, list):
        raise RuleSetError(f"{where}.when", "give a list of conditions ([] for a rule that always holds)")
    if "next_module" not in raw:
        raise RuleSetError(f"{where}.next_module", "missing: give 1–7, null (path complete) or 'current' (stay)")
    module = raw["next_module"]
    if not (module is None or module == STAY or (type(module) is int and module in MODULES)):
        raise RuleSetError(f"{where}.next_module", f"{module!r}: give 1–7, null (path complete) or 'current' (stay)")
    names = set(FACT_NAMES) | set(params)
    return Rule(rule_id, priority, tuple(_condition(c, f"{where}.when[{i}]", params) for i, c in enumerate(when)),
                module, _texts(raw.get("text"), f"{where}.text", names),
                _texts(raw.get("client_text"), f"{where}.client_text", names))


def _params(raw: Any, where: str) -> dict[str, int | float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RuleSetError(f"{where} params", "params is a mapping of name: number")
    for name, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise RuleSetError(f"{where} params.{name}", f"{value!r}: give a number ≥ 0")
    return dict(raw)


def _finish(rules: Sequence[Rule], params: dict[str, int | float], source: str) -> RuleSet:
    if not any(not r.when and r.next_module == STAY for r in rules):
        raise RuleSetError(source, "the rules need a last rule with when: [] and next_module: current, so that "
                                   "every case gets an answer")
    return RuleSet(tuple(sorted(rules, key=lambda r: r.priority)), params, source)


def _check_keys(raw: Any, allowed: set[str], source: str) -> None:
    if not isinstance(raw, dict):
        raise RuleSetError(source, "a rule file is a mapping with version, params and rules")
    unknown = set(raw) - allowed
    if unknown:
        raise RuleSetError(source, f"unknown field {', '.join(sorted(unknown))}; use {', '.join(sorted(allowed))}")
    if raw.get("version") != 1:
        raise RuleSetError(f"{source} version", f"{raw.get('version')!r}: this engine reads version 1")


def _rules_list(raw: Any, source: str, params: Mapping[str, Any]) -> list[Rule]:
    if not isinstance(raw, list):
        raise RuleSetError(f"{source} rules", "rules is a list of rules")
    rules = [_rule(r, f"{source} rules[{i}]", params) for i, r in enumerate(raw)]
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise RuleSetError(f"rule {r.id}", "the id is used twice; give each rule its own id")
        seen.add(r.id)
    return rules


def parse_rule_set(raw: Any, source: str = "default") -> RuleSet:
    """The rule set of one parsed file (``version``, ``params``, ``rules``), validated."""
    _check_keys(raw, {"version", "params", "rules"}, source)
    params = _params(raw.get("params"), source)
    return _finish(_rules_list(raw.get("rules"), source, params), params, source)


def with_override(base: RuleSet, raw: Any, source: str) -> RuleSet:
    """``base`` changed by a province file: ``params`` merged, ``rules`` replacing those with the same
    id or added, rule ids under ``disabled`` removed."""
    _check_keys(raw, {"version", "params", "rules", "disabled"}, source)
    params = {**base.params, **_params(raw.get("params"), source)}
    disabled = raw.get("disabled") or []
    if not isinstance(disabled, list) or any(base.rule(d) is None for d in disabled):
        raise RuleSetError(f"{source} disabled", f"{disabled!r}: list ids of rules in {base.source}")
    new = {r.id: r for r in _rules_list(raw.get("rules") or [], source, params)}
    rules = [new.pop(r.id, r) for r in base.rules if r.id not in disabled] + list(new.values())
    # The base rules are re-read against the merged params: a changed threshold applies everywhere.
    return _finish(rules, params, f"{base.source}+{source}")


# --- the engine -------------------------------------------------------------------------------------

class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def _fill(text: str, values: Mapping[str, Any]) -> str:
    return string.Formatter().vformat(text, (), _Blank({k: "—" if v is None else v for k, v in values.items()}))


def propose(facts: CaseFacts, rules: RuleSet) -> Proposal:
    """The next module for ``facts`` under ``rules``: the first rule (by priority) whose conditions all
    hold. The rule set always ends with a rule that holds (validated), so there is always an answer."""
    values = facts.values()
    rule = next(r for r in rules.rules if all(c.holds(values, rules.params) for c in r.when))
    current = values["current_module"]
    module = current if rule.next_module == STAY else rule.next_module
    filled = {**rules.params, **values}
    return Proposal(
        next_module=module, rule_id=rule.id, facts_used={name: values[name] for name in rule.facts()},
        text_zh=_fill(rule.text["zh-CN"], filled), text_en=_fill(rule.text["en"], filled),
        client_text_zh=_fill(rule.client_text["zh-CN"], filled), client_text_en=_fill(rule.client_text["en"], filled),
        moves=module is not None and module != current)
