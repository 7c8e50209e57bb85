"""Starting an assessment and handing its link over, without surprises on refresh.

POST → redirect → GET: starting writes the session and redirects to ``/c/assessments/{id}/link``, so
reloading that page shows the same link again instead of opening a second assessment. The token exists
only in this browser's signed session cookie (the database keeps its hash), for the last assessment
started or reissued here; elsewhere the link page offers a new link (the old one stops working).
When the person already has an open assessment, starting asks first: continue it, or start another.
An open assessment can be cancelled with a reason. Links expire ``PATHFIT_LINK_EXPIRY_DAYS`` after
they are issued (``api.services.assessments.link_expires_at``).
"""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import audit
from api.adapters.field_errors import describe_assessment_problem
from api.deps import Principal, SessionDep
from api.pages.i18n import LANGS
from api.pages.web import Counsellor, csrf_ok, page_person, render
from api.services.assessments import (
    AssessmentError,
    cancel_session,
    create_session,
    link_expired,
    link_expires_at,
    open_sessions,
    reissue_token,
    utcnow,
)
from api.tenancy import owned
from instruments.registry import load_batteries
from models.tables import AssessmentSession, Person

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
HANDOVER = "handover"  # session key: {"id": assessment id, "token": the link's token}


def _not_found(request: Request, principal: Principal, db) -> HTMLResponse:
    return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)


async def _form(request: Request, principal: Principal, db):
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return None, render(request, "c_message.html", {"message_key": "csrf"}, 403, principal, db)
    return form, None


async def _open_assessment_form(assessment_id: str, request: Request, principal: Principal, db):
    """The checked form and the organisation's open assessment, or the page that refuses: CSRF 403,
    unknown 404, or back to the assessment when it is no longer open."""
    form, refused = await _form(request, principal, db)
    if refused:
        return None, None, refused
    row = owned(db, principal.organisation_id, AssessmentSession, assessment_id)
    if row is None:
        return None, None, _not_found(request, principal, db)
    if row.status != "open":
        return None, None, RedirectResponse(f"/c/assessments/{row.id}", status_code=303)
    return form, row, None


def take_url(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + f"/t/{token}"


@router.post("/people/{person_id}/assessments", response_class=HTMLResponse)
async def start_assessment(person_id: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form, refused = await _form(request, principal, db)
    if refused:
        return refused
    person, refusal = page_person(request, db, principal, person_id)
    if refusal is not None:
        return refusal
    lang = form.get("lang") if form.get("lang") in LANGS else "zh-CN"
    mode = "paper" if form.get("mode") == "paper" else "online"
    battery = str(form.get("battery", ""))
    already = open_sessions(db, person)
    if already and form.get("another") != "1":
        return render(request, "c_open_exists.html", {"person": person, "open": already, "batteries": load_batteries(),
                                                      "choice": {"battery": battery, "lang": lang, "mode": mode}},
                      409, principal, db)
    try:
        row, token = create_session(db, person, battery, lang, mode, principal.key_id)
    except AssessmentError as error:
        db.rollback()
        lang = request.session.get("lang") or "zh-CN"
        text = "；".join(dict.fromkeys(describe_assessment_problem(f, lang) for f, _ in error.problems))
        return render(request, "c_message.html", {"message_text": text},
                      422, principal, db)
    audit.record(db, request, principal, "assessment", "create", row.id)
    db.commit()
    request.session[HANDOVER] = {"id": row.id, "token": token}
    return RedirectResponse(f"/c/assessments/{row.id}/link", status_code=303)


@router.get("/assessments/{assessment_id}/link", response_class=HTMLResponse)
def link_page(assessment_id: str, request: Request, db: SessionDep, principal: Counsellor) -> HTMLResponse:
    """The link and QR code of an assessment started (or reissued) in this browser; reloading is safe."""
    from api.pages.counsellor import (  # the shared progress table and QR helper
        _part_rows,
        qr_svg,
    )

    row = owned(db, principal.organisation_id, AssessmentSession, assessment_id)
    if row is None:
        return _not_found(request, principal, db)
    held = request.session.get(HANDOVER) or {}
    usable = row.status == "open" and not link_expired(row, utcnow())
    url = take_url(request, held["token"]) if held.get("id") == row.id and usable else None
    audit.record(db, request, principal, "assessment", "read", row.id)
    db.commit()
    context = {"row": row, "person": db.get(Person, row.person_id), "url": url,
               "qr": qr_svg(url) if url and row.mode == "online" else None, "expires_at": link_expires_at(row),
               "parts": _part_rows(db, row, request.session.get("lang") or "zh-CN")}
    return render(request, "c_started.html", context, principal=principal, db=db)


@router.post("/assessments/{assessment_id}/reissue")
async def reissue(assessment_id: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    """A new link for an open assessment (the old one stops working), shown on the link page."""
    form, row, refused = await _open_assessment_form(assessment_id, request, principal, db)
    if refused:
        return refused
    token = reissue_token(row, utcnow())
    audit.record(db, request, principal, "assessment", "reissue_link", row.id)
    db.commit()
    request.session[HANDOVER] = {"id": row.id, "token": token}
    return RedirectResponse(f"/c/assessments/{row.id}/link", status_code=303)


@router.post("/assessments/{assessment_id}/cancel")
async def cancel(assessment_id: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    """Cancel an open assessment with a reason (1–200 characters); nothing is scored, the link dies."""
    form, row, refused = await _open_assessment_form(assessment_id, request, principal, db)
    if refused:
        return refused
    try:
        cancel_session(row, str(form.get("reason", "")), utcnow())
    except AssessmentError:
        db.rollback()
        return RedirectResponse(f"/c/assessments/{row.id}?m=cancel_reason_needed", status_code=303)
    audit.record(db, request, principal, "assessment", "cancel", row.id)
    db.commit()
    if (request.session.get(HANDOVER) or {}).get("id") == row.id:
        request.session.pop(HANDOVER, None)
    return RedirectResponse(f"/c/assessments/{row.id}?m=cancelled_msg", status_code=303)
