"""The pathway case file (路径服务档案): a person's current module, module history and the rule engine's
proposal for the next module; the counsellor accepts the proposal or overrides it with a reason code."""
from typing import Annotated

from fastapi import APIRouter, Path, Request

from api import audit
from api.deps import OwnedPerson, PersonReader, PersonWriter, UnitOfWork
from api.services import pathway as service
from api.services.enrolments import local_today
from api.services.pathway_rules import load_rule_set
from models.pathway_case import DecisionIn, PathwayOut, StepCorrectionIn

router = APIRouter(tags=["pathway"])
StepId = Annotated[str, Path(min_length=1, max_length=40)]


def _context(request: Request):
    settings = request.app.state.settings
    return load_rule_set(settings.pathway_province), local_today(settings.timezone)


@router.get("/v1/persons/{person_id}/pathway", response_model=PathwayOut,
            summary="The case file: current module, history and the proposed next module with its rule and facts")
def read(person: OwnedPerson, request: Request, session: UnitOfWork, principal: PersonReader) -> PathwayOut:
    rules, today = _context(request)
    case = service.case_file(session, principal.organisation_id, person.id, rules, today,
                             request.app.state.vacancy_pools)
    audit.record(session, request, principal, "pathway", "read", person.id,
                 detail={"proposal": case.proposal.rule_id})
    return service.pathway_out(case, rules)


@router.post("/v1/persons/{person_id}/pathway/decisions", status_code=201, response_model=PathwayOut,
             summary="Accept the proposed next module, or override it with another module and a reason code")
def decide(person: OwnedPerson, body: DecisionIn, request: Request, session: UnitOfWork,
           principal: PersonWriter) -> PathwayOut:
    rules, today = _context(request)
    pools = request.app.state.vacancy_pools
    step = service.decide(session, principal.organisation_id, principal.key_id, person.id, body, rules, today, pools)
    audit.record(session, request, principal, "pathway_step", body.action, step.id, detail={
        "person_id": person.id, "module": step.module, "rule_id": step.rule_id,
        "override_reason_code": step.override_reason_code, "proposed_module": step.proposed_module,
        "proposed_rule_id": step.proposed_rule_id})
    return service.pathway_out(service.case_file(session, principal.organisation_id, person.id, rules, today, pools),
                               rules)


@router.post("/v1/persons/{person_id}/pathway/steps/{step_id}/corrections", status_code=201,
             response_model=PathwayOut, summary="Withdraw a step recorded by mistake (it stays on record)")
def withdraw(person: OwnedPerson, step_id: StepId, body: StepCorrectionIn, request: Request, session: UnitOfWork,
             principal: PersonWriter) -> PathwayOut:
    rules, today = _context(request)
    row = service.withdraw_step(session, principal.organisation_id, principal.key_id, person.id, step_id, body)
    audit.record(session, request, principal, "pathway_step", "retract", row.id,
                 detail={"person_id": person.id, "corrects_id": step_id, "reason": body.reason})
    return service.pathway_out(service.case_file(session, principal.organisation_id, person.id, rules, today,
                                                 request.app.state.vacancy_pools), rules)
