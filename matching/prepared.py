"""The prepared arrays every part of matching reads: one module that turns profiles and frames into
arrays (people as ``PersonBlock``, vacancies and programmes as ``ItemArrays``), with the bit
encodings of shifts, physical demands and ineligibility reasons and the readers of list-, number-,
date- and education-valued frame cells.

``matching.components`` (fit), ``matching.eligibility`` (rules), ``matching.rank`` (pools),
``matching.programme_ranking`` (programmes) and ``matching.batch`` all import from here and never from each other for these, which
ends the components ↔ eligibility import circle. The names stay importable from their old modules.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from models.enums import EducationLevel, PhysicalDemand, Shift
from models.match import INELIGIBILITY_REASONS
from models.profile import APTITUDE_CODES, BIG_FIVE_CODES, RIASEC_CODES, WORK_VALUE_CODES, Profile

SHIFT_BITS = {s: 1 << i for i, s in enumerate(Shift)}
PHYSICAL_BITS = {d: 1 << i for i, d in enumerate(PhysicalDemand)}
REASON_BITS = {r: 1 << i for i, r in enumerate(INELIGIBILITY_REASONS)}
_EDU_RANK = {e.value: e.rank for e in EducationLevel}


def _as_list(x: object) -> list[str]:
    """A list-valued cell from a frame: list/tuple/array, 'a|b' string, or empty/NaN."""
    if x is None:
        return []
    if isinstance(x, str):
        return [s.strip() for s in x.split("|") if s.strip()]
    if isinstance(x, (list, tuple, np.ndarray, set, frozenset)):
        return [str(getattr(s, "value", s)).strip() for s in x if str(s).strip()]
    if isinstance(x, float) and np.isnan(x):
        return []
    raise ValueError(f"cannot read {x!r} as a list (use a list or 'a|b')")


def _mask(cells: pd.Series | Sequence, bits: dict, default: int = 0) -> np.ndarray:
    lookup = {getattr(k, "value", k): v for k, v in bits.items()}
    out = np.zeros(len(cells), dtype=np.int64)
    for i, cell in enumerate(cells):
        names = _as_list(cell)
        try:
            out[i] = sum(lookup[n] for n in set(names)) if names else default
        except KeyError as e:
            raise ValueError(f"unknown value {e.args[0]!r}; expected one of {sorted(lookup)}") from None
    return out


def _float(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), np.nan)
    return np.array(pd.to_numeric(df[col], errors="raise").to_numpy(dtype=float, na_value=np.nan))


def _bool(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.zeros(len(df), dtype=bool)
    return df[col].fillna(False).astype(bool).to_numpy()


def _dates(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), np.datetime64("NaT"), dtype="datetime64[D]")
    return pd.to_datetime(df[col]).to_numpy(dtype="datetime64[D]")


def _edu(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), np.nan)
    out = np.full(len(df), np.nan)
    for i, v in enumerate(df[col]):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            continue
        key = getattr(v, "value", v)
        if key not in _EDU_RANK:
            raise ValueError(f"unknown education level {v!r}; expected one of {sorted(_EDU_RANK)}")
        out[i] = _EDU_RANK[key]
    return out


@dataclass(frozen=True)
class ItemArrays:
    """The constraint-relevant facts of many vacancies or programmes as arrays (one row each)."""

    ids: np.ndarray               # (m,) object
    titles: np.ndarray            # (m,) object
    district: np.ndarray          # (m,) int64 id into district_vocab
    district_vocab: dict[str, int]
    lat: np.ndarray               # (m,) NaN unknown
    lon: np.ndarray
    hours: np.ndarray             # (m,) hours/week, NaN unknown
    shift_mask: np.ndarray        # (m,) shifts required (day when none listed)
    physical_mask: np.ndarray     # (m,)
    edu_min: np.ndarray           # (m,) rank, NaN none
    edu_hard: np.ndarray          # (m,) bool
    cert_vocab: dict[str, int]
    cert_req: sparse.csr_matrix   # (m, n_cert) 1 = required
    closes: np.ndarray            # (m,) datetime64[D], NaT = open

    @property
    def n(self) -> int:
        return len(self.ids)

    @classmethod
    def from_frame(cls, df: pd.DataFrame, *, shifts_col: str, closes_col: str,
                   edu_hard_col: str | None) -> "ItemArrays":
        if "id" not in df.columns or "district" not in df.columns:
            raise ValueError("items need at least the columns 'id' and 'district'")
        if df["id"].duplicated().any():
            raise ValueError(f"duplicate ids: {df.loc[df['id'].duplicated(), 'id'].tolist()[:5]}")
        districts = df["district"].astype(str).to_numpy(dtype=object)
        district_vocab = {d: i for i, d in enumerate(dict.fromkeys(districts))}
        certs = [[normalise_certificate(c) for c in _as_list(x)]
                 for x in (df["required_certificates"] if "required_certificates" in df.columns
                           else [None] * len(df))]
        cert_vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, cs in enumerate(certs):
            for c in set(cs):
                rows.append(i)
                cols.append(cert_vocab.setdefault(c, len(cert_vocab)))
        cert_req = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                     shape=(len(df), max(len(cert_vocab), 1)))
        lat, lon = _float(df, "lat"), _float(df, "lon")
        half = np.isnan(lat) != np.isnan(lon)
        lat[half] = np.nan
        lon[half] = np.nan
        return cls(
            ids=df["id"].astype(str).to_numpy(dtype=object),
            titles=(df["title"].astype(str).to_numpy(dtype=object) if "title" in df.columns
                    else np.full(len(df), None, dtype=object)),
            district=np.array([district_vocab[d] for d in districts], dtype=np.int64),
            district_vocab=district_vocab,
            lat=lat, lon=lon,
            hours=_float(df, "hours_per_week"),
            shift_mask=(_mask(df[shifts_col], SHIFT_BITS, default=SHIFT_BITS[Shift.day])
                        if shifts_col in df.columns else np.full(len(df), SHIFT_BITS[Shift.day])),
            physical_mask=(_mask(df["physical_demands"], PHYSICAL_BITS)
                           if "physical_demands" in df.columns else np.zeros(len(df), dtype=np.int64)),
            edu_min=_edu(df, "education_min"),
            edu_hard=(_bool(df, edu_hard_col) if edu_hard_col else np.ones(len(df), dtype=bool)),
            cert_vocab=cert_vocab, cert_req=cert_req,
            closes=_dates(df, closes_col),
        )


def normalise_certificate(name: str) -> str:
    """Certificates are compared case- and space-insensitively."""
    return "".join(name.split()).casefold()


@dataclass(frozen=True)
class PersonBlock:
    """A block of people as arrays (one row per person); NaN marks a missing score.

    Built by ``PersonBlock.from_profiles``; batch matching builds one per block of seekers.
    """

    ids: np.ndarray                 # (n,) object
    apt_t: np.ndarray               # (n, 6) T-scores, V N S P Q G
    apt_se: np.ndarray              # (n, 6) SE in T points
    riasec: np.ndarray              # (n, 6) means 1–5
    big_five: np.ndarray            # (n, 5) T-scores O C E A N
    values: np.ndarray              # (n, 6) importance 1–5
    education: np.ndarray           # (n,) rank 0–6, NaN unknown
    district: np.ndarray            # (n,) object, None unknown
    lat: np.ndarray                 # (n,) degrees, NaN unknown
    lon: np.ndarray
    expected_pay: np.ndarray        # (n,) yuan/month, NaN unknown
    max_hours: np.ndarray           # (n,) hours/week, NaN = no limit
    max_commute: np.ndarray         # (n,) minutes one way, NaN = no limit
    shift_mask: np.ndarray          # (n,) int64 bitmask of available shifts, 0 = any
    physical_mask: np.ndarray       # (n,) int64 bitmask of declared limitations
    certificates: tuple[frozenset[str], ...]
    interested: tuple[tuple[str, ...], ...]
    # Coded past jobs per person: (CSCO code, months, end year or NaN); uncoded jobs are left out.
    history: tuple[tuple[tuple[str, float, float], ...], ...] = ()

    @property
    def n(self) -> int:
        return len(self.ids)

    @classmethod
    def from_profiles(cls, profiles: Sequence[Profile]) -> "PersonBlock":
        n = len(profiles)
        nan = np.full((n, 6), np.nan)
        apt_t, apt_se, riasec, values = nan.copy(), nan.copy(), nan.copy(), nan.copy()
        big_five = np.full((n, 5), np.nan)
        scalars = {k: np.full(n, np.nan) for k in
                   ("education", "lat", "lon", "expected_pay", "max_hours", "max_commute")}
        shift_mask = np.zeros(n, dtype=np.int64)
        physical_mask = np.zeros(n, dtype=np.int64)
        for i, p in enumerate(profiles):
            if p.aptitudes is not None:
                for k, code in enumerate(APTITUDE_CODES):
                    s = getattr(p.aptitudes, code)
                    if s is not None:
                        apt_t[i, k], apt_se[i, k] = s.t, s.se
            if p.interests is not None:
                riasec[i] = [getattr(p.interests, c) for c in RIASEC_CODES]
            if p.big_five is not None:
                big_five[i] = [getattr(p.big_five, c) for c in BIG_FIVE_CODES]
            if p.work_values is not None:
                values[i] = [getattr(p.work_values, c) for c in WORK_VALUE_CODES]
            if p.education is not None:
                scalars["education"][i] = p.education.rank
            if p.home_lat is not None and p.home_lon is not None:
                scalars["lat"][i], scalars["lon"][i] = p.home_lat, p.home_lon
            if p.expected_monthly_pay is not None:
                scalars["expected_pay"][i] = p.expected_monthly_pay
            c = p.constraints
            if c.max_hours_per_week is not None:
                scalars["max_hours"][i] = c.max_hours_per_week
            if c.max_commute_minutes is not None:
                scalars["max_commute"][i] = c.max_commute_minutes
            for s in c.available_shifts:
                shift_mask[i] |= SHIFT_BITS[s]
            for d in c.physical_limitations:
                physical_mask[i] |= PHYSICAL_BITS[d]
        return cls(
            ids=np.array([p.person_id for p in profiles], dtype=object),
            apt_t=apt_t, apt_se=apt_se, riasec=riasec, big_five=big_five, values=values,
            district=np.array([p.district for p in profiles], dtype=object),
            shift_mask=shift_mask, physical_mask=physical_mask,
            certificates=tuple(frozenset(normalise_certificate(c) for c in p.certificates)
                               for p in profiles),
            interested=tuple(tuple(p.interested_occupations) for p in profiles),
            history=tuple(tuple((j.occupation_code, float(j.months),
                                 float("nan") if j.end_year is None else float(j.end_year))
                                for j in p.work_history if j.occupation_code) for p in profiles),
            **scalars,
        )
