"""Use case: an organisation's labelled referrals for training the outcome model, from its own records.

One row per effective referral (withdrawn ones and the originals of corrected ones are left out)
whose result at the stable-employment horizon is known. ``lasting`` (hired and still in work
``settings.stable_employment_months`` after starting, the retention rule of
``matching.pathway.retention`` through ``api.services.placements``):

* **left out while young**: every referral younger than the horizon, ``settings.no_response_days``
  plus the stable-employment months, whatever its result so far. A refusal is known at once but a
  lasting hire only months later, so labelling young referrals would fill the latest windows
  (the ones the offline gate compares on) with quick failures;
* **1**: an older referral that led to a hire (an effective ``hired`` outcome naming it) that is
  stable;
* **0**: that hire ended before the stable-employment months; or no hire came of the referral (a
  refusal, ``no_response``, ``withdrawn``, or nothing recorded);
* **left out**: a hire whose retention is not known (no follow-up after the stable-employment
  months: a missing follow-up is never counted as staying).

Features: a referral made from a logged list (``match_id``) whose item carries ``features`` takes
them as the list was made (``matching.outcomes.live.LOGGED_FEATURES``): the person as they were
then, not as they are now. Any other referral gets ``matching.outcomes.live.candidate_features`` for
the person's current profile (``api.services.matching.person_profile``, past job titles coded as when
ranking) and the vacancy, with the referral context and the experience component as of the referral
day (``api.services.referral_context.referral_contexts``). A person without scores and without a
coded past job is left out: the matcher never ranks for them, so the model never scores them.

``gender`` and ``age_band`` (at the referral's year) are returned apart, for the model card's
fairness figures only; they never enter the rows.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.enrolments import effective
from api.services.matching import PoolCache, TitleCoder, code_past_jobs, occupation_table, person_profile
from api.services.placements import placements
from api.services.referral_context import referral_contexts
from api.settings import get_settings
from matching.batch.schema import age_band
from matching.matcher import has_enough_information
from matching.outcomes.live import CONTEXT, LOGGED_FEATURES, candidate_features
from matching.outcomes.model import FEATURES
from matching.pathway.retention import add_months
from matching.rank import VacancyPool
from models.pathway import OutcomeKind
from models.profile import Profile
from models.tables import Person
from models.tables_referrals import OutcomeEvent, RankingLog, Referral


@dataclass
class LabelledReferrals:
    """``rows``: ``api.services.learning.REQUIRED`` columns plus ``referral_id``, one per labelled
    referral; ``groups``: gender and age band per row (fairness figures only); ``left_out``: how many
    referrals were left out, by reason."""

    rows: pd.DataFrame
    groups: dict[str, np.ndarray]
    left_out: dict[str, int] = field(default_factory=dict)


def _labels(session: Session, organisation_id: str, referrals: pd.DataFrame, today: date, stable_months: int,
            no_response_days: int) -> tuple[pd.Series, Counter]:
    """``lasting`` per referral id (1, 0, or missing when not known) and the reasons for the missing."""
    hired = dict(session.execute(effective(OutcomeEvent, select(OutcomeEvent.referral_id, OutcomeEvent.id).where(
        OutcomeEvent.organisation_id == organisation_id, OutcomeEvent.kind == OutcomeKind.hired.value,
        OutcomeEvent.referral_id.is_not(None)))).all())
    stable = {p.placement_id: p.stable for p in placements(session, organisation_id, stable_months=stable_months)}
    label, unknown = {}, Counter()
    for referral_id, referred_on in referrals["referred_on"].items():
        if today < add_months(referred_on + timedelta(days=no_response_days), stable_months):
            unknown["too recent to know"] += 1
        elif referral_id in hired:
            known = stable.get(hired[referral_id])
            if known is None:
                unknown["hire whose retention is not known yet"] += 1
            else:
                label[referral_id] = int(known)
        else:
            label[referral_id] = 0  # refused, or nothing led to a hire in time
    return pd.Series(label, dtype=float).reindex(referrals.index), unknown


def _logged_features(session: Session, organisation_id: str, referral_ids: list[str]) -> pd.DataFrame:
    """``LOGGED_FEATURES`` as the list was made, indexed by referral id, for the referrals made from a
    logged list whose item carries them (a feature the person had no data for is NaN)."""
    pairs = session.execute(select(Referral.id, Referral.vacancy_id, RankingLog.items)
                            .join(RankingLog, RankingLog.id == Referral.match_id)
                            .where(Referral.organisation_id == organisation_id, Referral.id.in_(referral_ids))).all()
    found = {}
    for referral_id, vacancy_id, items in pairs:
        logged = next((i.get("features") for i in items if i.get("item_id") == vacancy_id), None)
        if logged and all(name in logged for name in LOGGED_FEATURES):
            found[referral_id] = {name: np.nan if logged[name] is None else logged[name] for name in LOGGED_FEATURES}
    return pd.DataFrame.from_dict(found, orient="index", columns=list(LOGGED_FEATURES), dtype=float)


def _features(profile: Profile, pool: VacancyPool, same_day: pd.DataFrame, day: date,
              logged: pd.DataFrame) -> pd.DataFrame:
    """``LOGGED_FEATURES`` of one person's referrals of one day (indexed by referral id), in order: the
    logged ones as the list was made, the others computed for the current profile as of ``day``."""
    fresh = same_day[~same_day.index.isin(logged.index)]
    out = logged.reindex(same_day.index)
    if len(fresh):
        context = fresh.set_index("vacancy_id")[list(CONTEXT)]
        computed = candidate_features(profile, pool, fresh["vacancy_id"].tolist(), context, as_of=day)
        out.loc[fresh.index] = computed[list(LOGGED_FEATURES)].to_numpy()
    return out.reset_index(drop=True)


def labelled_referrals(session: Session, organisation_id: str, *, today: date, code_titles: TitleCoder,
                       stable_months: int | None = None, no_response_days: int | None = None) -> LabelledReferrals:
    """The organisation's labelled referrals as of ``today`` (module docstring). Reads only."""
    settings = get_settings()
    stable_months = stable_months or settings.stable_employment_months
    no_response_days = no_response_days or settings.no_response_days
    referrals = referral_contexts(session, organisation_id)
    lasting, left_out = _labels(session, organisation_id, referrals, today, stable_months, no_response_days)
    referrals["lasting"] = lasting
    referrals = referrals[referrals["lasting"].notna()]
    _, frame = PoolCache().get(session, organisation_id, {})
    pool = VacancyPool.from_frame(frame[frame["id"].isin(referrals["vacancy_id"].unique())].reset_index(drop=True),
                                  occupation_table())
    logged = _logged_features(session, organisation_id, referrals.index.tolist())
    parts, gender, band = [], [], []
    for person_id, theirs in referrals.groupby("person_id", sort=True):
        person = session.get(Person, person_id)
        if person.erased_at is not None:
            left_out["erased person"] += len(theirs)
            continue
        profile = code_past_jobs(person_profile(session, person, [])[0], code_titles)
        if not has_enough_information(profile):
            left_out["person with nothing to rank on"] += len(theirs)
            continue
        for day, same_day in theirs.groupby("referred_on", sort=True):
            feats = _features(profile, pool, same_day, day, logged)
            feats["referral_id"] = same_day.index.to_numpy()
            feats["person_id"], feats["referred_on"] = person_id, day
            feats["lasting"] = same_day["lasting"].to_numpy(dtype=int)
            parts.append(feats)
            gender += [person.gender] * len(same_day)
            birth = np.array([np.nan if person.birth_year is None else float(person.birth_year)])
            band += [age_band(birth, day.year)[0]] * len(same_day)
    columns = [*FEATURES, "total", "person_id", "referred_on", "lasting", "referral_id"]
    rows = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    return LabelledReferrals(rows, {"gender": np.array(gender, dtype=object), "age_band": np.array(band, dtype=object)},
                             dict(left_out))


__all__ = ["LabelledReferrals", "labelled_referrals"]
