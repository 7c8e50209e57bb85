"""Shared helpers for the item generators: deterministic YAML output and SVG drawing."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml

INSTRUMENTS = Path(__file__).resolve().parent.parent
OPTION_IDS = "ABCD"


class _Dumper(yaml.SafeDumper):
    """Block style, but short flat lists and flat LocalizedText maps inline for readability."""


def _represent_dict(dumper: yaml.SafeDumper, data: dict) -> Any:
    flat = all(not isinstance(v, (dict, list)) for v in data.values())
    flow = flat and len(data) <= 6 and sum(len(str(v)) for v in data.values()) < 90
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, data: list) -> Any:
    flat = all(not isinstance(v, (dict, list)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> Any:
    style = "|" if "\n" in data else None  # multi-line stems read best as literal blocks
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def render_yaml(data: dict[str, Any], header: str) -> str:
    """``data`` as YAML text under a comment ``header``; identical input gives identical text."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.strip().splitlines())
    return lines + body


def write_yaml(path: Path, data: dict[str, Any], header: str) -> None:
    """Write ``render_yaml(data, header)`` to ``path`` (UTF-8)."""
    path.write_text(render_yaml(data, header), encoding="utf-8")


def write_svgs(folder: Path, svgs: dict[str, str]) -> None:
    """Replace every SVG in ``folder`` with ``svgs`` (file name → markup)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.svg"):
        if old.name not in svgs:
            old.unlink()
    for name, markup in sorted(svgs.items()):
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != markup:
            path.write_text(markup, encoding="utf-8")


def svg_document(width: int, height: int, body: Iterable[str], title: str) -> str:
    """A standalone SVG with a neutral ``title`` for screen readers; no ids or classes that could
    hint at the answer."""
    inner = "\n".join(f"  {line}" for line in body)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img">\n  <title>{title}</title>\n'
            f"{inner}\n</svg>\n")


def fmt(x: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
