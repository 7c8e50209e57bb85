"""The ``pathfit`` command line. Each command group lives in its own module beside this one."""
import typer

from api.cli import (admin, batch, cat, catalogue, database, demo, instruments, match, people, psychometrics,
                     reference, report)
from api.cli import outcomes

app = typer.Typer(help="pathfit: vocational assessment and job matching (职业素质测评与岗位匹配).",
                  no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(database.app, name="db", help="Database schema and reference data.")
app.add_typer(admin.orgs, name="orgs", help="Organisations (districts or centres).")
app.add_typer(admin.keys, name="keys", help="API keys.")
app.add_typer(catalogue.vacancies, name="vacancies", help="Vacancies (岗位空缺).")
app.add_typer(catalogue.programmes, name="programmes", help="Training programmes (培训项目).")
app.add_typer(people.people, name="people", help="People (服务对象): bulk import and its template.")
app.add_typer(reference.app, name="reference", help="Occupation reference data and job-title coding.")
app.add_typer(psychometrics.app, name="psychometrics",
              help="Psychometric toolkit: reliability, item analysis, EFA, CFA, DIF, norms.")
app.add_typer(instruments.app, name="instruments", help="The instrument bank: validate and summarise.")
app.add_typer(cat.app, name="cat", help="Computerised adaptive testing: simulation of a bank.")
app.add_typer(batch.app, name="batch", help="Batch matching of the whole job-seeker pool.")
app.add_typer(outcomes.app, name="outcomes", help="Learning from outcomes: train, compare and list outcome models.")
app.command("match")(match.match)
app.command("report")(report.report)
app.command("demo")(demo.demo)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
          port: int = typer.Option(8000, help="TCP port."),
          reload: bool = typer.Option(False, help="Reload on code changes (development).")) -> None:
    """Serve the API and pages (docs at /docs).

    Without PATHFIT_SECRET_KEY, the secret that signs counsellor sessions is made once and kept in the
    data directory (file 'secret_key', readable by its owner only)."""
    import os

    import uvicorn

    from api.pages.sessions import stored_secret
    from api.settings import get_settings

    settings = get_settings()
    if settings.secret_key is None and not settings.dev:
        os.environ["PATHFIT_SECRET_KEY"] = stored_secret(settings.data_dir)
        get_settings.cache_clear()

    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, reload=reload, log_config=None)
