"""`pathfit cat …`: adaptive-testing tools (simulation of a bank's CAT performance)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from assessment.cat import EXPOSURE_METHODS, CatBank, CatSettings, simulate_population, tune_sympson_hetter

app = typer.Typer(help="Computerised adaptive testing (CAT).", no_args_is_help=True)


@app.callback()
def cat() -> None:
    """Computerised adaptive testing (CAT)."""


@app.command("simulate")
def simulate_cmd(
    bank: Path = typer.Option(..., "--bank", exists=True, dir_okay=False,
                              help="CSV with columns item, a, b, c [, content]."),
    n: int = typer.Option(10000, "--n", min=1, help="Number of simulees, θ ~ N(0, 1)."),
    se: float = typer.Option(0.3, "--se", min=0.0, help="Stop when the posterior SD is at or below this."),
    max_items: int = typer.Option(30, "--max-items", min=1, help="Maximum test length."),
    exposure: str = typer.Option("randomesque", "--exposure",
                                 help="Exposure control: randomesque, sympson-hetter or none."),
    r_max: float = typer.Option(0.25, "--r-max", min=0.01, max=1.0,
                                help="Sympson–Hetter target maximum exposure rate."),
    seed: int = typer.Option(20240601, "--seed", help="Random seed."),
) -> None:
    """Simulate adaptive tests on a bank and print length, bias, RMSE and exposure."""
    if exposure not in EXPOSURE_METHODS:
        raise typer.BadParameter(f"must be one of {', '.join(EXPOSURE_METHODS)}", param_hint="--exposure")
    try:
        frame = pd.read_csv(bank)
        cat_bank = CatBank.from_frame(frame)
    except (ValueError, KeyError, pd.errors.ParserError) as exc:
        raise typer.BadParameter(str(exc), param_hint="--bank") from exc
    targets = cat_bank.content_shares()
    settings = CatSettings(se_target=se, max_items=max_items, exposure=exposure, content_targets=targets)
    console = Console()
    if exposure == "sympson-hetter":
        cat_bank, history = tune_sympson_hetter(cat_bank, settings, r_max=r_max, seed=seed)
        console.print(f"Sympson–Hetter tuned in {len(history)} rounds (max exposure per round: "
                      f"{', '.join(f'{h:.3f}' for h in history)})")
    result = simulate_population(cat_bank, n, settings, seed + 1)
    summary = result.summary()
    table = Table(title=f"CAT simulation: {cat_bank.items.n_items} items, {n} simulees")
    for col in ("mean length", "bias", "RMSE", "max exposure", "mean exposure", "unused items"):
        table.add_column(col, justify="right")
    table.add_row(f"{summary['mean_length']:.2f}", f"{summary['bias']:+.4f}", f"{summary['rmse']:.4f}",
                  f"{summary['max_exposure']:.3f}", f"{summary['mean_exposure']:.3f}",
                  f"{summary['unused_items']:.1%}")
    console.print(table)
    console.print(f"settings: SE target {se}, max {max_items} items, exposure {exposure}"
                  + (f", content shares {targets}" if targets else ""))
