"""``pathfit report RESULT_ID``: write a result's assessment report as PDF, HTML or JSON.

An operator tool on ``PATHFIT_DATABASE_URL``: it reads any organisation's result, and records the
view in the audit log (resource ``report``, action ``read:<format>:<audience>``, no key) like the API.
"""
from pathlib import Path

import typer

from api.cli.context import cli_session, fail
from api.services.reports import build_for_result, render
from models.tables import AssessmentResult, AuditLog, Person

FORMATS = ("pdf", "html", "json")
LANGS = ("zh-CN", "en")
AUDIENCES = ("client", "counsellor")


def report(
    result_id: str = typer.Argument(..., help="Result id (see GET /v1/persons/{id}/results)."),
    fmt: str = typer.Option("pdf", "--format", "-f", help="pdf, html or json."),
    lang: str = typer.Option("zh-CN", "--lang", help="zh-CN (default) or en."),
    audience: str = typer.Option("client", "--audience", help="client (plain language) or counsellor."),
    out: Path | None = typer.Option(None, "--out", "-o", dir_okay=False,
                                    help="Output file; default report-<id>-<lang>-<audience>.<format> here."),
) -> None:
    """Write the assessment report (测评报告) of a result."""
    if fmt not in FORMATS:
        fail(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        fail(f"--lang: {lang!r} is not one of {', '.join(LANGS)}")
    if audience not in AUDIENCES:
        fail(f"--audience: {audience!r} is not one of {', '.join(AUDIENCES)}")
    with cli_session() as session:
        result = session.get(AssessmentResult, result_id)
        if result is None:
            fail(f"RESULT_ID: no result {result_id!r}")
        person = session.get(Person, result.person_id)
        if person.erased_at is not None:
            fail(f"RESULT_ID: the person of result {result_id} was erased; no report can be made")
        rendered = render(build_for_result(session, result, person, lang=lang, audience=audience), fmt)
        session.add(AuditLog(organisation_id=result.organisation_id, resource="report", resource_id=result.id,
                             action=f"read:{fmt}:{audience}"))
    target = out or Path(rendered.filename)
    target.write_bytes(rendered.body)
    typer.echo(f"{target} ({len(rendered.body):,} bytes, {fmt}, {lang}, {audience})")
