"""The unseen evaluation set is honest: realistic size, no index label, valid codes, disjoint splits."""
from pathlib import Path

import pandas as pd
import pytest

from matching.coding.coder import lang_of
from matching.title_coder import normalise_title

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "matching" / "data"


@pytest.fixture(scope="module")
def unseen() -> pd.DataFrame:
    return pd.read_csv(ROOT / "bench" / "data" / "title_eval_unseen.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def occupations() -> pd.DataFrame:
    return pd.read_csv(DATA / "csco22_occupations.csv", dtype=str, keep_default_na=False)


def index_labels(occupations: pd.DataFrame) -> set[str]:
    """Every text the coders index as a label (zh names and aliases of levels 3–4, English titles)."""
    labels = set()
    for name, aliases in zip(occupations["name_zh"], occupations["aliases"]):
        labels.update(normalise_title(x) for x in [name, *aliases.split("|")] if x)
    titles_en = pd.read_csv(DATA / "csco22_titles_en.csv", dtype=str, keep_default_na=False)
    for titles in titles_en["titles_en"]:
        labels.update(normalise_title(x) for x in titles.split("|") if x)
    return labels


def test_unseen_set_has_at_least_a_thousand_titles_with_a_fair_english_share(unseen):
    assert len(unseen) >= 1000
    assert (unseen["lang"] == "en").mean() >= 0.2


def test_no_unseen_title_equals_a_name_or_alias_of_the_index_after_normalisation(unseen, occupations):
    labels = index_labels(occupations)
    leaked = [t for t in unseen["title"] if normalise_title(t) in labels]
    assert leaked == []


def test_every_label_is_a_detailed_occupation_or_a_group_of_the_classification(unseen, occupations):
    level = dict(zip(occupations["code"], occupations["level"]))
    assert sorted({level.get(c, "missing") for c in unseen["code"]}) == ["3", "4"]


def test_lang_column_matches_the_script_of_each_title(unseen):
    assert (unseen["lang"] == unseen["title"].map(lang_of)).all()


def test_tuning_and_held_out_parts_share_no_title_even_after_normalisation(unseen):
    normalised = unseen["title"].map(normalise_title)
    tune = set(normalised[unseen["split"] == "tune"])
    held = set(normalised[unseen["split"] == "heldout"])
    assert set(unseen["split"]) == {"tune", "heldout"}
    assert tune & held == set()
    assert len(held) > len(tune)


def test_low_agreement_labels_carry_a_note(unseen):
    low = unseen[unseen["agreement"] == "low"]
    assert len(low) > 0
    assert (low["label_note"].str.len() > 0).all()
