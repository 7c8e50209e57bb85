"""Use case: keep every ranking shown for a person (``ranking_logs``), so that a referral made from it,
and what came of the referral, can be traced back to the list, its order, scores and propensities.

Called by :func:`api.services.matching.match_person` for a stored person's vacancy or programme list;
an inline profile (no person) and occupation lists are not logged: nothing can be referred from them.
:func:`record_ranking` takes the shown items as the ranking hands them (``matching.outcomes.live.LoggedItem``
or anything with the same attributes); :func:`log_ranking` reads them off a ``MatchResponse``."""
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from api.security import new_id
from matching.matcher import MATCHER_VERSION
from models.match import MatchResponse
from models.tables_referrals import RankingLog

LOGGED_KINDS = frozenset({"vacancy", "programme"})


class ShownItem(Protocol):
    """One shown item: its id, 1-based rank, score 0–100 as shown, whether exploration put it there, and
    the probability in (0, 1] that it was shown at that rank; it may also carry ``features`` (name →
    value, the outcome model's inputs as the list was made), which the log keeps."""

    item_id: str
    rank: int
    score: float
    exploration: bool
    propensity: float


def record_ranking(session: Session, organisation_id: str, person_id: str, kind: str, logged_items: Sequence[ShownItem],
                   matcher_version: str, model_version: str | None, created_by: str) -> str:
    """Store one ranking of ``kind`` ('vacancy' or 'programme') shown for ``person_id``; returns its id
    (the ``match_id``). Raises ``ValueError`` for another kind or a propensity outside (0, 1]. Never commits."""
    if kind not in LOGGED_KINDS:
        raise ValueError(f"kind: only vacancy and programme rankings are logged, not {kind!r}")
    items = []
    for item in logged_items:
        if not 0 < float(item.propensity) <= 1:
            raise ValueError(f"propensity of {item.item_id}: {item.propensity} is not in (0, 1]")
        row = {"item_id": item.item_id, "rank": int(item.rank), "score": round(float(item.score), 2),
               "exploration": bool(item.exploration), "propensity": float(item.propensity)}
        features = getattr(item, "features", None)
        if features:  # the outcome model's inputs as the list was made (matching.outcomes.live.LOGGED_FEATURES)
            # A part the person has no data for is NaN in the core; JSON (PostgreSQL's above all) holds null.
            row["features"] = {name: None if value != value else float(value) for name, value in features.items()}
        items.append(row)
    row = RankingLog(id=new_id("rk"), organisation_id=organisation_id, person_id=person_id, kind=kind,
                     matcher_version=matcher_version, model_version=model_version, created_by=created_by, items=items)
    session.add(row)
    session.flush()
    return row.id


class _FromResult:
    """A ``MatchResult`` seen as a shown item (its ``total`` is the score shown)."""

    def __init__(self, result) -> None:
        self.item_id, self.rank, self.score = result.item_id, result.rank, result.total
        self.exploration, self.propensity = result.exploration, result.propensity


def log_ranking(session: Session, organisation_id: str, created_by: str, response: MatchResponse,
                model_version: str | None = None) -> MatchResponse:
    """Store ``response``'s ranking for its person and return the response carrying ``match_id``;
    unchanged (``match_id`` None) for an inline profile or an occupation list. Never commits."""
    ranking = response.ranking
    if response.person_id is None or ranking.kind not in LOGGED_KINDS:
        return response
    match_id = record_ranking(session, organisation_id, response.person_id, ranking.kind,
                              [_FromResult(r) for r in ranking.results], MATCHER_VERSION, model_version, created_by)
    return response.model_copy(update={"match_id": match_id})
