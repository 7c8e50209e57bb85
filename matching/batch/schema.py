"""Seeker and vacancy frames for batch matching: the column contract, validation with a per-row
rejection report, and seekers as ``PersonBlock`` arrays without building one pydantic object each.

A seeker row is a flat ``models.profile.Profile`` (scores, registration facts, constraints,
priority flags, work history) plus two audit-only attributes, ``gender`` and ``birth_year`` (or
``age_band``), which never reach the kernel. List cells are lists or ``a|b`` strings; empty cells
are missing.

``work_history`` (one cell per seeker, ``models.profile.PastJob`` entries): either compact text,
``code:months[:end_year]`` entries joined by ``|`` (``4-02-02-02:48:2024|6-18-01-01:24``; no end
year = current or unknown), or a JSON list of objects with ``occupation_code``, ``title``,
``months``, ``end_year`` (a job known only by its title must use JSON; the matcher skips jobs
without a code, as the single-profile matcher does).

Validation follows the pydantic field bounds of ``Profile`` / ``VacancyFields``: a row that
breaks one is rejected with its row number, id, field and reason, and the rest go on. Problems
with the file as a whole (no rows, unknown or missing columns) raise ``SchemaError``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from matching.prepared import PHYSICAL_BITS, SHIFT_BITS, PersonBlock, _as_list, normalise_certificate
from models.enums import EducationLevel, Gender, HardToEmployCategory, PhysicalDemand, Shift
from models.person import OCCUPATION_CODE_PATTERN
from models.profile import APTITUDE_CODES, BIG_FIVE_CODES, RIASEC_CODES, WORK_VALUE_CODES
from models.vacancy import VacancyOut

APT_T = [f"apt_{c}" for c in APTITUDE_CODES]
APT_SE = [f"apt_{c}_se" for c in APTITUDE_CODES]
RIASEC = [f"riasec_{c}" for c in RIASEC_CODES]
BIG5 = [f"big5_{c}" for c in BIG_FIVE_CODES]
WV = [f"wv_{c}" for c in WORK_VALUE_CODES]
SEEKER_LISTS = ["available_shifts", "physical_limitations", "certificates", "interested_occupations"]
SEEKER_PRIORITY = ["zero_employment_family", "household_id", "hard_to_employ", "assistance_card"]
SEEKER_AUDIT = ["gender", "birth_year", "age_band"]
SEEKER_COLUMNS = (["id", "district", "lat", "lon", "education", "expected_monthly_pay",
                   "max_hours_per_week", "max_commute_minutes"] + SEEKER_LISTS + ["work_history"]
                  + APT_T + APT_SE + RIASEC + BIG5 + WV + SEEKER_PRIORITY + SEEKER_AUDIT)
SEEKER_REQUIRED = ["id"]

VACANCY_CONTEXT = ["referrals_so_far"]
"""Batch-only vacancy column: referrals already made to the vacancy (the outcome model's referral
context when the allocation ranks by expected benefit; missing = 0)."""
VACANCY_COLUMNS = [c for c in VacancyOut.model_fields if c not in
                   ("organisation_id", "occupation_code_confidence", "occupation_candidates", "created_at")
                   ] + VACANCY_CONTEXT
VACANCY_REQUIRED = ["id", "district", "openings"]
VACANCY_LISTS = ["shifts", "required_certificates", "physical_demands"]

# (low, high, low inclusive) bounds, from the pydantic fields they mirror.
_SEEKER_RANGES = {
    "lat": (-90, 90, True), "lon": (-180, 180, True),
    "expected_monthly_pay": (0, 1_000_000, True), "max_hours_per_week": (1, 84, True),
    "max_commute_minutes": (0, 240, True),
    **{c: (0, 100, True) for c in APT_T}, **{c: (0, 30, False) for c in APT_SE},
    **{c: (1, 5, True) for c in RIASEC + WV}, **{c: (0, 100, True) for c in BIG5},
    "birth_year": (1930, 2015, True),
}
_SEEKER_INTEGERS = ("expected_monthly_pay", "max_hours_per_week", "max_commute_minutes", "birth_year")
_VACANCY_RANGES = {
    "openings": (1, 100_000, True), "lat": (-90, 90, True), "lon": (-180, 180, True),
    "hours_per_week": (0, 84, False), "pay_min": (0, 1_000_000, True), "pay_max": (0, 1_000_000, True),
    "referrals_so_far": (0, 1_000_000, True),
}
_EDU_RANK = {e.value: e.rank for e in EducationLevel}
AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55+")


class SchemaError(ValueError):
    """The file as a whole cannot be used (empty, unknown or missing columns)."""


@dataclass(frozen=True)
class Validated:
    """``rows``: the accepted rows (index reset, original order kept); ``rejected``: one row per
    problem with ``row`` (1-based data row; the header is row 0), ``id``, ``field``, ``reason``."""

    rows: pd.DataFrame
    rejected: pd.DataFrame


def _present(s: pd.Series) -> np.ndarray:
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        return s.notna().to_numpy() & (s.astype(str).str.strip() != "").to_numpy()
    return s.notna().to_numpy()


def _check_columns(df: pd.DataFrame, allowed: list[str], required: list[str], what: str) -> None:
    if len(df) == 0:
        raise SchemaError(f"{what}: the file has no data rows")
    unknown = [c for c in df.columns if c not in allowed]
    if unknown:
        raise SchemaError(f"{what}: unknown columns {unknown}; allowed columns are {allowed}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise SchemaError(f"{what}: missing required columns {missing}")


class _Rejections:
    def __init__(self, df: pd.DataFrame):
        self.ids = df["id"].astype(object).where(df["id"].notna(), None).to_numpy()
        self.bad = np.zeros(len(df), dtype=bool)
        self.items: list[tuple[int, object, str, str]] = []

    def add(self, mask: np.ndarray, field: str, reason: str) -> None:
        for i in np.flatnonzero(mask):
            self.items.append((int(i) + 1, self.ids[i], field, reason))
        self.bad |= mask

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.items, columns=["row", "id", "field", "reason"])
        return out.sort_values(["row", "field"], kind="stable").reset_index(drop=True)


def _numeric(df: pd.DataFrame, col: str, rej: _Rejections) -> np.ndarray:
    raw = df[col]
    num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    rej.add(_present(raw) & np.isnan(num), col, "not a number")
    return num


def _ranges(df: pd.DataFrame, ranges: dict, integers: tuple, rej: _Rejections) -> dict[str, np.ndarray]:
    nums = {}
    for col, (lo, hi, lo_incl) in ranges.items():
        if col not in df.columns:
            continue
        x = _numeric(df, col, rej)
        below = (x < lo) if lo_incl else (x <= lo)
        rej.add(~np.isnan(x) & (below | (x > hi)), col,
                f"must be {'≥' if lo_incl else '>'} {lo} and ≤ {hi}")
        if col in integers:
            rej.add(~np.isnan(x) & (x != np.round(x)), col, "must be a whole number")
        nums[col] = x
    return nums


def _vocab(df: pd.DataFrame, col: str, allowed: set[str], rej: _Rejections, *, is_list: bool) -> None:
    if col not in df.columns:
        return
    bad = np.zeros(len(df), dtype=bool)
    seen: dict = {}  # verdict per distinct text cell: few distinct values, many rows
    for i, cell in enumerate(df[col].tolist()):
        if isinstance(cell, str) and cell in seen:
            bad[i] = seen[cell]
            continue
        try:
            values = _as_list(cell) if is_list else ([] if _blank(cell) else [str(cell).strip()])
            bad[i] = any(v not in allowed for v in values)
        except ValueError:
            bad[i] = True
        if isinstance(cell, str):
            seen[cell] = bad[i]
    rej.add(bad, col, f"values must be among {sorted(allowed)}")


def _duplicates(df: pd.DataFrame, rej: _Rejections) -> None:
    ids = df["id"].astype(str).str.strip()
    rej.add(~_present(df["id"]), "id", "missing (every row needs an id)")
    dup = ids.duplicated(keep=False).to_numpy() & _present(df["id"])
    rej.add(dup, "id", "duplicate id (every row with this id is rejected; ids must be unique)")


def validate_seekers(df: pd.DataFrame) -> Validated:
    """Check a seeker frame against the contract; see the module docstring."""
    _check_columns(df, SEEKER_COLUMNS, SEEKER_REQUIRED, "seekers")
    rej = _Rejections(df)
    _duplicates(df, rej)
    nums = _ranges(df, _SEEKER_RANGES, _SEEKER_INTEGERS, rej)
    if ("lat" in nums) != ("lon" in nums):
        raise SchemaError("seekers: give both lat and lon columns, or neither")
    if "lat" in nums:
        rej.add(np.isnan(nums["lat"]) != np.isnan(nums["lon"]), "lat", "give both lat and lon, or neither")
    for t, se in zip(APT_T, APT_SE):
        if (t in df.columns) != (se in df.columns):
            raise SchemaError(f"seekers: {t} and {se} come together (score and its standard error)")
        if t in nums:
            rej.add(np.isnan(nums[t]) != np.isnan(nums[se]), t, f"give both {t} and {se}, or neither")
    for group, name in ((RIASEC, "interests"), (BIG5, "big_five"), (WV, "work_values")):
        cols = [c for c in group if c in df.columns]
        if cols and len(cols) != len(group):
            raise SchemaError(f"seekers: {name} need all of {group} (or none); missing {sorted(set(group) - set(cols))}")
        if cols:
            have = np.stack([~np.isnan(nums[c]) for c in group], axis=1)
            rej.add(have.any(axis=1) & ~have.all(axis=1), group[0], f"give all of {group} or none")
    _vocab(df, "education", set(_EDU_RANK), rej, is_list=False)
    _vocab(df, "available_shifts", {s.value for s in Shift}, rej, is_list=True)
    _vocab(df, "physical_limitations", {d.value for d in PhysicalDemand}, rej, is_list=True)
    _vocab(df, "hard_to_employ", {h.value for h in HardToEmployCategory}, rej, is_list=False)
    _vocab(df, "gender", {g.value for g in Gender}, rej, is_list=False)
    _vocab(df, "age_band", set(AGE_BANDS), rej, is_list=False)
    if "work_history" in df.columns:
        _work_history_column(df["work_history"], rej)
    if "interested_occupations" in df.columns:
        bad = np.array([not all(re.match(OCCUPATION_CODE_PATTERN, c) for c in _safe_list(cell))
                        for cell in df["interested_occupations"]], dtype=bool)
        rej.add(bad, "interested_occupations", "not CSCO 2022 codes (like 4-10-05-02)")
    for col in ("zero_employment_family", "assistance_card"):
        if col in df.columns:
            rej.add(np.array([_bool_cell(v) is None for v in df[col]]), col, "must be true/false")
    rows = df.loc[~rej.bad].reset_index(drop=True)
    for col in ("zero_employment_family", "assistance_card"):
        if col in rows.columns:  # read once, here, so that every later step sees the same answer
            rows[col] = np.array([bool(_bool_cell(v)) for v in rows[col]], dtype=bool)
    return Validated(rows, rej.frame())


def validate_vacancies(df: pd.DataFrame) -> Validated:
    """Check a vacancy frame (columns of ``models.vacancy.VacancyOut``); zero or missing openings
    reject the row."""
    _check_columns(df, VACANCY_COLUMNS, VACANCY_REQUIRED, "vacancies")
    rej = _Rejections(df)
    _duplicates(df, rej)
    rej.add(~_present(df["district"]), "district", "missing (every vacancy needs a district)")
    rej.add(~_present(df["openings"]), "openings", "missing (at least 1)")
    nums = _ranges(df, _VACANCY_RANGES, ("openings", "pay_min", "pay_max", "referrals_so_far"), rej)
    if "pay_min" in nums and "pay_max" in nums:
        rej.add(nums["pay_min"] > nums["pay_max"], "pay_min", "pay_min must not exceed pay_max")
    if "lat" in nums and "lon" in nums:
        rej.add(np.isnan(nums["lat"]) != np.isnan(nums["lon"]), "lat", "give both lat and lon, or neither")
    _vocab(df, "education_min", set(_EDU_RANK), rej, is_list=False)
    _vocab(df, "shifts", {s.value for s in Shift}, rej, is_list=True)
    _vocab(df, "physical_demands", {d.value for d in PhysicalDemand}, rej, is_list=True)
    if "occupation_code" in df.columns:
        codes = df["occupation_code"].astype(object).where(df["occupation_code"].notna(), "")
        bad = _present(df["occupation_code"]) & ~codes.astype(str).str.match(OCCUPATION_CODE_PATTERN).to_numpy()
        rej.add(bad, "occupation_code", "not a CSCO 2022 code (like 4-10-05-02)")
    for col in ("closes_on", "posted_on"):
        if col in df.columns:
            parsed = pd.to_datetime(df[col], errors="coerce")
            rej.add(_present(df[col]) & parsed.isna().to_numpy(), col, "not a date (YYYY-MM-DD)")
    rows = df.loc[~rej.bad].reset_index(drop=True)
    for col in ("openings", "pay_min", "pay_max", "hours_per_week", "lat", "lon", "referrals_so_far"):
        if col in rows.columns:
            rows[col] = pd.to_numeric(rows[col])
    for col in ("education_min_is_hard", "public_welfare", "internship", "directed_training"):
        if col in rows.columns:
            rows[col] = [bool(_bool_cell(v)) for v in rows[col]]
    for col in ("closes_on", "posted_on"):
        if col in rows.columns:
            rows[col] = pd.to_datetime(rows[col]).dt.date.astype(object).where(rows[col].notna(), None)
    return Validated(rows, rej.frame())


WORK_HISTORY_HELP = ("write code:months[:end_year] entries joined by |, e.g. 4-02-02-02:48:2024|6-18-01-01:24, "
                     "or a JSON list of {occupation_code, title, months, end_year}")


MAX_MONTHS, END_YEARS, MAX_JOBS = 720, (1950, 2100), 100
"""``models.profile.PastJob``'s bounds: months of one job, the year it ended, jobs per person."""


def parse_work_history(cell: object) -> tuple[tuple[str | None, str | None, int, int | None], ...]:
    """A ``work_history`` cell as (occupation code, title, months, end year) per past job, with the
    bounds of ``models.profile.PastJob`` (see the module docstring); () when empty. ``ValueError``
    naming the entry and the fix when a cell cannot be read."""
    if _blank(cell):
        return ()
    if isinstance(cell, str) and cell.strip().startswith("["):
        return _json_history(cell)
    if not isinstance(cell, str):
        raise ValueError(f"cannot read {cell!r}; {WORK_HISTORY_HELP}")
    jobs = []
    for n, part in enumerate(p.strip() for p in cell.split("|")):
        bits = [b.strip() for b in part.split(":")]
        if len(bits) not in (2, 3) or not all(bits):
            raise ValueError(f"entry {n + 1} ({part!r}) is not code:months[:end_year]; {WORK_HISTORY_HELP}")
        if not re.match(OCCUPATION_CODE_PATTERN, bits[0]):
            raise ValueError(f"entry {n + 1}: {bits[0]!r} is not a CSCO 2022 code (like 4-02-02-02)")
        months = _whole(bits[1], 0, MAX_MONTHS, f"entry {n + 1}: months")
        end = _whole(bits[2], *END_YEARS, f"entry {n + 1}: end year") if len(bits) == 3 else None
        jobs.append((bits[0], None, months, end))
    if len(jobs) > MAX_JOBS:
        raise ValueError(f"at most {MAX_JOBS} past jobs per person")
    return tuple(jobs)


def _whole(text: str, lo: int, hi: int, what: str) -> int:
    if not re.fullmatch(r"\d+", text) or not lo <= int(text) <= hi:
        raise ValueError(f"{what} must be a whole number from {lo} to {hi}, not {text!r}")
    return int(text)


def _json_history(cell: str) -> tuple:
    from models.profile import PastJob

    try:
        entries = json.loads(cell)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg}); {WORK_HISTORY_HELP}") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"a JSON work history is a list of objects; {WORK_HISTORY_HELP}")
    if len(entries) > MAX_JOBS:
        raise ValueError(f"at most {MAX_JOBS} past jobs per person")
    jobs = []
    for n, e in enumerate(entries):
        try:
            j = PastJob.model_validate(e)
        except ValueError as exc:  # pydantic's ValidationError: name the entry and the first problem
            first = exc.errors()[0] if hasattr(exc, "errors") else {"loc": (), "msg": str(exc)}
            where = ".".join(str(x) for x in first["loc"]) or "entry"
            raise ValueError(f"entry {n + 1}: {where}: {first['msg']}; {WORK_HISTORY_HELP}") from None
        jobs.append((j.occupation_code, j.title, j.months, j.end_year))
    return tuple(jobs)


def _work_history_column(cells: pd.Series, rej: _Rejections) -> None:
    """Reject the rows whose ``work_history`` cannot be read, with the parser's reason."""
    seen: dict = {}   # verdict per distinct text cell: few distinct histories, many rows
    bad: dict[str, list[int]] = {}
    for i, cell in enumerate(cells.tolist()):
        key = cell if isinstance(cell, str) else None
        if key is None or key not in seen:
            try:
                parse_work_history(cell)
                verdict = None
            except ValueError as exc:
                verdict = str(exc)
            if key is not None:
                seen[key] = verdict
        else:
            verdict = seen[key]
        if verdict is not None:
            bad.setdefault(verdict, []).append(i)
    for reason, rows in bad.items():
        mask = np.zeros(len(cells), dtype=bool)
        mask[rows] = True
        rej.add(mask, "work_history", reason)


# One job of the compact form without spaces (the common case), e.g. ``4-02-02-02:36:2023``.
_COMPACT_JOB = re.compile(r"(\d-\d{2}(?:-\d{2}){0,2}):(\d+)(?::(\d+))?")


def _compact_jobs(cell: str) -> tuple | None:
    """``_history``'s jobs of a compact cell whose every entry is ``code:months[:end_year]``
    without spaces and within ``parse_work_history``'s bounds (the same numbers it gives, at a
    fraction of the cost: one regular expression per entry); None for any other cell."""
    jobs = []
    for part in cell.split("|"):
        m = _COMPACT_JOB.fullmatch(part)
        if m is None:
            return None
        months, end = int(m[2]), m[3]
        if months > MAX_MONTHS or (end is not None and not END_YEARS[0] <= int(end) <= END_YEARS[1]):
            return None
        jobs.append((m[1], float(months), float("nan") if end is None else float(int(end))))
    return tuple(jobs) if len(jobs) <= MAX_JOBS else None


def _history(cells: pd.Series | None, n: int) -> tuple:
    """``PersonBlock.history`` from (validated) ``work_history`` cells: each person's coded jobs
    as (code, months, end year or NaN), in the order given, as ``PersonBlock.from_profiles``."""
    if cells is None:
        return tuple(() for _ in range(n))
    seen: dict = {}
    out = []
    for cell in cells.tolist():
        key = cell if isinstance(cell, str) else None
        if key is None or key not in seen:
            jobs = _compact_jobs(key) if key is not None else None
            if jobs is None:
                jobs = tuple((code, float(months), float("nan") if end is None else float(end))
                             for code, _, months, end in parse_work_history(cell) if code)
            if key is not None:
                seen[key] = jobs
        else:
            jobs = seen[key]
        out.append(jobs)
    return tuple(out)


def _blank(cell: object) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)) or (
        isinstance(cell, str) and not cell.strip())


def _safe_list(cell: object) -> list[str]:
    try:
        return _as_list(cell)
    except ValueError:
        return ["?"]


def _bool_cell(v: object) -> bool | None:
    """true/false, 1/0, yes/no, 是/否; empty is False; None when unreadable."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return False
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.integer, np.floating)) and v in (0, 1):
        return bool(v)
    s = str(v).strip().lower()
    if s in {"true", "1", "yes", "y", "是", "t"}:
        return True
    if s in {"false", "0", "no", "n", "否", "f", ""}:
        return False
    return None


def _col(df: pd.DataFrame, name: str) -> np.ndarray:
    if name not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[name]).to_numpy(dtype=float, na_value=np.nan)


def _mask(df: pd.DataFrame, name: str, bits: dict) -> np.ndarray:
    out = np.zeros(len(df), dtype=np.int64)
    if name not in df.columns:
        return out
    lookup = {getattr(k, "value", k): v for k, v in bits.items()}
    seen: dict = {}           # a few distinct cells ("day|weekend") repeat over the block
    for i, cell in enumerate(df[name].tolist()):
        key = cell if isinstance(cell, str) else None
        if key is None or key not in seen:
            mask = 0
            for s in _as_list(cell):
                mask |= lookup[s]
            if key is not None:
                seen[key] = mask
        else:
            mask = seen[key]
        out[i] = mask
    return out


def person_block(df: pd.DataFrame) -> PersonBlock:
    """The arrays ``PersonBlock.from_profiles`` would build from these (validated) rows, without
    building a ``Profile`` per row (equality is tested)."""
    n = len(df)
    apt_t = np.stack([_col(df, c) for c in APT_T], axis=1)
    apt_se = np.stack([_col(df, c) for c in APT_SE], axis=1)
    known = ~np.isnan(apt_t) & ~np.isnan(apt_se)
    apt_t, apt_se = np.where(known, apt_t, np.nan), np.where(known, apt_se, np.nan)

    def block(cols: list[str]) -> np.ndarray:
        x = np.stack([_col(df, c) for c in cols], axis=1)
        return np.where(np.isnan(x).any(axis=1, keepdims=True), np.nan, x)

    lat, lon = _col(df, "lat"), _col(df, "lon")
    both = ~np.isnan(lat) & ~np.isnan(lon)
    edu = np.full(n, np.nan)
    if "education" in df.columns:
        rank = {v: _EDU_RANK.get(v.strip(), np.nan) if v.strip() else np.nan
                for v in set(df["education"].tolist()) if isinstance(v, str)}
        edu = np.array([rank[v] if isinstance(v, str) else np.nan for v in df["education"].tolist()], dtype=float)
    district = (df["district"].astype(object).where(df["district"].notna(), None).to_numpy(dtype=object)
                if "district" in df.columns else np.full(n, None, dtype=object))
    district = np.array([None if d is None or (isinstance(d, str) and not d.strip()) else str(d).strip()
                         for d in district], dtype=object)

    def cells(name: str, read) -> tuple:
        """``read(_as_list(cell))`` per cell, once per distinct text (cells repeat: "day", "电工证")."""
        if name not in df.columns:
            return tuple(read([]) for _ in range(n))
        seen: dict = {}
        out = []
        for c in df[name].tolist():
            if not isinstance(c, str):
                out.append(read(_as_list(c)))
            elif c not in seen:
                out.append(seen.setdefault(c, read(_as_list(c))))
            else:
                out.append(seen[c])
        return tuple(out)

    return PersonBlock(
        ids=df["id"].astype(str).str.strip().to_numpy(dtype=object),
        apt_t=apt_t, apt_se=apt_se, riasec=block(RIASEC), big_five=block(BIG5), values=block(WV),
        education=edu, district=district,
        lat=np.where(both, lat, np.nan), lon=np.where(both, lon, np.nan),
        expected_pay=_col(df, "expected_monthly_pay"), max_hours=_col(df, "max_hours_per_week"),
        max_commute=_col(df, "max_commute_minutes"),
        shift_mask=_mask(df, "available_shifts", SHIFT_BITS),
        physical_mask=_mask(df, "physical_limitations", PHYSICAL_BITS),
        certificates=cells("certificates", lambda cs: frozenset(normalise_certificate(c) for c in cs)),
        interested=cells("interested_occupations", tuple),
        history=_history(df["work_history"] if "work_history" in df.columns else None, n),
    )


def seeker_profiles(df: pd.DataFrame) -> list:
    """One ``models.profile.Profile`` per (validated) row: the single-profile matcher's input,
    used to check the batch kernel against it. Audit attributes are not part of a profile."""
    from models.person import Constraints, PriorityGroups
    from models.profile import (AptitudeScores, BigFiveScores, PastJob, Profile, RiasecScores, TScore,
                                WorkValueScores)

    def val(row: pd.Series, c: str) -> object:
        v = row.get(c)
        if v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()):
            return None
        return v

    out = []
    for _, row in df.iterrows():
        apt = {code: TScore(t=float(row[t]), se=float(row[se])) for code, t, se in zip(APTITUDE_CODES, APT_T, APT_SE)
               if val(row, t) is not None and val(row, se) is not None}
        group = lambda cols, codes: ({k: float(row[c]) for k, c in zip(codes, cols)}  # noqa: E731
                                     if all(val(row, c) is not None for c in cols) else None)
        riasec, big5, wv = group(RIASEC, RIASEC_CODES), group(BIG5, BIG_FIVE_CODES), group(WV, WORK_VALUE_CODES)
        num = lambda c: None if val(row, c) is None else int(float(row[c]))  # noqa: E731
        has_xy = val(row, "lat") is not None and val(row, "lon") is not None
        out.append(Profile(
            person_id=str(row["id"]).strip(),
            aptitudes=AptitudeScores(**apt) if apt else None,
            interests=RiasecScores(**riasec) if riasec else None,
            big_five=BigFiveScores(**big5) if big5 else None,
            work_values=WorkValueScores(**wv) if wv else None,
            education=val(row, "education"), district=val(row, "district"),
            home_lat=float(row["lat"]) if has_xy else None, home_lon=float(row["lon"]) if has_xy else None,
            expected_monthly_pay=num("expected_monthly_pay"),
            constraints=Constraints(
                max_hours_per_week=num("max_hours_per_week"), max_commute_minutes=num("max_commute_minutes"),
                available_shifts=_as_list(row.get("available_shifts")),
                physical_limitations=_as_list(row.get("physical_limitations"))),
            certificates=_as_list(row.get("certificates")),
            interested_occupations=_as_list(row.get("interested_occupations")),
            work_history=[PastJob(occupation_code=code, title=title, months=months, end_year=end)
                          for code, title, months, end in parse_work_history(row.get("work_history"))],
            priority=PriorityGroups(zero_employment_family=bool(_bool_cell(row.get("zero_employment_family"))),
                                    hard_to_employ=val(row, "hard_to_employ"),
                                    assistance_card=bool(_bool_cell(row.get("assistance_card")))),
        ))
    return out


def profiles_frame(profiles: list, audit: list[dict] | None = None) -> pd.DataFrame:
    """Seeker rows from ``Profile`` objects (the database path), with optional audit attributes
    (``gender``, ``birth_year``) per profile."""
    rows = []
    for i, p in enumerate(profiles):
        r: dict[str, object] = {"id": p.person_id, "district": p.district, "lat": p.home_lat, "lon": p.home_lon,
                                "education": p.education.value if p.education else None,
                                "expected_monthly_pay": p.expected_monthly_pay,
                                "max_hours_per_week": p.constraints.max_hours_per_week,
                                "max_commute_minutes": p.constraints.max_commute_minutes,
                                "available_shifts": "|".join(s.value for s in p.constraints.available_shifts),
                                "physical_limitations": "|".join(d.value for d in p.constraints.physical_limitations),
                                "certificates": "|".join(p.certificates),
                                "interested_occupations": "|".join(p.interested_occupations),
                                "work_history": json.dumps([j.model_dump(exclude_none=True) for j in p.work_history],
                                                           ensure_ascii=False) if p.work_history else None,
                                "zero_employment_family": p.priority.zero_employment_family,
                                "hard_to_employ": p.priority.hard_to_employ.value if p.priority.hard_to_employ else None,
                                "assistance_card": p.priority.assistance_card}
        for code, t, se in zip(APTITUDE_CODES, APT_T, APT_SE):
            s = getattr(p.aptitudes, code) if p.aptitudes else None
            r[t], r[se] = (s.t, s.se) if s else (None, None)
        for obj, cols, codes in ((p.interests, RIASEC, RIASEC_CODES), (p.big_five, BIG5, BIG_FIVE_CODES),
                                 (p.work_values, WV, WORK_VALUE_CODES)):
            for c, code in zip(cols, codes):
                r[c] = getattr(obj, code) if obj else None
        extra = (audit or [{}] * len(profiles))[i]
        r["gender"] = extra.get("gender")
        r["birth_year"] = extra.get("birth_year")
        rows.append(r)
    frame = pd.DataFrame(rows, columns=[c for c in SEEKER_COLUMNS if c != "age_band"])
    for c in APT_T + APT_SE + RIASEC + BIG5 + WV + ["lat", "lon", "expected_monthly_pay", "max_hours_per_week",
                                                  "max_commute_minutes", "birth_year"]:
        frame[c] = pd.to_numeric(frame[c]).astype(float)
    return frame


def age_band(birth_year: np.ndarray, reference_year: int) -> np.ndarray:
    """Age bands for the audit (16-24, 25-34, 35-44, 45-54, 55+); None when unknown."""
    age = reference_year - birth_year
    out = np.full(len(age), None, dtype=object)
    edges = [(16, 25), (25, 35), (35, 45), (45, 55), (55, 200)]
    for band, (lo, hi) in zip(AGE_BANDS, edges):
        out[(age >= lo) & (age < hi)] = band
    return out
