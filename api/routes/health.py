"""Liveness and readiness: the only endpoints besides the docs that need no key."""
from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.db import current_revision, head_revision
from api.errors import Problem, cannot_write

router = APIRouter(tags=["health"])


@router.get("/health", summary="The process is up")
def health(request: Request) -> dict[str, str]:
    return {"status": "ok", "version": request.app.version}


@router.get("/ready", summary="The database answers, can write, and its schema is current")
def ready(request: Request) -> dict[str, str]:
    engine = request.app.state.engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        raise Problem(503, "Database unavailable", f"The database did not answer: {type(exc).__name__}.") from exc
    if revision is not None:
        try:  # every request writes (an audit row at least): a database that cannot write is not ready
            with engine.connect() as connection, connection.begin() as transaction:
                connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
                transaction.rollback()
        except SQLAlchemyError as exc:
            cause = cannot_write(exc) or type(exc).__name__
            raise Problem(503, "Database cannot write", f"The database answers but cannot write: {cause}.") from exc
    head = head_revision(engine)
    if revision != head:
        raise Problem(503, "Database not migrated",
                      f"Schema is at {revision or 'nothing'}, this version needs {head}: run 'pathfit db upgrade'.")
    return {"status": "ready", "database": engine.dialect.name, "schema": revision}
