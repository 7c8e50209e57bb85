"""``pathfit match --person ID``: a counsellor's ranked list at the terminal, with reasons."""
import typer
from rich.console import Console
from rich.table import Table

from api.cli.context import cli_session, fail
from api.services.matching import PoolCache, code_past_jobs, fitted_matcher, person_profile, programmes_of
from api.services.reference import code_titles
from matching.matcher import NotEnoughInformation
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
        profile = code_past_jobs(profile, code_titles)
        pool, _ = PoolCache().get(db, row.organisation_id, {})
        try:
            ranking = fitted_matcher(pool, programmes_of(db, row.organisation_id), None).rank(profile, kind, k)
        except NotEnoughInformation as e:
            fail(e.zh if lang == "zh-CN" else e.en)
    table = Table("#", "title", "code", "total", "reasons", title=f"{kind} for {person}"
                  + (f" (scores from {result_id})" if result_id else " (no assessment yet)"))
    for r in ranking.results:
        reasons = "\n".join(getattr(reason, "zh_CN" if lang == "zh-CN" else "en") for reason in r.reasons)
        table.add_row(str(r.rank), r.title or "", r.occupation_code or "", f"{r.total:.0f}", reasons)
    console.print(table)
    text = "zh_CN" if lang == "zh-CN" else "en"
    for r in ranking.after_training:
        console.print(f"{'培训后可以考虑' if lang == 'zh-CN' else 'Options after training'}: {r.title} "
                      f"({r.occupation_code}) {r.bridging_programme or ''}")
    for note in [*ranking.notes, *ranking.near_misses]:
        console.print(getattr(note, text))
    excluded = {reason: n for reason, n in ranking.ineligible.by_reason.items() if n}
    console.print(f"{ranking.ineligible.n_eligible} eligible of {ranking.ineligible.n_items}; excluded: {excluded or 'none'}")
