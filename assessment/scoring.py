"""Scoring a session: answers → scale scores with SEs, norms, bands, validity flags and profiles.

This is the glue between the instrument definitions (``models.instrument``) and the scoring
primitives: IRT scales by EAP (``assessment.irt``; mirt's defaults, 61 points on [-6, 6], N(0, 1)),
Likert scales by the classical rules (``assessment.classical``), speeded tests as error-corrected
rates (``assessment.speeded``), norms (``assessment.norms``), validity indicators
(``assessment.validity``) and profiles (``assessment.profiles``).

Rules stated here, since they change what a score means:

- IRT scales: an item never shown, or shown and left unanswered, is *not administered* (NaN), not
  wrong: the online test cannot skip items, so an unanswered item is one the person did not reach.
  A θ is reported when at least ``MIN_IRT_ITEMS`` items were answered.
- Likert scales: scored when at least 80 % of the scale's items were answered (mean of the answered
  items, reverse-keyed ones as max + min − x). The SEM uses the norm group's SD and a reliability of
  ``ASSUMED_RELIABILITY`` until the centre's own data replace it (``assessment.psychometrics``).
- Speeded tests (P, Q): corrected score R − p·W (p the scale's ``wrong_penalty``) per minute of the
  time used (the time limit, or less when the person finished early). SEM from the norm SD and
  ``ASSUMED_RELIABILITY``.
- Composites (G): weighted mean of the parts' θ; SE = sqrt(Σ w²·SE²)/Σ w (independent errors).
- Validity: infrequency, inconsistency, long strings and fast responding make an instrument's results
  *not interpretable*; missing answers, low variance and acquiescence are warnings. Nobody is dropped.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from assessment.administration import is_correct
from assessment.classical import ScaleSpec, score_scales
from assessment.irt.models import ItemBank
from assessment.irt.scoring import eap
from assessment.norms import NormTable, convert_scores
from assessment.profiles import big_five_profile, holland_code, motivation_summary, rank_work_values
from assessment.speeded import rate_scores
from assessment.validity import ValidityConfig, check_validity, fast_responding, missing_share
from models.instrument import Composite, Instrument, InterpretationBand, NormGroups, NormRow, Scale
from models.result import (HollandProfile, InstrumentResult, MotivationProfile, NormedScore, Profiles,
                           ResultDocument, ScaleScore, ValidityFlag)

ENGINE_VERSION = "pathfit-scoring 0.1.0"
MIN_IRT_ITEMS = 5
MIN_LIKERT_SHARE = 0.8
ASSUMED_RELIABILITY = 0.80
Z95 = 1.959963984540054
INVALIDATING = {"infrequency", "inconsistency", "long_string", "fast_responding"}

RIASEC_SCALES = {"realistic": "R", "investigative": "I", "artistic": "A", "social": "S",
                 "enterprising": "E", "conventional": "C"}
BIG_FIVE_SCALES = {"openness": "O", "conscientiousness": "C", "extraversion": "E", "agreeableness": "A",
                   "emotional_stability": "ES"}
WORK_VALUE_SCALES = ("achievement", "working_conditions", "recognition", "relationships", "support",
                     "independence")
READINESS_SCALES = ("employment_commitment", "job_search_self_efficacy", "job_search_activity",
                    "readiness_to_change")

NOT_ENOUGH = {"zh-CN": "作答题目太少，无法计分。", "en": "Too few items were answered to give a score."}


@dataclass(frozen=True)
class PartAnswers:
    """What one person did in one part of a session.

    ``answers`` maps item id → answer as given (option id, Likert category "1".."k", same/different);
    ``times_ms`` the response time per item where known; ``minutes_used`` the working time of a speeded
    part (None on paper: the time limit is used).
    """

    instrument: Instrument
    mode: str
    item_ids: Sequence[str]
    answers: Mapping[str, str]
    times_ms: Mapping[str, int | None] = field(default_factory=dict)
    minutes_used: float | None = None


@dataclass(frozen=True)
class PersonFacts:
    """What norm groups need: age in whole years and the education code (``EducationLevel``)."""

    age: int | None
    education: str | None


@dataclass(frozen=True)
class Norming:
    """The norm groups and interpretation bands every instrument shares."""

    groups: NormGroups
    bands: Sequence[InterpretationBand]


# --------------------------------------------------------------------------------------------- norms
def _norm_table(rows: Sequence[NormRow]) -> NormTable:
    frame = pd.DataFrame([{"scale": r.scale, "age_band": r.group_age_band, "education": r.group_education,
                           "method": "normal", "mean": r.mean, "sd": r.sd, "n": r.n} for r in rows])
    frame[["age_band", "education"]] = frame[["age_band", "education"]].replace("all", "*")
    return NormTable(frame)


def _group(person: PersonFacts, norming: Norming) -> dict[str, str]:
    return {"age_band": norming.groups.age_band_of(person.age) if person.age is not None else "all",
            "education": norming.groups.education_group_of(person.education) if person.education else "all"}


def _normed(rows: Sequence[NormRow], provisional: bool, scale: str, raw: float, se: float,
            person: PersonFacts, norming: Norming) -> NormedScore | None:
    scale_rows = [r for r in rows if r.scale == scale]
    if not scale_rows:
        return None
    group = _group(person, norming)
    out = convert_scores(_norm_table(scale_rows), scale, [raw], se=se, groups=group).iloc[0]
    return NormedScore(t=float(out["t"]), t_ci=(float(out["t_low"]), float(out["t_high"])),
                       percentile=float(out["percentile"]),
                       percentile_ci=(float(out["percentile_low"]), float(out["percentile_high"])),
                       stanine=int(out["stanine"]), norm_group=group, norm_version=str(out["norm_version"]),
                       provisional=provisional)


def _reference_sd(rows: Sequence[NormRow], scale: str) -> float | None:
    """The whole-population SD of a scale (the 'all' × 'all' row), for the SEM."""
    for r in rows:
        if r.scale == scale and r.group_age_band == "all" and r.group_education == "all":
            return r.sd
    return None


def _band(t: float | None, norming: Norming) -> str | None:
    if t is None or not np.isfinite(t):
        return None
    return next((b.id for b in norming.bands if b.t_min <= t < b.t_max), norming.bands[-1].id)


def _interpretation(instrument_interpretations, scale: str, band: str | None) -> dict | None:
    for entry in instrument_interpretations:
        if entry.scale == scale and entry.band == band:
            return {"client": entry.client.root, "counsellor": entry.counsellor.root}
    return None


def _finish(score: ScaleScore, rows, provisional: bool, interpretations, person: PersonFacts,
            norming: Norming) -> ScaleScore:
    """Add norms, band and interpretation to a scored raw score."""
    if not score.scored or score.raw is None:
        return score
    normed = _normed(rows, provisional, score.scale_id, score.raw, score.se or 0.0, person, norming)
    band = _band(normed.t if normed else None, norming)
    return score.model_copy(update={"normed": normed, "band": band,
                                    "interpretation": _interpretation(interpretations, score.scale_id, band)})


# --------------------------------------------------------------------------------------------- scales
def _unscored(instrument: Instrument, scale: Scale, n_items: int, n_answered: int) -> ScaleScore:
    return ScaleScore(instrument_id=instrument.id, scale_id=scale.id, name=scale.name.root,
                      method=scale.scoring.method, scored=False, not_scored_reason=NOT_ENOUGH,
                      n_items=n_items, n_answered=n_answered)


def _irt_scale(part: PartAnswers, scale: Scale) -> ScaleScore:
    instrument = part.instrument
    items = [i for i in instrument.scale_items(scale.id) if i.id in set(part.item_ids) or part.mode == "adaptive"]
    answered = [i for i in items if i.id in part.answers]
    n_planned = len([i for i in items if i.id in set(part.item_ids)]) if part.mode != "adaptive" else len(answered)
    if len(answered) < MIN_IRT_ITEMS:
        return _unscored(instrument, scale, n_planned, len(answered))
    bank = ItemBank.dichotomous([i.parameters.a for i in answered], [i.parameters.b for i in answered],
                                [i.parameters.c or 0.0 for i in answered], [i.id for i in answered])
    x = np.array([[is_correct(i, part.answers[i.id]) for i in answered]], dtype=float)
    estimate = eap(x, bank)
    theta, se = float(estimate.theta[0]), float(estimate.se[0])
    rights = int(x.sum())
    return ScaleScore(instrument_id=instrument.id, scale_id=scale.id, name=scale.name.root, method="irt",
                      scored=True, raw=theta, se=se, ci=(theta - Z95 * se, theta + Z95 * se),
                      n_items=n_planned, n_answered=len(answered),
                      details={"rights": rights, "wrongs": len(answered) - rights})


def _likert_scales(part: PartAnswers, scales: Sequence[Scale]) -> list[ScaleScore]:
    instrument = part.instrument
    out = []
    for scale in scales:
        items = [i for i in instrument.scale_items(scale.id) if i.id in set(part.item_ids)]
        fmt = instrument.response_format_of(items[0]) if items else None
        answered = [i for i in items if i.id in part.answers]
        if not items or len(answered) < max(1, int(np.ceil(MIN_LIKERT_SHARE * len(items) - 1e-9))):
            out.append(_unscored(instrument, scale, len(items), len(answered)))
            continue
        row = pd.DataFrame([{i.id: float(part.answers[i.id]) if i.id in part.answers else np.nan for i in items}])
        sd_mean = _reference_sd(instrument.norms.rows if instrument.norms else [], scale.id)
        spec = ScaleSpec(scale.id, [i.id for i in items], {i.id for i in items if i.reverse}, 1.0, float(fmt.points),
                         min_answered=MIN_LIKERT_SHARE, reliability=ASSUMED_RELIABILITY,
                         sd_sum=(sd_mean or 1.0) * len(items))
        scored = score_scales(row, [spec]).scores[scale.id].iloc[0]
        mean, sem = float(scored["mean"]), float(scored["sem_mean"])
        out.append(ScaleScore(instrument_id=instrument.id, scale_id=scale.id, name=scale.name.root, method="mean",
                              scored=True, raw=mean, se=sem, ci=(float(scored["ci_low_mean"]),
                                                                 float(scored["ci_high_mean"])),
                              n_items=len(items), n_answered=len(answered)))
    return out


def _speeded_scale(part: PartAnswers, scale: Scale) -> ScaleScore:
    instrument = part.instrument
    items = [i for i in instrument.scale_items(scale.id) if i.id in set(part.item_ids)]
    answered = [i for i in items if i.id in part.answers]
    if not answered:
        return _unscored(instrument, scale, len(items), 0)
    rights = sum(is_correct(i, part.answers[i.id]) for i in answered)
    limit_minutes = instrument.time_limit.seconds / 60 if instrument.time_limit else 1.0
    minutes = min(part.minutes_used or limit_minutes, limit_minutes)
    penalty = scale.scoring.wrong_penalty
    n_options = int(round(1 / penalty)) + 1 if penalty > 0 else 2
    rates = rate_scores([rights], [len(answered) - rights], max(minutes, 0.05), n_options=n_options,
                        correction="formula" if penalty > 0 else "rights").iloc[0]
    rate = float(rates["rate"])
    sd = _reference_sd(instrument.norms.rows if instrument.norms else [], scale.id) or 1.0
    sem = sd * float(np.sqrt(1 - ASSUMED_RELIABILITY))
    return ScaleScore(instrument_id=instrument.id, scale_id=scale.id, name=scale.name.root,
                      method="rate_corrected", scored=True, raw=rate, se=sem, ci=(rate - Z95 * sem, rate + Z95 * sem),
                      n_items=len(items), n_answered=len(answered),
                      details={"rights": rights, "wrongs": len(answered) - rights, "minutes": round(minutes, 3),
                               "accuracy": float(rates["accuracy"])})


# --------------------------------------------------------------------------------------------- validity
def _validity(part: PartAnswers) -> list[ValidityFlag]:
    instrument = part.instrument
    shown = [i for i in instrument.items if i.id in set(part.item_ids)] if part.mode != "adaptive" else \
        [i for i in instrument.items if i.id in part.answers]
    if not shown:
        return []
    times = pd.DataFrame([{i.id: (part.times_ms.get(i.id) or np.nan) / 1000 for i in shown}])
    has_times = times.notna().any(axis=None)
    if instrument.kind == "aptitude":
        answered = pd.DataFrame([{i.id: 1.0 if i.id in part.answers else np.nan for i in shown}])
        result = missing_share(answered)
        if has_times:
            result = result + fast_responding(times, floor_seconds=1.0)
    else:
        fmt = instrument.response_formats[instrument.default_response_format]
        likert = [i for i in shown if instrument.response_format_of(i).kind == "likert"
                  and instrument.response_format_of(i).points == fmt.points]
        frame = pd.DataFrame([{i.id: float(part.answers[i.id]) if i.id in part.answers else np.nan for i in likert}])
        rules = [i for i in likert if i.validity is not None]
        ids = {i.id for i in likert}
        config = ValidityConfig(
            min_value=1.0, max_value=float(fmt.points),
            pairs=[(i.id, i.validity.pair_with, "opposite" if i.validity.opposite else "same") for i in rules
                   if i.validity.kind == "consistency" and i.validity.pair_with in ids],
            infrequency_items={i.id: i.validity.expected for i in rules if i.validity.kind == "infrequency"},
            reversed_pairs=[(i.id, i.validity.pair_with) for i in rules
                            if i.validity.kind == "consistency" and i.validity.opposite and i.validity.pair_with in ids],
        )
        result = check_validity(frame, config, times=times[list(frame.columns)] if has_times else None,
                                item_order=[i for i in part.item_ids if i in ids])
    return [ValidityFlag(instrument_id=instrument.id, code=f.code, value=f.value, threshold=f.threshold,
                         reason=f.reason, severity="invalid" if f.code in INVALIDATING else "warning")
            for f in result.flags]


# --------------------------------------------------------------------------------------------- session
def score_part(part: PartAnswers, person: PersonFacts, norming: Norming) -> InstrumentResult:
    """Score one instrument's answers: every scale, its norms and bands, and the validity checks."""
    instrument = part.instrument
    rows = instrument.norms.rows if instrument.norms else []
    norms_provisional = bool(instrument.norms and instrument.norms.provisional)
    likert = [s for s in instrument.scales if s.scoring.method == "mean"]
    scores = _likert_scales(part, likert) if likert else []
    for scale in instrument.scales:
        if scale.scoring.method == "irt":
            scores.append(_irt_scale(part, scale))
        elif scale.scoring.method == "rate_corrected":
            scores.append(_speeded_scale(part, scale))
    order = {s.id: k for k, s in enumerate(instrument.scales)}
    scores = sorted((_finish(s, rows, norms_provisional, instrument.interpretations, person, norming)
                     for s in scores), key=lambda s: order[s.scale_id])
    flags = _validity(part)
    return InstrumentResult(instrument_id=instrument.id, version=instrument.version, kind=instrument.kind,
                            mode=part.mode, provisional=instrument.provisional,
                            interpretable=not any(f.severity == "invalid" for f in flags), scales=scores,
                            validity=flags)


def score_composite(composite: Composite, results: Sequence[InstrumentResult], person: PersonFacts,
                    norming: Norming) -> ScaleScore | None:
    """A composite such as G from its parts' θ; None when a part was not taken or not scored."""
    by_key = {(s.instrument_id, s.scale_id): s for r in results for s in r.scales}
    parts = [(p, by_key.get((p.instrument, p.scale))) for p in composite.parts]
    if any(score is None or not score.scored for _, score in parts):
        return None
    weights = np.array([p.weight for p, _ in parts])
    theta = float(np.dot(weights, [s.raw for _, s in parts]) / weights.sum())
    se = float(np.sqrt(np.dot(weights ** 2, [s.se ** 2 for _, s in parts])) / weights.sum())
    score = ScaleScore(instrument_id="composite", scale_id=composite.id, name=composite.name.root, method="composite",
                       scored=True, raw=theta, se=se, ci=(theta - Z95 * se, theta + Z95 * se),
                       n_items=sum(s.n_items for _, s in parts), n_answered=sum(s.n_answered for _, s in parts))
    rows = composite.norms.rows if composite.norms else []
    return _finish(score, rows, bool(composite.norms and composite.norms.provisional), composite.interpretations,
                   person, norming)


def build_profiles(results: Sequence[InstrumentResult]) -> Profiles:
    """Holland code, Big Five bands, work-values ranking and motivation readiness from interpretable results."""
    scales = {s.scale_id: s for r in results if r.interpretable for s in r.scales if s.scored}
    profiles = Profiles()
    if all(name in scales for name in RIASEC_SCALES):
        raw = {letter: scales[name].raw for name, letter in RIASEC_SCALES.items()}
        code = holland_code(raw, tie_tolerance=0.05)
        profiles.holland = HollandProfile(code=code.code, tied_positions=list(code.tied_positions),
                                          differentiation=code.differentiation_range, consistency=code.consistency,
                                          scores=raw)
    big5 = {name: scales[name].normed.t for name in BIG_FIVE_SCALES if name in scales and scales[name].normed}
    if big5:
        frame = big_five_profile(big5)
        profiles.big_five = {k: {"t": round(float(v["t"]), 1), "band": v["band"],
                                 "label": {"zh-CN": v["band_zh"], "en": v["band_en"]}} for k, v in frame.iterrows()}
    values = {name: scales[name].raw for name in WORK_VALUE_SCALES if name in scales}
    if values:
        ranked = rank_work_values(values)
        profiles.work_values = [{"value": k, "score": round(float(v["score"]), 3), "rank": int(v["rank"])}
                                for k, v in ranked.iterrows()]
    readiness = {name: scales[name].normed.t for name in READINESS_SCALES if name in scales and scales[name].normed}
    if readiness:
        summary = motivation_summary(readiness)
        profiles.motivation = MotivationProfile(readiness=summary.level, readiness_text=summary.text,
                                                barriers=_barriers(results))
    return profiles


def _barriers(results: Sequence[InstrumentResult]) -> list[str]:
    """Barrier kinds the person rated as getting in the way a lot (recorded on the result by the API)."""
    for result in results:
        for score in result.scales:
            if score.scale_id == "perceived_barriers" and score.details:
                return sorted(k.removeprefix("barrier_") for k, v in score.details.items()
                              if k.startswith("barrier_") and v >= 4)
    return []


def score_session(parts: Sequence[PartAnswers], person: PersonFacts, norming: Norming,
                  composites: Sequence[Composite], *, person_id: str, session_id: str, battery_id: str,
                  scored_at: datetime) -> ResultDocument:
    """Score every part that has answers, the battery's composites, and the profiles."""
    results = [_with_barrier_details(part, score_part(part, person, norming)) for part in parts if part.answers]
    composite_scores = [s for c in composites if (s := score_composite(c, results, person, norming)) is not None]
    provisional = any(r.provisional for r in results) or any(
        s.normed.provisional for s in composite_scores if s.normed)
    return ResultDocument(person_id=person_id, session_id=session_id, battery_id=battery_id, scored_at=scored_at,
                          engine_version=ENGINE_VERSION, person_age=person.age, person_education=person.education,
                          instruments=results, composites=composite_scores, profiles=build_profiles(results),
                          provisional=provisional)


def _with_barrier_details(part: PartAnswers, result: InstrumentResult) -> InstrumentResult:
    """Keep each barrier item's rating (1–5) beside the barrier scale, so the report can name them."""
    scales = []
    for score in result.scales:
        if score.scale_id == "perceived_barriers" and score.scored:
            ratings = {f"barrier_{tag}": float(part.answers[item.id])
                       for item in part.instrument.scale_items("perceived_barriers") if item.id in part.answers
                       for tag in item.tags if tag != "barrier"}
            score = score.model_copy(update={"details": {**score.details, **ratings}})
        scales.append(score)
    return result.model_copy(update={"scales": scales})
