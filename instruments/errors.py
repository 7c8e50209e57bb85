"""Errors raised when an instrument definition is broken: every problem names file, item and cause."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition.

    ``file`` is the file the problem is in; ``item`` the item (or scale, form, option) id it
    concerns, or None for file-level problems; ``message`` says what is wrong in plain words.
    """

    file: Path
    item: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f" [{self.item}]" if self.item else "")
        return f"{where}: {self.message}"


class InstrumentDefinitionError(ValueError):
    """Raised by the loader with every problem it found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in instrument definitions:\n{lines}")
