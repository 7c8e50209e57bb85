"""Use case: the referral context of vacancies (``matching.outcomes.live.CONTEXT``) from the records.

For each vacancy: ``referrals_so_far`` (effective referrals made to it — withdrawn ones and the
originals of corrected ones do not count), ``days_open`` (days since it was posted; its creation day
when no posting day was recorded; never below 0) and ``days_left`` (days until it closes; missing
when no closing day was recorded, which ``candidate_features`` reads as 30).

``live_context`` gives them as of today for the vacancies of one list; ``referral_contexts`` gives
them for every effective referral of an organisation as of its own day, counting only the referrals
made to the same vacancy before it (earlier days, or earlier the same day by recording time), so a
training row sees what the ranking could have seen then.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.services.enrolments import effective
from matching.outcomes.live import CONTEXT
from models.tables import Vacancy
from models.tables_referrals import Referral


def _dates(session: Session, organisation_id: str, vacancy_ids: list[str] | None) -> pd.DataFrame:
    """posted (posting day, else creation day) and closes per vacancy id."""
    query = select(Vacancy.id, Vacancy.posted_on, Vacancy.created_at, Vacancy.closes_on).where(
        Vacancy.organisation_id == organisation_id)
    if vacancy_ids is not None:
        query = query.where(Vacancy.id.in_(vacancy_ids))
    rows = [(vid, posted or created.date(), closes) for vid, posted, created, closes in session.execute(query)]
    return pd.DataFrame(rows, columns=["vacancy_id", "posted", "closes"]).set_index("vacancy_id")


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Whole days from ``earlier`` to ``later`` (dates; missing → NaN)."""
    return (pd.to_datetime(later) - pd.to_datetime(earlier)).dt.days.astype(float)


def live_context(session: Session, organisation_id: str, vacancy_ids: list[str], today: date) -> pd.DataFrame:
    """``CONTEXT`` columns indexed by vacancy id, as of ``today``, for the organisation's ``vacancy_ids``
    (one list's worth: plain Python per row, as building frames would cost more than the queries)."""
    counts = dict(session.execute(effective(Referral, select(Referral.vacancy_id, func.count()).where(
        Referral.organisation_id == organisation_id, Referral.vacancy_id.in_(vacancy_ids))).group_by(
        Referral.vacancy_id)).all()) if vacancy_ids else {}
    # By primary key only: with the organisation in the filter SQLite scans the organisation's index.
    dates = {vid: (org, posted or created.date(), closes) for vid, org, posted, created, closes in session.execute(
        select(Vacancy.id, Vacancy.organisation_id, Vacancy.posted_on, Vacancy.created_at, Vacancy.closes_on).where(
            Vacancy.id.in_(vacancy_ids)))} if vacancy_ids else {}
    rows = []
    for vid in vacancy_ids:
        org, posted, closes = dates.get(vid, (None, None, None))
        if org != organisation_id:
            posted = closes = None
        rows.append((float(counts.get(vid, 0)), float(max((today - posted).days, 0)) if posted else np.nan,
                     float((closes - today).days) if closes else np.nan))
    return pd.DataFrame(rows, columns=list(CONTEXT), index=pd.Index(vacancy_ids, dtype=object), dtype=float)


def referral_contexts(session: Session, organisation_id: str) -> pd.DataFrame:
    """``CONTEXT`` columns plus ``person_id``, ``vacancy_id`` and ``referred_on``, indexed by referral id, for every
    effective referral of the organisation, each as of its own day (module docstring)."""
    rows = session.execute(effective(Referral, select(
        Referral.id, Referral.person_id, Referral.vacancy_id, Referral.referred_on, Referral.recorded_at).where(
        Referral.organisation_id == organisation_id))).all()
    frame = pd.DataFrame(rows, columns=["referral_id", "person_id", "vacancy_id", "referred_on", "recorded_at"])
    frame = frame.sort_values(["referred_on", "recorded_at", "referral_id"], kind="stable")
    frame["referrals_so_far"] = frame.groupby("vacancy_id").cumcount().astype(float)
    dates = _dates(session, organisation_id, None).reindex(frame["vacancy_id"])
    dates.index = frame.index
    frame["days_open"] = _days(frame["referred_on"], dates["posted"]).clip(lower=0)
    frame["days_left"] = _days(dates["closes"], frame["referred_on"])
    return frame.set_index("referral_id")[["person_id", "vacancy_id", "referred_on", *CONTEXT]]


__all__ = ["live_context", "referral_contexts"]
