"""The shipped occupation reference tables: coverage, ranges and the correspondence's invariants."""
from pathlib import Path

import pandas as pd
import pytest

from matching.reference import PROFILE_COLUMNS, validate_correspondence
from models.occupation import OccupationProfile

DATA = Path(__file__).resolve().parents[2] / "matching" / "data"


@pytest.fixture(scope="module")
def classification() -> pd.DataFrame:
    return pd.read_csv(DATA / "csco22_occupations.csv", dtype={"code": str, "parent_code": str},
                       keep_default_na=False)


@pytest.fixture(scope="module")
def profiles() -> pd.DataFrame:
    return pd.read_csv(DATA / "occupation_profiles.csv", dtype={"code": str})


@pytest.fixture(scope="module")
def correspondence() -> pd.DataFrame:
    return pd.read_csv(DATA / "cn_isco_correspondence.csv", dtype={"csco_code": str, "isco08": str},
                       keep_default_na=False)


def test_classification_has_contract_columns_and_all_levels(classification):
    assert list(classification.columns[:6]) == ["code", "level", "parent_code", "name_zh", "definition_zh", "aliases"]
    assert set(classification["level"]) == {1, 2, 3, 4}
    assert classification["code"].is_unique


def test_every_parent_code_exists(classification):
    parents = set(classification["parent_code"]) - {""}
    assert parents <= set(classification["code"])


def test_names_carry_no_green_or_digital_marks(classification):
    assert not classification["name_zh"].str.contains(r"[A-Za-z/]$").any()


def test_profile_table_has_every_level4_code(classification, profiles):
    level4 = set(classification.loc[classification["level"] == 4, "code"])
    assert set(profiles["code"]) == level4
    assert len(profiles) == 1631


def test_profile_table_columns_follow_the_contract(profiles):
    assert list(profiles.columns) == PROFILE_COLUMNS


def test_profile_values_are_in_range_and_complete(profiles):
    assert not profiles.isna().any().any()
    for record in profiles.to_dict("records"):
        OccupationProfile(**record)  # raises on any out-of-range value


def test_aptitudes_are_on_the_t_metric_with_median_50(profiles):
    aptitudes = profiles[["apt_V", "apt_N", "apt_S", "apt_P", "apt_Q", "apt_G"]]
    assert (aptitudes.median() - 50).abs().max() < 0.5
    assert aptitudes.std().between(4, 8).all()


def test_professionals_need_more_general_ability_than_elementary_service(profiles):
    by_group = profiles.groupby("major_group")["apt_G"].median()
    assert by_group[2] > by_group[4] + 5


def test_known_occupations_have_their_holland_type(profiles):
    top = profiles.set_index("code")[["riasec_R", "riasec_I", "riasec_A", "riasec_S", "riasec_E", "riasec_C"]].idxmax(axis=1)
    assert top["6-18-02-04"] == "riasec_R"  # 焊工
    assert top["2-08-02-04"] == "riasec_S"  # 小学教师
    assert top["4-01-02-04"] == "riasec_C"  # 收银员


def test_correspondence_weights_sum_to_one_and_confidences_in_unit_interval(correspondence, classification):
    assert correspondence["confidence"].between(0, 1).all()
    sums = correspondence.groupby("csco_code")["weight"].sum()
    assert ((sums - 1).abs() < 1e-3).all()
    validate_correspondence(correspondence, classification)


@pytest.mark.parametrize("csco, isco, share", [
    ("1", {"1"}, 0.85), ("2", {"2", "3"}, 0.85), ("5", {"6", "7", "8", "9", "3"}, 0.95),
    ("6", {"7", "8", "9", "3"}, 0.95),
])
def test_correspondence_follows_the_major_group_structure(correspondence, csco, isco, share):
    # CSCO 1 ↔ ISCO 1, 2 ↔ 2 (some to technicians 3), 5 ↔ 6, 6 ↔ 7/8/9: per CSCO code, the link
    # weight landing outside the expected ISCO major groups stays small.
    rows = correspondence.loc[correspondence["csco_code"].str[0] == csco]
    inside = rows.loc[rows["isco08"].str[0].isin(isco), "weight"].sum()
    assert inside / rows["weight"].sum() >= share


def test_profile_confidence_in_unit_interval(profiles):
    assert profiles["confidence"].between(0, 1).all()
    assert profiles["confidence"].median() > 0.5
