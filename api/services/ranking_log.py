"""Use case: keep every ranking shown for a person (``ranking_logs``), so that a referral made from it,
and what came of the referral, can be traced back to the list, its order, scores and propensities.

Called by :func:`api.services.matching.match_person` for a stored person's vacancy or programme list;
an inline profile (no person) and occupation lists are not logged: nothing can be referred from them."""
from sqlalchemy.orm import Session

from api.security import new_id
from matching.matcher import MATCHER_VERSION
from models.match import MatchResponse
from models.tables_referrals import RankingLog

LOGGED_KINDS = frozenset({"vacancy", "programme"})


def log_ranking(session: Session, organisation_id: str, created_by: str, response: MatchResponse,
                model_version: str | None = None) -> MatchResponse:
    """Store ``response``'s ranking for its person and return the response carrying ``match_id`` (the
    log's id); unchanged (``match_id`` None) for an inline profile or an occupation list. Never commits."""
    ranking = response.ranking
    if response.person_id is None or ranking.kind not in LOGGED_KINDS:
        return response
    row = RankingLog(
        id=new_id("rk"), organisation_id=organisation_id, person_id=response.person_id, kind=ranking.kind,
        matcher_version=MATCHER_VERSION, model_version=model_version, created_by=created_by,
        items=[{"item_id": r.item_id, "rank": r.rank, "score": round(float(r.total), 2),
                "exploration": bool(r.exploration), "propensity": float(r.propensity)} for r in ranking.results])
    session.add(row)
    session.flush()
    return response.model_copy(update={"match_id": row.id})
