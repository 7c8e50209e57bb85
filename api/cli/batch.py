"""``pathfit batch``: generate a synthetic pool, and match a whole pool (files or the database).

``pathfit batch match`` reads CSV, Parquet or XLSX (or ``--from-db --org``), shows a progress bar,
checkpoints every finished block beside the output directory and resumes from it when restarted
with the same arguments, and prints an end summary (see docs/batch-matching.md).
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from api.batch.runner import FORMATS, BatchInputError, BatchOptions, read_table, run_batch
from api.cli.context import fail
from api.services.matching import occupation_frame, occupation_table
from matching.batch.allocation import AllocationPolicy
from matching.batch.synthetic import generate_seekers, generate_vacancies

app = typer.Typer(help="Batch matching of the whole job-seeker pool (top-k both ways, allocation, audit).",
                  no_args_is_help=True, pretty_exceptions_enable=False)
console = Console()


@app.command()
def generate(seekers: int = typer.Option(..., "--seekers", min=1, help="Number of job seekers."),
             vacancies: int = typer.Option(..., "--vacancies", min=1, help="Number of vacancies."),
             out: Path = typer.Option(..., "--out", help="Directory for seekers.<fmt> and vacancies.<fmt>."),
             seed: int = typer.Option(0, help="Random seed; the same seed gives the same files."),
             fmt: str = typer.Option("parquet", "--format", help="parquet, csv or xlsx.")) -> None:
    """Write a synthetic province (matching.batch.synthetic): seekers and vacancies with real CSCO codes."""
    if fmt not in FORMATS:
        fail(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    occ = occupation_frame()
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in (("seekers", generate_seekers(occ, seekers, seed)),
                        ("vacancies", generate_vacancies(occ, vacancies, seed))):
        path = out / f"{name}.{fmt}"
        tmp = out / f".{name}.{fmt}.tmp"
        if fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        elif fmt == "csv":
            frame.to_csv(tmp, index=False)
        else:
            frame.to_excel(tmp, index=False, engine="openpyxl")
        tmp.replace(path)
        typer.echo(f"{path}: {len(frame)} rows")


@app.command()
def match(seekers: Path | None = typer.Option(None, "--seekers", help="Seekers file (.csv, .parquet, .xlsx)."),
          vacancies: Path | None = typer.Option(None, "--vacancies", help="Vacancies file (.csv, .parquet, .xlsx)."),
          out: Path = typer.Option(..., "--out", help="Output directory (must not exist or be empty)."),
          k: int = typer.Option(20, "--k", min=1, max=1000, help="List length both ways."),
          allocate: bool = typer.Option(False, "--allocate", help="Capacity-aware allocation (min-cost flow)."),
          capacity_factor: float = typer.Option(3.0, help="Recommendations per opening (c)."),
          per_person: int = typer.Option(5, help="Recommendations per seeker in the allocation (m)."),
          dask: str | None = typer.Option(None, "--dask", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
          block_size: int = typer.Option(5000, "--block-size", min=1, help="Seekers per block (checkpoint unit)."),
          workers: int = typer.Option(1, "--workers", min=1, help="Threads scoring blocks in parallel (without --dask); the screen runs without the GIL."),
          fmt: list[str] = typer.Option(["parquet"], "--format", help="parquet, csv or xlsx; repeat for several."),
          as_of: str | None = typer.Option(None, "--as-of", help="Exclude vacancies closed before this date (YYYY-MM-DD)."),
          from_db: bool = typer.Option(False, "--from-db", help="Read the organisation's persons and vacancies."),
          org: str | None = typer.Option(None, "--org", help="Organisation id: its data with --from-db; with "
                                         "--allocate, its active outcome model orders the allocation."),
          ranking: str = typer.Option("expected_benefit", "--ranking",
                                      help="With --allocate: expected_benefit (fit × chance of a lasting hire under "
                                           "--org's active outcome model; the fit alone when it has none) or "
                                           "hand_set.")) -> None:
    """Match every seeker against every vacancy: top-k both ways, optional allocation, fairness audit."""
    bad = [f for f in fmt if f not in FORMATS]
    if bad:
        fail(f"--format: {bad} not among {', '.join(FORMATS)}")
    if ranking not in RANKINGS:
        fail(f"--ranking: {ranking!r} is not one of {', '.join(RANKINGS)}")
    when = None
    if as_of:
        try:
            when = date.fromisoformat(as_of)
        except ValueError:
            fail(f"--as-of: {as_of!r} is not a date YYYY-MM-DD")
    try:
        if from_db:
            if not org:
                fail("--from-db needs --org ORG")
            if seekers or vacancies:
                fail("give either --from-db --org or --seekers and --vacancies, not both")
            from api.batch.sources import organisation_frames
            from api.cli.context import cli_session
            from api.services.households import StatusRules
            from api.settings import get_settings
            from models.tables import Organisation

            with cli_session() as db:
                if db.get(Organisation, org) is None:
                    fail(f"--org: no organisation {org!r}; see 'pathfit orgs list'")
                s_frame, v_frame = organisation_frames(db, org, StatusRules.from_settings(get_settings()))
            source = {"database": True, "organisation_id": org}
        else:
            if seekers is None or vacancies is None:
                fail("give --seekers FILE and --vacancies FILE (or --from-db --org ORG)")
            s_frame, v_frame = read_table(seekers), read_table(vacancies)
            source = {"seekers": str(seekers), "vacancies": str(vacancies)}
        options = BatchOptions(k=k, block_size=block_size, allocate=allocate, as_of=when, formats=tuple(fmt),
                               workers=workers, policy=AllocationPolicy(capacity_factor=capacity_factor,
                                                                        per_person=per_person))
        if allocate and ranking == "expected_benefit" and org:
            options = _with_active_model(options, org)
        client = None
        if dask:
            from distributed import Client

            client = Client(dask)
        try:
            with Progress(TextColumn("[bold]blocks"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          TimeRemainingColumn(), console=console, transient=False) as bar:
                task = bar.add_task("match", total=None)
                summary = run_batch(s_frame, v_frame, out, occupation_table(), options, client=client,
                                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                                    source=source)
        finally:
            if client is not None:
                client.close()
    except BatchInputError as exc:
        fail(str(exc))
    _print_summary(summary, out)


RANKINGS = ("expected_benefit", "hand_set")


def _with_active_model(options: BatchOptions, org: str) -> BatchOptions:
    """``options`` with ``org``'s active outcome model ordering the allocation (unchanged when none
    is active: the hand-set fit stays, and the summary says so)."""
    from api.cli.context import cli_session
    from api.services.learning import active_model_version
    from models.tables import Organisation

    with cli_session() as db:
        if db.get(Organisation, org) is None:
            fail(f"--org: no organisation {org!r}; see 'pathfit orgs list'")
        version, model = active_model_version(db, org)
    if version is None:
        return options
    return replace(options, outcome_model=model, outcome_model_label=f"outcome model v{version.version}")


def _print_summary(s: dict, out: Path) -> None:
    table = Table("", "value", title=f"batch summary → {out}")
    table.add_row("seekers (rejected rows)", f"{s['seekers']['rows']} ({s['seekers']['rejected_rows']})")
    table.add_row("vacancies (rejected rows)", f"{s['vacancies']['rows']} ({s['vacancies']['rejected_rows']})")
    table.add_row("eligible pairs / all pairs", f"{s['pairs']['eligible']:,} / {s['pairs']['all']:,}")
    table.add_row("seekers with nothing to rank on (no scores, no coded past job)",
                  str(s["seekers_without_enough_information"]))
    table.add_row("seekers with no eligible vacancy", str(s["seekers_without_eligible_vacancy"]))
    for key, label in (("recommendations_before_allocation", "before"), ("recommendations_after_allocation", "after")):
        if key in s:
            r = s[key]
            table.add_row(f"{label}: vacancies with none / Gini / good coverage / mean fit",
                          f"{r['share_vacancies_without_recommendation']:.3f} / {r['gini_recommendations_per_vacancy']:.3f}"
                          f" / {r['share_seekers_with_good_recommendation']:.3f} / "
                          f"{'–' if r['mean_fit'] is None else format(r['mean_fit'], '.1f')}")
    if "recommendations_after_allocation" in s:
        objective = s["recommendations_after_allocation"]["objective"]
        table.add_row("allocation ranked by", f"expected benefit ({objective['outcome_model']})"
                      if objective["ranking"] == "expected_benefit" else "hand-set fit")
    flagged = s["fairness"]["flagged"]
    table.add_row("fairness (four-fifths rule)", "flagged: " + ", ".join(flagged) if flagged else "no group flagged")
    t = s["timing"]
    table.add_row("time", f"{t['seconds_total']} s, {t['blocks']} blocks ({t['blocks_resumed']} resumed), {t['where']}")
    console.print(table)
    console.print(json.dumps({"files": s["files"]}, ensure_ascii=False))


if __name__ == "__main__":
    app()
