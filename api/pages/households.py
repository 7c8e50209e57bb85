"""Counsellor pages for households (一家一册): the list with the zero-employment families first in view, one
household with its members, status and history, and the forms to record a household, add a member and
record that a member left.

Thin like the API routes: every page calls api/services/households.py and writes the same audit rows;
every POST carries the session's CSRF token; another organisation's household is a 404.
"""
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api import audit
from api.deps import SessionDep
from api.errors import Problem
from api.labels import pick
from api.pages.web import Counsellor, csrf_ok, page_lang, render
from api.services import households as service
from api.services.people import find_by_external_id
from models.household import LABELS as HOUSEHOLD_LABELS
from models.household import HouseholdIn, HouseholdMemberIn, HouseholdStatusCode, Relation

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
PAGE_SIZE = 50
RowId = Annotated[str, Path(min_length=1, max_length=40)]

TEXTS = {
    "households": ("家庭台账", "Households"),
    "household": ("家庭", "Household"),
    "all": ("全部", "All"),
    "household_no": ("户编号", "Household number"),
    "district": ("所在区", "District"),
    "status": ("就业状况", "Employment status"),
    "since": ("自", "Since"),
    "members": ("成员数", "Members"),
    "no_households": ("还没有家庭记录。", "No households recorded yet."),
    "new_household": ("新建家庭", "New household"),
    "create": ("保存", "Save"),
    "person_no": ("成员的人员编号", "Member's case number"),
    "relation": ("与户主关系", "Relation to the head"),
    "joined_on": ("加入日期（不填为今天）", "Joined on (empty: today)"),
    "left_on": ("离开日期（不填为今天）", "Left on (empty: today)"),
    "add_member": ("添加成员", "Add a member"),
    "leave": ("登记离开", "Record as left"),
    "name": ("姓名", "Name"),
    "working_age": ("法定劳动年龄内", "Of working age"),
    "in_work": ("在岗", "In work"),
    "stable": ("稳定就业", "Stable work"),
    "left": ("已离开", "Left"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    "history": ("状况变化", "Status history"),
    "people_in_work": ("在岗成员", "Members in work"),
    "working_age_note": ("“法定劳动年龄”只用于认定零就业家庭，不用于任何筛选或排序。",
                         "Working age is used only to tell whether this is a zero-employment family, never to "
                         "filter or rank anyone."),
    "unknown_person": ("没有这个人员编号，请先登记此人。", "No one has this case number; register the person first."),
    "rows_of": ("第 {a}–{b} 户，共 {n} 户", "Households {a}–{b} of {n}"),
    "prev_page": ("上一页", "Previous"),
    "next_page": ("下一页", "Next"),
    "csrf": ("页面已过期，请返回刷新后再试。", "This page has expired; go back, reload it and try again."),
    "bad_date": ("日期请写成 2026-03-01 这样。", "Write the date like 2026-03-01."),
    "bad_household_no": ("户编号只能用字母、数字和 . _ : -，最多 64 个字符。",
                         "A household number may use letters, digits and . _ : - only, up to 64 characters."),
    "duplicate_household_no": ("这个户编号已经登记过了，请到该家庭页面添加成员。",
                               "This household number is already recorded; add members on that household's page."),
    "bad_district": ("请填写所在区（最多 100 个字）。", "Fill in the district (up to 100 characters)."),
    "bad_relation": ("请从列表中选择与户主关系。", "Choose the relation from the list."),
    "bad_joined_on": ("加入日期不能晚于今天，也不能早于此人离开上一个家庭的日期。",
                      "The joining date cannot be after today, nor before the person left their previous household."),
    "bad_left_on": ("离开日期要晚于加入日期，并且不能晚于今天。",
                    "The leaving date must be after the joining date and not after today."),
    "already_member": ("此人已是某个家庭的成员。一个人只能属于一个家庭，请先在原家庭登记离开。",
                       "This person already belongs to a household. A person can be in one household only: record "
                       "them as left there first."),
}


def texts(lang: str) -> dict[str, str]:
    """This module's page texts in ``lang``."""
    return {key: pick(pair, lang) for key, pair in TEXTS.items()}


def _label(table: str, code: str | None, lang: str) -> str:
    if code is None:
        return ""
    return HOUSEHOLD_LABELS[table].get(code, {}).get(lang, code)


def _context(lang: str, **values) -> dict:
    return {"h": texts(lang), "hlabel": lambda table, code: _label(table, code, lang), **values}


def _csrf_failed(request: Request, principal, db) -> HTMLResponse:
    return render(request, "c_message.html", {"message_text": texts(page_lang(request))["csrf"]}, 403, principal, db)


@router.get("/households", response_class=HTMLResponse)
def households(request: Request, db: SessionDep, principal: Counsellor,
               status: HouseholdStatusCode | None = None,
               page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    """The organisation's households with today's status, 50 a page; ``status`` narrows to one status."""
    when = service.StatusRules.from_settings(request.app.state.settings)
    rows, total = service.list_households(db, principal.organisation_id, when, PAGE_SIZE, (page - 1) * PAGE_SIZE,
                                          status=status)
    audit.record_list(db, request, principal, "household", [h.id for h in rows])
    db.commit()
    lang = page_lang(request)
    return render(request, "c_households.html", _context(
        lang, households=rows, status=status.value if status else None, statuses=list(HouseholdStatusCode),
        page=page, last=max(1, -(-total // PAGE_SIZE)), total=total, first_row=(page - 1) * PAGE_SIZE + 1,
        last_row=(page - 1) * PAGE_SIZE + len(rows), relations=list(Relation), errors={}, values={}),
        principal=principal, db=db)


_FIELD_TEXTS = {"external_id": "bad_household_no", "district": "bad_district", "relation": "bad_relation",
                "joined_on": "bad_joined_on", "left_on": "bad_left_on", "person_id": "already_member"}


def _message(exc: ValidationError | Problem, lang: str) -> str:
    """The page's own words for what the service or the model refused (the API's texts are English)."""
    if isinstance(exc, ValidationError):
        field = str(exc.errors()[0]["loc"][-1]) if exc.errors() and exc.errors()[0]["loc"] else ""
    else:
        field = exc.errors[0]["field"].rsplit(".", 1)[-1] if exc.errors else ""
    key = _FIELD_TEXTS.get(field)
    if field == "external_id" and isinstance(exc, Problem) and exc.status == 409:
        key = "duplicate_household_no"
    return texts(lang)[key] if key else (exc.detail if isinstance(exc, Problem) else str(exc))


@router.post("/households", response_class=HTMLResponse)
async def create_household(request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return _csrf_failed(request, principal, db)
    lang = page_lang(request)
    values = {k: str(form.get(k) or "").strip() for k in ("external_id", "district")}
    when = service.StatusRules.from_settings(request.app.state.settings)
    try:
        body = HouseholdIn.model_validate({"external_id": values["external_id"] or None,
                                           "district": values["district"]})
        household = service.create_household(db, principal.organisation_id, principal.key_id, body, when.today)
    except (ValidationError, Problem) as exc:
        db.rollback()
        message = _message(exc, lang)
        rows, total = service.list_households(db, principal.organisation_id, when, PAGE_SIZE, 0)
        return render(request, "c_households.html", _context(
            lang, households=rows, status=None, statuses=list(HouseholdStatusCode), page=1,
            last=max(1, -(-total // PAGE_SIZE)), total=total, first_row=1, last_row=len(rows),
            relations=list(Relation), errors={"create": message}, values=values), 422, principal, db)
    audit.record(db, request, principal, "household", "create", household.id, detail={"members": []})
    db.commit()
    return RedirectResponse(f"/c/households/{household.id}", status_code=303)


def _detail(request: Request, db: Session, principal, household_id: str, status_code: int = 200,
            error: str | None = None, values: dict | None = None) -> HTMLResponse:
    lang = page_lang(request)
    try:
        household = service.load_household(db, principal.organisation_id, household_id)
    except Problem:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    out = service.household_out(db, household, service.StatusRules.from_settings(request.app.state.settings))
    audit.record(db, request, principal, "household", "read", household.id,
                 detail={"members": [p.person_id for p in out.people]})
    db.commit()
    names = {p.person_id: p.name or p.external_id or p.person_id for p in out.people}
    return render(request, "c_household.html", _context(
        lang, household=out, names=names, relations=list(Relation), error=error, values=values or {}),
        status_code, principal, db)


@router.get("/households/{household_id}", response_class=HTMLResponse)
def household(household_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> HTMLResponse:
    return _detail(request, db, principal, household_id)


@router.post("/households/{household_id}/members", response_class=HTMLResponse)
async def add_member(household_id: RowId, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return _csrf_failed(request, principal, db)
    lang = page_lang(request)
    values = {k: str(form.get(k) or "").strip() for k in ("person_no", "relation", "joined_on")}
    person = find_by_external_id(db, principal.organisation_id, values["person_no"])
    if person is None:
        return _detail(request, db, principal, household_id, 422, texts(lang)["unknown_person"], values)
    when = service.StatusRules.from_settings(request.app.state.settings)
    try:
        body = HouseholdMemberIn.model_validate({"person_id": person.id, "relation": values["relation"] or None,
                                                 "joined_on": values["joined_on"] or None})
        service.add_member(db, principal.organisation_id, principal.key_id, household_id, body, when.today)
    except (ValidationError, Problem) as exc:
        db.rollback()
        if isinstance(exc, Problem) and exc.status == 404:
            return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
        message = _message(exc, lang)
        return _detail(request, db, principal, household_id, 422, message, values)
    audit.record(db, request, principal, "household", "add_member", household_id, detail={"person_id": person.id})
    db.commit()
    return RedirectResponse(f"/c/households/{household_id}", status_code=303)


@router.post("/households/{household_id}/members/{person_id}/leave", response_class=HTMLResponse)
async def member_left(household_id: RowId, person_id: RowId, request: Request, db: SessionDep,
                      principal: Counsellor) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return _csrf_failed(request, principal, db)
    when = service.StatusRules.from_settings(request.app.state.settings)
    left_on = str(form.get("left_on") or "").strip() or None
    try:
        member = service.remove_member(db, principal.organisation_id, household_id, person_id,
                                       date.fromisoformat(left_on) if left_on else None, when.today)
    except ValueError:
        return _detail(request, db, principal, household_id, 422, texts(page_lang(request))["bad_date"])
    except Problem as exc:
        db.rollback()
        if exc.status == 404:
            return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
        return _detail(request, db, principal, household_id, exc.status, _message(exc, page_lang(request)))
    audit.record(db, request, principal, "household", "remove_member", household_id,
                 detail={"person_id": member.person_id, "left_on": member.left_on.isoformat()})
    db.commit()
    return RedirectResponse(f"/c/households/{household_id}", status_code=303)

