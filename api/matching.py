"""Matching at the edge: the shipped occupation table, each organisation's vacancy pool kept in
memory (preparing 50,000 vacancies takes about half a second, scoring one profile about 10 ms), and
the profile of a stored person."""
import threading
from functools import lru_cache
from importlib import resources

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.catalogue import PROGRAMMES, VACANCIES, to_out
from api.people import person_out
from assessment.matching_profile import matching_scores
from matching.components import OccupationTable
from matching.rank import VacancyPool, programmes_frame, vacancies_frame
from models.profile import Profile
from models.result import ResultDocument
from models.tables import AssessmentResult, Person, TrainingProgramme, Vacancy


@lru_cache(maxsize=1)
def occupation_frame() -> pd.DataFrame:
    """The shipped occupation profiles (``matching/data/occupation_profiles.csv``) with names."""
    data = resources.files("matching").joinpath("data")
    with data.joinpath("occupation_profiles.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"code": str})


@lru_cache(maxsize=1)
def occupation_table() -> OccupationTable:
    return OccupationTable.from_frame(occupation_frame())


class PoolCache:
    """One prepared ``VacancyPool`` per organisation and filter, rebuilt when the vacancies change
    (their count or latest update time differs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pools: dict[tuple, tuple[tuple, VacancyPool, pd.DataFrame]] = {}

    def get(self, db: Session, organisation_id: str, filters: dict) -> tuple[VacancyPool, pd.DataFrame]:
        query = select(Vacancy).where(Vacancy.organisation_id == organisation_id)
        for name, value in filters.items():
            query = query.where(getattr(Vacancy, name) == value)
        listed = query.subquery()
        stamp = tuple(db.execute(select(func.count(), func.max(listed.c.updated_at))).one())
        key = (organisation_id, tuple(sorted(filters.items())))
        with self._lock:
            cached = self._pools.get(key)
            if cached is not None and cached[0] == stamp:
                return cached[1], cached[2]
        frame = vacancies_frame([to_out(VACANCIES, row) for row in db.scalars(query.order_by(Vacancy.id))])
        pool = VacancyPool.from_frame(frame, occupation_table())
        with self._lock:
            self._pools[key] = (stamp, pool, frame)
        return pool, frame


def programmes_of(db: Session, organisation_id: str) -> pd.DataFrame:
    rows = db.scalars(select(TrainingProgramme).where(TrainingProgramme.organisation_id == organisation_id)
                      .order_by(TrainingProgramme.id))
    return programmes_frame([to_out(PROGRAMMES, row) for row in rows])


def latest_result(db: Session, person: Person) -> AssessmentResult | None:
    return db.scalar(select(AssessmentResult).where(AssessmentResult.person_id == person.id)
                     .order_by(AssessmentResult.created_at.desc(), AssessmentResult.id.desc()).limit(1))


def person_profile(db: Session, person: Person, interested_occupations: list[str]) -> tuple[Profile, str | None]:
    """The person's registration facts with the scores of their latest result (if any), and its id."""
    result = latest_result(db, person)
    scores = matching_scores(ResultDocument.model_validate(result.document)) if result else {}
    profile = Profile.from_person(person_out(person), interested_occupations=interested_occupations, **scores)
    return profile, (result.id if result else None)
