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

from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.components import commute_minutes
from matching.prepared import (  # noqa: F401  (re-exported for callers of the old names)
    _EDU_RANK,
    PHYSICAL_BITS,
    REASON_BITS,
    SHIFT_BITS,
    ItemArrays,
    PersonBlock,
    _as_list,
    _bool,
    _dates,
    _edu,
    _float,
    _mask,
    normalise_certificate,
)
from models.match import IneligibleSummary

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
