"""Liveness and readiness: the only endpoints besides the docs that need no key."""
from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.db import current_revision, head_revision
from api.errors import Problem

router = APIRouter(tags=["health"])


@router.get("/health", summary="The process is up")
def health(request: Request) -> dict[str, str]:
    return {"status": "ok", "version": request.app.version}


@router.get("/ready", summary="The database answers and its schema is current")
def ready(request: Request) -> dict[str, str]:
    engine = request.app.state.engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        raise Problem(503, "Database unavailable", f"The database did not answer: {type(exc).__name__}.") from exc
    head = head_revision(engine)
    if revision != head:
        raise Problem(503, "Database not migrated",
                      f"Schema is at {revision or 'nothing'}, this version needs {head}: run 'pathfit db upgrade'.")
    return {"status": "ready", "database": engine.dialect.name, "schema": revision}
