"""The version is derived from a content hash: changed items change it and orphan old norms."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from instruments.registry import ROOT, load_instrument


@pytest.fixture
def verbal_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "aptitude-v"
    shutil.copytree(ROOT / "aptitude-v", folder)
    return folder


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_version_is_base_version_plus_twelve_hex_of_the_content_hash(verbal_copy):
    inst = load_instrument(verbal_copy)
    assert inst.version == f"1.0.0+{inst.content_hash[:12]}"


def test_identical_content_gives_the_identical_version(verbal_copy):
    assert load_instrument(verbal_copy).version == load_instrument(ROOT / "aptitude-v").version


def test_changing_an_item_text_changes_the_version(verbal_copy):
    before = load_instrument(verbal_copy).version
    _replace(verbal_copy / "items.yaml", "超市今天的鸡蛋很便宜", "超市今天的鸭蛋很便宜")
    assert load_instrument(verbal_copy).version != before


def test_changing_a_key_changes_the_version(verbal_copy):
    before = load_instrument(verbal_copy).version
    _replace(verbal_copy / "items.yaml", "    key: A\n", "    key: B\n")
    assert load_instrument(verbal_copy).version != before


def test_changing_a_parameter_changes_the_version(verbal_copy):
    before = load_instrument(verbal_copy).version
    _replace(verbal_copy / "parameters.csv", ",0.2,,true\n", ",0.25,,true\n")
    assert load_instrument(verbal_copy).version != before


def test_changed_item_no_longer_matches_its_norm_table(verbal_copy):
    assert load_instrument(verbal_copy).norms_current
    _replace(verbal_copy / "items.yaml", "超市今天的鸡蛋很便宜", "超市今天的鸭蛋很便宜")
    assert not load_instrument(verbal_copy).norms_current


def test_rewording_an_interpretation_keeps_the_version(verbal_copy):
    before = load_instrument(verbal_copy).version
    _replace(verbal_copy / "interpretations.yaml", "您的", "你的")
    assert load_instrument(verbal_copy).version == before


def test_changing_a_part_of_g_makes_the_g_norms_stale(tmp_path):
    from instruments.registry import clear_cache, load_composites

    root = tmp_path / "bank"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    assert load_composites(root)["G"].norms_current
    _replace(root / "aptitude-n" / "items.yaml", "打零工每小时", "做零工每小时")
    clear_cache()  # loads are cached per process; this test edits files under a loaded root
    assert not load_composites(root)["G"].norms_current
