"""Rank occupations (job directions) for one profile on the vacancies' weighted total.

An occupation has no eligibility of its own (constraints belong to concrete vacancies); its practical
component is the person's education against the occupation's typical level with one level of
tolerance. Totals 0–100, components 0–1, as in ``matching.rank``.
"""
from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from matching import reasons as R
from matching.components import (
    COMPONENTS,
    OccupationTable,
    PersonBlock,
    education_fit,
    experience_component,
    psychometric_components,
)
from matching.fit_reasons import bridging_training, psychometric_candidates
from matching.prepared import REASON_BITS
from matching.rank import (
    TYPICAL_EDUCATION_TOLERANCE,
    _weights_array,
    combine,
    occupation_table,
    rounded_components,
    top_k,
)
from models.match import FitWeights, IneligibleSummary, MatchResult, Ranking
from models.profile import Profile

__all__ = ["rank_occupations", "score_occupations"]


def score_occupations(persons: PersonBlock, occ: OccupationTable, weights: FitWeights | None = None,
                      *, as_of: date | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Totals 0–100 and components for people × detailed occupations (practical = education
    against the occupation's typical level, with one level of tolerance)."""
    w = _weights_array(weights or FitWeights())
    n = occ.n_detailed
    comps = {c: x[:, :n] for c, x in psychometric_components(persons, occ).items()}
    comps["experience"] = experience_component(persons, occ, (as_of or date.today()).year)[:, :n]
    comps["practical"] = education_fit(persons.education[:, None],
                                       occ.education[None, :n] - TYPICAL_EDUCATION_TOLERANCE)
    return combine(comps, w, COMPONENTS), comps


def rank_occupations(profile: Profile, occupations: pd.DataFrame | OccupationTable, k: int = 10,
                     weights: FitWeights | None = None, *, programmes: pd.DataFrame | None = None) -> Ranking:
    """Top-k occupations (job directions) for ``profile``. No eligibility applies to an
    occupation as such; constraints belong to concrete vacancies."""
    weights = weights or FitWeights()
    occ = occupation_table(occupations)
    persons = PersonBlock.from_profiles([profile])
    total, comps = score_occupations(persons, occ, weights)
    best = top_k(total[0], np.ones(occ.n_detailed, dtype=bool), k)
    results = []
    for r, j in enumerate(best):
        c = {name: float(x[0, j]) for name, x in comps.items()}
        cands = psychometric_candidates(persons, occ, int(j), c, bridging_training(programmes, occ.codes[j]))
        typical = occ.education[j] - TYPICAL_EDUCATION_TOLERANCE
        if not math.isnan(persons.education[0]) and persons.education[0] < typical:
            cands.append(R.Candidate("occupation_education_below", 0.6,
                                     {"education": R.EDUCATION_NAMES[int(round(occ.education[j]))]}))
        results.append(MatchResult(
            item_id=str(occ.codes[j]), kind="occupation", rank=r + 1, title=str(occ.names_zh[j]),
            occupation_code=str(occ.codes[j]), total=round(float(total[0, j]), 2),
            components=rounded_components(comps, 0, int(j)), reasons=R.choose(cands, float(total[0, j]))))
    empty = IneligibleSummary(n_items=occ.n_detailed, n_eligible=occ.n_detailed, n_ineligible=0,
                              by_reason={r: 0 for r in REASON_BITS})
    return Ranking(kind="occupation", results=results, ineligible=empty,
                   weights=dict(zip(COMPONENTS, _weights_array(weights).round(4).tolist())))
