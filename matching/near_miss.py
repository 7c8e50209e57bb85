"""Near misses: when a person's constraints leave fewer than k vacancies (or none), say which
constraint excludes most and what relaxing it a little would open, without relaxing anything.

Only constraints a person might choose to relax are offered: travel time, weekly hours, shifts and
a missing certificate (which training can supply). Declared physical limitations and hard education
minimums are never suggested for relaxing; closed vacancies are not options. A vacancy counts as
opened only if the relaxed constraint is the only one it fails.

Relaxed values tried (the smallest that opens anything is reported): the commute limit plus 10, 20,
30, 45 or 60 minutes; weekly hours at the next of 30, 35, 40, 44, 48; each shift the person has not
listed; each missing certificate.
"""
from __future__ import annotations

import numpy as np

from matching import reasons as R
from matching.components import PersonBlock
from matching.eligibility import REASON_BITS, SHIFT_BITS, ItemArrays, Reach, missing_certificates
from models.match import NearMiss

COMMUTE_STEPS_MIN = (10, 20, 30, 45, 60)
HOURS_STEPS = (30, 35, 40, 44, 48)


def _miss(code: str, which: str, excluded: int, relaxed: str | None, extra: int, **params) -> NearMiss:
    reason = R.render(code, **params)
    return NearMiss(constraint=which, excluded=excluded, relaxed_to=relaxed, extra_items=extra,
                    **{"zh-CN": reason.zh_CN}, en=reason.en)


def near_misses(persons: PersonBlock, items: ItemArrays, fail: np.ndarray, reach_: Reach) -> list[NearMiss]:
    """For person 0 of ``persons``: one entry per relaxable constraint that would open vacancies
    (counted as vacancies, not positions), the constraint excluding most first. ``fail`` is the
    person's eligibility row (m,); ``reach_`` the block's reach."""
    fail = np.asarray(fail)
    out: list[NearMiss] = []
    only = {r: fail == b for r, b in REASON_BITS.items()}
    excluded = {r: int(np.count_nonzero(fail & b)) for r, b in REASON_BITS.items()}

    limit = persons.max_commute[0]
    if only["commute"].any() and not np.isnan(limit):
        minutes = reach_.minutes[0]
        for step in COMMUTE_STEPS_MIN:
            new = limit + step
            n = int(np.count_nonzero(only["commute"] & (minutes <= new)))
            if n:
                out.append(_miss("near_miss_commute", "commute", excluded["commute"], f"{new:.0f}", n,
                                 minutes=f"{new:.0f}", n=n))
                break
    hours = persons.max_hours[0]
    if only["hours"].any() and not np.isnan(hours):
        for new in (h for h in HOURS_STEPS if h > hours):
            n = int(np.count_nonzero(only["hours"] & (items.hours <= new)))
            if n:
                out.append(_miss("near_miss_hours", "hours", excluded["hours"], str(new), n, hours=str(new), n=n))
                break
    pm = int(persons.shift_mask[0])
    if only["shift"].any() and pm:
        best = None
        for shift, bit in SHIFT_BITS.items():
            if pm & bit:
                continue
            n = int(np.count_nonzero(only["shift"] & ((items.shift_mask & ~(pm | bit)) == 0)))
            if n and (best is None or n > best[1]):
                best = (shift, n)
        if best:
            out.append(_miss("near_miss_shift", "shift", excluded["shift"], str(best[0]), best[1],
                             shift=R.SHIFT_NAMES[str(best[0])], n=best[1]))
    if only["certificate"].any():
        rows = np.flatnonzero(only["certificate"])
        one_short = rows[missing_certificates(persons, items, rows)[0] == 1]
        if one_short.size:
            names = {v: k for k, v in items.cert_vocab.items()}
            held = persons.certificates[0]
            counts: dict[str, int] = {}
            req = items.cert_req[one_short]
            for i in range(req.shape[0]):
                for k in req.indices[req.indptr[i]:req.indptr[i + 1]]:
                    if names[k] not in held:
                        counts[names[k]] = counts.get(names[k], 0) + 1
            cert, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            # Names are the normalised spelling (case and spaces folded), which for Chinese
            # certificate names is the name itself.
            out.append(_miss("near_miss_certificate", "certificate", excluded["certificate"], cert, n,
                             certificate=cert, n=n))
    out.sort(key=lambda m: (-m.excluded, m.constraint))
    if not out:
        worst = max((r for r in REASON_BITS if r != "closed"), key=lambda r: excluded[r])
        if excluded[worst]:
            out.append(_miss("near_miss_none", worst, excluded[worst], None, 0,
                             constraint=R.CONSTRAINT_NAMES[worst]))
    return out


__all__ = ["near_misses"]
