"""``pathfit vacancies import`` and ``pathfit programmes import``: load a CSV, XLSX or JSON file."""
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from api.catalogue import PROGRAMMES, VACANCIES, Catalogue, import_records
from api.cli.context import cli_session, fail
from api.reference import code_titles
from api.tabular import detect_format, read_records
from models.tables import Organisation

console = Console()


def _import_command(catalogue: Catalogue):
    def import_file(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A .csv, .xlsx or .json file."),
        org: str = typer.Option(..., "--org", help="Organisation id (see 'pathfit orgs list')."),
        atomic: bool = typer.Option(False, "--atomic", help="Store nothing if any row is rejected."),
    ) -> None:
        try:
            records = read_records(file.read_bytes(), detect_format(filename=file.name))
        except ValueError as exc:
            fail(f"{file.name}: {exc}")
        if not records:
            fail(f"{file.name}: the file has a header but no records")
        with cli_session() as session:
            if session.get(Organisation, org) is None:
                fail(f"--org: no organisation {org!r}; see 'pathfit orgs list'")
            report = import_records(session, catalogue, org, records, atomic, code_titles)
        if report.rejected:
            table = Table("row", "field", "reason", title="rejected rows")
            for error in report.rejected:
                table.add_row(str(error.row), error.field, error.message)
            console.print(table)
        if not report.stored:
            fail(f"{len({e.row for e in report.rejected})} row(s) rejected; nothing stored (--atomic)")
        typer.echo(f"{report.received} received, {report.created} created, {report.updated} updated, "
                   f"{len({e.row for e in report.rejected})} rejected")

    import_file.__doc__ = f"Import {catalogue.resource} records; rejected rows are listed with field and reason."
    return import_file


vacancies = typer.Typer(no_args_is_help=True)
programmes = typer.Typer(no_args_is_help=True)
vacancies.command("import")(_import_command(VACANCIES))
programmes.command("import")(_import_command(PROGRAMMES))
