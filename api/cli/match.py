"""``pathfit match --person ID``: a counsellor's ranked list at the terminal, with reasons."""
import typer
from rich.console import Console
from rich.table import Table

from api.cli.context import cli_session, fail
from api.matching import PoolCache, occupation_table, person_profile, programmes_of
from matching.rank import rank_occupations, rank_programmes, rank_vacancies
from models.tables import Person

console = Console()


def match(person: str = typer.Option(..., "--person", help="The person's pseudonymous id (p_…)."),
          kind: str = typer.Option("vacancies", help="vacancies, programmes or occupations."),
          k: int = typer.Option(10, min=1, max=200, help="How many to list."),
          lang: str = typer.Option("zh-CN", help="Language of the reasons: zh-CN or en.")) -> None:
    """Rank vacancies, training programmes or occupations for one person, with reasons."""
    if kind not in {"vacancies", "programmes", "occupations"}:
        fail(f"--kind: {kind!r} is not one of vacancies, programmes, occupations")
    if lang not in {"zh-CN", "en"}:
        fail(f"--lang: {lang!r} is not zh-CN or en")
    with cli_session() as db:
        row = db.get(Person, person)
        if row is None or row.erased_at is not None:
            fail(f"--person: no person {person!r}; list people with the API (GET /v1/persons)")
        profile, result_id = person_profile(db, row, [])
        if kind == "occupations":
            ranking = rank_occupations(profile, occupation_table(), k)
        else:
            pool, _ = PoolCache().get(db, row.organisation_id, {})
            programmes = programmes_of(db, row.organisation_id)
            ranking = rank_vacancies(profile, pool, k=k, programmes=programmes if len(programmes) else None) \
                if kind == "vacancies" else rank_programmes(profile, programmes, occupation_table(), pool, k)
    table = Table("#", "title", "code", "total", "reasons", title=f"{kind} for {person}"
                  + (f" (scores from {result_id})" if result_id else " (no assessment yet)"))
    for r in ranking.results:
        reasons = "\n".join(getattr(reason, "zh_CN" if lang == "zh-CN" else "en") for reason in r.reasons)
        table.add_row(str(r.rank), r.title or "", r.occupation_code or "", f"{r.total:.0f}", reasons)
    console.print(table)
    excluded = {reason: n for reason, n in ranking.ineligible.by_reason.items() if n}
    console.print(f"{ranking.ineligible.n_eligible} eligible of {ranking.ineligible.n_items}; excluded: {excluded or 'none'}")
