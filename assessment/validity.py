"""Response-validity indicators for questionnaire data: they flag with a reason, they never drop anyone.

Indicators (Curran 2016, *J. Exp. Soc. Psychol.* 66, "Methods for the detection of carelessly invalid
responses"; Meade & Craig 2012, *Psychol. Methods* 17; Paulhus 1991 for acquiescence):

- ``missing`` — share of items left unanswered;
- ``long_string`` — longest run of identical consecutive answers in presentation order (Johnson 2005);
- ``low_variance`` — within-person SD of the answers (intra-individual response variability);
- ``inconsistency`` — mean absolute disagreement across item pairs that should agree, after reversing the
  second item of opposite-keyed pairs, as a share of the response range (0 = perfectly consistent, 1 =
  maximally contradictory; a psychometric-synonym/antonym index in the spirit of Meade & Craig);
- ``infrequency`` — number of infrequency ("bogus") items not answered as virtually everyone does;
- ``fast_responding`` — share of answered items with a response time below a floor (default 1 s/item;
  Huang et al. 2012 suggest 2 s/item for whole pages);
- ``acquiescence`` — share of opposite-pole item pairs on which the person *agrees with both* poles.

Each function returns a :class:`ValidityResult`: the indicator value per person (a DataFrame column) and a
list of :class:`ValidityFlag` with a machine code and a reason in zh-CN and en. Thresholds are parameters;
the defaults are conventional screening values, to be reviewed by the centre's psychologist.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from assessment.psychometrics._frame import check_columns, numeric_frame

_REASONS: dict[str, dict[str, str]] = {
    "missing": {
        "zh-CN": "未作答题目比例为 {value:.0%}，超过 {threshold:.0%}，分数可能不完整。",
        "en": "{value:.0%} of the items were left unanswered (more than {threshold:.0%}); scores may be incomplete."},
    "long_string": {
        "zh-CN": "连续 {value:.0f} 题选择了相同答案（阈值 {threshold:.0f} 题），可能未认真作答。",
        "en": "The same answer was given to {value:.0f} consecutive items (threshold {threshold:.0f}); "
              "possible careless responding."},
    "low_variance": {
        "zh-CN": "个人作答标准差为 {value:.2f}，低于 {threshold:.2f}，答案几乎没有变化。",
        "en": "The answers barely vary (within-person SD {value:.2f}, below {threshold:.2f})."},
    "inconsistency": {
        "zh-CN": "意义相同或相反的成对题目之间不一致程度为 {value:.0%}，超过 {threshold:.0%}。",
        "en": "Paired items that should agree disagree by {value:.0%} of the response range "
              "(more than {threshold:.0%})."},
    "infrequency": {
        "zh-CN": "有 {value:.0f} 道检测题的回答与几乎所有人不同（允许 {threshold:.0f} 道），可能随意作答或未读题。",
        "en": "{value:.0f} attention-check items were answered unlike almost everyone else (allowed "
              "{threshold:.0f}); possible random responding or not reading the items."},
    "fast_responding": {
        "zh-CN": "{value:.0%} 的题目作答时间过短（超过 {threshold:.0%}），可能未阅读题目。",
        "en": "{value:.0%} of the items were answered implausibly fast (more than {threshold:.0%}); "
              "the items may not have been read."},
    "acquiescence": {
        "zh-CN": "在 {value:.0%} 的正反向成对题目上同时表示同意（超过 {threshold:.0%}），存在默认同意倾向。",
        "en": "Agreed with both opposite statements on {value:.0%} of the reversed pairs (more than "
              "{threshold:.0%}); acquiescent responding."},
}


@dataclass(frozen=True)
class ValidityFlag:
    """One flag on one person.

    Attributes
    ----------
    person : hashable
        The person's row label.
    code : str
        Machine code: ``missing``, ``long_string``, ``low_variance``, ``inconsistency``, ``infrequency``,
        ``fast_responding`` or ``acquiescence``.
    value, threshold : float
        The indicator value and the threshold it crossed (units as in the module docstring).
    reason : dict[str, str]
        Human-readable reason, keys ``"zh-CN"`` and ``"en"``.
    """

    person: Hashable
    code: str
    value: float
    threshold: float
    reason: dict[str, str]

    def text(self, lang: str = "zh-CN") -> str:
        """The reason in ``lang`` (``zh-CN`` default, or ``en``)."""
        return self.reason.get(lang, self.reason["zh-CN"])


@dataclass(frozen=True)
class ValidityResult:
    """Indicator values per person (``indicators``) and the flags raised (``flags``); no one is removed."""

    indicators: pd.DataFrame
    flags: list[ValidityFlag] = field(default_factory=list)

    def flags_frame(self) -> pd.DataFrame:
        """Flags as a table: person, code, value, threshold, reason_zh, reason_en."""
        return pd.DataFrame([{"person": f.person, "code": f.code, "value": f.value, "threshold": f.threshold,
                              "reason_zh": f.reason["zh-CN"], "reason_en": f.reason["en"]} for f in self.flags],
                            columns=["person", "code", "value", "threshold", "reason_zh", "reason_en"])

    def flagged(self, person: Hashable) -> list[str]:
        """Codes raised for one person."""
        return [f.code for f in self.flags if f.person == person]

    def __add__(self, other: ValidityResult) -> ValidityResult:
        return ValidityResult(pd.concat([self.indicators, other.indicators], axis=1), self.flags + other.flags)


def _flag(code: str, person: Hashable, value: float, threshold: float) -> ValidityFlag:
    reason = {lang: tpl.format(value=value, threshold=threshold) for lang, tpl in _REASONS[code].items()}
    return ValidityFlag(person, code, float(value), float(threshold), reason)


def _result(code: str, values: pd.Series, threshold: float, above: bool = True,
            inclusive: bool = False) -> ValidityResult:
    if above:
        hit = values >= threshold if inclusive else values > threshold
    else:
        hit = values < threshold
    flags = [_flag(code, p, v, threshold) for p, v in values[hit.fillna(False)].items()]
    return ValidityResult(values.rename(code).to_frame(), flags)


def _responses(responses: pd.DataFrame | np.ndarray, what: str = "responses") -> pd.DataFrame:
    return numeric_frame(responses, what=what, min_rows=1, reject_constant=False)


def missing_share(responses: pd.DataFrame, max_share: float = 0.2) -> ValidityResult:
    """Share of unanswered items per person (0…1); flagged above ``max_share``."""
    x = _responses(responses)
    return _result("missing", x.isna().mean(axis=1), max_share)


def _longest_run(row: np.ndarray) -> int:
    best = run = 0
    prev = np.nan
    for v in row:
        if np.isnan(v):
            run, prev = 0, np.nan  # an unanswered item breaks a run
            continue
        run = run + 1 if v == prev else 1
        prev = v
        best = max(best, run)
    return best


def long_string(responses: pd.DataFrame, max_run: int | None = None) -> ValidityResult:
    """Longest run of identical consecutive answers (items in column order); flagged at ≥ ``max_run``.

    Default ``max_run`` = max(6, half the number of items).
    """
    x = _responses(responses)
    threshold = max_run if max_run is not None else max(6, int(np.ceil(x.shape[1] / 2)))
    runs = pd.Series([_longest_run(r) for r in x.to_numpy()], index=x.index, dtype=float)
    return _result("long_string", runs, threshold, inclusive=True)


def low_variance(responses: pd.DataFrame, min_sd: float = 0.3, min_answered: int = 5) -> ValidityResult:
    """Within-person SD of the answers (response units); flagged below ``min_sd``.

    Persons with fewer than ``min_answered`` answers get NaN (too few to judge) and no flag.
    """
    x = _responses(responses)
    sd = x.std(axis=1, ddof=0).where(x.notna().sum(axis=1) >= min_answered)
    return _result("low_variance", sd, min_sd, above=False)


def inconsistency(responses: pd.DataFrame, pairs: Sequence[tuple[str, str, Literal["same", "opposite"]]],
                  min_value: float, max_value: float, max_share: float = 0.4) -> ValidityResult:
    """Mean absolute disagreement over item pairs, as a share of the response range (0…1).

    Parameters
    ----------
    pairs : sequence of (item_a, item_b, "same" | "opposite")
        ``same``: both items keyed the same way; ``opposite``: item_b is reversed before comparing.
    min_value, max_value : float
        Response range (e.g. 1 and 5).
    max_share : float
        Flag when the disagreement exceeds this share of the range.
    """
    x = _responses(responses)
    if not pairs:
        raise ValueError("inconsistency: give at least one (item_a, item_b, 'same'|'opposite') pair.")
    check_columns(x, [p[0] for p in pairs] + [p[1] for p in pairs], what="inconsistency pairs")
    diffs = []
    for a, b, kind in pairs:
        if kind not in ("same", "opposite"):
            raise ValueError(f"inconsistency pair ({a!r}, {b!r}): kind {kind!r} must be 'same' or 'opposite'.")
        xb = x[b] if kind == "same" else max_value + min_value - x[b]
        diffs.append((x[a] - xb).abs() / (max_value - min_value))
    value = pd.concat(diffs, axis=1).mean(axis=1, skipna=True)
    return _result("inconsistency", value, max_share)


def infrequency(responses: pd.DataFrame, expected: Mapping[str, float | Iterable[float]],
                max_misses: int = 1) -> ValidityResult:
    """Count of infrequency items not answered as expected; flagged above ``max_misses``.

    ``expected`` maps each infrequency item to the acceptable answer (or answers). An unanswered
    infrequency item is not counted as a miss (missingness has its own indicator).
    """
    x = _responses(responses)
    if not expected:
        raise ValueError("infrequency: give at least one item with its expected answer(s).")
    check_columns(x, list(expected), what="infrequency items")
    misses = pd.Series(0.0, index=x.index)
    for item, ok in expected.items():
        ok_set = [float(ok)] if np.isscalar(ok) else [float(v) for v in ok]
        answered = x[item].notna()
        misses += (answered & ~x[item].isin(ok_set)).astype(float)
    return _result("infrequency", misses, max_misses)


def fast_responding(times: pd.DataFrame, floor_seconds: float = 1.0, max_share: float = 0.25) -> ValidityResult:
    """Share of answered items with a response time below ``floor_seconds`` (times in seconds, NaN = none)."""
    t = _responses(times, what="response times")
    if (t < 0).any().any():
        col = t.columns[(t < 0).any().to_numpy()][0]
        raise ValueError(f"response times: column {col!r} has a negative time; times are seconds ≥ 0.")
    answered = t.notna().sum(axis=1)
    share = (t < floor_seconds).sum(axis=1) / answered.where(answered > 0)
    return _result("fast_responding", share, max_share)


def acquiescence(responses: pd.DataFrame, reversed_pairs: Sequence[tuple[str, str]], agree_at: float,
                 max_share: float = 0.5) -> ValidityResult:
    """Share of opposite-pole pairs (raw, un-reversed answers) where both answers are ≥ ``agree_at``.

    E.g. on a 1–5 agree scale with ``agree_at=4``, agreeing with both "I like crowds" and "I avoid
    crowds" counts. Flagged above ``max_share`` of the answered pairs.
    """
    x = _responses(responses)
    if not reversed_pairs:
        raise ValueError("acquiescence: give at least one (item, opposite_item) pair.")
    check_columns(x, [a for a, _ in reversed_pairs] + [b for _, b in reversed_pairs], what="acquiescence pairs")
    both, answered = pd.Series(0.0, index=x.index), pd.Series(0.0, index=x.index)
    for a, b in reversed_pairs:
        ok = x[a].notna() & x[b].notna()
        answered += ok.astype(float)
        both += (ok & (x[a] >= agree_at) & (x[b] >= agree_at)).astype(float)
    return _result("acquiescence", both / answered.where(answered > 0), max_share)


@dataclass(frozen=True)
class ValidityConfig:
    """Which indicators to compute for an instrument, with their parameters (None = not applicable)."""

    min_value: float = 1.0
    max_value: float = 5.0
    max_missing_share: float = 0.2
    max_run: int | None = None
    min_sd: float | None = 0.3
    pairs: Sequence[tuple[str, str, str]] = ()
    max_inconsistency: float = 0.4
    infrequency_items: Mapping[str, float | Iterable[float]] = field(default_factory=dict)
    max_infrequency_misses: int = 1
    floor_seconds: float = 1.0
    max_fast_share: float = 0.25
    reversed_pairs: Sequence[tuple[str, str]] = ()
    agree_at: float | None = None
    max_acquiescence: float = 0.5


def check_validity(responses: pd.DataFrame, config: ValidityConfig = ValidityConfig(),
                   times: pd.DataFrame | None = None, item_order: Sequence[str] | None = None) -> ValidityResult:
    """Run every applicable indicator for one or many response sets.

    Parameters
    ----------
    responses : DataFrame, persons × items (one row = one response set)
    config : ValidityConfig
    times : DataFrame, persons × items, optional
        Per-item response times in seconds.
    item_order : sequence of str, optional
        Presentation order for the long-string index (default: column order).
    """
    x = _responses(responses)
    ordered = x[list(item_order)] if item_order is not None else x
    result = missing_share(x, config.max_missing_share) + long_string(ordered, config.max_run)
    if config.min_sd is not None:
        result = result + low_variance(x, config.min_sd)
    if config.pairs:
        result = result + inconsistency(x, config.pairs, config.min_value, config.max_value,
                                        config.max_inconsistency)
    if config.infrequency_items:
        result = result + infrequency(x, config.infrequency_items, config.max_infrequency_misses)
    if times is not None:
        result = result + fast_responding(times, config.floor_seconds, config.max_fast_share)
    if config.reversed_pairs:
        agree_at = config.agree_at if config.agree_at is not None else (
            config.min_value + config.max_value) / 2 + 0.5
        result = result + acquiescence(x, config.reversed_pairs, agree_at, config.max_acquiescence)
    return result
