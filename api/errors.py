"""One error shape for every failure: RFC 9457 problem details, with the offending fields named.

Body: ``{"type", "title", "status", "detail", "instance", "request_id", "errors": [{"field",
"message"}]}`` served as ``application/problem+json``.
"""
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.logs import request_id_var

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("pathfit.errors")


class Problem(Exception):
    """Raise from a route to answer with a problem document.

    ``errors`` lists ``{"field": dotted.path, "message": what is wrong and how to fix it}``.
    """

    def __init__(self, status: int, title: str, detail: str = "",
                 errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.errors = errors or []
        self.headers = headers


def not_found(resource: str, resource_id: str) -> Problem:
    return Problem(404, "Not found", f"No {resource} with id {resource_id!r} is visible to your key.")


def problem_response(status: int, title: str, detail: str = "", errors: list[dict[str, str]] | None = None,
                     instance: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    body["request_id"] = request_id_var.get()
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        where, parts = parts[0], parts[1:]
        if where != "body" and parts:
            return f"{where}.{'.'.join(parts)}"
    return ".".join(parts) or "body"


_FRIENDLY = {
    "extra_forbidden": "unknown field: remove it or check its spelling",
    "missing": "required field is missing: add it",
}


def validation_errors(exc: RequestValidationError) -> tuple[int, str, list[dict[str, str]]]:
    """Map pydantic errors to (status, title, errors); malformed JSON is a 400, the rest 422."""
    errors = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            where = error.get("ctx", {}).get("error", "")
            return 400, "Malformed JSON", [{"field": "body", "message": f"body is not valid JSON ({where}); "
                                                                       "send a JSON document"}]
        message = _FRIENDLY.get(error.get("type", ""), error.get("msg", "invalid value"))
        errors.append({"field": _field_path(tuple(error.get("loc", ()))), "message": message})
    return 422, "Invalid request", errors


# What the drivers say when the database cannot take a write (SQLite, PostgreSQL), and the cause to report.
_CANNOT_WRITE = (("readonly database", "the database file is read-only"),
                 ("read-only transaction", "the database is read-only"),
                 ("database or disk is full", "the disk is full"),
                 ("no space left on device", "the disk is full"),
                 ("could not extend file", "the disk is full"),
                 ("disk i/o error", "the disk failed to write"),
                 ("database is locked", "the database is busy"))


def cannot_write(exc: BaseException) -> str | None:
    """The reason, in plain words, when ``exc`` means the database cannot write now; None otherwise."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return next((cause for needle, cause in _CANNOT_WRITE if needle in text), None)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.title, exc.detail, exc.errors, request.url.path, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, title, errors = validation_errors(exc)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem_response(status, title, detail, errors, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else ""
        return problem_response(exc.status_code, detail or "HTTP error", detail, None, request.url.path,
                                getattr(exc, "headers", None))

    @app.exception_handler(IntegrityError)
    async def _conflict(request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error: %s", exc.orig)
        return problem_response(409, "Conflict", "The request conflicts with stored data; nothing was written.",
                                None, request.url.path)

    @app.exception_handler(SQLAlchemyError)
    async def _database(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        cause = cannot_write(exc)
        if cause is not None:
            log.error("database cannot write: %s", cause)
            return problem_response(503, "Database cannot write",
                                    f"The database refused to write ({cause}); nothing was written. Retry later; "
                                    "an administrator must free disk space or make the database writable.",
                                    None, request.url.path, {"Retry-After": "30"})
        log.exception("database error")
        return problem_response(500, "Database error",
                                "The database failed during the request; nothing was written. Retry later.",
                                None, request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return problem_response(500, "Internal error", "Something failed on the server; nothing was written.",
                                None, request.url.path)
