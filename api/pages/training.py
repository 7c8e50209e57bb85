"""The case file's training part (``c_training_part.html``): a person's training, internships, directed
training and entrepreneurship track, for the pathway case-file page to include; and the counsellor's page
``/c/people/{id}/training`` that shows it with the forms to enrol the person, record what happened
(completed, certificate awarded, …) and record an entrepreneurship step.

The including page loads the person for the signed-in counsellor's organisation and audits its read of
the case file; :func:`training_part` reads the same person's records through the services. The forms
call the same services as the API (api/services/enrolments.py, entrepreneurship.py) and write the same
audit rows; every POST carries the session's CSRF token.
"""
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api import audit
from api.adapters.field_errors import refused_field
from api.deps import SessionDep, load_owned_person
from api.errors import Problem
from api.labels import pick
from api.pages.web import Counsellor, csrf_ok, page_lang, render
from api.services import enrolments as enrolment_service
from api.services import entrepreneurship
from api.services.enrolments import local_today, person_enrolments
from api.services.entrepreneurship import track
from models.training_path import (
    LABELS,
    EnrolmentEventIn,
    EnrolmentEventKind,
    EnrolmentIn,
    EnrolmentKind,
    EntrepreneurshipStepIn,
    EntrepreneurshipStepKind,
)

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
RowId = Annotated[str, Path(min_length=1, max_length=40)]

TEXTS = {
    "training_title": ("培训、见习与创业", "Training, internships and entrepreneurship"),
    "no_training": ("还没有培训、见习或创业记录。", "No training, internship or entrepreneurship recorded yet."),
    "record_the_job": ("转为正式录用后，请在“登记求职结果”里登记这份工作（推荐记录选“没有经过推荐”，"
                       "就业途径选“见习留用”或“培训后就业”），之后每月回访才会提醒。",
                       "Once kept on, record the job under “Record what happened” (choose “Not through a referral” "
                       "and “Kept on after an internship” or “After training”), so the monthly follow-ups are due."),
    "kind": ("类别", "Kind"),
    "place": ("项目或岗位", "Programme or place"),
    "started_on": ("开始日期", "Started"),
    "certificates": ("取得证书", "Certificates"),
    "entrepreneurship": ("创业扶持", "Entrepreneurship support"),
    "passed": ("考核合格", "Passed"),
    "failed": ("考核未通过", "Failed"),
    "status": ("状态", "Status"),
    "page_title": ("培训、见习与创业记录", "Training, internships and entrepreneurship"),
    "record_link": ("登记培训、见习或创业事项", "Record training, an internship or an entrepreneurship step"),
    "back": ("返回人员页面", "Back to the client"),
    "enrol": ("登记参加", "Enrol"),
    "programme": ("培训项目", "Programme"),
    "vacancy": ("见习或定向培训岗位", "Internship or directed-training place"),
    "none": ("（不选）", "(none)"),
    "record_event": ("登记进展", "Record what happened"),
    "enrolment": ("哪一项", "Which enrolment"),
    "what": ("发生了什么", "What happened"),
    "occurred_on": ("日期", "Date"),
    "certificate": ("证书名称（取得证书时填写）", "Certificate (when one was awarded)"),
    "note": ("备注", "Note"),
    "record_step": ("登记创业扶持事项", "Record an entrepreneurship step"),
    "save": ("保存", "Save"),
    "csrf": ("页面已过期，请返回刷新后再试。", "This page has expired; go back, reload it and try again."),
    "bad_programme_id": ("技能培训和创业培训要选一个培训项目；见习不选培训项目。",
                         "Skills and entrepreneurship training need a programme; an internship has none."),
    "bad_vacancy_id": ("见习和定向培训要选一个标明为见习或定向培训的岗位；培训项目不选岗位。",
                       "An internship or directed training needs a place flagged as such; a course has none."),
    "bad_started_on": ("开始日期请写成 2026-03-01 这样，最多可以提前一年登记。",
                       "Write the start date like 2026-03-01; it can be at most a year ahead."),
    "bad_occurred_on": ("日期请写成 2026-03-01 这样，不能晚于今天，也不能早于开始日期。",
                        "Write the date like 2026-03-01; it cannot be after today or before the start."),
    "bad_kind": ("这一项不能登记这种进展，或者与已登记的进展冲突。",
                 "This cannot be recorded on that enrolment, or it contradicts what is already recorded."),
    "bad_certificate": ("取得证书时要填写证书名称，其他进展不填证书。",
                        "Name the certificate when one was awarded; leave it empty otherwise."),
    "bad_step": ("贷款结果要在登记贷款申请之后才能登记。", "Record the loan application before its decision."),
    "duplicate": ("这条记录已经登记过了。", "This is already recorded."),
}


def texts(lang: str) -> dict[str, str]:
    return {key: pick(pair, lang) for key, pair in TEXTS.items()}


def _label(table: str, code: str | None, lang: str) -> str:
    return "" if code is None else LABELS[table].get(code, {}).get(lang, code)


def training_part(db: Session, organisation_id: str, person_id: str, lang: str) -> dict:
    """The context ``c_training_part.html`` needs, as ``{"training": …}``: the person's effective
    enrolments on training, internships and directed training, the entrepreneurship track, and the texts
    and labels in ``lang``. Include it with ``{% include "c_training_part.html" %}`` after merging this
    into the page's context."""
    enrolments = person_enrolments(db, organisation_id, person_id,
                                   [k for k in EnrolmentKind if k is not EnrolmentKind.entrepreneurship_training])
    return {"training": {"person_id": person_id, "enrolments": enrolments,
                         "entrepreneurship": track(db, organisation_id, person_id),
                         "h": texts(lang), "hlabel": lambda table, code: _label(table, code, lang)}}


_FIELD_TEXTS = {"programme_id": "bad_programme_id", "vacancy_id": "bad_vacancy_id", "started_on": "bad_started_on",
                "occurred_on": "bad_occurred_on", "kind": "bad_kind", "certificate": "bad_certificate",
                "step": "bad_step"}


def _message(exc: ValidationError | Problem, lang: str) -> str:
    """The page's own words for what the model or the service refused (the API's texts are English)."""
    field, status = refused_field(exc)
    if status == 409 and field == "started_on":
        return texts(lang)["duplicate"]
    key = _FIELD_TEXTS.get(field)
    return texts(lang)[key] if key else (exc.detail if isinstance(exc, Problem) else str(exc))


def _form_value(form, name: str) -> str | None:
    return str(form.get(name) or "").strip() or None


def _page(request: Request, db: Session, principal, person_id: str, status_code: int = 200,
          error: str | None = None) -> HTMLResponse:
    lang = page_lang(request)
    try:
        person = load_owned_person(db, principal.organisation_id, person_id)
    except Problem:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    context = training_part(db, principal.organisation_id, person.id, lang)
    audit.record(db, request, principal, "enrolment", "list", person.id,
                 detail={"ids": [e.id for e in context["training"]["enrolments"]]})
    audit.record(db, request, principal, "entrepreneurship", "read", person.id)
    db.commit()
    programmes, places = enrolment_service.enrolment_choices(db, principal.organisation_id)
    open_enrolments = context["training"]["enrolments"] + context["training"]["entrepreneurship"].trainings
    context["training"]["on_its_page"] = True
    return render(request, "c_training.html", {
        **context, "person": person, "programmes": programmes, "places": places, "error": error,
        "open_enrolments": open_enrolments, "kinds": list(EnrolmentKind), "event_kinds": list(EnrolmentEventKind),
        "steps": list(EntrepreneurshipStepKind), "today": local_today(request.app.state.settings.timezone)},
        status_code, principal, db)


@router.get("/people/{person_id}/training", response_class=HTMLResponse)
def training_page(person_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> HTMLResponse:
    return _page(request, db, principal, person_id)


async def _checked(request: Request):
    form = await request.form()
    return form if csrf_ok(request, form.get("csrf")) else None


def _expired(request: Request, db: Session, principal) -> Response:
    return render(request, "c_message.html", {"message_text": texts(page_lang(request))["csrf"]}, 403, principal, db)


def _refused(request: Request, db: Session, principal, person_id: str, exc: ValidationError | Problem) -> Response:
    db.rollback()
    if isinstance(exc, Problem) and exc.status in (404, 410):
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    return _page(request, db, principal, person_id, 409 if isinstance(exc, Problem) and exc.status == 409 else 422,
                 _message(exc, page_lang(request)))


@router.post("/people/{person_id}/training/enrol", response_class=HTMLResponse)
async def enrol(person_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await _checked(request)
    if form is None:
        return _expired(request, db, principal)
    today = local_today(request.app.state.settings.timezone)
    try:
        body = EnrolmentIn.model_validate({"person_id": person_id, **{
            k: _form_value(form, k) for k in ("kind", "programme_id", "vacancy_id", "started_on", "note")}})
        row = enrolment_service.create_enrolment(db, principal.organisation_id, principal.key_id, body, today)
    except (ValidationError, Problem) as exc:
        return _refused(request, db, principal, person_id, exc)
    audit.record(db, request, principal, "enrolment", "create", row.id, detail={"person_id": row.person_id})
    db.commit()
    return RedirectResponse(f"/c/people/{person_id}/training", status_code=303)


@router.post("/people/{person_id}/training/events", response_class=HTMLResponse)
async def record_event(person_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await _checked(request)
    if form is None:
        return _expired(request, db, principal)
    today = local_today(request.app.state.settings.timezone)
    enrolment_id = _form_value(form, "enrolment_id") or ""
    try:
        enrolment = enrolment_service.load_enrolment(db, principal.organisation_id, enrolment_id)
        if enrolment.person_id != person_id:
            raise Problem(404, "Not found")
        body = EnrolmentEventIn.model_validate({k: _form_value(form, k)
                                                for k in ("kind", "occurred_on", "certificate", "note")})
        event, change = enrolment_service.add_event(db, principal.organisation_id, principal.key_id, enrolment_id,
                                                    body, today)
    except (ValidationError, Problem) as exc:
        return _refused(request, db, principal, person_id, exc)
    audit.record(db, request, principal, "enrolment_event", "create", event.id,
                 detail={"enrolment_id": event.enrolment_id, "kind": event.kind})
    if change.added:
        audit.record(db, request, principal, "person", "certificate_added", person_id,
                     detail={"certificate": change.added, "event_id": event.id})
    db.commit()
    return RedirectResponse(f"/c/people/{person_id}/training", status_code=303)


@router.post("/people/{person_id}/training/steps", response_class=HTMLResponse)
async def record_step(person_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await _checked(request)
    if form is None:
        return _expired(request, db, principal)
    today = local_today(request.app.state.settings.timezone)
    try:
        body = EntrepreneurshipStepIn.model_validate({k: _form_value(form, k) for k in ("step", "occurred_on", "note")})
        row = entrepreneurship.record_step(db, principal.organisation_id, principal.key_id, person_id, body, today)
    except (ValidationError, Problem) as exc:
        return _refused(request, db, principal, person_id, exc)
    audit.record(db, request, principal, "entrepreneurship_step", "create", row.id,
                 detail={"person_id": person_id, "step": row.step})
    db.commit()
    return RedirectResponse(f"/c/people/{person_id}/training", status_code=303)
