"""A second generative model of job seekers for the model check (issue 13), deliberately NOT the
matcher's own model, and the two baselines the matcher must beat.

The first simulator (``synthetic.simulate_person``) draws a person as "occupation X's profile plus
noise" on exactly the scales and the linear mappings the matcher scores, so it flatters the matcher.
This one differs in every part:

- Interests: a logistic response model, riasec_k = 1 + 4 / (1 + exp(−(a·z_k + u_k + b))), with z the
  occupation's RIASEC standardised across occupations, a person-level differentiation a ~ U(0.4, 1.4),
  an idiosyncratic part u_k ~ N(0, 0.9) and an acquiescence bias b ~ N(0, 0.4) shared by the six
  scales. (The matcher maps 1–5 linearly onto O*NET's 1–7 and compares levels.)
- Aptitudes: one general factor g ~ N(m_X, 7), m_X = the occupation's mean requirement + 4, specific
  T_k = g + 0.5·(r_k − m_X) + N(0, 6), then measurement error N(0, SE), SE ~ U(3, 5).
- Big Five: unrelated to the occupation apart from C + 3 for job zone ≥ 3 (meta-analytic validities
  of traits for occupational choice are small); N(50, 10) otherwise.
- Work values: 3 + 0.5·z(EX_X) + N(0, 0.8), clipped to 1–5 (weaker than the matcher assumes).
- Education: the occupation's typical level + N(0, 1), rounded.
- Work history (a share ``p_history`` of people): one past job that is X itself (40 %), another
  occupation of X's 小类 (25 %), of X's 大类 (20 %) or any occupation (15 %); months ~ lognormal with
  median 36; ended 0–6 years ago. People find work where they worked before more often than
  elsewhere (e.g. occupational mobility studies, Kambourov & Manovskii 2008), which this encodes.

Target: the vacancies coded with X's family (occupations with identical profiles cannot be told
apart by any model); exact-code recall is reported too.

Baselines measured in the same run on the same eligible vacancies:
- interest only: the matcher's interest component alone (FitWeights with interest = 1);
- O*NET Interest Profiler + job zone (the "My Next Move" procedure): occupations whose first
  interest letter is the person's highest RIASEC scale and whose job zone is the zone of the
  person's education (rounded typical-education → zone map), then by the correlation of the six
  RIASEC scores; vacancies inherit their occupation's order.

Seeds: ``TUNING_SEEDS`` may be used to choose weights; ``EVALUATION_SEED`` never is (a test checks
they are disjoint).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matching.components import PersonBlock
from matching.rank import VacancyPool, score_vacancies, top_k
from models.enums import EducationLevel
from models.match import FitWeights
from models.person import Constraints
from models.profile import (
    APTITUDE_CODES,
    RIASEC_CODES,
    WORK_VALUE_CODES,
    AptitudeScores,
    BigFiveScores,
    PastJob,
    Profile,
    RiasecScores,
    TScore,
    WorkValueScores,
)
from tests.matching.synthetic import _random_point, synthetic_vacancies

TUNING_SEEDS = (101, 102, 103)
EVALUATION_SEED = 2027
INTEREST_SE = 0.3      # SE of a RIASEC scale mean on 1–5 (α ≈ 0.87, SD ≈ 0.85)
AS_OF_YEAR = 2026


def _z(x: np.ndarray) -> np.ndarray:
    return (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0)


def simulate(occupations: pd.DataFrame, n: int, seed: int, p_history: float = 0.6
             ) -> tuple[list[Profile], np.ndarray]:
    """``n`` people and their true occupation codes under the model above."""
    rng = np.random.default_rng(seed)
    occ = occupations.reset_index(drop=True)
    codes = occ["code"].astype(str).to_numpy()
    oi = occ[[f"riasec_{c}" for c in RIASEC_CODES]].to_numpy(float)
    ex = occ[[f"wv_{c}" for c in WORK_VALUE_CODES]].to_numpy(float)
    apt = occ[[f"apt_{c}" for c in APTITUDE_CODES]].to_numpy(float)
    z_oi, z_ex = _z(oi), _z(ex)
    truth = rng.integers(0, len(occ), n)
    people = []
    for i, j in enumerate(truth):
        a, b = rng.uniform(0.4, 1.4), rng.normal(0, 0.4)
        riasec = 1 + 4 / (1 + np.exp(-(a * z_oi[j] + rng.normal(0, 0.9, 6) + b)))
        m = apt[j].mean() + 4
        g = rng.normal(m, 7)
        se = rng.uniform(3, 5, 6)
        t = np.clip(g + 0.5 * (apt[j] - apt[j].mean()) + rng.normal(0, 6, 6) + rng.normal(0, se), 1, 99)
        b5 = np.clip(rng.normal(50, 10, 5) + np.array([0, 3 * (occ["job_zone"][j] >= 3), 0, 0, 0]), 1, 99)
        values = np.clip(3 + 0.5 * z_ex[j] + rng.normal(0, 0.8, 6), 1, 5)
        edu_rank = int(np.clip(round(occ["education_rank"][j] + rng.normal(0, 1)), 0, 6))
        history = []
        if rng.random() < p_history:
            u = rng.random()
            c = codes[j]
            if u < 0.40:
                pool = [j]
            elif u < 0.65:
                pool = [k for k in range(len(codes)) if codes[k][:7] == c[:7] and k != j] or [j]
            elif u < 0.85:
                pool = [k for k in range(len(codes)) if codes[k][0] == c[0] and k != j] or [j]
            else:
                pool = list(range(len(codes)))
            past = codes[int(rng.choice(pool))]
            history = [PastJob(occupation_code=past, months=int(np.clip(rng.lognormal(np.log(36), 0.8), 3, 480)),
                               end_year=AS_OF_YEAR - int(rng.integers(0, 7)))]
        lat, lon, district = _random_point(rng)
        people.append(Profile(
            person_id=f"s{i}",
            aptitudes=AptitudeScores(**{c: TScore(t=float(t[k]), se=float(se[k])) for k, c in enumerate(APTITUDE_CODES)}),
            interests=RiasecScores(**{c: float(riasec[k]) for k, c in enumerate(RIASEC_CODES)}),
            big_five=BigFiveScores(**{c: float(b5[k]) for k, c in enumerate("OCEAN")}),
            work_values=WorkValueScores(**{c: float(values[k]) for k, c in enumerate(WORK_VALUE_CODES)}),
            education=[e for e in EducationLevel if e.rank == edu_rank][0],
            district=district, home_lat=lat, home_lon=lon,
            constraints=Constraints(max_commute_minutes=int(rng.choice([60, 75, 90, 120]))),
            work_history=history))
    return people, codes[truth]


def _education_zone(rank: np.ndarray) -> np.ndarray:
    """Job zone of an education level (O*NET: 1 little or none … 5 postgraduate)."""
    return np.clip(np.array([1, 1, 2, 2, 3, 4, 5])[np.clip(np.nan_to_num(rank, nan=2).astype(int), 0, 6)], 1, 5)


def interest_profiler_scores(persons: PersonBlock, occupations: pd.DataFrame, pool: VacancyPool) -> np.ndarray:
    """The Interest-Profiler + job-zone order as scores (higher first), (n_p, n_v)."""
    oi = occupations[[f"riasec_{c}" for c in RIASEC_CODES]].to_numpy(float)
    first = np.argmax(oi, axis=1)
    zone = np.rint(occupations["job_zone"].to_numpy(float))
    index = {c: k for k, c in enumerate(occupations["code"].astype(str))}
    col = np.array([index.get(str(c), -1) if c is not None else -1 for c in pool.occ_codes])
    oc = oi - oi.mean(axis=1, keepdims=True)
    oc /= np.linalg.norm(oc, axis=1, keepdims=True)
    out = np.full((persons.n, pool.n), -np.inf)
    for i in range(persons.n):
        p = persons.riasec[i]
        pc = (p - p.mean()) / max(np.linalg.norm(p - p.mean()), 1e-9)
        r = oc @ pc
        score = 4.0 * (first == int(np.argmax(p))) + 2.0 * (zone == _education_zone(persons.education[i:i + 1])[0]) + r
        out[i] = np.where(col >= 0, score[np.maximum(col, 0)], -np.inf)
    return out


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    sa, sb = set(a.tolist()), set(b.tolist())
    return len(sa & sb) / max(len(sa | sb), 1)


def _noisy(people: list[Profile], rng: np.random.Generator) -> list[Profile]:
    """Each score moved by one draw of its own measurement error (aptitude SE; 0.3 on RIASEC)."""
    out = []
    for p in people:
        apt = {c: TScore(t=float(np.clip(s.t + rng.normal(0, s.se), 0, 100)), se=s.se)
               for c in APTITUDE_CODES if (s := getattr(p.aptitudes, c)) is not None}
        ri = {c: float(np.clip(getattr(p.interests, c) + rng.normal(0, INTEREST_SE), 1, 5)) for c in RIASEC_CODES}
        out.append(p.model_copy(update={"aptitudes": AptitudeScores(**apt), "interests": RiasecScores(**ri)}))
    return out


def model_check_v2(occupations: pd.DataFrame, n_people: int = 600, seed: int = EVALUATION_SEED,
                   p_history: float = 0.6, k: int = 10, weights: FitWeights | None = None) -> dict:
    """Recall@k (family and exact code) for the matcher, interest only and the Interest-Profiler
    baseline, and top-k stability under one SE of noise, on people from ``simulate``."""
    occupations = occupations.dropna(subset=[c for c in occupations.columns
                                             if c.split("_")[0] in ("riasec", "wv", "ws", "apt")]).reset_index(drop=True)
    people, truth = simulate(occupations, n_people, seed, p_history)
    vac = synthetic_vacancies(occupations, 2, seed=seed + 1)
    pool = VacancyPool.from_frame(vac, occupations)
    occ = pool.occupations
    family = {str(c): str(f) for c, f in zip(occ.codes[: occ.n_detailed], occ.family[: occ.n_detailed])}
    vfam = np.array([family.get(str(c)) for c in pool.occ_codes], dtype=object)
    persons = PersonBlock.from_profiles(people)
    interest_only = FitWeights(**{c: float(c == "interest") for c in FitWeights.model_fields})
    default = score_vacancies(persons, pool, weights)
    no_experience = (weights or FitWeights()).model_copy(update={"experience": 0.0})
    scores = {"matcher (default weights)": default.total,
              "matcher without experience": score_vacancies(persons, pool, no_experience).total,
              "interest only": score_vacancies(persons, pool, interest_only).total,
              "Interest Profiler + job zone": interest_profiler_scores(persons, occupations, pool)}
    noisy = score_vacancies(PersonBlock.from_profiles(_noisy(people, np.random.default_rng(seed + 2))), pool,
                            weights).total
    out: dict = {"n_occupations": int(occ.n_detailed), "n_vacancies": int(pool.n), "n_people": 0,
                 "p_history": p_history, "seed": seed}
    recall = {name: [] for name in scores}
    exact = {name: [] for name in scores}
    with_history = {name: [] for name in scores}
    without_history = {name: [] for name in scores}
    jaccard = []
    for i, code in enumerate(truth):
        eligible = default.fail[i] == 0
        target = eligible & (vfam == family[str(code)])
        target_exact = eligible & (pool.occ_codes == code)
        if not target.any():
            continue
        out["n_people"] += 1
        for name, s in scores.items():
            top = top_k(s[i], eligible, k)
            recall[name].append(target[top].sum() / min(k, target.sum()))
            if target_exact.any():
                exact[name].append(target_exact[top].sum() / min(k, target_exact.sum()))
            (with_history if people[i].work_history else without_history)[name].append(recall[name][-1])
        jaccard.append(_jaccard(top_k(default.total[i], eligible, k), top_k(noisy[i], eligible, k)))
    out["recall_family"] = {n: float(np.mean(v)) for n, v in recall.items()}
    out["recall_exact"] = {n: float(np.mean(v)) for n, v in exact.items()}
    out["recall_family_with_history"] = {n: float(np.mean(v)) for n, v in with_history.items()}
    out["recall_family_without_history"] = {n: float(np.mean(v)) for n, v in without_history.items()}
    out["stability_jaccard_top10"] = float(np.mean(jaccard))
    return out
