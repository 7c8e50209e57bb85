"""``pathfit batch generate`` and ``pathfit batch match``: files in, results out, checkpoints that
survive a kill -9, and bad input that leaves nothing half-written."""
import json
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from api.cli.batch import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("batch-in")
    result = runner.invoke(app, ["generate", "--seekers", "3000", "--vacancies", "800", "--out", str(d),
                                 "--format", "csv", "--seed", "3"])
    assert result.exit_code == 0, result.output
    return d / "seekers.csv", d / "vacancies.csv"


def _match(inputs, out, *extra):
    return runner.invoke(app, ["match", "--seekers", str(inputs[0]), "--vacancies", str(inputs[1]),
                               "--out", str(out), "--k", "10", "--block-size", "500", *extra])


def test_match_writes_lists_both_ways_allocation_and_a_summary_with_the_audit(inputs, tmp_path):
    result = _match(inputs, tmp_path / "out", "--allocate", "--format", "parquet", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    recs = pd.read_parquet(out / "recommendations.parquet")
    assert recs.groupby("seeker_id")["rank"].max().max() == 10
    assert not recs.duplicated(["seeker_id", "vacancy_id"]).any()
    refs = pd.read_parquet(out / "referrals.parquet")
    assert refs.groupby("vacancy_id").size().max() <= 10
    assert (out / "allocation.xlsx").exists()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    after = summary["recommendations_after_allocation"]
    assert after["share_vacancies_over_capacity"] == 0.0
    assert {"gender", "age_band", "flagged"} <= set(summary["fairness"])
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # checkpoints cleaned up


# Runs the batch command in a process that kills itself with SIGKILL right after its third block
# checkpoint is on disk: a real kill -9 (no clean-up runs), at the same point on every run.
KILLED_AFTER_THIRD_BLOCK = """
import os, signal, sys
from api.batch import runner
from api.cli.batch import app
write, written = runner._write_block, []
def write_then_die(*args):
    write(*args)
    written.append(1)
    if len(written) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
runner._write_block = write_then_die
sys.argv = ["pathfit-batch", *sys.argv[1:]]
app()
"""


def test_a_killed_run_resumes_from_its_checkpoints_and_gives_the_uninterrupted_output(inputs, tmp_path):
    assert _match(inputs, tmp_path / "reference").exit_code == 0
    args = [sys.executable, "-c", KILLED_AFTER_THIRD_BLOCK, "match", "--seekers", str(inputs[0]), "--vacancies",
            str(inputs[1]), "--out", str(tmp_path / "out"), "--k", "10", "--block-size", "100", "--workers", "1"]
    killed = subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    done = len(list(tmp_path.glob(".out.work-*/blocks/block-*.npz")))
    assert done == 3
    assert not (tmp_path / "out").exists()  # nothing half-written in the output directory
    resumed = _match(inputs, tmp_path / "out", "--block-size", "100")
    assert resumed.exit_code == 0, resumed.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["timing"]["blocks_resumed"] == done
    reference_100 = tmp_path / "reference-100"
    assert _match(inputs, reference_100, "--block-size", "100").exit_code == 0
    for table in ("recommendations", "referrals", "seeker_stats"):
        a = pd.read_parquet(tmp_path / "out" / f"{table}.parquet")
        b = pd.read_parquet(reference_100 / f"{table}.parquet")
        pd.testing.assert_frame_equal(a, b)
        assert not a.duplicated().any()
    # Block size changes only the checkpoint unit, never the result.
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "reference" / "recommendations.parquet"),
                                  pd.read_parquet(reference_100 / "recommendations.parquet"))


def test_unknown_column_is_a_clear_error_and_no_output_appears(inputs, tmp_path):
    bad = tmp_path / "seekers.csv"
    pd.read_csv(inputs[0]).assign(salary_wish=1).to_csv(bad, index=False)
    result = _match((bad, inputs[1]), tmp_path / "out")
    assert result.exit_code == 2 and "unknown columns ['salary_wish']" in result.output
    assert not (tmp_path / "out").exists()


def test_empty_file_is_a_clear_error(inputs, tmp_path):
    empty = tmp_path / "vacancies.csv"
    empty.write_text("")
    result = _match((inputs[0], empty), tmp_path / "out")
    assert result.exit_code == 2 and "empty" in result.output


def test_rejected_rows_are_reported_and_the_rest_matched(inputs, tmp_path):
    vac = pd.read_csv(inputs[1])
    vac.loc[0, "openings"] = 0
    vac.loc[1, "id"] = vac.loc[2, "id"]
    path = tmp_path / "vacancies.csv"
    vac.to_csv(path, index=False)
    result = _match((inputs[0], path), tmp_path / "out")
    assert result.exit_code == 0, result.output
    rejected = pd.read_csv(tmp_path / "out" / "rejected_vacancies.csv")
    assert set(rejected["row"]) == {1, 2, 3}
    assert "openings" in set(rejected["field"]) and "id" in set(rejected["field"])


def test_an_existing_output_directory_is_never_overwritten(inputs, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    result = _match(inputs, tmp_path / "out")
    assert result.exit_code == 2 and "not empty" in result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]
