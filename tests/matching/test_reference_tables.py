"""The shipped occupation reference tables: coverage, ranges and the correspondence's invariants."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from matching.experience import history_similarity, skill_units
from matching.reference import (
    FAMILY_COLUMNS,
    PHYSICAL_COLUMNS,
    PROFILE_COLUMNS,
    SKILL_TABLE_COLUMNS,
    validate_correspondence,
)
from matching.reference.profiles import FAMILY_PROFILE_COLUMNS
from models.enums import PhysicalDemand
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
def families() -> pd.DataFrame:
    return pd.read_csv(DATA / "occupation_families.csv", dtype={"family_id": str}, keep_default_na=False)


@pytest.fixture(scope="module")
def skills() -> pd.DataFrame:
    return pd.read_csv(DATA / "occupation_skills.csv", dtype={"code": str})


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


def test_profile_values_are_in_range_and_complete_except_unknown_physical_demands(profiles):
    assert not profiles.drop(columns=PHYSICAL_COLUMNS).isna().any().any()
    for record in profiles.astype(object).where(profiles.notna(), None).to_dict("records"):
        OccupationProfile(**record)  # raises on any out-of-range value


def test_aptitude_minimums_sit_one_within_occupation_sd_below_the_typical_level(profiles):
    # Typical level of the median occupation is T 50; its minimum is 8 T points lower.
    aptitudes = profiles[["apt_V", "apt_N", "apt_S", "apt_P", "apt_Q", "apt_G"]]
    assert (aptitudes.median() - 42).abs().max() < 0.5
    assert aptitudes.std().between(4, 8).all()
    assert aptitudes.min().min() >= 20 and aptitudes.max().max() <= 70


def test_a_person_at_t45_meets_most_aptitude_minimums(profiles):
    aptitudes = profiles[["apt_V", "apt_N", "apt_S", "apt_P", "apt_Q", "apt_G"]]
    assert ((aptitudes <= 45).mean() > 0.5).all()


def test_aptitudes_come_from_onet_abilities_for_nearly_all_occupations(profiles):
    assert set(profiles["apt_source"]) <= {"onet_abilities", "formula"}
    assert (profiles["apt_source"] == "onet_abilities").mean() > 0.95


def test_accountants_need_more_numerical_than_verbal_aptitude_and_cleaners_little_of_either(profiles):
    rows = profiles.set_index("code")
    assert rows.loc["2-06-03-00", "apt_N"] > rows.loc["2-06-03-00", "apt_V"]  # 会计专业人员
    assert rows.loc["4-09-08-01", ["apt_V", "apt_N"]].max() < 40  # 保洁员


def test_physical_demand_columns_follow_the_enum_and_hold_only_0_1_or_unknown(profiles):
    assert PHYSICAL_COLUMNS == [f"phys_{d.value}" for d in PhysicalDemand]
    for column in PHYSICAL_COLUMNS:
        assert set(profiles[column].dropna().unique()) <= {0.0, 1.0}, column
        assert profiles[column].notna().any() and (profiles[column] == 1).any(), column


@pytest.mark.parametrize("code, demand, value", [
    ("4-02-07-04", "walking_long_distances", 1),  # 邮政投递员
    ("4-02-07-08", "walking_long_distances", 1),  # 快递员
    ("4-02-02-02", "driving", 1),  # 道路货运汽车驾驶员
    ("4-02-05-01", "heavy_lifting", 1),  # 装卸搬运工
    ("2-06-03-00", "heavy_lifting", 0),  # 会计专业人员
    ("2-06-03-00", "walking_long_distances", 0),
    ("2-06-03-00", "driving", 0),
    ("6-29-01-05", "climbing_heights", 1),  # 架子工
    ("6-17-02-02", "cold_or_hot_environment", 1),  # 炼钢工
    ("5-02-03-01", "outdoor_work", 1),  # 护林员
])
def test_known_occupations_have_their_physical_demands(profiles, code, demand, value):
    assert profiles.set_index("code").loc[code, f"phys_{demand}"] == value


def test_every_occupation_belongs_to_exactly_one_family_listed_in_the_family_table(profiles, families):
    members = families["members"].str.split("|").explode()
    assert members.is_unique and set(members) == set(profiles["code"])
    assert families["size"].sum() == len(profiles)
    assert list(families.columns) == FAMILY_COLUMNS


def test_family_id_is_the_smallest_member_code_and_sizes_agree(profiles, families):
    by_family = profiles.groupby("family_id")["code"]
    assert (by_family.min() == by_family.min().index).all()
    assert (profiles["family_size"] == profiles.groupby("family_id")["code"].transform("size")).all()
    table = families.set_index("family_id")
    assert (table.loc[by_family.size().index, "size"] == by_family.size()).all()


def test_identical_profiles_share_a_family(profiles):
    groups = profiles.groupby(FAMILY_PROFILE_COLUMNS)["family_id"].nunique()
    assert (groups == 1).all()
    assert (groups.index.size < len(profiles))  # the table does hold identical profiles


def test_physicians_form_one_family_labelled_by_two_member_names(profiles, families):
    family = profiles.set_index("code").loc["2-05-01-01", "family_id"]  # 内科医师
    row = families.set_index("family_id").loc[family]
    assert row["size"] >= 10
    assert row["label_zh"] == "内科医师、外科医师等"
    assert row["label_en"].startswith("Specialist medical practitioners")


def test_skills_table_has_35_importances_for_every_occupation(profiles, skills):
    assert list(skills.columns) == SKILL_TABLE_COLUMNS and len(SKILL_TABLE_COLUMNS) == 36
    assert list(skills["code"]) == sorted(profiles["code"])
    values = skills.drop(columns="code")
    assert not values.isna().any().any() and values.min().min() >= 1 and values.max().max() <= 5


def test_drivers_rank_operation_and_control_above_accountants(skills):
    rows = skills.set_index("code")
    assert rows.loc["4-02-02-02", "sk_operation_and_control"] > rows.loc["2-06-03-00", "sk_operation_and_control"] + 1
    assert rows.loc["2-06-03-00", "sk_mathematics"] > rows.loc["4-02-02-02", "sk_mathematics"]


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


def _similarity(skills: pd.DataFrame, past: list[str], codes: list[str]) -> np.ndarray:
    """The matcher's past-job × occupation similarity on the shipped skills table."""
    units = skill_units(skills.drop(columns="code").to_numpy(float))
    row = {c: i for i, c in enumerate(skills["code"])}
    return history_similarity(past, units[[row[c] for c in past]], np.array(codes, dtype=object),
                              units[[row[c] for c in codes]])


def test_a_truck_drivers_nearest_other_occupations_include_the_bus_driver(skills):
    codes = skills["code"].tolist()
    similarity = _similarity(skills, ["4-02-02-02"], codes)[0]  # 道路货运汽车驾驶员
    nearest = [codes[i] for i in similarity.argsort()[::-1][:10]]
    assert nearest[0] == "4-02-02-02" and "4-02-02-01" in nearest  # 客运车辆驾驶员
    accountant = similarity[codes.index("2-06-03-00")]
    assert accountant < similarity[codes.index("4-02-02-01")] - 0.3


def test_occupation_similarity_is_symmetric_and_within_unit_interval(skills):
    codes = skills["code"].tolist()[::40]
    matrix = _similarity(skills, codes, codes)
    assert np.allclose(matrix, matrix.T) and matrix.min() >= 0 and matrix.max() <= 1
    assert np.allclose(np.diag(matrix), 1.0)
