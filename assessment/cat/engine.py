"""Computerised adaptive testing: maximum-information selection at the EAP with exposure control.

Item selection maximises Fisher information at the current EAP estimate (Lord 1980; EAP during
the test after Bock & Mislevy 1982, which avoids infinite ML estimates early on). Exposure control:
randomesque (Kingsbury & Zara 1989: pick at random among the n most informative items) or
Sympson–Hetter (Sympson & Hetter 1985: administer a selected item with probability K_j, the K_j tuned
by iterative simulation so that no item's exposure rate exceeds r_max). Content balancing follows
Kingsbury & Zara (1989): the next item comes from the content area furthest below its target share.
Stopping: posterior SD <= target or the maximum length.

The simulator advances every simulee one item per step with array operations; each simulee's
log-posterior over the quadrature grid is updated by adding one row of the item's log-probability
table, so an EAP costs one exp over the grid.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from assessment.irt.models import ItemBank
from assessment.irt.quadrature import Quadrature, normal_quadrature

__all__ = ["CatBank", "CatSettings", "CatStep", "CatSimulation", "EXPOSURE_METHODS",
           "next_item", "simulate", "tune_sympson_hetter"]

EXPOSURE_METHODS = ("none", "randomesque", "sympson-hetter")


@dataclass(frozen=True)
class CatSettings:
    """How an adaptive test runs.

    Attributes
    ----------
    se_target : float
        Stop once the posterior SD of θ (logits) is at or below this; 0 disables the SE rule.
    max_items : int
        Hard maximum test length (>= 1).
    min_items : int
        Do not stop on SE before this many items.
    exposure : {"none", "randomesque", "sympson-hetter"}
    randomesque_n : int
        Size of the randomesque candidate set.
    content_targets : mapping content label → share, optional
        Target proportions of the test per content area (normalised to sum to 1).
    start_theta : float
        θ at which the first item is chosen (the prior mean by default), logits.
    quadrature : Quadrature, optional
        Prior and grid for EAP; default mirt's 61 points on [-6, 6], N(0, 1).
    """

    se_target: float = 0.3
    max_items: int = 30
    min_items: int = 1
    exposure: str = "randomesque"
    randomesque_n: int = 5
    content_targets: Mapping[str, float] | None = None
    start_theta: float = 0.0
    quadrature: Quadrature | None = None

    def __post_init__(self) -> None:
        if self.exposure not in EXPOSURE_METHODS:
            raise ValueError(f"exposure must be one of {EXPOSURE_METHODS}")
        if self.max_items < 1 or self.min_items < 0 or self.min_items > self.max_items:
            raise ValueError("need 0 <= min_items <= max_items and max_items >= 1")
        if self.se_target < 0 or self.randomesque_n < 1:
            raise ValueError("se_target must be >= 0 and randomesque_n >= 1")

    @property
    def quad(self) -> Quadrature:
        return self.quadrature or normal_quadrature()


@dataclass(frozen=True)
class CatBank:
    """An item bank for adaptive delivery: IRT parameters, content areas, Sympson–Hetter parameters.

    Attributes
    ----------
    items : ItemBank
        Dichotomous (or graded) item parameters.
    content : tuple of str, optional
        Content area of each item.
    exposure_k : ndarray (J,)
        Sympson–Hetter probabilities of administering an item once selected, in (0, 1]; 1 = no control.
    """

    items: ItemBank
    content: tuple[str, ...] | None = None
    exposure_k: NDArray[np.float64] | None = None

    def __post_init__(self) -> None:
        if self.content is not None and len(self.content) != self.items.n_items:
            raise ValueError("content needs one label per item")
        k = np.ones(self.items.n_items) if self.exposure_k is None else np.asarray(self.exposure_k, float)
        if k.shape != (self.items.n_items,) or np.any((k <= 0) | (k > 1)):
            raise ValueError("exposure_k needs one value in (0, 1] per item")
        object.__setattr__(self, "exposure_k", k)

    @classmethod
    def from_frame(cls, params: pd.DataFrame) -> CatBank:
        """From columns item, a, b [, c] [, content] [, exposure_k] (item may be the index)."""
        df = params.copy()
        if "item" in df.columns:
            df = df.set_index("item")
        missing = {"a", "b"} - set(df.columns)
        if missing:
            raise ValueError(f"bank is missing columns {sorted(missing)}")
        c = df["c"].to_numpy(float) if "c" in df.columns else None
        items = ItemBank.dichotomous(df["a"].to_numpy(float), df["b"].to_numpy(float), c,
                                     [str(i) for i in df.index])
        content = tuple(str(v) for v in df["content"]) if "content" in df.columns else None
        k = df["exposure_k"].to_numpy(float) if "exposure_k" in df.columns else None
        return cls(items, content, k)

    def with_exposure(self, k: ArrayLike) -> CatBank:
        return CatBank(self.items, self.content, np.asarray(k, dtype=np.float64))

    def content_shares(self) -> dict[str, float] | None:
        """Each content area's share of the bank's items (0–1, rounded to 4 places, by label), or None
        when the bank has no content areas: the targets that keep a simulated test balanced like the bank."""
        if self.content is None:
            return None
        labels, counts = np.unique(self.content, return_counts=True)
        return {str(k): round(float(v) / float(counts.sum()), 4) for k, v in zip(labels, counts)}


@dataclass(frozen=True)
class CatStep:
    """The server's answer for one live test taker: the next item, or stop.

    Attributes
    ----------
    stop : bool
    item_id : str or None
        Next item to present (None when stopping).
    theta, se : float
        Current EAP and posterior SD (logits).
    n_answered : int
    reason : str
        "continue", "se_target", "max_items" or "bank_exhausted".
    """

    stop: bool
    item_id: str | None
    theta: float
    se: float
    n_answered: int
    reason: str


@dataclass(frozen=True)
class CatSimulation:
    """Outcome of :func:`simulate`.

    Attributes
    ----------
    theta_true, theta_hat, se : ndarray (N,)
        Generating θ, final EAP, final posterior SD (logits).
    length : ndarray of int (N,)
        Items administered per simulee.
    items : ndarray of int (N, max_items)
        Positions of the administered items in order, −1 after the test stopped.
    exposure : ndarray (J,)
        Share of simulees who saw each item (0–1).
    selected : ndarray (J,)
        Share of simulees for whom each item was selected (before Sympson–Hetter's coin flip).
    """

    theta_true: NDArray[np.float64]
    theta_hat: NDArray[np.float64]
    se: NDArray[np.float64]
    length: NDArray[np.int64]
    items: NDArray[np.int64]
    exposure: NDArray[np.float64]
    selected: NDArray[np.float64]

    @property
    def mean_length(self) -> float:
        return float(self.length.mean())

    @property
    def bias(self) -> float:
        return float(np.mean(self.theta_hat - self.theta_true))

    @property
    def rmse(self) -> float:
        return float(np.sqrt(np.mean((self.theta_hat - self.theta_true) ** 2)))

    @property
    def max_exposure(self) -> float:
        return float(self.exposure.max())

    @property
    def mean_exposure(self) -> float:
        return float(self.exposure.mean())

    def summary(self) -> dict[str, float]:
        """Mean length, bias, RMSE, max and mean exposure, share of unused items."""
        return {"n": float(self.theta_true.size), "mean_length": self.mean_length, "bias": self.bias,
                "rmse": self.rmse, "max_exposure": self.max_exposure,
                "mean_exposure": self.mean_exposure, "unused_items": float(np.mean(self.exposure == 0))}


# ============================================================================ shared kernel
class _State:
    """Per-test-taker state for a batch: log-posterior on the grid, used items, content counts."""

    def __init__(self, n: int, bank: CatBank, settings: CatSettings):
        quad = settings.quad
        self.points = quad.points
        self.moments = np.stack([np.ones_like(quad.points), quad.points, quad.points ** 2], axis=1)
        self.log_post = np.tile(quad.log_weights, (n, 1))
        self.available = np.ones((n, bank.items.n_items), dtype=bool)
        self.length = np.zeros(n, dtype=np.int64)
        self.table = bank.items.log_probability_table(quad.points)  # (J, K, Q)
        self.area, self.targets = _content(bank, settings)
        self.counts = np.zeros((n, self.targets.size), dtype=np.int64) if self.targets.size else None

    def eap(self, rows: NDArray[np.intp]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lp = self.log_post[rows]
        lp = np.exp(lp - lp.max(axis=1, keepdims=True))
        s = lp @ self.moments
        mean = s[:, 1] / s[:, 0]
        return mean, np.sqrt(np.maximum(s[:, 2] / s[:, 0] - mean * mean, 0.0))

    def record(self, rows: NDArray[np.intp], items: NDArray[np.intp], responses: NDArray[np.intp]) -> None:
        self.log_post[rows] += self.table[items, responses]
        self.available[rows, items] = False
        self.length[rows] += 1
        if self.counts is not None:
            self.counts[rows, self.area[items]] += 1


def _content(bank: CatBank, settings: CatSettings) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    if not settings.content_targets:
        return np.zeros(bank.items.n_items, dtype=np.intp), np.zeros(0)
    if bank.content is None:
        raise ValueError("content_targets need a bank with a content column")
    labels = list(settings.content_targets)
    unknown = set(bank.content) - set(labels)
    if unknown:
        raise ValueError(f"content areas {sorted(unknown)} have no target share")
    shares = np.array([settings.content_targets[k] for k in labels], dtype=np.float64)
    if np.any(shares < 0) or shares.sum() <= 0:
        raise ValueError("content target shares must be non-negative and not all zero")
    area = np.array([labels.index(c) for c in bank.content], dtype=np.intp)
    return area, shares / shares.sum()


def _select(state: _State, rows: NDArray[np.intp], theta: NDArray[np.float64], bank: CatBank,
            settings: CatSettings, rng: np.random.Generator
            ) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Next item for each row, and which items were 'selected' (reached SH's coin flip)."""
    eligible = state.available[rows].copy()
    if state.counts is not None:
        # Kingsbury–Zara: restrict to the area furthest below its target share.
        n_next = state.length[rows][:, None] + 1
        deficit = state.targets[None, :] * n_next - state.counts[rows]
        has_items = np.zeros_like(deficit, dtype=bool)
        for c in range(state.targets.size):
            has_items[:, c] = (eligible & (state.area == c)[None, :]).any(axis=1)
        deficit = np.where(has_items & (state.targets[None, :] > 0), deficit, -np.inf)
        area = np.argmax(deficit, axis=1)
        restricted = eligible & (state.area[None, :] == area[:, None])
        eligible = np.where(restricted.any(axis=1)[:, None], restricted, eligible)
    info = _information(bank.items, theta)
    info[~eligible] = -np.inf
    n = rows.size
    if settings.exposure == "randomesque" and settings.randomesque_n > 1:
        m = min(settings.randomesque_n, info.shape[1])
        top = np.argpartition(-info, m - 1, axis=1)[:, :m]
        top_info = np.take_along_axis(info, top, axis=1)
        order = np.argsort(-top_info, axis=1)
        top = np.take_along_axis(top, order, axis=1)
        n_ok = np.isfinite(np.take_along_axis(top_info, order, axis=1)).sum(axis=1)
        pick = (rng.random(n) * np.maximum(n_ok, 1)).astype(np.intp)
        chosen = top[np.arange(n), pick]
        return chosen, np.zeros_like(eligible)
    if settings.exposure == "sympson-hetter":
        # Going down the information order and flipping each item's coin is the same as flipping
        # every coin at once and taking the most informative accepted item.
        accepted = eligible & (rng.random(eligible.shape) < bank.exposure_k[None, :])
        acc_info = np.where(accepted, info, -np.inf)
        chosen = np.argmax(acc_info, axis=1)
        none = ~accepted.any(axis=1)
        chosen[none] = np.argmax(info[none], axis=1)
        chosen_info = info[np.arange(n), chosen]
        selected = eligible & (info >= chosen_info[:, None])
        # Items selected but refused are set aside for the rest of this test (Sympson & Hetter).
        refused = selected.copy()
        refused[np.arange(n), chosen] = False
        state.available[rows] &= ~refused
        return chosen, selected
    chosen = np.argmax(info, axis=1)
    selected = np.zeros_like(eligible)
    selected[np.arange(n), chosen] = True
    return chosen, selected


def _information(items: ItemBank, theta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Item information at each row's θ: (n, J). Closed form for dichotomous banks (the hot path)."""
    if not items.is_dichotomous:
        return items.information(theta)
    a, d, c = items.slopes, items.intercepts[:, 0], items.guessing
    s = np.multiply.outer(theta, a)
    s += d
    np.negative(s, out=s)
    np.exp(s, out=s)
    s += 1.0
    np.reciprocal(s, out=s)  # s = logistic(aθ + d)
    one_minus = 1.0 - s
    if not np.any(c):
        s *= one_minus
        s *= a * a
        return s
    # 3PL: I = a²(1 − c)² s²(1 − s)² / (P(1 − P)) with P = c + (1 − c)s and 1 − P = (1 − c)(1 − s),
    # which simplifies to a²(1 − c) s²(1 − s) / (c + (1 − c)s) — fewer passes over (n, J).
    den = s * (1.0 - c)
    den += c
    s *= s
    s *= one_minus
    s /= den
    s *= a * a * (1.0 - c)
    return s


# ============================================================================ simulation
def simulate(bank: CatBank, theta_true: ArrayLike, settings: CatSettings | None = None,
             seed: int | np.random.Generator | None = None) -> CatSimulation:
    """Simulate adaptive tests for every θ in ``theta_true`` at once (dichotomous banks).

    Responses are drawn from the bank's own model. All simulees advance one item per step.
    """
    settings = settings or CatSettings()
    rng = np.random.default_rng(seed)
    theta_true = np.asarray(theta_true, dtype=np.float64).ravel()
    if not bank.items.is_dichotomous:
        raise ValueError("simulate supports dichotomous banks")
    n, J = theta_true.size, bank.items.n_items
    max_items = min(settings.max_items, J)
    state = _State(n, bank, settings)
    log_items = np.full((n, max_items), -1, dtype=np.int64)
    selected_any = np.zeros((n, J), dtype=bool)
    theta_hat = np.full(n, settings.start_theta)
    se = np.full(n, np.sqrt(settings.quad.variance))
    active = np.ones(n, dtype=bool)
    a, d, c = bank.items.slopes, bank.items.intercepts[:, 0], bank.items.guessing
    first = True
    for step in range(max_items):
        rows = np.flatnonzero(active & state.available.any(axis=1))
        if rows.size == 0:
            break
        at = np.full(rows.size, settings.start_theta) if first else theta_hat[rows]
        first = False
        chosen, selected = _select(state, rows, at, bank, settings, rng)
        selected_any[rows] |= selected
        p = c[chosen] + (1.0 - c[chosen]) / (1.0 + np.exp(-(a[chosen] * theta_true[rows] + d[chosen])))
        x = (rng.random(rows.size) < p).astype(np.intp)
        state.record(rows, chosen, x)
        log_items[rows, step] = chosen
        theta_hat[rows], se[rows] = state.eap(rows)
        done = (state.length[rows] >= max_items) | (
            (se[rows] <= settings.se_target) & (state.length[rows] >= max(settings.min_items, 1)))
        active[rows[done]] = False
    used = log_items[log_items >= 0]
    exposure = np.bincount(used, minlength=J) / n
    if settings.exposure == "sympson-hetter":
        sel = selected_any.mean(axis=0)
    else:
        sel = exposure.copy()
    return CatSimulation(theta_true, theta_hat, se, state.length.copy(), log_items, exposure, sel)


def simulate_population(bank: CatBank, n: int, settings: CatSettings | None = None,
                        seed: int | None = None) -> CatSimulation:
    """:func:`simulate` for ``n`` simulees with θ ~ N(0, 1); one generator seeded with ``seed`` draws the
    θs first, then the responses, so a seed reproduces the whole run."""
    rng = np.random.default_rng(seed)
    return simulate(bank, rng.standard_normal(n), settings, rng)


def tune_sympson_hetter(bank: CatBank, settings: CatSettings, r_max: float = 0.25,
                        n_simulees: int = 2000, n_rounds: int = 20, tolerance: float = 0.01,
                        seed: int | None = None) -> tuple[CatBank, list[float]]:
    """Tune Sympson–Hetter exposure parameters by iterative simulation (Sympson & Hetter 1985).

    Each round simulates ``n_simulees`` examinees from the quadrature prior with the current K,
    estimates P(selected) per item and sets K_j = min(1, r_max / P(selected_j)). Stops when the
    largest exposure rate is within ``tolerance`` of ``r_max``.

    Returns the bank with tuned ``exposure_k`` and the maximum exposure after each round.
    """
    if not 0 < r_max <= 1:
        raise ValueError("r_max must lie in (0, 1]")
    rng = np.random.default_rng(seed)
    sh = CatSettings(**{**settings.__dict__, "exposure": "sympson-hetter"})
    quad = sh.quad
    k = np.ones(bank.items.n_items)
    history: list[float] = []
    for _ in range(n_rounds):
        thetas = rng.choice(quad.points, size=n_simulees, p=quad.weights) + rng.uniform(
            -0.5, 0.5, n_simulees) * (quad.points[1] - quad.points[0])
        sim = simulate(bank.with_exposure(k), thetas, sh, rng)
        history.append(sim.max_exposure)
        ps = np.maximum(sim.selected, 1e-12)
        k = np.where(ps > r_max, r_max / ps, 1.0)
        if sim.max_exposure <= r_max + tolerance:
            break
    return bank.with_exposure(np.clip(k, 1e-3, 1.0)), history


# ============================================================================ live API
def next_item(bank: CatBank, answered: Sequence[str], responses: Sequence[int],
              settings: CatSettings | None = None, seed: int | np.random.Generator | None = None) -> CatStep:
    """Next step for one test taker, given the items answered so far and their responses (0/1 or 0…K−1).

    Stateless: the server stores ``answered`` and ``responses`` and calls this after every answer.
    Returns ``stop=True`` with the final θ and SE when the SE target or maximum length is reached or
    the bank is exhausted; otherwise the id of the next item to present.
    """
    settings = settings or CatSettings()
    if len(answered) != len(responses):
        raise ValueError("answered and responses must have the same length")
    index = {item: j for j, item in enumerate(bank.items.item_ids)}
    unknown = [item for item in answered if item not in index]
    if unknown:
        raise ValueError(f"unknown item ids: {unknown}")
    if len(set(answered)) != len(answered):
        raise ValueError("an item appears twice in answered")
    items = np.array([index[i] for i in answered], dtype=np.intp)
    x = np.asarray(responses, dtype=np.intp)
    if np.any((x < 0) | (x >= bank.items.n_categories[items] if items.size else False)):
        raise ValueError("a response is outside the item's categories")
    state = _State(1, bank, settings)
    rows = np.zeros(1, dtype=np.intp)
    for j, r in zip(items, x):
        state.record(rows, np.array([j]), np.array([r]))
    theta, se = state.eap(rows)
    n = int(items.size)
    max_items = min(settings.max_items, bank.items.n_items)
    if n >= max_items:
        return CatStep(True, None, float(theta[0]), float(se[0]), n, "max_items")
    if n >= max(settings.min_items, 1) and se[0] <= settings.se_target:
        return CatStep(True, None, float(theta[0]), float(se[0]), n, "se_target")
    if not state.available.any():
        return CatStep(True, None, float(theta[0]), float(se[0]), n, "bank_exhausted")
    at = np.array([settings.start_theta]) if n == 0 else theta
    chosen, _ = _select(state, rows, at, bank, settings, np.random.default_rng(seed))
    return CatStep(False, bank.items.item_ids[int(chosen[0])], float(theta[0]), float(se[0]), n, "continue")
