"""ASGI middleware: request ids and access logs, the request-body limit, and idempotent retries."""
import hashlib
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import timedelta
from typing import Any

import anyio
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from api.errors import problem_response
from api.logs import request_id_var
from models.tables import IdempotencyRecord, utcnow

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
log = logging.getLogger("pathfit.access")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that hands the buffered body to the app, then defers to the real one."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


_TOKEN_IN_PATH = re.compile(r"^(/v1/take/|/t/)[^/]+")


def redacted_path(path: str) -> str:
    """The path as logged: a test-taker token (``/v1/take/<token>``, ``/t/<token>``) is a credential."""
    return _TOKEN_IN_PATH.sub(r"\1<token>", path)


class RequestContextMiddleware:
    """Assigns a request id (or keeps a sane incoming ``X-Request-ID``), enforces the body limit,
    buffers the body for later middleware (``scope["pathfit.body"]``) and logs one JSON line per request."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_import_bytes: int):
        self.app, self.max_body_bytes, self.max_import_bytes = app, max_body_bytes, max_import_bytes

    def _limit(self, scope: Scope) -> int:
        """File imports may be larger than ordinary JSON requests."""
        return self.max_import_bytes if scope["path"].endswith("/import") else self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and len(incoming) <= 64 and incoming.isprintable() else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            if scope["method"] in BODY_METHODS:
                limit = self._limit(scope)
                body = await self._read_body(scope, receive, limit)
                if body is None:
                    response = problem_response(413, "Request body too large",
                                                f"The body exceeds {limit} bytes; send a smaller request or "
                                                "split the data.", [{"field": "body",
                                                                     "message": f"larger than {limit} bytes"}],
                                                scope["path"])
                    await response(scope, receive, send_with_id)
                    return
                scope["pathfit.body"] = body
                receive = _replay(body, receive)
            await self.app(scope, receive, send_with_id)
        finally:
            principal = scope.get("state", {}).get("principal")
            path = redacted_path(scope["path"])
            log.info("%s %s %s", scope["method"], path, status, extra={
                "method": scope["method"], "path": path, "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "key_id": getattr(principal, "key_id", None)})
            request_id_var.reset(token)

    async def _read_body(self, scope: Scope, receive: Receive, limit: int) -> bytes | None:
        declared = _header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            return None
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


class IdempotencyMiddleware:
    """Makes writes sent with an ``Idempotency-Key`` header safe to retry.

    The caller is authenticated first (an unknown or revoked key, or an unknown test link, gets no replay:
    the request goes on to the route, which refuses it). Records are scoped to the caller's key id (or the
    test session behind a link), so ``X-API-Key`` and ``Bearer`` are one caller. The first request
    reserves the key before it runs; a 2xx response is stored and replayed byte for byte to any retry with
    the same key and the same request, which writes nothing again. A response carrying a secret shown
    only once (an API key, a test-taker token) is stored without it, and its replay is a 409 naming what
    the first request created. A retry with a different request is a 422; one that arrives while the
    first is still running is a 409. A first request that fails (4xx/5xx) wrote nothing, so its
    reservation is released and a retry runs afresh. If the server dies between the write and storing
    the response, the reservation stays pending and retries get 409 rather than a second write. Records
    expire after ``IDEMPOTENCY_TTL``; erasing a person deletes the records that name them.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, b"idempotency-key") if scope["type"] == "http" else None
        if key is None or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        if not (1 <= len(key) <= 200) or not key.isprintable():
            await problem_response(400, "Invalid Idempotency-Key", "Use 1–200 printable characters.",
                                   [{"field": "header.idempotency-key", "message": "1–200 printable characters"}],
                                   scope["path"])(scope, receive, send)
            return
        request_hash = hashlib.sha256(b"\n".join([
            scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""),
            scope.get("pathfit.body", b"")])).hexdigest()
        sessionmaker = scope["app"].state.sessionmaker
        credential = _header(scope, b"authorization") or ""
        credential = credential[7:].strip() if credential.lower().startswith("bearer ") else \
            _header(scope, b"x-api-key") or ""

        ident = await anyio.to_thread.run_sync(_caller, sessionmaker, credential, scope["path"])
        if ident is None:  # not authenticated: no replay, no record; the route answers 401/404
            await self.app(scope, receive, send)
            return
        outcome = await anyio.to_thread.run_sync(_reserve, sessionmaker, ident, key, request_hash)
        if isinstance(outcome, IdempotencyRecord):
            await _stored_response(outcome, scope["path"])(scope, receive, send)
            return
        if outcome is not None:
            status, title, detail = outcome
            await problem_response(status, title, detail, [{"field": "header.idempotency-key", "message": detail}],
                                   scope["path"])(scope, receive, send)
            return

        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, capture)
        except Exception:
            await anyio.to_thread.run_sync(_release, sessionmaker, ident, key)
            raise
        body = b"".join(chunks)
        status = start.get("status", 500)
        if 200 <= status < 300:
            content_type = dict((k.lower(), v) for k, v in start.get("headers", [])).get(b"content-type", b"")
            await anyio.to_thread.run_sync(_complete, sessionmaker, ident, key, status, body, content_type.decode(),
                                           scope["path"])
        else:
            await anyio.to_thread.run_sync(_release, sessionmaker, ident, key)
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})


IDEMPOTENCY_TTL = timedelta(hours=24)
SECRET_FIELDS = ("key", "token", "take_path")  # shown once; never kept in a stored response
_TAKE_PATH = re.compile(r"^/v1/take/([^/]+)(/|$)")


def _caller(sessionmaker, credential: str, path: str) -> str | None:
    """Who is calling: ``k:<key id>`` for a valid, unrevoked API key, ``s:<session id>`` for a known test
    link, or None when the request is not authenticated (so it gets no replay)."""
    from api.services.assessments import find_by_token  # the test-taker side; imported late to keep start-up light
    from api.deps import key_for

    with sessionmaker() as session:
        if credential:
            api_key = key_for(session, credential)
            return f"k:{api_key.id}" if api_key is not None and api_key.revoked_at is None else None
        match = _TAKE_PATH.match(path)
        row = find_by_token(session, match.group(1)) if match else None
        return f"s:{row.id}" if row is not None else None


def _reserve(sessionmaker, ident: str, key: str, request_hash: str):
    """Reserve the key. Returns None (go ahead), a stored record (replay) or (status, title, detail).

    Expired records of every caller are deleted first, so none outlives ``IDEMPOTENCY_TTL``."""
    with sessionmaker() as session:
        session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - IDEMPOTENCY_TTL))
        session.commit()
        found = session.scalar(select(IdempotencyRecord).where(
            IdempotencyRecord.scope == ident, IdempotencyRecord.idem_key == key))
        if found is None:
            session.add(IdempotencyRecord(scope=ident, idem_key=key, request_hash=request_hash, state="pending"))
            try:
                session.commit()
                return None
            except IntegrityError:
                return 409, "Request in progress", "A request with this Idempotency-Key is being processed; retry later."
        if found.request_hash != request_hash:
            return 422, "Idempotency-Key reused", "This Idempotency-Key was used for a different request; use a new key."
        if found.state == "pending":
            return 409, "Request in progress", "A request with this Idempotency-Key is being processed; retry later."
        return found


def _without_secrets(body: bytes, path: str) -> tuple[str, bool, str | None]:
    """(body to store, whether a secret was withheld, the person the response is about)."""
    try:
        document = json.loads(body)
    except ValueError:
        return body.decode("utf-8"), False, None
    if not isinstance(document, dict):
        return body.decode("utf-8"), False, None
    person_id = document.get("person_id") or (document.get("id") if path.startswith("/v1/persons") else None)
    withheld = [name for name in SECRET_FIELDS if name in document]
    if not withheld:
        return body.decode("utf-8"), False, person_id
    kept = {name: value for name, value in document.items() if name not in withheld}
    return json.dumps(kept, ensure_ascii=False), True, person_id


def _complete(sessionmaker, ident: str, key: str, status: int, body: bytes, content_type: str, path: str) -> None:
    stored, withheld, person_id = _without_secrets(body, path)
    with sessionmaker() as session:
        record = session.scalar(select(IdempotencyRecord).where(
            IdempotencyRecord.scope == ident, IdempotencyRecord.idem_key == key))
        record.state, record.status_code = "done", status
        record.response_body, record.content_type = stored, content_type
        record.secret_withheld, record.person_id = withheld, person_id if isinstance(person_id, str) else None
        session.commit()


def _release(sessionmaker, ident: str, key: str) -> None:
    with sessionmaker() as session:
        session.execute(delete(IdempotencyRecord).where(
            IdempotencyRecord.scope == ident, IdempotencyRecord.idem_key == key))
        session.commit()


def _stored_response(record: IdempotencyRecord, path: str) -> Response:
    if record.secret_withheld:
        created = json.loads(record.response_body).get("id", "")
        detail = (f"The first request with this Idempotency-Key already created {created}; its secret was shown "
                  "only once and is not kept. Revoke it (or reissue the link) and create a new one.")
        return problem_response(409, "Already done", detail,
                                [{"field": "header.idempotency-key", "message": detail}], path,
                                {"idempotent-replayed": "true"})
    return Response(record.response_body.encode("utf-8"), status_code=record.status_code,
                    media_type=record.content_type or "application/json", headers={"idempotent-replayed": "true"})
