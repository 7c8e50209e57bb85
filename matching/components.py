"""Fit components between people and occupations or vacancies, each 0–1, vectorised with numpy.

Psychometric components depend on the (person, occupation) pair only, so they are computed once
per block of people × occupations (``psychometric_components``) and gathered per vacancy; the
practical component depends on the vacancy itself (``distance_fit``, ``hours_fit``, ``pay_fit`` and
``education_fit``, averaged by ``matching.rank.score_vacancies``).

Components and their sources (formulas in docs/matching-model.md):

- aptitude: probability that the person meets each required aptitude level given the score and
  its standard error, Φ((T − r) / SE) (a normal measurement-error model, Lord & Novick 1968), as an
  importance-weighted mean over the aptitudes the occupation needs.
- interest: Holland (1997) congruence: the profile correlation across the six RIASEC scores
  (shape), the Brown & Gore (1994) C index on three-letter codes (hexagon), and the Euclidean
  distance between the profiles (level); Iachan's (1984) M index is provided as an alternative.
- work values: Theory of Work Adjustment correspondence (Dawis & Lofquist 1984): profile
  correlation between the person's value importances and the occupation's reinforcer extents,
  plus the importance-weighted extent to which the occupation supplies what the person values.
- work style: Big Five → O*NET work styles after the taxonomy of Borman, Kubisiak & Schneider
  (1999), with correlations summarised in Barrick & Mount (1991), Hough (1992) and Dudley et al.
  (2006); the loadings in ``BIG_FIVE_TO_WORK_STYLE`` are provisional expert judgements.
- practical: commute (great-circle distance with a stated speed model), hours, pay against the
  person's expectation, education against the requirement.

Determinism: every reduction over the short feature axes (6, 5 or 16 entries) is an explicit
loop of elementwise operations, never a BLAS matrix product, so a block of many people gets
bit-for-bit the scores that a block of one gets (batch matching relies on this).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import ndtr

from matching.experience import experience_fit, history_similarity, history_weight, skill_units
from matching.prepared import PersonBlock, normalise_certificate  # noqa: F401  (re-exported)
from models.enums import PhysicalDemand
from models.profile import APTITUDE_CODES, RIASEC_CODES, WORK_VALUE_CODES

PSYCHOMETRIC = ("aptitude", "interest", "work_values", "work_style")
# Experience is last so that the first five keep their positions (the batch kernel indexes them);
# like the psychometric ones it depends on the (person, occupation) pair only.
COMPONENTS = PSYCHOMETRIC + ("practical", "experience")
OCCUPATION_LEVEL = PSYCHOMETRIC + ("experience",)

WORK_STYLE_CODES = (
    "achievement_effort", "persistence", "initiative", "leadership", "cooperation",
    "concern_for_others", "social_orientation", "self_control", "stress_tolerance",
    "adaptability_flexibility", "dependability", "attention_to_detail", "integrity",
    "independence", "innovation", "analytical_thinking",
)

OCCUPATION_COLUMNS = (
    ["code", "name_zh", "job_zone", "education_rank"]
    + [f"riasec_{c}" for c in RIASEC_CODES]
    + [f"wv_{c}" for c in WORK_VALUE_CODES]
    + [f"ws_{c}" for c in WORK_STYLE_CODES]
    + [f"apt_{c}" for c in APTITUDE_CODES]
)

# Columns: openness, conscientiousness, extraversion, agreeableness, emotional stability (−N).
# Each row follows the Big Five factor that Borman et al. (1999) placed the work style under
# (achievement orientation and conscientiousness → C; social influence → E; interpersonal
# orientation → A and E; adjustment → emotional stability; practical intelligence → O), with
# secondary loadings where meta-analytic facet correlations are clear (e.g. leadership with
# E, C and stability, Judge et al. 2002; integrity with C and A, Ones et al. 1993).
BIG_FIVE_TO_WORK_STYLE = np.array([
    # O     C     E     A     ES
    [0.1, 0.7, 0.2, 0.0, 0.0],   # achievement_effort
    [0.0, 0.7, 0.0, 0.0, 0.3],   # persistence
    [0.2, 0.5, 0.4, 0.0, 0.0],   # initiative
    [0.1, 0.3, 0.7, 0.0, 0.3],   # leadership
    [0.0, 0.1, 0.1, 0.8, 0.1],   # cooperation
    [0.0, 0.0, 0.2, 0.8, 0.0],   # concern_for_others
    [0.1, 0.0, 0.7, 0.4, 0.0],   # social_orientation
    [0.0, 0.2, 0.0, 0.3, 0.7],   # self_control
    [0.0, 0.1, 0.1, 0.0, 0.9],   # stress_tolerance
    [0.5, 0.0, 0.1, 0.1, 0.5],   # adaptability_flexibility
    [0.0, 0.9, 0.0, 0.2, 0.1],   # dependability
    [0.0, 0.9, -0.1, 0.0, 0.0],  # attention_to_detail
    [0.0, 0.5, 0.0, 0.6, 0.0],   # integrity
    [0.4, 0.4, -0.2, -0.1, 0.2],  # independence
    [0.9, 0.0, 0.2, 0.0, 0.0],   # innovation
    [0.7, 0.4, 0.0, 0.0, 0.0],   # analytical_thinking
])
# Unit row norms: if the Big Five were uncorrelated z-scores, each predicted style would be too.
_WS_LOADINGS = BIG_FIVE_TO_WORK_STYLE / np.linalg.norm(BIG_FIVE_TO_WORK_STYLE, axis=1, keepdims=True)

# Holland hexagon distance between types in R-I-A-S-E-C order: 0 same, 1 adjacent, 2 alternate,
# 3 opposite. Brown & Gore score s = 3 − distance.
_HEX_POS = np.arange(6)
HEX_DISTANCE = np.minimum(np.abs(_HEX_POS[:, None] - _HEX_POS[None, :]),
                          6 - np.abs(_HEX_POS[:, None] - _HEX_POS[None, :]))
BROWN_GORE_S = 3 - HEX_DISTANCE
# Iachan (1984) M: weight of a letter shared at (person position, occupation position).
IACHAN_WEIGHTS = np.array([[22, 10, 4], [10, 5, 2], [4, 2, 1]])

# Aptitude importance: requirements at or below T 35 (the 7th percentile of working adults)
# are met by nearly everyone, so they hardly count; each 10 points above adds one unit.
APTITUDE_FLOOR_T = 35.0
# δ: points above the requirement that count as over-qualified. Requirements are minimums a typical
# incumbent clears (issue 13: about one SD below the typical level), so δ = 20 is about one SD above
# the typical incumbent, the over-qualification the issue-6 δ = 10 meant against the typical level.
OVERQUALIFICATION_T = 20.0
OVERQUALIFICATION_COST = 0.5   # λ: the most over-qualification can take off the aptitude fit
INTEREST_MIX = (0.4, 0.2, 0.4)  # correlation, Brown–Gore C, Euclidean level
# Practical-fit constants (see docs/matching-model.md, "Practical fit").
DETOUR_FACTOR = 1.3            # network distance / great-circle distance in cities
DOOR_TO_DOOR_KMH = 20.0        # public transport incl. transfers, Chinese city average
ACCESS_MINUTES = 10.0          # walking to the stop and waiting
DEFAULT_COMMUTE_SCALE_MIN = 60.0
STANDARD_WEEK_HOURS = 44.0     # Labour Law of the PRC, Art. 36
PAY_FLOOR_SHARE = 0.6          # pay at 60 % of expectation or less scores 0
EDUCATION_STEP_PENALTY = 0.35  # each level short of a soft requirement costs this much


# --------------------------------------------------------------------------------------------
# Prepared arrays
# --------------------------------------------------------------------------------------------

def _nanmax_rows(x: np.ndarray) -> np.ndarray:
    """Column max ignoring NaN, NaN where a column is all NaN, shape (1, k)."""
    with np.errstate(all="ignore"):
        known = ~np.isnan(x)
        out = np.where(known, x, -np.inf).max(axis=0, keepdims=True)
    return np.where(known.any(axis=0, keepdims=True), out, np.nan)


def _skill_units_for(codes: pd.Series, skills: pd.DataFrame | None) -> np.ndarray:
    """``experience.skill_units`` of each code's skill importances; zero rows when unknown."""
    if skills is None:
        return np.zeros((len(codes), 0))
    cols = [c for c in skills.columns if c.startswith("sk_")]
    if not cols:
        raise ValueError("the skills table has no sk_* columns")
    table = skills.assign(code=skills["code"].astype(str)).set_index("code")[cols]
    return skill_units(table.reindex(codes.to_numpy()).to_numpy(dtype=float))


def identical_profile_families(df: pd.DataFrame) -> np.ndarray:
    """Family id per row when the table ships none: occupations with identical descriptors (RIASEC,
    values, styles, aptitude requirements, to 4 decimals) form one family named by its smallest
    code."""
    cols = [c for c in OCCUPATION_COLUMNS if c.split("_")[0] in ("riasec", "wv", "ws", "apt")]
    values = np.round(df[cols].to_numpy(dtype=float), 4)
    key = pd.Series([v.tobytes() for v in np.nan_to_num(values, nan=-1.0)], index=df.index)
    smallest = df["code"].astype(str).groupby(key).transform("min")
    return smallest.to_numpy(dtype=object)


def _unit_rows(x: np.ndarray) -> np.ndarray:
    """Centre each row and scale it to unit length, so a sum of products is Pearson's r.
    Flat rows (no shape) become zeros, giving r = 0, i.e. no evidence either way."""
    c = x - x.mean(axis=1, keepdims=True)
    norm = np.sqrt((c * c).sum(axis=1, keepdims=True))
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(norm > 1e-9, c / np.where(norm > 1e-9, norm, 1.0), 0.0)
    return np.where(np.isnan(x).any(axis=1, keepdims=True), np.nan, u)


def three_letter_codes(riasec: np.ndarray) -> np.ndarray:
    """Holland three-letter codes as type indices (0=R … 5=C), shape (n, 3).

    Ties are broken by hexagon order (R before I before A …), which is arbitrary but stable;
    the profile-correlation half of the interest component does not depend on it.
    """
    # lexsort: last key is primary, so −score first, then position.
    order = np.lexsort((np.broadcast_to(_HEX_POS, riasec.shape), -riasec), axis=1)
    return order[:, :3]


@dataclass(frozen=True)
class OccupationTable:
    """The occupation profile table (``matching/data/occupation_profiles.csv``) as arrays.

    Rows appended by ``with_codes`` for coarser codes (unit or minor groups, e.g. ``4-10-05``)
    hold the mean profile of the detailed occupations under them; ``n_detailed`` counts the
    original rows.
    """

    codes: np.ndarray            # (m,) object
    names_zh: np.ndarray         # (m,) object
    riasec: np.ndarray           # (m, 6) O*NET OI 1–7
    values: np.ndarray           # (m, 6) O*NET EX 1–7
    styles: np.ndarray           # (m, 16) O*NET IM 1–5
    apt_req: np.ndarray          # (m, 6) required level, T metric
    education: np.ndarray        # (m,) typical education rank 0–6
    job_zone: np.ndarray         # (m,) 1–5
    n_detailed: int
    index: dict[str, int] = field(repr=False)
    # derived once so that every person block reuses them
    riasec_unit: np.ndarray = field(repr=False)
    riasec_code: np.ndarray = field(repr=False)
    values_unit: np.ndarray = field(repr=False)
    styles_unit: np.ndarray = field(repr=False)
    apt_weight: np.ndarray = field(repr=False)
    has_riasec: np.ndarray = field(repr=False)
    values_extent: np.ndarray = field(repr=False)
    styles_weight: np.ndarray = field(repr=False)
    styles_weight_sum: np.ndarray = field(repr=False)
    # Issue 13 descriptors (optional in the frame until the data lands; neutral when absent):
    phys: np.ndarray | None = field(default=None, repr=False)        # (m, 8) 1/0/NaN, PhysicalDemand order
    skill_units: np.ndarray | None = field(default=None, repr=False)  # (m, K) experience.skill_units
    family: np.ndarray | None = field(default=None, repr=False)       # (m,) object family id

    # Derived arrays, sliced (never recomputed) when rows are taken: see ``batch.kernel``.
    DERIVED = ("riasec_unit", "riasec_code", "values_unit", "styles_unit", "apt_weight", "has_riasec",
               "values_extent", "styles_weight", "styles_weight_sum")

    @property
    def n(self) -> int:
        return len(self.codes)

    def features(self) -> "OccupationFeatures":
        return OccupationFeatures(
            apt_req=self.apt_req, apt_weight=self.apt_weight, riasec=self.riasec, riasec_unit=self.riasec_unit,
            riasec_code=self.riasec_code, has_riasec=self.has_riasec, values_unit=self.values_unit,
            values_extent=self.values_extent, styles_unit=self.styles_unit, styles_weight=self.styles_weight,
            styles_weight_sum=self.styles_weight_sum)

    def missing(self) -> dict[str, np.ndarray]:
        """Per psychometric component, which occupations lack the descriptors it needs."""
        return {
            "aptitude": np.isnan(self.apt_req).all(axis=1),
            "interest": np.isnan(self.riasec).any(axis=1),
            "work_values": np.isnan(self.values).any(axis=1),
            "work_style": np.isnan(self.styles).any(axis=1),
        }

    @classmethod
    def from_frame(cls, df: pd.DataFrame, skills: pd.DataFrame | None = None) -> "OccupationTable":
        """Validate the contract columns once and build the arrays.

        ``skills``: ``occupation_skills.csv`` (code + ``sk_*`` importances) for the experience
        component; without it the experience similarity uses the classification only. Columns
        ``phys_*`` (occupation physical demands) and ``family_id`` are optional: absent demands
        never exclude, and absent families are the groups of identical profiles.
        """
        missing = [c for c in OCCUPATION_COLUMNS if c not in df.columns]
        if missing:
            raise ValueError(f"occupation table lacks columns {missing}")
        if df["code"].duplicated().any():
            dup = df.loc[df["code"].duplicated(), "code"].tolist()[:5]
            raise ValueError(f"occupation codes must be unique; duplicated: {dup}")
        # Missing descriptors are allowed (occupations without an O*NET link); the components
        # treat them as unknown and ``psychometric_components`` fills them neutrally.
        return cls._build(
            codes=df["code"].astype(str).to_numpy(dtype=object),
            names_zh=df["name_zh"].astype(str).to_numpy(dtype=object),
            riasec=df[[f"riasec_{c}" for c in RIASEC_CODES]].to_numpy(dtype=float),
            values=df[[f"wv_{c}" for c in WORK_VALUE_CODES]].to_numpy(dtype=float),
            styles=df[[f"ws_{c}" for c in WORK_STYLE_CODES]].to_numpy(dtype=float),
            apt_req=df[[f"apt_{c}" for c in APTITUDE_CODES]].to_numpy(dtype=float),
            education=df["education_rank"].to_numpy(dtype=float),
            job_zone=df["job_zone"].to_numpy(dtype=float),
            n_detailed=len(df),
            phys=np.column_stack([pd.to_numeric(df[f"phys_{d.value}"], errors="raise").to_numpy(float)
                                  if f"phys_{d.value}" in df.columns else np.full(len(df), np.nan)
                                  for d in PhysicalDemand]),
            skill_units=_skill_units_for(df["code"].astype(str), skills),
            family=(df["family_id"].astype(str).to_numpy(dtype=object) if "family_id" in df.columns
                    else identical_profile_families(df)),
        )

    @classmethod
    def _build(cls, **a) -> "OccupationTable":
        apt_req = a["apt_req"]
        styles_weight = (a["styles"] - 1.0) / 4.0
        return cls(
            **a,
            index={c: i for i, c in enumerate(a["codes"])},
            riasec_unit=_unit_rows(a["riasec"]),
            riasec_code=three_letter_codes(np.nan_to_num(a["riasec"])),
            values_unit=_unit_rows(a["values"]),
            styles_unit=_unit_rows(a["styles"]),
            apt_weight=np.clip((apt_req - APTITUDE_FLOOR_T) / 10.0, 0.1, 3.0),
            has_riasec=~np.isnan(a["riasec"]).any(axis=1),
            values_extent=(a["values"] - 1.0) / 6.0,
            styles_weight=styles_weight,
            # O*NET importance is ≥ 1, so the weights are ≥ 0; guard the (unseen) all-minimum row.
            styles_weight_sum=np.maximum(styles_weight.sum(axis=1), 1e-9),
        )

    def with_codes(self, codes: Sequence[str | None]) -> tuple["OccupationTable", np.ndarray]:
        """Index of each code in a table that also covers coarser codes; −1 for unknown/None.

        A code that is not a detailed occupation but prefixes some (``4-10-05`` or ``4-10``)
        gets an appended row with their mean profile.
        """
        extra: dict[str, np.ndarray] = {}
        for c in set(c for c in codes if c and c not in self.index):
            rows = [i for i in range(self.n_detailed) if self.codes[i].startswith(c + "-")]
            if rows:
                extra[c] = np.array(rows)
        table = self
        if extra:
            keys = sorted(extra)
            n0 = self.n_detailed

            def stack(a: np.ndarray) -> np.ndarray:
                return np.concatenate([a[:n0]] + [np.nanmean(a[extra[k]], axis=0, keepdims=True) for k in keys])

            table = OccupationTable._build(
                codes=np.concatenate([self.codes[:n0], np.array(keys, dtype=object)]),
                names_zh=np.concatenate([self.names_zh[:n0], np.array(
                    ["、".join(dict.fromkeys(self.names_zh[extra[k][:3]])) + ("等" if len(extra[k]) > 3 else "")
                     for k in keys], dtype=object)]),
                riasec=stack(self.riasec), values=stack(self.values), styles=stack(self.styles),
                apt_req=stack(self.apt_req), education=stack(self.education),
                job_zone=stack(self.job_zone), n_detailed=n0,
                # A coarse code demands what any of its occupations demands (max), has their mean
                # skill profile and is a family of its own.
                phys=None if self.phys is None else np.concatenate(
                    [self.phys[:n0]] + [_nanmax_rows(self.phys[extra[k]]) for k in keys]),
                skill_units=None if self.skill_units is None else np.concatenate(
                    [self.skill_units[:n0]] + [skill_units(self.skill_units[extra[k]].mean(axis=0, keepdims=True))
                                               for k in keys]),
                family=None if self.family is None else np.concatenate(
                    [self.family[:n0], np.array(keys, dtype=object)]),
            )
        idx = np.array([table.index.get(c, -1) if c else -1 for c in codes], dtype=np.int64)
        return table, idx


# --------------------------------------------------------------------------------------------
# Psychometric components, (people × occupations) or aligned (person, occupation) pairs
# --------------------------------------------------------------------------------------------
#
# Each component is written once, over the last axis of arrays that broadcast: a person side
# shaped (n_p, 1, ·) against an occupation side shaped (1, n_o, ·) gives the (n_p, n_o) matrix;
# both sides gathered to (n_pairs, ·) give the same numbers for a list of pairs, bit for bit,
# because every step is elementwise (batch matching computes exact scores for its few surviving
# pairs this way).

def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Σ_k a[..., k]·b[..., k] as an explicit loop (see module note on determinism)."""
    out = a[..., 0] * b[..., 0]
    for k in range(1, a.shape[-1]):
        out = out + a[..., k] * b[..., k]
    return out


def _aptitude(t: np.ndarray, se: np.ndarray, req: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``aptitude_fit`` on broadcasting person (t, se) and occupation (req, weight) arrays."""
    num = over = den = 0.0
    for k in range(t.shape[-1]):
        measured = ~np.isnan(t[..., k]) & ~np.isnan(req[..., k])
        z = (t[..., k] - req[..., k]) / se[..., k]
        w = weight[..., k]
        num = num + np.where(measured, w * ndtr(z), 0.0)
        over = over + np.where(measured, w * ndtr(z - OVERQUALIFICATION_T / se[..., k]), 0.0)
        den = den + np.where(measured, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        safe = np.where(den > 0, den, 1.0)
        return np.where(den > 0, (num / safe) * (1.0 - OVERQUALIFICATION_COST * over / safe), np.nan)


def aptitude_fit(t: np.ndarray, se: np.ndarray, occ: OccupationTable) -> np.ndarray:
    """Aptitude fit 0–1, (n_p, n_o): M · (1 − λ·O).

    M = Σ_k w_k Φ((T_k − r_k)/SE_k) / Σ_k w_k, the expected (importance-weighted) share of the
    occupation's aptitude requirements the person meets, allowing for measurement error.
    O = Σ_k w_k Φ((T_k − r_k − δ)/SE_k) / Σ_k w_k, the expected share on which the person is
    over-qualified by more than δ = 20 T points above the minimum (about 1 SD above the typical
    incumbent); over-qualification predicts lower job
    satisfaction and earlier leaving (Maynard, Joseph & Maynard 2006; Erdogan & Bauer 2009), so
    it costs up to λ = 0.5 of the fit but never excludes. Sums run over the aptitudes measured
    for the person and described for the occupation; NaN when there are none.
    """
    o = occ.features().broadcast(0)
    return _aptitude(t[:, None, :], se[:, None, :], o.apt_req, o.apt_weight)


def brown_gore_c(person_code: np.ndarray, occ_code: np.ndarray) -> np.ndarray:
    """Brown & Gore (1994) C = 3·s1 + 2·s2 + s3, s = 3 same, 2 adjacent, 1 alternate, 0 opposite;
    0–18, shape (n_p, n_o)."""
    return _brown_gore(person_code[:, None, :], occ_code[None])


def _brown_gore(person_code: np.ndarray, occ_code: np.ndarray) -> np.ndarray:
    out = 3 * BROWN_GORE_S[person_code[..., 0], occ_code[..., 0]]
    out = out + 2 * BROWN_GORE_S[person_code[..., 1], occ_code[..., 1]]
    return out + BROWN_GORE_S[person_code[..., 2], occ_code[..., 2]]


def iachan_m(person_code: np.ndarray, occ_code: np.ndarray) -> np.ndarray:
    """Iachan (1984) M index, 0–28: sum of positional weights of shared letters, (n_p, n_o)."""
    out = np.zeros((person_code.shape[0], occ_code.shape[0]), dtype=np.int64)
    for i in range(3):
        for j in range(3):
            out = out + IACHAN_WEIGHTS[i, j] * (person_code[:, i:i + 1] == occ_code[None, :, j])
    return out


class _Rows:
    """Row selection and broadcasting for a dataclass of arrays with one row per entity."""

    def rows(self, index: np.ndarray | slice):
        # ``np.take`` copies the same values into the same layout as ``x[index]``, 2–3× faster on
        # the batch kernel's hundreds of thousands of pairs.
        if isinstance(index, slice):
            return type(self)(**{name: getattr(self, name)[index] for name in self.__dataclass_fields__})
        index = np.asarray(index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        return type(self)(**{name: np.take(getattr(self, name), index, axis=0) for name in self.__dataclass_fields__})

    def broadcast(self, axis: int = 1):
        """Each array with an axis of length 1 inserted at ``axis`` (1: persons × occupations,
        0: an occupation side facing the persons)."""
        return type(self)(**{name: np.expand_dims(getattr(self, name), axis) for name in self.__dataclass_fields__})


@dataclass(frozen=True)
class PersonFeatures(_Rows):
    """What the psychometric components need of each person, derived once per block of people
    (row operations only, so a person's row does not depend on who else is in the block).

    ``riasec_level``: RIASEC means mapped linearly from 1–5 onto O*NET's 1–7; ``values_weight``
    (importance − 1)/4 with the equal-weights fallback and its row sum ``values_weight_sum``;
    ``styles_unit`` the centred, unit-length predicted work styles and ``styles_level`` their
    percentiles Φ(ŝ).
    """

    apt_t: np.ndarray              # (n, 6)
    apt_se: np.ndarray             # (n, 6)
    riasec_unit: np.ndarray        # (n, 6)
    riasec_code: np.ndarray        # (n, 3) int
    riasec_level: np.ndarray       # (n, 6)
    has_riasec: np.ndarray         # (n,) bool
    values_unit: np.ndarray        # (n, 6)
    values_weight: np.ndarray      # (n, 6)
    values_weight_sum: np.ndarray  # (n,)
    styles_unit: np.ndarray        # (n, 16)
    styles_level: np.ndarray       # (n, 16)


@dataclass(frozen=True)
class OccupationFeatures(_Rows):
    """What the psychometric components need of each occupation (``OccupationTable.features``)."""

    apt_req: np.ndarray            # (m, 6) T metric
    apt_weight: np.ndarray         # (m, 6)
    riasec: np.ndarray             # (m, 6) O*NET OI 1–7
    riasec_unit: np.ndarray        # (m, 6)
    riasec_code: np.ndarray        # (m, 3) int
    has_riasec: np.ndarray         # (m,) bool
    values_unit: np.ndarray        # (m, 6)
    values_extent: np.ndarray      # (m, 6) (EX − 1)/6
    styles_unit: np.ndarray        # (m, 16)
    styles_weight: np.ndarray      # (m, 16) (IM − 1)/4
    styles_weight_sum: np.ndarray  # (m,) row sums of styles_weight, at least 10⁻⁹


def person_features(apt_t: np.ndarray, apt_se: np.ndarray, riasec: np.ndarray, values: np.ndarray,
                    big_five: np.ndarray) -> PersonFeatures:
    """Derive ``PersonFeatures`` from scores (NaN = not taken), one row per person."""
    w = (values - 1.0) / 4.0
    wsum = w.sum(axis=1, keepdims=True)
    # All values rated least important: fall back to equal weights rather than divide by zero.
    w = np.where(wsum > 1e-9, w, 1.0)
    wsum = np.where(wsum > 1e-9, wsum, float(values.shape[1]))
    s_hat = predicted_work_styles(big_five)
    return PersonFeatures(
        apt_t=apt_t, apt_se=apt_se, riasec_unit=_unit_rows(riasec),
        riasec_code=three_letter_codes(np.nan_to_num(riasec)),
        riasec_level=1.0 + (riasec - 1.0) * 6.0 / 4.0, has_riasec=~np.isnan(riasec).any(axis=1),
        values_unit=_unit_rows(values), values_weight=w, values_weight_sum=wsum[:, 0],
        styles_unit=_unit_rows(s_hat), styles_level=ndtr(s_hat),
    )


def _interest(p: PersonFeatures, o: OccupationFeatures) -> np.ndarray:
    r = _dot(p.riasec_unit, o.riasec_unit)
    c = _brown_gore(p.riasec_code, o.riasec_code)
    d2 = (p.riasec_level[..., 0] - o.riasec[..., 0]) ** 2
    for k in range(1, 6):
        d2 = d2 + (p.riasec_level[..., k] - o.riasec[..., k]) ** 2
    level = 1.0 - np.sqrt(d2) / np.sqrt(6 * 36.0)
    has = p.has_riasec & o.has_riasec
    return np.where(has, INTEREST_MIX[0] * (r + 1.0) / 2.0 + INTEREST_MIX[1] * c / 18.0
                    + INTEREST_MIX[2] * level, np.nan)


def interest_fit(riasec: np.ndarray, occ: OccupationTable) -> np.ndarray:
    """Interest congruence 0–1, (n_p, n_o); NaN without an inventory.

    0.4·(r + 1)/2 + 0.2·C/18 + 0.4·(1 − D/D_max): r the profile correlation (shape), C the
    Brown–Gore hexagon index on three-letter codes, D the Euclidean distance between the
    person's scores mapped linearly from 1–5 onto O*NET's 1–7 and the occupation's OI scores
    (level; D_max = √(6·6²)). C gets the smallest weight because, being 0–18 in whole steps, it
    ties many occupations; on the model check the three together beat each alone.
    """
    nan = np.full((riasec.shape[0], 6), np.nan)
    p = person_features(nan, nan, riasec, nan, np.full((riasec.shape[0], 5), np.nan))
    return _interest(p.broadcast(), occ.features().broadcast(0))


def _work_values(p: PersonFeatures, o: OccupationFeatures) -> np.ndarray:
    r = _dot(p.values_unit, o.values_unit)
    supply = _dot(p.values_weight, o.values_extent) / p.values_weight_sum
    return 0.5 * (r + 1.0) / 2.0 + 0.5 * supply


def work_values_fit(values: np.ndarray, occ: OccupationTable) -> np.ndarray:
    """TWA correspondence 0–1: ½·(r + 1)/2 + ½·Σ w·g / Σ w, (n_p, n_o).

    r is the profile correlation of importances and occupational extents; w = (importance − 1)/4
    weights the occupation's extent g = (EX − 1)/6 by how much the person cares about the value.
    """
    nan = np.full((values.shape[0], 6), np.nan)
    p = person_features(nan, nan, nan, values, np.full((values.shape[0], 5), np.nan))
    return _work_values(p.broadcast(), occ.features().broadcast(0))


def predicted_work_styles(big_five: np.ndarray) -> np.ndarray:
    """Big Five T-scores → 16 predicted work-style z-scores, (n, 16)."""
    z = (big_five - 50.0) / 10.0
    z = np.concatenate([z[:, :4], -z[:, 4:5]], axis=1)  # neuroticism → emotional stability
    return _dot(z[:, None, :], _WS_LOADINGS[None])


def _work_style(p: PersonFeatures, o: OccupationFeatures) -> np.ndarray:
    r = _dot(p.styles_unit, o.styles_unit)
    level = _dot(p.styles_level, o.styles_weight) / o.styles_weight_sum
    return 0.5 * (r + 1.0) / 2.0 + 0.5 * level


def work_style_fit(big_five: np.ndarray, occ: OccupationTable) -> np.ndarray:
    """Work-style fit 0–1: ½·(r + 1)/2 + ½·Σ w·Φ(ŝ)/Σ w, (n_p, n_o).

    ŝ are the person's predicted work styles, r their correlation with the occupation's
    importance profile, and w = (importance − 1)/4 weights the person's standing Φ(ŝ) (a
    percentile) on each style by how much the occupation needs it.
    """
    nan = np.full((big_five.shape[0], 6), np.nan)
    p = person_features(nan, nan, nan, nan, big_five)
    return _work_style(p.broadcast(), occ.features().broadcast(0))


def _components(p: PersonFeatures, o: OccupationFeatures) -> dict[str, np.ndarray]:
    return {
        "aptitude": _aptitude(p.apt_t, p.apt_se, o.apt_req, o.apt_weight),
        "interest": _interest(p, o),
        "work_values": _work_values(p, o),
        "work_style": _work_style(p, o),
    }


def psychometric_components(persons: PersonBlock, occ: OccupationTable) -> dict[str, np.ndarray]:
    """All psychometric components for every (person, occupation) pair, each (n_p, n_o) in 0–1
    with NaN rows for people who did not take that part of the battery."""
    features = person_features(persons.apt_t, persons.apt_se, persons.riasec, persons.values, persons.big_five)
    out = _components(features.broadcast(), occ.features().broadcast(0))
    for name, gone in occ.missing().items():
        if gone.any() and not gone.all():
            # An occupation without descriptors is 'a typical occupation for this person': the
            # person's median over the described ones, neither rewarded nor punished.
            x = out[name]
            med = np.median(x[:, ~gone], axis=1, keepdims=True)
            out[name] = np.where(gone[None, :], med, x)
    return out


def psychometric_pairs(features: PersonFeatures, occ: OccupationTable, person: np.ndarray,
                       column: np.ndarray) -> dict[str, np.ndarray]:
    """The psychometric components of aligned pairs (``features`` row ``person[i]``, ``occ`` row
    ``column[i]``), each (n_pairs,): bit for bit the entries of ``psychometric_components``,
    provided no occupation in ``occ`` lacks only some descriptors (that needs whole rows for the
    person's median; callers check ``OccupationTable.missing``)."""
    return _components(features.rows(person), occ.features().rows(column))


# --------------------------------------------------------------------------------------------
# Practical components, (people × items)
# --------------------------------------------------------------------------------------------

def great_circle_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Haversine distance in km on a 6371 km sphere; arguments broadcast."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2.0) ** 2
    return 2.0 * 6371.0 * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def commute_minutes(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """One-way commute estimate in minutes: access time + great-circle km × detour / speed.

    10 min + km × 1.3 / 20 km/h × 60; NaN when either end has no coordinates.
    """
    km = great_circle_km(lat1, lon1, lat2, lon2)
    return ACCESS_MINUTES + km * DETOUR_FACTOR / DOOR_TO_DOOR_KMH * 60.0


def distance_fit(minutes: np.ndarray, limit: np.ndarray, same_district: np.ndarray) -> np.ndarray:
    """exp(−minutes / scale), scale = the person's commute limit or 60 min; 0–1.

    Without coordinates: 0.8 in the same district, 0.3 in another, NaN when unknown.
    """
    scale = np.where(np.isnan(limit), DEFAULT_COMMUTE_SCALE_MIN, np.maximum(limit, 5.0))
    by_km = np.exp(-minutes / scale)
    by_district = np.where(same_district == 1, 0.8, np.where(same_district == 0, 0.3, np.nan))
    return np.where(np.isnan(minutes), by_district, by_km)


def hours_fit(hours: np.ndarray) -> np.ndarray:
    """1 up to the 44-hour standard week; −1/40 per extra hour; NaN when hours are not stated."""
    return np.clip(1.0 - np.maximum(hours - STANDARD_WEEK_HOURS, 0.0) / 40.0, 0.0, 1.0)


def pay_fit(expected: np.ndarray, pay_min: np.ndarray, pay_max: np.ndarray) -> np.ndarray:
    """Pay against expectation E, 0–1: mean of f(pay_min) and f(pay_max) where
    f(p) = clip((p − 0.6E)/(0.4E), 0, 1), i.e. 1 once pay reaches E, 0 at 60 % of E or less.
    A missing end of the range takes the other's value; NaN without E or any pay."""
    lo = np.where(np.isnan(pay_min), pay_max, pay_min)
    hi = np.where(np.isnan(pay_max), pay_min, pay_max)
    e = np.where(expected > 0, expected, np.nan)
    floor = PAY_FLOOR_SHARE * e
    span = (1.0 - PAY_FLOOR_SHARE) * e
    f_lo = np.clip((lo - floor) / span, 0.0, 1.0)
    f_hi = np.clip((hi - floor) / span, 0.0, 1.0)
    return 0.5 * (f_lo + f_hi)


def education_fit(rank: np.ndarray, required: np.ndarray) -> np.ndarray:
    """1 when the person's education rank meets the requirement, minus 0.35 per level short."""
    gap = np.maximum(required - rank, 0.0)
    return np.clip(1.0 - EDUCATION_STEP_PENALTY * gap, 0.0, 1.0)


def nanmean_stack(parts: Sequence[np.ndarray]) -> np.ndarray:
    """Mean of the non-NaN parts elementwise (NaN when all are NaN), in a fixed order."""
    total = np.zeros(np.broadcast_shapes(*(p.shape for p in parts)))
    count = np.zeros_like(total)
    for p in parts:
        ok = ~np.isnan(p)
        total = total + np.where(ok, p, 0.0)
        count = count + ok
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1.0), np.nan)


# --------------------------------------------------------------------------------------------
# Experience, (people × occupations)
# --------------------------------------------------------------------------------------------

def past_job_arrays(persons: PersonBlock, occ: OccupationTable, as_of_year: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The inputs of ``experience.experience_fit`` for a block: weights (n_p, H), NaN-padded, and
    similarities (n_p, H, occ.n), H the longest history in the block."""
    h = max((len(x) for x in persons.history), default=0)
    weight = np.full((persons.n, h), np.nan)
    sim = np.zeros((persons.n, h, occ.n))
    cache: dict[str, np.ndarray] = {}
    for i, jobs in enumerate(persons.history):
        for e, (code, months, end_year) in enumerate(jobs):
            weight[i, e] = history_weight(months, end_year, as_of_year)
            if code not in cache:
                cache[code] = past_similarity(code, occ)
            sim[i, e] = cache[code]
    return weight, sim


def past_similarity(code: str, occ: OccupationTable, rows: np.ndarray | int | slice = slice(None)) -> np.ndarray:
    """s(past code, occupation) for the given occupation rows (``experience.history_similarity``)."""
    units = occ.skill_units if occ.skill_units is not None else np.zeros((occ.n, 0))
    if units.shape[1] == 0:
        past = np.zeros((1, 0))
    elif code in occ.index:
        past = units[[occ.index[code]]]
    else:
        members = [r for r in range(occ.n_detailed) if occ.codes[r].startswith(code + "-")]
        past = skill_units(units[members].mean(axis=0, keepdims=True)) if members else np.zeros((1, units.shape[1]))
    # Only the requested rows are compared (reasons ask for one occupation at a time).
    codes, cand = occ.codes[rows], units[rows]
    if np.ndim(codes) == 0:
        return history_similarity([code], past, np.array([codes], dtype=object), cand[None])[0, 0]
    return history_similarity([code], past, codes, cand)[0]


def experience_component(persons: PersonBlock, occ: OccupationTable, as_of_year: int) -> np.ndarray:
    """The experience component for every (person, occupation), (n_p, occ.n); NaN rows for people
    without a coded past job (see ``matching.experience``)."""
    weight, sim = past_job_arrays(persons, occ, as_of_year)
    if weight.shape[1] == 0:
        return np.full((persons.n, occ.n), np.nan)
    return experience_fit(weight, sim)


def occupation_physical_fail(persons: PersonBlock, occ: OccupationTable) -> np.ndarray:
    """True where an occupation typically demands (``phys_*`` = 1) something the person declared
    they cannot do, (n_p, occ.n). Unknown demands (NaN) never exclude."""
    out = np.zeros((persons.n, occ.n), dtype=bool)
    if occ.phys is None:
        return out
    for b, _ in enumerate(PhysicalDemand):
        declared = (persons.physical_mask & (1 << b)) != 0
        out |= declared[:, None] & (occ.phys[None, :, b] == 1)
    return out
