"""``pathfit outcomes train | evaluate | versions``: the outcome model of an organisation (issue 17).

``train`` fits a version on labelled referrals — the organisation's own referrals, outcomes and
follow-ups (``api.services.outcome_rows``), or with ``--from`` a CSV file whose columns are
``api.services.learning.REQUIRED`` (``gender`` and ``age_band`` columns, when present, are split off
for the fairness figures before anything reaches the model) — and activates it only when it beats
the ranking in use offline; ``--if-due`` trains only when ``PATHFIT_OUTCOME_TRAINING_EVERY_DAYS``
says a new version is due. ``evaluate`` runs the time-split evaluation on a simulated centre
(``matching.outcomes.evaluation``) and prints hand-set, learned and oracle figures; ``versions``
lists the stored versions with their offline comparison.
"""
from pathlib import Path

import pandas as pd
import typer

from api.cli.catalogue import require_organisation
from api.cli.context import cli_session, fail
from api.errors import Problem
from api.services import learning
from api.services.enrolments import local_today
from api.services.matching import occupation_frame, occupation_table
from api.services.outcome_rows import labelled_referrals
from api.services.reference import code_titles
from api.settings import get_settings
from matching.outcomes.evaluation import evaluate_world
from matching.outcomes.simulator import WorldConfig, simulate_world
from models.tables import AuditLog

app = typer.Typer(no_args_is_help=True)
AUDIT_ONLY = ("gender", "age_band")


@app.command()
def train(org: str = typer.Option(..., "--org", help="Organisation id (see 'pathfit orgs list')."),
          file: Path | None = typer.Option(None, "--from", exists=True, dir_okay=False,
                                           help="CSV of labelled referrals (columns: see the docs); without it, "
                                                "the organisation's own referrals, outcomes and follow-ups."),
          if_due: bool = typer.Option(False, "--if-due", help="Train only when the schedule setting says so."),
          by: str = typer.Option("cli", help="Who trained it (kept with the version).")) -> None:
    """Train an outcome model; it replaces the ranking in use only if it beats it offline."""
    settings = get_settings()
    with cli_session() as db:
        require_organisation(db, org)
        if if_due and not learning.training_due(db, org, settings.outcome_training_every_days):
            typer.echo("not due: the latest version is newer than PATHFIT_OUTCOME_TRAINING_EVERY_DAYS (or it is unset)")
            return
        if file is not None:
            rows = pd.read_csv(file, dtype={"person_id": str})
            groups = {c: rows.pop(c).to_numpy(dtype=object) for c in AUDIT_ONLY if c in rows.columns}
        else:
            found = labelled_referrals(db, org, today=local_today(settings.timezone), code_titles=code_titles)
            rows, groups = found.rows, found.groups
            left_out = "; ".join(f"{n} {why}" for why, n in sorted(found.left_out.items())) or "none"
            typer.echo(f"{len(rows)} labelled referrals from the records (left out: {left_out})")
        try:
            version = learning.train_version(db, org, rows, trained_by=by[:40], groups=groups)
        except Problem as exc:
            fail(f"{exc.detail}")
        # Training reads every listed person's outcomes: one audit row names them all.
        db.add(AuditLog(organisation_id=org, resource="outcome_model", resource_id=version.id, action="train",
                        key_id=None, detail={"status": version.status, "referrals": len(rows),
                                             "person_ids": sorted(rows["person_id"].astype(str).unique().tolist())}))
        typer.echo(f"version {version.version} ({version.estimator}, {version.training_rows} training referrals): "
                   f"{version.decision}")


@app.command()
def versions(org: str = typer.Option(..., "--org", help="Organisation id.")) -> None:
    """Stored versions, newest first, with the offline comparison that decided each."""
    with cli_session() as db:
        require_organisation(db, org)
        rows = learning.versions(db, org)
        if not rows:
            typer.echo("no outcome model yet: the hand-set ranking is in use")
        for v in rows:
            typer.echo(f"{v.version:>3} {v.status:<8} {v.trained_at:%Y-%m-%d} {v.estimator}: {v.decision}")


@app.command()
def evaluate(people: int = typer.Option(4000, min=500, help="Simulated people (the benchmark uses 20,000)."),
             vacancies: int = typer.Option(2400, min=100, help="Simulated vacancies."),
             seed: int = typer.Option(101, help="Simulation seed.")) -> None:
    """Time-split evaluation on a simulated centre: hand-set vs learned vs oracle."""
    world = simulate_world(occupation_frame(), occupation_table(), WorldConfig(n_people=people, n_vacancies=vacancies),
                           seed=seed)
    metrics, model = evaluate_world(world, seed=seed, n_boot=500)
    typer.echo(f"{people:,} simulated people, {vacancies:,} vacancies, seed {seed}; model {model.kind_}; "
               f"{metrics['rows']}")
    for policy, d in metrics["deployed"].items():
        q = metrics["quality"][policy]
        typer.echo(f"{policy:>8}: hires@10 {d['hires_at_k']:.3f}, lasting-hires@10 {d['lasting_hires_at_k']:.3f}, "
                   f"AUC {q['auc']:.3f}, calibration error {q['ece']:.4f}")
    for metric, o in metrics["off_policy"].items():
        typer.echo(f"off-policy {metric}: truth {o['truth']:.3f}; "
                   + "; ".join(f"{m} {o[m]['value']:.3f} ({o[m]['low']:.3f}–{o[m]['high']:.3f})" for m in o["covered"]))
