"""The reference builder on a small fixture: inheritance, weights, determinism and the aptitude metric."""
import io

import numpy as np
import pandas as pd
import pytest

from matching.reference import (
    build_profiles,
    derive_aptitudes,
    isco_onet_weights,
    occupation_links,
    tidy_classification,
    validate_correspondence,
)
from matching.reference.profiles import RIASEC, SKILLS_USED, WORK_STYLES, WORK_VALUES

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
