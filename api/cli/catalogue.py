"""``pathfit vacancies|programmes import`` (load a CSV, XLSX or JSON file) and ``… template`` (write the
spreadsheet template with the Chinese column headers, documented in ``docs/import-templates.md``).

Exit status of an import: 0 when every row was stored; 1 when some rows were rejected (the valid rows
are stored and every rejected row is listed); 2 when nothing was stored (an unreadable file, a wrong
option, or ``--atomic`` with any row rejected).
"""
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from api.adapters.import_columns import template_bytes
from api.adapters.tabular import detect_format, read_records
from api.cli.context import cli_session, fail
from api.services.catalogue import PROGRAMMES, VACANCIES, Catalogue, ImportReport, import_records
from api.services.reference import code_titles
from models.tables import Organisation

console = Console()
REJECTED_EXIT = 1


def _print_rejected(report: ImportReport, lang: str) -> None:
    """The rejected rows as a table: row, column as written, what to fix (in ``lang``)."""
    if not report.rejected:
        return
    en = lang == "en"
    table = Table("row" if en else "行", "column" if en else "列", "what to fix" if en else "问题和改法",
                  title="rejected rows" if en else "未导入的行")
    for error in report.rejected:
        table.add_row(str(error.row), error.column or error.field,
                      error.message if en else (error.message_zh or error.message))
    console.print(table)


def read_import_file(file: Path, lang: str, headers) -> list:
    """The records of an import file, or exit 2 naming the option or the file's problem."""
    if lang not in ("zh-CN", "en"):
        fail(f"--lang: {lang!r} is not zh-CN or en")
    try:
        records = read_records(file.read_bytes(), detect_format(filename=file.name), headers)
    except ValueError as exc:
        fail(f"{file.name}: {exc}")
    if not records:
        fail(f"{file.name}: the file has a header but no records")
    return records


def require_organisation(session, org: str) -> None:
    if session.get(Organisation, org) is None:
        fail(f"--org: no organisation {org!r}; see 'pathfit orgs list'")


def finish_import(report: ImportReport, lang: str) -> None:
    """List the rejected rows and the counts; exit 2 when nothing was stored, 1 when rows were rejected."""
    rows = len({e.row for e in report.rejected})
    _print_rejected(report, lang)
    if not report.stored:
        fail(f"{rows} row(s) rejected; nothing stored (--atomic)")
    typer.echo(f"{report.received} received, {report.created} created, {report.updated} updated, {rows} rejected")
    if rows:
        raise typer.Exit(REJECTED_EXIT)


def write_template(columns, format: str, out: Path | None, default_name: str) -> None:
    """Write the import template of ``columns`` as xlsx or csv and print where."""
    if format not in ("xlsx", "csv"):
        fail(f"--format: {format!r} is not xlsx or csv")
    target = out or Path(f"{default_name}.{format}")
    target.write_bytes(template_bytes(columns, format))
    typer.echo(str(target))


def _import_command(catalogue: Catalogue):
    def import_file(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A .csv, .xlsx or .json file."),
        org: str = typer.Option(..., "--org", help="Organisation id (see 'pathfit orgs list')."),
        atomic: bool = typer.Option(False, "--atomic", help="Store nothing if any row is rejected."),
        lang: str = typer.Option("zh-CN", "--lang", help="Language of the row errors: zh-CN or en."),
    ) -> None:
        records = read_import_file(file, lang, catalogue.headers)
        with cli_session() as session:
            require_organisation(session, org)
            report = import_records(session, catalogue, org, records, atomic, code_titles)
        finish_import(report, lang)

    import_file.__doc__ = (f"Import {catalogue.resource} records; rejected rows are listed with row, column and fix. "
                           "Exit status 0: all stored; 1: some rows rejected (the others stored); 2: nothing stored.")
    return import_file


def _template_command(catalogue: Catalogue, default_name: str):
    def template(
        format: str = typer.Option("xlsx", "--format", help="xlsx (with a sheet explaining each column) or csv."),
        out: Path = typer.Option(None, "--out", help=f"Where to write it (default ./{default_name}.<format>)."),
    ) -> None:
        write_template(catalogue.columns, format, out, default_name)

    template.__doc__ = (f"Write the {catalogue.resource} import template: a title row, the Chinese column headers "
                        "and an example row (see docs/import-templates.md).")
    return template


vacancies = typer.Typer(no_args_is_help=True)
programmes = typer.Typer(no_args_is_help=True)
vacancies.command("import")(_import_command(VACANCIES))
programmes.command("import")(_import_command(PROGRAMMES))
vacancies.command("template")(_template_command(VACANCIES, "岗位导入模板"))
programmes.command("template")(_template_command(PROGRAMMES, "培训项目导入模板"))
