"""Public-welfare posts as the floor (公益性岗位托底安置): the candidates, and who was placed this way.

A post is offered by referring the person to a vacancy flagged public_welfare (POST /v1/referrals); the
placement is a hired outcome with placement_route 'public_welfare' (POST /v1/outcomes)."""
from fastapi import APIRouter, Query, Request

from api import audit
from api.deps import Pagination, PersonReader, UnitOfWork
from api.services import public_welfare as service
from api.services.households import StatusRules
from models.pagination import Page
from models.public_welfare import PublicWelfareCandidate, PublicWelfarePlacement

router = APIRouter(prefix="/v1/public-welfare", tags=["public welfare"])


def _rules(request: Request) -> StatusRules:
    return StatusRules.from_settings(request.app.state.settings)


@router.get("/candidates", response_model=Page[PublicWelfareCandidate],
            summary="Priority people through modules 2–6 and not in work: who the floor is for")
def candidates(request: Request, session: UnitOfWork, principal: PersonReader, page: Pagination,
               include_incomplete: bool = Query(False, description="Also list priority people out of work who "
                                                                   "have not yet been in every module 2–6."),
               ) -> Page[PublicWelfareCandidate]:
    found = service.candidates(session, principal.organisation_id, _rules(request), include_incomplete)
    items = found[page.offset:page.offset + page.limit]
    audit.record_list(session, request, principal, "public_welfare_candidate", [c.person_id for c in items])
    return Page(items=items, total=len(found), limit=page.limit, offset=page.offset)


@router.get("/placements", response_model=Page[PublicWelfarePlacement],
            summary="Everyone placed on a public-welfare post, latest start first")
def placements(request: Request, session: UnitOfWork, principal: PersonReader,
               page: Pagination) -> Page[PublicWelfarePlacement]:
    found = service.placed(session, principal.organisation_id, _rules(request).stable_months)
    items = found[page.offset:page.offset + page.limit]
    audit.record_list(session, request, principal, "public_welfare_placement", [p.placement_id for p in items])
    return Page(items=items, total=len(found), limit=page.limit, offset=page.offset)
