"""Counsellor page for the clarifying step of title coding: vacancies whose occupation code the coder
was unsure of, each with its top 3 candidates, and a form to pick one (or type another code).

A pick goes through ``api.services.title_choices.choose`` like the API: stored with the signed-in key, audit-logged,
and the title becomes the organisation's alias.
"""
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from api import audit
from api.deps import SessionDep
from api.pages.web import Counsellor, csrf_ok, page_lang, render
from api.services.title_choices import choice_entry, choose, vacancies_needing_choice
from api.tenancy import owned
from models.tables import Vacancy

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)

# The page's own texts (zh-CN, en), kept here so the page is one module with its template.
TEXTS = {
    "heading": ("待确认职业编码的岗位", "Vacancies waiting for an occupation code"),
    "intro": ("下列岗位按名称自动编码时把握不大。请在候选职业中选一个，或填写其他职业代码。选定后，"
              "本机构再有同名岗位时会直接采用您的选择。",
              "The title coder was unsure about these vacancies. Pick one of the suggested occupations or "
              "enter another code. Your organisation's next vacancy with the same title will use your choice."),
    "none": ("目前没有需要确认的岗位。", "No vacancy is waiting for a choice."),
    "employer": ("用人单位", "Employer"),
    "likely": ("可能性约 {p}%", "about {p}% likely"),
    "other": ("其他代码", "Another code"),
    "other_help": ("例如 4-02-06-02", "for example 4-02-06-02"),
    "save": ("确认", "Confirm"),
    "saved": ("已确认：{title} → {code}", "Saved: {title} → {code}"),
    "pick_one": ("请选一个候选职业或填写代码。", "Pick a suggested occupation or enter a code."),
    "bad_code": ("“{code}”不是 2022 版职业分类大典里的代码，请核对后重填。",
                 "“{code}” is not a code of the 2022 classification; check it and try again."),
    "expired": ("页面已过期，请刷新后重试。", "The page has expired; reload it and try again."),
}


def _text(key: str, lang: str, **values) -> str:
    zh, en = TEXTS[key]
    return (en if lang == "en" else zh).format(**values)


def _page(request: Request, db, principal, message: str | None = None, error: str | None = None, status: int = 200):
    lang = page_lang(request)
    rows = vacancies_needing_choice(db, principal.organisation_id, request.app.state.settings.title_choice_threshold)
    return render(request, "c_title_choices.html",
                  {"entries": [choice_entry(r) for r in rows], "tt": lambda key, **kw: _text(key, lang, **kw),
                   "flash": message or request.session.pop("flash_title_choice", None), "error": error},
                  status, principal, db)


@router.get("/vacancies/choices")
def choices_page(request: Request, db: SessionDep, principal: Counsellor):
    return _page(request, db, principal)


@router.post("/vacancies/{vacancy_id}/choice")
def choose_page(vacancy_id: str, request: Request, db: SessionDep, principal: Counsellor,
                csrf: Annotated[str, Form()] = "", code: Annotated[str, Form()] = "",
                other: Annotated[str, Form(max_length=16)] = ""):
    lang = page_lang(request)
    if not csrf_ok(request, csrf):
        return _page(request, db, principal, error=_text("expired", lang), status=403)
    row = owned(db, principal.organisation_id, Vacancy, vacancy_id)
    if row is None:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    chosen = other.strip() or code.strip()
    if not chosen:
        return _page(request, db, principal, error=_text("pick_one", lang), status=422)
    before = (row.occupation_code, row.occupation_code_confidence)
    try:
        alias = choose(db, row, chosen, principal.key_id)
    except ValueError:
        db.rollback()
        return _page(request, db, principal, error=_text("bad_code", lang, code=chosen), status=422)
    audit.record(db, request, principal, "vacancy", "choose_occupation", row.id,
                 detail={"code": chosen, "model_code": before[0], "model_confidence": before[1]})
    audit.record(db, request, principal, "organisation_title_alias", "upsert", alias.id,
                 detail={"title": alias.title_normalised, "code": alias.occupation_code})
    db.commit()
    request.session["flash_title_choice"] = _text("saved", lang, title=row.title, code=chosen)
    return RedirectResponse("/c/vacancies/choices", status_code=303)
