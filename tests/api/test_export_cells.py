"""CSV and XLSX exports never carry a cell that a spreadsheet would run as a formula."""
import csv

import pandas as pd
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.adapters.cellsafe import neutralise_frame
from api.cli.batch import app

runner = CliRunner()
HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tTAB", "\rCR"]


def test_text_starting_like_a_formula_gets_an_apostrophe_and_numbers_stay_numbers():
    frame = pd.DataFrame({"id": HOSTILE + ["plain", None], "total": [-1.5] * 6 + [2.0, 3.0]})
    safe = neutralise_frame(frame)
    assert list(safe["id"][:6]) == ["'" + value for value in HOSTILE]
    assert safe["id"][6] == "plain" and pd.isna(safe["id"][7])
    assert safe["total"].tolist() == frame["total"].tolist()
    assert frame["id"][0] == HOSTILE[0]  # the input frame is not changed


def test_control_characters_a_worksheet_cannot_hold_are_dropped_from_text_cells():
    safe = neutralise_frame(pd.DataFrame({"id": ["A\x01B", "=\x0bX", "line\nfeed"]}))
    assert safe["id"].tolist() == ["AB", "'=X", "line\nfeed"]


def test_batch_match_exports_hostile_ids_as_text_in_csv_and_xlsx(tmp_path):
    made = runner.invoke(app, ["generate", "--seekers", "60", "--vacancies", "40", "--out", str(tmp_path / "in"),
                               "--format", "csv", "--seed", "5"])
    assert made.exit_code == 0, made.output
    seekers_path = tmp_path / "in" / "seekers.csv"
    seekers = pd.read_csv(seekers_path, dtype=str)
    seekers.loc[:len(HOSTILE) - 1, "id"] = HOSTILE
    seekers.to_csv(seekers_path, index=False)
    out = tmp_path / "out"
    result = runner.invoke(app, ["match", "--seekers", str(seekers_path), "--vacancies",
                                 str(tmp_path / "in" / "vacancies.csv"), "--out", str(out), "--k", "3",
                                 "--format", "csv", "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    exported = {row["seeker_id"] for row in csv.DictReader(open(out / "seeker_stats.csv", encoding="utf-8",
                                                                newline=""))}
    assert {"'" + value for value in HOSTILE[:4]} <= exported  # (the batch input strips blanks around ids)
    assert not [value for value in exported if value.startswith(("=", "+", "-", "@", "\t", "\r"))]
    sheet = load_workbook(out / "seeker_stats.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
