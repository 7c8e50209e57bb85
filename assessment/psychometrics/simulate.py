"""Simulated response data for the shipped instruments, for QA reports, tests and training.

One person sample is drawn with latent traits and demographics, then every item is answered under a
model consistent with the instrument's definition:

- IRT scales (items with ``parameters``): θ ~ N(0, 1) per scale; 2PL/3PL items answer correctly with
  P = c + (1 − c)·logistic(a(θ − b)) (Birnbaum 1968), GRM items by Samejima's (1969) graded model. A
  wrong answer to a multiple-choice item picks a distractor with item-specific attractiveness
  (Dirichlet(2, …, 2) shares), so distractor analysis sees realistic, unequal options.
- Likert scales: correlated common factors (one per scale) and a graded response model per item,
  slopes a ~ U(1.2, 2.4) and thresholds spread over the item's own location, the latent-trait
  formulation of the ordinal factor model (Takane & de Leeuw 1987). Reverse-keyed items respond to the
  *negative* of their factor, so after reverse keying (max + min − x) they measure the trait. Factor
  correlations: Holland's hexagon for RIASEC instruments (adjacent .45, alternate .25, opposite .10;
  Prediger 1982, Tracey & Rounds 1993), otherwise ``factor_corr`` (default .25) between every pair.
- Validity items: infrequency items are answered inside their expected categories by 97 % of
  persons; consistency items repeat their pair's answer (mirrored when ``opposite``) within ±1.
- Speeded tests (``time_limit.speeded``): each person works at a rate (items/minute, log-normal,
  correlated .4 with ability) until the time limit, items are taken in order and the rest are left
  empty (not reached); answered items are right with P = logistic(2.2 + θ − 0.6·e_j) with item
  effort e_j ~ N(0, 1), wrong answers pick another option. Mean items reached ≈ 70 % of the test.

Demographics for DIF checks: ``gender`` ("F"/"M", 50/50), ``age`` (years, uniform 16–64) and, given the
norm groups' age bands, ``age_band``. ``group_effect`` shifts the focal group's (gender "F") θ
(impact, not DIF); ``dif`` adds item-level bias for the focal group (logits on the item's
difficulty; positive = harder for "F").

Everything is pure: the instrument and parameters come in, a DataFrame goes out; a seed makes the
draw reproducible.

References: Birnbaum (1968) in Lord & Novick, *Statistical Theories of Mental Test Scores*;
Samejima (1969) Psychometrika Monograph 17; Takane & de Leeuw (1987) Psychometrika 52;
Prediger (1982) JVB 21; Tracey & Rounds (1993) Psychological Bulletin 113.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit

from models.instrument import SAME_DIFFERENT_OPTIONS, AgeBand, Instrument, Item

__all__ = ["DEMOGRAPHIC_COLUMNS", "SimulatedData", "simulate", "hexagon_correlations"]

DEMOGRAPHIC_COLUMNS = ("person_id", "gender", "age", "age_band")
"""Non-item columns a response file may carry (the QA report reads ``gender``, ``age``, ``age_band``)."""

HOLLAND_ORDER = ("realistic", "investigative", "artistic", "social", "enterprising", "conventional")
HEXAGON_R = (1.0, 0.45, 0.25, 0.10)  # by hexagon distance 0…3


@dataclass(frozen=True)
class SimulatedData:
    """Result of :func:`simulate`.

    Attributes
    ----------
    responses : DataFrame, shape (n, 4 + n_items)
        ``person_id``, ``gender``, ``age`` (years), ``age_band`` (empty without bands), then one column per
        item in definition order: option ids ("A"…) for choice items, "same"/"different" for clerical
        items, integers 1…points for Likert items; NaN = omitted / not reached.
    theta : DataFrame, shape (n, n_scales)
        The generating latent traits (θ in logits, N(0, 1) apart from ``group_effect``).
    speed : ndarray (n,) or None
        Items per minute for speeded tests.
    """

    responses: pd.DataFrame
    theta: pd.DataFrame
    speed: np.ndarray | None = None


def hexagon_correlations(scales: Sequence[str]) -> np.ndarray | None:
    """Holland's hexagon correlation matrix for the six RIASEC scales, or None if ``scales`` are not them."""
    names = [s.lower() for s in scales]
    if sorted(names) != sorted(HOLLAND_ORDER):
        return None
    pos = np.array([HOLLAND_ORDER.index(n) for n in names])
    dist = np.abs(pos[:, None] - pos[None, :])
    dist = np.minimum(dist, 6 - dist)
    return np.asarray(HEXAGON_R)[dist]


def _factor_corr(instrument: Instrument, scale_ids: list[str], factor_corr: float) -> np.ndarray:
    hexagon = hexagon_correlations(scale_ids) if instrument.kind == "interest" else None
    if hexagon is not None:
        return hexagon
    k = len(scale_ids)
    return np.full((k, k), factor_corr) + (1.0 - factor_corr) * np.eye(k)


def _choose_distractor(rng: np.random.Generator, options: list[str], key: str, n: int) -> np.ndarray:
    distractors = [o for o in options if o != key]
    share = rng.dirichlet(np.full(len(distractors), 2.0))
    return rng.choice(np.asarray(distractors, dtype=object), size=n, p=share)


def _graded(rng: np.random.Generator, theta: np.ndarray, a: float, b: np.ndarray) -> np.ndarray:
    """Categories 0…len(b) from P(Y ≥ k) = logistic(a(θ − b_k))."""
    cum = expit(a * (theta[:, None] - b[None, :]))
    return (rng.random(theta.size)[:, None] < cum).sum(axis=1)


def _options_of(instrument: Instrument, item: Item) -> list[str]:
    if instrument.response_format_of(item).kind == "same_different":
        return [opt for opt, _ in SAME_DIFFERENT_OPTIONS]
    return [o.id for o in item.options]


def simulate(instrument: Instrument, n: int, seed: int | None = None, *,
             age_bands: Sequence[AgeBand] | None = None, group_effect: float = 0.0,
             dif: Mapping[str, float] | None = None, factor_corr: float = 0.25,
             missing: float = 0.0) -> SimulatedData:
    """Simulate ``n`` persons answering every item of ``instrument``.

    Parameters
    ----------
    instrument : Instrument
        A loaded instrument definition (``instruments.registry.load_all()[id]``).
    n : int
        Persons, ≥ 1.
    seed : int, optional
        Seed of the random generator; the same seed gives the same data.
    age_bands : sequence of AgeBand, optional
        Norm-group age bands (``load_norm_groups().age_bands``) used to fill ``age_band``.
    group_effect : float
        Mean θ difference of the focal group (gender "F") minus the reference group, logits (impact).
    dif : mapping item id → float, optional
        Extra difficulty for the focal group on that item, logits (uniform DIF; > 0 = harder for "F").
        For Likert items it shifts the thresholds, i.e. "F" endorses the item less at equal trait.
    factor_corr : float
        Correlation between the factors of different Likert scales (−1 < r < 1), unless the scales are
        RIASEC (hexagon).
    missing : float
        Share of answers omitted completely at random, 0 ≤ missing < 0.5 (not used for speeded tests,
        whose missingness is not reaching the end).

    Returns
    -------
    SimulatedData

    Examples
    --------
    >>> from instruments.registry import load_all          # doctest: +SKIP
    >>> sim = simulate(load_all()["traits-big5"], 500, seed=1)   # doctest: +SKIP
    >>> sim.responses.shape                                 # doctest: +SKIP
    (500, 60)
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n={n!r}: give a positive whole number of persons.")
    if not 0.0 <= missing < 0.5:
        raise ValueError(f"missing={missing!r}: give a share between 0 and 0.5.")
    if not -1.0 < factor_corr < 1.0:
        raise ValueError(f"factor_corr={factor_corr!r}: must lie strictly between −1 and 1.")
    dif = dict(dif or {})
    unknown = sorted(set(dif) - {it.id for it in instrument.items})
    if unknown:
        raise ValueError(f"dif: items {unknown} are not in instrument {instrument.id!r}.")
    rng = np.random.default_rng(seed)
    focal = rng.random(n) < 0.5
    gender = np.where(focal, "F", "M")
    age = rng.integers(16, 65, n)
    band = np.full(n, "", dtype=object)
    for b in age_bands or ():
        band[(age >= b.min_age) & (age <= b.max_age)] = b.id

    scale_ids = [s.id for s in instrument.scales]
    corr = _factor_corr(instrument, scale_ids, factor_corr)
    chol = np.linalg.cholesky(corr)
    theta = rng.standard_normal((n, len(scale_ids))) @ chol.T
    theta[focal] += group_effect
    theta_of = {s: theta[:, k] for k, s in enumerate(scale_ids)}

    speeded = bool(instrument.time_limit and instrument.time_limit.speeded)
    scored_items = [it for it in instrument.items if it.scale is not None]
    speed = None
    reached = np.full(n, len(instrument.items))
    if speeded:
        # rate (items/minute) so that the median person reaches ~70 % of the test in the time allowed
        minutes = instrument.time_limit.seconds / 60.0
        ability = theta[:, 0]
        log_rate = np.log(0.7 * len(scored_items) / minutes) + 0.25 * (
            0.4 * ability + np.sqrt(1 - 0.16) * rng.standard_normal(n))
        speed = np.exp(log_rate)
        reached = np.minimum(len(scored_items), np.floor(speed * minutes)).astype(int)

    columns: dict[str, np.ndarray] = {}
    for position, item in enumerate(instrument.items):
        fmt = instrument.response_format_of(item)
        shift = dif.get(item.id, 0.0) * focal
        if item.scale is None:
            columns[item.id] = _validity_item(rng, instrument, item, columns, n)
            continue
        th = theta_of[item.scale]
        if fmt.kind == "likert":
            points = fmt.points
            if item.parameters is not None and item.parameters.model == "GRM":
                a, b = item.parameters.a, np.asarray(item.parameters.thresholds, dtype=float)
            else:
                a = rng.uniform(1.2, 2.4)
                location = rng.normal(0.0, 0.5)
                b = location + np.linspace(-1.8, 1.8, points - 1) + rng.normal(0.0, 0.15, points - 1)
                b = np.sort(b)
            sign = -1.0 if item.reverse else 1.0
            cat = np.empty(n)
            for flag in (False, True):
                rows = focal == flag
                extra = dif.get(item.id, 0.0) if flag else 0.0
                cat[rows] = _graded(rng, sign * th[rows], a, b + extra)
            columns[item.id] = cat + 1.0
            continue
        options = _options_of(instrument, item)
        key = item.key
        if speeded:
            effort = rng.normal(0.0, 1.0)
            p_right = expit(2.2 + th - 0.6 * effort - shift)
        elif item.parameters is not None:
            par = item.parameters
            c = par.c or 0.0
            p_right = c + (1.0 - c) * expit(par.a * (th - par.b - shift))
        else:  # keyed item without parameters in a power test: a moderate 2PL item
            p_right = expit(1.0 * (th - rng.normal(0.0, 1.0) - shift))
        right = rng.random(n) < p_right
        answer = np.where(right, key, _choose_distractor(rng, options, key, n)).astype(object)
        if speeded:
            answer[reached <= position] = np.nan
        columns[item.id] = answer

    frame = pd.DataFrame(columns)
    if missing > 0 and not speeded:
        holes = rng.random(frame.shape) < missing
        frame = frame.mask(holes)
    for item in instrument.items:  # Likert answers are whole numbers; keep them so in files
        if instrument.response_format_of(item).kind == "likert":
            frame[item.id] = pd.array(frame[item.id].to_numpy(dtype=float), dtype="Int64")
    demo = pd.DataFrame({"person_id": [f"S{i + 1:05d}" for i in range(n)], "gender": gender,
                         "age": age, "age_band": band})
    return SimulatedData(responses=pd.concat([demo, frame], axis=1),
                         theta=pd.DataFrame(theta, columns=scale_ids), speed=speed)


def _validity_item(rng: np.random.Generator, instrument: Instrument, item: Item,
                   columns: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    points = instrument.response_format_of(item).points
    rule = item.validity
    if rule is None or points == 0:
        return np.full(n, np.nan)
    if rule.kind == "infrequency":
        expected = np.asarray(rule.expected, dtype=float)
        others = np.setdiff1d(np.arange(1, points + 1), expected).astype(float)
        inside = rng.random(n) < 0.97
        return np.where(inside, rng.choice(expected, n), rng.choice(others, n) if others.size else
                        rng.choice(expected, n))
    pair = columns.get(rule.pair_with)
    if pair is None:  # pair comes later in the definition: answer from the middle category
        base = np.full(n, (points + 1) / 2.0)
    else:
        base = points + 1 - pair if rule.opposite else pair
    answer = np.round(base + rng.choice([-1.0, 0.0, 0.0, 1.0], n))
    return np.clip(answer, 1, points)
