"""Counsellor pages for referrals and follow-ups.

* The "推荐" button on the match list (``c_referral_button.html``, included by ``c_matches.html``) posts
  to ``/c/people/{id}/referrals``: a referral from that ranking (``match_id``), then the referral's page
  ``/c/referrals/{id}`` offers the letter (``/c/referrals/{id}/letter.pdf``).
* ``c_referrals_part.html``: a person's referrals, outcomes, placements with retention and follow-ups,
  for the case-file page to include (context from :func:`referrals_part`).
* ``/c/followups/due``: placements whose monthly follow-up is due or overdue, each with a form that
  records the contact.

Every form carries the session's CSRF token and calls the same services as the API, writing the same
audit rows.
"""
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api import audit
from api.adapters.field_errors import refused_field
from api.deps import SessionDep
from api.errors import Problem
from api.labels import pick
from api.pages.web import Counsellor, csrf_ok, page_lang, page_person, render
from api.reports.referral_letter import render_referral_letter
from api.services import followups as followup_service
from api.services import outcomes as outcome_service
from api.services import referrals as referral_service
from api.services.enrolments import local_today
from api.services.followups import list_followups
from api.services.outcomes import list_outcomes
from api.services.placements import due_followups, placements
from api.services.referrals import list_referrals, vacancies_by_id
from models.pathway import (
    RETENTION_MONTHS, ContractType, FollowUpChannel, FollowUpIn, FollowUpStatus, LeftReason, OutcomeIn, OutcomeKind,
    PlacementRoute, RejectedBy, RejectionReason, ReferralIn, label,
)

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
RowId = Annotated[str, Path(min_length=1, max_length=40)]
PART_ROWS = 50  # the case file shows the latest 50 of each; the API lists them all

TEXTS = {
    "part_title": ("推荐、求职结果与回访", "Referrals, outcomes and follow-ups"),
    "no_referrals": ("还没有推荐或求职记录。", "No referrals or applications recorded yet."),
    "referrals": ("推荐记录", "Referrals"),
    "outcomes": ("求职结果", "Outcomes"),
    "placements": ("就业情况", "Jobs"),
    "followups": ("回访记录", "Follow-up contacts"),
    "referred_on": ("推荐日期", "Referred on"),
    "job": ("岗位", "Job"),
    "source": ("来源", "Source"),
    "status": ("进展", "Progress"),
    "waiting": ("等待结果", "Waiting to hear"),
    "letter": ("推荐信", "Referral letter"),
    "date": ("日期", "Date"),
    "what": ("结果", "What happened"),
    "start_date": ("上岗日期", "Started"),
    "route": ("就业途径", "How"),
    "ended_on": ("离职日期", "Left on"),
    "retained": ("在岗 {m} 个月", "In work at {m} months"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    "unknown": ("待回访", "Not yet known"),
    "contacted_on": ("回访日期", "Contact date"),
    "channel": ("方式", "How"),
    "result": ("情况", "Situation"),
    "difficulties": ("遇到的困难", "Difficulties"),
    "referred_title": ("已推荐", "Referred"),
    "referred_text": ("已把 {name} 推荐到 {employer} 的“{job}”岗位。推荐编号 {ref}。",
                      "{name} has been referred to the “{job}” job at {employer}. Reference {ref}."),
    "print_letter": ("打印推荐信", "Print the referral letter"),
    "letter_help": ("推荐信为中文，交给求职人带去应聘，或发给用人单位。",
                    "The letter is in Chinese, for the person to take along or for you to send to the employer."),
    "back_matches": ("返回推荐岗位列表", "Back to the recommended jobs"),
    "back_person": ("返回人员页面", "Back to the client"),
    "due_title": ("待回访", "Follow-ups due"),
    "due_help": ("已上岗的人员在上岗后第一年每月回访一次。下面是今天应回访或已逾期的人员，逾期最久的排在前面。",
                 "People placed in work get a call or visit every month for their first year. These are due "
                 "today or overdue, the longest overdue first."),
    "none_due": ("目前没有需要回访的人员。", "Nobody is due a follow-up at the moment."),
    "person": ("人员", "Client"),
    "month": ("第几个月", "Month"),
    "due_on": ("应回访日期", "Due on"),
    "overdue_days": ("已逾期 {n} 天", "{n} days overdue"),
    "due_today": ("今天到期", "Due today"),
    "last_contact": ("上次回访", "Last contact"),
    "never": ("尚未回访", "Not yet contacted"),
    "record": ("登记回访", "Record the contact"),
    "left_on": ("离职日期（已离职时填写）", "Left on (if they left)"),
    "left_reason": ("离职原因（已离职时选择）", "Why they left (if they did)"),
    "none": ("（不选）", "(none)"),
    "save": ("保存", "Save"),
    "saved": ("回访已登记。", "The contact has been recorded."),
    "csrf": ("页面已过期，请返回刷新后再试。", "This page has expired; go back, reload it and try again."),
    "bad_contacted_on": ("回访日期请写成 2026-03-01 这样，不能晚于今天，也不能早于上岗日期。",
                         "Write the contact date like 2026-03-01; it cannot be after today or before the start."),
    "bad_left_on": ("已离职时要填离职日期，且在上岗日期和回访日期之间；仍在岗时不填。",
                    "If they left, give the date (between the start and the contact); leave it empty otherwise."),
    "bad_left_reason": ("已离职时要选择离职原因；仍在岗时不选。", "If they left, choose why; leave it empty otherwise."),
    "bad_input": ("没能登记这次回访，请检查回访日期、方式和情况是否都已填写。",
                  "The contact was not recorded: check the date, how you made contact and the situation."),
    "ended": ("这份工作已登记为离职。如果本人重新上岗，请登记新的上岗记录。",
              "This job is already recorded as ended. If the person started work again, record the new job."),
    "bad_referral": ("这个岗位不在这次推荐列表里，或者今天已经推荐过了。请回到推荐岗位列表重新打开后再试。",
                     "That job is not on this list, or was already referred today. Reopen the recommended jobs "
                     "and try again."),
    "outcome_title": ("登记求职结果", "Record what happened"),
    "outcome_help": ("面试、录用通知、未录用、未回复和本人放弃都属于某一次推荐；本人自行找到、培训后、见习留用、"
                     "公益性岗位或自主创业的工作，推荐记录选“没有经过推荐”，再选就业途径。",
                     "Interviews, offers, refusals, no reply and withdrawing belong to a referral. For a job found "
                     "another way (on their own, after training, an internship, a public-welfare post or a business "
                     "of their own) choose “not through a referral”, then how."),
    "which_referral": ("推荐记录", "Referral"),
    "no_referral": ("没有经过推荐", "Not through a referral"),
    "outcome_kind": ("结果", "What happened"),
    "occurred_on": ("发生日期", "Date"),
    "hire_fields": ("已上岗时填写", "If hired"),
    "contract": ("用工形式", "Contract"),
    "pay": ("月工资（元，税前）", "Monthly pay (yuan, before tax)"),
    "hours": ("每周工时", "Hours a week"),
    "how_found": ("就业途径（不经推荐时选择）", "How (if not through a referral)"),
    "rejection_fields": ("未录用时填写", "If not taken on"),
    "who_said_no": ("哪一方没有接受", "Who said no"),
    "why_not": ("原因（可多选）", "Why (choose any)"),
    "back_to_page": ("返回上一页", "Back"),
    "bad_occurred_on": ("日期请写成 2026-03-01 这样，不能晚于今天，也不能早于推荐日期。",
                        "Write the date like 2026-03-01; it cannot be after today or before the referral."),
    "bad_referral_id": ("面试、录用通知、未录用、未回复和本人放弃都要选是哪一次推荐；不经推荐的只能登记“已上岗”。",
                        "Choose the referral for an interview, offer, refusal, no reply or withdrawal; a job found "
                        "another way can only be recorded as hired."),
    "bad_start_date": ("已上岗要填上岗日期，最多提前三个月登记。",
                       "A hire needs its first day at work, at most three months ahead."),
    "bad_contract_type": ("已上岗要选用工形式。", "A hire needs the kind of contract."),
    "bad_placement_route": ("不经推荐的工作要选就业途径；经推荐的请在推荐记录里选那一次推荐。",
                            "For a job found another way choose how; for a referral, choose it under Referral."),
    "bad_rejected_by": ("未录用时要选是用人单位还是本人没有接受。", "Say who said no: the employer or the person."),
    "bad_pay_hours": ("月工资请填 0 到 100 万元之间的整数，每周工时请填 0 到 84 之间的数。",
                      "Give the monthly pay as whole yuan and the hours a week as a number up to 84."),
    "already_hired": ("这次推荐已经登记过上岗。如果登记错了，请联系系统管理员更正那条记录。",
                      "This referral already has a hire. If that was a mistake, ask your administrator to correct it."),
    "bad_outcome": ("没能登记这个结果，请检查日期和结果是否都已选好。",
                    "That was not recorded: check the date and what happened."),
}


def texts(lang: str) -> dict[str, str]:
    return {key: pick(pair, lang) for key, pair in TEXTS.items()}


def referrals_part(db: Session, organisation_id: str, person_id: str, lang: str, today: date,
                   referral_id: str | None = None) -> dict:
    """The context ``c_referrals_part.html`` needs, as ``{"referrals": …}``: the person's latest
    effective referrals (with the vacancy), outcomes, placements with retention and follow-ups, the texts
    and a label function in ``lang``, and what the outcome form offers. On a referral's page
    (``referral_id``) the form has that referral chosen and returns there; elsewhere it returns to the
    case file. Merge it into the page's context, then
    ``{% include "c_referrals_part.html" %}``. Reads only; the including page audits (see
    :func:`audit_part`)."""
    refs, _ = list_referrals(db, organisation_id, PART_ROWS, 0, person_id=person_id)
    outcomes, _ = list_outcomes(db, organisation_id, PART_ROWS, 0, person_id=person_id)
    contacts, _ = list_followups(db, organisation_id, PART_ROWS, 0, person_id=person_id)
    vacancies = vacancies_by_id(db, organisation_id, {r.vacancy_id for r in refs}
                                | {o.vacancy_id for o in outcomes if o.vacancy_id})
    return {"referrals": {
        "person_id": person_id, "referrals": refs, "outcomes": outcomes, "followups": contacts,
        "placements": placements(db, organisation_id, person_id), "vacancies": vacancies,
        "months": RETENTION_MONTHS, "h": texts(lang), "rlabel": lambda table, code: label(table, code, lang),
        "today": today, "chosen_referral": referral_id,
        "back": f"referral:{referral_id}" if referral_id else "case",
        "kinds": list(OutcomeKind), "contracts": list(ContractType), "rejected_by": list(RejectedBy),
        "routes": [r for r in PlacementRoute if r is not PlacementRoute.referral], "reasons": list(RejectionReason)}}


def audit_part(db: Session, request: Request, principal, part: dict) -> None:
    """The audit rows for showing :func:`referrals_part`: one list row per record type shown."""
    for resource, key in (("referral", "referrals"), ("outcome", "outcomes"), ("followup", "followups")):
        audit.record_list(db, request, principal, resource, [r.id for r in part["referrals"][key]])


def _form_value(form, name: str) -> str | None:
    return str(form.get(name) or "").strip() or None


def _expired(request: Request, db: Session, principal) -> Response:
    return render(request, "c_message.html", {"message_text": texts(page_lang(request))["csrf"]}, 403, principal, db)


async def _person_form(request: Request, db: Session, principal, person_id: str):
    """(form, person, None) for a posted form with a valid CSRF token about the organisation's person;
    otherwise (form, None, the page to answer with): expired (403), not found (404) or erased (410)."""
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return form, None, _expired(request, db, principal)
    person, refusal = page_person(request, db, principal, person_id)
    return form, person, refusal


@router.post("/people/{person_id}/referrals", response_class=HTMLResponse)
async def refer(person_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    """The "推荐" button of the match list: refer the person to the vacancy from that ranking."""
    form, person, refusal = await _person_form(request, db, principal, person_id)
    if refusal is not None:
        return refusal
    try:
        body = ReferralIn.model_validate({
            "person_id": person.id, "vacancy_id": _form_value(form, "vacancy_id"), "source": "counsellor",
            "match_id": _form_value(form, "match_id"),
            "referred_on": local_today(request.app.state.settings.timezone)})
        row = referral_service.create_referral(db, principal.organisation_id, principal.key_id, body, body.referred_on)
    except (ValidationError, Problem) as exc:
        db.rollback()
        status = exc.status if isinstance(exc, Problem) else 422
        return render(request, "c_message.html", {"message_text": texts(page_lang(request))["bad_referral"]},
                      status, principal, db)
    audit.record(db, request, principal, "referral", "create", row.id,
                 detail={"person_id": row.person_id, "vacancy_id": row.vacancy_id, "match_id": row.match_id})
    db.commit()
    return RedirectResponse(f"/c/referrals/{row.id}", status_code=303)


@router.get("/referrals/{referral_id}", response_class=HTMLResponse)
def referral_page(referral_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    """A referral just made (or looked up): what was referred, the letter, the person's record."""
    try:
        facts = referral_service.letter_facts(db, principal.organisation_id, referral_id)
        row = referral_service.load_referral(db, principal.organisation_id, referral_id)
    except Problem as problem:
        key = "erased" if problem.status == 410 else "not_found"
        return render(request, "c_message.html", {"message_key": key}, problem.status, principal, db)
    person, refusal = page_person(request, db, principal, row.person_id)
    if refusal is not None:
        return refusal
    lang = page_lang(request)
    part = referrals_part(db, principal.organisation_id, person.id, lang,
                          local_today(request.app.state.settings.timezone), referral_id=row.id)
    audit.record(db, request, principal, "referral", "read", row.id)
    audit_part(db, request, principal, part)
    db.commit()
    return render(request, "c_referral.html", {**part, "person": person, "facts": facts, "referral": row,
                                               "h": texts(lang)}, 200, principal, db)


@router.get("/referrals/{referral_id}/letter.pdf")
def letter(referral_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    try:
        facts = referral_service.letter_facts(db, principal.organisation_id, referral_id)
    except Problem as problem:
        key = "erased" if problem.status == 410 else "not_found"
        return render(request, "c_message.html", {"message_key": key}, problem.status, principal, db)
    body = render_referral_letter(facts)
    audit.record(db, request, principal, "referral", "read_letter", referral_id)
    db.commit()
    return Response(body, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="referral-{facts.reference}.pdf"'})


def _due_page(request: Request, db: Session, principal, status_code: int = 200, error: str | None = None,
              saved: bool = False) -> Response:
    lang = page_lang(request)
    today = local_today(request.app.state.settings.timezone)
    items = due_followups(db, principal.organisation_id, today)
    audit.record(db, request, principal, "followup", "list_due",
                 detail={"count": len(items), "person_ids": [i.person_id for i in items]})
    db.commit()
    return render(request, "c_followups_due.html", {
        "items": items, "h": texts(lang), "today": today, "error": error, "saved": saved,
        "channels": list(FollowUpChannel), "statuses": list(FollowUpStatus), "left_reasons": list(LeftReason),
        "rlabel": lambda table, code: label(table, code, lang)}, status_code, principal, db)


@router.get("/followups/due", response_class=HTMLResponse)
def due_page(request: Request, db: SessionDep, principal: Counsellor) -> Response:
    return _due_page(request, db, principal, saved=request.query_params.get("saved") == "1")


_FIELD_TEXTS = {"contacted_on": "bad_contacted_on", "left_on": "bad_left_on", "left_reason": "bad_left_reason"}


@router.post("/followups", response_class=HTMLResponse)
async def record_followup(request: Request, db: SessionDep, principal: Counsellor) -> Response:
    """The due list's form: record one follow-up contact."""
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return _expired(request, db, principal)
    lang = page_lang(request)
    try:
        body = FollowUpIn.model_validate({k: _form_value(form, k) for k in (
            "person_id", "placement_id", "contacted_on", "channel", "status", "left_on", "left_reason",
            "difficulties")})
        row = followup_service.record_followup(db, principal.organisation_id, principal.key_id, body,
                                               local_today(request.app.state.settings.timezone))
    except (ValidationError, Problem) as exc:
        db.rollback()
        field, status = refused_field(exc)
        message = texts(lang)["ended"] if status == 409 else texts(lang)[_FIELD_TEXTS.get(field, "bad_input")]
        return _due_page(request, db, principal, status, message)
    audit.record(db, request, principal, "followup", "create", row.id,
                 detail={"person_id": row.person_id, "placement_id": row.placement_id, "status": row.status})
    db.commit()
    return RedirectResponse("/c/followups/due?saved=1", status_code=303)


_HIRE_ONLY = ("start_date", "contract_type", "monthly_pay", "weekly_hours", "placement_route")
_OUTCOME_TEXTS = {"occurred_on": "bad_occurred_on", "referral_id": "bad_referral_id", "start_date": "bad_start_date",
                  "contract_type": "bad_contract_type", "placement_route": "bad_placement_route",
                  "rejected_by": "bad_rejected_by", "monthly_pay": "bad_pay_hours", "weekly_hours": "bad_pay_hours"}


def _outcome_body(person_id: str, form) -> dict:
    """The outcome the form describes, keeping only the fields of the chosen kind (the form shows them
    all, so a value typed before the kind was changed is not sent), with ``placement_route`` referral
    for a hire through a referral."""
    kind = _form_value(form, "kind")
    body = {"person_id": person_id, "kind": kind, "referral_id": _form_value(form, "referral_id"),
            "occurred_on": _form_value(form, "occurred_on"), "note": _form_value(form, "note")}
    if kind == OutcomeKind.hired.value:
        body.update({name: _form_value(form, name) for name in _HIRE_ONLY})
        if body["referral_id"] and not body["placement_route"]:
            body["placement_route"] = PlacementRoute.referral.value
    if kind == OutcomeKind.rejected.value:
        body["rejected_by"] = _form_value(form, "rejected_by")
        body["reason_codes"] = [str(code) for code in form.getlist("reason_codes") if str(code).strip()]
    return body


def _back_url(back: str | None, person_id: str) -> str:
    """Where the outcome form returns to, built from ids only (never a URL taken from the form)."""
    if back and back.startswith("referral:") and back[len("referral:"):].replace("_", "").isalnum():
        return f"/c/referrals/{back[len('referral:'):]}#referrals"
    return f"/c/people/{person_id}/pathway#referrals"


@router.post("/people/{person_id}/outcomes", response_class=HTMLResponse)
async def record_outcome(person_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    """The referrals part's form: record an interview, offer, hire, refusal, no reply or withdrawal."""
    form, person, refusal = await _person_form(request, db, principal, person_id)
    if refusal is not None:
        return refusal
    lang, back = page_lang(request), _back_url(_form_value(form, "back"), person.id)
    try:
        body = OutcomeIn.model_validate(_outcome_body(person.id, form))
        row = outcome_service.record_outcome(db, principal.organisation_id, principal.key_id, body,
                                             local_today(request.app.state.settings.timezone))
    except (ValidationError, Problem) as exc:
        db.rollback()
        field, status = refused_field(exc)
        key = "already_hired" if status == 409 else _OUTCOME_TEXTS.get(field, "bad_outcome")
        return render(request, "c_message.html", {"message_text": texts(lang)[key], "back_href": back,
                                                  "back_text": texts(lang)["back_to_page"]}, status, principal, db)
    audit.record(db, request, principal, "outcome", "create", row.id,
                 detail={"person_id": row.person_id, "referral_id": row.referral_id, "kind": row.kind})
    db.commit()
    return RedirectResponse(back, status_code=303)
