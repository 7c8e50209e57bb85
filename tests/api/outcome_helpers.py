"""A small outcome model fitted on made-up rows, for tests that need one without a recorded centre."""
import numpy as np
import pandas as pd

from matching.outcomes.model import FEATURES, OutcomeModel


def commute_model(seed: int = 0) -> OutcomeModel:
    """Lasting hires in a world where a long commute and a crowded vacancy end jobs early and
    interest keeps them (logistic, fitted on 4,000 rows and calibrated on 2,000)."""
    rng = np.random.default_rng(seed)

    def rows(n):
        x = pd.DataFrame({c: rng.uniform(0, 1, n) for c in FEATURES})
        x["commute_minutes"] = rng.uniform(5, 120, n)
        x["referrals_per_opening"] = rng.uniform(0, 8, n)
        logit = -1.0 + 2.0 * x["interest"] - 0.05 * (x["commute_minutes"] - 30) - 0.4 * x["referrals_per_opening"]
        return x, (rng.uniform(0, 1, n) < 1 / (1 + np.exp(-logit))).astype(int)

    (x, y), (xv, yv) = rows(4000), rows(2000)
    return OutcomeModel(kind="logistic").fit(x, y, xv, yv)
