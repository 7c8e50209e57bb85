"""Alpha and omega agree with psych::alpha / psych::omega on bfi (reference: tests/data/r/reference_reliability.R)."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assessment.psychometrics.reliability import alpha, omega

DATA = Path(__file__).resolve().parents[1] / "data"
REVERSED = ["A1", "C4", "C5", "E1", "E2", "O2", "O5"]
REFERENCE = json.loads((DATA / "reference_reliability_bfi.json").read_text())


@pytest.fixture(scope="module")
def bfi_keyed() -> pd.DataFrame:
    bfi = pd.read_csv(DATA / "bfi.csv")
    bfi[REVERSED] = 7 - bfi[REVERSED]
    return bfi


@pytest.mark.parametrize("scale", sorted(REFERENCE))
def test_alpha_matches_psych_raw_alpha_with_pairwise_missing_data_to_1e_12(bfi_keyed, scale):
    ref = REFERENCE[scale]
    assert alpha(bfi_keyed[ref["items"]]) == pytest.approx(ref["raw_alpha"], abs=1e-12)


@pytest.mark.parametrize("scale", sorted(REFERENCE))
def test_omega_total_matches_psych_omega_one_factor_to_1e_6(bfi_keyed, scale):
    ref = REFERENCE[scale]
    assert omega(bfi_keyed[ref["items"]]) == pytest.approx(ref["omega_total"], abs=1e-6)


def test_alpha_of_parallel_items_follows_spearman_brown():
    rng = np.random.default_rng(7)
    true = rng.normal(size=(20000, 1))
    items = true + rng.normal(size=(20000, 4))  # item reliability 0.5
    expected = 4 * 0.5 / (1 + 3 * 0.5)
    assert alpha(items) == pytest.approx(expected, abs=0.01)


def test_alpha_rejects_a_constant_item_by_name():
    data = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 2, 2], "c": [1, 3, 2, 4]})
    with pytest.raises(ValueError, match="'b' is constant"):
        alpha(data)


def test_alpha_rejects_non_numeric_cells_naming_column_and_row():
    data = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, "x", 1, 3]})
    with pytest.raises(ValueError, match=r"column 'b'.*'x' at row 2"):
        alpha(data)


def test_alpha_rejects_too_few_rows():
    with pytest.raises(ValueError, match="too few"):
        alpha(pd.DataFrame({"a": [1, 2], "b": [2, 1]}))
