"""Rank vacancies for one profile, and the weighted total and top-k every ranking shares.

Pipeline: eligibility (``matching.eligibility``) → fit components (``matching.components``) →
weighted total 0–100 (``combine``) → top-k (``top_k``), each with its components and 2–3 reasons
(``matching.fit_reasons``). Occupations and training programmes are ranked on the same total in
``matching.occupation_ranking`` and ``matching.programme_ranking``.

The kernel ``score_vacancies`` works on a block of people × a pool of vacancies. It computes the
psychometric components once per (person, occupation) and gathers them per vacancy; the practical
component and eligibility are per (person, vacancy). ``rank_vacancies`` is that kernel on a block
of one, so batch matching (issue 7) gets exactly the same numbers by calling ``score_vacancies`` on
larger blocks. Order among equal totals is by row position in the pool.

Frames: vacancies use the column names of ``models.vacancy.VacancyOut`` (``matching.frames.vacancies_frame``
builds one); list cells may be lists or 'a|b' strings. Occupations follow ``matching/data/CONTRACT.md``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date

import numpy as np
import pandas as pd
from scipy import sparse

from matching.components import (
    COMPONENTS,
    OccupationTable,
    PersonBlock,
    distance_fit,
    education_fit,
    experience_component,
    hours_fit,
    nanmean_stack,
    pay_fit,
    psychometric_components,
)
from matching.eligibility import Reach, eligibility, reach, summarise
from matching.fit_reasons import vacancy_reasons
from matching.near_miss import near_misses
from matching.prepared import ItemArrays, _bool, _float
from models.match import FitWeights, MatchResult, Ranking
from models.profile import Profile

# The occupation's typical education is what most workers have, not the minimum; one level below
# it counts as meeting it.
TYPICAL_EDUCATION_TOLERANCE = 1.0


def _weights_array(weights: FitWeights) -> np.ndarray:
    w = np.array([getattr(weights, c) for c in COMPONENTS], dtype=float)
    return w / w.sum()


def weighted_sum(components: dict[str, np.ndarray], weights: np.ndarray,
                 names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Σ w·x and Σ w over the ``names`` components that are not NaN, in ``names`` order
    (``combine``'s numerator and denominator; batch matching adds the practical term later)."""
    num = None
    den = None
    for w, name in zip(weights, names):
        x = components[name]
        ok = ~np.isnan(x)
        term = np.where(ok, w * x, 0.0)
        wt = np.where(ok, w, 0.0)
        num = term if num is None else num + term
        den = wt if den is None else den + wt
    return num, den


def combine(components: dict[str, np.ndarray], weights: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Weighted total 0–100 over the components that are not NaN, weights renormalised.

    A pair with no computable component at all gets 50 (no evidence either way).
    """
    num, den = weighted_sum(components, weights, names)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), 50.0)


def occupation_table(occupations: pd.DataFrame | OccupationTable) -> OccupationTable:
    """``occupations`` as an ``OccupationTable`` (built from a ``CONTRACT.md`` frame when needed)."""
    return occupations if isinstance(occupations, OccupationTable) else OccupationTable.from_frame(occupations)


# --------------------------------------------------------------------------------------------
# Vacancy pool and the block kernel
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VacancyPool:
    """Vacancies prepared once for repeated scoring (the API and batch jobs keep one in memory).

    ``occupations`` is the occupation table extended with rows for any coarser codes the
    vacancies use; ``occ_idx`` points into it (−1 = no or unknown code).
    """

    items: ItemArrays
    occupations: OccupationTable
    occ_idx: np.ndarray
    occ_codes: np.ndarray
    pay_min: np.ndarray
    pay_max: np.ndarray
    openings: np.ndarray
    public_welfare: np.ndarray
    internship: np.ndarray
    directed_training: np.ndarray
    soft_edu_required: np.ndarray  # (m,) rank the practical education fit compares against

    @property
    def n(self) -> int:
        return self.items.n

    def take(self, columns: np.ndarray) -> "VacancyPool":
        """The pool of the vacancies at positions ``columns`` (same occupation table and vocabularies):
        scoring it gives those vacancies' numbers of the whole pool at their share of the cost."""
        n = self.n

        def cut(x):
            return x[columns] if (isinstance(x, np.ndarray) or sparse.issparse(x)) and x.shape[:1] == (n,) else x

        items = replace(self.items, **{f.name: cut(getattr(self.items, f.name)) for f in fields(self.items)})
        return replace(self, items=items, **{f.name: cut(getattr(self, f.name)) for f in fields(self)
                                             if f.name not in ("items", "occupations")})

    @classmethod
    def from_frame(cls, vacancies: pd.DataFrame, occupations: pd.DataFrame | OccupationTable) -> "VacancyPool":
        occ = occupation_table(occupations)
        items = ItemArrays.from_frame(vacancies, shifts_col="shifts", closes_col="closes_on",
                                      edu_hard_col="education_min_is_hard")
        codes = (vacancies["occupation_code"].astype(object).where(vacancies["occupation_code"].notna(), None)
                 .to_numpy(dtype=object) if "occupation_code" in vacancies.columns
                 else np.full(len(vacancies), None, dtype=object))
        occ, idx = occ.with_codes(list(codes))
        typical = np.where(idx >= 0, occ.education[np.maximum(idx, 0)] - TYPICAL_EDUCATION_TOLERANCE, np.nan)
        openings = _float(vacancies, "openings")
        return cls(
            items=items, occupations=occ, occ_idx=idx, occ_codes=codes,
            pay_min=_float(vacancies, "pay_min"), pay_max=_float(vacancies, "pay_max"),
            openings=np.where(np.isnan(openings), 1.0, openings),
            public_welfare=_bool(vacancies, "public_welfare"), internship=_bool(vacancies, "internship"),
            directed_training=_bool(vacancies, "directed_training"),
            soft_edu_required=np.where(np.isnan(items.edu_min), typical, items.edu_min),
        )


@dataclass(frozen=True)
class BlockScores:
    """Scores of a block of people × a pool: ``total`` 0–100, ``fail`` eligibility bitmask (0 =
    eligible), ``components`` 0–1 (NaN = not computable), ``practical_parts`` the practical
    sub-scores, ``psych`` the (people × occupations) components they were gathered from."""

    total: np.ndarray
    fail: np.ndarray
    components: dict[str, np.ndarray]
    practical_parts: dict[str, np.ndarray]
    reach: Reach
    psych: dict[str, np.ndarray]


def gather_psychometric(psych: dict[str, np.ndarray], occ_idx: np.ndarray, n_detailed: int) -> dict[str, np.ndarray]:
    """Per-vacancy psychometric components from per-occupation ones, (n_p, n_v).

    A vacancy without a known occupation gets the person's median over the detailed occupations:
    'a typical occupation for this person', neither rewarded nor punished for missing data.
    """
    out = {}
    for name, x in psych.items():
        med = np.median(x[:, :n_detailed], axis=1, keepdims=True)
        full = np.concatenate([x, med], axis=1)
        out[name] = full[:, np.where(occ_idx >= 0, occ_idx, x.shape[1])]
    return out


def score_vacancies(persons: PersonBlock, pool: VacancyPool, weights: FitWeights | None = None, *,
                    as_of: date | None = None) -> BlockScores:
    """The matching kernel: every (person, vacancy) pair of a block.

    Memory is about 12 arrays of n_p × n_v float64; batch callers size blocks accordingly.
    """
    w = _weights_array(weights or FitWeights())
    psych = psychometric_components(persons, pool.occupations)
    psych["experience"] = experience_component(persons, pool.occupations, (as_of or date.today()).year)
    comps = gather_psychometric(psych, pool.occ_idx, pool.occupations.n_detailed)
    r = reach(persons, pool.items)
    fail = eligibility(persons, pool.items, as_of=as_of, reach_=r)
    parts = {
        "distance": distance_fit(r.minutes, persons.max_commute[:, None], r.same_district),
        "hours": np.broadcast_to(hours_fit(pool.items.hours)[None, :], fail.shape),
        "pay": pay_fit(persons.expected_pay[:, None], pool.pay_min[None, :], pool.pay_max[None, :]),
        "education": education_fit(persons.education[:, None], pool.soft_edu_required[None, :]),
    }
    comps["practical"] = nanmean_stack(list(parts.values()))
    total = combine(comps, w, COMPONENTS)
    return BlockScores(total=total, fail=fail, components=comps, practical_parts=parts, reach=r, psych=psych)


def top_k(total: np.ndarray, eligible: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest totals among eligible items, by total descending, ties by
    position. Works on one row (1-D arrays)."""
    cand = np.flatnonzero(eligible)
    if k <= 0 or cand.size == 0:
        return cand[:0]
    vals = total[cand]
    if cand.size > k:
        kth = np.partition(vals, cand.size - k)[cand.size - k]  # k-th largest value
        cand = cand[vals >= kth]  # keeps every tie at the boundary
    order = np.lexsort((cand, -total[cand]))
    return cand[order][:k]


def rounded_components(comps: dict[str, np.ndarray], i: int, j: int) -> dict[str, float | None]:
    """Components of pair (i, j) rounded to 4 decimals for a ``MatchResult``; None where not computable."""
    return {c: (None if math.isnan(x := float(comps[c][i, j])) else round(x, 4)) for c in comps}


def rank_vacancies(profile: Profile, vacancies: pd.DataFrame | VacancyPool,
                   occupations: pd.DataFrame | OccupationTable | None = None, k: int = 10,
                   weights: FitWeights | None = None, *, as_of: date | None = None,
                   programmes: pd.DataFrame | None = None) -> Ranking:
    """Top-k eligible vacancies for ``profile`` with components (0–1), total (0–100) and reasons.

    ``vacancies`` is a frame (prepared on every call) or a ``VacancyPool`` prepared once, in
    which case ``occupations`` may be omitted. ``programmes``, when given, lets aptitude-gap
    reasons name a course that targets the vacancy's occupation.
    """
    if isinstance(vacancies, VacancyPool):
        pool = vacancies
    else:
        if occupations is None:
            raise ValueError("occupations are needed to prepare a vacancy frame")
        pool = VacancyPool.from_frame(vacancies, occupations)
    weights = weights or FitWeights()
    persons = PersonBlock.from_profiles([profile])
    s = score_vacancies(persons, pool, weights, as_of=as_of)
    best = top_k(s.total[0], s.fail[0] == 0, k)
    results = [
        MatchResult(
            item_id=str(pool.items.ids[v]), kind="vacancy", rank=r + 1,
            title=pool.items.titles[v], occupation_code=pool.occ_codes[v],
            total=round(float(s.total[0, v]), 2),
            components=rounded_components(s.components, 0, v),
            reasons=vacancy_reasons(persons, pool, s, v, programmes),
        )
        for r, v in enumerate(best)
    ]
    # Fewer than k eligible: say what relaxing one constraint would open (never relaxed here).
    misses = near_misses(persons, pool.items, s.fail[0], s.reach) if len(best) < k else []
    return Ranking(kind="vacancy", results=results, ineligible=summarise(s.fail[0]), near_misses=misses,
                   weights=dict(zip(COMPONENTS, _weights_array(weights).round(4).tolist())))


__all__ = [
    "BlockScores", "TYPICAL_EDUCATION_TOLERANCE", "VacancyPool", "combine", "gather_psychometric", "occupation_table",
    "rank_vacancies", "rounded_components", "score_vacancies", "top_k", "weighted_sum",
]
