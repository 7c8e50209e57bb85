"""``pathfit db``: migrations and the shipped reference data."""
import typer

from api.db import current_revision, downgrade as run_downgrade, head_revision, make_engine, upgrade as run_upgrade
from api.cli.context import cli_session
from api.reference import seed_reference_data
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
