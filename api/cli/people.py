"""``pathfit people import FILE --org ORG`` and ``pathfit people template``: register or update many people
from a CSV or XLSX file with the Chinese headers of ``docs/import-templates.md``.

Exit status as for ``pathfit vacancies import``: 0 all stored, 1 some rows rejected (the others stored),
2 nothing stored. Every person created or updated is audit-logged (as the CLI, no key).
"""
from pathlib import Path

import typer

from api.cli.catalogue import REJECTED_EXIT, _print_rejected
from api.cli.context import cli_session, fail
from api.import_columns import PEOPLE_COLUMNS, template_bytes
from api.people_import import HEADERS, import_people
from api.tabular import detect_format, read_records
from models.tables import AuditLog, Organisation

people = typer.Typer(no_args_is_help=True)


@people.command("import")
def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A .csv or .xlsx file."),
    org: str = typer.Option(..., "--org", help="Organisation id (see 'pathfit orgs list')."),
    atomic: bool = typer.Option(False, "--atomic", help="Store nothing if any row is rejected."),
    lang: str = typer.Option("zh-CN", "--lang", help="Language of the row errors: zh-CN or en."),
) -> None:
    """Import people; rejected rows are listed with row, column and fix. Exit 0 / 1 (some rejected) / 2."""
    if lang not in ("zh-CN", "en"):
        fail(f"--lang: {lang!r} is not zh-CN or en")
    try:
        records = read_records(file.read_bytes(), detect_format(filename=file.name), HEADERS)
    except ValueError as exc:
        fail(f"{file.name}: {exc}")
    if not records:
        fail(f"{file.name}: the file has a header but no records")
    with cli_session() as session:
        if session.get(Organisation, org) is None:
            fail(f"--org: no organisation {org!r}; see 'pathfit orgs list'")
        report, stored = import_people(session, org, records, atomic)
        for person, created in stored:
            session.add(AuditLog(organisation_id=org, resource="person", resource_id=person.id,
                                 action="import_create" if created else "import_update", key_id=None))
    rows = len({e.row for e in report.rejected})
    _print_rejected(report, lang)
    if not report.stored:
        fail(f"{rows} row(s) rejected; nothing stored (--atomic)")
    typer.echo(f"{report.received} received, {report.created} created, {report.updated} updated, {rows} rejected")
    if rows:
        raise typer.Exit(REJECTED_EXIT)


@people.command("template")
def template(format: str = typer.Option("xlsx", "--format", help="xlsx or csv."),
             out: Path = typer.Option(None, "--out", help="Where to write it (default ./人员导入模板.<format>).")) -> None:
    """Write the people import template (title row, Chinese headers, one example row)."""
    if format not in ("xlsx", "csv"):
        fail(f"--format: {format!r} is not xlsx or csv")
    target = out or Path(f"人员导入模板.{format}")
    target.write_bytes(template_bytes(PEOPLE_COLUMNS, format))
    typer.echo(str(target))
