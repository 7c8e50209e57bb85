"""What came of applications: interviews, offers, hires (placements), rejections, no response,
withdrawals; corrections keep the original on record."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from api import audit
from api.deps import Pagination, PersonReader, PersonWriter, UnitOfWork
from api.services import outcomes as service
from api.services.enrolments import local_today
from models.pagination import Page
from models.pathway import OutcomeCorrectionIn, OutcomeIn, OutcomeKind, OutcomeOut

router = APIRouter(tags=["referrals and outcomes"])
RowId = Annotated[str, Path(min_length=1, max_length=40)]


@router.post("/v1/outcomes", status_code=201, response_model=OutcomeOut,
             summary="Record an outcome: interview, offer, hired, rejected, no response or withdrawn")
def record(body: OutcomeIn, request: Request, session: UnitOfWork, principal: PersonWriter) -> OutcomeOut:
    row = service.record_outcome(session, principal.organisation_id, principal.key_id, body,
                                 local_today(request.app.state.settings.timezone))
    audit.record(session, request, principal, "outcome", "create", row.id,
                 detail={"person_id": row.person_id, "kind": row.kind, "referral_id": row.referral_id})
    return service.outcome_out(session, row)


@router.get("/v1/outcomes", response_model=Page[OutcomeOut], summary="Effective outcomes, latest first")
def list_outcomes(request: Request, session: UnitOfWork, principal: PersonReader, page: Pagination,
                  person_id: Annotated[str | None, Query(max_length=40)] = None,
                  referral_id: Annotated[str | None, Query(max_length=40)] = None,
                  kind: OutcomeKind | None = None) -> Page[OutcomeOut]:
    items, total = service.list_outcomes(session, principal.organisation_id, page.limit, page.offset,
                                         person_id=person_id, referral_id=referral_id, kind=kind)
    audit.record_list(session, request, principal, "outcome", [i.id for i in items])
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/v1/outcomes/{outcome_id}", response_model=OutcomeOut,
            summary="One outcome (also a corrected or withdrawn one: see effective)")
def read(outcome_id: RowId, request: Request, session: UnitOfWork, principal: PersonReader) -> OutcomeOut:
    row = service.load_outcome(session, principal.organisation_id, outcome_id)
    audit.record(session, request, principal, "outcome", "read", row.id)
    return service.outcome_out(session, row)


@router.post("/v1/outcomes/{outcome_id}/corrections", status_code=201, response_model=OutcomeOut,
             summary="Correct or withdraw an outcome (the original stays on record)")
def correct(outcome_id: RowId, body: OutcomeCorrectionIn, request: Request, session: UnitOfWork,
            principal: PersonWriter) -> OutcomeOut:
    row = service.correct_outcome(session, principal.organisation_id, principal.key_id, outcome_id, body,
                                  local_today(request.app.state.settings.timezone))
    audit.record(session, request, principal, "outcome", "retract" if body.retract else "correct", row.id,
                 detail={"corrects_id": outcome_id, "reason": body.reason})
    return service.outcome_out(session, row)
