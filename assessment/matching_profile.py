"""From a scored result to the scores the matcher reads (``models.profile``).

Only interpretable instruments contribute (an invalid profile must not steer job advice), and a
composite (G) only when every instrument it is built on is interpretable.

The matcher reads population-referenced scores, never the age × education norms the report uses,
so that the same performance at 25 and at 58 (or with and without a degree) gives the same
ranking and education is not counted twice (it is an eligibility and practical-fit fact):

- IRT-scored scales (V, N, S): T = 50 + 10·θ, SE = 10·SE(θ); θ is on the calibration population's
  metric (mean 0, SD 1 by identification).
- Other scales (rate-corrected P and Q, the G composite, mean-scored inventories): against the
  norm table's all-ages, all-education row (``population`` (instrument id, scale id) → (mean, sd)):
  T = 50 + 10·(raw − mean)/sd, SE = 10·SE(raw)/sd.
- A scale with neither (no population row given) is left out rather than read on a group norm.

Mapping: aptitudes V, N, S, P, Q, G as T with SE; RIASEC as the six scale means (1–5); Big Five as
T, with N = 100 − T(emotional stability) since the inventory scores the stable pole; the six work
values as means (1–5).
"""
from collections.abc import Mapping

from models.profile import AptitudeScores, BigFiveScores, RiasecScores, TScore, WorkValueScores
from models.result import ResultDocument, ScaleScore

APTITUDE_SCALES = {"V": "V", "N": "N", "S": "S", "P": "P", "Q": "Q", "G": "G"}
RIASEC = {"realistic": "R", "investigative": "I", "artistic": "A", "social": "S", "enterprising": "E",
          "conventional": "C"}
BIG_FIVE = {"openness": "O", "conscientiousness": "C", "extraversion": "E", "agreeableness": "A"}
WORK_VALUES = ("achievement", "working_conditions", "recognition", "relationships", "support", "independence")


Population = Mapping[tuple[str, str], tuple[float, float]]


def _scales(document: ResultDocument) -> dict[str, ScaleScore]:
    usable = {s.scale_id: s for r in document.instruments if r.interpretable for s in r.scales if s.scored}
    # A composite is built on its parts' θ, so one invalid part makes it unusable; composites do
    # not list their parts in the document, so any flagged aptitude instrument withholds them.
    flagged = any(not r.interpretable and r.kind == "aptitude" for r in document.instruments)
    if not flagged:
        usable.update({s.scale_id: s for s in document.composites if s.scored})
    return usable


def population_t(score: ScaleScore, population: Population | None) -> tuple[float, float] | None:
    """(T, SE in T points) of ``score`` on the population metric, or None (see module note)."""
    if score.raw is None or score.se is None:
        return None
    if score.method == "irt":
        return 50.0 + 10.0 * score.raw, 10.0 * score.se
    row = (population or {}).get((score.instrument_id, score.scale_id))
    if row is None:
        return None
    mean, sd = row
    return 50.0 + 10.0 * (score.raw - mean) / sd, 10.0 * score.se / sd


def _t(score: ScaleScore, population: Population | None) -> TScore | None:
    pt = population_t(score, population)
    if pt is None:
        return None
    t, se = pt
    return TScore(t=min(max(t, 0.0), 100.0), se=min(max(se, 0.5), 30.0))


def _clip(value: float, low: float = 1.0, high: float = 5.0) -> float:
    return min(max(value, low), high)


def matching_scores(document: ResultDocument, population: Population | None = None) -> dict:
    """Keyword arguments for ``Profile.from_person``: aptitudes, interests, big_five, work_values
    (each or None), on the population metric. ``population``: the all/all norm rows,
    (instrument id, scale id) → (mean, sd)."""
    scales = _scales(document)
    aptitudes = {code: _t(scales[sid], population) for sid, code in APTITUDE_SCALES.items() if sid in scales}
    aptitudes = {k: v for k, v in aptitudes.items() if v is not None}
    interests = {code: _clip(scales[sid].raw) for sid, code in RIASEC.items() if sid in scales}
    big_five = {code: t.t for sid, code in BIG_FIVE.items() if sid in scales
                and (t := _t(scales[sid], population)) is not None}
    stability = scales.get("emotional_stability")
    if stability is not None and (t := _t(stability, population)) is not None:
        big_five["N"] = 100.0 - t.t
    values = {name: _clip(scales[name].raw) for name in WORK_VALUES if name in scales}
    return {
        "aptitudes": AptitudeScores(**aptitudes) if aptitudes else None,
        "interests": RiasecScores(**interests) if len(interests) == 6 else None,
        "big_five": BigFiveScores(**{k: min(max(v, 0.0), 100.0) for k, v in big_five.items()})
        if len(big_five) == 5 else None,
        "work_values": WorkValueScores(**values) if len(values) == 6 else None,
    }
