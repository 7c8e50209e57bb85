"""Score profiles: Holland (RIASEC) codes and congruence, Big Five bands, work values, motivation readiness.

Sources:

- Holland (1997), *Making Vocational Choices*, 3rd ed.: three-letter code, hexagon R–I–A–S–E–C, consistency
  of the first two letters (adjacent = high, alternate = medium, opposite = low).
- Differentiation: range (highest − lowest, Holland 1985) and Iachan's (1984b) index
  X₁ − (X₂ + X₄)/2; the SD of the six scores is reported as a third, scale-free-of-order index.
- Congruence of two codes: Iachan (1984a) M index with the position weights
  [[22, 10, 4], [10, 5, 2], [4, 2, 1]] (range 0–28); Brown & Gore (1994) C index 3·s₁ + 2·s₂ + s₃ with
  s = 3 same, 2 adjacent, 1 alternate, 0 opposite (range 0–18); profile correlation (shape) and
  Euclidean distance (shape and level) across the six scores.
- Big Five bands on T-scores as the NEO-PI-R manual (Costa & McCrae 1992): very low ≤ 34, low 35–44,
  average 45–55, high 56–65, very high ≥ 66.

Tie rule for Holland codes: letters whose scores differ by at most ``tie_tolerance`` are tied; tied letters
are ordered by the hexagon order R, I, A, S, E, C (a fixed, documented convention), and the result says
which positions were decided by a tie so the counsellor can read the alternative codes.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

RIASEC = "RIASEC"
IACHAN_WEIGHTS = np.array([[22, 10, 4], [10, 5, 2], [4, 2, 1]])
_CONSISTENCY = {1: "high", 2: "medium", 3: "low"}
_CONSISTENCY_ZH = {"high": "高", "medium": "中", "low": "低"}


def _riasec_scores(scores: Mapping[str, float] | pd.Series) -> np.ndarray:
    s = dict(scores)
    missing = [c for c in RIASEC if c not in s]
    if missing:
        raise ValueError(f"RIASEC scores: letters {missing} are missing; give a score for each of R, I, A, S, E, C.")
    out = np.array([float(s[c]) for c in RIASEC])
    if np.isnan(out).any():
        raise ValueError("RIASEC scores: a score is missing (NaN); the Holland code needs all six.")
    return out


def hexagon_distance(a: str, b: str) -> int:
    """Steps between two RIASEC types on the hexagon: 0 same, 1 adjacent, 2 alternate, 3 opposite."""
    for t in (a, b):
        if t not in RIASEC or len(t) != 1:
            raise ValueError(f"{t!r} is not a RIASEC letter (R, I, A, S, E or C).")
    d = abs(RIASEC.index(a) - RIASEC.index(b))
    return min(d, 6 - d)


@dataclass(frozen=True)
class HollandCode:
    """A Holland code with its indices.

    Attributes
    ----------
    code : str
        Three (or ``n_letters``) letters, highest first.
    tied_positions : tuple[int, ...]
        0-based positions whose letter was chosen by the tie rule.
    differentiation_range, differentiation_iachan, differentiation_sd : float
        In the scores' units.
    consistency : str
        ``high`` (first two letters adjacent), ``medium`` (alternate) or ``low`` (opposite).
    """

    code: str
    tied_positions: tuple[int, ...]
    differentiation_range: float
    differentiation_iachan: float
    differentiation_sd: float
    consistency: str

    @property
    def consistency_zh(self) -> str:
        return _CONSISTENCY_ZH[self.consistency]


def holland_code(scores: Mapping[str, float] | pd.Series, n_letters: int = 3,
                 tie_tolerance: float = 0.0) -> HollandCode:
    """Holland code, differentiation and consistency from six RIASEC scores (any common metric).

    Examples
    --------
    >>> holland_code({"R": 10, "I": 30, "A": 12, "S": 25, "E": 25, "C": 5}).code
    'ISE'
    """
    if not 2 <= n_letters <= 6:
        raise ValueError(f"n_letters={n_letters}: a Holland code has 2 to 6 letters (usually 3).")
    x = _riasec_scores(scores)
    order = sorted(range(6), key=lambda i: (-x[i], i))  # ties → hexagon order R,I,A,S,E,C
    code = "".join(RIASEC[i] for i in order[:n_letters])
    tied = tuple(pos for pos in range(n_letters)
                 if any(abs(x[order[pos]] - x[j]) <= tie_tolerance for j in range(6) if j != order[pos]))
    srt = x[order]
    return HollandCode(code=code, tied_positions=tied,
                       differentiation_range=float(srt[0] - srt[-1]),
                       differentiation_iachan=float(srt[0] - (srt[1] + srt[3]) / 2),
                       differentiation_sd=float(np.std(x)),
                       consistency=_CONSISTENCY[hexagon_distance(code[0], code[1])])


def _check_code(code: str, what: str) -> str:
    code = code.strip().upper()
    if not code or any(c not in RIASEC for c in code) or len(set(code)) != len(code):
        raise ValueError(f"{what}: {code!r} is not a Holland code (distinct letters from R, I, A, S, E, C).")
    return code


def iachan_m(person: str, environment: str) -> int:
    """Iachan (1984) M index of agreement between two three-letter codes, 0 (none) … 28 (identical)."""
    p, e = _check_code(person, "person code"), _check_code(environment, "environment code")
    if len(p) != 3 or len(e) != 3:
        raise ValueError("iachan_m: both codes must have three letters.")
    return int(sum(IACHAN_WEIGHTS[i, e.index(c)] for i, c in enumerate(p) if c in e))


def brown_gore_c(person: str, environment: str) -> int:
    """Brown & Gore (1994) C index, 0 … 18: Σ wᵢ·(3 − hexagon distance of the i-th letters), w = 3, 2, 1."""
    p, e = _check_code(person, "person code"), _check_code(environment, "environment code")
    if len(p) != 3 or len(e) != 3:
        raise ValueError("brown_gore_c: both codes must have three letters.")
    return int(sum(w * (3 - hexagon_distance(a, b)) for w, a, b in zip((3, 2, 1), p, e)))


def profile_similarity(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
    """Pearson correlation (shape, −1…1) and Euclidean distance (shape and level) of two RIASEC profiles."""
    x, y = _riasec_scores(a), _riasec_scores(b)
    r = float(np.corrcoef(x, y)[0, 1]) if x.std() > 0 and y.std() > 0 else float("nan")
    return {"correlation": r, "distance": float(np.linalg.norm(x - y))}


BIG_FIVE_BANDS = ((34.5, "very_low", "很低"), (44.5, "low", "较低"), (55.5, "average", "中等"),
                  (65.5, "high", "较高"), (np.inf, "very_high", "很高"))


def big_five_profile(t_scores: Mapping[str, float]) -> pd.DataFrame:
    """Band each Big Five T-score (very low ≤ 34 · low 35–44 · average 45–55 · high 56–65 · very high ≥ 66).

    Returns a DataFrame indexed by trait with ``t``, ``band`` (code), ``band_zh``, ``band_en``.
    """
    rows = {}
    for trait, t in t_scores.items():
        t = float(t)
        if not np.isfinite(t):
            rows[trait] = {"t": t, "band": None, "band_zh": None, "band_en": None}
            continue
        cut = next(b for b in BIG_FIVE_BANDS if t < b[0])
        rows[trait] = {"t": t, "band": cut[1], "band_zh": cut[2], "band_en": cut[1].replace("_", " ")}
    return pd.DataFrame.from_dict(rows, orient="index")


def rank_work_values(scores: Mapping[str, float]) -> pd.DataFrame:
    """Rank work values from most to least important (1 = most). Ties share the best rank ("min"), listed in
    the order given."""
    s = pd.Series({k: float(v) for k, v in scores.items()}, dtype=float)
    if s.isna().any():
        raise ValueError(f"work values: missing scores for {list(s[s.isna()].index)}.")
    rank = s.rank(ascending=False, method="min").astype(int)
    out = pd.DataFrame({"score": s, "rank": rank})
    return out.sort_values("rank", kind="stable")


@dataclass(frozen=True)
class MotivationSummary:
    """Employment-motivation summary.

    Attributes
    ----------
    composite : float
        Mean keyed T-score (T metric, 50/10).
    level : str
        ``high``, ``moderate`` or ``low`` readiness.
    weak_areas : tuple[str, ...]
        Subscales with keyed T < 40, the targets for counselling.
    text : dict[str, str]
        One-sentence summary in zh-CN and en.
    """

    composite: float
    level: str
    weak_areas: tuple[str, ...]
    text: dict[str, str]


_LEVEL_TEXT = {
    "high": ("就业准备度高：求职动力充足，可直接进入岗位匹配与推荐。",
             "High readiness: motivation is strong; proceed to job matching and referral."),
    "moderate": ("就业准备度中等：建议在推荐岗位的同时针对薄弱方面进行指导。",
                 "Moderate readiness: refer to jobs while coaching the weaker areas."),
    "low": ("就业准备度低：建议先进行求职动力与心理支持辅导，再进入推荐。",
            "Low readiness: start with motivation and psychological support before referral."),
}


def motivation_summary(t_scores: Mapping[str, float], reversed_scales: Sequence[str] = ()) -> MotivationSummary:
    """Summarise motivation subscales into a readiness level.

    Rule (stated, adjustable by editing here): each subscale is a T-score; scales in ``reversed_scales``
    (e.g. perceived barriers, where high means less ready) are keyed as 100 − T. The composite is the mean
    keyed T. Readiness is **high** when composite ≥ 55 and no keyed subscale is below 40; **low** when
    composite < 45 or two or more keyed subscales are below 40; **moderate** otherwise.
    """
    if not t_scores:
        raise ValueError("motivation_summary: give at least one subscale T-score.")
    unknown = set(reversed_scales) - set(t_scores)
    if unknown:
        raise ValueError(f"motivation_summary: reversed scales {sorted(unknown)} have no score.")
    keyed = {k: (100.0 - float(v) if k in reversed_scales else float(v)) for k, v in t_scores.items()}
    if any(not np.isfinite(v) for v in keyed.values()):
        raise ValueError("motivation_summary: every subscale needs a finite T-score.")
    composite = float(np.mean(list(keyed.values())))
    weak = tuple(k for k, v in keyed.items() if v < 40)
    if composite >= 55 and not weak:
        level = "high"
    elif composite < 45 or len(weak) >= 2:
        level = "low"
    else:
        level = "moderate"
    zh, en = _LEVEL_TEXT[level]
    if weak:
        zh += f"薄弱方面：{'、'.join(weak)}。"
        en += f" Weak areas: {', '.join(weak)}."
    return MotivationSummary(composite=composite, level=level, weak_areas=weak, text={"zh-CN": zh, "en": en})
