"""`pathfit cat simulate` (api/cli/cat.py)."""
import numpy as np
import pandas as pd
from typer.testing import CliRunner

from api.cli.cat import app


def write_bank(path, n=80):
    rng = np.random.default_rng(0)
    pd.DataFrame({"item": [f"i{k}" for k in range(n)], "a": rng.lognormal(0.2, 0.25, n),
                  "b": rng.normal(0, 1, n), "c": rng.uniform(0, 0.2, n),
                  "content": rng.choice(["V", "N"], n)}).to_csv(path, index=False)


def test_simulate_prints_length_bias_rmse_and_exposure(tmp_path):
    write_bank(tmp_path / "bank.csv")
    result = CliRunner().invoke(app, ["simulate", "--bank", str(tmp_path / "bank.csv"), "--n", "300",
                                      "--max-items", "15", "--seed", "3"])
    assert result.exit_code == 0, result.output
    for word in ("mean length", "bias", "RMSE", "max exposure"):
        assert word in result.output


def test_simulate_rejects_unknown_exposure_method(tmp_path):
    write_bank(tmp_path / "bank.csv")
    result = CliRunner().invoke(app, ["simulate", "--bank", str(tmp_path / "bank.csv"),
                                      "--exposure", "lottery"])
    assert result.exit_code != 0


def test_simulate_reports_a_bank_without_b_column(tmp_path):
    pd.DataFrame({"item": ["x"], "a": [1.0]}).to_csv(tmp_path / "bad.csv", index=False)
    result = CliRunner().invoke(app, ["simulate", "--bank", str(tmp_path / "bad.csv")])
    assert result.exit_code != 0
