"""Synthetic occupation tables, vacancies, programmes and simulated people for matching tests and
benchmarks (the real table is ``matching/data/occupation_profiles.csv`` once it ships).

The occupation generator mimics the structure of O*NET descriptors: each occupation has a
dominant Holland type and a hexagon-neighbouring secondary type; work styles, work values and
aptitude requirements follow from the types and the job zone, plus noise. People are simulated
as "the profile of occupation X plus realistic noise" for the model check.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matching.components import BIG_FIVE_TO_WORK_STYLE, WORK_STYLE_CODES
from models.enums import EducationLevel, Shift
from models.profile import (
    APTITUDE_CODES,
    RIASEC_CODES,
    WORK_VALUE_CODES,
    AptitudeScores,
    BigFiveScores,
    Profile,
    RiasecScores,
    TScore,
    WorkValueScores,
)
from models.person import Constraints

CITY_CENTRE = (39.9, 116.4)  # a Beijing-sized city; districts are 3×3 km-ish cells around it
DISTRICTS = [f"区{i}" for i in range(12)]

# Which work styles and aptitudes each Holland type emphasises (expert sketch for the generator).
_TYPE_STYLES = {
    "R": ["independence", "dependability", "persistence"],
    "I": ["analytical_thinking", "innovation", "attention_to_detail"],
    "A": ["innovation", "adaptability_flexibility", "independence"],
    "S": ["cooperation", "concern_for_others", "social_orientation", "self_control"],
    "E": ["leadership", "initiative", "stress_tolerance", "achievement_effort"],
    "C": ["attention_to_detail", "dependability", "integrity"],
}
_TYPE_APT = {"R": "SP", "I": "NG", "A": "SP", "S": "V", "E": "VG", "C": "QN"}
_TYPE_VALUES = {
    "R": ["working_conditions", "independence"], "I": ["achievement", "independence"],
    "A": ["independence", "achievement"], "S": ["relationships", "support"],
    "E": ["recognition", "achievement"], "C": ["support", "working_conditions"],
}


def synthetic_occupations(n: int = 300, seed: int = 0) -> pd.DataFrame:
    """An occupation profile table with the contract's columns and ``n`` detailed occupations."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        major = int(rng.integers(1, 7))
        code = f"{major}-{i // 100 + 1:02d}-{(i // 10) % 10 + 1:02d}-{i % 10 + 1:02d}"
        dom = int(rng.integers(0, 6))
        sec = (dom + int(rng.choice([-1, 1, 2]))) % 6
        riasec = rng.uniform(1.2, 2.8, 6)
        riasec[dom] = rng.uniform(5.2, 7.0)
        riasec[sec] = max(riasec[sec], rng.uniform(3.5, 5.0))
        for nb in ((dom + 1) % 6, (dom - 1) % 6):
            riasec[nb] += rng.uniform(0, 0.8)
        riasec = np.clip(riasec, 1, 7)
        zone = float(np.clip(rng.normal(2.5 + 0.3 * (major in (1, 2)), 0.9), 1, 5))
        row = {"code": code, "name_zh": f"职业{i:03d}", "major_group": major,
               "confidence": float(rng.uniform(0.5, 1.0)), "n_onet": int(rng.integers(1, 6)),
               "job_zone": zone, "education_rank": float(np.clip(zone + rng.normal(0.5, 0.5), 0, 6))}
        row.update({f"riasec_{c}": float(riasec[k]) for k, c in enumerate(RIASEC_CODES)})
        t1, t2 = RIASEC_CODES[dom], RIASEC_CODES[sec]
        wv = rng.uniform(2.5, 4.5, 6)
        for t, amt in ((t1, 1.8), (t2, 0.9)):
            for v in _TYPE_VALUES[t]:
                wv[WORK_VALUE_CODES.index(v)] += amt
        row.update({f"wv_{c}": float(np.clip(wv[k], 1, 7)) for k, c in enumerate(WORK_VALUE_CODES)})
        ws = rng.normal(3.3, 0.25, 16)
        for t, amt in ((t1, 0.9), (t2, 0.45)):
            for s in _TYPE_STYLES[t]:
                ws[WORK_STYLE_CODES.index(s)] += amt
        row.update({f"ws_{c}": float(np.clip(ws[k], 1, 5)) for k, c in enumerate(WORK_STYLE_CODES)})
        apt = 36 + 4 * zone + rng.normal(0, 3, 6)
        for t, amt in ((t1, 6), (t2, 3)):
            for a in _TYPE_APT[t]:
                apt[APTITUDE_CODES.index(a)] += amt
        row.update({f"apt_{c}": float(apt[k]) for k, c in enumerate(APTITUDE_CODES)})
        rows.append(row)
    return pd.DataFrame(rows)


def _random_point(rng: np.random.Generator, spread_km: float = 12.0) -> tuple[float, float, str]:
    dy, dx = rng.normal(0, spread_km, 2)
    lat = CITY_CENTRE[0] + dy / 111.0
    lon = CITY_CENTRE[1] + dx / (111.0 * np.cos(np.radians(CITY_CENTRE[0])))
    district = DISTRICTS[int((np.clip(dy, -17.9, 17.9) + 18) // 12) * 4 + int((np.clip(dx, -17.9, 17.9) + 18) // 9)]
    return float(lat), float(lon), district


def synthetic_vacancies(occupations: pd.DataFrame, per_occupation: int = 3, seed: int = 1,
                        n: int | None = None, certificate_share: float = 0.05) -> pd.DataFrame:
    """Vacancies across the occupations: ``per_occupation`` each, or ``n`` drawn at random."""
    rng = np.random.default_rng(seed)
    codes = occupations["code"].to_numpy()
    zones = occupations.set_index("code")["job_zone"]
    edu = occupations.set_index("code")["education_rank"]
    chosen = np.repeat(codes, per_occupation) if n is None else rng.choice(codes, n)
    rows = []
    edu_levels = [e for e in EducationLevel]
    for i, code in enumerate(chosen):
        lat, lon, district = _random_point(rng)
        base = 3000 + 1500 * zones[code] + rng.normal(0, 800)
        shifts = [] if rng.random() < 0.8 else [str(rng.choice([s.value for s in Shift]))]
        has_edu = rng.random() < 0.4
        edu_rank = int(np.clip(round(edu[code] - 1), 0, 6))
        rows.append({
            "id": f"v{i:06d}", "employer": f"企业{i % 997}", "title": f"岗位{i}",
            "occupation_code": code, "openings": int(rng.integers(1, 6)), "district": district,
            "lat": lat, "lon": lon, "hours_per_week": float(rng.choice([40, 40, 44, 48])),
            "shifts": shifts, "pay_min": round(base, -2), "pay_max": round(base * 1.3, -2),
            "education_min": ([e.value for e in edu_levels if e.rank == edu_rank][0] if has_edu else None),
            "education_min_is_hard": bool(has_edu and rng.random() < 0.2),
            "required_certificates": (["电工证"] if rng.random() < certificate_share else []),
            "physical_demands": (["heavy_lifting"] if rng.random() < 0.1 else []),
            "public_welfare": bool(rng.random() < 0.03), "internship": bool(rng.random() < 0.03),
            "directed_training": False, "posted_on": "2025-01-01", "closes_on": None,
        })
    return pd.DataFrame(rows)


def simulate_person(occupations: pd.DataFrame, code: str, rng: np.random.Generator, *,
                    person_id: str = "p", apt_se: tuple[float, float] = (3.0, 4.0),
                    interest_noise: float = 0.5, trait_noise: float = 5.0,
                    values_noise: float = 0.5, true_spread_t: float = 4.0) -> Profile:
    """A person whose true profile is that of occupation ``code`` plus noise.

    Aptitudes: T = requirement + N(0, true_spread_t) individual variation + N(0, SE) measurement
    error, SE ~ U(apt_se). Interests and values: the occupation's O*NET profile linearly rescaled
    to the 1–5 inventory scale plus N(0, noise). Big Five: the least-squares inverse of the work
    style mapping applied to the occupation's standardised work styles, plus N(0, trait_noise) T.
    """
    occ = occupations.set_index("code").loc[code]
    se = rng.uniform(*apt_se, 6)
    req = np.array([occ[f"apt_{c}"] for c in APTITUDE_CODES])
    t = np.clip(req + rng.normal(0, true_spread_t, 6) + rng.normal(0, se), 1, 99)
    oi = np.array([occ[f"riasec_{c}"] for c in RIASEC_CODES])
    riasec = np.clip(1 + (oi - 1) * 4 / 6 + rng.normal(0, interest_noise, 6), 1, 5)
    ex = np.array([occ[f"wv_{c}"] for c in WORK_VALUE_CODES])
    values = np.clip(1 + (ex - 1) * 4 / 6 + rng.normal(0, values_noise, 6), 1, 5)
    ws_all = occupations[[f"ws_{c}" for c in WORK_STYLE_CODES]].to_numpy()
    ws = (np.array([occ[f"ws_{c}"] for c in WORK_STYLE_CODES]) - np.nanmean(ws_all, 0)) / np.nanstd(ws_all, 0)
    loadings = BIG_FIVE_TO_WORK_STYLE / np.linalg.norm(BIG_FIVE_TO_WORK_STYLE, axis=1, keepdims=True)
    z, *_ = np.linalg.lstsq(loadings, ws, rcond=None)
    z = z / max(1.0, np.abs(z).max() / 2.0)
    z[4] = -z[4]  # emotional stability back to neuroticism
    b5 = np.clip(50 + 10 * z + rng.normal(0, trait_noise, 5), 20, 80)
    lat, lon, district = _random_point(rng)
    edu_rank = int(np.clip(round(occ["education_rank"] + rng.normal(0, 0.7)), 0, 6))
    education = [e for e in EducationLevel if e.rank == edu_rank][0]
    return Profile(
        person_id=person_id,
        aptitudes=AptitudeScores(**{c: TScore(t=float(t[k]), se=float(se[k])) for k, c in enumerate(APTITUDE_CODES)}),
        interests=RiasecScores(**{c: float(riasec[k]) for k, c in enumerate(RIASEC_CODES)}),
        big_five=BigFiveScores(**{c: float(b5[k]) for k, c in enumerate("OCEAN")}),
        work_values=WorkValueScores(**{c: float(values[k]) for k, c in enumerate(WORK_VALUE_CODES)}),
        education=education, district=district, home_lat=lat, home_lon=lon,
        expected_monthly_pay=int(round(3000 + 1500 * occ["job_zone"] + rng.normal(0, 800), -2)),
        constraints=Constraints(max_commute_minutes=int(rng.choice([60, 75, 90, 120]))),
    )


def synthetic_programmes(occupations: pd.DataFrame, n: int = 40, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = occupations["code"].to_numpy()
    rows = []
    for i in range(n):
        lat, lon, district = _random_point(rng)
        rows.append({
            "id": f"t{i:04d}", "provider": f"培训学校{i % 7}", "title": f"培训项目{i}",
            "target_occupation_codes": list(rng.choice(codes, int(rng.integers(1, 3)), replace=False)),
            "education_min": None, "required_certificates": [], "certificates_awarded": [],
            "education_awarded": None, "duration_weeks": float(rng.integers(2, 26)),
            "hours_per_week": 20.0, "schedule_shifts": [], "district": district, "lat": lat, "lon": lon,
            "capacity": int(rng.integers(10, 60)), "cost_yuan": float(rng.choice([0, 800, 2400])),
            "subsidy_yuan": float(rng.choice([0, 800])), "start_date": "2025-03-01",
            "placement_rate": (None if rng.random() < 0.3 else float(rng.uniform(0.3, 0.9))),
        })
    return pd.DataFrame(rows)


def model_check(occupations: pd.DataFrame, *, n_people: int = 200, per_occupation: int = 2,
                seed: int = 7, weights=None, k: int = 10) -> dict[str, float]:
    """Recall@k of vacancies coded with a person's true occupation.

    People are simulated from occupations with complete descriptors; vacancies are
    ``per_occupation`` per occupation. recall = (vacancies coded X in the top k) / min(k,
    eligible vacancies coded X), averaged over people who have any eligible X vacancy. Also
    reported: the hit rate (at least one X vacancy in the top k), the chance level of recall,
    and recall counting occupations with an identical descriptor profile as hits (the shipped
    table gives some CSCO occupations the same O*NET profile, which no model can separate).
    """
    from matching.components import OCCUPATION_COLUMNS, PersonBlock
    from matching.rank import VacancyPool, score_vacancies, top_k

    descriptors = [c for c in OCCUPATION_COLUMNS if c not in ("code", "name_zh")]
    complete = occupations.dropna(subset=descriptors)
    rng = np.random.default_rng(seed)
    vac = synthetic_vacancies(occupations, per_occupation, seed=seed + 1)
    pool = VacancyPool.from_frame(vac, occupations)
    codes = rng.choice(complete["code"].to_numpy(), n_people)
    people = [simulate_person(complete, c, rng, person_id=f"p{i}") for i, c in enumerate(codes)]
    s = score_vacancies(PersonBlock.from_profiles(people), pool, weights)
    key = dict(zip(occupations["code"], occupations[descriptors].round(4).astype(str).agg("|".join, axis=1)))
    vkey = np.array([key.get(c) for c in pool.occ_codes], dtype=object)
    recall, recall_eq, hit, chance = [], [], [], []
    for i, c in enumerate(codes):
        eligible = s.fail[i] == 0
        target = (pool.occ_codes == c) & eligible
        if not target.any():
            continue
        top = top_k(s.total[i], eligible, k)
        recall.append(target[top].sum() / min(k, target.sum()))
        hit.append(float(target[top].any()))
        chance.append(min(k, eligible.sum()) / eligible.sum() * target.sum() / min(k, target.sum()))
        same = (vkey == key[c]) & eligible
        recall_eq.append(same[top].sum() / min(k, same.sum()))
    return {"recall": float(np.mean(recall)), "recall_same_profile": float(np.mean(recall_eq)),
            "hit_rate": float(np.mean(hit)), "chance_recall": float(np.mean(chance)),
            "n_people": len(recall), "n_vacancies": pool.n, "n_occupations": len(occupations)}
