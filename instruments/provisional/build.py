"""Build the provisional item parameters and norm tables from stated population assumptions.

Nothing here is estimated from real responses: every number follows from the assumptions in
``ASSUMPTIONS`` below, documented with citations in ``instruments/PROVISIONAL.md``, and every
output is marked ``provisional``. When a centre has calibration data, the toolkit in
``assessment/psychometrics`` replaces these files; this script then stays as the documented
origin of the shipped defaults.

* Item parameters (V, N, S banks): 3PL with
  b = β₀ + Σ βₖ·featureₖ + ε, ε ~ N(0, 0.3²)  (feature-based difficulty, LLTM: Fischer 1973,
  *Acta Psychologica* 37; Embretson 1998, *Psychological Methods* 3(3)),
  a ~ lognormal(0, 0.25) clipped to [0.5, 2.5], c = 0.20 for four options (Lord 1980, ch. 2;
  mirt's default Beta prior on c centres near 0.2). Random parts are seeded by item id, so an
  item keeps its parameters when others are added.
* Norms: for each scale, mean and sd of the raw metric (θ, mean 1–5, or rate per minute) in
  every age band × education group, from an additive model in standard-deviation units
  (group mean = overall + sd·(education effect + age effect), centred on the assumed population
  mix; within-cell variance = total − between-cell variance), with margins ("all") by the law of
  total variance. ``n`` is 0: no sample stands behind these rows.

Run ``python -m instruments.provisional.build`` (after the generators) to rewrite every
``parameters.csv``, ``norms.csv`` and ``norms.meta.yaml``; the output is deterministic.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import yaml

from instruments import registry
from instruments.registry_hashing import composite_hash

ROOT = registry.ROOT

# --- population assumptions (see PROVISIONAL.md) ------------------------------------------------

AGE_MIX = {"16-24": 0.15, "25-34": 0.25, "35-44": 0.22, "45-54": 0.25, "55-64": 0.13}
"""Assumed age mix of people assessed at public employment service centres."""
EDU_MIX = {"primary_or_less": 0.20, "junior_secondary": 0.40, "senior_secondary": 0.28,
           "tertiary": 0.12}
"""Assumed education mix of the same population (weighted towards lower schooling)."""

EDU_ABILITY = {"primary_or_less": -0.60, "junior_secondary": -0.20, "senior_secondary": 0.20,
               "tertiary": 0.60}
"""Education gradient of aptitude scores, SD units (about 0.4 SD per level)."""
AGE_FLAT = {band: 0.0 for band in AGE_MIX}
AGE_FLUID = {"16-24": 0.15, "25-34": 0.15, "35-44": 0.0, "45-54": -0.15, "55-64": -0.30}
"""Age gradient for reasoning and spatial tests, SD units (decline after 35)."""
AGE_SPEED = {"16-24": 0.25, "25-34": 0.20, "35-44": 0.0, "45-54": -0.25, "55-64": -0.50}
"""Age gradient for speeded perception tests, SD units (steeper decline after 35)."""
EDU_NONE = {group: 0.0 for group in EDU_MIX}


@dataclass(frozen=True)
class NormSpec:
    """Population distribution of one scale's raw score: overall mean/sd and group effects."""

    mean: float
    sd: float
    edu: dict[str, float] = field(default_factory=lambda: dict(EDU_NONE))
    age: dict[str, float] = field(default_factory=lambda: dict(AGE_FLAT))


def _scaled(effects: dict[str, float], k: float) -> dict[str, float]:
    return {key: k * value for key, value in effects.items()}


THETA = dict(mean=0.0, sd=1.0)
NORM_SPECS: dict[str, dict[str, NormSpec]] = {
    "aptitude-v": {"V": NormSpec(**THETA, edu=EDU_ABILITY, age=_scaled(AGE_FLUID, -0.3))},
    "aptitude-n": {"N": NormSpec(**THETA, edu=EDU_ABILITY, age=_scaled(AGE_FLUID, 0.5))},
    "aptitude-s": {"S": NormSpec(**THETA, edu=_scaled(EDU_ABILITY, 0.8), age=AGE_FLUID)},
    "aptitude-p": {"P": NormSpec(5.0, 1.8, edu=_scaled(EDU_ABILITY, 0.6), age=AGE_SPEED)},
    "aptitude-q": {"Q": NormSpec(9.0, 3.0, edu=_scaled(EDU_ABILITY, 0.8), age=AGE_SPEED)},
    "traits-big5": {
        "extraversion": NormSpec(3.25, 0.75),
        "agreeableness": NormSpec(3.85, 0.60, age={"16-24": -0.10, "25-34": -0.05, "35-44": 0.0,
                                                   "45-54": 0.05, "55-64": 0.10}),
        "conscientiousness": NormSpec(3.65, 0.65, age={"16-24": -0.20, "25-34": -0.05,
                                                       "35-44": 0.05, "45-54": 0.10,
                                                       "55-64": 0.10}),
        "emotional_stability": NormSpec(3.15, 0.75, age={"16-24": -0.10, "25-34": -0.05,
                                                         "35-44": 0.0, "45-54": 0.05,
                                                         "55-64": 0.10}),
        "openness": NormSpec(3.45, 0.60, edu=_scaled(EDU_ABILITY, 0.4)),
    },
    "interest-riasec": {
        "realistic": NormSpec(3.10, 0.85),
        "investigative": NormSpec(2.90, 0.85, edu=_scaled(EDU_ABILITY, 0.4)),
        "artistic": NormSpec(3.00, 0.85, edu=_scaled(EDU_ABILITY, 0.2)),
        "social": NormSpec(3.30, 0.80),
        "enterprising": NormSpec(2.95, 0.85, edu=_scaled(EDU_ABILITY, 0.2)),
        "conventional": NormSpec(3.15, 0.80),
    },
    "motivation": {
        "achievement": NormSpec(3.95, 0.65),
        "working_conditions": NormSpec(4.35, 0.55),
        "recognition": NormSpec(3.80, 0.70),
        "relationships": NormSpec(4.10, 0.60),
        "support": NormSpec(4.10, 0.60),
        "independence": NormSpec(3.60, 0.75),
        "employment_commitment": NormSpec(4.00, 0.70),
        "job_search_self_efficacy": NormSpec(3.50, 0.80, edu=_scaled(EDU_ABILITY, 0.3)),
        "job_search_activity": NormSpec(2.30, 0.90),
        "readiness_to_change": NormSpec(3.80, 0.70),
        "perceived_barriers": NormSpec(2.20, 0.85),
    },
}
"""Overall raw-score distributions by instrument and scale; rationale in PROVISIONAL.md."""

APTITUDE_INTERCORRELATION = 0.6
"""Assumed correlation among θ_V, θ_N, θ_S (GATB V–N–S intercorrelations are about 0.5–0.7)."""


# --- item parameters ----------------------------------------------------------------------------

def _item_rng(item_id: str) -> np.random.Generator:
    seed = int.from_bytes(hashlib.sha256(item_id.encode("utf-8")).digest()[:8], "big")
    return np.random.default_rng(seed)


def difficulty_v(f: dict[str, Any]) -> float:
    """V: writer's level 1–3 (one logit per level); notices need a little more reading."""
    return -1.5 + 1.0 * (f["level"] - 1) + 0.15 * (f["kind"] == "notice")


def difficulty_n(f: dict[str, Any]) -> float:
    """N: rule level (series) or steps, decimals and clock arithmetic (word problems); larger
    numbers add a little."""
    if f["family"] == "series":
        return -1.6 + 0.8 * (f["rule_level"] - 1) + 0.2 * np.log10(max(f["max_term"], 10) / 10)
    return (-1.4 + 0.75 * (f["steps"] - 1) + 0.4 * bool(f["decimal"]) + 0.3 * bool(f["time_calc"])
            + 0.2 * np.log10(max(f["max_number"], 10) / 10))


def difficulty_s(f: dict[str, Any]) -> float:
    """S: blocks, angular disparity (0.8 logit per 100°) and mirror distractors; fitting a piece
    into a visible gap is a little easier than free rotation."""
    return (-1.8 + 0.35 * (f["n_blocks"] - 4) + 0.008 * f["angle"] + 0.35 * f["n_mirror"]
            - 0.2 * (f["model"] == "fit"))


DIFFICULTY: dict[str, Callable[[dict[str, Any]], float]] = {
    "aptitude-v": difficulty_v, "aptitude-n": difficulty_n, "aptitude-s": difficulty_s,
}
RESIDUAL_SD = 0.3  # item-specific difficulty not explained by the features, logits
GUESSING = 0.20


def item_parameters(item_id: str, features: dict[str, Any],
                    difficulty: Callable[[dict[str, Any]], float]) -> dict[str, Any]:
    """Provisional 3PL parameters for one item, deterministic in its id and features."""
    rng = _item_rng(item_id)
    b = float(np.clip(difficulty(features) + rng.normal(0.0, RESIDUAL_SD), -3.0, 3.0))
    a = float(np.clip(rng.lognormal(0.0, 0.25), 0.5, 2.5))
    return {"item_id": item_id, "model": "3PL", "a": round(a, 3), "b": round(b, 3),
            "c": GUESSING, "thresholds": "", "provisional": "true"}


def _raw_items(folder: Path) -> list[dict[str, Any]]:
    meta = yaml.safe_load((folder / "instrument.yaml").read_text(encoding="utf-8"))
    items = list(meta.get("items") or [])
    for rel in meta.get("include") or []:
        items += yaml.safe_load((folder / rel).read_text(encoding="utf-8")).get("items") or []
    return items


def write_parameters(instrument_id: str) -> Path:
    """Rewrite ``<instrument>/parameters.csv`` for an ability bank."""
    folder = ROOT / instrument_id
    rows = [item_parameters(it["id"], it["features"], DIFFICULTY[instrument_id])
            for it in _raw_items(folder)]
    path = folder / "parameters.csv"
    _write_csv(path, ["item_id", "model", "a", "b", "c", "thresholds", "provisional"], rows)
    return path


# --- norms -------------------------------------------------------------------------------------

def norm_rows(scale: str, spec: NormSpec) -> list[dict[str, Any]]:
    """All rows of one scale: every age band × education group, their margins and all/all."""
    ages, edus = list(AGE_MIX), list(EDU_MIX)
    wa = np.array([AGE_MIX[a] for a in ages])
    we = np.array([EDU_MIX[e] for e in edus])
    w = np.outer(wa, we)  # age and education assumed independent
    effect = np.array([[spec.age[a] + spec.edu[e] for e in edus] for a in ages])
    effect -= (w * effect).sum()  # centre so the population mean is spec.mean
    between = (w * effect**2).sum()
    if between >= 1.0:
        raise ValueError(f"{scale}: group effects explain all the variance; shrink them")
    within = 1.0 - between  # standardised within-cell variance

    def margin(mask: np.ndarray) -> tuple[float, float]:
        ww = w * mask
        ww = ww / ww.sum()
        mu = (ww * effect).sum()
        var = within + (ww * (effect - mu) ** 2).sum()
        return spec.mean + spec.sd * mu, spec.sd * np.sqrt(var)

    rows = []
    labels = [(a, e) for a in ages + ["all"] for e in edus + ["all"]]
    for a, e in labels:
        mask = np.ones_like(w)
        if a != "all":
            mask = mask * (np.array(ages) == a)[:, None]
        if e != "all":
            mask = mask * (np.array(edus) == e)[None, :]
        mean, sd = margin(mask)
        rows.append({"scale": scale, "group_age_band": a, "group_education": e,
                     "mean": round(float(mean), 4) + 0.0, "sd": round(float(sd), 4), "n": 0})
    return rows


def composite_spec(parts: list[NormSpec], rho: float = APTITUDE_INTERCORRELATION) -> NormSpec:
    """Distribution of the mean of k standardised θ scores with common correlation ``rho``."""
    k = len(parts)
    sd = float(np.sqrt((k + k * (k - 1) * rho) / k**2))
    # Group effects are in each part's SD units (1 for θ); the mean's effect is their average,
    # re-expressed in the composite's SD units.
    edu = {g: float(np.mean([p.edu[g] for p in parts])) / sd for g in EDU_MIX}
    age = {b: float(np.mean([p.age[b] for p in parts])) / sd for b in AGE_MIX}
    return NormSpec(mean=0.0, sd=sd, edu=edu, age=age)


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _write_meta(path: Path, instrument_hash: str | None) -> None:
    meta = {
        "instrument_hash": instrument_hash,
        "provisional": True,
        "built_by": "python -m instruments.provisional.build",
        "assumptions": "instruments/PROVISIONAL.md",
        "n_note": "n = 0: rows follow from stated assumptions, not from a sample",
    }
    path.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_norms(instrument_id: str) -> Path:
    """Rewrite ``<instrument>/norms.csv`` and stamp ``norms.meta.yaml`` with the content hash."""
    folder = ROOT / instrument_id
    rows = [row for scale, spec in NORM_SPECS[instrument_id].items()
            for row in norm_rows(scale, spec)]
    path = folder / "norms.csv"
    _write_csv(path, ["scale", "group_age_band", "group_education", "mean", "sd", "n"], rows)
    meta_path = folder / "norms.meta.yaml"
    if not meta_path.exists():
        _write_meta(meta_path, None)
    # The table exists now, so the instrument loads; stamp the hash of what was normed.
    instrument = registry.load_instrument(folder)
    _write_meta(meta_path, instrument.content_hash)
    return path


def write_composite_norms() -> Path:
    """Rewrite ``composites/norms.csv`` for G from the V, N and S assumptions."""
    folder = ROOT / "composites"
    spec = composite_spec([NORM_SPECS["aptitude-v"]["V"], NORM_SPECS["aptitude-n"]["N"],
                           NORM_SPECS["aptitude-s"]["S"]])
    path = folder / "norms.csv"
    _write_csv(path, ["scale", "group_age_band", "group_education", "mean", "sd", "n"],
               norm_rows("G", spec))
    registry.clear_cache()  # the parts' norms were just re-stamped
    bank = registry.load_all()
    g = registry.load_composites()["G"]
    _write_meta(folder / "norms.meta.yaml", composite_hash(g, bank))
    return path


def main() -> None:
    """Rewrite all provisional parameters and norms."""
    for instrument_id in DIFFICULTY:
        print("parameters", write_parameters(instrument_id).relative_to(ROOT))
    for instrument_id in NORM_SPECS:
        print("norms     ", write_norms(instrument_id).relative_to(ROOT))
    print("norms     ", write_composite_norms().relative_to(ROOT))
    registry.clear_cache()


if __name__ == "__main__":
    main()
