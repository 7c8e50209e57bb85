"""A simulated centre: two years of arrivals, referrals and outcomes with a hidden ground truth
that differs from the matcher's formula (issue 17, item 4).

People and vacancies come from ``matching.batch.synthetic`` (a province with 16 cities, real CSCO
codes); the fit components are the real matcher's (``matching.rank.score_vacancies``). Each person
arrives once on a day in [0, 730); vacancies are posted over the two years and stay open 30–90
days. A person's *candidates* are the vacancies open on the arrival day that the matcher finds
eligible with a total of at least ``min_total`` (the "reasonably fitting" items), at most
``max_candidates`` of them by total. A policy ranks the candidates and the person is referred to
every item of the shown list of ``k``; outcomes of the referrals are drawn independently (a person
can be hired more than once: hires@k counts them, as a list-quality measure).

Hidden ground truth (never a feature; the matcher and the model see only the components and the
vacancy's context):

- hire: logit = −1.3 + 1.4 (aptitude − 0.5) + s_e · experience + 0.9 u_i + 0.6 a_e
  − 1.0 [education fit < 0.5], where u_i ~ N(0, 1) is the person's unobserved employability
  (interview manner, references), a_e ~ N(0, 1) the employer's general openness and
  s_e ~ U(0, 2.5) how much the employer values past work in the line (employer preferences);
  missing components count as 0.5 (experience as 0). Congestion: the chance is divided by
  1 + 1.0 × (referrals already made to the vacancy per opening).
- still employed at 3 months, given hired: logit = 0.2 + 3.0 (interest − 0.5)
  + 1.2 (work values − 0.5) − 0.06 (commute minutes − 30) − 0.2 max(0, weekly hours − 44)
  − 2.0 max(0, 0.8 − pay fit) + 0.8 h_i, with h_i ~ N(0, 1) the person's unobserved stability.
- lasting hire = hired and still employed at 3 months.

Gender and birth year are kept on ``people`` for the fairness audit only.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy.special import expit

from matching.batch.schema import person_block
from matching.batch.synthetic import generate_seekers, generate_vacancies
from matching.components import COMPONENTS, OccupationTable
from matching.outcomes.exploration import explore
from matching.outcomes.model import PRACTICAL_PARTS
from matching.rank import VacancyPool, score_vacancies

DAYS = 730
OPEN_DAYS = (30, 45, 60, 90)
CONGESTION = 1.0            # divides P(hire) by 1 + CONGESTION × referrals before per opening
REFERENCE_DATE = date(2025, 1, 1)
# Columns of a candidate row that depend only on the (person, vacancy) pair.
PAIR_COLUMNS = ("person", "vacancy", "day", "total", *COMPONENTS, *PRACTICAL_PARTS, "commute_minutes",
                "hours_per_week", "openings", "posted_day", "closes_day")

# A scorer maps candidate rows (a frame with PAIR_COLUMNS + the context columns ``referrals_before``,
# ``days_open``, ``days_left``, ``referrals_per_opening``) to scores; higher is shown first.
Scorer = Callable[[pd.DataFrame], np.ndarray]


@dataclass(frozen=True)
class WorldConfig:
    """Size and policy settings of a simulated centre."""

    n_people: int = 20_000
    n_vacancies: int = 12_000
    k: int = 10
    max_candidates: int = 50
    min_total: float = 30.0
    exploration_share: float = 0.10


@dataclass
class World:
    """People (``id``, ``day``, ``gender``, ``birth_year``), vacancies (``id``, ``employer``,
    ``openings``, ``posted_day``, ``closes_day``), candidate rows (``PAIR_COLUMNS``, sorted by
    day, then person, then total descending) and the hidden truth (per-person ``u``, ``h``;
    per-vacancy employer ``a``, ``s``)."""

    config: WorldConfig
    people: pd.DataFrame
    vacancies: pd.DataFrame
    candidates: pd.DataFrame
    u: np.ndarray
    h: np.ndarray
    a: np.ndarray
    s: np.ndarray

    def truth(self, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """True P(hire) and P(lasting hire) of candidate rows with context columns."""
        i, v = rows["person"].to_numpy(), rows["vacancy"].to_numpy()
        c = lambda name, fill: rows[name].fillna(fill).to_numpy(dtype=float)  # noqa: E731
        hire = expit(-1.3 + 1.4 * (c("aptitude", 0.5) - 0.5) + self.s[v] * c("experience", 0.0)
                     + 0.9 * self.u[i] + 0.6 * self.a[v] - 1.0 * (c("education", 1.0) < 0.5))
        hire = hire / (1.0 + CONGESTION * rows["referrals_per_opening"].to_numpy(dtype=float))
        minutes = rows["commute_minutes"].fillna(30.0).to_numpy(dtype=float)
        stay = expit(0.2 + 3.0 * (c("interest", 0.5) - 0.5) + 1.2 * (c("work_values", 0.5) - 0.5)
                     - 0.06 * (minutes - 30.0) - 0.2 * np.maximum(0.0, c("hours_per_week", 40.0) - 44.0)
                     - 2.0 * np.maximum(0.0, 0.8 - c("pay", 1.0)) + 0.8 * self.h[i])
        return hire, hire * stay


def simulate_world(occupations: pd.DataFrame, occupation_table: OccupationTable, config: WorldConfig = WorldConfig(),
                   seed: int = 0, block: int = 400) -> World:
    """People, vacancies, candidates and the hidden truth of one simulated centre.

    ``occupations`` is the shipped profile frame (``api.matching.occupation_frame``) and
    ``occupation_table`` its prepared table; ``block`` bounds memory (people scored at once).
    """
    rng = np.random.default_rng([seed, 17])
    seekers = generate_seekers(occupations, config.n_people, seed=seed)
    vac = generate_vacancies(occupations, config.n_vacancies, seed=seed)
    people = seekers[["id", "gender", "birth_year"]].copy()
    people["day"] = np.sort(rng.integers(0, DAYS, config.n_people))
    posted = rng.integers(-60, DAYS - 30, config.n_vacancies)
    vac["posted_day"], vac["closes_day"] = posted, posted + rng.choice(OPEN_DAYS, config.n_vacancies)
    employers = vac["employer"].to_numpy()
    _, emp = np.unique(employers, return_inverse=True)
    a_e, s_e = rng.normal(0, 1, emp.max() + 1), rng.uniform(0, 2.5, emp.max() + 1)
    frames = []
    for start in range(0, config.n_people, block):
        rows = np.arange(start, min(start + block, config.n_people))
        d0, d1 = people["day"].iloc[rows[0]], people["day"].iloc[rows[-1]]
        live = np.flatnonzero((vac["posted_day"].to_numpy() <= d1) & (vac["closes_day"].to_numpy() > d0))
        sub = VacancyPool.from_frame(vac.iloc[live].reset_index(drop=True), occupation_table)
        sc = score_vacancies(person_block(seekers.iloc[rows].reset_index(drop=True)), sub, as_of=REFERENCE_DATE)
        day = people["day"].to_numpy()[rows]
        open_ = (vac["posted_day"].to_numpy()[live][None, :] <= day[:, None]) & \
                (vac["closes_day"].to_numpy()[live][None, :] > day[:, None])
        ok = open_ & (sc.fail == 0) & (sc.total >= config.min_total)
        pi, vj = np.nonzero(ok)
        f = pd.DataFrame({"person": rows[pi], "vacancy": live[vj], "day": day[pi], "total": sc.total[pi, vj]})
        for name in COMPONENTS:
            f[name] = sc.components[name][pi, vj]
        for name in PRACTICAL_PARTS:
            f[name] = np.broadcast_to(sc.practical_parts[name], sc.total.shape)[pi, vj]
        f["commute_minutes"] = sc.reach.minutes[pi, vj]
        frames.append(f)
    cand = pd.concat(frames, ignore_index=True)
    cand = cand.sort_values(["day", "person", "total"], ascending=[True, True, False], kind="stable")
    cand = cand[cand.groupby("person").cumcount() < config.max_candidates].reset_index(drop=True)
    v = cand["vacancy"].to_numpy()
    cand["hours_per_week"] = vac["hours_per_week"].to_numpy(dtype=float)[v]
    cand["openings"] = vac["openings"].to_numpy(dtype=float)[v]
    cand["posted_day"] = vac["posted_day"].to_numpy()[v]
    cand["closes_day"] = vac["closes_day"].to_numpy()[v]
    vacancies = vac[["id", "employer", "occupation_code", "openings", "posted_day", "closes_day"]].copy()
    return World(config=config, people=people, vacancies=vacancies, candidates=cand[list(PAIR_COLUMNS)],
                 u=rng.normal(0, 1, config.n_people), h=rng.normal(0, 1, config.n_people),
                 a=a_e[emp], s=s_e[emp])


def with_context(rows: pd.DataFrame, referrals: np.ndarray) -> pd.DataFrame:
    """Candidate rows plus the context at the arrival day: ``referrals_before`` (referrals already
    made to the vacancy), ``days_open``, ``days_left``, ``referrals_per_opening``."""
    out = rows.copy()
    before = referrals[rows["vacancy"].to_numpy()].astype(float)
    out["referrals_before"] = before
    out["days_open"] = (rows["day"] - rows["posted_day"]).to_numpy(dtype=float)
    out["days_left"] = (rows["closes_day"] - rows["day"]).to_numpy(dtype=float)
    out["referrals_per_opening"] = before / rows["openings"].to_numpy(dtype=float)
    return out


def run_policy(world: World, scorer: Scorer, *, from_day: int = 0, to_day: int = DAYS,
               referrals: np.ndarray | None = None, exploration_share: float = 0.0,
               seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Run a ranking policy over the people arriving in [from_day, to_day), day by day.

    Every candidate row of those people comes back with its context on the arrival day, the true
    P(hire) / P(lasting) (``p_hire``, ``p_lasting``), and for the shown ones ``shown``, ``position``
    (1-based), ``exploration``, ``propensity`` and the drawn outcomes ``hired`` and ``lasting``
    (NaN when not shown). ``referrals`` (per vacancy, counted before ``from_day``) is updated and
    returned, so a later period can start from the state an earlier one left.
    """
    rng = np.random.default_rng([seed, 23])
    referrals = np.zeros(len(world.vacancies), dtype=int) if referrals is None else referrals.copy()
    cand = world.candidates
    days = cand["day"].to_numpy()
    lo, hi = np.searchsorted(days, from_day), np.searchsorted(days, to_day)
    bounds = np.flatnonzero(np.diff(days[lo:hi])) + 1 + lo
    out = []
    for a, b in zip(np.r_[lo, bounds], np.r_[bounds, hi]):
        if a == b:
            continue
        rows = with_context(cand.iloc[a:b], referrals)
        p_hire, p_last = world.truth(rows)
        score = np.asarray(scorer(rows), dtype=float)
        person = rows["person"].to_numpy()
        n = len(rows)
        shown = np.zeros(n, dtype=bool)
        position = np.zeros(n, dtype=int)
        expl = np.zeros(n, dtype=bool)
        prop = np.full(n, np.nan)
        starts = np.r_[0, np.flatnonzero(np.diff(person)) + 1]
        for s, e in zip(starts, np.r_[starts[1:], n]):
            order = s + np.lexsort((np.arange(e - s), -score[s:e]))
            slate = explore(order, world.config.k, exploration_share, rng)
            shown[slate.items] = True
            position[slate.items] = np.arange(1, len(slate.items) + 1)
            expl[slate.items] = slate.exploration
            prop[slate.items] = slate.propensity
        hired = rng.random(n) < p_hire
        lasting = hired & (rng.random(n) < np.divide(p_last, p_hire, out=np.zeros(n), where=p_hire > 0))
        rows["p_hire"], rows["p_lasting"] = p_hire, p_last
        rows["shown"], rows["position"], rows["exploration"], rows["propensity"] = shown, position, expl, prop
        rows["hired"] = np.where(shown, hired, np.nan)
        rows["lasting"] = np.where(shown, lasting, np.nan)
        np.add.at(referrals, rows["vacancy"].to_numpy()[shown], 1)
        out.append(rows)
    return pd.concat(out, ignore_index=True), referrals


def handset_scorer(rows: pd.DataFrame) -> np.ndarray:
    """The matcher's hand-set total (0–100)."""
    return rows["total"].to_numpy(dtype=float)


def oracle_scorer(world: World) -> Scorer:
    """Ranks by the true P(lasting hire) in the current context (what no real ranking can know)."""
    return lambda rows: world.truth(rows)[1]


__all__ = ["DAYS", "PAIR_COLUMNS", "Scorer", "World", "WorldConfig", "handset_scorer",
           "oracle_scorer", "run_policy", "simulate_world", "with_context"]
