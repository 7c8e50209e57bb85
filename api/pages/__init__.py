"""Server-rendered pages: the test taker's screen (``/t/{token}``) and the counsellor's pages (``/c/…``).

``install_pages(app, settings)`` adds the routers, the static files under ``/static`` and the signed
session cookie; ``create_app`` calls it once. Without a configured secret (see ``api.pages.sessions``) the
counsellor pages answer 503 saying what to set.
"""
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from api.pages import catalogue, counsellor, exports, handover, imports, lists, person_form, taker, titles
from api.pages import households, training  # P2: training part and households
from api.pages import pathway  # P3: the pathway case file and the 一人一策 plan
from api.pages import kpis  # P4: centre figures
from api.pages import referrals  # P1: referrals, the letter, follow-ups due
from api.pages.sessions import SESSION_COOKIE, SESSION_MAX_AGE, SecureCookieMiddleware, configured_secret
from api.pages.web import SECURITY_HEADERS, SignInRequired
from api.settings import Settings

STATIC = Path(__file__).resolve().parent.parent / "static"


def install_pages(app: FastAPI, settings: Settings) -> None:
    """Add the page routers, ``/static`` and the session middleware."""
    app.include_router(taker.router)
    app.include_router(handover.router)
    app.include_router(imports.router)  # before /people/{id} routes
    app.include_router(lists.router)
    app.include_router(person_form.router)
    app.include_router(exports.router)
    app.include_router(titles.router)  # title-coding choices, before /c/vacancies/{id} pages
    app.include_router(pathway.router)  # P3: the case file and the plan, before /c/people/{id} catch-alls
    app.include_router(kpis.router)  # P4: /c/kpis
    app.include_router(referrals.router)  # P1
    app.include_router(households.router)  # P2
    app.include_router(training.router)  # P2
    app.include_router(counsellor.router)
    app.include_router(catalogue.router)  # last: its /c/{kind} paths must not shadow the others

    @app.get("/", include_in_schema=False)
    def _root() -> RedirectResponse:
        """The counsellor home; it sends a visitor who is not signed in on to the sign-in page."""
        return RedirectResponse("/c/people", status_code=303)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    secret = configured_secret(settings)
    if secret is None:
        app.add_middleware(_RefusePages)
        return
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE, same_site="lax", https_only=False)
    app.add_middleware(SecureCookieMiddleware, secure=settings.cookie_secure)  # outside: sees the Set-Cookie

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
        query = f"?next={quote(exc.next_path, safe='')}" + (f"&m={exc.message}" if exc.message else "")
        return RedirectResponse(f"/c/login{query}", status_code=303)


_NO_SECRET = ("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>pathfit</title>"
              "<p>职业指导页面暂不可用：服务器未设置 PATHFIT_SECRET_KEY。请管理员设置后重启服务。</p>"
              "<p lang=\"en\">The counsellor pages are off: the server has no PATHFIT_SECRET_KEY. Set it and "
              "restart (or run 'pathfit serve', which keeps one in the data directory).</p></html>")


class _RefusePages:
    """Answers every ``/c/…`` request with 503 while no session secret is configured."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and (scope["path"] == "/c" or scope["path"].startswith("/c/")):
            await HTMLResponse(_NO_SECRET, status_code=503, headers=SECURITY_HEADERS)(scope, receive, send)
            return
        await self.app(scope, receive, send)
