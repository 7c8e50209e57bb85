"""One person's list with the outcome model and exploration (issue 17, items 2, 3 and 5).

``outcome_list`` takes the matcher's ranking of the person's eligible vacancies (asked for with
``k = MAX_CANDIDATES``), orders them by expected benefit (``matching.outcomes.objective``) when a
model is given, by the hand-set total otherwise, and fills ``exploration_share`` of the k positions
by randomised exploration among the reasonably fitting ones (total ≥ ``MIN_TOTAL``;
``matching.outcomes.exploration``). A person with fewer than k reasonably fitting vacancies sees
all of them, then the others in policy order. Every shown item carries ``exploration`` and
``propensity`` for the ranking log. Reasons stay the matcher's (from the components); an item gains
the stable-employment sentence only when ``matching.outcomes.explain`` says the model supports it
for this person's own features.
"""
from __future__ import annotations

from dataclasses import dataclass, field
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


LOGGED_FEATURES = (*FEATURES, "total")
"""What a shown item's ``features`` hold: the outcome model's inputs and the hand-set total, as the
list was made, so that a model trained later reads the person as they were then."""


@dataclass(frozen=True)
class LoggedItem:
    """What the ranking log keeps for a shown item (``ranking_logs.items``); ``features`` are
    ``LOGGED_FEATURES`` when the list asked for them, else empty."""

    item_id: str
    rank: int
    score: float
    exploration: bool
    propensity: float
    features: dict[str, float] = field(default_factory=dict)


def candidate_features(profile: Profile, pool: VacancyPool, item_ids: list[str], context: pd.DataFrame,
                       as_of: date | None = None) -> pd.DataFrame:
    """``FEATURES`` + ``total`` for the person and each of ``item_ids`` (in that order).

    ``context`` is indexed by vacancy id with ``CONTEXT`` columns (referrals made to it so far,
    days since posting, days until it closes; missing ids count as 0 referrals, 0 days open,
    30 days left)."""
    # Only the listed vacancies are scored: a vacancy's numbers do not depend on the rest of the pool.
    position = {str(v): i for i, v in enumerate(pool.items.ids)}
    pool = pool.take(np.array([position[v] for v in item_ids], dtype=int))
    s = score_vacancies(PersonBlock.from_profiles([profile]), pool, as_of=as_of)
    cols = {"total": s.total[0], **{name: x[0] for name, x in s.components.items()},
            **{name: np.broadcast_to(s.practical_parts[name], s.total.shape)[0] for name in PRACTICAL_PARTS},
            "commute_minutes": s.reach.minutes[0], "hours_per_week": pool.items.hours, "openings": pool.openings}
    ctx = context.reindex(item_ids)
    cols.update(context_columns(*(ctx[c].to_numpy(dtype=float) for c in CONTEXT), pool.openings))
    return pd.DataFrame(cols)


DAYS_LEFT_UNKNOWN = 30.0


def context_columns(referrals_so_far: np.ndarray, days_open: np.ndarray, days_left: np.ndarray,
                    openings: np.ndarray) -> dict[str, np.ndarray]:
    """The referral-context columns of the model's rows, (n,) each, with the defaults for what was
    not recorded (NaN): no referrals so far, 0 days open, ``DAYS_LEFT_UNKNOWN`` days left; and
    ``referrals_per_opening`` (openings ≥ 1)."""
    so_far = np.nan_to_num(np.asarray(referrals_so_far, dtype=float), nan=0.0)
    return {"referrals_so_far": so_far, "days_open": np.nan_to_num(np.asarray(days_open, dtype=float), nan=0.0),
            "days_left": np.nan_to_num(np.asarray(days_left, dtype=float), nan=DAYS_LEFT_UNKNOWN),
            "referrals_per_opening": so_far / np.maximum(np.asarray(openings, dtype=float), 1.0)}


def outcome_list(ranking: Ranking, profile: Profile, pool: VacancyPool, k: int, *, model: OutcomeModel | None,
                 context: pd.DataFrame, rng: np.random.Generator,
                 exploration_share: float = DEFAULT_EXPLORATION_SHARE,
                 congestion_weight: float = DEFAULT_CONGESTION_WEIGHT,
                 as_of: date | None = None, log_features: bool = False) -> tuple[Ranking, list[LoggedItem]]:
    """The shown list of at most k vacancies and what the ranking log records for each.

    ``ranking`` is the matcher's hand-set ranking of at least ``max(k, MAX_CANDIDATES)`` eligible
    vacancies. Candidates are its first ``max(k, MAX_CANDIDATES)`` items; the reasonably fitting ones
    (total ≥ ``MIN_TOTAL``) are ordered by the policy and explored. When fewer than k of them exist,
    the list is filled with the others in policy order: then every candidate that fits is shown,
    so nothing is random and the fill items carry propensity 1. Every shown ``MatchResult`` carries
    its ``exploration`` flag and ``propensity``; with ``log_features`` each ``LoggedItem`` also
    carries its ``LOGGED_FEATURES`` (computed for the shown items only when there is no model)."""
    cands = ranking.results[:max(k, MAX_CANDIDATES)]
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
    fitting = total[order] >= MIN_TOTAL
    slate = explore(order[fitting], k, exploration_share, rng)
    fill = order[~fitting][:max(k - len(slate.items), 0)]
    items = np.concatenate([slate.items, fill]).astype(int)
    explored = np.concatenate([slate.exploration, np.zeros(len(fill), dtype=bool)])
    propensity = np.concatenate([slate.propensity, np.ones(len(fill))])
    logged_rows = None
    if log_features:
        logged_rows = (feats.iloc[items] if model is not None else
                       candidate_features(profile, pool, [cands[int(i)].item_id for i in items], context, as_of))
        logged_rows = logged_rows[list(LOGGED_FEATURES)].to_dict("records")
    shown, logged = [], []
    for pos, (i, x, prop) in enumerate(zip(items, explored, propensity), start=1):
        item = cands[int(i)]
        reasons = list(item.reasons)
        if p is not None and supports_stable_reason(float(p[i]), model.base_rate_, model.n_train_):
            reasons.append(Reason(code="stable_employment_history", kind="strength",
                                  **{"zh-CN": STABLE_REASON["zh-CN"]}, en=STABLE_REASON["en"]))
        shown.append(item.model_copy(update={"rank": pos, "reasons": reasons, "exploration": bool(x),
                                             "propensity": float(prop)}))
        logged.append(LoggedItem(item.item_id, pos, item.total, bool(x), float(prop),
                                 logged_rows[pos - 1] if logged_rows is not None else {}))
    # The matcher lists near misses when fewer than the k it was asked for are eligible; it was asked
    # for more than k here, so keep them only when fewer than this list's k are.
    misses = ranking.near_misses if len(ranking.results) < k else []
    return ranking.model_copy(update={"results": shown, "near_misses": misses}), logged


__all__ = ["CONTEXT", "DAYS_LEFT_UNKNOWN", "LOGGED_FEATURES", "LoggedItem", "MAX_CANDIDATES", "MIN_TOTAL", "candidate_features", "context_columns",
           "outcome_list"]
