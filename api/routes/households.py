"""Households (一家一册): family records linking people, with the zero-employment status derived from the
members' placements."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from api import audit
from api.deps import Pagination, PersonReader, PersonWriter, UnitOfWork
from api.services import households as service
from api.services.households import StatusRules
from models.household import (
    HouseholdIn,
    HouseholdMemberIn,
    HouseholdOut,
    HouseholdStatusCode,
    HouseholdSummary,
    MemberLeaveIn,
)
from models.pagination import Page

router = APIRouter(prefix="/v1/households", tags=["households"])
RowId = Annotated[str, Path(min_length=1, max_length=40)]


def _rules(request: Request) -> StatusRules:
    return StatusRules.from_settings(request.app.state.settings)


@router.post("", status_code=201, response_model=HouseholdOut, summary="Record a household and its members")
def create(body: HouseholdIn, request: Request, session: UnitOfWork, principal: PersonWriter) -> HouseholdOut:
    when = _rules(request)
    household = service.create_household(session, principal.organisation_id, principal.key_id, body, when.today)
    audit.record(session, request, principal, "household", "create", household.id,
                 detail={"members": [m.person_id for m in body.members]})
    return service.household_out(session, household, when)


@router.get("", response_model=Page[HouseholdSummary],
            summary="Households with today's status; status=zero_employment lists the zero-employment families")
def list_households(request: Request, session: UnitOfWork, principal: PersonReader, page: Pagination,
                    status: HouseholdStatusCode | None = None,
                    district: Annotated[str | None, Query(max_length=100)] = None) -> Page[HouseholdSummary]:
    items, total = service.list_households(session, principal.organisation_id, _rules(request), page.limit,
                                           page.offset, status=status, district=district)
    audit.record_list(session, request, principal, "household", [h.id for h in items])
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{household_id}", response_model=HouseholdOut,
            summary="One household: members, today's status and its history")
def read(household_id: RowId, request: Request, session: UnitOfWork, principal: PersonReader) -> HouseholdOut:
    household = service.load_household(session, principal.organisation_id, household_id)
    out = service.household_out(session, household, _rules(request))
    audit.record(session, request, principal, "household", "read", household.id,
                 detail={"members": [p.person_id for p in out.people]})
    return out


@router.post("/{household_id}/members", status_code=201, response_model=HouseholdOut,
             summary="Add a person to the household (a person belongs to one household)")
def add_member(household_id: RowId, body: HouseholdMemberIn, request: Request, session: UnitOfWork,
               principal: PersonWriter) -> HouseholdOut:
    when = _rules(request)
    member = service.add_member(session, principal.organisation_id, principal.key_id, household_id, body, when.today)
    audit.record(session, request, principal, "household", "add_member", household_id,
                 detail={"person_id": member.person_id})
    return service.household_out(session, service.load_household(session, principal.organisation_id, household_id),
                                 when)


@router.post("/{household_id}/members/{person_id}/leave", response_model=HouseholdOut,
             summary="End a person's membership (kept in the household's history)")
def remove_member(household_id: RowId, person_id: RowId, body: MemberLeaveIn, request: Request,
                  session: UnitOfWork, principal: PersonWriter) -> HouseholdOut:
    when = _rules(request)
    member = service.remove_member(session, principal.organisation_id, household_id, person_id, body.left_on,
                                   when.today)
    audit.record(session, request, principal, "household", "remove_member", household_id,
                 detail={"person_id": member.person_id, "left_on": member.left_on.isoformat()})
    return service.household_out(session, service.load_household(session, principal.organisation_id, household_id),
                                 when)
