"""Use case: the 一人一策 individual plan (援助协议) — drafted from the case file, the latest assessment
result and its job direction, edited and signed by the counsellor, every version kept.

Versions: generating a draft or editing adds version n+1 (the edit names the version it was made from,
409 when a newer one exists). Signing marks the latest draft signed, once; a signed version is never
changed again — the next edit is a new draft version. Supports are only ever listed as "to check"
(待核实): whether the person is eligible is decided by the office that grants them, not by the plan.

The generated text is in zh-CN, the language of the agreement the person signs.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.deps import load_owned_person
from api.errors import Problem
from api.security import new_id
from api.services import pathway
from api.services.enrolments import invalid
from api.reports.plan_pdf import PlanHeader, signed_text
from matching.pathway.rules import MODULE_NAMES, RuleSet
from models.pathway_case import GoalFamily, PlanDocument, PlanEditIn, PlanOut, PlanOwner, PlanSignIn, PlanStep, PlanSupport
from models.report import DirectionItem
from models.tables import Organisation, Person
from models.tables_pathway import Plan

REVIEW_AFTER_DAYS = 30  # the plan is reviewed monthly, like the follow-up
MAX_DAYS_AHEAD = 2 * 366  # a step or review date further ahead is a typing mistake


def versions(session: Session, organisation_id: str, person_id: str) -> list[Plan]:
    """Every version of the person's plan, oldest first."""
    return list(session.scalars(select(Plan).where(Plan.organisation_id == organisation_id,
                                                   Plan.person_id == person_id).order_by(Plan.version)))


def latest(session: Session, organisation_id: str, person_id: str) -> Plan | None:
    return session.scalars(select(Plan).where(Plan.organisation_id == organisation_id, Plan.person_id == person_id)
                           .order_by(Plan.version.desc())).first()


def load_plan(session: Session, organisation_id: str, person_id: str, version: int | None = None) -> Plan:
    """The latest version, or ``version``; 404 naming what to do when there is none."""
    load_owned_person(session, organisation_id, person_id)
    if version is None:
        plan = latest(session, organisation_id, person_id)
        if plan is None:
            raise Problem(404, "No plan yet", f"Person {person_id} has no plan yet; draft one with "
                                              f"POST /v1/persons/{person_id}/plan.")
        return plan
    plan = session.scalars(select(Plan).where(Plan.organisation_id == organisation_id, Plan.person_id == person_id,
                                              Plan.version == version)).first()
    if plan is None:
        raise Problem(404, "Not found", f"version: person {person_id} has no plan version {version}; "
                                        f"GET /v1/persons/{person_id}/plan/versions lists them",
                      [{"field": "query.version", "message": f"no version {version}"}])
    return plan


def plan_out(plan: Plan) -> PlanOut:
    return PlanOut.model_validate({c: getattr(plan, c) for c in ("id", "person_id", "version", "status", "document",
                                                                 "created_by", "created_at", "signed_by",
                                                                 "signed_at")})


def _next_version(session: Session, person_id: str) -> int:
    return (session.scalar(select(func.max(Plan.version)).where(Plan.person_id == person_id)) or 0) + 1


def _store(session: Session, person: Person, key_id: str, document: PlanDocument) -> Plan:
    plan = Plan(id=new_id("plan"), organisation_id=person.organisation_id, person_id=person.id,
                version=_next_version(session, person.id), status="draft",
                document=document.model_dump(mode="json"), created_by=key_id, created_at=datetime.now(timezone.utc))
    session.add(plan)
    session.flush()
    return plan


# --- drafting --------------------------------------------------------------------------------------

def _direction(session: Session, person: Person, vacancy_pools) -> tuple[list[DirectionItem], list[DirectionItem]]:
    """The latest result's ranked occupation families and programmes (empty without a usable result)."""
    from api.services.reports import job_direction
    from models.result import ResultDocument

    result = pathway.latest_result(session, person.organisation_id, person.id)
    if result is None:
        return [], []
    document = ResultDocument.model_validate(result.document)
    if not any(r.interpretable for r in document.instruments):
        return [], []
    direction = job_direction(session, person, document, vacancy_pools)
    if not direction.available:
        return [], []
    return list(direction.occupations), list(direction.programmes)


def _steps(module: int | None, goal: GoalFamily | None, programmes: list[DirectionItem],
           today: date) -> list[PlanStep]:
    def step(text: str, owner: PlanOwner, days: int) -> PlanStep:
        return PlanStep(text=text, owner=owner, due_on=today + timedelta(days=days))

    apply = f"两周内投递 3 个“{goal.title}”方向的岗位" if goal else "两周内投递 3 个岗位"
    if module is None:
        return [step("保持联系，工作上有变化及时告诉指导师", PlanOwner.person, 90)]
    by_module = {
        1: [step(apply, PlanOwner.person, 14), step("每周向指导师说一次求职进展", PlanOwner.person, 7)],
        2: [step("参加求职应聘指导：修改简历、练习面试", PlanOwner.counsellor, 14), step(apply, PlanOwner.person, 14)],
        3: [step("安排一次专家面谈，聊聊求职中遇到的困难", PlanOwner.counsellor, 7)],
        4: [step("完成职业素质测评", PlanOwner.person, 7),
            step("和指导师一起看测评报告，商定求职方向", PlanOwner.counsellor, 14)],
        5: [step(f"参加{programmes[0].title['zh-CN']}", PlanOwner.person, 30) if programmes else
            step("选定一个技能培训项目并报名", PlanOwner.person, 14),
            step("确认开班时间并办理报名", PlanOwner.training_provider, 7)],
        6: [step("安排见习或定向培训岗位", PlanOwner.counsellor, 30),
            step("按时到岗见习，每两周和指导师沟通一次", PlanOwner.person, 30)],
        7: [step("每月回访一次（电话或上门）", PlanOwner.counsellor, 30),
            step("工作中遇到困难及时告诉指导师", PlanOwner.person, 30)],
    }
    out = by_module[module]
    if module in (1, 2) and programmes:  # a course the matcher recommends is worth knowing about early
        out.append(step(f"了解{programmes[0].title['zh-CN']}，看是否适合报名", PlanOwner.person, 30))
    return out


def _supports(person: Person, module: int | None, facts) -> list[PlanSupport]:
    priority = person.priority or {}
    names: list[str] = []
    if module == 5 or facts.training_completed:
        names.append("职业培训补贴")
    if module == 6:
        names.append("就业见习补贴")
    if priority.get("hard_to_employ"):
        names += ["就业困难人员社会保险补贴", "公益性岗位安置"]
    if priority.get("zero_employment_family"):
        names.append("零就业家庭就业援助")
    return [PlanSupport(name=n) for n in dict.fromkeys(names)]


def draft_document(session: Session, person: Person, rules: RuleSet, today: date,
                   vacancy_pools=None) -> PlanDocument:
    """The plan the case suggests today: goal = the top job direction of the latest result, steps for
    the module the person is going to (the engine's proposal, else the current module), supports to
    check from the person's priority groups and the module, review in a month."""
    case = pathway.case_file(session, person.organisation_id, person.id, rules, today, vacancy_pools)
    occupations, programmes = _direction(session, person, vacancy_pools)
    goal = GoalFamily(code=occupations[0].code, title=occupations[0].title["zh-CN"]) if occupations else None
    module = case.proposal.next_module if case.proposal.moves else case.facts.current_module
    if case.facts.stable_employment:
        module = None
    steps = _steps(module, goal, programmes, today)
    if goal is None and module in (1, 2):
        steps.insert(0, PlanStep(text="和指导师商定求职方向", owner=PlanOwner.counsellor,
                                 due_on=today + timedelta(days=7)))
    return PlanDocument(goal=goal, steps=steps, supports=_supports(person, module, case.facts),
                        review_on=today + timedelta(days=REVIEW_AFTER_DAYS))


def draft(session: Session, organisation_id: str, key_id: str, person_id: str, rules: RuleSet, today: date,
          vacancy_pools=None) -> Plan:
    """A new draft version generated from the case (earlier versions stay)."""
    person = load_owned_person(session, organisation_id, person_id)
    return _store(session, person, key_id, draft_document(session, person, rules, today, vacancy_pools))


# --- editing and signing ---------------------------------------------------------------------------

def _check_dates(document: PlanDocument, today: date) -> None:
    if document.review_on < today:
        raise invalid("review_on", f"{document.review_on} is in the past; give the day of the next review "
                                   "(today or later)")
    for i, item in enumerate(document.steps):
        if item.due_on > today + timedelta(days=MAX_DAYS_AHEAD):
            raise invalid(f"steps.{i}.due_on", f"{item.due_on} is more than two years ahead; check the date")
    if document.review_on > today + timedelta(days=MAX_DAYS_AHEAD):
        raise invalid("review_on", f"{document.review_on} is more than two years ahead; check the date")


def edit(session: Session, organisation_id: str, key_id: str, person_id: str, body: PlanEditIn, today: date) -> Plan:
    """The counsellor's edit as version n+1; 409 when ``body.based_on_version`` is not the latest."""
    person = load_owned_person(session, organisation_id, person_id)
    current = latest(session, organisation_id, person_id)
    if current is None:
        raise Problem(409, "No plan to edit", f"Person {person_id} has no plan yet; draft one first with "
                                              f"POST /v1/persons/{person_id}/plan.")
    if body.based_on_version != current.version:
        raise Problem(409, "The plan has changed",
                      f"based_on_version: you edited version {body.based_on_version}, but version {current.version} "
                      "is the latest; reload the plan and make your change again",
                      [{"field": "based_on_version", "message": f"the latest version is {current.version}"}])
    document = PlanDocument.model_validate(body.model_dump(exclude={"based_on_version"}))
    _check_dates(document, today)
    return _store(session, person, key_id, document)


def sign(session: Session, organisation_id: str, key_id: str, person_id: str, body: PlanSignIn) -> Plan:
    """Sign the latest draft (``body.version``); 409 if it is not the latest or is signed already."""
    current = load_plan(session, organisation_id, person_id)
    if body.version != current.version:
        raise Problem(409, "Not the latest version",
                      f"version: version {current.version} is the latest; sign that one after reading it",
                      [{"field": "version", "message": f"the latest version is {current.version}"}])
    if current.status == "signed":
        raise Problem(409, "Signed already", f"version: version {current.version} was signed on "
                                             f"{current.signed_at:%Y-%m-%d}; edit it to make a new draft",
                      [{"field": "version", "message": "already signed"}])
    current.status, current.signed_by, current.signed_at = "signed", key_id, datetime.now(timezone.utc)
    session.flush()
    return current


def plan_header(session: Session, person: Person, plan: Plan) -> PlanHeader:
    """What the PDF shows besides the document: the person, the centre, the version and the current module."""
    organisation = session.get(Organisation, person.organisation_id)
    steps = pathway.effective_steps(session, person.organisation_id, person.id)
    return PlanHeader(person_ref=person.external_id or person.id, person_name=person.name,
                      centre=organisation.name if organisation else None, version=plan.version, status=plan.status,
                      signed_at_text=signed_text(plan.signed_at) if plan.signed_at else None,
                      current_module=MODULE_NAMES[steps[-1].module]["zh-CN"] if steps else None)
