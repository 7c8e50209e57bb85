"""The ``pathfit psychometrics`` commands read CSV/Parquet/XLSX and fail clearly on bad files."""
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from api.cli.psychometrics import app

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


def test_alpha_command_prints_psych_alpha_for_a_reversed_scale():
    res = runner.invoke(app, ["alpha", str(DATA / "bfi.csv"), "--items", "A1,A2,A3,A4,A5", "--reverse", "A1",
                              "--min", "1", "--max", "6"])
    assert res.exit_code == 0 and "alpha (raw, pairwise) = 0.7030" in res.output


def test_cfa_command_writes_loadings_csv(tmp_path):
    out = tmp_path / "loadings.csv"
    res = runner.invoke(app, ["cfa", str(DATA / "holzinger_swineford_1939.csv"), "--model",
                              "visual=x1+x2+x3; textual=x4+x5+x6; speed=x7+x8+x9", "--out", str(out)])
    assert res.exit_code == 0 and "85.3055" in res.output
    assert pd.read_csv(out).shape == (9, 6)


def test_efa_command_reads_parquet(tmp_path):
    path = tmp_path / "bfi.parquet"
    pd.read_csv(DATA / "bfi.csv").iloc[:, :10].to_parquet(path)
    res = runner.invoke(app, ["efa", str(path), "-k", "2"])
    assert res.exit_code == 0 and "RMSR" in res.output


def test_norms_command_reads_xlsx_and_writes_a_versioned_table(tmp_path):
    src = tmp_path / "scores.xlsx"
    pd.read_csv(DATA / "bfi.csv")[["A2", "gender"]].dropna().to_excel(src, index=False)
    out = tmp_path / "norms.csv"
    res = runner.invoke(app, ["norms", str(src), "--scores", "A2", "--groups", "gender", "--out", str(out)])
    assert res.exit_code == 0
    assert pd.read_csv(out)["norm_version"].str.startswith("norms-").all()


def test_dif_command_accepts_a_numeric_focal_label():
    res = runner.invoke(app, ["dif", str(DATA / "dif_simulated.csv"), "--group", "group", "--focal", "1"])
    assert res.exit_code == 0 and "DIF (mh)" in res.output and "i20" in res.output


def test_non_numeric_column_is_an_error_naming_it():
    res = runner.invoke(app, ["efa", str(DATA / "holzinger_swineford_1939.csv"), "-k", "2"])
    assert res.exit_code == 2 and "'school'" in res.output


@pytest.mark.parametrize("name,content,message", [("x.json", "{}", "unsupported file type"),
                                                   ("x.csv", "a,b\n1,2\n", "at least")])
def test_bad_files_are_rejected_with_a_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    res = runner.invoke(app, ["alpha", str(path)])
    assert res.exit_code == 2 and message in res.output


def test_missing_file_is_reported():
    res = runner.invoke(app, ["alpha", "does-not-exist.csv"])
    assert res.exit_code == 2 and "file not found" in res.output
