"""The matcher as one estimator-style object: ``Matcher(weights).fit(occupations, vacancies,
programmes)`` prepares the arrays once; ``.rank(profile, kind, k)`` ranks vacancies, job
directions (occupations, one entry per family) or training programmes for one person, and
``.score_block(persons)`` scores a block of people against every vacancy (the numbers the batch
kernel reproduces).

Job directions (``kind="occupations"``):

- Ineligible: occupations that typically demand (``phys_*`` = 1) something the person declared
  they cannot do; counted under "physical" in the summary.
- Not yet: occupations whose typical education is more than 1.5 levels above the person's, or
  where a required aptitude is more than 8 T points (0.8 SD) below the occupation's minimum and
  the person more likely below than above it, unless the person has done this work (experience
  component ≥ 0.8, about two years in the same occupation or family); and licensed lines of work
  (every local vacancy of the family requires a certificate the person lacks, 持证上岗), so a held
  certificate is what opens them. They go to ``after_training`` ("培训后可以考虑",
  "Options after training") with the programme that targets them, when they would otherwise have
  made the list; they never sit in the main list.
- One entry per family (``matching.families``), members named; order by the best member's
  rounded total, then experience, then local demand, then the exact total.

A profile with no scores and no coded past job raises ``NotEnoughInformation`` (the API answers
422): there is nothing to rank on, and a total made of practical fit alone would look like a
recommendation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import ndtr

from matching import reasons as R
from matching.components import (
    COMPONENTS,
    OccupationTable,
    PersonBlock,
    normalise_certificate,
    occupation_physical_fail,
)
from matching.eligibility import REASON_BITS, missing_certificates
from matching.families import Families, family_demand, order_families
from matching.fit_reasons import bridging_title, bridging_training, psychometric_candidates
from matching.occupation_ranking import score_occupations
from matching.programme_ranking import rank_programmes
from matching.rank import (
    TYPICAL_EDUCATION_TOLERANCE,
    BlockScores,
    VacancyPool,
    _weights_array,
    rank_vacancies,
    rounded_components,
    score_vacancies,
)
from models.match import FamilyMember, FitWeights, IneligibleSummary, MatchResult, ProgrammeWeights, Ranking
from models.profile import Profile

MATCHER_VERSION = "2.0"
APTITUDE_NOT_YET_T = 8.0        # points below the minimum that mean "train first"
EDUCATION_NOT_YET_LEVELS = 1.5  # levels below the occupation's typical education that mean "study first"
EXPERIENCED = 0.8               # experience component at which past work counts as entry (e.g. 2+ years in the same occupation)
AFTER_TRAINING_MAX = 5
LICENCE_MIN_VACANCIES = 2       # vacancies of a family that must all require a certificate

Kind = Literal["vacancies", "occupations", "programmes"]


class NotEnoughInformation(ValueError):
    """The profile has no scores and no coded past job, so there is nothing to rank on."""

    zh = "信息不足，暂时无法推荐：请先完成兴趣或能力测评，或登记以前的工作经历，再来看匹配结果。"
    en = ("Not enough information to rank: take the interest or ability assessment, or record past jobs, "
          "then look at the matches again.")

    def __init__(self) -> None:
        super().__init__(self.en)


def has_enough_information(profile: Profile) -> bool:
    """Scores of any part of the battery, or at least one past job with an occupation code."""
    return any(x is not None for x in (profile.aptitudes, profile.interests, profile.big_five, profile.work_values)) \
        or any(j.occupation_code for j in profile.work_history)


@dataclass
class Matcher:
    """Fit weights for vacancies and occupations, and for programmes."""

    weights: FitWeights | None = None
    programme_weights: ProgrammeWeights | None = None

    def fit(self, occupations: pd.DataFrame | OccupationTable, vacancies: pd.DataFrame | VacancyPool | None = None,
            programmes: pd.DataFrame | None = None, *, skills: pd.DataFrame | None = None,
            families: Families | None = None, family_labels: pd.DataFrame | None = None) -> "Matcher":
        """Prepare the occupation table, the vacancy pool and the programmes once."""
        occ = occupations if isinstance(occupations, OccupationTable) else OccupationTable.from_frame(occupations, skills)
        if isinstance(vacancies, VacancyPool):
            pool = vacancies
        elif vacancies is not None:
            pool = VacancyPool.from_frame(vacancies, occ)
        else:
            pool = None
        self.occupations_ = pool.occupations if pool is not None else occ
        self.pool_ = pool
        self.programmes_ = programmes if programmes is not None and len(programmes) else None
        self.families_ = families or Families.build(self.occupations_, family_labels)
        return self

    # ----------------------------------------------------------------------------------------
    def rank(self, profile: Profile, kind: Kind = "vacancies", k: int = 10, *, as_of: date | None = None) -> Ranking:
        """The top k of ``kind`` for ``profile``; raises ``NotEnoughInformation``."""
        if not has_enough_information(profile):
            raise NotEnoughInformation()
        if kind == "occupations":
            return self._rank_directions(profile, k, as_of)
        if self.pool_ is None and kind == "vacancies":
            raise ValueError("fit the matcher with vacancies to rank vacancies")
        if kind == "vacancies":
            ranking = rank_vacancies(profile, self.pool_, k=k, weights=self.weights, as_of=as_of,
                                     programmes=self.programmes_)
        elif kind == "programmes":
            if self.programmes_ is None:
                return Ranking(kind="programme", results=[], ineligible=_summary(0, {}), weights={})
            ranking = rank_programmes(profile, self.programmes_, self.occupations_, self.pool_, k,
                                      self.programme_weights, fit_weights=self.weights, as_of=as_of)
        else:
            raise ValueError(f"kind must be vacancies, occupations or programmes, not {kind!r}")
        return _with_interest_note(ranking, profile)

    def score_block(self, persons: PersonBlock, *, as_of: date | None = None) -> BlockScores:
        """Every (person, vacancy) pair of a block: ``matching.rank.score_vacancies``."""
        if self.pool_ is None:
            raise ValueError("fit the matcher with vacancies to score a block")
        return score_vacancies(persons, self.pool_, self.weights, as_of=as_of)

    # ----------------------------------------------------------------------------------------
    def _rank_directions(self, profile: Profile, k: int, as_of: date | None) -> Ranking:
        occ, fam = self.occupations_, self.families_
        n = occ.n_detailed
        persons = PersonBlock.from_profiles([profile])
        total, comps = score_occupations(persons, occ, self.weights, as_of=as_of)
        total = total[0]
        phys = occupation_physical_fail(persons, occ)[0, :n]
        not_yet, why = _not_yet(persons, occ, n)
        licensed = self._licence_missing(persons, profile)
        for j in np.flatnonzero(np.isin(fam.ids, list(licensed))):
            not_yet[j], why[j] = True, ("certificate", licensed[str(fam.ids[j])])
        exp = comps["experience"][0]
        # Someone who has done this work (or its family's) for years can enter it now.
        not_yet &= ~(np.nan_to_num(exp) >= EXPERIENCED)
        demand = self._demand(as_of)
        main = order_families(fam, total, ~phys & ~not_yet, exp, demand)[:k]
        cut = total[main[-1][1]] if len(main) == k else -np.inf
        later = [(f, j) for f, j in order_families(fam, total, ~phys & not_yet, exp, demand)
                 if total[j] >= cut][:AFTER_TRAINING_MAX]
        held_required = self._held_certificates_required(persons, profile)
        results = [self._direction(persons, comps, total, r, f, j, held_required) for r, (f, j) in enumerate(main)]
        after = [self._direction(persons, comps, total, r, f, j, held_required, not_yet_reason=why[j])
                 for r, (f, j) in enumerate(later)]
        summary = _summary(n, {"physical": int(phys.sum())}, n_ineligible=int(phys.sum()))
        ranking = Ranking(kind="occupation", results=results, ineligible=summary, after_training=after,
                          weights=dict(zip(COMPONENTS, _weights_array(self.weights or FitWeights()).round(4).tolist())))
        return _with_interest_note(ranking, profile)

    def _demand(self, as_of: date | None) -> dict[str, float]:
        if self.pool_ is None:
            return {}
        open_ = self.pool_.items.closes >= np.datetime64(as_of or date.today(), "D")
        open_ |= np.isnat(self.pool_.items.closes)
        return family_demand(self.families_, self.pool_.occ_idx, self.pool_.openings, open_)

    def _licence_missing(self, persons: PersonBlock, profile: Profile) -> dict[str, str]:
        """Family id → a certificate every local vacancy of the family requires and the person
        lacks (a licensed line of work: 持证上岗). Families with fewer than two vacancies are not
        judged: one advertisement does not make a licence."""
        if self.pool_ is None:
            return {}
        items, fam = self.pool_.items, self.families_
        idx = self.pool_.occ_idx
        known = (idx >= 0) & (idx < len(fam.ids))
        if not known.any():
            return {}
        lacking = missing_certificates(persons, items)[0] > 0
        names = {v: c for c, v in items.cert_vocab.items()}
        held = persons.certificates[0]
        out = {}
        by_family = pd.Series(np.flatnonzero(known)).groupby(fam.ids[idx[known]])
        for f, rows in by_family:
            rows = rows.to_numpy()
            if len(rows) >= LICENCE_MIN_VACANCIES and lacking[rows].all():
                req = items.cert_req[rows[0]]
                missing = [names[c] for c in req.indices if names[c] not in held]
                out[str(f)] = missing[0] if missing else ""
        return out

    def _held_certificates_required(self, persons: PersonBlock, profile: Profile) -> dict[str, str]:
        """Family id → a certificate the person holds (as they spell it) that vacancies of the
        family require."""
        if self.pool_ is None or not persons.certificates[0]:
            return {}
        items, out = self.pool_.items, {}
        spelt = {normalise_certificate(c): c for c in profile.certificates}
        names = {v: spelt.get(c, c) for c, v in items.cert_vocab.items()}
        held = set(spelt.values())
        req = items.cert_req
        for v in range(items.n):
            j = int(self.pool_.occ_idx[v])
            if j < 0 or j >= len(self.families_.ids):
                continue
            for c in req.indices[req.indptr[v]:req.indptr[v + 1]]:
                if names[c] in held:
                    out.setdefault(str(self.families_.ids[j]), names[c])
        return out

    def _direction(self, persons: PersonBlock, comps: dict[str, np.ndarray], total: np.ndarray, r: int, f: str,
                   j: int, held_required: dict[str, str], not_yet_reason: tuple[str, int] | None = None) -> MatchResult:
        occ, fam = self.occupations_, self.families_
        code = str(occ.codes[j])
        training = bridging_training(self.programmes_, code)
        c = {name: float(x[0, j]) for name, x in comps.items()}
        cands = psychometric_candidates(persons, occ, j, c, training)
        if not_yet_reason is not None:
            # The list says what to do first instead of an aptitude-gap or education sentence.
            cands = [x for x in cands if not x.code.startswith("aptitude_gap")]
            what, k_apt = not_yet_reason
            if what == "certificate":
                cands.append(R.Candidate("after_training_certificate", 0.9, {
                    "certificate": k_apt, "training": training}))
            elif what == "education":
                cands.append(R.Candidate("after_training_education", 0.9, {
                    "education": R.EDUCATION_NAMES[int(round(occ.education[j]))], "training": training}))
            else:
                cands.append(R.Candidate("after_training_aptitude", 0.9, {
                    "aptitude": R.APTITUDE_NAMES["VNSPQG"[k_apt]], "training": training}))
        elif not math.isnan(persons.education[0]) and persons.education[0] < occ.education[j] - TYPICAL_EDUCATION_TOLERANCE:
            cands.append(R.Candidate("occupation_education_below", 0.6,
                                     {"education": R.EDUCATION_NAMES[int(round(occ.education[j]))]}))
        if f in held_required:
            cands.append(R.Candidate("certificate_held_fits", 0.8, {"certificate": held_required[f]}))
        rows = fam.members[f]
        return MatchResult(
            item_id=code, kind="occupation", rank=r + 1, title=str(occ.names_zh[j]), occupation_code=code,
            total=round(float(total[j]), 2), components=rounded_components(comps, 0, j),
            reasons=R.choose(cands, float(total[j])), family_id=f,
            family_label={"zh-CN": fam.label_zh[f], "en": fam.label_en[f]},
            members=[FamilyMember(code=str(occ.codes[m]), name_zh=str(occ.names_zh[m])) for m in rows],
            bridging_programme=bridging_title(self.programmes_, code) if not_yet_reason is not None else None,
        )


def _not_yet(persons: PersonBlock, occ: OccupationTable, n: int) -> tuple[np.ndarray, list]:
    """Occupations the person cannot enter yet, (n,) bool, and per occupation why: ("education",
    −1) or ("aptitude", index of the largest gap)."""
    edu = persons.education[0]
    edu_gap = (~np.isnan(occ.education[:n]) & (edu < occ.education[:n] - EDUCATION_NOT_YET_LEVELS)
               if not math.isnan(edu) else np.zeros(n, dtype=bool))
    t, se = persons.apt_t[0], persons.apt_se[0]
    req, wt = occ.apt_req[:n], occ.apt_weight[:n]
    with np.errstate(invalid="ignore"):
        short = (req - t[None, :]) * np.where(wt >= 1.0, 1.0, np.nan)
        big = (short > APTITUDE_NOT_YET_T) & (ndtr((t[None, :] - req) / se[None, :]) < 0.5)
    big = np.where(np.isnan(short), False, big)
    apt_gap = big.any(axis=1)
    worst = np.argmax(np.nan_to_num(short, nan=-np.inf), axis=1)
    why = [("education", -1) if edu_gap[j] else ("aptitude", int(worst[j])) for j in range(n)]
    return edu_gap | apt_gap, why


def _summary(n: int, counts: dict[str, int], n_ineligible: int = 0) -> IneligibleSummary:
    return IneligibleSummary(n_items=n, n_eligible=n - n_ineligible, n_ineligible=n_ineligible,
                             by_reason={r: counts.get(r, 0) for r in REASON_BITS})


def _with_interest_note(ranking: Ranking, profile: Profile) -> Ranking:
    """A flat interest profile says so once, for the whole list, and points to career exploration."""
    if profile.interests is None:
        return ranking
    riasec = [getattr(profile.interests, c) for c in "RIASEC"]
    if not R.is_flat(riasec):
        return ranking
    return ranking.model_copy(update={"notes": [*ranking.notes, R.render("interests_flat")]})


__all__ = ["MATCHER_VERSION", "Matcher", "NotEnoughInformation", "has_enough_information"]
