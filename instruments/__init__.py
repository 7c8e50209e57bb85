"""The instrument bank as versioned data (YAML, item parameters, norms, texts) and its loader.

>>> from instruments import load_all, public_view
>>> bank = load_all()                       # validated once per process, cached
>>> form = public_view(bank["aptitude-v"], "zh-CN", form="short")   # nothing secret inside

See ``instruments/README.md`` for the instruments and ``instruments/PROVISIONAL.md`` for how the
shipped parameters and norms were made.
"""
from instruments.errors import InstrumentDefinitionError, Problem
from instruments.registry import (
    clear_cache,
    get_instrument,
    load_all,
    load_bands,
    load_batteries,
    load_composites,
    load_instrument,
    load_norm_groups,
)
from instruments.registry_public import public_view, summary

__all__ = [
    "InstrumentDefinitionError", "Problem", "clear_cache", "get_instrument", "load_all",
    "load_bands", "load_batteries", "load_composites", "load_instrument", "load_norm_groups",
    "public_view", "summary",
]
