"""Rank vacancies, occupations and training programmes for one profile.

Pipeline: eligibility (``matching.eligibility``) → fit components (``matching.components``) →
weighted total 0–100 (``combine``) → top-k, each with its components and 2–3 reasons
(``matching.reasons``).

The kernel ``score_vacancies`` works on a block of people × a pool of vacancies. It computes the
psychometric components once per (person, occupation) and gathers them per vacancy; the practical
component and eligibility are per (person, vacancy). ``rank_vacancies`` is that kernel on a block
of one, so batch matching (issue 7) gets exactly the same numbers by calling ``score_vacancies`` on
larger blocks. Order among equal totals is by row position in the pool.

Frames: vacancies use the column names of ``models.vacancy.VacancyOut`` (``vacancies_frame``
builds one); list cells may be lists or 'a|b' strings. Programmes use those of
``models.training.TrainingProgramOut`` (``programmes_frame``). Occupations follow
``matching/data/CONTRACT.md``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd
from scipy.special import ndtr

from matching import reasons as R
from matching.experience import history_weight
from matching.near_miss import near_misses
from matching.components import (
    COMPONENTS,
    OCCUPATION_LEVEL,
    WORK_STYLE_CODES,
    OccupationTable,
    PersonBlock,
    aptitude_fit,
    distance_fit,
    education_fit,
    hours_fit,
    nanmean_stack,
    normalise_certificate,
    pay_fit,
    predicted_work_styles,
    experience_component,
    past_similarity,
    psychometric_components,
)
from matching.eligibility import Reach, eligibility, reach, summarise
from matching.prepared import REASON_BITS, ItemArrays, _as_list, _bool, _edu, _float
from models.match import FitWeights, IneligibleSummary, MatchResult, ProgrammeWeights, Ranking
from models.profile import APTITUDE_CODES, RIASEC_CODES, WORK_VALUE_CODES, Profile
from models.training import TrainingProgramOut
from models.vacancy import VacancyOut

# The occupation's typical education is what most workers have, not the minimum; one level below
# it counts as meeting it.
TYPICAL_EDUCATION_TOLERANCE = 1.0
# Training programmes: assumed gain on the target occupation's aptitude requirements (T points,
# half an SD), openings at which local demand saturates, and the fee scale for practical fit.
TRAINING_GAIN_T = 5.0
DEMAND_SATURATION_OPENINGS = 20
NET_COST_SCALE_YUAN = 3000.0
STATED_INTEREST_DESIRE = 1.0
# A programme whose best target fits more than this far (0–1) below the person's best direction
# leads somewhere worse than what is open to them already, so it is not suggested.
PROGRAMME_RELEVANCE_MARGIN = 0.15


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


def _occupation_table(occupations: pd.DataFrame | OccupationTable) -> OccupationTable:
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

    @classmethod
    def from_frame(cls, vacancies: pd.DataFrame, occupations: pd.DataFrame | OccupationTable) -> "VacancyPool":
        occ = _occupation_table(occupations)
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


# --------------------------------------------------------------------------------------------
# Reasons
# --------------------------------------------------------------------------------------------

def _round(x: float, step: int) -> int:
    return int(step * round(x / step))


def _psych_candidates(persons: PersonBlock, occ: OccupationTable, j: int, comps: dict[str, float],
                      training: R.Localised) -> list[R.Candidate]:
    """Reasons from the psychometric components of person 0 and occupation row j."""
    out: list[R.Candidate] = []
    interest = comps.get("interest")
    if interest is not None and not math.isnan(interest) and not R.is_flat(persons.riasec[0]):
        # "您喜欢X" names only the person's clear interests that are also the work's main types;
        # a flat profile gets no interest reason (the list carries the career-exploration note).
        shared = [RIASEC_CODES[t] for t in R.clear_interests(persons.riasec[0]) if t in occ.riasec_code[j][:2]]
        oc = [RIASEC_CODES[t] for t in occ.riasec_code[j][:2]]
        types = {"types": R.join([R.RIASEC_NAMES[c] for c in oc])}
        if interest >= 0.70 and shared:
            out.append(R.Candidate("interest_high", interest, {"types": R.join([R.RIASEC_NAMES[c] for c in shared])}))
        elif interest <= 0.40:
            out.append(R.Candidate("interest_low", 1 - interest, types))
        else:
            out.append(R.Candidate("interest_moderate", 0.3, types))
    out += _experience_candidates(persons, occ, j, comps.get("experience"))
    apt = comps.get("aptitude")
    if apt is not None and not math.isnan(apt):
        t, se = persons.apt_t[0], persons.apt_se[0]
        req, wt = occ.apt_req[j], occ.apt_weight[j]
        p = ndtr((t - req) / se)
        relevant = [k for k in range(6) if not np.isnan(t[k]) and wt[k] >= 1.0]
        gaps = sorted((k for k in relevant if p[k] < 0.5), key=lambda k: p[k])
        if gaps:
            k = gaps[0]
            code = "aptitude_gap_small" if req[k] - t[k] <= 8 else "aptitude_gap_large"
            out.append(R.Candidate(code, (1 - p[k]) * min(wt[k], 2) / 2,
                                   {"aptitude": R.APTITUDE_NAMES[APTITUDE_CODES[k]], "training": training}))
        met = sorted((k for k in relevant if p[k] >= 0.8), key=lambda k: -req[k])
        if apt >= 0.8 and met:
            out.append(R.Candidate("aptitude_meets", apt - 0.05, {"aptitude": R.APTITUDE_NAMES[APTITUDE_CODES[met[0]]]}))
        elif not gaps and apt >= 0.5:
            out.append(R.Candidate("aptitude_mostly", 0.3, {}))
    values = comps.get("work_values")
    if values is not None and not math.isnan(values) and values >= 0.70:
        w = (persons.values[0] - 1) / 4
        g = (occ.values[j] - 1) / 6
        v = WORK_VALUE_CODES[int(np.argmax(w * g))]
        out.append(R.Candidate("values_high", values - 0.1, {"value": R.WORK_VALUE_NAMES[v]}))
    style = comps.get("work_style")
    if style is not None and not math.isnan(style) and style >= 0.70:
        s_hat = predicted_work_styles(persons.big_five[:1])[0]
        score = (occ.styles[j] - 1) / 4 * ndtr(s_hat)
        s = WORK_STYLE_CODES[int(np.argmax(score))]
        out.append(R.Candidate("style_high", style - 0.1, {"style": R.WORK_STYLE_NAMES[s]}))
    return out


def _experience_candidates(persons: PersonBlock, occ: OccupationTable, j: int, experience: float | None
                           ) -> list[R.Candidate]:
    """'You did this work for N years' (similarity ≥ 0.9: same occupation or family) or 'close to
    your past work' (≥ 0.4), from the past job that contributes most to the experience component."""
    if experience is None or math.isnan(experience) or not persons.history[0]:
        return []
    best, best_e = -1.0, None
    for code, months, end_year in persons.history[0]:
        sim = float(past_similarity(code, occ, j))
        w = float(history_weight(months, end_year, date.today().year))
        if w * sim > best:
            best, best_e = w * sim, (code, months, sim)
    code, months, sim = best_e
    row = occ.index.get(code)
    name = str(occ.names_zh[row]) if row is not None else code
    past = R.Localised(name, f"{name} ({code})")
    if sim >= 0.9:
        return [R.Candidate("experience_same", 0.9, {"past": past, "duration": R.duration(months)})]
    if sim >= 0.4 and experience >= 0.3:
        return [R.Candidate("experience_related", 0.5 + 0.3 * experience, {"past": past})]
    return []


def _bridging_training(programmes: pd.DataFrame | None, code: str | None) -> R.Localised:
    """The named programme that targets ``code`` (best placement rate first), else a generic
    phrase."""
    title = bridging_title(programmes, code)
    return R.DEFAULT_TRAINING if title is None else R.Localised(f"「{title}」培训", f"the course “{title}”")


def bridging_title(programmes: pd.DataFrame | None, code: str | None) -> str | None:
    """The title of the programme that targets ``code`` (best placement rate first), or None."""
    if programmes is None or code is None or programmes.empty:
        return None
    best = None
    for _, row in programmes.iterrows():
        targets = _as_list(row.get("target_occupation_codes"))
        if any(code == t or code.startswith(t + "-") for t in targets):
            rate = row.get("placement_rate")
            rate = -1.0 if rate is None or (isinstance(rate, float) and math.isnan(rate)) else float(rate)
            if best is None or rate > best[0]:
                best = (rate, str(row["title"]))
    return None if best is None else best[1]


def _vacancy_reasons(persons: PersonBlock, pool: VacancyPool, s: BlockScores, v: int,
                     programmes: pd.DataFrame | None) -> list:
    comps = {c: float(s.components[c][0, v]) for c in COMPONENTS}
    j = int(pool.occ_idx[v])
    cands: list[R.Candidate] = []
    if j >= 0:
        cands += _psych_candidates(persons, pool.occupations, j, comps,
                                   _bridging_training(programmes, pool.occ_codes[v]))
    minutes = float(s.reach.minutes[0, v])
    limit = float(persons.max_commute[0])
    if not math.isnan(minutes):
        if minutes <= 30:
            cands.append(R.Candidate("commute_near", 0.75, {"minutes": _round(minutes, 5)}))
        elif minutes > 60 or (not math.isnan(limit) and minutes > 0.8 * limit):
            cands.append(R.Candidate("commute_far", 0.6, {"minutes": _round(minutes, 5)}))
    elif s.reach.same_district[0, v] == 1:
        cands.append(R.Candidate("same_district", 0.6, {"district": persons.district[0]}))
    pay = float(s.practical_parts["pay"][0, v])
    if not math.isnan(pay):
        lo, hi = pool.pay_min[v], pool.pay_max[v]
        shown = (f"{lo:.0f}–{hi:.0f}" if not (math.isnan(lo) or math.isnan(hi)) and lo != hi
                 else f"{(hi if math.isnan(lo) else lo):.0f}")
        if pay >= 0.9:
            cands.append(R.Candidate("pay_meets", 0.7, {"pay": shown}))
        elif pay <= 0.5:
            cands.append(R.Candidate("pay_below", 0.7, {"pay": shown, "expected": f"{persons.expected_pay[0]:.0f}"}))
    edu_req = pool.items.edu_min[v]
    if not math.isnan(edu_req) and persons.education[0] < edu_req:
        cands.append(R.Candidate("education_below", 0.65, {"education": R.EDUCATION_NAMES[int(edu_req)]}))
    hours = pool.items.hours[v]
    if not math.isnan(hours) and hours > 44:
        cands.append(R.Candidate("hours_long", 0.5, {"hours": f"{hours:.0f}"}))
    for flag, sal in (("public_welfare", 0.55), ("internship", 0.5), ("directed_training", 0.5)):
        if getattr(pool, flag)[v]:
            cands.append(R.Candidate(flag, sal, {}))
    return R.choose(cands, float(s.total[0, v]))


def _components_dict(comps: dict[str, np.ndarray], i: int, j: int) -> dict[str, float | None]:
    return {c: (None if math.isnan(x := float(comps[c][i, j])) else round(x, 4)) for c in comps}


# --------------------------------------------------------------------------------------------
# Public ranking functions
# --------------------------------------------------------------------------------------------

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
            components=_components_dict(s.components, 0, v),
            reasons=_vacancy_reasons(persons, pool, s, v, programmes),
        )
        for r, v in enumerate(best)
    ]
    # Fewer than k eligible: say what relaxing one constraint would open (never relaxed here).
    misses = near_misses(persons, pool.items, s.fail[0], s.reach) if len(best) < k else []
    return Ranking(kind="vacancy", results=results, ineligible=summarise(s.fail[0]), near_misses=misses,
                   weights=dict(zip(COMPONENTS, _weights_array(weights).round(4).tolist())))


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
    occ = _occupation_table(occupations)
    persons = PersonBlock.from_profiles([profile])
    total, comps = score_occupations(persons, occ, weights)
    best = top_k(total[0], np.ones(occ.n_detailed, dtype=bool), k)
    results = []
    for r, j in enumerate(best):
        c = {name: float(x[0, j]) for name, x in comps.items()}
        cands = _psych_candidates(persons, occ, int(j), c, _bridging_training(programmes, occ.codes[j]))
        typical = occ.education[j] - TYPICAL_EDUCATION_TOLERANCE
        if not math.isnan(persons.education[0]) and persons.education[0] < typical:
            cands.append(R.Candidate("occupation_education_below", 0.6,
                                     {"education": R.EDUCATION_NAMES[int(round(occ.education[j]))]}))
        results.append(MatchResult(
            item_id=str(occ.codes[j]), kind="occupation", rank=r + 1, title=str(occ.names_zh[j]),
            occupation_code=str(occ.codes[j]), total=round(float(total[0, j]), 2),
            components=_components_dict(comps, 0, int(j)), reasons=R.choose(cands, float(total[0, j]))))
    empty = IneligibleSummary(n_items=occ.n_detailed, n_eligible=occ.n_detailed, n_ineligible=0,
                              by_reason={r: 0 for r in REASON_BITS})
    return Ranking(kind="occupation", results=results, ineligible=empty,
                   weights=dict(zip(COMPONENTS, _weights_array(weights).round(4).tolist())))


# --------------------------------------------------------------------------------------------
# Training programmes
# --------------------------------------------------------------------------------------------

PROGRAMME_COMPONENTS = ("occupation_fit", "gaps_closed", "local_demand", "placement", "practical")


def _desire(persons: PersonBlock, occ: OccupationTable, psych: dict[str, np.ndarray], w: np.ndarray) -> np.ndarray:
    """How much person 0 would want each occupation, 0–1: interest, values and style combined
    with their FitWeights proportions; 1 for occupations they named; 0.5 with no evidence."""
    idx = [COMPONENTS.index(c) for c in ("interest", "work_values", "work_style")]
    d = combine(psych, w[idx], ("interest", "work_values", "work_style"))[0] / 100.0
    for code in persons.interested[0]:
        hit = np.array([c == code or c.startswith(code + "-") or code.startswith(c + "-")
                        for c in occ.codes])
        d = np.where(hit, STATED_INTEREST_DESIRE, d)
    return d


def rank_programmes(profile: Profile, programmes: pd.DataFrame, occupations: pd.DataFrame | OccupationTable,
                    vacancies: pd.DataFrame | VacancyPool | None = None, k: int = 10,
                    weights: ProgrammeWeights | None = None, *, fit_weights: FitWeights | None = None,
                    as_of: date | None = None) -> Ranking:
    """Top-k eligible training programmes for ``profile``.

    Components (0–1): ``occupation_fit`` the best fit to a target occupation with the aptitude
    part credited with the training gain; ``gaps_closed`` the share of the person's gap to a
    target occupation the programme closes (aptitude gain, or vacancies nearby that the awarded
    certificate/education would open), weighted by how much the person wants that occupation;
    ``local_demand`` openings in target occupations within the person's reach; ``placement`` the
    programme's placement rate (the pool mean when unknown); ``practical`` distance and net cost.
    """
    weights = weights or ProgrammeWeights()
    fw = _weights_array(fit_weights or FitWeights())
    pw = np.array([getattr(weights, c) for c in PROGRAMME_COMPONENTS], dtype=float)
    pw = pw / pw.sum()
    persons = PersonBlock.from_profiles([profile])
    items = ItemArrays.from_frame(programmes, shifts_col="schedule_shifts", closes_col="start_date",
                                  edu_hard_col=None)
    targets = [_as_list(x) for x in programmes["target_occupation_codes"]]
    occ = _occupation_table(occupations)
    if isinstance(vacancies, VacancyPool):
        pool = vacancies
        occ = pool.occupations
    elif vacancies is not None:
        pool = VacancyPool.from_frame(vacancies, occ)
        occ = pool.occupations
    else:
        pool = None
    best_direction = _best_direction_fit(persons, occ, fw, as_of)
    all_targets = sorted({t for ts in targets for t in ts})
    occ, t_idx = occ.with_codes(all_targets)
    t_of = dict(zip(all_targets, t_idx))
    psych = psychometric_components(persons, occ)
    desire = _desire(persons, occ, psych, fw)
    apt_before = psych["aptitude"][0]
    apt_after = aptitude_fit(persons.apt_t + TRAINING_GAIN_T, persons.apt_se, occ)[0]
    # The target's fit counts the person's past work too, so a course towards the line of work they
    # know outranks one towards an unrelated occupation that merely fits their questionnaire answers.
    psych["experience"] = experience_component(persons, occ, (as_of or date.today()).year)
    occ_w = fw[[COMPONENTS.index(c) for c in OCCUPATION_LEVEL]]
    fit_after = combine({**psych, "aptitude": apt_after[None, :]}, occ_w, OCCUPATION_LEVEL)[0] / 100.0

    fail = eligibility(persons, items, as_of=as_of)
    awarded_certs = [_as_list(x) for x in (programmes["certificates_awarded"] if "certificates_awarded" in programmes
                                         else [None] * items.n)]
    # Never sell back what the person holds: a programme awarding only certificates they have.
    held = persons.certificates[0]
    sells_back = np.array([bool(c) and all(normalise_certificate(x) in held for x in c) for c in awarded_certs])
    fail[0] |= np.where(sells_back, REASON_BITS["certificate_held"], 0).astype(fail.dtype)
    r_prog = reach(persons, items)
    dist = distance_fit(r_prog.minutes, persons.max_commute[:, None], r_prog.same_district)[0]
    net = np.maximum(np.nan_to_num(_float(programmes, "cost_yuan")) - np.nan_to_num(_float(programmes, "subsidy_yuan")),
                     0.0)
    practical = nanmean_stack([dist, np.exp(-net / NET_COST_SCALE_YUAN)])
    rates = _float(programmes, "placement_rate")
    placement = np.where(np.isnan(rates), np.nanmean(rates) if (~np.isnan(rates)).any() else 0.5, rates)

    # Vacancy side: which openings are within reach, and which the programme would unblock.
    if pool is not None:
        vfail = eligibility(persons, pool.items, as_of=as_of)[0]
        reachable = (vfail & (REASON_BITS["commute"] | REASON_BITS["closed"])) == 0
        vcodes = pd.Series(pool.occ_codes, dtype=object).fillna("")
        rows_by_code = {c: np.asarray(r) for c, r in vcodes.groupby(vcodes).indices.items() if c}
        # Reasons a programme can remove are certificates and education; any other failure stays.
        other_bits = np.uint8(0xFF & ~(REASON_BITS["certificate"] | REASON_BITS["education"]))
    edu_awarded = (_edu(programmes, "education_awarded") if "education_awarded" in programmes
                   else np.full(items.n, np.nan))

    n = items.n
    coded: dict[str, np.ndarray] = {}  # target code → vacancies coded in it (shared by programmes)
    comp = {c: np.full(n, np.nan) for c in PROGRAMME_COMPONENTS}
    detail: list[dict] = []
    for p in range(n):
        best_fit, best_gap, best_gap_code, demand, unblocked_total = 0.0, 0.0, None, 0.0, 0
        for t in targets[p]:
            j = int(t_of[t])
            if j < 0:
                continue
            best_fit = max(best_fit, float(fit_after[j]))
            d_apt = 0.0 if np.isnan(apt_before[j]) else float(apt_after[j] - apt_before[j])
            unblocked_share = 0.0
            if pool is not None:
                if t not in coded:
                    mask = np.zeros(pool.n, dtype=bool)
                    for c, rows in rows_by_code.items():
                        if c == t or c.startswith(t + "-"):
                            mask[rows] = True
                    coded[t] = mask
                in_occ = reachable & coded[t]
                demand += float(pool.openings[in_occ & (vfail == 0)].sum())
                blocked = in_occ & (vfail != 0) & ((vfail & other_bits) == 0)
                if blocked.any() and (awarded_certs[p] or not np.isnan(edu_awarded[p])):
                    trained = _after_training(persons, awarded_certs[p], edu_awarded[p])
                    sub = _subset(pool.items, np.flatnonzero(blocked))
                    opened = int((eligibility(trained, sub, as_of=as_of)[0] == 0).sum())
                    unblocked_total += opened
                    unblocked_share = opened / max(int(in_occ.sum()), 1)
            gap = float(desire[j]) * min(1.0, max(unblocked_share, 2.0 * d_apt))
            if gap > best_gap or best_gap_code is None:
                best_gap, best_gap_code = gap, j
        comp["occupation_fit"][p] = best_fit
        comp["gaps_closed"][p] = best_gap
        if pool is not None:
            comp["local_demand"][p] = min(1.0, math.log1p(demand) / math.log1p(DEMAND_SATURATION_OPENINGS))
        comp["placement"][p] = placement[p]
        comp["practical"][p] = practical[p]
        detail.append({"gap_occ": best_gap_code, "demand": demand, "unblocked": unblocked_total, "net": net[p]})
    total = combine({c: x[None, :] for c, x in comp.items()}, pw, PROGRAMME_COMPONENTS)[0]
    # A course is worth suggesting only when it leads somewhere about as good for this person as
    # the best line of work open to them now, or towards an occupation they named: a graduate whose
    # directions fit well is not sent to a security-guard course because it places many people.
    relevant = ~(comp["occupation_fit"] < best_direction - PROGRAMME_RELEVANCE_MARGIN)
    relevant |= np.array([any(_named(persons.interested[0], t) for t in ts) for ts in targets], dtype=bool)
    eligible = fail[0] == 0
    best = top_k(total, eligible & relevant, k)
    results = []
    for r, p in enumerate(best):
        dt = detail[p]
        cands: list[R.Candidate] = []
        j = dt["gap_occ"]
        if j is not None and comp["gaps_closed"][p] >= 0.1:
            label = {"occupation": R.Localised(str(occ.names_zh[j]), f"{occ.names_zh[j]} ({occ.codes[j]})")}
            # "感兴趣的…方向" only for an occupation the person (or counsellor) named.
            if _named(persons.interested[0], str(occ.codes[j])):
                cands.append(R.Candidate("programme_bridges", 0.6 + 0.4 * comp["gaps_closed"][p], label))
            elif desire[j] >= 0.6:
                cands.append(R.Candidate("programme_targets", 0.5, label))
        if dt["unblocked"] > 0 and awarded_certs[p]:
            cands.append(R.Candidate("programme_certificate", 0.85,
                                     {"certificate": awarded_certs[p][0], "n": dt["unblocked"]}))
        if not np.isnan(edu_awarded[p]) and not (persons.education[0] >= edu_awarded[p]):
            cands.append(R.Candidate("programme_education", 0.6, {"education": R.EDUCATION_NAMES[int(edu_awarded[p])]}))
        if pool is not None:
            if dt["demand"] > 0:
                cands.append(R.Candidate("programme_demand", 0.5 + 0.3 * comp["local_demand"][p],
                                         {"openings": f"{dt['demand']:.0f}"}))
            elif dt["unblocked"] == 0:  # vacancies the certificate opens are openings too
                cands.append(R.Candidate("programme_no_demand", 0.6, {}))
        if not np.isnan(rates[p]) and rates[p] >= 0.6:
            cands.append(R.Candidate("programme_placement", rates[p] * 0.9, {"rate": f"{100 * rates[p]:.0f}"}))
        if dt["net"] <= 0:
            cands.append(R.Candidate("programme_free", 0.55, {}))
        elif dt["net"] >= 1000:
            cands.append(R.Candidate("programme_cost", 0.55, {"cost": f"{_round(dt['net'], 100)}"}))
        results.append(MatchResult(
            item_id=str(items.ids[p]), kind="programme", rank=r + 1, title=items.titles[p],
            occupation_code=targets[p][0] if targets[p] else None, total=round(float(total[p]), 2),
            components={c: (None if np.isnan(comp[c][p]) else round(float(comp[c][p]), 4)) for c in comp},
            reasons=R.choose(cands, float(total[p]))))
    summary = summarise(fail[0])
    elsewhere = int((eligible & ~relevant).sum())
    summary = summary.model_copy(update={
        "n_eligible": summary.n_eligible - elsewhere, "n_ineligible": summary.n_ineligible + elsewhere,
        "by_reason": {**summary.by_reason, "leads_elsewhere": elsewhere}})
    return Ranking(kind="programme", results=results, ineligible=summary,
                   weights=dict(zip(PROGRAMME_COMPONENTS, pw.round(4).tolist())))


def _best_direction_fit(persons: PersonBlock, occ: OccupationTable, fw: np.ndarray, as_of: date | None) -> float:
    """Person 0's best occupation-level fit (0–1, psychometric parts and experience, weighted as in
    ``fw``) over every occupation of ``occ``; NaN when nothing is known."""
    comps = psychometric_components(persons, occ)
    comps["experience"] = experience_component(persons, occ, (as_of or date.today()).year)
    occ_w = fw[[COMPONENTS.index(c) for c in OCCUPATION_LEVEL]]
    fit = combine(comps, occ_w, OCCUPATION_LEVEL)[0] / 100.0
    return float(np.nanmax(fit)) if np.isfinite(fit).any() else float("nan")


def _named(interested: Sequence[str], code: str) -> bool:
    """Whether ``code`` is, or lies under / above, an occupation the person named."""
    return any(code == c or code.startswith(c + "-") or c.startswith(code + "-") for c in interested)


def _after_training(persons: PersonBlock, certs: list[str], edu: float) -> PersonBlock:
    return replace(
        persons,
        certificates=(persons.certificates[0] | {normalise_certificate(c) for c in certs},),
        education=(persons.education if np.isnan(edu) else np.fmax(persons.education, edu)),
    )


def _subset(items: ItemArrays, rows: np.ndarray) -> ItemArrays:
    return replace(
        items, ids=items.ids[rows], titles=items.titles[rows], district=items.district[rows],
        lat=items.lat[rows], lon=items.lon[rows], hours=items.hours[rows],
        shift_mask=items.shift_mask[rows], physical_mask=items.physical_mask[rows],
        edu_min=items.edu_min[rows], edu_hard=items.edu_hard[rows], cert_req=items.cert_req[rows],
        closes=items.closes[rows],
    )


# --------------------------------------------------------------------------------------------
# Frames from model objects
# --------------------------------------------------------------------------------------------

def vacancies_frame(vacancies: Sequence) -> pd.DataFrame:
    """A vacancy frame from ``VacancyOut`` objects (or dicts with the same keys)."""
    rows = [v.model_dump(mode="json") if hasattr(v, "model_dump") else dict(v) for v in vacancies]
    return pd.DataFrame(rows, columns=rows[0].keys() if rows else list(VacancyOut.model_fields))


def programmes_frame(programmes: Sequence) -> pd.DataFrame:
    """A programme frame from ``TrainingProgramOut`` objects (or dicts with the same keys)."""
    rows = [p.model_dump(mode="json") if hasattr(p, "model_dump") else dict(p) for p in programmes]
    return pd.DataFrame(rows, columns=rows[0].keys() if rows else list(TrainingProgramOut.model_fields))


__all__ = [
    "BlockScores", "FitWeights", "ProgrammeWeights", "VacancyPool", "combine", "gather_psychometric", "weighted_sum",
    "programmes_frame", "rank_occupations", "rank_programmes", "rank_vacancies", "score_occupations",
    "score_vacancies", "top_k", "vacancies_frame",
]
