"""Fixtures for the instrument-bank tests: the shipped bank, and a writer for small broken
definitions in a temporary folder."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from instruments.registry import load_all
from models.instrument import Instrument


@pytest.fixture(scope="session")
def bank() -> dict[str, Instrument]:
    return load_all()


def _text(zh: str, en: str | None = None) -> dict[str, str]:
    return {"zh-CN": zh, "en": en if en is not None else zh.upper()}


def minimal_definition() -> dict[str, Any]:
    """A small valid choice instrument: one scale, two items."""
    return {
        "id": "tiny",
        "version": "1.0.0",
        "kind": "aptitude",
        "title": _text("小测验", "Tiny test"),
        "instructions": _text("请选择。", "Please choose."),
        "minutes": 2,
        "response_formats": {"choice4": {"kind": "choice"}},
        "default_response_format": "choice4",
        "scales": [{
            "id": "T", "name": _text("测验", "Test"), "description": _text("说明", "About"),
            "scoring": {"method": "mean"}, "metric": _text("分", "points"),
        }],
        "items": [
            {"id": "T1", "scale": "T", "text": _text("一加一等于几？", "1 + 1 = ?"),
             "options": [_text("1"), _text("2"), _text("3"), _text("4")], "key": "B"},
            {"id": "T2", "scale": "T", "text": _text("二加二等于几？", "2 + 2 = ?"),
             "options": [_text("3"), _text("4"), _text("5"), _text("6")], "key": "B"},
        ],
        "provisional": True,
    }


@pytest.fixture
def write_definition(tmp_path: Path) -> Callable[..., Path]:
    """Write a definition (the minimal one, changed by ``edit``) to ``tmp/tiny/instrument.yaml``;
    return the folder. ``extra_files`` maps file names to text written beside it."""

    def write(edit: Callable[[dict[str, Any]], None] | None = None,
              extra_files: dict[str, str] | None = None) -> Path:
        definition = minimal_definition()
        if edit is not None:
            edit(definition)
        folder = tmp_path / "tiny"
        folder.mkdir(exist_ok=True)
        (folder / "instrument.yaml").write_text(
            yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
        for name, text in (extra_files or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return write
