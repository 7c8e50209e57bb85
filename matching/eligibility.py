"""Hard constraints, checked before any fit is computed, vectorised over people × items.

An item (vacancy or training programme) is ineligible for a person when it:

- ``certificate``: requires a certificate the person does not hold;
- ``education``: states a hard (legal or stated) education minimum above the person's level;
  a soft minimum only lowers practical fit;
- ``hours``: needs more hours per week than the person can work;
- ``shift``: needs a shift the person has not said they can work (no shifts listed = day work);
- ``commute``: is further than the person's commute limit, by the speed model in
  ``matching.components.commute_minutes`` when both ends have coordinates, else by district
  (another district counts as beyond the limit);
- ``physical``: has a physical demand the person declared they cannot meet;
- ``closed``: has closed (vacancies) or started (programmes) before the date asked about.

Unknown facts never make an item ineligible: a person with no recorded education is not excluded
by an education minimum. Ineligible items are excluded from rankings and counted by reason
(``summarise``), never dropped silently. Gender, age, ethnicity, disability and health status are
not inputs here; a declared physical limitation is, because the person declared it as a
constraint on the work they can do.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy import sparse

from matching.components import PersonBlock, commute_minutes, normalise_certificate
from models.enums import EducationLevel, PhysicalDemand, Shift
from models.match import INELIGIBILITY_REASONS, IneligibleSummary

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


@dataclass(frozen=True)
class Reach:
    """Per (person, item): commute minutes (NaN without coordinates) and whether the districts
    are the same (1), different (0) or unknown (−1)."""

    minutes: np.ndarray
    same_district: np.ndarray


def reach(persons: PersonBlock, items: ItemArrays) -> Reach:
    minutes = commute_minutes(persons.lat[:, None], persons.lon[:, None], items.lat[None, :], items.lon[None, :])
    pid = district_ids(persons, items)
    same = np.where(pid[:, None] == -1, -1, (pid[:, None] == items.district[None, :]).astype(np.int8))
    return Reach(minutes=minutes, same_district=same.astype(np.int8))


def missing_certificates(persons: PersonBlock, items: ItemArrays, rows: np.ndarray | None = None) -> np.ndarray:
    """Number of required certificates each person lacks for each item, (n_p, m) int; with
    ``rows``, for those items only, (n_p, len(rows))."""
    held = np.zeros((items.cert_req.shape[1], persons.n))
    for j, certs in enumerate(persons.certificates):
        for c in certs:
            k = items.cert_vocab.get(c)
            if k is not None:
                held[k, j] = 1.0
    required = items.cert_req if rows is None else items.cert_req[rows]
    # Sparse × dense with 0/1 entries: the counts are exact integers whatever the block size.
    return np.rint(required @ (1.0 - held)).T.astype(np.int64)


def district_ids(persons: PersonBlock, items: ItemArrays) -> np.ndarray:
    """Each person's district as a number of ``items.district_vocab``: −1 unknown, −2 a district
    none of the items is in."""
    return np.array([items.district_vocab.get(d, -2) if d else -1 for d in persons.district], dtype=np.int64)


def eligibility(persons: PersonBlock, items: ItemArrays, *, as_of: date | None = None,
                reach_: Reach | None = None) -> np.ndarray:
    """Bitmask of failed constraints per (person, item), (n_p, m) uint8; 0 = eligible.

    Bits follow ``models.match.INELIGIBILITY_REASONS`` (``REASON_BITS``).
    """
    r = reach_ if reach_ is not None else reach(persons, items)
    fail = np.zeros((persons.n, items.n), dtype=np.uint8)
    if items.cert_vocab:
        fail |= np.where(missing_certificates(persons, items) > 0, REASON_BITS["certificate"], 0).astype(np.uint8)
    # NaN comparisons are False, so unknown facts never exclude.
    edu_fail = items.edu_hard[None, :] & (items.edu_min[None, :] > persons.education[:, None])
    fail |= np.where(edu_fail, REASON_BITS["education"], 0).astype(np.uint8)
    fail |= np.where(items.hours[None, :] > persons.max_hours[:, None], REASON_BITS["hours"], 0).astype(np.uint8)
    pm = persons.shift_mask[:, None]
    shift_fail = (pm != 0) & ((items.shift_mask[None, :] & ~pm) != 0)
    fail |= np.where(shift_fail, REASON_BITS["shift"], 0).astype(np.uint8)
    limit = persons.max_commute[:, None]
    too_far = np.where(np.isnan(r.minutes), (r.same_district == 0) & ~np.isnan(limit), r.minutes > limit)
    fail |= np.where(too_far, REASON_BITS["commute"], 0).astype(np.uint8)
    phys_fail = (items.physical_mask[None, :] & persons.physical_mask[:, None]) != 0
    fail |= np.where(phys_fail, REASON_BITS["physical"], 0).astype(np.uint8)
    if as_of is not None:
        closed = items.closes < np.datetime64(as_of, "D")  # NaT compares False: open-ended
        fail |= np.where(closed[None, :], REASON_BITS["closed"], 0).astype(np.uint8)
    return fail


def failed_reasons(bits: int) -> list[str]:
    """The reason names set in one bitmask value."""
    return [r for r, b in REASON_BITS.items() if bits & b]


def summarise(fail_row: np.ndarray) -> IneligibleSummary:
    """Counts for one person's row of the eligibility bitmask."""
    n_bad = int(np.count_nonzero(fail_row))
    return IneligibleSummary(
        n_items=int(fail_row.size),
        n_eligible=int(fail_row.size - n_bad),
        n_ineligible=n_bad,
        by_reason={r: int(np.count_nonzero(fail_row & b)) for r, b in REASON_BITS.items()},
    )


__all__ = [
    "ItemArrays", "PHYSICAL_BITS", "REASON_BITS", "Reach", "SHIFT_BITS",
    "district_ids", "eligibility", "failed_reasons", "missing_certificates", "reach", "summarise",
]
