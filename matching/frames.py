"""Vacancy and programme frames (one row per item, API field names) from model objects or dicts."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from models.training import TrainingProgramOut
from models.vacancy import VacancyOut

__all__ = ["programmes_frame", "vacancies_frame"]


def vacancies_frame(vacancies: Sequence) -> pd.DataFrame:
    """A vacancy frame from ``VacancyOut`` objects (or dicts with the same keys)."""
    rows = [v.model_dump(mode="json") if hasattr(v, "model_dump") else dict(v) for v in vacancies]
    return pd.DataFrame(rows, columns=rows[0].keys() if rows else list(VacancyOut.model_fields))


def programmes_frame(programmes: Sequence) -> pd.DataFrame:
    """A programme frame from ``TrainingProgramOut`` objects (or dicts with the same keys)."""
    rows = [p.model_dump(mode="json") if hasattr(p, "model_dump") else dict(p) for p in programmes]
    return pd.DataFrame(rows, columns=rows[0].keys() if rows else list(TrainingProgramOut.model_fields))
