"""The "match a person" use case: :func:`match_person` ranks vacancies, programmes or occupations for
a stored person or an inline profile, for ``POST /v1/matches``, the counsellor's match page and its
export alike.

Around it: the shipped occupation table (with skills and family labels when shipped), each
organisation's vacancy pool kept in memory (preparing 50,000 vacancies takes about half a second,
scoring one profile about 10 ms), the profile of a stored person on population-referenced scores, and
past job titles coded with the title coder."""
import threading
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.deps import load_owned_person
from api.errors import Problem
from api.services.catalogue import PROGRAMMES, VACANCIES, to_out
from api.services.enrolments import local_today
from api.services.learning import active_model_version
from api.services.people import person_out
from api.services.ranking_log import log_ranking, record_ranking
from api.services.referral_context import live_context
from api.settings import Settings, get_settings
from assessment.matching_profile import matching_scores
from instruments.registry import load_all, load_composites
from matching.components import OccupationTable
from matching.families import Families
from matching.matcher import MATCHER_VERSION, Matcher, NotEnoughInformation
from matching.frames import programmes_frame, vacancies_frame
from matching.outcomes.live import MAX_CANDIDATES, outcome_list
from matching.rank import VacancyPool
from models.match import FitWeights, MatchRequest, MatchResponse
from models.profile import Profile
from models.result import ResultDocument
from models.tables import AssessmentResult, Person, TrainingProgramme, Vacancy


@lru_cache(maxsize=1)
def occupation_frame() -> pd.DataFrame:
    """The shipped occupation profiles (``matching/data/occupation_profiles.csv``) with names."""
    data = resources.files("matching").joinpath("data")
    with data.joinpath("occupation_profiles.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"code": str})


def _optional_frame(name: str) -> pd.DataFrame | None:
    path = resources.files("matching").joinpath("data").joinpath(name)
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"code": str, "family_id": str})


@lru_cache(maxsize=1)
def occupation_table() -> OccupationTable:
    return OccupationTable.from_frame(occupation_frame(), _optional_frame("occupation_skills.csv"))


@lru_cache(maxsize=1)
def occupation_families() -> Families:
    """Families of the shipped table, labelled from ``occupation_families.csv`` when shipped."""
    return Families.build(occupation_table(), _optional_frame("occupation_families.csv"))


@lru_cache(maxsize=1)
def population_norms() -> dict[tuple[str, str], tuple[float, float]]:
    """The all-ages, all-education norm row of every scale and composite: (instrument, scale) → (mean, sd)."""
    out = {}
    for instrument in load_all().values():
        for row in (instrument.norms.rows if instrument.norms else []):
            if row.group_age_band == "all" and row.group_education == "all":
                out[(instrument.id, row.scale)] = (row.mean, row.sd)
    for composite in load_composites().values():
        for row in (composite.norms.rows if composite.norms else []):
            if row.group_age_band == "all" and row.group_education == "all":
                out[("composite", row.scale)] = (row.mean, row.sd)
    return out


def code_past_jobs(profile: Profile, code_titles: Callable[[list[str]], list[tuple[str, float, list]]]) -> Profile:
    """The profile with every past job that has a title but no code coded by the title coder
    (``api.services.reference.code_titles``: best code first); the counsellor corrects a wrong code by
    storing the job with its code."""
    todo = [i for i, j in enumerate(profile.work_history) if j.occupation_code is None and (j.title or "").strip()]
    if not todo:
        return profile
    coded = code_titles([profile.work_history[i].title for i in todo])
    history = list(profile.work_history)
    for i, (code, _confidence, _top) in zip(todo, coded):
        history[i] = history[i].model_copy(update={"occupation_code": code})
    return profile.model_copy(update={"work_history": history})


def fitted_matcher(pool: VacancyPool | None, programmes: pd.DataFrame | None, weights: FitWeights | None) -> Matcher:
    """A ``Matcher`` over the shipped occupations and an organisation's prepared pool (cheap: the
    pool and the families are prepared once)."""
    return Matcher(weights).fit(occupation_table(), pool, programmes, families=occupation_families())


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
    scores = matching_scores(ResultDocument.model_validate(result.document), population_norms()) if result else {}
    profile = Profile.from_person(person_out(person), interested_occupations=interested_occupations, **scores)
    return profile, (result.id if result else None)


TitleCoder = Callable[[list[str]], list[tuple[str, float, list]]]
"""Codes job titles: titles → (best code, confidence, top candidates) each (``api.services.reference.code_titles``)."""

class NothingToRankOn(Problem):
    """422: the profile has no scores and no coded past job, so there is nothing to rank on (and a list
    would look like advice). The counsellor's page shows ``zh`` / ``en`` instead of a list."""

    def __init__(self, field: str, error: NotEnoughInformation) -> None:
        super().__init__(422, "Not enough information to rank", f"{error.zh} / {error.en}",
                         [{"field": field, "message": "no assessment scores and no past job with an occupation: "
                                                      "score an assessment or add work_history"}])
        self.zh, self.en = error.zh, error.en


FILTERS = ("district", "public_welfare", "internship", "directed_training")
"""The ``MatchRequest`` fields that narrow the vacancy pool when given."""


HAND_SET = "hand-set"


def match_person(db: Session, organisation_id: str, query: MatchRequest, *, pools: PoolCache,
                 code_titles: TitleCoder, recorded_by: str | None = None, settings: Settings | None = None,
                 rng: np.random.Generator | None = None) -> MatchResponse:
    """The top ``query.k`` of ``query.kind`` for the organisation's person ``query.person_id`` (their
    latest result and registration facts) or for the inline ``query.profile``, ranked with
    ``query.weights`` over the organisation's vacancy pool (narrowed by the query's filters) and its
    programmes. Past jobs with a title but no code are coded first.

    Vacancies with ``query.ranking == "expected_benefit"`` (the default) go through
    ``matching.outcomes.live.outcome_list``: the matcher's best ``MAX_CANDIDATES`` (or k) eligible
    vacancies, ordered by expected benefit under the organisation's active outcome model with each
    vacancy's referral context as of today (``api.services.referral_context``), or in hand-set order
    while no model is active; for a stored person whose list is logged (``recorded_by`` given),
    ``settings.exploration_share`` of the positions are explored with ``rng`` (a fresh generator
    unless one is passed). ``settings`` are the app's (exploration share, the centre's time zone for
    "today"); the process's when None. An inline profile or an unlogged list is
    never randomised: exploration is only worth its cost when its propensities are kept.
    ``"hand_set"``, programmes and occupations are the matcher's hand-set ranking, propensity 1.
    ``ranking_model`` in the answer says which ordered the list.

    Raises ``Problem`` 404/410 for a person who is not the organisation's or was erased, and
    :class:`NothingToRankOn` (422) when the profile has no scores and no coded past job. With
    ``recorded_by`` (the caller's key id) a stored person's vacancy or programme ranking is kept in
    ``ranking_logs`` with its exploration flags, propensities and model version, and the response
    carries its ``match_id`` (``api.services.ranking_log``); nothing else is written. The caller
    audits the read and commits.
    """
    result_id = None
    if query.person_id is not None:
        person = load_owned_person(db, organisation_id, query.person_id)
        profile, result_id = person_profile(db, person, query.interested_occupations)
    else:
        profile = query.profile.model_copy(update={"interested_occupations": query.interested_occupations
                                                   or query.profile.interested_occupations})
    profile = code_past_jobs(profile, code_titles)
    filters = {name: getattr(query, name) for name in FILTERS if getattr(query, name) is not None}
    pool, _ = pools.get(db, organisation_id, filters)
    matcher = fitted_matcher(pool, programmes_of(db, organisation_id), query.weights)
    live = query.kind == "vacancies" and query.ranking == "expected_benefit"
    try:
        ranking = matcher.rank(profile, query.kind, max(query.k, MAX_CANDIDATES) if live else query.k)
    except NotEnoughInformation as e:
        raise NothingToRankOn("person_id" if query.person_id else "profile", e) from None
    if not live:
        response = MatchResponse(person_id=query.person_id, result_id=result_id, ranking=ranking,
                                 ranking_model=HAND_SET)
        return response if recorded_by is None else log_ranking(db, organisation_id, recorded_by, response)
    settings = settings or get_settings()
    logged = query.person_id is not None and recorded_by is not None
    share = settings.exploration_share if logged else 0.0
    version, model = active_model_version(db, organisation_id)
    today = local_today(settings.timezone)
    context = live_context(db, organisation_id, [r.item_id for r in ranking.results], today)
    shown, items = outcome_list(ranking, profile, pool, query.k, model=model, context=context,
                                rng=rng if rng is not None else np.random.default_rng(), exploration_share=share,
                                log_features=logged)
    response = MatchResponse(person_id=query.person_id, result_id=result_id, ranking=shown,
                             ranking_model=HAND_SET if version is None else f"outcome model v{version.version}")
    if not logged:
        return response
    match_id = record_ranking(db, organisation_id, query.person_id, "vacancy", items, MATCHER_VERSION,
                              version.id if version is not None else None, recorded_by)
    return response.model_copy(update={"match_id": match_id})
