"""Referrals (推荐) of people to vacancies, and the referral letter (推荐信) as a zh-CN PDF."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from api import audit
from api.deps import Pagination, PersonReader, PersonWriter, UnitOfWork
from api.reports.referral_letter import render_referral_letter
from api.services import referrals as service
from api.services.enrolments import local_today
from models.pagination import Page
from models.pathway import ReferralCorrectionIn, ReferralIn, ReferralOut, ReferralSource

router = APIRouter(tags=["referrals and outcomes"])
RowId = Annotated[str, Path(min_length=1, max_length=40)]


@router.post("/v1/referrals", status_code=201, response_model=ReferralOut,
             summary="Refer a person to a vacancy (from a ranking with match_id, or by hand)")
def refer(body: ReferralIn, request: Request, session: UnitOfWork, principal: PersonWriter) -> ReferralOut:
    row = service.create_referral(session, principal.organisation_id, principal.key_id, body,
                                  local_today(request.app.state.settings.timezone))
    audit.record(session, request, principal, "referral", "create", row.id,
                 detail={"person_id": row.person_id, "vacancy_id": row.vacancy_id, "match_id": row.match_id})
    return service.referral_out(session, row)


@router.get("/v1/referrals", response_model=Page[ReferralOut], summary="Effective referrals, newest first")
def list_referrals(request: Request, session: UnitOfWork, principal: PersonReader, page: Pagination,
                   person_id: Annotated[str | None, Query(max_length=40)] = None,
                   vacancy_id: Annotated[str | None, Query(max_length=40)] = None,
                   source: ReferralSource | None = None) -> Page[ReferralOut]:
    items, total = service.list_referrals(session, principal.organisation_id, page.limit, page.offset,
                                          person_id=person_id, vacancy_id=vacancy_id, source=source)
    audit.record_list(session, request, principal, "referral", [i.id for i in items])
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/v1/referrals/{referral_id}", response_model=ReferralOut, summary="One referral")
def read(referral_id: RowId, request: Request, session: UnitOfWork, principal: PersonReader) -> ReferralOut:
    row = service.load_referral(session, principal.organisation_id, referral_id)
    audit.record(session, request, principal, "referral", "read", row.id)
    return service.referral_out(session, row)


@router.post("/v1/referrals/{referral_id}/corrections", status_code=201, response_model=ReferralOut,
             summary="Correct or withdraw a referral that has no outcome yet (the original stays on record)")
def correct(referral_id: RowId, body: ReferralCorrectionIn, request: Request, session: UnitOfWork,
            principal: PersonWriter) -> ReferralOut:
    row = service.correct_referral(session, principal.organisation_id, principal.key_id, referral_id, body,
                                   local_today(request.app.state.settings.timezone))
    audit.record(session, request, principal, "referral", "retract" if body.retract else "correct", row.id,
                 detail={"corrects_id": referral_id, "reason": body.reason})
    return service.referral_out(session, row)


@router.get("/v1/referrals/{referral_id}/letter.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "The referral letter (zh-CN)."}},
            summary="The referral letter (推荐信) to hand to the person or send to the employer")
def letter(referral_id: RowId, request: Request, session: UnitOfWork, principal: PersonReader) -> Response:
    facts = service.letter_facts(session, principal.organisation_id, referral_id)
    body = render_referral_letter(facts)
    audit.record(session, request, principal, "referral", "read_letter", referral_id)
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="referral-{facts.reference}.pdf"'})
