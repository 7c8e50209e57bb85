"""Load the instrument bank: read the definition files, validate them, cache the result.

Each instrument is a folder ``instruments/<id>/`` holding ``instrument.yaml`` (metadata, response
formats, scales, time limit), optional included item files (``include: [items.yaml]``, which may
add ``items``, ``forms`` and ``practice``), ``parameters.csv`` (IRT parameters), ``norms.csv`` with
``norms.meta.yaml`` (the hash the table was built for) and ``interpretations.yaml``.

The loader collects *every* problem (missing translation, unknown scale, duplicate id, key not
among the options, scale without items, parameters out of range, …) and raises one
``InstrumentDefinitionError`` naming file, item id and cause. ``load_all`` caches per process.
The checks themselves are in ``instruments.registry_validation``, the content hash in
``instruments.registry_hashing`` and the test taker's view in ``instruments.registry_public``.

Public API: ``load_instrument``, ``load_all``, ``get_instrument``, ``load_batteries``,
``load_composites``, ``load_bands``, ``load_norm_groups``, ``clear_cache``.
"""
from __future__ import annotations

import csv
import functools
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from instruments.errors import InstrumentDefinitionError, Problem
from instruments.registry_hashing import composite_hash, content_hash, scoring_fields
from instruments.registry_validation import (
    check_form,
    check_item,
    check_practice,
    check_scale_members,
    check_validity_rule,
    validate_model,
)
from models.instrument import (
    Battery,
    Composite,
    Form,
    Instrument,
    InterpretationBand,
    Interpretation,
    Item,
    ItemParameters,
    LocalizedText,
    NormGroups,
    NormRow,
    NormTableRef,
    PracticeItem,
    ResponseFormat,
    Scale,
    TimeLimit,
)

ROOT = Path(__file__).resolve().parent
"""The shipped instrument bank."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10× faster when present
_OPTION_IDS = "ABCDEFGH"
_NORM_COLUMNS = ["scale", "group_age_band", "group_education", "mean", "sd", "n"]


# ---------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except FileNotFoundError:
        problems.append(Problem(path, None, "file not found"))
    except yaml.YAMLError as exc:
        problems.append(Problem(path, None, f"not valid YAML: {exc}"))
    return None


def _read_svg(base: Path, rel: str, file: Path, label: str, problems: list[Problem]) -> str | None:
    path = base / rel
    try:
        svg = path.read_text(encoding="utf-8")
    except OSError:
        problems.append(Problem(file, label, f"SVG file {rel!r} not found"))
        return None
    if "<svg" not in svg:
        problems.append(Problem(file, label, f"{rel!r} is not an SVG drawing"))
        return None
    return svg.strip()


def _normalise_item(raw: Any, base: Path, file: Path, problems: list[Problem]) -> Any:
    """Expand the YAML shorthands: options as bare texts (ids A, B, …) and SVG file references."""
    if not isinstance(raw, dict):
        return raw
    raw = dict(raw)
    label = str(raw.get("id"))
    if "stimulus_file" in raw:
        raw["stimulus_svg"] = _read_svg(base, raw.pop("stimulus_file"), file, label, problems)
    options = raw.get("options")
    if isinstance(options, list):
        expanded = []
        for i, opt in enumerate(options):
            if isinstance(opt, dict) and ("zh-CN" in opt or "en" in opt) and "id" not in opt:
                opt = {"id": _OPTION_IDS[i] if i < len(_OPTION_IDS) else str(i), "text": opt}
            elif isinstance(opt, dict):
                opt = dict(opt)
                if "svg_file" in opt:
                    opt["svg"] = _read_svg(base, opt.pop("svg_file"), file, label, problems)
            expanded.append(opt)
        raw["options"] = expanded
    return raw


# ---------------------------------------------------------------------------------------------
# shared data: bands and norm groups
# ---------------------------------------------------------------------------------------------


def load_bands(root: Path | str | None = None) -> tuple[InterpretationBand, ...]:
    """The T-score bands every scale is interpreted in, lowest first (``bands.yaml``)."""
    return _load_bands(Path(root or ROOT).resolve())


@functools.lru_cache(maxsize=None)
def _load_bands(root: Path) -> tuple[InterpretationBand, ...]:
    problems: list[Problem] = []
    file = Path(root) / "bands.yaml"
    raw = _read_yaml(file, problems) or {}
    bands = [validate_model(InterpretationBand, b, file, str(b.get("id")) if isinstance(b, dict)
                       else None, problems) for b in raw.get("bands", [])]
    bands = [b for b in bands if b is not None]
    for lo, hi in zip(bands, bands[1:]):
        if lo.t_max != hi.t_min:
            problems.append(Problem(file, hi.id, f"band starts at {hi.t_min}, previous ends at "
                                                 f"{lo.t_max}: bands must tile the T scale"))
    if not bands:
        problems.append(Problem(file, None, "no bands defined"))
    if problems:
        raise InstrumentDefinitionError(problems)
    return tuple(bands)


def load_norm_groups(root: Path | str | None = None) -> NormGroups:
    """Age bands and education groups of the norm tables (``norm_groups.yaml``)."""
    return _load_norm_groups(Path(root or ROOT).resolve())


@functools.lru_cache(maxsize=None)
def _load_norm_groups(root: Path) -> NormGroups:
    problems: list[Problem] = []
    file = Path(root) / "norm_groups.yaml"
    groups = validate_model(NormGroups, _read_yaml(file, problems), file, None, problems)
    if problems:
        raise InstrumentDefinitionError(problems)
    return groups


def _load_interpretations(file: Path, scale_ids: list[str], bands: tuple[InterpretationBand, ...],
                          problems: list[Problem]) -> list[Interpretation]:
    raw = _read_yaml(file, problems)
    if raw is None:
        return []
    if not isinstance(raw, dict):
        problems.append(Problem(file, None, "expected a mapping scale → band → texts"))
        return []
    band_ids = [b.id for b in bands]
    out: list[Interpretation] = []
    for scale_id, per_band in raw.items():
        if scale_id not in scale_ids:
            problems.append(Problem(file, str(scale_id), "interpretation for an unknown scale"))
            continue
        per_band = per_band or {}
        for band_id in per_band:
            if band_id not in band_ids:
                problems.append(Problem(file, f"{scale_id}/{band_id}", "unknown band"))
        for band_id in band_ids:
            if band_id not in per_band:
                problems.append(Problem(file, f"{scale_id}/{band_id}", "missing interpretation"))
                continue
            texts = per_band[band_id]
            texts = dict(texts) if isinstance(texts, dict) else {}
            interp = validate_model(Interpretation, {"scale": scale_id, "band": band_id, **texts},
                               file, f"{scale_id}/{band_id}", problems)
            if interp is not None:
                out.append(interp)
    for scale_id in scale_ids:
        if scale_id not in raw:
            problems.append(Problem(file, scale_id, "scale has no interpretation texts"))
    return out


def _load_norms(base: Path, raw_ref: Any, scale_ids: list[str], groups: NormGroups, owner: Path,
                problems: list[Problem]) -> NormTableRef | None:
    if raw_ref is None:
        return None
    if not isinstance(raw_ref, dict) or "file" not in raw_ref:
        problems.append(Problem(owner, "norms", "norms needs at least {file: ..., provisional: ...}"))
        return None
    file = base / raw_ref["file"]
    rows: list[NormRow] = []
    try:
        with file.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames != _NORM_COLUMNS:
                problems.append(Problem(file, None, f"columns must be {_NORM_COLUMNS}, "
                                                    f"found {reader.fieldnames}"))
                return None
            for line, row in enumerate(reader, start=2):
                norm = validate_model(NormRow, row, file, f"line {line} ({row.get('scale')})", problems)
                if norm is not None:
                    rows.append(norm)
    except FileNotFoundError:
        problems.append(Problem(owner, "norms", f"norm table {raw_ref['file']!r} not found"))
        return None
    ages = {b.id for b in groups.age_bands} | {"all"}
    edus = {g.id for g in groups.education_groups} | {"all"}
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        key = (row.scale, row.group_age_band, row.group_education)
        label = "/".join(key)
        if row.scale not in scale_ids:
            problems.append(Problem(file, label, "norm row for an unknown scale"))
        if row.group_age_band not in ages or row.group_education not in edus:
            problems.append(Problem(file, label, "unknown norm group (see norm_groups.yaml)"))
        if key in seen:
            problems.append(Problem(file, label, "duplicate norm row"))
        seen.add(key)
    for scale_id in scale_ids:
        if (scale_id, "all", "all") not in seen:
            problems.append(Problem(file, scale_id, "scale has no norm row for group all/all"))
    meta_file = file.with_name(file.stem + ".meta.yaml")
    meta = _read_yaml(meta_file, []) if meta_file.exists() else {}
    return validate_model(NormTableRef, {
        "file": raw_ref["file"],
        "provisional": raw_ref.get("provisional", (meta or {}).get("provisional", True)),
        "instrument_hash": (meta or {}).get("instrument_hash"),
        "rows": rows,
    }, owner, "norms", problems)


def _load_parameters(file: Path, problems: list[Problem]) -> dict[str, ItemParameters]:
    out: dict[str, ItemParameters] = {}
    try:
        with file.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                item_id = row.get("item_id") or "?"
                raw: dict[str, Any] = {"model": row.get("model"), "a": row.get("a"),
                                       "provisional": row.get("provisional", "true").lower() == "true"}
                for name in ("b", "c"):
                    if row.get(name) not in (None, ""):
                        raw[name] = row[name]
                if row.get("thresholds"):
                    raw["thresholds"] = [float(t) for t in row["thresholds"].split(";")]
                if item_id in out:
                    problems.append(Problem(file, item_id, "duplicate parameter row"))
                params = validate_model(ItemParameters, raw, file, item_id, problems)
                if params is not None:
                    out[item_id] = params
    except FileNotFoundError:
        problems.append(Problem(file, None, "parameter file not found"))
    return out


# ---------------------------------------------------------------------------------------------
# one instrument
# ---------------------------------------------------------------------------------------------

_META_KEYS = {"id", "version", "kind", "title", "instructions", "minutes", "time_limit",
              "response_formats", "default_response_format", "scales", "items", "forms",
              "practice", "include", "parameters", "norms", "interpretations", "sources",
              "provisional"}


def load_instrument(path: Path | str, *, bands: tuple[InterpretationBand, ...] | None = None,
                    norm_groups: NormGroups | None = None) -> Instrument:
    """Load and validate one instrument from its folder (or its ``instrument.yaml``).

    ``bands`` and ``norm_groups`` default to the shipped ``bands.yaml`` and ``norm_groups.yaml``.
    Raises ``InstrumentDefinitionError`` listing every problem found. Not cached: use
    ``load_all``/``get_instrument`` for the shipped bank.
    """
    path = Path(path)
    base = path if path.is_dir() else path.parent
    main = base / "instrument.yaml"
    bands = bands if bands is not None else load_bands()
    norm_groups = norm_groups if norm_groups is not None else load_norm_groups()
    problems: list[Problem] = []

    meta = _read_yaml(main, problems)
    if not isinstance(meta, dict):
        if meta is not None:
            problems.append(Problem(main, None, "expected a mapping at the top level"))
        raise InstrumentDefinitionError(problems)
    for key in sorted(set(meta) - _META_KEYS):
        problems.append(Problem(main, None, f"unknown field {key!r}"))

    # Items, forms and practice items may come from the main file and any included file.
    sourced_items: list[tuple[Path, Any]] = [(main, it) for it in meta.get("items") or []]
    sourced_forms: list[tuple[Path, Any]] = [(main, f) for f in meta.get("forms") or []]
    sourced_practice: list[tuple[Path, Any]] = [(main, p) for p in meta.get("practice") or []]
    for rel in meta.get("include") or []:
        inc_file = base / rel
        inc = _read_yaml(inc_file, problems)
        if inc is None:
            continue
        if not isinstance(inc, dict) or set(inc) - {"items", "forms", "practice"}:
            problems.append(Problem(inc_file, None, "an included file may hold only items, forms "
                                                    "and practice"))
            continue
        sourced_items += [(inc_file, it) for it in inc.get("items") or []]
        sourced_forms += [(inc_file, f) for f in inc.get("forms") or []]
        sourced_practice += [(inc_file, p) for p in inc.get("practice") or []]

    params_file = base / meta["parameters"] if meta.get("parameters") else None
    parameters = _load_parameters(params_file, problems) if params_file else {}

    def part(model: type[BaseModel], key: str, label: str | None = None) -> Any:
        if key not in meta:
            return None
        return validate_model(model, meta[key], main, label or key, problems)

    title = part(LocalizedText, "title")
    instructions = part(LocalizedText, "instructions")
    time_limit = part(TimeLimit, "time_limit")
    formats: dict[str, ResponseFormat] = {}
    for fmt_id, raw in (meta.get("response_formats") or {}).items():
        fmt = validate_model(ResponseFormat, raw, main, f"response_formats.{fmt_id}", problems)
        if fmt is not None:
            formats[str(fmt_id)] = fmt
    default_format = meta.get("default_response_format")
    if default_format not in formats:
        problems.append(Problem(main, "default_response_format",
                                f"{default_format!r} is not among response_formats {sorted(formats)}"))

    scales: list[Scale] = []
    for raw in meta.get("scales") or []:
        label = str(raw.get("id")) if isinstance(raw, dict) else None
        scale = validate_model(Scale, raw, main, label, problems)
        if scale is not None:
            scales.append(scale)
    for scale_id, n in Counter(s.id for s in scales).items():
        if n > 1:
            problems.append(Problem(main, scale_id, "duplicate scale id"))
    if not scales:
        problems.append(Problem(main, None, "instrument defines no scales"))
    scale_by_id = {s.id: s for s in scales}

    items: list[Item] = []
    item_file: dict[str, Path] = {}
    seen_ids: dict[str, Path] = {}
    for file, raw in sourced_items:
        label = str(raw.get("id")) if isinstance(raw, dict) else None
        raw = _normalise_item(raw, base, file, problems)
        if isinstance(raw, dict) and label in parameters:
            raw["parameters"] = parameters[label]
        item = validate_model(Item, raw, file, label, problems)
        if item is None:
            continue
        if item.id in seen_ids:
            problems.append(Problem(file, item.id, f"duplicate item id (also in {seen_ids[item.id].name})"))
            continue
        seen_ids[item.id] = file
        item_file[item.id] = file
        items.append(item)
        check_item(item, file, scale_by_id, formats, default_format, problems)

    item_by_id = {i.id: i for i in items}
    for item in items:
        check_validity_rule(item, item_file[item.id], item_by_id, formats, default_format, problems)
    if params_file:
        for item_id in parameters:
            if item_id not in item_by_id:
                problems.append(Problem(params_file, item_id, "parameters for an unknown item"))

    practice: list[PracticeItem] = []
    for file, raw in sourced_practice:
        label = str(raw.get("id")) if isinstance(raw, dict) else None
        raw = _normalise_item(raw, base, file, problems)
        p_item = validate_model(PracticeItem, raw, file, label, problems)
        if p_item is None:
            continue
        if p_item.id in seen_ids:
            problems.append(Problem(file, p_item.id, "duplicate item id (practice ids must differ "
                                                     "from bank ids)"))
        seen_ids[p_item.id] = file
        check_practice(p_item, file, problems)
        practice.append(p_item)

    forms: list[Form] = []
    for file, raw in sourced_forms:
        label = str(raw.get("id")) if isinstance(raw, dict) else None
        form = validate_model(Form, raw, file, label, problems)
        if form is None:
            continue
        check_form(form, file, forms, item_by_id, problems)
        forms.append(form)

    for scale in scales:
        check_scale_members(scale, items, main, item_file, problems)

    interpretations: list[Interpretation] = []
    if meta.get("interpretations"):
        interpretations = _load_interpretations(base / meta["interpretations"],
                                                [s.id for s in scales], bands, problems)
    norms = _load_norms(base, meta.get("norms"), [s.id for s in scales], norm_groups, main,
                        problems)

    if problems:
        raise InstrumentDefinitionError(problems)

    hashed = scoring_fields(meta.get("id"), meta.get("version"), formats, default_format, scales, items, forms,
                            time_limit)
    return _validate_or_raise(Instrument, {
        "id": meta.get("id"),
        "base_version": meta.get("version"),
        "content_hash": content_hash(hashed),
        "kind": meta.get("kind"),
        "title": title,
        "instructions": instructions,
        "response_formats": formats,
        "default_response_format": default_format,
        "scales": scales,
        "items": items,
        "practice": practice,
        "forms": forms,
        "time_limit": time_limit,
        "minutes": meta.get("minutes"),
        "norms": norms,
        "interpretations": interpretations,
        "sources": meta.get("sources") or [],
        "provisional": meta.get("provisional"),
    }, main)


def _validate_or_raise(model: type[BaseModel], raw: Any, file: Path) -> Any:
    problems: list[Problem] = []
    obj = validate_model(model, raw, file, None, problems)
    if problems:
        raise InstrumentDefinitionError(problems)
    return obj


# ---------------------------------------------------------------------------------------------
# the whole bank
# ---------------------------------------------------------------------------------------------


def _instrument_dirs(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if (p / "instrument.yaml").is_file())


def load_all(root: Path | str | None = None) -> dict[str, Instrument]:
    """Every instrument under ``root``, by id; loaded and validated once per process.

    Raises ``InstrumentDefinitionError`` with the problems of every broken instrument.
    """
    return dict(_load_all(Path(root or ROOT).resolve()))  # a copy: callers cannot alter the cache


@functools.lru_cache(maxsize=None)
def _load_all(root: Path) -> dict[str, Instrument]:
    root = Path(root)
    bands, groups = load_bands(root), load_norm_groups(root)
    out: dict[str, Instrument] = {}
    problems: list[Problem] = []
    for folder in _instrument_dirs(root):
        try:
            inst = load_instrument(folder, bands=bands, norm_groups=groups)
        except InstrumentDefinitionError as exc:
            problems.extend(exc.problems)
            continue
        if inst.id != folder.name:
            problems.append(Problem(folder / "instrument.yaml", None,
                                    f"id {inst.id!r} differs from its folder name {folder.name!r}"))
        out[inst.id] = inst
    if problems:
        raise InstrumentDefinitionError(problems)
    return out


def get_instrument(instrument_id: str, root: Path = ROOT) -> Instrument:
    """One shipped instrument by id; KeyError naming the known ids if there is none."""
    bank = load_all(root)
    try:
        return bank[instrument_id]
    except KeyError:
        raise KeyError(f"no instrument {instrument_id!r}; known: {sorted(bank)}") from None


def load_composites(root: Path | str | None = None) -> dict[str, Composite]:
    """Composite scores (e.g. G = V + N + S) from ``composites/composites.yaml``, by id."""
    return dict(_load_composites(Path(root or ROOT).resolve()))


@functools.lru_cache(maxsize=None)
def _load_composites(root: Path) -> dict[str, Composite]:
    root = Path(root)
    bank = load_all(root)
    base = root / "composites"
    file = base / "composites.yaml"
    problems: list[Problem] = []
    raw = _read_yaml(file, problems) or {}
    entries = raw.get("composites", []) if isinstance(raw, dict) else []
    ids = [str(e.get("id")) for e in entries if isinstance(e, dict)]
    interpretations = (_load_interpretations(base / raw["interpretations"], ids, load_bands(root),
                                             problems) if raw.get("interpretations") else [])
    norms = _load_norms(base, raw.get("norms"), ids, load_norm_groups(root), file, problems)
    out: dict[str, Composite] = {}
    for entry in entries:
        cid = str(entry.get("id"))
        comp = validate_model(Composite, {
            **entry,
            "interpretations": [i for i in interpretations if i.scale == cid],
            "norms": None if norms is None else norms.model_copy(
                update={"rows": [r for r in norms.rows if r.scale == cid]}),
        }, file, cid, problems)
        if comp is None:
            continue
        known = True
        for p in comp.parts:
            inst = bank.get(p.instrument)
            if inst is None or p.scale not in {s.id for s in inst.scales}:
                problems.append(Problem(file, cid, f"part {p.instrument}/{p.scale} is not a known "
                                                   f"instrument scale"))
                known = False
            elif inst.scale(p.scale).scoring.method != "irt":
                problems.append(Problem(file, cid, f"part {p.instrument}/{p.scale} is not "
                                                   f"IRT-scored, so it has no θ to average"))
        if known:
            comp = comp.model_copy(update={"content_hash": composite_hash(comp, bank)})
        out[comp.id] = comp
    if problems:
        raise InstrumentDefinitionError(problems)
    return out


def load_batteries(root: Path | str | None = None) -> dict[str, Battery]:
    """Batteries from ``batteries.yaml``, by id, checked against the instruments and composites."""
    return dict(_load_batteries(Path(root or ROOT).resolve()))


@functools.lru_cache(maxsize=None)
def _load_batteries(root: Path) -> dict[str, Battery]:
    root = Path(root)
    bank = load_all(root)
    composites = load_composites(root)
    file = root / "batteries.yaml"
    problems: list[Problem] = []
    raw = _read_yaml(file, problems) or {}
    out: dict[str, Battery] = {}
    for entry in raw.get("batteries", []) if isinstance(raw, dict) else []:
        label = str(entry.get("id")) if isinstance(entry, dict) else None
        battery = validate_model(Battery, entry, file, label, problems)
        if battery is None:
            continue
        for p in battery.parts:
            inst = bank.get(p.instrument)
            if inst is None:
                problems.append(Problem(file, battery.id, f"unknown instrument {p.instrument!r}"))
            elif p.form and p.form not in {f.id for f in inst.forms}:
                problems.append(Problem(file, battery.id, f"{p.instrument} has no form {p.form!r}"))
            elif p.mode == "adaptive" and any(s.scoring.method != "irt" for s in inst.scales):
                problems.append(Problem(file, battery.id, f"{p.instrument} is not IRT-scored and "
                                                          f"cannot be given adaptively"))
        for cid in battery.composites:
            if cid not in composites:
                problems.append(Problem(file, battery.id, f"unknown composite {cid!r}"))
        if battery.id in out:
            problems.append(Problem(file, battery.id, "duplicate battery id"))
        out[battery.id] = battery
    if problems:
        raise InstrumentDefinitionError(problems)
    return out


def clear_cache() -> None:
    """Forget every cached load (after editing definitions in a running process)."""
    for fn in (_load_all, _load_bands, _load_norm_groups, _load_composites, _load_batteries):
        fn.cache_clear()
