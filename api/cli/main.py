"""The ``pathfit`` command line. Each command group lives in its own module beside this one."""
import typer

app = typer.Typer(help="pathfit: vocational assessment and job matching (职业素质测评与岗位匹配).",
                  no_args_is_help=True)
