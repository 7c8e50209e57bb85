"""Reading the pathway rule files: ``matching/data/pathway_rules/default.yaml`` and, when the installation
sets ``PATHFIT_PATHWAY_PROVINCE``, the province file ``<province>.yaml`` next to it, which overrides the
default (matching.pathway.rules.with_override). Parsed once per process; a broken file raises
``RuleSetError`` naming the file, the rule and the field."""
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

import yaml

from matching.pathway.rules import RuleSet, RuleSetError, parse_rule_set, with_override


def rules_folder() -> Traversable:
    return resources.files("matching").joinpath("data", "pathway_rules")


def province_names() -> list[str]:
    """The provinces that ship a rule file (the file names without .yaml, default excluded)."""
    return sorted(p.name[:-5] for p in rules_folder().iterdir() if p.name.endswith(".yaml") and p.name != "default.yaml")


def _read(name: str) -> object:
    file = rules_folder().joinpath(f"{name}.yaml")
    try:
        return yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleSetError(f"{name}.yaml", f"not valid YAML ({exc})") from None


@lru_cache(maxsize=8)
def load_rule_set(province: str | None) -> RuleSet:
    """The rules in force for ``province`` (None: the default rules alone)."""
    rules = parse_rule_set(_read("default"), "default")
    if province is None:
        return rules
    if province not in province_names():
        raise RuleSetError(f"PATHFIT_PATHWAY_PROVINCE={province}",
                           f"no rule file {province}.yaml; use one of: {', '.join(province_names()) or 'none shipped'}"
                           " (or leave the setting empty for the default rules)")
    return with_override(rules, _read(province), province)
