"""Follow-up contacts after a placement (回访), the due list, and a person's placements with retention."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from api import audit
from api.deps import OwnedPerson, Pagination, PersonReader, PersonWriter, UnitOfWork
from api.services import followups as service
from api.services.enrolments import local_today
from api.services.placements import due_followups, placements
from models.pagination import Page
from models.pathway import DueFollowUp, FollowUpCorrectionIn, FollowUpIn, FollowUpOut, PlacementView

router = APIRouter(tags=["referrals and outcomes"])
RowId = Annotated[str, Path(min_length=1, max_length=40)]


@router.post("/v1/followups", status_code=201, response_model=FollowUpOut,
             summary="Record a follow-up contact: still employed, left, or moved to another job")
def record(body: FollowUpIn, request: Request, session: UnitOfWork, principal: PersonWriter) -> FollowUpOut:
    row = service.record_followup(session, principal.organisation_id, principal.key_id, body,
                                  local_today(request.app.state.settings.timezone))
    audit.record(session, request, principal, "followup", "create", row.id,
                 detail={"person_id": row.person_id, "placement_id": row.placement_id, "status": row.status})
    return service.followup_out(session, row)


@router.get("/v1/followups", response_model=Page[FollowUpOut], summary="Effective follow-ups, latest first")
def list_followups(request: Request, session: UnitOfWork, principal: PersonReader, page: Pagination,
                   person_id: Annotated[str | None, Query(max_length=40)] = None,
                   placement_id: Annotated[str | None, Query(max_length=40)] = None) -> Page[FollowUpOut]:
    items, total = service.list_followups(session, principal.organisation_id, page.limit, page.offset,
                                          person_id=person_id, placement_id=placement_id)
    audit.record_list(session, request, principal, "followup", [i.id for i in items])
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/v1/followups/due", response_model=list[DueFollowUp],
            summary="Placements whose monthly follow-up is due or overdue, most overdue first")
def due(request: Request, session: UnitOfWork, principal: PersonReader) -> list[DueFollowUp]:
    items = due_followups(session, principal.organisation_id, local_today(request.app.state.settings.timezone))
    audit.record(session, request, principal, "followup", "list_due",
                 detail={"count": len(items), "person_ids": [i.person_id for i in items]})
    return items


@router.get("/v1/followups/{followup_id}", response_model=FollowUpOut, summary="One follow-up contact")
def read(followup_id: RowId, request: Request, session: UnitOfWork, principal: PersonReader) -> FollowUpOut:
    row = service.load_followup(session, principal.organisation_id, followup_id)
    audit.record(session, request, principal, "followup", "read", row.id)
    return service.followup_out(session, row)


@router.post("/v1/followups/{followup_id}/corrections", status_code=201, response_model=FollowUpOut,
             summary="Correct or withdraw a follow-up contact (the original stays on record)")
def correct(followup_id: RowId, body: FollowUpCorrectionIn, request: Request, session: UnitOfWork,
            principal: PersonWriter) -> FollowUpOut:
    row = service.correct_followup(session, principal.organisation_id, principal.key_id, followup_id, body,
                                   local_today(request.app.state.settings.timezone))
    audit.record(session, request, principal, "followup", "retract" if body.retract else "correct", row.id,
                 detail={"corrects_id": followup_id, "reason": body.reason})
    return service.followup_out(session, row)


@router.get("/v1/persons/{person_id}/placements", response_model=list[PlacementView],
            summary="A person's placements: end, retention at 1/3/6/12 months, stable employment")
def person_placements(person: OwnedPerson, request: Request, session: UnitOfWork,
                      principal: PersonReader) -> list[PlacementView]:
    views = placements(session, principal.organisation_id, person.id)
    audit.record(session, request, principal, "person", "read_placements", person.id,
                 detail={"ids": [v.placement_id for v in views]})
    return views
