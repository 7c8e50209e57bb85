"""``pathfit psychometrics calibrate | simulate | report`` on files, with clear errors on bad input."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from api.cli.psychometrics import app
from assessment.cat.engine import CatBank
from models.instrument import ItemParameters

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


@pytest.fixture(scope="module")
def lsat7_csv(tmp_path_factory) -> Path:
    frame = pd.read_csv(DATA / "lsat7.csv")
    items = [c for c in frame.columns if c != "freq"]
    long = pd.DataFrame(np.repeat(frame[items].to_numpy(int), frame["freq"].to_numpy(), axis=0), columns=items)
    long.insert(0, "person_id", [f"P{i}" for i in range(len(long))])
    path = tmp_path_factory.mktemp("lsat") / "lsat7.csv"
    long.to_csv(path, index=False)
    return path


def test_calibrate_prints_mirt_loglik_and_writes_a_bank_the_cat_simulator_reads(lsat7_csv, tmp_path):
    out = tmp_path / "params.csv"
    res = runner.invoke(app, ["calibrate", str(lsat7_csv), "--model", "2pl", "--tol", "1e-6", "--out", str(out)])
    assert res.exit_code == 0, res.output
    # mirt(expand.table(LSAT7)): Log-likelihood = -2658.805; M2 = 11.938 (philchalmers/mirt reference pages)
    assert "-2658.805" in res.output and "M2(5) = 11.938" in res.output
    table = pd.read_csv(out)
    assert {"item", "item_id", "model", "a", "b", "se_a", "se_b", "S_X2", "S_X2_p", "provisional"} <= set(table.columns)
    bank = CatBank.from_frame(table)
    assert bank.items.n_items == 5
    assert table.loc[0, "se_a"] == pytest.approx((1.3354 - 0.6406) / 3.92, abs=2e-3)


def test_parameter_rows_validate_as_instrument_item_parameters(lsat7_csv, tmp_path):
    out = tmp_path / "params3.csv"
    res = runner.invoke(app, ["calibrate", str(lsat7_csv), "--model", "3pl", "--no-fit", "--out", str(out)])
    assert res.exit_code == 0, res.output
    for row in pd.read_csv(out).to_dict("records"):
        ItemParameters(model=row["model"], a=row["a"], b=row["b"], c=row["c"], provisional=False)


def test_rasch_parameters_are_written_on_the_standard_normal_metric(lsat7_csv, tmp_path):
    out = tmp_path / "rasch.csv"
    res = runner.invoke(app, ["calibrate", str(lsat7_csv), "--model", "rasch", "--no-fit", "--out", str(out)])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out)
    assert table["model"].eq("2PL").all() and table["a"].nunique() == 1 and table.loc[0, "a"] != 1.0


def test_grm_writes_thresholds_in_the_instrument_file_format(tmp_path):
    src, out = tmp_path / "b5.csv", tmp_path / "grm.csv"
    res = runner.invoke(app, ["simulate", "--instrument", "traits-big5", "--n", "300", "--out", str(src)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["calibrate", str(src), "--model", "grm", "--items", "C01,C02,C03,C04", "--out", str(out)])
    assert res.exit_code == 0, res.output
    row = pd.read_csv(out).iloc[0]
    thresholds = [float(t) for t in row["thresholds"].split(";")]
    assert thresholds == pytest.approx([row["b1"], row["b2"], row["b3"], row["b4"]], rel=1e-5)


def test_calibrate_rejects_non_binary_data_for_2pl(tmp_path):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"i1": [0, 1, 2] * 5, "i2": [1, 0, 1] * 5}).to_csv(path, index=False)
    res = runner.invoke(app, ["calibrate", str(path), "--model", "2pl"])
    assert res.exit_code == 2 and "0/1" in res.output


def test_calibrate_rejects_an_unknown_model(lsat7_csv):
    res = runner.invoke(app, ["calibrate", str(lsat7_csv), "--model", "4pl"])
    assert res.exit_code == 2 and "rasch, 2pl, 3pl, grm" in res.output


def test_simulate_then_report_writes_html(tmp_path):
    data, html = tmp_path / "mot.csv", tmp_path / "mot.html"
    res = runner.invoke(app, ["simulate", "--instrument", "motivation", "--n", "300", "--seed", "2",
                              "--out", str(data)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["report", "--instrument", "motivation", "--data", str(data), "--out", str(html),
                              "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "Psychometric QA report" in html.read_text(encoding="utf-8")


def test_report_on_bad_data_exits_2_naming_the_column(tmp_path):
    data = tmp_path / "bad.csv"
    res = runner.invoke(app, ["simulate", "--instrument", "motivation", "--n", "150", "--out", str(data)])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(data)
    frame.loc[3, "SE1"] = 9
    frame.to_csv(data, index=False)
    res = runner.invoke(app, ["report", "--instrument", "motivation", "--data", str(data), "--out",
                              str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "'SE1'" in res.output and "1…5" in res.output


def test_unknown_instrument_lists_the_available_ones(tmp_path):
    res = runner.invoke(app, ["simulate", "--instrument", "nope", "--out", str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and "traits-big5" in res.output


def test_calibrate_scores_raw_answers_with_the_instrument_key(tmp_path):
    src, out = tmp_path / "v.csv", tmp_path / "v_params.csv"
    res = runner.invoke(app, ["simulate", "--instrument", "aptitude-v", "--n", "400", "--out", str(src)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["calibrate", str(src), "--instrument", "aptitude-v", "--model", "2pl", "--no-fit",
                              "--items", "V001,V002,V003,V004,V005,V006", "--out", str(out)])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out)
    assert list(table["item"]) == ["V001", "V002", "V003", "V004", "V005", "V006"] and (table["a"] > 0).all()
