"""What every CLI command needs: the settings and a database session."""
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from api.db import make_engine, make_sessionmaker
from api.settings import get_settings


@contextmanager
def cli_session() -> Iterator[Session]:
    """A session on ``PATHFIT_DATABASE_URL``; commits on success, rolls back on any error."""
    engine = make_engine(get_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def fail(message: str) -> None:
    """Print an error naming the field and the fix, and exit with status 2."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)
