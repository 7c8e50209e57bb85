"""The 一人一策 individual plan (援助协议): drafted from the case file, edited (each edit a new version),
signed, and printed as a zh-CN PDF."""
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api import audit
from api.deps import OwnedPerson, PersonReader, PersonWriter, UnitOfWork
from api.reports.plan_pdf import render_plan_pdf
from api.services import plans as service
from api.services.enrolments import local_today
from api.services.pathway_rules import load_rule_set
from models.pathway_case import PlanDocument, PlanEditIn, PlanOut, PlanSignIn

router = APIRouter(tags=["pathway"])
Version = Annotated[int | None, Query(ge=1, le=100_000, description="A version number; default the latest.")]


def _today(request: Request):
    return local_today(request.app.state.settings.timezone)


@router.get("/v1/persons/{person_id}/plan", response_model=PlanOut, summary="The plan's latest version (or ?version=)")
def read(person: OwnedPerson, request: Request, session: UnitOfWork, principal: PersonReader,
         version: Version = None) -> PlanOut:
    plan = service.load_plan(session, principal.organisation_id, person.id, version)
    audit.record(session, request, principal, "plan", "read", plan.id, detail={"person_id": person.id,
                                                                               "version": plan.version})
    return service.plan_out(plan)


@router.post("/v1/persons/{person_id}/plan", status_code=201, response_model=PlanOut,
             summary="Draft a new plan version from the case file, the latest result and its job direction")
def draft(person: OwnedPerson, request: Request, session: UnitOfWork, principal: PersonWriter) -> PlanOut:
    settings = request.app.state.settings
    plan = service.draft(session, principal.organisation_id, principal.key_id, person.id,
                         load_rule_set(settings.pathway_province), _today(request), request.app.state.vacancy_pools)
    audit.record(session, request, principal, "plan", "draft", plan.id, detail={"person_id": person.id,
                                                                                "version": plan.version})
    return service.plan_out(plan)


@router.put("/v1/persons/{person_id}/plan", response_model=PlanOut,
            summary="Edit the plan: the whole document becomes a new version (signed versions never change)")
def edit(person: OwnedPerson, body: PlanEditIn, request: Request, session: UnitOfWork,
         principal: PersonWriter) -> PlanOut:
    plan = service.edit(session, principal.organisation_id, principal.key_id, person.id, body, _today(request))
    audit.record(session, request, principal, "plan", "edit", plan.id, detail={
        "person_id": person.id, "version": plan.version, "based_on_version": body.based_on_version})
    return service.plan_out(plan)


@router.get("/v1/persons/{person_id}/plan/versions", response_model=list[PlanOut],
            summary="Every version of the plan, oldest first")
def list_versions(person: OwnedPerson, request: Request, session: UnitOfWork,
                  principal: PersonReader) -> list[PlanOut]:
    rows = service.versions(session, principal.organisation_id, person.id)
    audit.record_list(session, request, principal, "plan", [r.id for r in rows])
    return [service.plan_out(r) for r in rows]


@router.post("/v1/persons/{person_id}/plan/sign", response_model=PlanOut,
             summary="Sign the latest draft (it can then no longer change; edits make a new version)")
def sign(person: OwnedPerson, body: PlanSignIn, request: Request, session: UnitOfWork,
         principal: PersonWriter) -> PlanOut:
    plan = service.sign(session, principal.organisation_id, principal.key_id, person.id, body)
    audit.record(session, request, principal, "plan", "sign", plan.id, detail={"person_id": person.id,
                                                                               "version": plan.version})
    return service.plan_out(plan)


@router.get("/v1/persons/{person_id}/plan.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "The plan as a zh-CN PDF."}},
            summary="The plan as a PDF in zh-CN to print and sign")
def pdf(person: OwnedPerson, request: Request, session: UnitOfWork, principal: PersonReader,
        version: Version = None) -> Response:
    plan = service.load_plan(session, principal.organisation_id, person.id, version)
    body = render_plan_pdf(service.plan_header(session, person, plan), PlanDocument.model_validate(plan.document))
    audit.record(session, request, principal, "plan", "read_pdf", plan.id, detail={"person_id": person.id,
                                                                                   "version": plan.version})
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="plan-{person.id}-v{plan.version}.pdf"'})

