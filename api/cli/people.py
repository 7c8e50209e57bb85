"""``pathfit people import FILE --org ORG`` and ``pathfit people template``: register or update many people
from a CSV or XLSX file with the Chinese headers of ``docs/import-templates.md``.

Exit status as for ``pathfit vacancies import``: 0 all stored, 1 some rows rejected (the others stored),
2 nothing stored. Every person created or updated is audit-logged (as the CLI, no key).
"""
from pathlib import Path

import typer

from api.adapters.import_columns import PEOPLE_COLUMNS
from api.cli.catalogue import finish_import, read_import_file, require_organisation, write_template
from api.cli.context import cli_session
from api.services.people_import import HEADERS, import_people
from models.tables import AuditLog

people = typer.Typer(no_args_is_help=True)


@people.command("import")
def import_file(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A .csv or .xlsx file."),
    org: str = typer.Option(..., "--org", help="Organisation id (see 'pathfit orgs list')."),
    atomic: bool = typer.Option(False, "--atomic", help="Store nothing if any row is rejected."),
    lang: str = typer.Option("zh-CN", "--lang", help="Language of the row errors: zh-CN or en."),
) -> None:
    """Import people; rejected rows are listed with row, column and fix. Exit 0 / 1 (some rejected) / 2."""
    records = read_import_file(file, lang, HEADERS)
    with cli_session() as session:
        require_organisation(session, org)
        report, stored = import_people(session, org, records, atomic)
        for person, created in stored:
            session.add(AuditLog(organisation_id=org, resource="person", resource_id=person.id,
                                 action="import_create" if created else "import_update", key_id=None))
    finish_import(report, lang)


@people.command("template")
def template(format: str = typer.Option("xlsx", "--format", help="xlsx or csv."),
             out: Path = typer.Option(None, "--out", help="Where to write it (default ./人员导入模板.<format>).")) -> None:
    """Write the people import template (title row, Chinese headers, one example row)."""
    write_template(PEOPLE_COLUMNS, format, out, "人员导入模板")
