"""``pathfit orgs`` and ``pathfit keys``: bootstrap organisations and API keys from a terminal."""
import typer
from rich.console import Console
from rich.table import Table

from api.cli.context import cli_session, fail
from api.tenancy import create_api_key, create_organisation, list_api_keys, list_organisations, revoke_api_key
from models.enums import Role

orgs = typer.Typer(no_args_is_help=True)
keys = typer.Typer(no_args_is_help=True)
console = Console()


@orgs.command("create")
def orgs_create(name: str = typer.Option(..., "--name", help="e.g. 朝阳区就业服务中心"),
                district: str = typer.Option(None, help="District the organisation serves.")) -> None:
    """Create an organisation and print its id."""
    if not name.strip():
        fail("--name: must not be blank; give the centre's name")
    with cli_session() as session:
        organisation = create_organisation(session, name.strip(), district)
        typer.echo(organisation.id)


@orgs.command("list")
def orgs_list() -> None:
    """List organisations."""
    table = Table("id", "name", "district", "created")
    with cli_session() as session:
        for o in list_organisations(session):
            table.add_row(o.id, o.name, o.district or "", f"{o.created_at:%Y-%m-%d}")
    console.print(table)


@keys.command("create")
def keys_create(org: str = typer.Option(..., "--org", help="Organisation id (see 'pathfit orgs list')."),
                role: Role = typer.Option(..., "--role", help="admin, counsellor, case_system, analyst, or platform_admin (administers "
                                                   "every organisation; made only here, never through the API)."),
                label: str = typer.Option(None, help="Who or what will use the key.")) -> None:
    """Create an API key and print it. It is shown only this once."""
    try:
        with cli_session() as session:
            _, plaintext = create_api_key(session, org, role, label)
    except ValueError as exc:
        fail(f"--org {exc}")
    typer.echo(plaintext)


@keys.command("list")
def keys_list(org: str = typer.Option(None, "--org", help="Only this organisation's keys.")) -> None:
    """List keys (never their secrets)."""
    table = Table("id", "organisation", "role", "label", "created", "revoked")
    with cli_session() as session:
        for k in list_api_keys(session, org):
            table.add_row(k.id, k.organisation_id, k.role, k.label or "", f"{k.created_at:%Y-%m-%d %H:%M}",
                          f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "")
    console.print(table)


@keys.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="Key id (the part after 'pfk.').")) -> None:
    """Revoke a key; requests with it get 401 from now on."""
    try:
        with cli_session() as session:
            revoke_api_key(session, key_id)
    except ValueError as exc:
        fail(str(exc))
    typer.echo(f"revoked {key_id}")
