"""A simulated respondent, for the sample report, the report benchmark and the report tests.

The report must be shown on results that look like a real person's: careful answers that follow a
stated profile, not uniform noise (which trips the validity checks on every questionnaire). This
module answers a battery the way a person with a given profile would and scores it with the real
engine (``assessment.scoring.score_session``). It is never used to score a real person.

Answers: choice items are right with the 3PL probability P(θ) = c + (1 − c)/(1 + exp(−a(θ − b)))
(items without parameters: probability ``speeded_accuracy``); speeded parts attempt
``speeded_share`` of their items; Likert items sit at the scale's target level (mirrored when
reverse-keyed) and move one category with probability ``likert_noise``; validity items are answered
the way an attentive person does (infrequency items within the expected categories, consistency
items like their partner).
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from assessment.administration import allowed_answers, build_plan
from assessment.scoring import Norming, PartAnswers, PersonFacts, score_session
from models.instrument import Battery, Composite, Instrument, Item, NormGroups, InterpretationBand
from models.result import ResultDocument


@dataclass(frozen=True)
class SimulatedPerson:
    """A respondent profile. ``theta`` by aptitude instrument (logits); ``likert`` target level 1–5 by
    scale id (scales not named sit at 3); ``careless`` answers every questionnaire at random."""

    theta: Mapping[str, float] = field(default_factory=dict)
    likert: Mapping[str, float] = field(default_factory=dict)
    speeded_share: float = 0.9
    speeded_accuracy: float = 0.85
    likert_noise: float = 0.2
    careless: bool = False
    age: int = 38
    education: str = "junior_secondary"


SAMPLE_PERSON = SimulatedPerson(
    theta={"aptitude-v": 0.1, "aptitude-n": -0.3, "aptitude-s": 1.3},
    likert={"realistic": 4.4, "investigative": 3.0, "artistic": 2.0, "social": 2.6, "enterprising": 2.2,
            "conventional": 4.0, "extraversion": 2.4, "agreeableness": 4.0, "conscientiousness": 4.6,
            "emotional_stability": 3.6, "openness": 2.8, "achievement": 3.8, "working_conditions": 4.8,
            "recognition": 3.0, "relationships": 3.8, "support": 4.4, "independence": 2.4,
            "employment_commitment": 4.4, "job_search_self_efficacy": 3.2, "job_search_activity": 2.6,
            "readiness_to_change": 4.0, "perceived_barriers": 2.0},
)
"""The person of the committed sample report: practical and orderly interests, good spatial ability."""

BARRIER_TARGETS = {"BR3": 4, "BR4": 4}  # the sample person names transport and missing skills


def _p_correct(item: Item, theta: float, default: float) -> float:
    par = item.parameters
    if par is None or par.b is None:
        return default
    c = par.c or 0.0
    return c + (1 - c) / (1 + math.exp(-par.a * (theta - par.b)))


def _likert(item: Item, person: SimulatedPerson, instrument: Instrument, rng: random.Random,
            given: Mapping[str, str]) -> str:
    points = instrument.response_format_of(item).points
    rule = item.validity
    if rule is not None and rule.kind == "infrequency":
        return str(rng.choice(rule.expected))
    if rule is not None and rule.kind == "consistency" and rule.pair_with in given:
        partner = int(given[rule.pair_with])
        return str(points + 1 - partner if rule.opposite else partner)
    level = person.likert.get(item.scale or "", 3.0)
    if item.id in BARRIER_TARGETS and item.scale == "perceived_barriers" and person is SAMPLE_PERSON:
        level = BARRIER_TARGETS[item.id]
    if item.reverse:
        level = points + 1 - level
    if rng.random() < person.likert_noise:
        level += rng.choice((-1, 1))
    return str(int(min(points, max(1, round(level)))))


def answer_part(instrument: Instrument, item_ids: list[str], mode: str, person: SimulatedPerson,
                rng: random.Random) -> tuple[list[str], dict[str, str]]:
    """The items shown and the answers given for one part."""
    items = [instrument.item(i) for i in item_ids]
    theta = person.theta.get(instrument.id, 0.0)
    if instrument.kind == "aptitude":
        if mode == "adaptive":  # a CAT shows items near θ; the 20 closest in difficulty stand in for it
            items = sorted(items, key=lambda it: abs((it.parameters.b if it.parameters else 0.0) - theta))[:20]
        elif instrument.time_limit and instrument.time_limit.speeded:
            items = items[:max(1, int(len(items) * person.speeded_share))]
        answers = {}
        for it in items:
            options = allowed_answers(instrument, it)
            if rng.random() < _p_correct(it, theta, person.speeded_accuracy) and it.key:
                answers[it.id] = it.key
            else:
                answers[it.id] = rng.choice([o for o in options if o != it.key] or options)
        return [it.id for it in items], answers
    answers: dict[str, str] = {}
    ordered = sorted(items, key=lambda it: it.validity is not None and it.validity.kind == "consistency")
    for it in ordered:
        answers[it.id] = (rng.choice(allowed_answers(instrument, it)) if person.careless
                          else _likert(it, person, instrument, rng, answers))
    return [it.id for it in items], answers


def simulate_result(battery: Battery, instruments: Mapping[str, Instrument], composites: Mapping[str, Composite],
                    norm_groups: NormGroups, bands: Iterable[InterpretationBand], *,
                    person: SimulatedPerson = SAMPLE_PERSON, only: Iterable[str] | None = None, seed: int = 7,
                    scored_at: datetime | None = None, person_id: str = "p_sample",
                    session_id: str = "s_sample") -> ResultDocument:
    """Score ``battery`` as answered by ``person``. ``only`` keeps just those instrument ids (a
    partial battery: the other parts were not taken)."""
    rng = random.Random(seed)
    keep = set(only) if only is not None else None
    parts = []
    for plan in build_plan(battery, instruments):
        if keep is not None and plan.instrument_id not in keep:
            continue
        instrument = instruments[plan.instrument_id]
        shown, answers = answer_part(instrument, list(plan.item_ids), plan.mode, person, rng)
        times = {i: 6000 for i in shown}
        minutes = instrument.time_limit.seconds / 60 if instrument.time_limit else None
        parts.append(PartAnswers(instrument, plan.mode, shown if plan.mode == "adaptive" else plan.item_ids,
                                 answers, times, minutes))
    return score_session(parts, PersonFacts(person.age, person.education), Norming(norm_groups, tuple(bands)),
                         [composites[c] for c in battery.composites], person_id=person_id, session_id=session_id,
                         battery_id=battery.id, scored_at=scored_at or datetime.now(timezone.utc))
