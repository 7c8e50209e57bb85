"""Liveness and readiness: the only endpoints besides the docs that need no key."""
from fastapi import APIRouter, Request

from api.db import head_revision, ready_revision
from api.errors import Problem

router = APIRouter(tags=["health"])


@router.get("/health", summary="The process is up")
def health(request: Request) -> dict[str, str]:
    return {"status": "ok", "version": request.app.version}


@router.get("/ready", summary="The database answers, can write, and its schema is current")
def ready(request: Request) -> dict[str, str]:
    engine = request.app.state.engine
    revision = ready_revision(engine)
    head = head_revision(engine)
    if revision != head:
        raise Problem(503, "Database not migrated",
                      f"Schema is at {revision or 'nothing'}, this version needs {head}: run 'pathfit db upgrade'.")
    return {"status": "ready", "database": engine.dialect.name, "schema": revision}
