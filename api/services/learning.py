"""Use case: train, compare, store and activate outcome models (learning from outcomes, issue 17).

``train_version`` fits ``matching.outcomes.model.OutcomeModel`` on an organisation's labelled
referrals and stores the version. Windows, by referral date: the earliest 60 % of referrals fit the
model, the next 20 % select and calibrate it, the latest 20 % compare it offline with the ranking in
use; people already seen in an earlier window are dropped from the later ones, so the comparison
is on people the model never saw (``matching.outcomes.evaluation.check_disjoint``).

The offline comparison (the gate): AUC for "hired and still employed at 3 months" on the comparison
referrals, the new model's P(lasting hire) against the score of the ranking in use (the active
version's prediction, or the hand-set total when none is active). The version becomes **active**
only when its AUC is higher by at least ``AUC_MARGIN`` and the lower end of the 95 % bootstrap
interval of the difference (people resampled) is above zero; otherwise it is **rejected** and the
hand-set weights (or the previous active version) stay. Too few labelled referrals or lasting hires
in any window is a 422 that says how many are needed.

Labelled rows carry ``matching.outcomes.model.FEATURES`` plus ``total`` (the hand-set fit 0–100),
``person_id``, ``referred_on`` (date) and ``lasting`` (0/1). Protected attributes are refused by
the model itself; ``groups`` (gender, age band, …, one value per row) are used only for the model
card's fairness figures.

Schedule: ``settings.outcome_training_every_days`` (unset = only on demand); ``training_due`` says
whether the latest version is older than that, and ``pathfit outcomes train --if-due`` (run daily
by cron or a systemd timer) trains only then.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import Problem
from api.security import new_id
from matching.outcomes.evaluation import auc_difference, calibration_error, check_disjoint, date_windows
from matching.outcomes.fairness import group_calibration, model_card
from matching.outcomes.model import FEATURES, OutcomeModel, ProtectedAttributeError
from models.tables import utcnow
from models.tables_learning import OutcomeModelVersion

AUC_MARGIN = 0.02
MIN_ROWS_PER_WINDOW = 100
MIN_LASTING_PER_WINDOW = 10
N_BOOT = 500
REQUIRED = (*FEATURES, "total", "person_id", "referred_on", "lasting")


def _check_enough(windows: dict[str, pd.DataFrame]) -> None:
    for name, w in windows.items():
        n, lasting = len(w), int(w["lasting"].sum())
        if n < MIN_ROWS_PER_WINDOW or lasting < MIN_LASTING_PER_WINDOW or lasting == n:
            raise Problem(422, "Not enough recorded outcomes",
                          f"The {name} window holds {n} labelled referrals with {lasting} lasting hires; each of the "
                          f"three windows needs at least {MIN_ROWS_PER_WINDOW} referrals and {MIN_LASTING_PER_WINDOW} "
                          "lasting hires (and some that did not last). Record more outcomes and follow-ups, then train "
                          "again; until then the hand-set ranking stays.",
                          errors=[{"field": "rows", "message": f"{name}: {n} referrals, {lasting} lasting hires"}])


def active_version(session: Session, organisation_id: str) -> OutcomeModelVersion | None:
    """The organisation's active outcome model, or None (the hand-set ranking is in use)."""
    return session.scalars(select(OutcomeModelVersion).where(
        OutcomeModelVersion.organisation_id == organisation_id, OutcomeModelVersion.status == "active")).first()


def active_model(session: Session, organisation_id: str) -> OutcomeModel | None:
    """The fitted active model, or None."""
    row = active_version(session, organisation_id)
    return OutcomeModel.from_bytes(row.model) if row is not None else None


_LOADED: dict[str, OutcomeModel] = {}
_LOADED_LOCK = threading.Lock()
MAX_LOADED = 16


def active_model_version(session: Session, organisation_id: str) -> tuple[OutcomeModelVersion | None,
                                                                           OutcomeModel | None]:
    """The active version and its fitted model, or (None, None). A stored version's model never
    changes, so each is unpickled once per process (at most ``MAX_LOADED`` kept) instead of on
    every list."""
    row = active_version(session, organisation_id)
    if row is None:
        return None, None
    return row, _loaded(row)


def stored_model(session: Session, organisation_id: str, version_id: str) -> tuple[OutcomeModelVersion, OutcomeModel]:
    """A stored version of the organisation by id, whatever its status now, and its fitted model
    (a batch job uses the version that was active when it was created, also when it resumes after
    a newer one became active). ``LookupError`` when the organisation has no such version."""
    row = session.get(OutcomeModelVersion, version_id)
    if row is None or row.organisation_id != organisation_id:
        raise LookupError(f"outcome model version {version_id!r} is not one of this organisation's")
    return row, _loaded(row)


def _loaded(row: OutcomeModelVersion) -> OutcomeModel:
    """``row``'s fitted model, unpickled once per process."""
    with _LOADED_LOCK:
        model = _LOADED.get(row.id)
    if model is None:
        model = OutcomeModel.from_bytes(row.model)
        with _LOADED_LOCK:
            if len(_LOADED) >= MAX_LOADED:
                _LOADED.pop(next(iter(_LOADED)))
            _LOADED[row.id] = model
    return model


def versions(session: Session, organisation_id: str) -> list[OutcomeModelVersion]:
    """Every stored version of the organisation, newest first."""
    return list(session.scalars(select(OutcomeModelVersion).where(
        OutcomeModelVersion.organisation_id == organisation_id).order_by(OutcomeModelVersion.version.desc())))


def training_due(session: Session, organisation_id: str, every_days: int | None, now: datetime | None = None) -> bool:
    """Whether the schedule asks for a new version: never when ``every_days`` is None; otherwise when
    there is no version yet or the latest was trained ``every_days`` or more days ago."""
    if every_days is None:
        return False
    latest = session.scalar(select(func.max(OutcomeModelVersion.trained_at)).where(
        OutcomeModelVersion.organisation_id == organisation_id))
    return latest is None or (now or utcnow()) - latest >= timedelta(days=every_days)


def train_version(session: Session, organisation_id: str, rows: pd.DataFrame, *, trained_by: str,
                  groups: dict[str, np.ndarray] | None = None, seed: int = 0) -> OutcomeModelVersion:
    """Fit, compare offline with the ranking in use, store the version and activate it only if it
    beats that ranking (module docstring). Never commits."""
    missing = [c for c in REQUIRED if c not in rows.columns]
    if missing:
        raise Problem(422, "Labelled referrals are missing columns", f"Add the columns {', '.join(missing)}.",
                      errors=[{"field": f"rows.{c}", "message": "required column is missing"} for c in missing])
    try:
        train, valid, test = date_windows(rows)
        check_disjoint(train, valid, test)
        _check_enough({"training": train, "validation": valid, "comparison": test})
        model = OutcomeModel(seed=seed).fit(train, train["lasting"], valid, valid["lasting"])
    except ProtectedAttributeError as exc:
        raise Problem(422, "Protected attribute in the training rows", str(exc),
                      errors=[{"field": "rows", "message": "remove gender, age, ethnicity, religion, disability and "
                                                           "health columns: they are never model features"}]) from exc
    y = test["lasting"].to_numpy(dtype=int)
    p_new = model.predict(test)
    current = active_version(session, organisation_id)
    if current is not None:
        old, against = OutcomeModel.from_bytes(current.model).predict(test), f"active version {current.version}"
    else:
        old, against = test["total"].to_numpy(dtype=float), "hand-set ranking"
    auc = auc_difference(y, p_new, old, test["person"].to_numpy(), n_boot=N_BOOT, seed=seed)
    beats = auc["difference"] >= AUC_MARGIN and auc["low"] > 0
    decision = (f"{'active' if beats else 'rejected'}: AUC {auc['difference']:+.3f} against the {against} "
                f"(95 % interval {auc['low']:+.3f} to {auc['high']:+.3f}; needs ≥ +{AUC_MARGIN:.2f} and the interval "
                f"above 0) on {len(test)} later referrals of {test['person'].nunique()} people the model never saw")
    fairness = {name: group_calibration(np.asarray(g, dtype=object)[test.index.to_numpy()], y, p_new)
                for name, g in (groups or {}).items()}
    metrics = {"comparison": {"against": against, "auc_new": float(roc_auc_score(y, p_new)),
                              "auc_current": float(roc_auc_score(y, old)), **auc,
                              "ece_new": calibration_error(y.astype(float), p_new)},
               "windows": {name: {"referrals": len(w), "lasting_hires": int(w["lasting"].sum()),
                                  "from": str(w["referred_on"].min()), "to": str(w["referred_on"].max())}
                           for name, w in (("training", train), ("validation", valid), ("comparison", test))}}
    metrics["model_card"] = model_card(model, dict(metrics["comparison"]), fairness)
    if beats and current is not None:
        current.status = "retired"
    number = (session.scalar(select(func.max(OutcomeModelVersion.version)).where(
        OutcomeModelVersion.organisation_id == organisation_id)) or 0) + 1
    row = OutcomeModelVersion(
        id=new_id("om"), organisation_id=organisation_id, version=number, status="active" if beats else "rejected",
        trained_at=utcnow(), trained_by=trained_by, estimator=model.kind_, training_rows=model.n_train_,
        metrics=metrics, decision=decision, decided_at=utcnow(), model=model.to_bytes())
    session.add(row)
    session.flush()
    return row


__all__ = ["AUC_MARGIN", "MIN_LASTING_PER_WINDOW", "MIN_ROWS_PER_WINDOW", "active_model", "active_model_version",
           "active_version", "train_version", "training_due", "versions"]
