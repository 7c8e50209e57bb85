"""The counsellor's pathway pages: the case file ``/c/people/{id}/pathway`` (current module, history, the
engine's proposal with its rule and facts, accept / override forms, the training part) and the plan
``/c/people/{id}/plan`` (the latest version, edit, sign, PDF, earlier versions).

The forms call the same services as the API (api/services/pathway.py, plans.py) and write the same
audit rows; every POST carries the session's CSRF token, and a refused form writes nothing.
"""
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api import audit
from api.deps import SessionDep, load_owned_person
from api.errors import Problem
from api.labels import pick
from api.pages.referrals import audit_part, referrals_part
from api.pages.training import training_part
from api.pages.web import Counsellor, csrf_ok, page_lang, render
from api.services import pathway as pathway_service
from api.services import plans as plan_service
from api.services.enrolments import local_today
from api.services.pathway_rules import load_rule_set
from matching.pathway.rules import MODULE_NAMES
from models.pathway_case import (
    OVERRIDE_LABELS,
    OWNER_LABELS,
    DecisionIn,
    OverrideReason,
    PlanDocument,
    PlanEditIn,
    PlanOwner,
    PlanSignIn,
    StepCorrectionIn,
)

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
PersonId = Annotated[str, Path(min_length=1, max_length=40)]
BLANK_STEP_ROWS = 3  # empty rows under the plan's steps, for the counsellor to add to

TEXTS = {
    "case_title": ("路径服务档案", "Pathway case file"),
    "back": ("返回人员页面", "Back to the client"),
    "current": ("目前所在模块", "Current module"),
    "not_on_path": ("还没有进入路径服务。", "Not on the pathway yet."),
    "days": ("已 {days} 天（{entered_on} 进入）", "{days} days (since {entered_on})"),
    "complete": ("已稳定就业，路径服务完成。", "In stable work: the pathway is complete."),
    "proposal": ("系统建议", "Proposal"),
    "next": ("建议下一步", "Next"),
    "stay": ("暂留当前模块", "Stay in the current module"),
    "path_done": ("无需再转入其他模块", "No further module"),
    "rule": ("依据规则", "Rule"),
    "facts": ("依据的情况", "Facts the rule read"),
    "for_person": ("给服务对象的说法", "In plain words for the person"),
    "accept": ("采纳建议", "Accept"),
    "override": ("不采纳，改为", "Override: move to"),
    "module": ("模块", "Module"),
    "reason_code": ("理由", "Reason"),
    "note": ("说明", "Note"),
    "entered_on": ("进入日期", "Date entered"),
    "save": ("保存", "Save"),
    "history": ("模块记录", "Module history"),
    "no_history": ("还没有模块记录。", "No module recorded yet."),
    "how": ("方式", "How"),
    "initial": ("首次进入", "First entry"),
    "by_rule": ("采纳建议", "Accepted proposal"),
    "by_override": ("调整", "Override"),
    "proposed": ("当时建议：模块{module}", "Proposed then: module {module}"),
    "withdrawn": ("已撤销", "Withdrawn"),
    "withdraw": ("撤销这条记录", "Withdraw this entry"),
    "withdraw_reason": ("撤销原因", "Why it is withdrawn"),
    "plan_link": ("一人一策计划", "Individual plan"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "unknown": ("—", "—"),
    "csrf": ("页面已过期，请返回刷新后再试。", "This page has expired; go back, reload it and try again."),
    "bad_reason_code": ("不采纳建议时要选一个理由；选“指导师专业判断”时还要写明说明。",
                        "An override needs a reason; “counsellor's judgement” also needs a note."),
    "bad_note": ("选“指导师专业判断”时，请在说明里写明理由。", "With “counsellor's judgement”, explain why in the note."),
    "bad_module": ("请选一个与当前不同的模块。", "Choose a module other than the current one."),
    "bad_entered_on": ("日期请写成 2026-03-01 这样，不能晚于今天，也不能早于进入当前模块的日期。",
                       "Write the date like 2026-03-01; not after today and not before the current module began."),
    "bad_rule_id": ("情况已经变了，建议也跟着变了。请看新的建议再决定。",
                    "The case has changed and so has the proposal; read the new one and decide again."),
    "bad_action": ("现在没有可以采纳的建议；如需转入其他模块，请用“不采纳，改为”。",
                   "There is nothing to accept now; to move the person, use the override."),
    "bad_reason": ("请写明撤销原因（至少 3 个字）。", "Say why the entry is withdrawn (3 characters or more)."),
    # the plan page
    "plan_title": ("一人一策就业援助计划", "Individual employment plan"),
    "no_plan": ("还没有计划。点“生成计划草稿”，系统会根据档案、测评结果和推荐方向起草一份。",
                "No plan yet. “Draft a plan” writes one from the case file, the assessment and its job direction."),
    "draft": ("生成计划草稿", "Draft a plan"),
    "redraft": ("按最新情况重新起草", "Redraft from the latest case"),
    "version": ("第 {version} 版", "Version {version}"),
    "status_draft": ("草稿，尚未签署", "Draft, not signed"),
    "status_signed": ("已签署（{at}）", "Signed ({at})"),
    "goal": ("目标职业方向", "Goal occupation family"),
    "goal_none": ("尚未商定", "Not agreed yet"),
    "goal_code": ("职业代码（可不填）", "Occupation code (optional)"),
    "steps": ("要做的事", "Steps"),
    "step_text": ("事项", "Step"),
    "owner": ("由谁来做", "Who"),
    "due_on": ("完成时间", "Due"),
    "supports": ("可能适用的扶持政策（待核实）", "Supports the person may be eligible for (to check)"),
    "supports_help": ("每行一项。这里只列出待核实的政策，是否能享受以经办部门审核为准。",
                      "One per line. These are only to check; the office that grants them decides."),
    "to_check": ("待核实", "to check"),
    "review_on": ("下次复核日期", "Review date"),
    "edit": ("修改计划（保存为新版本）", "Edit the plan (saved as a new version)"),
    "sign": ("签署这一版", "Sign this version"),
    "sign_help": ("请先打印 PDF，与服务对象一起核对并签字，再点签署。签署后这一版不能再改，修改会生成新版本。",
                  "Print the PDF, go through it with the person and sign it together, then press sign. A signed "
                  "version never changes; an edit makes a new version."),
    "pdf": ("下载 PDF", "Download PDF"),
    "versions": ("历次版本", "Versions"),
    "case_link": ("路径服务档案", "Pathway case file"),
    "bad_review_on": ("复核日期请写成 2026-03-01 这样，不能早于今天，最多两年以后。",
                      "Write the review date like 2026-03-01; not before today, at most two years ahead."),
    "bad_steps": ("至少要有一项要做的事，每项写清事项、由谁来做和完成时间（如 2026-03-01）。",
                  "Give at least one step, each with what, who and a due date (like 2026-03-01)."),
    "bad_based_on_version": ("计划刚被别人改过。请看最新版本后再修改。",
                             "Someone changed the plan just now; read the latest version and edit again."),
    "bad_version": ("只能签署最新的草稿；已签署的版本不能再签。", "Only the latest draft can be signed, and only once."),
    "bad_goal": ("目标职业方向最多 200 字，代码最多 20 个字符。", "The goal is at most 200 characters, its code 20."),
}

FACT_LABELS = {
    "current_module": ("目前所在模块", "Current module"),
    "days_in_module": ("在当前模块的天数", "Days in the current module"),
    "modules_seen": ("经历过的模块", "Modules so far"),
    "failed_applications": ("求职未成功次数（累计）", "Failed applications (all)"),
    "failed_applications_in_module": ("进入当前模块后求职未成功次数", "Failed applications in this module"),
    "failed_applications_since_interview": ("专家访谈后求职未成功次数", "Failed applications since the interview"),
    "days_since_interview": ("专家访谈后的天数", "Days since the expert interview"),
    "has_valid_assessment": ("有有效的测评结果", "Has a valid assessment result"),
    "assessment_outcome": ("测评报告的建议", "What the assessment suggests"),
    "hard_case": ("特别困难（可跳过基本服务）", "Especially hard case (may skip module 1)"),
    "employed": ("目前在岗", "In work now"),
    "stable_employment": ("已稳定就业", "In stable work"),
    "placed_via_pathway": ("经路径服务上岗", "Placed through the pathway"),
    "training_completed": ("技能培训已结业", "Training completed"),
}

OUTCOME_LABELS = {
    "invalid": ("结果不够可靠", "Results not reliable"),
    "readiness": ("先提升求职准备", "Build up readiness first"),
    "train": ("先参加培训", "Train first"),
    "internship": ("先去见习", "Internship first"),
    "apply": ("可以直接应聘", "Can apply now"),
    "unknown": ("未形成职业方向", "No job direction"),
}


def texts(lang: str) -> dict[str, str]:
    return {key: pick(pair, lang) for key, pair in TEXTS.items()}


def _fact_value(name: str, value, lang: str) -> str:
    h = texts(lang)
    if value is None:
        return h["unknown"]
    if isinstance(value, bool):
        return h["yes"] if value else h["no"]
    if name == "assessment_outcome":
        return pick(OUTCOME_LABELS.get(value, (value, value)), lang)
    if name == "modules_seen":
        return "、".join(str(m) for m in value) if lang == "zh-CN" else ", ".join(str(m) for m in value)
    return str(value)


def _today(request: Request) -> date:
    return local_today(request.app.state.settings.timezone)


def _rules(request: Request):
    return load_rule_set(request.app.state.settings.pathway_province)


async def _checked(request: Request):
    form = await request.form()
    return form if csrf_ok(request, form.get("csrf")) else None


def _value(form, name: str) -> str | None:
    return str(form.get(name) or "").strip() or None


def _refusal_key(exc: ValidationError | Problem) -> str:
    if isinstance(exc, ValidationError):
        errors = exc.errors()
        loc = errors[0]["loc"] if errors else ()
        field = str(loc[0]) if loc else ""
        message = errors[0].get("msg", "") if errors else ""
        if not field:  # a model-level check names its field at the start of the message
            field = message.removeprefix("Value error, ").split(":", 1)[0].split(",")[0].strip()
    else:
        field = exc.errors[0]["field"].split(".")[0] if exc.errors else ""
    return f"bad_{field}"


# --- the case file ---------------------------------------------------------------------------------

def _case_page(request: Request, db: Session, principal, person_id: str, status_code: int = 200,
               error: str | None = None) -> HTMLResponse:
    lang = page_lang(request)
    rules, today = _rules(request), _today(request)
    try:
        case = pathway_service.case_file(db, principal.organisation_id, person_id, rules, today,
                                         request.app.state.vacancy_pools)
    except Problem:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    view = pathway_service.pathway_out(case, rules)
    context = {**training_part(db, principal.organisation_id, person_id, lang),
               **referrals_part(db, principal.organisation_id, person_id, lang, today)}
    audit.record(db, request, principal, "pathway", "read", person_id, detail={"proposal": case.proposal.rule_id})
    audit.record(db, request, principal, "enrolment", "list", person_id,
                 detail={"ids": [e.id for e in context["training"]["enrolments"]]})
    audit_part(db, request, principal, context)
    db.commit()
    facts = [(pick(FACT_LABELS[name], lang), _fact_value(name, value, lang))
             for name, value in view.proposal.facts_used.items()]
    return render(request, "c_pathway.html", {
        **context, "person": case.person, "view": view, "h": texts(lang), "facts": facts, "error": error,
        "modules": {m: names[lang] for m, names in MODULE_NAMES.items()},
        "reasons": [(r.value, OVERRIDE_LABELS[r.value][lang]) for r in OverrideReason],
        "reason_labels": {k: v[lang] for k, v in OVERRIDE_LABELS.items()}, "today": today}, status_code, principal, db)


@router.get("/people/{person_id}/pathway", response_class=HTMLResponse)
def case_page(person_id: PersonId, request: Request, db: SessionDep, principal: Counsellor) -> HTMLResponse:
    return _case_page(request, db, principal, person_id)


def _refused(request: Request, db: Session, principal, person_id: str, exc: ValidationError | Problem,
             page) -> Response:
    db.rollback()
    if isinstance(exc, Problem) and exc.status in (404, 410):
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    h = texts(page_lang(request))
    message = h.get(_refusal_key(exc)) or (exc.detail if isinstance(exc, Problem) else str(exc))
    return page(request, db, principal, person_id, 409 if isinstance(exc, Problem) and exc.status == 409 else 422,
                message)


def _csrf_refused(request: Request, db: Session, principal) -> Response:
    return render(request, "c_message.html", {"message_text": texts(page_lang(request))["csrf"]}, 403, principal, db)


@router.post("/people/{person_id}/pathway/decisions", response_class=HTMLResponse)
async def decide(person_id: PersonId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await _checked(request)
    if form is None:
        return _csrf_refused(request, db, principal)
    try:
        body = DecisionIn.model_validate({k: _value(form, k) for k in ("action", "module", "reason_code", "note",
                                                                       "rule_id", "entered_on")})
        step = pathway_service.decide(db, principal.organisation_id, principal.key_id, person_id, body,
                                      _rules(request), _today(request), request.app.state.vacancy_pools)
    except (ValidationError, Problem) as exc:
        return _refused(request, db, principal, person_id, exc, _case_page)
    audit.record(db, request, principal, "pathway_step", body.action, step.id, detail={
        "person_id": person_id, "module": step.module, "rule_id": step.rule_id,
        "override_reason_code": step.override_reason_code, "proposed_module": step.proposed_module,
        "proposed_rule_id": step.proposed_rule_id})
    db.commit()
    return RedirectResponse(f"/c/people/{person_id}/pathway", status_code=303)


@router.post("/people/{person_id}/pathway/steps/{step_id}/withdraw", response_class=HTMLResponse)
async def withdraw(person_id: PersonId, step_id: PersonId, request: Request, db: SessionDep,
                   principal: Counsellor) -> Response:
    form = await _checked(request)
    if form is None:
        return _csrf_refused(request, db, principal)
    try:
        body = StepCorrectionIn.model_validate({"reason": _value(form, "reason")})
        row = pathway_service.withdraw_step(db, principal.organisation_id, principal.key_id, person_id, step_id, body)
    except (ValidationError, Problem) as exc:
        return _refused(request, db, principal, person_id, exc, _case_page)
    audit.record(db, request, principal, "pathway_step", "retract", row.id,
                 detail={"person_id": person_id, "corrects_id": step_id, "reason": body.reason})
    db.commit()
    return RedirectResponse(f"/c/people/{person_id}/pathway", status_code=303)


# --- the plan --------------------------------------------------------------------------------------

def _plan_page(request: Request, db: Session, principal, person_id: str, status_code: int = 200,
               error: str | None = None, version: int | None = None) -> HTMLResponse:
    lang = page_lang(request)
    try:
        person = load_owned_person(db, principal.organisation_id, person_id)
    except Problem:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    rows = plan_service.versions(db, principal.organisation_id, person.id)
    shown = next((r for r in rows if r.version == version), None) if version else (rows[-1] if rows else None)
    audit.record_list(db, request, principal, "plan", [r.id for r in rows])
    db.commit()
    document = PlanDocument.model_validate(shown.document) if shown else None
    latest = rows[-1] if rows else None
    return render(request, "c_plan.html", {
        "person": person, "plan": shown, "document": document, "latest": latest, "versions": rows,
        "latest_document": PlanDocument.model_validate(latest.document) if latest else None,
        "h": texts(lang), "error": error, "owners": [(o.value, OWNER_LABELS[o.value][lang]) for o in PlanOwner],
        "owner_labels": {k: v[lang] for k, v in OWNER_LABELS.items()}, "blank_rows": range(BLANK_STEP_ROWS),
        "today": _today(request)}, status_code, principal, db)


@router.get("/people/{person_id}/plan", response_class=HTMLResponse)
def plan_page(person_id: PersonId, request: Request, db: SessionDep, principal: Counsellor,
              version: Annotated[int | None, Query(ge=1, le=100_000)] = None) -> HTMLResponse:
    return _plan_page(request, db, principal, person_id, version=version)


@router.post("/people/{person_id}/plan/draft", response_class=HTMLResponse)
async def draft(person_id: PersonId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    if await _checked(request) is None:
        return _csrf_refused(request, db, principal)
    try:
        plan = plan_service.draft(db, principal.organisation_id, principal.key_id, person_id, _rules(request),
                                  _today(request), request.app.state.vacancy_pools)
    except Problem as exc:
        return _refused(request, db, principal, person_id, exc, _plan_page)
    audit.record(db, request, principal, "plan", "draft", plan.id, detail={"person_id": person_id,
                                                                          "version": plan.version})
    db.commit()
    return RedirectResponse(f"/c/people/{person_id}/plan", status_code=303)


def _edited(form) -> dict:
    """The plan document the edit form describes: filled step rows only, one support per line."""
    steps, i = [], 0
    while f"step_text_{i}" in form:
        text = _value(form, f"step_text_{i}")
        if text:
            steps.append({"text": text, "owner": _value(form, f"step_owner_{i}"),
                          "due_on": _value(form, f"step_due_{i}")})
        i += 1
    supports = [{"name": line.strip()} for line in str(form.get("supports") or "").splitlines() if line.strip()]
    title = _value(form, "goal_title")
    return {"goal": {"title": title, "code": _value(form, "goal_code")} if title else None, "steps": steps,
            "supports": supports, "review_on": _value(form, "review_on"), "note": _value(form, "note"),
            "based_on_version": _value(form, "based_on_version")}


@router.post("/people/{person_id}/plan/edit", response_class=HTMLResponse)
async def edit(person_id: PersonId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await _checked(request)
    if form is None:
        return _csrf_refused(request, db, principal)
    try:
        body = PlanEditIn.model_validate(_edited(form))
        plan = plan_service.edit(db, principal.organisation_id, principal.key_id, person_id, body, _today(request))
    except (ValidationError, Problem) as exc:
        return _refused(request, db, principal, person_id, exc, _plan_page)
    audit.record(db, request, principal, "plan", "edit", plan.id, detail={
        "person_id": person_id, "version": plan.version, "based_on_version": body.based_on_version})
    db.commit()
    return RedirectResponse(f"/c/people/{person_id}/plan", status_code=303)


@router.post("/people/{person_id}/plan/sign", response_class=HTMLResponse)
async def sign(person_id: PersonId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await _checked(request)
    if form is None:
        return _csrf_refused(request, db, principal)
    try:
        body = PlanSignIn.model_validate({"version": _value(form, "version")})
        plan = plan_service.sign(db, principal.organisation_id, principal.key_id, person_id, body)
    except (ValidationError, Problem) as exc:
        return _refused(request, db, principal, person_id, exc, _plan_page)
    audit.record(db, request, principal, "plan", "sign", plan.id, detail={"person_id": person_id,
                                                                         "version": plan.version})
    db.commit()
    return RedirectResponse(f"/c/people/{person_id}/plan", status_code=303)


@router.get("/people/{person_id}/plan.pdf")
def plan_pdf(person_id: PersonId, request: Request, db: SessionDep, principal: Counsellor,
             version: Annotated[int | None, Query(ge=1, le=100_000)] = None) -> Response:
    from api.reports.plan_pdf import render_plan_pdf  # ReportLab loads only when a PDF is asked for

    try:
        person = load_owned_person(db, principal.organisation_id, person_id)
        plan = plan_service.load_plan(db, principal.organisation_id, person_id, version)
    except Problem:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    body = render_plan_pdf(plan_service.plan_header(db, person, plan), PlanDocument.model_validate(plan.document))
    audit.record(db, request, principal, "plan", "read_pdf", plan.id, detail={"person_id": person_id,
                                                                             "version": plan.version})
    db.commit()
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="plan-{person_id}-v{plan.version}.pdf"'})

