"""The job-title coder on the shipped classification and the labelled evaluation set."""
from pathlib import Path

import pandas as pd
import pytest

from matching.title_coder import TitleCoder, normalise_title

ROOT = Path(__file__).resolve().parents[2]
# Measured on bench/data/title_eval.csv (244 titles): top-1 0.709, top-3 0.848. The margin allows
# small changes to the classification text without hiding a real regression.
MIN_TOP1, MIN_TOP3 = 0.68, 0.82


@pytest.fixture(scope="module")
def coder() -> TitleCoder:
    occupations = pd.read_csv(ROOT / "matching" / "data" / "csco22_occupations.csv", dtype={"code": str},
                              keep_default_na=False)
    titles_en = pd.read_csv(ROOT / "matching" / "data" / "csco22_titles_en.csv", dtype=str,
                            keep_default_na=False)
    return TitleCoder().fit(occupations, titles_en)


@pytest.mark.parametrize("title, code", [
    ("小区保洁阿姨", "4-09-08-01"),
    ("超市收银员", "4-01-02-04"),
    ("叉车司机（长白班）", "6-30-05-01"),
    ("网约车司机", "4-02-02-01"),
    ("月嫂", "4-10-01-06"),
    ("Security guard", "4-07-05-01"),
])
def test_obvious_titles_get_their_occupation_first(coder, title, code):
    assert coder.code(title)[0].code == code


def test_returns_three_candidates_with_confidences_in_unit_interval(coder):
    candidates = coder.code("仓库理货员")
    assert len(candidates) == 3
    assert len({c.code for c in candidates}) == 3
    assert all(0 <= c.confidence <= 1 and 0 <= c.score <= 1 for c in candidates)
    assert candidates[0].confidence >= candidates[1].confidence


def test_ad_boilerplate_is_ignored():
    assert normalise_title("急招保洁阿姨（包吃住）") == "保洁"


def test_accuracy_on_the_evaluation_set_does_not_drop(coder):
    labelled = pd.read_csv(ROOT / "bench" / "data" / "title_eval.csv", dtype=str)
    assert len(labelled) >= 200
    results = coder.code_many(labelled["title"].tolist())
    top1 = sum(r[0].code == gold for r, gold in zip(results, labelled["code"])) / len(labelled)
    top3 = sum(gold in [c.code for c in r] for r, gold in zip(results, labelled["code"])) / len(labelled)
    assert top1 >= MIN_TOP1
    assert top3 >= MIN_TOP3


def test_evaluation_titles_are_not_the_classifications_own_names():
    names = set(pd.read_csv(ROOT / "matching" / "data" / "csco22_occupations.csv", keep_default_na=False)["name_zh"])
    labelled = pd.read_csv(ROOT / "bench" / "data" / "title_eval.csv", dtype=str)
    assert not labelled["title"].isin(names).any()
