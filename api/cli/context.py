"""What every CLI command needs: the settings and a database session."""
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api.db import (current_revision, head_revision, make_engine, make_sessionmaker, normalise_url, shown_url,
                    sqlite_file)
from api.settings import get_settings

UPGRADE_HINT = "run `pathfit db upgrade` (then `pathfit db seed`), or set PATHFIT_DATABASE_URL"


@contextmanager
def cli_session() -> Iterator[Session]:
    """A session on ``PATHFIT_DATABASE_URL``; commits on success, rolls back on any error.

    A database that does not exist, cannot be reached or is not migrated to this version's schema
    ends the command with one line saying so and what to run (exit status 2); a missing SQLite file
    is never created here."""
    url = get_settings().database_url
    file, shown = sqlite_file(normalise_url(url)), shown_url(normalise_url(url))
    if file is not None and not file.exists():
        fail(f"no database at {file}: {UPGRADE_HINT}")
    engine = make_engine(url)
    try:
        try:
            revision = current_revision(engine)
        except OperationalError as exc:
            fail(f"cannot open the database {shown} "
                 f"({str(exc.orig).strip().splitlines()[0]}): check PATHFIT_DATABASE_URL")
        if revision is None:
            fail(f"the database {shown} is not migrated: {UPGRADE_HINT}")
        if revision != head_revision(engine):
            fail(f"the database {shown} is at schema {revision}, this version "
                 f"needs {head_revision(engine)}: run `pathfit db upgrade`")
        with make_sessionmaker(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()


def fail(message: str) -> None:
    """Print an error naming the field and the fix, and exit with status 2."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)
