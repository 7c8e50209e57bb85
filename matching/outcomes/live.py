"""One person's list with the outcome model and exploration (issue 17, items 2, 3 and 5).

``outcome_list`` takes the matcher's ranking of the person's eligible vacancies (asked for with
``k = MAX_CANDIDATES``), keeps the reasonably fitting ones (total ≥ ``MIN_TOTAL``), orders them by
expected benefit (``matching.outcomes.objective``) when a model is given, by the hand-set total
otherwise, and fills ``exploration_share`` of the k positions by randomised exploration among
them (``matching.outcomes.exploration``). Every shown item carries ``exploration`` and
``propensity`` for the ranking log. Reasons stay the matcher's (from the components); an item gains
the stable-employment sentence only when ``matching.outcomes.explain`` says the model supports it
for this person's own features.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from matching.components import PersonBlock
from matching.outcomes.explain import STABLE_REASON, supports_stable_reason
from matching.outcomes.exploration import DEFAULT_EXPLORATION_SHARE, explore
from matching.outcomes.model import FEATURES, PRACTICAL_PARTS, OutcomeModel
from matching.outcomes.objective import DEFAULT_CONGESTION_WEIGHT, expected_benefit, expected_competition
from matching.rank import VacancyPool, score_vacancies
from models.match import Ranking, Reason
from models.profile import Profile

MAX_CANDIDATES = 50
MIN_TOTAL = 30.0
CONTEXT = ("referrals_so_far", "days_open", "days_left")


@dataclass(frozen=True)
class LoggedItem:
    """What the ranking log keeps for a shown item (PATHWAY_CONTRACT ``ranking_logs.items``)."""

    item_id: str
    rank: int
    score: float
    exploration: bool
    propensity: float


def candidate_features(profile: Profile, pool: VacancyPool, item_ids: list[str], context: pd.DataFrame,
                       as_of: date | None = None) -> pd.DataFrame:
    """``FEATURES`` + ``total`` for the person and each of ``item_ids`` (in that order).

    ``context`` is indexed by vacancy id with ``CONTEXT`` columns (referrals made to it so far,
    days since posting, days until it closes; missing ids count as 0 referrals, 0 days open,
    30 days left)."""
    s = score_vacancies(PersonBlock.from_profiles([profile]), pool, as_of=as_of)
    col = pd.Series(np.arange(pool.n), index=pool.items.ids.astype(str))[item_ids].to_numpy()
    out = pd.DataFrame({"total": s.total[0, col]})
    for name, x in s.components.items():
        out[name] = x[0, col]
    for name in PRACTICAL_PARTS:
        out[name] = np.broadcast_to(s.practical_parts[name], s.total.shape)[0, col]
    out["commute_minutes"] = s.reach.minutes[0, col]
    out["hours_per_week"] = pool.items.hours[col]
    out["openings"] = pool.openings[col]
    ctx = context.reindex(item_ids)
    out["referrals_so_far"] = ctx["referrals_so_far"].fillna(0.0).to_numpy(dtype=float)
    out["days_open"] = ctx["days_open"].fillna(0.0).to_numpy(dtype=float)
    out["days_left"] = ctx["days_left"].fillna(30.0).to_numpy(dtype=float)
    out["referrals_per_opening"] = out["referrals_so_far"] / np.maximum(out["openings"], 1.0)
    return out


def outcome_list(ranking: Ranking, profile: Profile, pool: VacancyPool, k: int, *, model: OutcomeModel | None,
                 context: pd.DataFrame, rng: np.random.Generator,
                 exploration_share: float = DEFAULT_EXPLORATION_SHARE,
                 congestion_weight: float = DEFAULT_CONGESTION_WEIGHT,
                 as_of: date | None = None) -> tuple[Ranking, list[LoggedItem]]:
    """The shown list of at most k vacancies and what the ranking log records for each."""
    cands = [r for r in ranking.results if r.total >= MIN_TOTAL][:MAX_CANDIDATES]
    if not cands:
        return ranking.model_copy(update={"results": []}), []
    total = np.array([r.total for r in cands])
    p = None
    if model is not None:
        feats = candidate_features(profile, pool, [r.item_id for r in cands], context, as_of)
        p = model.predict(feats[list(FEATURES)])
        competition = expected_competition(feats["referrals_so_far"], feats["days_open"], feats["days_left"],
                                           feats["openings"])
        score = expected_benefit(total, p, competition, congestion_weight)
    else:
        score = total
    order = np.lexsort((np.arange(len(cands)), -total, -score))
    slate = explore(order, k, exploration_share, rng)
    shown, logged = [], []
    for pos, (i, explored, prop) in enumerate(zip(slate.items, slate.exploration, slate.propensity), start=1):
        item = cands[int(i)]
        reasons = list(item.reasons)
        if p is not None and supports_stable_reason(float(p[i]), model.base_rate_, model.n_train_):
            reasons.append(Reason(code="stable_employment_history", kind="strength",
                                  **{"zh-CN": STABLE_REASON["zh-CN"]}, en=STABLE_REASON["en"]))
        shown.append(item.model_copy(update={"rank": pos, "reasons": reasons}))
        logged.append(LoggedItem(item.item_id, pos, item.total, bool(explored), float(prop)))
    return ranking.model_copy(update={"results": shown}), logged


__all__ = ["CONTEXT", "LoggedItem", "MAX_CANDIDATES", "MIN_TOTAL", "candidate_features", "outcome_list"]
