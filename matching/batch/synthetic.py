"""A synthetic but realistic province: job seekers and vacancies for batch matching and its benchmark.

Geography: a province-sized area (about 550 × 550 km, the size of Henan or Hubei) with 16 cities
whose sizes follow Zipf's law (the capital holds ~25 % of urban seekers); 80 % of seekers and 88 %
of vacancies live in cities (normal spread 7 km and 5 km around the centre: jobs are more
concentrated than homes), the rest in counties spread over the area. Districts are named after
the city and the sector of the compass around its centre (``C03-北2``), county towns ``C03-县``.
3 % of seekers and 3 % of vacancies have a district but no coordinates.

Seekers: a latent occupation drawn from the vacancies' occupation mix; assessment scores are that
occupation's profile plus individual spread and measurement error (aptitudes T = requirement +
N(0, 6) + N(0, SE), SE ~ U(3, 4.5); interests and values the O*NET profile rescaled to 1–5 plus
N(0, 0.6); Big Five N(50, 10)); 85 % took the full battery, 10 % no aptitude test, 5 % no
assessment. Education mix of registered job seekers (初中 30 %, 高中/中专 35 %, 大专 18 %, 本科 12 %),
expected pay rising with education (yuan/month), commute limits 30/45/60/90 min or none (10 %),
hours and shift constraints, 8 % a declared physical limitation, priority groups (零就业家庭 3 %,
就业困难人员 15 %, 援助卡 5 %), gender and birth year for the audit only. Work history
(``work_history``, compact ``code:months:end_year`` text): 75 % have worked (fewer among the young
and the highly educated), one to three past jobs, the most recent in the latent occupation (half
of them), another occupation of its minor group (a third) or anywhere; durations geometric with a
mean of about three years, end years counted back from the reference year, 10 % still in the job.

Vacancies: real CSCO 2022 codes from the occupation table, weighted towards the production and
service groups (6 and 4) that dominate public employment services' listings; openings mostly
1–5, a few large (factory lines 20–50); pay from the job zone; 5 % need a certificate.

Everything is drawn from one ``numpy.random.Generator`` seed: the same seed gives the same frames.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matching.batch.schema import APT_SE, APT_T, BIG5, RIASEC, WV
from models.enums import EducationLevel, HardToEmployCategory
from models.profile import APTITUDE_CODES, RIASEC_CODES, WORK_VALUE_CODES

PROVINCE_CENTRE = (33.9, 113.5)     # degrees; the box spans ±2.5° lat, ±3° lon (≈ 555 × 555 km)
PROVINCE_HALF = (2.5, 3.0)
N_CITIES = 16
SECTORS = ("东", "东北", "北", "西北", "西", "西南", "南", "东南")
CERTIFICATES = ("电工证", "叉车证", "健康证", "教师资格证", "C1驾驶证", "育婴员证")
MAJOR_GROUP_WEIGHT = {"1": 0.01, "2": 0.12, "3": 0.06, "4": 0.36, "5": 0.05, "6": 0.40}
EDU_SHARES = (("primary", 0.04), ("junior_secondary", 0.30), ("senior_secondary", 0.17),
              ("vocational_secondary", 0.18), ("junior_college", 0.18), ("bachelor", 0.12),
              ("postgraduate", 0.01))
HARD_TO_EMPLOY = (("long_term_unemployed", 0.35), ("older_worker", 0.30), ("disabled", 0.08),
                  ("low_income_household", 0.15), ("land_lost_farmer", 0.10), ("other", 0.02))


def _cities(rng: np.random.Generator) -> pd.DataFrame:
    lat = PROVINCE_CENTRE[0] + rng.uniform(-0.85, 0.85, N_CITIES) * PROVINCE_HALF[0]
    lon = PROVINCE_CENTRE[1] + rng.uniform(-0.85, 0.85, N_CITIES) * PROVINCE_HALF[1]
    weight = 1.0 / np.arange(1, N_CITIES + 1)
    return pd.DataFrame({"name": [f"C{i:02d}" for i in range(N_CITIES)], "lat": lat, "lon": lon,
                         "weight": weight / weight.sum()})


def _places(rng: np.random.Generator, cities: pd.DataFrame, n: int, urban_share: float,
            spread_km: float, no_xy_share: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    city = rng.choice(len(cities), n, p=cities["weight"].to_numpy())
    urban = rng.random(n) < urban_share
    dy = np.where(urban, rng.normal(0, spread_km, n), 0.0)
    dx = np.where(urban, rng.normal(0, spread_km, n), 0.0)
    lat = cities["lat"].to_numpy()[city] + dy / 111.2
    lon = cities["lon"].to_numpy()[city] + dx / (111.2 * np.cos(np.radians(cities["lat"].to_numpy()[city])))
    # County dwellers: anywhere in the province, attached to the nearest city.
    rural = ~urban
    rlat = PROVINCE_CENTRE[0] + rng.uniform(-1, 1, n) * PROVINCE_HALF[0]
    rlon = PROVINCE_CENTRE[1] + rng.uniform(-1, 1, n) * PROVINCE_HALF[1]
    d2 = (rlat[:, None] - cities["lat"].to_numpy()[None, :]) ** 2 + (rlon[:, None] - cities["lon"].to_numpy()[None, :]) ** 2
    city = np.where(rural, d2.argmin(axis=1), city)
    lat, lon = np.where(rural, rlat, lat), np.where(rural, rlon, lon)
    ang = (np.degrees(np.arctan2(dy, dx)) + 360 + 22.5) % 360 // 45
    ring = np.where(np.hypot(dx, dy) < spread_km, 1, 2)
    names = cities["name"].to_numpy()
    district = np.where(rural, [f"{names[c]}-县" for c in city],
                        [f"{names[c]}-{SECTORS[int(a)]}{r}" for c, a, r in zip(city, ang, ring)])
    hide = rng.random(n) < no_xy_share
    return np.where(hide, np.nan, lat), np.where(hide, np.nan, lon), district.astype(object)


def _occupation_weights(occupations: pd.DataFrame) -> np.ndarray:
    """Each major group's share spread evenly over its occupations."""
    group = occupations["code"].astype(str).str[0]
    w = (group.map(MAJOR_GROUP_WEIGHT).fillna(0.0) / group.map(group.value_counts())).to_numpy(dtype=float)
    return w / w.sum()


def generate_vacancies(occupations: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` vacancies with real codes from ``occupations`` (the shipped table or one with its
    columns: ``code``, ``job_zone``, ``education_rank``)."""
    rng = np.random.default_rng([seed, 1])
    cities = _cities(np.random.default_rng([seed, 0]))
    occ = occupations.reset_index(drop=True)
    pick = rng.choice(len(occ), n, p=_occupation_weights(occ))
    lat, lon, district = _places(rng, cities, n, 0.88, 5.0, 0.03)
    zone = occ["job_zone"].to_numpy(dtype=float)[pick]
    edu = occ["education_rank"].to_numpy(dtype=float)[pick]
    base = np.round(2200 + 1100 * zone + rng.normal(0, 600, n), -2).clip(2000)
    big = rng.random(n) < 0.03
    openings = np.where(big, rng.integers(20, 51, n), np.minimum(rng.geometric(0.45, n), 10))
    has_edu = rng.random(n) < 0.45
    levels = {e.rank: e.value for e in EducationLevel if e.value != "vocational_secondary"}
    edu_min = [levels[int(np.clip(round(e - 1), 0, 6))] if h else None for e, h in zip(edu, has_edu)]
    shifts = rng.choice(["", "", "", "", "", "", "evening", "night", "weekend", "rotating"], n)
    return pd.DataFrame({
        "id": [f"V{seed:02d}-{i:07d}" for i in range(n)],
        "employer": [f"企业{int(x):05d}" for x in rng.integers(0, max(n // 4, 1), n)],
        "title": occ["name_zh"].to_numpy()[pick] if "name_zh" in occ else [f"岗位{i}" for i in range(n)],
        "occupation_code": occ["code"].to_numpy()[pick],
        "openings": openings.astype(int),
        "district": district, "lat": lat, "lon": lon,
        "hours_per_week": rng.choice([40.0, 40.0, 40.0, 44.0, 48.0, 54.0], n),
        "shifts": shifts,
        "pay_min": base.astype(int), "pay_max": np.round(base * rng.uniform(1.1, 1.5, n), -2).astype(int),
        "education_min": edu_min,
        "education_min_is_hard": has_edu & (rng.random(n) < 0.2),
        "required_certificates": np.where(rng.random(n) < 0.05, rng.choice(CERTIFICATES, n), ""),
        "physical_demands": np.where(rng.random(n) < 0.12,
                                     rng.choice(["heavy_lifting", "prolonged_standing", "outdoor_work", "driving"], n), ""),
        "public_welfare": rng.random(n) < 0.03, "internship": rng.random(n) < 0.04,
        "directed_training": rng.random(n) < 0.02,
    })


def _work_histories(rng: np.random.Generator, codes: np.ndarray, weights: np.ndarray, true_occ: np.ndarray,
                    age: np.ndarray, rank: np.ndarray, reference_year: int) -> np.ndarray:
    """``work_history`` cells (see the module docstring); None for people who have not worked."""
    n = true_occ.size
    minor = np.array(["-".join(c.split("-")[:2]) for c in codes], dtype=object)
    by_minor = pd.Series(np.arange(codes.size)).groupby(minor).apply(lambda s: s.to_numpy()).to_dict()
    worked = rng.random(n) < np.clip(0.85 - 0.04 * np.maximum(rank - 3, 0) - 0.25 * (age < 22), 0.3, 0.95)
    n_jobs = np.where(worked, 1 + (rng.random(n) < 0.45) + (rng.random(n) < 0.2), 0)
    choice = rng.random((n, 3))
    anywhere = rng.choice(codes.size, (n, 3), p=weights)
    months = np.clip(rng.geometric(1 / 36, (n, 3)), 1, 360)
    gaps = rng.geometric(0.55, (n, 3)) - 1                    # years between one job's end and the next
    current = rng.random(n) < 0.10
    out = np.full(n, None, dtype=object)
    for i in np.flatnonzero(worked):
        end, jobs = reference_year - gaps[i, 0], []
        for e in range(n_jobs[i]):
            same = by_minor[minor[true_occ[i]]]
            occ = (true_occ[i] if e == 0 and choice[i, 0] < 0.5 else
                   same[int(choice[i, e] * 1e6) % same.size] if choice[i, e] < 0.8 else anywhere[i, e])
            jobs.append(f"{codes[occ]}:{months[i, e]}" + ("" if e == 0 and current[i] else f":{end}"))
            end -= int(months[i, e]) // 12 + gaps[i, e] + 1
            if end < reference_year - max(age[i] - 16, 0):
                break
        out[i] = "|".join(jobs)
    return out


def generate_seekers(occupations: pd.DataFrame, n: int, seed: int = 0, reference_year: int = 2026) -> pd.DataFrame:
    """``n`` job seekers as seeker rows (``matching.batch.schema.SEEKER_COLUMNS``)."""
    rng = np.random.default_rng([seed, 2])
    cities = _cities(np.random.default_rng([seed, 0]))
    occ = occupations.reset_index(drop=True)
    true_occ = rng.choice(len(occ), n, p=_occupation_weights(occ))
    lat, lon, district = _places(rng, cities, n, 0.80, 7.0, 0.03)
    out: dict[str, object] = {"id": [f"S{seed:02d}-{i:08d}" for i in range(n)], "district": district,
                              "lat": lat, "lon": lon}
    edu_names, edu_p = zip(*EDU_SHARES)
    education = rng.choice(edu_names, n, p=edu_p)
    rank = np.array([EducationLevel(e).rank for e in education])
    out["education"] = education
    out["expected_monthly_pay"] = np.round(2500 + 700 * rank + rng.normal(0, 600, n), -2).clip(1800).astype(float)
    out["max_hours_per_week"] = rng.choice([40.0, 44.0, np.nan, np.nan, np.nan], n)
    out["max_commute_minutes"] = rng.choice([30.0, 45.0, 45.0, 60.0, 60.0, 60.0, 90.0, 90.0, np.nan], n,
                                            p=[0.15, 0.15, 0.15, 0.15, 0.1, 0.1, 0.05, 0.05, 0.1])
    out["available_shifts"] = rng.choice(["", "", "", "", "", "", "day", "day", "day|evening", "day|weekend"], n)
    out["physical_limitations"] = np.where(rng.random(n) < 0.08, rng.choice(
        ["heavy_lifting", "prolonged_standing", "climbing_heights", "driving"], n), "")
    out["certificates"] = np.where(rng.random(n) < 0.12, rng.choice(CERTIFICATES, n), "")
    out["interested_occupations"] = ""
    battery = rng.choice(3, n, p=[0.85, 0.10, 0.05])  # 0 full, 1 no aptitudes, 2 nothing
    se = rng.uniform(3.0, 4.5, (n, 6))
    req = occ[[f"apt_{c}" for c in APTITUDE_CODES]].to_numpy(dtype=float)[true_occ]
    t = np.clip(req + rng.normal(0, 6, (n, 6)) + rng.normal(0, 1, (n, 6)) * se, 5, 95)
    for k in range(6):
        has = battery == 0
        out[APT_T[k]] = np.where(has, np.round(t[:, k], 1), np.nan)
        out[APT_SE[k]] = np.where(has, np.round(se[:, k], 2), np.nan)
    has = battery < 2
    ria = occ[[f"riasec_{c}" for c in RIASEC_CODES]].to_numpy(dtype=float)[true_occ]
    ria = np.clip(1 + (ria - 1) * 4 / 6 + rng.normal(0, 0.6, (n, 6)), 1, 5)
    wv = occ[[f"wv_{c}" for c in WORK_VALUE_CODES]].to_numpy(dtype=float)[true_occ]
    wv = np.clip(1 + (wv - 1) * 4 / 6 + rng.normal(0, 0.6, (n, 6)), 1, 5)
    b5 = np.clip(rng.normal(50, 10, (n, 5)), 20, 80)
    for cols, x in ((RIASEC, ria), (WV, wv), (BIG5, b5)):
        for k, c in enumerate(cols):
            out[c] = np.where(has, np.round(x[:, k], 2), np.nan)
    out["zero_employment_family"] = rng.random(n) < 0.03
    names, p = zip(*HARD_TO_EMPLOY)
    assert set(names) <= {h.value for h in HardToEmployCategory}
    out["hard_to_employ"] = np.where(rng.random(n) < 0.15, rng.choice(names, n, p=p), None)
    out["assistance_card"] = rng.random(n) < 0.05
    out["gender"] = rng.choice(["female", "male", "unspecified"], n, p=[0.50, 0.49, 0.01])
    age = np.clip(rng.gamma(4.0, 5.0, n) + 18, 16, 64).astype(int)
    out["birth_year"] = (reference_year - age).astype(float)
    # Drawn last, from their own stream, so that every other column stays as it was.
    out["work_history"] = _work_histories(np.random.default_rng([seed, 3]), occ["code"].to_numpy(dtype=object),
                                          _occupation_weights(occ), true_occ, age, rank, reference_year)
    return pd.DataFrame(out)
