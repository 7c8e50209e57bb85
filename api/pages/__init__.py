"""Server-rendered pages: the test taker's screen (``/t/{token}``) and the counsellor's pages (``/c/…``).

``install_pages(app, settings)`` adds the routers, the static files under ``/static`` and the signed
session cookie; ``create_app`` calls it once.
"""
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from api.pages import counsellor, handover, taker
from api.pages.web import SESSION_MAX_AGE, SignInRequired
from api.settings import Settings

STATIC = Path(__file__).resolve().parent.parent / "static"


def install_pages(app: FastAPI, settings: Settings) -> None:
    """Add the page routers, ``/static`` and the session middleware."""
    app.include_router(taker.router)
    app.include_router(handover.router)
    app.include_router(counsellor.router)

    @app.get("/", include_in_schema=False)
    def _root() -> RedirectResponse:
        """The counsellor home; it sends a visitor who is not signed in on to the sign-in page."""
        return RedirectResponse("/c/people", status_code=303)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key.get_secret_value(),
                       session_cookie="pathfit_session", max_age=SESSION_MAX_AGE, same_site="lax",
                       https_only=False)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> RedirectResponse:
        query = f"?next={quote(exc.next_path, safe='')}" + (f"&m={exc.message}" if exc.message else "")
        return RedirectResponse(f"/c/login{query}", status_code=303)
