"""Recording benchmark runs: every script in ``bench/`` writes one JSON file under ``bench/results/``.

A record holds the commit it ran on (and whether the tree had uncommitted changes), when it ran, the
machine's facts (CPU model, cores, load average at the start and end, Python and NumPy versions),
every raw sample, and ``rows``: the figures as the README's benchmark table shows them. The README
table is generated from these files by ``bench/readme_table.py``, so it never states a figure that no
recorded run produced.

Row fields (all strings, written for a reader): ``benchmark`` (what was measured, with sizes),
``pathfit`` (the measured figure, median with spread), ``baseline`` (the named baseline and its
measured figure) and ``ratio`` (measured against measured in the same run, or "—"). An extrapolated
figure says so in its text and never produces a ratio.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Row:
    """One line of the README's benchmark table."""

    benchmark: str
    pathfit: str
    baseline: str
    ratio: str = "—"


def spread(samples: Sequence[float], unit: str = "s", digits: int = 2) -> str:
    """'median x (min–max, n runs)' of ``samples`` in ``unit``."""
    med = statistics.median(samples)
    if len(samples) == 1:
        return f"{med:.{digits}f} {unit} (1 run)"
    return f"{med:.{digits}f} {unit} ({min(samples):.{digits}f}–{max(samples):.{digits}f}, {len(samples)} runs)"


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_facts() -> dict:
    """The facts a reader needs to judge a figure: CPU, cores, load, versions."""
    import numpy

    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "load_average": list(os.getloadavg()),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "platform": platform.platform(),
    }


def write_record(name: str, rows: Sequence[Row], samples: dict, *, started_load: Sequence[float] | None = None,
                 notes: str = "") -> Path:
    """Write ``bench/results/<name>.json`` and return its path.

    ``samples`` are the raw measurements (lists of seconds, counts, …) keyed by what they measure;
    ``started_load`` is ``os.getloadavg()`` taken before the run, so a contended run is visible.
    """
    RESULTS_DIR.mkdir(exist_ok=True)
    facts = machine_facts()
    if started_load is not None:
        facts["load_average_at_start"] = list(started_load)
    record = {
        "name": name,
        "commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": facts,
        "rows": [asdict(row) for row in rows],
        "samples": samples,
        "notes": notes,
    }
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"recorded {path.relative_to(ROOT)}")
    return path
