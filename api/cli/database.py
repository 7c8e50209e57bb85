"""``pathfit db``: migrations, the shipped reference data, and backups.

Backups of SQLite use its online backup API (a consistent copy while the server keeps serving). For
PostgreSQL use its own tools: ``pg_dump --format=custom --file=pathfit.dump "$URL"`` and
``pg_restore --clean --if-exists --dbname="$URL" pathfit.dump``.
"""
import sqlite3
from contextlib import closing
from pathlib import Path

import typer

from api.cli.context import cli_session, fail
from api.db import current_revision, downgrade as run_downgrade, head_revision, make_engine, sqlite_file
from api.db import upgrade as run_upgrade
from api.services.reference import seed_reference_data
from api.settings import get_settings

app = typer.Typer(no_args_is_help=True)


def _migrate(step, revision: str) -> None:
    engine = make_engine(get_settings().database_url)
    try:
        step(engine, revision)
        typer.echo(f"database at revision {current_revision(engine) or 'base (empty)'}")
    finally:
        engine.dispose()


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    _migrate(run_upgrade, revision)


@app.command()
def downgrade(revision: str = typer.Argument("-1", help="Target revision: '-1' for one step, 'base' for empty.")) -> None:
    """Undo migrations down to REVISION."""
    _migrate(run_downgrade, revision)


@app.command()
def current() -> None:
    """Print the schema revision and the newest one this version ships."""
    engine = make_engine(get_settings().database_url)
    typer.echo(f"current: {current_revision(engine) or 'base (empty)'}; head: {head_revision(engine)}")
    engine.dispose()


@app.command()
def seed() -> None:
    """Load the shipped reference data (idempotent: running it twice changes nothing)."""
    with cli_session() as session:
        counts = seed_reference_data(session)
    for table, (added, changed) in counts.items():
        typer.echo(f"{table}: {added} added, {changed} updated")


_PG_HINT = ("PostgreSQL: back up with 'pg_dump --format=custom --file=pathfit.dump \"$URL\"' and restore with "
            "'pg_restore --clean --if-exists --dbname=\"$URL\" pathfit.dump' (stop the server first)")


def _sqlite_path() -> Path:
    file = sqlite_file(get_settings().database_url)
    if file is None:
        fail(f"PATHFIT_DATABASE_URL: backup and restore here are for a SQLite file. {_PG_HINT}")
    return file


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite database ``source`` into ``target`` (SQLite's online backup)."""
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _revision(path: Path) -> str | None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


@app.command()
def backup(file: Path = typer.Argument(..., help="Where to write the copy (must not exist yet).")) -> None:
    """Copy the SQLite database to FILE while the server may keep running (for PostgreSQL: pg_dump)."""
    source = _sqlite_path()
    if file.exists():
        fail(f"{file}: already exists; choose a new file name so no backup is overwritten")
    if _revision(source) is None:
        fail(f"{source}: not a migrated pathfit database; run 'pathfit db upgrade' first")
    file.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, file)
    typer.echo(f"backed up {source} to {file} (schema {_revision(file)})")


@app.command()
def restore(file: Path = typer.Argument(..., help="A file written by 'pathfit db backup'."),
            yes: bool = typer.Option(False, "--yes", help="Replace the current database without asking.")) -> None:
    """Replace the SQLite database with the backup FILE. Stop the server first (for PostgreSQL: pg_restore)."""
    target = _sqlite_path()
    revision = _revision(file) if file.exists() else None
    if revision is None:
        fail(f"{file}: not a pathfit backup (no readable schema revision); give a file made by 'pathfit db backup'")
    if not yes and not typer.confirm(f"Replace {target} with {file} (schema {revision})?"):
        fail("restore cancelled; nothing changed")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(file, target)
    typer.echo(f"restored {target} from {file} (schema {revision}); run 'pathfit db upgrade' if this version is newer")
