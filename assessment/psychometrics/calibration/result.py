"""The result of a calibration: estimates, standard errors, fit and a readable summary."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assessment.irt.models import ItemBank

__all__ = ["Calibration"]


@dataclass
class Calibration:
    """Result of :func:`calibrate`.

    Attributes
    ----------
    model : str
        "rasch", "2pl", "3pl" or "grm".
    items : DataFrame
        One row per item (index = column names of the data), IRT parameterisation: ``a``, ``b``
        (+ ``c`` for 3PL; ``a``, ``b1`` … ``bk`` for GRM). θ in logits; for "rasch" a = 1 and the
        latent SD is ``latent_sd`` (θ ~ N(0, latent_sd²)).
    se : DataFrame
        Standard errors, same shape; NaN for fixed parameters.
    loglik : float
        Marginal log-likelihood at the estimates (natural log).
    log_posterior : float
        loglik plus the log prior density of the item parameters (equals loglik without priors).
    latent_sd : float
        SD of θ (1 except for "rasch").
    latent_sd_se : float
        Its standard error (NaN unless "rasch").
    n_iter : int
        EM cycles run.
    converged : bool
        Whether the largest parameter change fell below ``tol``.
    n_persons : int
        Rows used.
    n_parameters : int
        Free parameters.
    item_fit : DataFrame or None
        S_X2, df, p, RMSEA per item (complete cases).
    m2 : dict or None
        M2, df, p, RMSEA (dichotomous models, complete cases).
    prior : str
        Item-parameter priors used.
    bank : ItemBank
        The estimates ready for scoring (for "rasch" score with prior SD ``latent_sd``).
    """

    model: str
    items: pd.DataFrame
    se: pd.DataFrame
    loglik: float
    log_posterior: float
    latent_sd: float
    latent_sd_se: float
    n_iter: int
    converged: bool
    n_persons: int
    n_parameters: int
    prior: str
    bank: ItemBank
    item_fit: pd.DataFrame | None = None
    m2: dict[str, float] | None = None
    category_codes: dict[str, list[float]] = field(default_factory=dict)

    @property
    def aic(self) -> float:
        return -2.0 * self.loglik + 2.0 * self.n_parameters

    @property
    def bic(self) -> float:
        return -2.0 * self.loglik + np.log(self.n_persons) * self.n_parameters

    def summary(self) -> str:
        """Readable report: model, fit, parameters with SEs, item fit."""
        lines = [f"IRT calibration: {self.model.upper()} by MML-EM (Bock & Aitkin), "
                 f"{self.n_persons} persons x {len(self.items)} items",
                 f"{'Converged' if self.converged else 'NOT converged'} after {self.n_iter} EM cycles; "
                 f"priors: {self.prior}",
                 f"log-likelihood = {self.loglik:.3f}   AIC = {self.aic:.2f}   BIC = {self.bic:.2f}"]
        if self.model == "rasch":
            lines.append(f"latent SD = {self.latent_sd:.4f} (SE {self.latent_sd_se:.4f})")
        if self.m2 is not None:
            m = self.m2
            lines.append(f"M2({m['df']:.0f}) = {m['M2']:.3f}, p = {m['p']:.4f}, RMSEA = {m['RMSEA']:.4f}")
        table = self.items.copy()
        for col in self.se.columns:
            table[f"se_{col}"] = self.se[col]
        lines.append(table.round(4).to_string())
        if self.item_fit is not None:
            lines.append("Item fit (S-X², Orlando & Thissen 2000):")
            lines.append(self.item_fit.round(4).to_string())
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"Calibration(model={self.model!r}, items={len(self.items)}, persons={self.n_persons}, "
                f"loglik={self.loglik:.3f}, converged={self.converged}, n_iter={self.n_iter})")

    def __str__(self) -> str:
        return self.summary()
