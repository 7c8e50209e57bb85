"""Rasch estimates on the standard θ ~ N(0, 1) metric, as equal-slope 2PL items.

mirt's Rasch model (and :func:`~assessment.psychometrics.calibration.em.calibrate` with "rasch") fixes
every slope at 1 and frees the latent variance: logit P_j(θ*) = θ* − b_j with θ* ~ N(0, σ²). Writing
θ* = σθ with θ ~ N(0, 1) gives logit P_j = σθ − b_j = σ(θ − b_j / σ): the same model as a 2PL with the
common slope a = σ and difficulties b_j / σ (the 1PL form of the Rasch model; de Ayala 2009, *The
Theory and Practice of Item Response Theory*, §3.1 and ch. 5). On that metric EAP with the standard
N(0, 1) prior scores the items correctly, which is what the CAT engine and ``parameters.csv`` assume.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["rasch_as_2pl"]


def rasch_as_2pl(items: pd.DataFrame, se: pd.DataFrame, latent_sd: float, latent_sd_se: float
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rasch parameters (``a`` = 1, ``b`` in logits of θ* ~ N(0, σ²)) as equal-slope 2PL on θ ~ N(0, 1).

    Parameters
    ----------
    items, se : DataFrame (J, 2)
        Columns ``a`` and ``b`` of a Rasch calibration (``Calibration.items`` / ``.se``).
    latent_sd : float
        σ > 0, the estimated latent SD (``Calibration.latent_sd``).
    latent_sd_se : float
        Its standard error (``Calibration.latent_sd_se``).

    Returns
    -------
    (items, se) : DataFrames (J, 2), new copies
        a = σ for every item, b = b_Rasch / σ; SE(a) = SE(σ) and SE(b) = SE(b_Rasch) / σ — the SE of b
        treats σ as known (it leaves out σ's own uncertainty and its covariance with b_Rasch).
    """
    if not latent_sd > 0:
        raise ValueError(f"latent_sd={latent_sd!r}: the latent SD of a Rasch calibration must be positive.")
    items, se = items.copy(), se.copy()
    items["a"], items["b"] = latent_sd, items["b"] / latent_sd
    se["a"], se["b"] = latent_sd_se, se["b"] / latent_sd
    return items, se
