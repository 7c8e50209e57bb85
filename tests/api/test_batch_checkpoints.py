"""Batch checkpoints are reused only by a run that would compute the same blocks: same inputs and
options, the same occupation table (by content) and the same batch engine and matcher versions."""
from dataclasses import replace

import pandas as pd
import pytest

from api.batch.runner import (BatchOptions, _fingerprint, _write_block, engine_versions, occupation_fingerprint,
                              run_batch, run_block, work_dir_for)
from api.services.matching import occupation_frame, occupation_table
from matching.batch.kernel import prepare_vacancies
from matching.batch.schema import validate_seekers, validate_vacancies
from matching.batch.synthetic import generate_seekers, generate_vacancies
from matching.rank import VacancyPool

OPTIONS = BatchOptions(k=5, block_size=40)


@pytest.fixture(scope="module")
def frames():
    occ = occupation_frame()
    seekers = validate_seekers(generate_seekers(occ, 120, seed=4)).rows
    vacancies = validate_vacancies(generate_vacancies(occ, 300, seed=4)).rows
    return seekers, vacancies


def _one_requirement_raised(occ):
    apt = occ.apt_req.copy()
    apt[0, 0] += 1.0
    return replace(occ, apt_req=apt)


def test_the_occupation_fingerprint_follows_the_tables_content():
    occ = occupation_table()
    assert occupation_fingerprint(occ) == occupation_fingerprint(occupation_table())
    assert occupation_fingerprint(_one_requirement_raised(occ)) != occupation_fingerprint(occ)
    renamed = occ.names_zh.copy()
    renamed[3] = renamed[3] + "（新）"
    assert occupation_fingerprint(replace(occ, names_zh=renamed)) != occupation_fingerprint(occ)


def test_the_checkpoint_key_changes_with_the_occupation_table_and_the_matcher_version(frames):
    seekers, vacancies = frames
    occ, versions = occupation_table(), engine_versions()
    key = _fingerprint(seekers, vacancies, OPTIONS, occ, versions)
    assert key == _fingerprint(seekers, vacancies, OPTIONS, occupation_table(), dict(versions))
    assert key != _fingerprint(seekers, vacancies, OPTIONS, _one_requirement_raised(occ), versions)
    assert key != _fingerprint(seekers, vacancies, OPTIONS, occ, {**versions, "matcher": versions["matcher"] + ".1"})
    assert key != _fingerprint(seekers, vacancies, OPTIONS, occ, {**versions, "batch": versions["batch"] + ".1"})


def _plant_first_block(out, seekers, vacancies, occ):
    """A finished first block in the checkpoint directory of a run over ``occ`` (as an
    interrupted run leaves it)."""
    key = _fingerprint(seekers, vacancies, OPTIONS, occ, engine_versions())
    work = work_dir_for(out, key)
    (work / "blocks").mkdir(parents=True)
    side = prepare_vacancies(VacancyPool.from_frame(vacancies, occ), OPTIONS.weights, as_of=OPTIONS.as_of)
    _write_block(work, 0, run_block(side, seekers.iloc[:OPTIONS.block_size], 0, OPTIONS.k, "planted"))


def test_a_run_resumes_blocks_left_by_the_same_table(frames, tmp_path):
    seekers, vacancies = frames
    _plant_first_block(tmp_path / "out", seekers, vacancies, occupation_table())
    summary = run_batch(seekers, vacancies, tmp_path / "out", occupation_table(), OPTIONS)
    assert summary["timing"]["blocks_resumed"] == 1


def test_a_run_over_a_changed_occupation_table_ignores_the_old_blocks(frames, tmp_path):
    seekers, vacancies = frames
    _plant_first_block(tmp_path / "out", seekers, vacancies, occupation_table())
    changed = _one_requirement_raised(occupation_table())
    summary = run_batch(seekers, vacancies, tmp_path / "out", changed, OPTIONS)
    assert summary["timing"]["blocks_resumed"] == 0
    assert summary["versions"]["occupation_table_sha256"] == occupation_fingerprint(changed)
    fresh = run_batch(seekers, vacancies, tmp_path / "fresh", changed, OPTIONS)
    assert summary["fingerprint"] == fresh["fingerprint"]
    for name in ("recommendations", "referrals"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out" / f"{name}.parquet"),
                                      pd.read_parquet(tmp_path / "fresh" / f"{name}.parquet"), check_exact=True)
