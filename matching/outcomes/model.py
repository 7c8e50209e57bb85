"""Outcome model: P(hired and still employed at 3 months | person, vacancy, referral context).

Two well-kept scikit-learn estimators are fitted on the earlier referrals and compared on a later
validation window (never on the evaluation window):

- ``HistGradientBoostingClassifier`` (Ke et al. 2017, LightGBM-style histograms) with monotone
  constraints where the sign is known (better aptitude, interest, values, experience, commute and
  pay fit never lower the chance; more competing referrals per opening and a longer commute never
  raise it); it handles missing components natively;
- ``LogisticRegression`` on the same features, missing values imputed by the median with
  missing-indicator columns, standardised.

The one with the lower validation log loss is kept and calibrated on the validation window with
isotonic regression (Zadrozny & Elkan 2002; ``CalibratedClassifierCV`` on the frozen estimator).

Features are fixed (``FEATURES``): the fit components (0–1), the practical sub-scores (0–1), the
commute in minutes, weekly hours, and the vacancy's context (openings, days open, referrals already
made to it per opening). No protected attribute is a feature: a frame that carries one
(``PROTECTED``: gender, ethnicity, religion, disability, health, age and their usual spellings)
raises ``ProtectedAttributeError`` instead of being silently dropped, so a caller who joins them in
by mistake finds out.
"""
from __future__ import annotations

import io
import pickle
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

PRACTICAL_PARTS = ("distance", "hours", "pay", "education")   # the matcher's practical sub-scores, 0–1
FEATURES = ("aptitude", "interest", "work_values", "work_style", "practical", "experience",
            "distance", "hours", "pay", "education", "commute_minutes", "hours_per_week",
            "openings", "days_open", "referrals_per_opening")
# +1: a higher value never lowers P(lasting hire); −1: never raises it; 0: no constraint.
MONOTONE = {"aptitude": 1, "interest": 1, "work_values": 1, "experience": 1, "distance": 1, "pay": 1,
            "commute_minutes": -1, "referrals_per_opening": -1}
PROTECTED = frozenset({
    "gender", "sex", "ethnicity", "ethnic_group", "nationality_ethnic", "minzu", "religion", "disability",
    "disabled", "disability_status", "health", "health_status", "physical_limitations", "age", "age_band",
    "birth_year", "date_of_birth", "birth_date", "hard_to_employ",
})
KINDS = ("auto", "gradient_boosting", "logistic")


class ProtectedAttributeError(ValueError):
    """A protected attribute was passed to the outcome model."""


def feature_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The model's columns of ``rows`` in ``FEATURES`` order (float); raises
    ``ProtectedAttributeError`` when any protected column is present and ``KeyError`` naming the
    missing features."""
    protected = sorted(PROTECTED & {str(c).lower() for c in rows.columns})
    if protected:
        raise ProtectedAttributeError(f"protected attributes may not reach the outcome model: {', '.join(protected)}")
    missing = [c for c in FEATURES if c not in rows.columns]
    if missing:
        raise KeyError(f"outcome features missing: {', '.join(missing)}")
    return rows[list(FEATURES)].astype(float)


def _gradient_boosting(seed: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        learning_rate=0.06, max_iter=300, max_leaf_nodes=31, min_samples_leaf=80, l2_regularization=1.0,
        monotonic_cst=[MONOTONE.get(c, 0) for c in FEATURES], early_stopping=True, validation_fraction=0.15,
        random_state=seed)


def _logistic() -> object:
    return make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler(),
                         LogisticRegression(C=1.0, max_iter=2000))


@dataclass
class OutcomeModel:
    """P(lasting hire) for candidate rows.

    Parameters: ``kind`` — "auto" (compare both, keep the lower validation log loss),
    "gradient_boosting" or "logistic"; ``seed`` for the booster's internal split.

    Attributes after ``fit``: ``kind_`` (the estimator kept), ``estimator_`` (calibrated),
    ``selection_`` ({kind: {"log_loss", "auc"}} on the validation rows, before calibration),
    ``n_train_``, ``n_validation_``, ``base_rate_`` (training share of lasting hires),
    ``unobserved_`` (features missing in every training row, e.g. interest in a centre whose
    people were never assessed: held at 0 in fitting and predicting, so the model ignores them;
    scikit-learn's booster cannot bin a column without any value).

    Example::

        model = OutcomeModel().fit(train_rows, train_y, valid_rows, valid_y)
        p = model.predict(candidate_rows)          # (n,) probabilities in [0, 1]
    """

    kind: str = "auto"
    seed: int = 0
    kind_: str = field(init=False, default="")

    def fit(self, rows: pd.DataFrame, y: np.ndarray, valid_rows: pd.DataFrame, valid_y: np.ndarray) -> "OutcomeModel":
        """Fit on ``rows`` (earlier referrals) and select + calibrate on ``valid_rows`` (later ones);
        ``y`` are 0/1 lasting-hire outcomes."""
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        x, xv = feature_frame(rows), feature_frame(valid_rows)
        self.unobserved_ = tuple(c for c in FEATURES if x[c].isna().all())
        x, xv = self._held(x), self._held(xv)
        y, yv = np.asarray(y, dtype=int), np.asarray(valid_y, dtype=int)
        if len(np.unique(y)) < 2 or len(np.unique(yv)) < 2:
            raise ValueError("training and validation outcomes must each hold both lasting hires and others")
        kinds = ("gradient_boosting", "logistic") if self.kind == "auto" else (self.kind,)
        fitted, self.selection_ = {}, {}
        for kind in kinds:
            est = _gradient_boosting(self.seed) if kind == "gradient_boosting" else _logistic()
            est.fit(x, y)
            p = est.predict_proba(xv)[:, 1]
            fitted[kind] = est
            self.selection_[kind] = {"log_loss": float(log_loss(yv, p)), "auc": float(roc_auc_score(yv, p))}
        self.kind_ = min(kinds, key=lambda k: self.selection_[k]["log_loss"])
        self.estimator_ = CalibratedClassifierCV(FrozenEstimator(fitted[self.kind_]), method="isotonic").fit(xv, yv)
        self.n_train_, self.n_validation_ = len(x), len(xv)
        self.base_rate_ = float(y.mean())
        return self

    def _held(self, x: pd.DataFrame) -> pd.DataFrame:
        """``x`` with the ``unobserved_`` features held at 0 (versions stored before it have none)."""
        unobserved = list(getattr(self, "unobserved_", ()))
        return x.assign(**{c: 0.0 for c in unobserved}) if unobserved else x

    def predict(self, rows: pd.DataFrame) -> np.ndarray:
        """P(lasting hire), shape (n,)."""
        return self.estimator_.predict_proba(self._held(feature_frame(rows)))[:, 1]

    def to_bytes(self) -> bytes:
        """The fitted model, pickled (stored by ``api.services.learning``; loaded only from there)."""
        buf = io.BytesIO()
        pickle.dump(self, buf, protocol=pickle.HIGHEST_PROTOCOL)
        return buf.getvalue()

    @staticmethod
    def from_bytes(data: bytes) -> "OutcomeModel":
        model = pickle.loads(data)  # noqa: S301 — our own stored model versions, never user uploads
        if not isinstance(model, OutcomeModel):
            raise TypeError("stored bytes are not an OutcomeModel")
        return model


__all__ = ["FEATURES", "KINDS", "MONOTONE", "OutcomeModel", "PRACTICAL_PARTS", "PROTECTED", "ProtectedAttributeError",
           "feature_frame"]
