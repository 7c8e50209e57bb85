"""Rank training programmes for one profile, leaving out courses that lead somewhere worse.

Five components (0–1), weighted by ``ProgrammeWeights``: where the course leads (``occupation_fit``),
the gap it closes (``gaps_closed``), openings nearby in its target occupations (``local_demand``), its
placement rate (``placement``) and distance and net cost (``practical``). The relevance filter drops a
programme whose best target fits more than ``PROGRAMME_RELEVANCE_MARGIN`` below the person's best
direction now, unless it targets an occupation the person named; those are counted as
``leads_elsewhere`` in the ineligible summary.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from matching import reasons as R
from matching.components import (
    COMPONENTS,
    OCCUPATION_LEVEL,
    OccupationTable,
    PersonBlock,
    aptitude_fit,
    distance_fit,
    experience_component,
    nanmean_stack,
    normalise_certificate,
    psychometric_components,
)
from matching.eligibility import eligibility, reach, summarise
from matching.prepared import REASON_BITS, ItemArrays, _as_list, _edu, _float
from matching.fit_reasons import round_to
from matching.rank import VacancyPool, _weights_array, combine, occupation_table, top_k
from models.match import FitWeights, MatchResult, ProgrammeWeights, Ranking
from models.profile import Profile

__all__ = ["PROGRAMME_COMPONENTS", "leads_somewhere", "rank_programmes"]

# Training programmes: assumed gain on the target occupation's aptitude requirements (T points,
# half an SD), openings at which local demand saturates, and the fee scale for practical fit.
TRAINING_GAIN_T = 5.0
DEMAND_SATURATION_OPENINGS = 20
NET_COST_SCALE_YUAN = 3000.0
STATED_INTEREST_DESIRE = 1.0
# A programme whose best target fits more than this far (0–1) below the person's best direction
# leads somewhere worse than what is open to them already, so it is not suggested.
PROGRAMME_RELEVANCE_MARGIN = 0.15

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
    occ = occupation_table(occupations)
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
    relevant = leads_somewhere(comp["occupation_fit"], best_direction, persons.interested[0], targets)
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
            cands.append(R.Candidate("programme_cost", 0.55, {"cost": f"{round_to(dt['net'], 100)}"}))
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


def leads_somewhere(occupation_fit: np.ndarray, best_direction: float, interested: Sequence[str],
                    targets: Sequence[Sequence[str]]) -> np.ndarray:
    """The relevance filter: which programmes are worth suggesting, (n_programmes,) bool.

    ``occupation_fit`` (n,) 0–1 is each programme's best target fit after training, ``best_direction``
    the person's best occupation-level fit now (0–1, NaN when unknown), ``interested`` the occupation
    codes the person named and ``targets`` each programme's target codes. A programme is kept unless
    its fit lies more than ``PROGRAMME_RELEVANCE_MARGIN`` below ``best_direction``; one that targets a
    named occupation (or one under or above it) is always kept. NaN fits are kept.
    """
    relevant = ~(occupation_fit < best_direction - PROGRAMME_RELEVANCE_MARGIN)
    relevant |= np.array([any(_named(interested, t) for t in ts) for ts in targets], dtype=bool)
    return relevant


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
