"""A small simulated centre shared by the outcome-learning tests (a few seconds to build)."""
from pathlib import Path

import pandas as pd
import pytest

from matching.components import OccupationTable
from matching.outcomes.model import OutcomeModel
from matching.outcomes.simulator import WorldConfig, handset_scorer, run_policy, simulate_world

DATA = Path(__file__).resolve().parents[3] / "matching" / "data"
SMALL = WorldConfig(n_people=1200, n_vacancies=720)


@pytest.fixture(scope="session")
def shipped_occupations() -> pd.DataFrame:
    return pd.read_csv(DATA / "occupation_profiles.csv", dtype={"code": str})


@pytest.fixture(scope="session")
def shipped_table(shipped_occupations) -> OccupationTable:
    return OccupationTable.from_frame(shipped_occupations)


@pytest.fixture(scope="session")
def small_world(shipped_occupations, shipped_table):
    return simulate_world(shipped_occupations, shipped_table, SMALL, seed=3)


@pytest.fixture(scope="session")
def small_log(small_world):
    return run_policy(small_world, handset_scorer, exploration_share=0.1, seed=3)[0]


@pytest.fixture(scope="session")
def fitted_model(small_log):
    shown = small_log[small_log["shown"]]
    train, valid = shown[shown["day"] < 330], shown[(shown["day"] >= 330) & (shown["day"] < 420)]
    return OutcomeModel(kind="gradient_boosting").fit(train, train["lasting"], valid, valid["lasting"])
