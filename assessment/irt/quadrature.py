"""Quadrature over the latent trait: rectangular grids with a normal prior, as R mirt uses.

mirt integrates unidimensional models over 61 equally spaced points on [-6, 6] with weights from the
N(0, 1) density, normalised to sum to one (Chalmers 2012, J. Stat. Softw. 48(6); Bock & Aitkin 1981).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Quadrature", "normal_quadrature", "DEFAULT_POINTS", "DEFAULT_LIMITS"]

DEFAULT_POINTS = 61
DEFAULT_LIMITS = (-6.0, 6.0)


@dataclass(frozen=True)
class Quadrature:
    """Nodes and prior weights for integrating over θ.

    Attributes
    ----------
    points : ndarray of shape (Q,)
        Nodes in logits, increasing.
    weights : ndarray of shape (Q,)
        Prior probability mass at each node; positive, sums to 1.
    """

    points: NDArray[np.float64]
    weights: NDArray[np.float64]

    def __post_init__(self) -> None:
        points = np.asarray(self.points, dtype=np.float64)
        weights = np.asarray(self.weights, dtype=np.float64)
        if points.ndim != 1 or points.shape != weights.shape or points.size < 2:
            raise ValueError("points and weights must be 1-D arrays of the same length (>= 2)")
        if np.any(weights < 0) or not np.isfinite(weights).all() or weights.sum() <= 0:
            raise ValueError("weights must be finite, non-negative and not all zero")
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "weights", weights / weights.sum())

    @property
    def log_weights(self) -> NDArray[np.float64]:
        """Natural log of the weights; -inf where a weight is zero."""
        with np.errstate(divide="ignore"):
            return np.log(self.weights)

    @property
    def mean(self) -> float:
        """Prior mean implied by the discrete weights (logits)."""
        return float(self.weights @ self.points)

    @property
    def variance(self) -> float:
        """Prior variance implied by the discrete weights (logits²)."""
        return float(self.weights @ (self.points - self.mean) ** 2)


def normal_quadrature(n_points: int = DEFAULT_POINTS,
                      limits: tuple[float, float] = DEFAULT_LIMITS,
                      mean: float = 0.0, sd: float = 1.0) -> Quadrature:
    """Equally spaced nodes on ``limits`` weighted by the N(mean, sd²) density (mirt's default grid).

    Parameters
    ----------
    n_points : int
        Number of nodes (>= 2); mirt uses 61 for one factor.
    limits : (float, float)
        Lowest and highest node in logits; mirt uses (-6, 6).
    mean, sd : float
        Prior mean and standard deviation in logits (sd > 0).
    """
    if n_points < 2:
        raise ValueError("n_points must be at least 2")
    if not limits[0] < limits[1]:
        raise ValueError("limits must be increasing")
    if sd <= 0:
        raise ValueError("sd must be positive")
    points = np.linspace(limits[0], limits[1], n_points)
    z = (points - mean) / sd
    # The normalising constant cancels once the weights are rescaled to sum to one.
    weights = np.exp(-0.5 * z * z)
    return Quadrature(points, weights)
