"""An organisation's own persons and vacancies from the database as batch inputs."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.catalogue import VACANCIES, to_out
from api.services.households import StatusRules, zero_employment_households
from api.services.matching import person_profile
from api.services.referral_context import live_context
from matching.batch.schema import VACANCY_COLUMNS, profiles_frame
from matching.frames import vacancies_frame
from models.tables import Person, Vacancy


def organisation_frames(db: Session, organisation_id: str, when: StatusRules) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(seekers, vacancies) of one organisation: each person not erased, with the scores of their
    latest assessment result (``api.services.matching.person_profile``), their ``household_id`` and
    ``zero_employment_family`` true when they belong to a household that is a zero-employment family
    on ``when.today`` (the allocator's household rule), and, for the audit only, gender and birth
    year; every vacancy, with the referrals made to it so far (``referrals_so_far``). Ordered by id, so a job sees the same rows in the same order."""
    people = db.scalars(select(Person).where(Person.organisation_id == organisation_id,
                                             Person.erased_at.is_(None)).order_by(Person.id)).all()
    profiles, audit = [], []
    for person in people:
        profile, _ = person_profile(db, person, [])
        profiles.append(profile)
        audit.append({"gender": person.gender, "birth_year": person.birth_year})
    seekers = profiles_frame(profiles, audit)
    households = zero_employment_households(db, organisation_id, [p.id for p in people], when)
    seekers["household_id"] = [households.get(p.id) for p in people]
    seekers["zero_employment_family"] = seekers["zero_employment_family"].astype(bool) | seekers["household_id"].notna()
    rows = db.scalars(select(Vacancy).where(Vacancy.organisation_id == organisation_id).order_by(Vacancy.id)).all()
    vacancies = vacancies_frame([to_out(VACANCIES, r) for r in rows])
    # The referral context the outcome model reads: referrals made so far, and the creation day
    # where no posting day was recorded (as for one person's live list).
    ids = [r.id for r in rows]
    vacancies["referrals_so_far"] = (live_context(db, organisation_id, ids, when.today)["referrals_so_far"]
                                     .to_numpy(dtype=float) if ids else [])
    vacancies["posted_on"] = [r.posted_on or r.created_at.date() for r in rows]
    vacancies = vacancies[[c for c in VACANCY_COLUMNS if c in vacancies.columns]]
    for col in ("shifts", "required_certificates", "physical_demands"):
        if col in vacancies.columns:
            vacancies[col] = vacancies[col].map(lambda xs: "|".join(map(str, xs)) if isinstance(xs, list) else xs)
    return seekers, vacancies
