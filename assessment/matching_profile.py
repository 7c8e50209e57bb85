"""From a scored result to the scores the matcher reads (``models.profile``).

Only interpretable instruments contribute (an invalid profile must not steer job advice). Mapping:
aptitudes V, N, S, P, Q and the composite G as T-scores with their SE in T points (half the 95 % CI
width / 1.96); RIASEC as the six scale means (1–5); Big Five as T-scores, with N = 100 − T(emotional
stability) since the inventory scores the stable pole; the six work values as means (1–5).
"""
from models.profile import AptitudeScores, BigFiveScores, RiasecScores, TScore, WorkValueScores
from models.result import ResultDocument, ScaleScore

Z95 = 1.959963984540054
APTITUDE_SCALES = {"V": "V", "N": "N", "S": "S", "P": "P", "Q": "Q", "G": "G"}
RIASEC = {"realistic": "R", "investigative": "I", "artistic": "A", "social": "S", "enterprising": "E",
          "conventional": "C"}
BIG_FIVE = {"openness": "O", "conscientiousness": "C", "extraversion": "E", "agreeableness": "A"}
WORK_VALUES = ("achievement", "working_conditions", "recognition", "relationships", "support", "independence")


def _scales(document: ResultDocument) -> dict[str, ScaleScore]:
    usable = {s.scale_id: s for r in document.instruments if r.interpretable for s in r.scales if s.scored}
    usable.update({s.scale_id: s for s in document.composites if s.scored})
    return usable


def _t(score: ScaleScore) -> TScore | None:
    if score.normed is None:
        return None
    low, high = score.normed.t_ci
    return TScore(t=min(max(score.normed.t, 0.0), 100.0), se=min(max((high - low) / (2 * Z95), 0.5), 30.0))


def _clip(value: float, low: float = 1.0, high: float = 5.0) -> float:
    return min(max(value, low), high)


def matching_scores(document: ResultDocument) -> dict:
    """Keyword arguments for ``Profile.from_person``: aptitudes, interests, big_five, work_values (each or None)."""
    scales = _scales(document)
    aptitudes = {code: _t(scales[sid]) for sid, code in APTITUDE_SCALES.items() if sid in scales}
    aptitudes = {k: v for k, v in aptitudes.items() if v is not None}
    interests = {code: _clip(scales[sid].raw) for sid, code in RIASEC.items() if sid in scales}
    big_five = {code: scales[sid].normed.t for sid, code in BIG_FIVE.items() if sid in scales and scales[sid].normed}
    stability = scales.get("emotional_stability")
    if stability is not None and stability.normed is not None:
        big_five["N"] = 100.0 - stability.normed.t
    values = {name: _clip(scales[name].raw) for name in WORK_VALUES if name in scales}
    return {
        "aptitudes": AptitudeScores(**aptitudes) if aptitudes else None,
        "interests": RiasecScores(**interests) if len(interests) == 6 else None,
        "big_five": BigFiveScores(**{k: min(max(v, 0.0), 100.0) for k, v in big_five.items()})
        if len(big_five) == 5 else None,
        "work_values": WorkValueScores(**values) if len(values) == 6 else None,
    }
