"""What every page route shares: templates, the signed session, the signed-in counsellor, CSRF tokens.

The session cookie (Starlette's ``SessionMiddleware``, signed with ``PATHFIT_SECRET_KEY``, HttpOnly,
SameSite=Lax) holds a random session id whose digest is kept on the server (``api.pages.sessions``), never
a key; every request re-reads the session and the key, so signing out or revoking the key ends it at once.
"""
import hmac
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from api.deps import Principal, SessionDep, key_for, load_owned_person
from api.errors import Problem
from api.labels import label
from api.pages import sessions
from api.pages.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, t
from api.timefmt import local_time
from models.enums import Role
from models.tables import Organisation, Person

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
TEMPLATES.env.filters["localtime"] = local_time  # stored UTC, shown in the centre's zone with its name
PAGE_ROLES = (Role.admin, Role.counsellor)
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class SignInRequired(Exception):
    """Raised by ``counsellor``; answered with a redirect to the sign-in page (see ``install_pages``)."""

    def __init__(self, next_path: str, message: str | None = None):
        super().__init__(next_path)
        self.next_path, self.message = next_path, message


def page_lang(request: Request) -> str:
    lang = request.session.get("lang") if "session" in request.scope else None
    return lang if lang in LANGS else DEFAULT_LANG


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); every counsellor form posts it back."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


def csrf_ok(request: Request, presented: object) -> bool:
    expected = request.session.get("csrf")
    return bool(expected) and isinstance(presented, str) and hmac.compare_digest(expected, presented)


def key_principal(db, presented: str) -> tuple[Principal | None, str | None]:
    """(principal, None) for a valid, unrevoked page-role key; (None, text key of the reason) otherwise.

    The same checks as ``api.deps.get_principal``, which reads the key from headers instead of a form.
    """
    key = key_for(db, presented)
    if key is None or key.revoked_at is not None:
        return None, "bad_key"
    if Role(key.role) not in PAGE_ROLES:
        return None, "role_not_allowed"
    return Principal(key.id, key.organisation_id, Role(key.role)), None


def counsellor(request: Request, db: SessionDep) -> Principal:
    """The signed-in counsellor; re-checks the session and the key on every request."""
    principal = sessions.current(db, request, PAGE_ROLES)
    if principal is None:
        next_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        had_session = bool(request.session.get("sid"))
        request.session.pop("sid", None)
        raise SignInRequired(next_path, "session_expired" if had_session else None)
    request.state.principal = principal
    return principal


Counsellor = Annotated[Principal, Depends(counsellor)]


def render(request: Request, template: str, context: dict | None = None, status_code: int = 200,
           principal: Principal | None = None, db=None):
    """Render a counsellor page with the shared context (language, texts, CSRF token, organisation)."""
    lang = page_lang(request)
    organisation = db.get(Organisation, principal.organisation_id) if principal is not None and db is not None else None
    base = {"lang": lang, "t": lambda key, **kw: t(key, lang, **kw), "label": lambda table, code: label(table, code, lang),
            "csrf": csrf_token(request), "principal": principal, "organisation": organisation,
            "other_lang": "en" if lang == "zh-CN" else "zh-CN", "lang_names": LANG_NAMES,
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else "")}
    response = TEMPLATES.TemplateResponse(request, template, {**base, **(context or {})}, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def page_person(request: Request, db, principal: Principal, person_id: str) -> tuple[Person | None, Response | None]:
    """``(person, None)`` for the organisation's person, else ``(None, page)``: the page every counsellor
    page shows instead — "not found" (404) for none or another organisation's, the one erased message
    (410) for an erased person, as the API answers (``api.deps.load_owned_person``)."""
    try:
        return load_owned_person(db, principal.organisation_id, person_id), None
    except Problem as problem:
        key = "erased" if problem.status == 410 else "not_found"
        return None, render(request, "c_message.html", {"message_key": key}, problem.status, principal, db)
