"""Calibrated confidence: an isotonic map from the blend's top-1 probability to observed accuracy.

Isotonic regression (Zadrozny & Elkan 2002) fitted on out-of-fold predictions of the tuning split,
so the map is not learned from scores the blend was fitted on. Stored as breakpoints and applied by
linear interpolation, so it is a plain monotone function at run time.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression


@dataclass(frozen=True)
class IsotonicMap:
    """Monotone map [0, 1] → [0, 1] given by breakpoints ``x`` (increasing) and values ``y``."""

    x: np.ndarray
    y: np.ndarray

    @classmethod
    def fit(cls, scores: np.ndarray, hits: np.ndarray) -> "IsotonicMap":
        """Fit on top-1 probabilities ``scores`` and 0/1 outcomes ``hits`` (same length)."""
        if len(scores) < 2:
            raise ValueError("calibration needs at least two labelled titles")
        model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, hits.astype(float))
        return cls(np.asarray(model.X_thresholds_, dtype=float), np.asarray(model.y_thresholds_, dtype=float))

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        return np.interp(scores, self.x, self.y)

    def as_dict(self) -> dict[str, list[float]]:
        return {"x": [round(float(v), 6) for v in self.x], "y": [round(float(v), 6) for v in self.y]}

    @classmethod
    def from_dict(cls, data: dict) -> "IsotonicMap":
        return cls(np.asarray(data["x"], dtype=float), np.asarray(data["y"], dtype=float))
