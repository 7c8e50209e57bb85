"""Item response functions: 1PL/2PL/3PL (Birnbaum 1968) and the graded response model (Samejima 1969).

Internally every item is in slope–intercept form, as in R mirt: the cumulative probability of
responding in category k or above is

    P*(Y >= k | θ) = c + (1 − c) · logistic(a·θ + d_k),   k = 1 … K−1,

with c = 0 except for 3PL items and d_1 > d_2 > … for graded items. The API speaks the IRT
parameterisation a, b (b = −d/a), c. Item information is Fisher information
I(θ) = Σ_k P_k'(θ)² / P_k(θ) (Baker & Kim 2004, ch. 2 and 8).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

__all__ = ["ItemBank", "prob_correct", "item_information", "grm_probabilities"]

# Probabilities are clipped away from 0 and 1 before logs so that a pattern the model declares
# impossible (e.g. a wrong answer at θ = 6 on an easy item) costs a large but finite penalty.
_EPS = 1e-300


def _as_1d(values: ArrayLike, name: str, n: int | None = None) -> NDArray[np.float64]:
    arr = np.atleast_1d(np.asarray(values, dtype=np.float64))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if n is not None and arr.size != n:
        raise ValueError(f"{name} has {arr.size} values, expected {n}")
    return arr


@dataclass(frozen=True)
class ItemBank:
    """Parameters of a set of unidimensional items (dichotomous 1PL/2PL/3PL and/or graded).

    Build with :meth:`dichotomous` or :meth:`graded`; inner code uses the slope–intercept arrays.

    Attributes
    ----------
    slopes : ndarray (J,)
        Discriminations a (logits per unit θ), > 0 for a sensible item.
    intercepts : ndarray (J, K_max − 1)
        Intercepts d_k of the cumulative logits, decreasing along k; NaN past an item's last category.
    guessing : ndarray (J,)
        Lower asymptote c in [0, 1); only meaningful for dichotomous items.
    item_ids : tuple of str
        Identifiers, in column order.
    n_categories : ndarray of int (J,)
        Number of response categories K_j (2 for dichotomous items); responses are coded 0 … K_j − 1.
    """

    slopes: NDArray[np.float64]
    intercepts: NDArray[np.float64]
    guessing: NDArray[np.float64]
    item_ids: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        a = _as_1d(self.slopes, "slopes")
        d = np.asarray(self.intercepts, dtype=np.float64)
        if d.ndim == 1:
            d = d[:, None]
        if d.ndim != 2 or d.shape[0] != a.size or d.shape[1] < 1:
            raise ValueError("intercepts must have shape (n_items, n_categories - 1)")
        c = _as_1d(self.guessing, "guessing", a.size)
        if not np.isfinite(a).all():
            raise ValueError("slopes must be finite")
        if np.any((c < 0) | (c >= 1)):
            raise ValueError("guessing parameters must lie in [0, 1)")
        if np.any(~np.isfinite(d[:, 0])):
            raise ValueError("every item needs at least one finite intercept")
        # Categories are contiguous: once an intercept is NaN the rest must be too.
        finite = np.isfinite(d)
        if np.any(finite[:, 1:] & ~finite[:, :-1]):
            raise ValueError("intercepts must be NaN-padded at the end only")
        diffs = np.diff(np.where(finite, d, -np.inf), axis=1)
        if np.any(diffs[np.isfinite(diffs)] >= 0):
            raise ValueError("graded intercepts must be strictly decreasing (thresholds b increasing)")
        n_cat = finite.sum(axis=1) + 1
        if np.any((c > 0) & (n_cat > 2)):
            raise ValueError("guessing applies to dichotomous items only")
        ids = tuple(str(i) for i in self.item_ids) if len(self.item_ids) else tuple(
            f"item{j + 1}" for j in range(a.size))
        if len(ids) != a.size or len(set(ids)) != len(ids):
            raise ValueError("item_ids must be unique, one per item")
        object.__setattr__(self, "slopes", a)
        object.__setattr__(self, "intercepts", d)
        object.__setattr__(self, "guessing", c)
        object.__setattr__(self, "item_ids", ids)

    # ---------------------------------------------------------------- constructors
    @classmethod
    def dichotomous(cls, a: ArrayLike, b: ArrayLike, c: ArrayLike | None = None,
                    item_ids: Sequence[str] | None = None) -> ItemBank:
        """Dichotomous items from IRT parameters: P(1|θ) = c + (1 − c)·logistic(a(θ − b)).

        ``a`` may be a scalar (1PL/Rasch with a common slope); ``c`` defaults to 0 (2PL).
        """
        b_arr = _as_1d(b, "b")
        a_arr = np.broadcast_to(_as_1d(a, "a"), b_arr.shape).astype(np.float64)
        c_arr = np.zeros_like(b_arr) if c is None else np.broadcast_to(
            _as_1d(c, "c"), b_arr.shape).astype(np.float64)
        return cls(a_arr, (-a_arr * b_arr)[:, None], c_arr, tuple(item_ids or ()))

    @classmethod
    def graded(cls, a: ArrayLike, b: ArrayLike, item_ids: Sequence[str] | None = None) -> ItemBank:
        """Graded-response items from IRT parameters.

        ``b`` has shape (J, K_max − 1): increasing thresholds b_1 < b_2 < …, NaN-padded for items
        with fewer categories; P(Y >= k | θ) = logistic(a(θ − b_k)).
        """
        b_arr = np.asarray(b, dtype=np.float64)
        if b_arr.ndim == 1:
            b_arr = b_arr[:, None]
        a_arr = _as_1d(a, "a", b_arr.shape[0])
        return cls(a_arr, -a_arr[:, None] * b_arr, np.zeros(a_arr.size), tuple(item_ids or ()))

    @classmethod
    def from_frame(cls, params: pd.DataFrame) -> ItemBank:
        """Bank from a DataFrame indexed by item with columns ``a``, ``b`` [, ``c``] or ``a``, ``b1`` … ``bk``."""
        ids = [str(i) for i in params.index]
        if "b" in params.columns:
            c = params["c"].to_numpy(float) if "c" in params.columns else None
            return cls.dichotomous(params["a"].to_numpy(float), params["b"].to_numpy(float), c, ids)
        bcols = sorted((col for col in params.columns if str(col).startswith("b") and str(col)[1:].isdigit()),
                       key=lambda s: int(str(s)[1:]))
        if not bcols:
            raise ValueError("parameter frame needs column 'b' or columns 'b1', 'b2', …")
        return cls.graded(params["a"].to_numpy(float), params[bcols].to_numpy(float), ids)

    # ---------------------------------------------------------------- views
    @property
    def n_items(self) -> int:
        return int(self.slopes.size)

    @property
    def n_categories(self) -> NDArray[np.int64]:
        return (np.isfinite(self.intercepts).sum(axis=1) + 1).astype(np.int64)

    @property
    def max_categories(self) -> int:
        return int(self.n_categories.max())

    @property
    def is_dichotomous(self) -> bool:
        return self.intercepts.shape[1] == 1

    @property
    def thresholds(self) -> NDArray[np.float64]:
        """IRT thresholds b (J, K_max − 1) = −d / a; NaN-padded."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return -self.intercepts / self.slopes[:, None]

    def to_frame(self) -> pd.DataFrame:
        """IRT parameterisation: columns a, b, c for dichotomous banks; a, b1 … bk for graded ones."""
        if self.is_dichotomous:
            return pd.DataFrame({"a": self.slopes, "b": self.thresholds[:, 0], "c": self.guessing},
                                index=pd.Index(self.item_ids, name="item"))
        cols = {"a": self.slopes}
        for k in range(self.intercepts.shape[1]):
            cols[f"b{k + 1}"] = self.thresholds[:, k]
        return pd.DataFrame(cols, index=pd.Index(self.item_ids, name="item"))

    def subset(self, items: ArrayLike) -> ItemBank:
        """Bank restricted to the given item positions (ints) in that order."""
        idx = np.asarray(items, dtype=np.intp)
        d = self.intercepts[idx]
        keep = max(1, int(np.isfinite(d).sum(axis=1).max())) if idx.size else 1
        return ItemBank(self.slopes[idx], d[:, :keep], self.guessing[idx],
                        tuple(self.item_ids[i] for i in idx))

    # ---------------------------------------------------------------- response functions
    def cumulative(self, theta: ArrayLike) -> NDArray[np.float64]:
        """P*(Y >= k | θ) for k = 0 … K_max: shape (n_theta, J, K_max + 1), 1 at k = 0, 0 past K_j − 1."""
        th = np.atleast_1d(np.asarray(theta, dtype=np.float64))
        z = th[:, None, None] * self.slopes[None, :, None] + self.intercepts[None, :, :]
        inner = self.guessing[None, :, None] + (1.0 - self.guessing[None, :, None]) * expit(z)
        inner = np.where(np.isnan(z), 0.0, inner)
        ones = np.ones(inner.shape[:2] + (1,))
        zeros = np.zeros(inner.shape[:2] + (1,))
        return np.concatenate([ones, inner, zeros], axis=2)

    def probabilities(self, theta: ArrayLike) -> NDArray[np.float64]:
        """Category probabilities P(Y = k | θ): shape (n_theta, J, K_max); 0 for absent categories."""
        cum = self.cumulative(theta)
        return np.clip(cum[:, :, :-1] - cum[:, :, 1:], 0.0, 1.0)

    def log_probability_table(self, theta: ArrayLike) -> NDArray[np.float64]:
        """log P(Y = k | θ_q) arranged (J, K_max, Q) for the likelihood kernels; finite everywhere."""
        probs = self.probabilities(theta)
        return np.log(np.maximum(probs, _EPS)).transpose(1, 2, 0).copy()

    def information(self, theta: ArrayLike) -> NDArray[np.float64]:
        """Fisher item information I_j(θ) = Σ_k P_k'(θ)² / P_k(θ): shape (n_theta, J), ≥ 0."""
        th = np.atleast_1d(np.asarray(theta, dtype=np.float64))
        z = th[:, None, None] * self.slopes[None, :, None] + self.intercepts[None, :, :]
        s = expit(z)
        dcum = (1.0 - self.guessing)[None, :, None] * self.slopes[None, :, None] * s * (1.0 - s)
        dcum = np.where(np.isnan(z), 0.0, dcum)
        pad = np.zeros(dcum.shape[:2] + (1,))
        dcum = np.concatenate([pad, dcum, pad], axis=2)
        dprob = dcum[:, :, :-1] - dcum[:, :, 1:]
        probs = self.probabilities(th)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(probs > 0, dprob * dprob / np.maximum(probs, _EPS), 0.0)
        return terms.sum(axis=2)

    def test_information(self, theta: ArrayLike) -> NDArray[np.float64]:
        """Sum of item information over the bank: shape (n_theta,)."""
        return self.information(theta).sum(axis=1)

    def expected_score(self, theta: ArrayLike) -> NDArray[np.float64]:
        """Expected item scores E[Y_j | θ] (categories 0 … K_j − 1): shape (n_theta, J)."""
        return self.cumulative(theta)[:, :, 1:].sum(axis=2)


def prob_correct(theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0) -> NDArray[np.float64]:
    """P(correct | θ) = c + (1 − c) / (1 + exp(−a(θ − b))), broadcast over θ (rows) and items (columns)."""
    th = np.asarray(theta, dtype=np.float64)[..., None]
    a_, b_, c_ = (np.asarray(v, dtype=np.float64) for v in (a, b, c))
    return c_ + (1.0 - c_) * expit(a_ * (th - b_))


def item_information(theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0) -> NDArray[np.float64]:
    """3PL Fisher information a² (P − c)² Q / ((1 − c)² P), broadcast as :func:`prob_correct`."""
    p = prob_correct(theta, a, b, c)
    a_, c_ = np.asarray(a, dtype=np.float64), np.asarray(c, dtype=np.float64)
    return a_ ** 2 * (p - c_) ** 2 * (1.0 - p) / ((1.0 - c_) ** 2 * p)


def grm_probabilities(theta: ArrayLike, a: float, b: ArrayLike) -> NDArray[np.float64]:
    """Category probabilities of one graded item with thresholds ``b``: shape (n_theta, len(b) + 1)."""
    bank = ItemBank.graded([a], np.asarray(b, dtype=np.float64)[None, :])
    return bank.probabilities(theta)[:, 0, :]
