"""``pathfit demo``: a demo organisation, a counsellor key and a few people to try the API with, and a
simulated year of the pathway (people moving along the seven modules with referrals, hires, follow-ups,
training, households and plans: api/services/demo_year.py) so the case files, plans and centre figures
have something to show."""
import time
from importlib import resources

import typer

from api.adapters.tabular import read_records
from api.cli.context import cli_session
from api.services.catalogue import PROGRAMMES, VACANCIES, import_records
from api.services.demo_year import already_seeded, seed_year
from api.services.enrolments import local_today
from api.services.people import create_person, find_by_external_id, replace_person
from api.settings import get_settings
from api.tenancy import create_api_key, create_organisation, organisation_named
from models.enums import Role
from models.person import PersonCreate, PersonUpdate

DEMO_ORGANISATION = "演示就业服务中心 (pathfit demo)"

DEMO_PEOPLE = [
    {"external_id": "DEMO-001", "birth_year": 1979, "gender": "female", "education": "junior_secondary",
     "district": "朝阳区", "home_lat": 39.921, "home_lon": 116.445, "expected_monthly_pay": 4500,
     "priority": {"zero_employment_family": True, "hard_to_employ": "older_worker"},
     "constraints": {"max_hours_per_week": 40, "available_shifts": ["day"], "max_commute_minutes": 45},
     "skills": ["保洁", "烹饪"], "work_history": [{"occupation_code": "4-03-02-05", "title": "餐厅服务员", "months": 48}]},
    {"external_id": "DEMO-002", "birth_year": 1996, "gender": "male", "education": "vocational_secondary",
     "district": "海淀区", "home_lat": 39.959, "home_lon": 116.298, "expected_monthly_pay": 6000, "priority": {"hard_to_employ": "long_term_unemployed"},
     "constraints": {"max_commute_minutes": 60, "physical_limitations": ["climbing_heights"]},
     "certificates": ["C1驾驶证"], "skills": ["仓库管理", "叉车"],
     "work_history": [{"occupation_code": "4-02-06-02", "title": "仓库理货员", "months": 18}]},
    {"external_id": "DEMO-003", "birth_year": 1988, "gender": "female", "education": "senior_secondary",
     "district": "丰台区", "home_lat": 39.858, "home_lon": 116.287, "expected_monthly_pay": 5000, "priority": {"assistance_card": True},
     "constraints": {"available_shifts": ["day", "weekend"], "max_commute_minutes": 40},
     "skills": ["收银", "办公软件"]},
]


def demo(year: bool = typer.Option(True, "--year/--no-year", help="Also seed the simulated year of the pathway "
                                                                "(once per database)."),
         people: int = typer.Option(160, min=1, max=2000, help="People in the simulated year."),
         seed: int = typer.Option(2026, help="Random seed of the simulated year.")) -> None:
    """Create (or refresh) the demo organisation and people, seed the simulated year, print a counsellor key."""
    summary, seconds = None, 0.0
    with cli_session() as session:
        organisation = organisation_named(session, DEMO_ORGANISATION)
        if organisation is None:
            organisation = create_organisation(session, DEMO_ORGANISATION, "朝阳区")
        for record in DEMO_PEOPLE:
            person = find_by_external_id(session, organisation.id, record["external_id"])
            if person is None:
                create_person(session, organisation.id, PersonCreate.model_validate(record))
            else:
                replace_person(person, PersonUpdate.model_validate(
                    {k: v for k, v in record.items() if k != "external_id"}))
        reports = [import_records(session, catalogue, organisation.id, read_records(_demo_file(name), fmt), atomic=True)
                   for catalogue, name, fmt in ((VACANCIES, "vacancies.csv", "csv"),
                                                (PROGRAMMES, "programmes.json", "json"))]
        for report in reports:
            if report.rejected:  # shipped data: a rejection is a bug, not user error
                raise RuntimeError(f"demo data rejected: {report.as_dict()['rejected']}")
        _, key = create_api_key(session, organisation.id, Role.counsellor, "demo counsellor")
        organisation_id = organisation.id
        if year and not already_seeded(session, organisation_id):
            settings = get_settings()
            started = time.perf_counter()
            summary = seed_year(session, organisation_id, settings, local_today(settings.timezone), people=people,
                                seed=seed)
            seconds = time.perf_counter() - started
    typer.echo(f"organisation: {organisation_id}")
    typer.echo(f"people: {', '.join(p['external_id'] for p in DEMO_PEOPLE)}")
    typer.echo(f"vacancies: {reports[0].received}; training programmes: {reports[1].received}")
    if summary is not None:
        typer.echo(f"simulated year: {summary.people} people, {summary.steps} module steps, {summary.referrals} "
                   f"referrals, {summary.hires} hires, {summary.followups} follow-ups, {summary.enrolments} "
                   f"enrolments, {summary.households} households, {summary.plans} plans ({seconds:.1f} s)")
    elif year:
        typer.echo("simulated year: already in this database (kept as it was)")
    typer.echo(f"counsellor key (shown once): {key}")
    typer.echo("centre figures: http://127.0.0.1:8000/c/kpis (sign in with the key)")
    typer.echo(f"try: curl -H 'Authorization: Bearer {key}' http://127.0.0.1:8000/v1/persons")


def _demo_file(name: str) -> bytes:
    """Demo vacancies and programmes shipped in ``api/demo_data`` (realistic, invented employers)."""
    return resources.files("api").joinpath("demo_data", name).read_bytes()
