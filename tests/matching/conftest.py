"""Fixtures for matching tests: synthetic occupation tables with the contract's columns, vacancy
and programme frames, and a profile builder (see ``tests/matching/synthetic.py``)."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from matching.components import OccupationTable
from models.person import Constraints
from tests.matching.synthetic import (
    simulate_person,
    synthetic_occupations,
    synthetic_programmes,
    synthetic_vacancies,
)

REAL_TABLE = Path(__file__).resolve().parents[2] / "matching" / "data" / "occupation_profiles.csv"


@pytest.fixture(scope="session")
def occupations() -> pd.DataFrame:
    return synthetic_occupations(120, seed=0)


@pytest.fixture(scope="session")
def occ_table(occupations) -> OccupationTable:
    return OccupationTable.from_frame(occupations)


@pytest.fixture(scope="session")
def vacancies(occupations) -> pd.DataFrame:
    return synthetic_vacancies(occupations, per_occupation=3, seed=1)


@pytest.fixture(scope="session")
def programmes(occupations) -> pd.DataFrame:
    return synthetic_programmes(occupations, n=20, seed=2)


@pytest.fixture
def person(occupations):
    """A simulated person whose true profile is that of the first occupation, with no commute
    limit (so that distance alone excludes nothing)."""
    p = simulate_person(occupations, occupations["code"].iloc[0], np.random.default_rng(3), person_id="p1")
    return p.model_copy(update={"constraints": Constraints()})


def vacancy_row(**overrides) -> dict:
    """One vacancy row with neutral defaults (day shift, 40 h, no requirements)."""
    row = {
        "id": "v1", "title": "岗位", "occupation_code": None, "openings": 1, "district": "区1",
        "lat": None, "lon": None, "hours_per_week": 40.0, "shifts": [], "pay_min": None,
        "pay_max": None, "education_min": None, "education_min_is_hard": False,
        "required_certificates": [], "physical_demands": [], "public_welfare": False,
        "internship": False, "directed_training": False, "posted_on": None, "closes_on": None,
    }
    row.update(overrides)
    return row
