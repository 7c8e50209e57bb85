"""The reference builder on small fixtures: inheritance, weights, determinism, aptitude minimums,
physical demands, families and the skills table; plus a full rebuild from the source folder."""
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from matching.reference import (
    PHYSICAL_COLUMNS,
    abilities_wide,
    ability_requirements,
    assign_families,
    build_profiles,
    build_skills,
    derive_aptitudes,
    isco_onet_weights,
    minimum_t,
    occupation_families,
    occupation_links,
    physical_demands,
    tidy_classification,
    validate_correspondence,
)
from matching.reference.abilities import ABILITIES, ABILITY_COLUMNS
from matching.reference.profiles import (
    RIASEC,
    SKILL_IM_COLUMNS,
    SKILL_TABLE_COLUMNS,
    SKILLS_USED,
    WORK_STYLES,
    WORK_VALUES,
)

RAW = pd.DataFrame({
    "level": ["1", "3", "4", "4", "3", "4", "4"],
    "code": ["4-00-00-00", "4-01-02-00", "4-01-02-01", "4-01-02-04", "4-09-08-00", "4-09-08-01", "4-09-08-01"],
    "name": ["服务人员", "销售人员", "营销员", "收银员S", "环境卫生服务人员", "保洁员", "保洁员"],
    "definition": ["", "", "推销", "收款", "", "清洁", "清洁"],
    "tasks": ["", "", "", "", "", "", ""],
    "alias": ["", "", "营销员,销售代表", "收银员S,收银", "", "保洁员,保洁,清洁工", "保洁员,保洁,清洁工"],
})
CORRESPONDENCE = pd.DataFrame({
    "csco_code": ["4-01-02-00", "4-01-02-04", "4-09-08-00"],
    "isco08": ["3322", "5230", "9112"],
    "weight": [1.0, 1.0, 1.0],
    "confidence": [0.6, 0.9, 0.8],
})
BRIDGE = pd.DataFrame({
    "onetsoc2019": ["41-4012.00", "41-2011.00", "37-2011.00", "37-2012.00", "37-2011.00"],
    "isco08": ["3322", "5230", "9112", "9112", "5153"],
})


def _descriptors(codes: list[str], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(index=pd.Index(codes, name="onetsoc"))
    from matching.reference.profiles import (RIASEC_COLUMNS, SKILL_COLUMNS, WORK_STYLE_COLUMNS,
                                             WORK_VALUE_COLUMNS)
    for column in RIASEC_COLUMNS + WORK_VALUE_COLUMNS:
        frame[column] = rng.uniform(1, 7, len(codes))
    for column in WORK_STYLE_COLUMNS:
        frame[column] = rng.uniform(1, 5, len(codes))
    for column in SKILL_COLUMNS:
        frame[column] = rng.uniform(0, 7, len(codes))
    frame["job_zone"] = rng.integers(1, 6, len(codes)).astype(float)
    frame["education_rank"] = rng.uniform(2, 6, len(codes))
    return frame


@pytest.fixture
def classification():
    return tidy_classification(RAW)


@pytest.fixture
def descriptors():
    return _descriptors(["41-4012.00", "41-2011.00", "37-2011.00", "37-2012.00"], seed=0)


def test_tidy_classification_drops_duplicates_and_moves_marks(classification):
    assert classification["code"].is_unique
    row = classification.set_index("code").loc["4-01-02-04"]
    assert row["name_zh"] == "收银员" and bool(row["digital"]) and not bool(row["green"])
    assert row["aliases"] == "收银"


def test_parent_of_detailed_occupation_is_its_minor_group(classification):
    assert classification.set_index("code").loc["4-09-08-01", "parent_code"] == "4-09-08-00"


def test_detailed_occupation_inherits_minor_group_links(classification):
    links = occupation_links(classification, CORRESPONDENCE).set_index("code")
    assert links.loc["4-01-02-01", "isco08"] == "3322" and bool(links.loc["4-01-02-01", "inherited"])
    assert links.loc["4-01-02-04", "isco08"] == "5230" and not bool(links.loc["4-01-02-04", "inherited"])


def test_onet_occupation_linked_to_two_units_weighs_less_in_each():
    weights = isco_onet_weights(BRIDGE).set_index(["isco08", "onetsoc"])["weight"]
    # 37-2011 links to 9112 and 5153 (1/2 each); 37-2012 only to 9112 (1): shares 1/3 and 2/3.
    assert weights[("9112", "37-2011.00")] == pytest.approx(1 / 3)
    assert weights[("9112", "37-2012.00")] == pytest.approx(2 / 3)


def test_validation_rejects_weights_that_do_not_sum_to_one(classification):
    bad = CORRESPONDENCE.assign(weight=[1.0, 0.5, 1.0])
    with pytest.raises(ValueError, match="sum to 1"):
        validate_correspondence(bad, classification)


def test_validation_rejects_uncovered_detailed_occupation(classification):
    with pytest.raises(ValueError, match="without a correspondence"):
        validate_correspondence(CORRESPONDENCE.iloc[:2], classification)


def test_profile_is_the_weighted_mean_of_its_onet_occupations(classification, descriptors):
    profiles = build_profiles(classification, CORRESPONDENCE, BRIDGE, descriptors).set_index("code")
    expected = descriptors.loc["37-2011.00", "riasec_R"] / 3 + descriptors.loc["37-2012.00", "riasec_R"] * 2 / 3
    assert profiles.loc["4-09-08-01", "riasec_R"] == pytest.approx(expected)
    assert profiles.loc["4-09-08-01", "n_onet"] == 2


def test_inherited_links_lower_the_confidence(classification, descriptors):
    profiles = build_profiles(classification, CORRESPONDENCE, BRIDGE, descriptors).set_index("code")
    assert profiles.loc["4-01-02-01", "confidence"] == pytest.approx(0.6 * 0.9)
    assert profiles.loc["4-01-02-04", "confidence"] == pytest.approx(0.9)


def test_builder_is_deterministic_to_the_byte(classification, descriptors):
    def render() -> str:
        buffer = io.StringIO()
        build_profiles(classification, CORRESPONDENCE, BRIDGE, descriptors).to_csv(
            buffer, index=False, lineterminator="\n", float_format="%.4f")
        return buffer.getvalue()

    assert render() == render()


def test_derived_aptitudes_have_median_50_and_rise_with_skill_level():
    frame = _descriptors([f"o{i}" for i in range(200)], seed=3)
    frame["sk_mathematics"] = np.linspace(0, 7, 200)
    aptitudes = derive_aptitudes(frame)
    assert aptitudes.median().sub(50).abs().max() < 1e-9
    assert np.corrcoef(frame["sk_mathematics"], aptitudes["apt_N"])[0, 1] > 0.9
    assert aptitudes.min().min() >= 25 and aptitudes.max().max() <= 75


def test_onet_element_lists_match_the_contract_counts():
    assert len(RIASEC) == 6 and len(WORK_VALUES) == 6 and len(WORK_STYLES) == 16
    assert {"Reading Comprehension", "Mathematics", "Quality Control Analysis"} <= set(SKILLS_USED)


SOURCE = Path("/work/shared/data")


def _with_abilities(descriptors: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    extra = pd.DataFrame(rng.uniform(1, 5, (len(descriptors), len(ABILITY_COLUMNS) + len(SKILL_IM_COLUMNS))),
                         index=descriptors.index, columns=ABILITY_COLUMNS + SKILL_IM_COLUMNS)
    return pd.concat([descriptors, extra], axis=1)


def test_minimum_is_one_within_occupation_sd_below_the_typical_level():
    assert minimum_t(np.array([0.0]))[0] == pytest.approx(42.0)
    assert minimum_t(np.array([1.0]))[0] == pytest.approx(48.0)
    assert minimum_t(np.array([-10.0, 10.0])).tolist() == [20.0, 70.0]


def test_requirement_rises_with_the_importance_of_its_abilities():
    frame = pd.DataFrame(np.full((101, len(ABILITY_COLUMNS)), 3.0), columns=ABILITY_COLUMNS)
    rng = np.random.default_rng(1)
    frame[:] = rng.uniform(1, 5, frame.shape)
    frame["ab_mathematical_reasoning"] = np.linspace(1, 5, 101)
    frame["ab_number_facility"] = np.linspace(1, 5, 101)
    requirements = ability_requirements(frame)
    assert requirements["apt_N"].is_monotonic_increasing
    assert requirements.median().sub(42).abs().max() < 1e-9


def test_legacy_abilities_move_to_2019_codes_averaging_split_occupations():
    long = pd.DataFrame({"O*NET-SOC Code": ["11-1011.00"] * 2 + ["15-1132.00"] * 2,
                         "Element Name": ["Stamina", "Near Vision"] * 2, "Data Value": [1.0, 3.0, 2.0, 4.0]})
    crosswalk = pd.DataFrame({"O*NET-SOC 2010 Code": ["11-1011.00", "15-1132.00", "11-1011.00"],
                              "O*NET-SOC 2019 Code": ["11-1011.00", "15-1252.00", "15-1252.00"]})
    wide = abilities_wide(long, crosswalk)
    assert list(wide.columns) == ABILITY_COLUMNS and len(ABILITIES) == 52
    assert wide.loc["15-1252.00", "ab_stamina"] == pytest.approx(1.5)
    assert wide.loc["11-1011.00", "ab_near_vision"] == pytest.approx(3.0)


def _physical(ratings: dict[str, float], name: str = "某职业", definition: str = "", known: bool = True):
    frame = pd.DataFrame({c: [1.0] for c in ABILITY_COLUMNS})
    for column, value in ratings.items():
        frame[column] = value
    return physical_demands(frame, pd.Series([name]), pd.Series([definition]), pd.Series([known])).iloc[0]


def test_high_strength_ratings_mean_heavy_lifting_and_low_ones_rule_it_out():
    assert _physical({"ab_static_strength": 3.5})["phys_heavy_lifting"] == 1
    assert _physical({"ab_static_strength": 1.5})["phys_heavy_lifting"] == 0
    assert np.isnan(_physical({"ab_static_strength": 2.5})["phys_heavy_lifting"])


def test_without_ability_ratings_only_the_words_can_say_a_demand_applies():
    row = _physical({}, name="装卸搬运工", known=False)
    assert row["phys_heavy_lifting"] == 1
    assert np.isnan(row["phys_climbing_heights"]) and np.isnan(row["phys_driving"])


def test_desk_work_is_neither_outdoor_nor_hot_unless_the_text_says_so():
    assert _physical({})["phys_outdoor_work"] == 0
    assert _physical({}, definition="在野外从事勘测")["phys_outdoor_work"] == 1


def test_driving_comes_from_the_name_and_self_driving_engineers_do_not_drive():
    assert _physical({"ab_control_precision": 3.0}, name="客运车辆驾驶员 司机")["phys_driving"] == 1
    assert np.isnan(_physical({"ab_control_precision": 3.0}, name="自动驾驶系统工程师")["phys_driving"])
    assert _physical({}, name="自动驾驶系统工程师")["phys_driving"] == 0


def test_physical_demands_are_only_one_zero_or_unknown():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.uniform(1, 5, (300, len(ABILITY_COLUMNS))), columns=ABILITY_COLUMNS)
    out = physical_demands(frame, pd.Series([""] * 300), pd.Series([""] * 300), pd.Series([True] * 300))
    assert list(out.columns) == PHYSICAL_COLUMNS
    assert set(np.unique(out.to_numpy()[~np.isnan(out.to_numpy())])) <= {0.0, 1.0}


def test_identical_profiles_share_a_family_and_distant_ones_do_not():
    table = pd.DataFrame({"code": ["1-01-00-03", "1-01-00-01", "1-01-00-02", "1-01-00-04"],
                          "a": [1.0, 1.0, 1.00001, 5.0], "b": [2.0, 2.0, 2.0, 0.0]})
    families = assign_families(table, ["a", "b"]).set_index("code")
    assert families.loc["1-01-00-03", "family_id"] == families.loc["1-01-00-01", "family_id"] == "1-01-00-01"
    assert families.loc["1-01-00-02", "family_id"] == "1-01-00-01"  # equal at four decimals
    assert families.loc["1-01-00-04", "family_id"] == "1-01-00-04"
    assert families["family_size"].tolist() == [3, 3, 3, 1]


def test_family_label_names_two_members_and_says_there_are_more():
    profiles = pd.DataFrame({"code": ["2-05-01-01", "2-05-01-02", "2-05-01-03"],
                             "name_zh": ["内科医师", "外科医师", "儿科医师"], "family_id": ["2-05-01-01"] * 3})
    titles = pd.DataFrame({"code": profiles["code"], "titles_en": ["Specialist medical practitioners|Surgeons"] * 3})
    row = occupation_families(profiles, titles).iloc[0]
    assert row["label_zh"] == "内科医师、外科医师等"
    assert row["label_en"] == "Specialist medical practitioners (3 occupations)"
    assert row["members"] == "2-05-01-01|2-05-01-02|2-05-01-03" and row["size"] == 3


def test_profiles_use_abilities_when_the_descriptors_have_them(classification, descriptors):
    profiles = build_profiles(classification, CORRESPONDENCE, BRIDGE, _with_abilities(descriptors, 2))
    assert set(profiles["apt_source"]) == {"onet_abilities"}
    without = build_profiles(classification, CORRESPONDENCE, BRIDGE, descriptors)
    assert set(without["apt_source"]) == {"formula"}
    assert without[PHYSICAL_COLUMNS].isna().all().all()


def test_skills_table_is_the_weighted_mean_of_onet_skill_importances(classification, descriptors):
    rich = _with_abilities(descriptors, 4)
    skills = build_skills(classification, CORRESPONDENCE, BRIDGE, rich).set_index("code")
    expected = rich.loc["37-2011.00", "im_mathematics"] / 3 + rich.loc["37-2012.00", "im_mathematics"] * 2 / 3
    assert list(skills.reset_index().columns) == SKILL_TABLE_COLUMNS
    assert skills.loc["4-09-08-01", "sk_mathematics"] == pytest.approx(expected)


@pytest.mark.skipif(not SOURCE.is_dir(), reason="the shared source folder is not mounted")
def test_full_build_is_byte_identical_on_rebuild(tmp_path):
    from typer.testing import CliRunner

    from api.cli.reference import app

    outputs = []
    for name in ("a", "b"):
        result = CliRunner().invoke(app, ["build", "--source", str(SOURCE), "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        outputs.append({p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())})
    assert outputs[0] == outputs[1]
    shipped = Path(__file__).resolve().parents[2] / "matching" / "data"
    for name, content in outputs[0].items():
        assert (shipped / name).read_bytes() == content, f"{name} is not what the builder makes"
    assert {"occupation_profiles.csv", "occupation_families.csv", "occupation_skills.csv"} <= set(outputs[0])
