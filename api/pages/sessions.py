"""Counsellor sign-in sessions, kept on the server.

The browser's cookie (Starlette's signed ``SessionMiddleware`` cookie) carries a random 256-bit session id;
the database keeps only its SHA-256 (``page_sessions``) with the key, the organisation and an expiry. A
request is signed in only while that row exists, is unexpired and unrevoked, and its key is unrevoked, so
knowing a key id (it is in the logs) and even the signing secret is not enough to forge a session, and
signing out or revoking the key ends the session at once.

The signing secret is ``PATHFIT_SECRET_KEY``; ``pathfit serve`` makes and keeps one in the data directory
when none is set (``stored_secret``). Without one, and without ``PATHFIT_DEV``, the pages refuse to serve.
"""
import hashlib
import logging
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from fastapi import Request
from sqlalchemy.orm import Session

from api.deps import Principal
from api.settings import DEV_SECRET, Settings
from models.enums import Role
from models.tables import ApiKey, PageSession, utcnow

SESSION_COOKIE = "pathfit_session"
SESSION_MAX_AGE = 8 * 3600  # one working day, seconds
SECRET_FILE = "secret_key"
log = logging.getLogger("pathfit.pages")


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def configured_secret(settings: Settings) -> str | None:
    """The cookie-signing secret, or None when pages must not be served.

    A set ``PATHFIT_SECRET_KEY`` (not the old published default) is used; with ``PATHFIT_DEV`` on and no
    secret, a random one per process (sessions end when the server restarts)."""
    value = settings.secret_key.get_secret_value() if settings.secret_key is not None else ""
    if value and value != DEV_SECRET:
        return value
    if settings.dev:
        log.warning("PATHFIT_SECRET_KEY is not set; development mode signs sessions with a random secret")
        return secrets.token_urlsafe(32)
    return None


def stored_secret(data_dir: Path) -> str:
    """The secret kept in ``<data_dir>/secret_key`` (owner-only), made on first use; what ``pathfit serve``
    uses when ``PATHFIT_SECRET_KEY`` is not set, so a fresh install is safe and sessions survive restarts."""
    path = Path(data_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def start(db: Session, request: Request, principal: Principal, now: datetime | None = None) -> None:
    """Sign ``principal`` in: a new server-side session; the cookie keeps only its id and the language."""
    now = now or utcnow()
    session_id = secrets.token_urlsafe(32)
    db.add(PageSession(id=_digest(session_id), key_id=principal.key_id, organisation_id=principal.organisation_id,
                       created_at=now, expires_at=now + timedelta(seconds=SESSION_MAX_AGE)))
    lang = request.session.get("lang")
    request.session.clear()  # nothing carried over from before sign-in but the language
    request.session.update({"sid": session_id, "lang": lang})


def current(db: Session, request: Request, roles: tuple[Role, ...], now: datetime | None = None) -> Principal | None:
    """The signed-in principal, or None when the cookie names no live session of a live page-role key."""
    session_id = request.session.get("sid")
    row = db.get(PageSession, _digest(session_id)) if isinstance(session_id, str) and session_id else None
    if row is None or row.revoked_at is not None or row.expires_at <= (now or utcnow()):
        return None
    key = db.get(ApiKey, row.key_id)
    if key is None or key.revoked_at is not None or Role(key.role) not in roles \
            or key.organisation_id != row.organisation_id:
        return None
    return Principal(key.id, key.organisation_id, Role(key.role))


def end(db: Session, request: Request) -> None:
    """Sign out: revoke the server-side session (a copied cookie stops working too) and clear the cookie."""
    session_id = request.session.get("sid")
    row = db.get(PageSession, _digest(session_id)) if isinstance(session_id, str) and session_id else None
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    lang = request.session.get("lang")
    request.session.clear()
    request.session["lang"] = lang


class SecureCookieMiddleware:
    """Adds ``Secure`` to the session cookie: always when ``PATHFIT_COOKIE_SECURE`` is true, never when it
    is false, and when unset for requests that arrived over HTTPS (behind a TLS proxy, run uvicorn with
    ``--proxy-headers`` so the scheme is the client's)."""

    def __init__(self, app, secure: bool | None):
        self.app, self.secure = app, secure

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.secure if self.secure is not None else scope.get("scheme") == "https"

        async def send_secure(message) -> None:
            if secure and message["type"] == "http.response.start":
                message["headers"] = [
                    (name, value + b"; secure" if name.lower() == b"set-cookie"
                     and value.startswith(SESSION_COOKIE.encode() + b"=") and b"secure" not in value.lower()
                     else value) for name, value in message.get("headers", [])]
            await send(message)

        await self.app(scope, receive, send_secure)
