"""``pathfit instruments …``: check the instrument bank.

``check`` runs the validator over every instrument, composite and battery and prints a summary:
items per scale, reverse-keyed share, languages, time limits, provisional flags, whether the norm
table was built for the current content, and simple reading-level notes for the zh-CN texts.
It exits with status 1 when a definition is broken or a norm table is stale.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from instruments.errors import InstrumentDefinitionError
from instruments.registry import load_all, load_batteries, load_composites
from models.instrument import LANGUAGES, Instrument

app = typer.Typer(help="The instrument bank (测评工具库).", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """The instrument bank (测评工具库): validate and summarise the shipped definitions."""


def _reading_notes(instrument: Instrument) -> str:
    """Longest and mean zh-CN item text in characters (short texts suit readers with primary
    schooling)."""
    lengths = [(len(item.text.get("zh-CN")), item.id) for item in instrument.items]
    longest, longest_id = max(lengths)
    mean = sum(n for n, _ in lengths) / len(lengths)
    return f"zh-CN mean {mean:.0f} chars; longest {longest} ({longest_id})"


def _time_limit(instrument: Instrument) -> str:
    if instrument.time_limit is None:
        return "untimed"
    minutes = instrument.time_limit.seconds / 60
    return f"{minutes:g} min" + (" speeded" if instrument.time_limit.speeded else "")


def _provisional(instrument: Instrument) -> str:
    flags = []
    if any(i.parameters is not None and i.parameters.provisional for i in instrument.items):
        flags.append("params")
    if instrument.norms is not None and instrument.norms.provisional:
        flags.append("norms")
    return ", ".join(flags) or "no"


@app.command()
def check(
    root: Annotated[Optional[Path], typer.Option(help="Instrument folder (default: the shipped bank).")] = None,
) -> None:
    """Validate every instrument, composite and battery and print a summary table."""
    console = Console()
    try:
        bank = load_all(root)
        composites = load_composites(root)
        batteries = load_batteries(root)
    except InstrumentDefinitionError as exc:
        console.print(f"[bold red]{len(exc.problems)} problem(s):[/]")
        for problem in exc.problems:
            console.print(f"  [red]✗[/] {problem}", markup=True, highlight=False)
        raise typer.Exit(code=1) from None

    table = Table(title="pathfit instrument bank", show_lines=True)
    for column in ("instrument", "version", "items", "scales: items", "languages",
                   "time limit", "provisional", "norms", "reading level"):
        table.add_column(column)
    stale = []
    for inst in bank.values():
        scale_lines = []
        for scale in inst.scales:
            items = inst.scale_items(scale.id)
            if inst.response_format_of(items[0]).kind == "likert":
                reversed_share = sum(i.reverse for i in items) / len(items)
                scale_lines.append(f"{scale.id}: {len(items)}, {reversed_share:.0%} reversed")
            else:  # keyed choice items have no keying direction
                scale_lines.append(f"{scale.id}: {len(items)}")
        validity = sum(i.validity is not None for i in inst.items)
        if validity:
            scale_lines.append(f"validity items: {validity}")
        if not inst.norms_current:
            stale.append(inst.id)
        table.add_row(
            inst.id, inst.version, str(len(inst.items)), "\n".join(scale_lines),
            "/".join(LANGUAGES), _time_limit(inst), _provisional(inst),
            "current" if inst.norms_current else "[red]STALE: rebuild[/]", _reading_notes(inst),
        )
    console.print(table)
    for comp in composites.values():
        parts = " + ".join(f"{p.weight:g}·{p.instrument}/{p.scale}" for p in comp.parts)
        console.print(f"composite {comp.id}: {comp.method}({parts}); norms "
                      + ("current" if comp.norms_current else "[red]STALE: rebuild[/]"))
        if not comp.norms_current:
            stale.append(comp.id)
    for battery in batteries.values():
        console.print(f"battery {battery.id}: {len(battery.parts)} parts, ~{battery.minutes:g} min")
    if stale:
        console.print(f"[bold red]norm tables built for other content: {', '.join(stale)}; run "
                      "`python -m instruments.provisional.build` or re-norm from data[/]")
        raise typer.Exit(code=1)
    console.print(f"[green]✓ {len(bank)} instruments valid[/]")
