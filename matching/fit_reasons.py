"""The reasons shown with a ranked item: candidate sentences from its fit components and facts.

Each function turns the scores of one person (row 0 of a ``PersonBlock``) and one item into
``reasons.Candidate`` objects (code, salience 0–1, parameters); ``reasons.choose`` then keeps the 2–3
most salient. Psychometric reasons (interest, past work, aptitude, values, work style) come from the
occupation's components, practical ones (commute, pay, education, hours, programme flags) from the
vacancy's facts. Thresholds are on the components' 0–1 scale; T-score gaps in T points.
"""
from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.special import ndtr

from matching import reasons as R
from matching.components import (
    COMPONENTS,
    WORK_STYLE_CODES,
    OccupationTable,
    PersonBlock,
    past_similarity,
    predicted_work_styles,
)
from matching.experience import history_weight
from matching.prepared import _as_list
from models.profile import APTITUDE_CODES, RIASEC_CODES, WORK_VALUE_CODES

if TYPE_CHECKING:  # rank.py imports this module; the types are only for annotations
    from matching.rank import BlockScores, VacancyPool

__all__ = ["bridging_title", "bridging_training", "psychometric_candidates", "round_to", "vacancy_reasons"]


def round_to(x: float, step: int) -> int:
    """``x`` rounded to the nearest multiple of ``step`` (minutes to 5, yuan to 100) for a reason's text."""
    return int(step * round(x / step))


def psychometric_candidates(persons: PersonBlock, occ: OccupationTable, j: int, comps: dict[str, float],
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


def bridging_training(programmes: pd.DataFrame | None, code: str | None) -> R.Localised:
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


def vacancy_reasons(persons: PersonBlock, pool: VacancyPool, s: BlockScores, v: int,
                     programmes: pd.DataFrame | None) -> list:
    comps = {c: float(s.components[c][0, v]) for c in COMPONENTS}
    j = int(pool.occ_idx[v])
    cands: list[R.Candidate] = []
    if j >= 0:
        cands += psychometric_candidates(persons, pool.occupations, j, comps,
                                   bridging_training(programmes, pool.occ_codes[v]))
    minutes = float(s.reach.minutes[0, v])
    limit = float(persons.max_commute[0])
    if not math.isnan(minutes):
        if minutes <= 30:
            cands.append(R.Candidate("commute_near", 0.75, {"minutes": round_to(minutes, 5)}))
        elif minutes > 60 or (not math.isnan(limit) and minutes > 0.8 * limit):
            cands.append(R.Candidate("commute_far", 0.6, {"minutes": round_to(minutes, 5)}))
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
