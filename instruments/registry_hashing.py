"""Content hashes: what an instrument's (or composite's) scores depend on, as one SHA-256.

An instrument's version is its base version plus the first 12 hex digits of :func:`content_hash`, and a
norm table is current only while the hash it was built for (``norms.meta.yaml``) matches.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel

from models.instrument import Composite, Instrument

__all__ = ["composite_hash", "content_hash", "scoring_fields"]


def content_hash(instrument_fields: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of everything scoring depends on.

    ``instrument_fields`` holds ``id, base_version, response_formats, default_response_format,
    scales, items, forms, time_limit`` as JSON-ready values. Titles, instructions, practice
    items, interpretation texts and norms are left out: changing them does not change what a
    raw score means.
    """
    canonical = json.dumps(instrument_fields, sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def composite_hash(composite: Composite, bank: dict[str, Instrument]) -> str:
    """SHA-256 (hex) over the composite's parts: each part's instrument content hash, scale and
    weight. Norms for a composite are current only while this is unchanged."""
    return content_hash({"id": composite.id, "method": composite.method, "parts": [
        [p.instrument, bank[p.instrument].content_hash, p.scale, p.weight] for p in composite.parts]})


def _dump(value: Any) -> Any:
    """Pydantic models (also inside lists and dicts) as JSON-ready values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def scoring_fields(instrument_id: Any, base_version: Any, response_formats: dict[str, BaseModel],
                   default_response_format: Any, scales: list[BaseModel], items: list[BaseModel],
                   forms: list[BaseModel], time_limit: BaseModel | None) -> dict[str, Any]:
    """The JSON-ready fields :func:`content_hash` covers, from a definition's validated parts."""
    return {
        "id": instrument_id, "base_version": base_version,
        "response_formats": _dump(response_formats), "default_response_format": default_response_format,
        "scales": _dump(scales), "items": _dump(items), "forms": _dump(forms),
        "time_limit": _dump(time_limit),
    }
