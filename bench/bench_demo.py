"""Time for ``pathfit demo`` to seed its simulated year (api/services/demo_year.py) into a fresh SQLite
database, and for GET /v1/kpis's computation (api/services/kpis.centre_report) on the seeded centre.

The demo centre (organisation, 30 vacancies, 8 programmes) is created first, outside the timing, as
``pathfit demo`` does; timed is the replay of the year through the services (every event one service
call, flushed; one commit at the end) and then the centre figures for the year to today. Each repeat
uses a new database. Baseline, measured in the same run: replaying the same year with half the people,
to show how the time grows with the centre's size (ratio full / half; 2.0 would be linear).

Run: .venv/bin/python bench/bench_demo.py [--people 160] [--repeats 2]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api.adapters.tabular import read_records  # noqa: E402
from api.cli.demo import _demo_file  # noqa: E402
from api.db import make_engine, make_sessionmaker, upgrade  # noqa: E402
from api.services import kpis  # noqa: E402
from api.services.catalogue import PROGRAMMES, VACANCIES, import_records  # noqa: E402
from api.services.demo_year import seed_year  # noqa: E402
from api.services.enrolments import local_today  # noqa: E402
from api.settings import Settings  # noqa: E402
from api.tenancy import create_organisation  # noqa: E402
from record import Row, spread, write_record  # noqa: E402


def one_run(people: int) -> tuple[float, float, int]:
    """(seconds to seed, seconds for the figures, events' people served) on a new database."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/pathfit.db", data_dir=Path(folder), log_level="WARNING")
        engine = make_engine(settings.database_url)
        upgrade(engine)
        with make_sessionmaker(engine)() as session:
            organisation = create_organisation(session, "演示就业服务中心 (bench)", "朝阳区")
            for catalogue, name, fmt in ((VACANCIES, "vacancies.csv", "csv"), (PROGRAMMES, "programmes.json", "json")):
                import_records(session, catalogue, organisation.id, read_records(_demo_file(name), fmt), atomic=True)
            session.commit()
            today = local_today(settings.timezone)
            started = time.perf_counter()
            seed_year(session, organisation.id, settings, today, people=people)
            session.commit()
            seeded = time.perf_counter() - started
            started = time.perf_counter()
            start, end = kpis.check_period(None, None, today)
            report = kpis.centre_report(session, organisation.id, settings, start, end, None, today)
            figures = time.perf_counter() - started
        engine.dispose()
    return seeded, figures, report.overall.served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=160)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    load = os.getloadavg()
    full = [one_run(args.people) for _ in range(args.repeats)]
    half = [one_run(args.people // 2) for _ in range(args.repeats)]
    seed_full, seed_half = [r[0] for r in full], [r[0] for r in half]
    ratio = statistics.median(seed_full) / statistics.median(seed_half)
    rows = [
        Row(f"`bench_demo.py`: `pathfit demo` simulated year, {args.people} people (SQLite)", spread(seed_full),
            f"{args.people // 2} people: {spread(seed_half)}", f"{ratio:.2f}× for 2× people"),
        Row(f"`bench_demo.py`: centre figures (GET /v1/kpis) on that year, {full[0][2]} people served",
            spread([r[1] for r in full]), "—"),
    ]
    for row in rows:
        print(row)
    write_record("demo", rows, {"seed_seconds": seed_full, "seed_seconds_half": seed_half,
                                "kpi_seconds": [r[1] for r in full], "served": [r[2] for r in full]},
                 started_load=load, notes="shared machine: see the load average")


if __name__ == "__main__":
    main()
