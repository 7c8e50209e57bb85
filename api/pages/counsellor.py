"""The counsellor's pages, ``/c/…``: sign in with an API key, find or register a person, start an
assessment and hand over its link (QR code), watch progress, enter paper sheets, finish, open the report,
see ranked vacancies and programmes.

Thin, like the API routes: every page calls the same service functions (``api.services.people``,
``api.services.assessments``, ``api.services.results``, ``api.services.matching``, ``api.services.reports``) and writes the same
audit rows. Another organisation's person, assessment or result is a 404. Every POST carries the
session's CSRF token.
"""
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

import segno
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from api import audit
from api.adapters.field_errors import describe_assessment_problem
from api.deps import Principal, SessionDep
from api.labels import label
from api.pages import sessions
from api.pages.i18n import LANGS
from api.pages.web import Counsellor, csrf_ok, csrf_token, key_principal, page_person, render
from api.services.assessments import (
    AssessmentError,
    assessments_of,
    link_expires_at,
    part_states,
    progress,
    save_paper_sheet,
    utcnow,
)
from api.services.matching import NothingToRankOn, match_person
from api.services.results import CompletionRefused, complete_assessment, latest_result_id, results_of
from api.tenancy import owned
from instruments.registry import load_all, load_batteries
from instruments.registry_public import public_view
from models.match import MatchRequest, Ranking
from models.tables import AssessmentResult, AssessmentSession, Person

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------


def _safe_next(value: str | None) -> str:
    """Only same-site paths under /c/ (no open redirect)."""
    if value and value.startswith("/c/") and not value.startswith("//") and not urlsplit(value).netloc:
        return value
    return "/c/people"


def _not_found(request: Request, principal: Principal, db) -> HTMLResponse:
    return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)


def _assessment(db, principal: Principal, assessment_id: str) -> AssessmentSession | None:
    return owned(db, principal.organisation_id, AssessmentSession, assessment_id)


async def _checked_form(request: Request):
    """The posted form, or None when its CSRF token does not match the session's."""
    form = await request.form()
    return form if csrf_ok(request, form.get("csrf")) else None


def _csrf_failed(request: Request, principal: Principal | None, db) -> HTMLResponse:
    return render(request, "c_message.html", {"message_key": "csrf"}, 403, principal, db)


def _titles(lang: str) -> dict[str, str]:
    return {iid: public_view(inst, lang).title for iid, inst in load_all().items()}


def _part_rows(db, row: AssessmentSession, lang: str) -> list[dict]:
    titles = _titles(lang)
    return [{**p.model_dump(), "title": titles.get(p.instrument_id, p.instrument_id)}
            for p in progress(part_states(db, row, utcnow()))]


# ------------------------------------------------------------------------------------------------
# signing in and out, language
# ------------------------------------------------------------------------------------------------


@router.get("", include_in_schema=False)
@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    return RedirectResponse("/c/people", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None, m: str | None = None) -> HTMLResponse:
    message = m if m in {"session_expired", "signed_out"} else None
    return render(request, "c_login.html", {"next": _safe_next(next), "message_key": message})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, db: SessionDep) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return render(request, "c_login.html", {"next": _safe_next(form.get("next")), "message_key": "csrf"}, 403)
    principal, problem = key_principal(db, str(form.get("key", "")))
    if principal is None:
        audit.record(db, request, None, "session", "sign_in_failed", detail={"reason": problem})
        db.commit()
        return render(request, "c_login.html", {"next": _safe_next(form.get("next")), "message_key": problem,
                                                "error": True}, 401)
    sessions.start(db, request, principal)
    csrf_token(request)
    audit.record(db, request, principal, "session", "sign_in", principal.key_id)
    db.commit()
    return RedirectResponse(_safe_next(form.get("next")), status_code=303)


@router.post("/logout")
async def logout(request: Request, db: SessionDep) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return _csrf_failed(request, None, db)
    sessions.end(db, request)
    db.commit()
    return RedirectResponse("/c/login?m=signed_out", status_code=303)


@router.get("/lang/{lang}")
def switch_language(lang: str, request: Request, next: str | None = None) -> RedirectResponse:
    """A display preference only (it changes no data), so a plain link can set it."""
    if lang in LANGS:
        request.session["lang"] = lang
    target = next if next == "/c/login" else _safe_next(next)
    return RedirectResponse(target, status_code=303)


# ------------------------------------------------------------------------------------------------
# people
# ------------------------------------------------------------------------------------------------


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(person_id: str, request: Request, db: SessionDep, principal: Counsellor,
                m: str | None = None) -> HTMLResponse:
    person, refusal = page_person(request, db, principal, person_id)
    if refusal is not None:
        return refusal
    lang = request.session.get("lang") or "zh-CN"
    sessions = assessments_of(db, person)
    titles = _titles(lang if lang in LANGS else "zh-CN")
    assessments = [{"row": s, "progress": progress(part_states(db, s, utcnow())), "result_id": latest_result_id(db, s)}
                   for s in sessions]
    results = results_of(db, person)
    audit.record(db, request, principal, "person", "read", person.id)
    audit.record(db, request, principal, "assessment", "list", person.id)
    audit.record(db, request, principal, "result", "list", person.id)
    db.commit()
    batteries = load_batteries()
    return render(request, "c_person.html", {"person": person, "assessments": assessments, "results": results,
                                             "batteries": batteries, "titles": titles,
                                             "message_key": m if m == "saved" else None}, principal=principal, db=db)


# ------------------------------------------------------------------------------------------------
# assessments
# ------------------------------------------------------------------------------------------------


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (error correction M, dark modules on white)."""
    return segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", border=4)


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
def assessment_page(assessment_id: str, request: Request, db: SessionDep, principal: Counsellor,
                    m: str | None = None) -> HTMLResponse:
    row = _assessment(db, principal, assessment_id)
    if row is None:
        return _not_found(request, principal, db)
    lang = request.session.get("lang") or "zh-CN"
    parts = _part_rows(db, row, lang)
    audit.record(db, request, principal, "assessment", "read", row.id)
    db.commit()
    message = m if m in {"paper_saved", "completed_msg", "nothing_answered", "cancelled_msg",
                         "cancel_reason_needed"} else None
    return render(request, "c_assessment.html", {"row": row, "parts": parts, "person": db.get(Person, row.person_id),
                                                 "result_id": latest_result_id(db, row), "message_key": message,
                                                 "expires_at": link_expires_at(row)},
                  principal=principal, db=db)


@router.get("/assessments/{assessment_id}/progress")
def assessment_progress(assessment_id: str, request: Request, db: SessionDep, principal: Counsellor) -> JSONResponse:
    """What the progress page polls: status and per-part counts (audit-logged like every read)."""
    row = _assessment(db, principal, assessment_id)
    if row is None:
        return JSONResponse({"detail": "not found"}, status_code=404)
    parts = _part_rows(db, row, request.session.get("lang") or "zh-CN")
    audit.record(db, request, principal, "assessment", "read", row.id)
    db.commit()
    return JSONResponse({"status": row.status, "result_id": latest_result_id(db, row),
                         "parts": [{k: p[k] for k in ("instrument_id", "answered", "planned", "finished")} for p in parts]},
                        headers={"Cache-Control": "no-store"})


@router.post("/assessments/{assessment_id}/complete")
async def finish_assessment(assessment_id: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await _checked_form(request)
    if form is None:
        return _csrf_failed(request, principal, db)
    row = _assessment(db, principal, assessment_id)
    if row is None:
        return _not_found(request, principal, db)
    try:
        complete_assessment(db, row, principal.key_id)
    except CompletionRefused as refused:
        message = "?m=nothing_answered" if refused.reason == "nothing_answered" else ""
        return RedirectResponse(f"/c/assessments/{row.id}{message}", status_code=303)
    audit.record(db, request, principal, "assessment", "complete", row.id)
    db.commit()
    return RedirectResponse(f"/c/assessments/{row.id}?m=completed_msg", status_code=303)


def _paper_context(db, row: AssessmentSession, instrument_id: str, lang: str) -> dict | None:
    states = part_states(db, row, utcnow())
    state = next((s for s in states if s.part.instrument_id == instrument_id), None)
    if state is None:
        return None
    view = public_view(load_all()[instrument_id], lang)
    by_id = {item.id: item for item in view.items}
    return {"part": state.part, "title": view.title, "items": [by_id[i] for i in state.part.item_ids if i in by_id],
            "given": {a.item_id: a.answer for a in state.answered}}


@router.get("/assessments/{assessment_id}/paper/{instrument_id}", response_class=HTMLResponse)
def paper_form(assessment_id: str, instrument_id: str, request: Request, db: SessionDep,
               principal: Counsellor) -> HTMLResponse:
    row = _assessment(db, principal, assessment_id)
    context = _paper_context(db, row, instrument_id, request.session.get("lang") or "zh-CN") if row else None
    if context is None:
        return _not_found(request, principal, db)
    audit.record(db, request, principal, "assessment", "read", row.id)
    db.commit()
    return render(request, "c_paper.html", {"row": row, **context, "errors": {}}, principal=principal, db=db)


@router.post("/assessments/{assessment_id}/paper/{instrument_id}", response_class=HTMLResponse)
async def paper_enter(assessment_id: str, instrument_id: str, request: Request, db: SessionDep,
                      principal: Counsellor) -> Response:
    form = await _checked_form(request)
    if form is None:
        return _csrf_failed(request, principal, db)
    row = _assessment(db, principal, assessment_id)
    lang = request.session.get("lang") or "zh-CN"
    context = _paper_context(db, row, instrument_id, lang) if row else None
    if context is None:
        return _not_found(request, principal, db)
    responses = {key[5:]: str(value) for key, value in form.items() if key.startswith("item:") and str(value)}
    problems: dict[str, str] = {}
    if row.status != "open":
        problems["form"] = "completed"
    elif not responses:
        problems["form"] = "empty"
    else:
        try:
            save_paper_sheet(db, row, instrument_id, str(form.get("instrument_version", "")), responses, utcnow())
        except AssessmentError as error:
            db.rollback()
            problems = {field.removeprefix("responses."): describe_assessment_problem(field, lang)
                        for field, _ in error.problems}
    if problems:
        context["given"] = {**context["given"], **responses}
        return render(request, "c_paper.html", {"row": row, **context, "errors": problems}, 422, principal, db)
    audit.record(db, request, principal, "assessment", "paper_entry", row.id)
    db.commit()
    return RedirectResponse(f"/c/assessments/{row.id}?m=paper_saved", status_code=303)


# ------------------------------------------------------------------------------------------------
# reports and matches
# ------------------------------------------------------------------------------------------------


@router.get("/results/{result_id}/report")
def report(result_id: str, request: Request, db: SessionDep, principal: Counsellor,
           format: Annotated[str, Query(pattern="^(html|pdf)$")] = "html",
           lang: Annotated[str, Query(pattern="^(zh-CN|en)$")] = "zh-CN",
           audience: Annotated[str, Query(pattern="^(client|counsellor)$")] = "client") -> Response:
    """The report of ``GET /v1/results/{id}/report`` for a signed-in counsellor (same service, same audit)."""
    from api.services.reports import build_for_result  # the report engine's own module
    from api.services.reports import render as render_report

    result = owned(db, principal.organisation_id, AssessmentResult, result_id)
    if result is None:
        return _not_found(request, principal, db)
    person, refusal = page_person(request, db, principal, result.person_id)
    if refusal is not None:
        return refusal
    built = build_for_result(db, result, person, lang=lang, audience=audience,
                             vacancy_pools=request.app.state.vacancy_pools)
    rendered = render_report(built, format)
    audit.record(db, request, principal, "report", f"read:{format}:{audience}", result.id)
    db.commit()
    headers = {"Content-Language": lang, "Cache-Control": "no-store"}
    if format == "pdf":
        headers["Content-Disposition"] = f'inline; filename="{rendered.filename}"'
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)


def _reason_text(reason, lang: str) -> str:
    return reason.en if lang == "en" else reason.zh_CN


@dataclass(frozen=True)
class PageRankings:
    """What the match page and its export show: the result used, ranked vacancies and programmes (both
    None with ``not_enough`` set when the person has nothing to rank on)."""

    result_id: str | None
    vacancies: Ranking | None
    programmes: Ranking | None
    not_enough: NothingToRankOn | None = None
    vacancy_match_id: str | None = None  # the stored vacancy ranking, for the "推荐" buttons


def rankings(request: Request, db, principal: Principal, person: Person, k: int = 10) -> PageRankings:
    """Vacancies and programmes for the person's latest result, ranked by the use case of
    ``POST /v1/matches`` (same pool, programmes, title coding and default fit weights)."""
    ranked = []
    for kind in ("vacancies", "programmes"):
        try:
            ranked.append(match_person(db, principal.organisation_id, MatchRequest(person_id=person.id, kind=kind, k=k),
                                       pools=request.app.state.vacancy_pools, code_titles=request.app.state.title_coder,
                                       recorded_by=principal.key_id,
                                       settings=request.app.state.settings))
        except NothingToRankOn as problem:
            return PageRankings(None, None, None, problem)
    return PageRankings(ranked[0].result_id, ranked[0].ranking, ranked[1].ranking,
                        vacancy_match_id=ranked[0].match_id)


@router.get("/people/{person_id}/matches", response_class=HTMLResponse)
def matches(person_id: str, request: Request, db: SessionDep, principal: Counsellor) -> HTMLResponse:
    """Ranked vacancies and programmes for the person's latest result, as ``POST /v1/matches`` ranks them."""
    person, refusal = page_person(request, db, principal, person_id)
    if refusal is not None:
        return refusal
    lang = request.session.get("lang") if request.session.get("lang") in LANGS else "zh-CN"
    ranked = rankings(request, db, principal, person)
    audit.record(db, request, principal, "person", "match", person.id)
    db.commit()
    not_enough = ranked.not_enough and (ranked.not_enough.en if lang == "en" else ranked.not_enough.zh)
    return render(request, "c_matches.html", {
        "person": person, "result_id": ranked.result_id, "not_enough": not_enough,
        "rankings": [("vacancies", ranked.vacancies), ("programmes", ranked.programmes)],
        "match_id": ranked.vacancy_match_id,
        "reason_text": lambda r: _reason_text(r, lang),
        "component_label": lambda c: label("Component", c, lang),
        "reason_label": lambda c: label("Reason", c, lang)}, principal=principal, db=db)
