"""Imports from the spreadsheets centres really have: Chinese headers, a title row, GBK CSV, Chinese dates
and amounts, unknown occupation codes, zh-CN row errors, the template and the CLI's exit status."""
import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from api.adapters.import_columns import (PROGRAMME_COLUMNS, VACANCY_COLUMNS, columns_markdown, parse_date,
                                         parse_number, parse_pay)
from api.adapters.tabular import read_records
from api.cli.main import app as cli
from api.services.catalogue import PROGRAMMES, VACANCIES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import-templates.md"

CHINESE = ("2026年秋季招聘岗位汇总表\n"
           "岗位名称,单位,职业代码,招聘人数,月薪,地址,学历要求,班次,发布日期,截止日期\n"
           "小区保安,朝阳区某物业公司,4-07-05-01,3人,3500-4500元/月,北京市朝阳区建国路88号,初中及以上,白班、夜班,"
           "2026/11/01,2026年12月31日\n")


def _import(client, tenant, data: bytes, resource: str = "vacancies", **params):
    return client.post(f"/v1/{resource}/import", content=data, params=params,
                       headers=tenant.headers(**{"Content-Type": "text/csv"}))


def _only_vacancy(client, tenant) -> dict:
    items = client.get("/v1/vacancies", headers=tenant.headers()).json()["items"]
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize("text, expected", [("3500-4500元/月", (3500, 4500)), ("3500元", (3500, 3500)),
                                            ("3,500～4,000", (3500, 4000)), ("200元/天", (4350, 4350)),
                                            ("面议", (None, None)), ("about 3k", None)])
def test_pay_cells_give_lowest_and_highest_monthly_pay(text, expected):
    assert parse_pay(text) == expected


@pytest.mark.parametrize("text", ["2026/11/01", "2026年11月1日", "2026-11-1", "2026.11.01"])
def test_chinese_date_spellings_are_read(text):
    assert parse_date(text) == date(2026, 11, 1)


@pytest.mark.parametrize("text, expected", [("3人", 3), ("3500元", 3500), ("6周", 6), ("85%", 0.85), ("三人", "三人")])
def test_numbers_with_a_unit_are_read_and_words_are_left_for_validation(text, expected):
    assert parse_number(text) == expected


def test_title_row_above_the_header_is_skipped_and_rows_keep_their_spreadsheet_numbers():
    records = read_records(CHINESE.encode(), "csv", VACANCIES.headers)
    assert [number for number, _ in records] == [3]
    assert records[0][1]["岗位名称"] == "小区保安"


def test_chinese_headers_and_values_are_imported(client, tenant):
    report = _import(client, tenant, CHINESE.encode()).json()
    assert (report["created"], report["rejected"]) == (1, [])
    item = _only_vacancy(client, tenant)
    assert (item["title"], item["employer"], item["openings"]) == ("小区保安", "朝阳区某物业公司", 3)
    assert (item["pay_min"], item["pay_max"], item["district"]) == (3500, 4500, "朝阳区")
    assert (item["education_min"], item["shifts"]) == ("junior_secondary", ["day", "night"])
    assert (item["posted_on"], item["closes_on"]) == ("2026-11-01", "2026-12-31")


def test_gbk_csv_as_excel_saves_it_in_china_is_read(client, tenant):
    report = _import(client, tenant, CHINESE.encode("gbk")).json()
    assert report["created"] == 1
    assert _only_vacancy(client, tenant)["employer"] == "朝阳区某物业公司"


def test_xlsx_with_a_title_row_and_chinese_headers_is_read(client, tenant):
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年培训计划"])
    sheet.append(["项目名称", "培训机构", "目标职业代码", "培训周数", "所在区", "名额", "补贴金额", "开班日期", "就业率"])
    sheet.append(["养老护理员培训", "某职业学校", "4-10-01-05", "6周", "朝阳区", "30人", "1500元", "2026年12月1日", "85%"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = client.post("/v1/programmes/import", content=buffer.getvalue(), params={"format": "xlsx"},
                         headers=tenant.headers()).json()
    assert (report["created"], report["rejected"]) == (1, [])
    item = client.get("/v1/programmes", headers=tenant.headers()).json()["items"][0]
    assert (item["capacity"], item["subsidy_yuan"], item["placement_rate"]) == (30, 1500, 0.85)
    assert item["start_date"] == "2026-12-01"


def test_unknown_occupation_code_is_rejected_with_row_column_and_a_suggestion(client, tenant):
    data = "岗位名称,单位,职业代码,所在区\n超市收银员,某超市,9-99-99-99,朝阳区\n".encode()
    report = _import(client, tenant, data).json()
    assert report["created"] == 0
    [error] = report["rejected"]
    assert (error["row"], error["field"], error["column"]) == (2, "occupation_code", "职业代码")
    assert "9-99-99-99 不是 2022 版职业分类大典里的代码" in error["message_zh"]
    assert re.search(r"可能是 \d-\d\d-\d\d-\d\d（", error["message_zh"])
    assert client.get("/v1/vacancies", headers=tenant.headers()).json()["total"] == 0


def test_unknown_occupation_code_is_refused_when_one_vacancy_is_posted(client, tenant):
    response = client.post("/v1/vacancies", json={"employer": "x", "title": "收银员", "district": "朝阳区",
                                                  "occupation_code": "9-99-99-99"}, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "occupation_code"


def test_row_errors_are_in_chinese_naming_the_column_as_written(client, tenant):
    data = "岗位名称,单位,所在区,招聘人数,截止日期\n保洁员,某公司,朝阳区,三人,下个月\n".encode()
    errors = {e["column"]: e["message_zh"] for e in _import(client, tenant, data).json()["rejected"]}
    assert errors["招聘人数"] == "“招聘人数”应填整数（如 3 或 3500），现在是“三人”。"
    assert errors["截止日期"].startswith("“截止日期”应是日期，如 2026-11-01、2026/11/01 或 2026年11月1日")


def test_template_documents_every_column_and_the_docs_show_the_same_table():
    text = DOCS.read_text(encoding="utf-8")
    assert columns_markdown(VACANCY_COLUMNS) in text
    assert columns_markdown(PROGRAMME_COLUMNS) in text


@pytest.mark.parametrize("resource, catalogue", [("vacancies", VACANCIES), ("programmes", PROGRAMMES)])
def test_cli_template_writes_a_workbook_that_imports_its_own_example_row(tmp_path, resource, catalogue):
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(cli, [resource, "template", "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == [c.header + "*" * c.note.startswith("必填") for c in catalogue.columns[:2]]
    [(number, record)] = read_records(out.read_bytes(), "xlsx", catalogue.headers)
    assert number == 3
    from api.services.catalogue import validate
    validate(catalogue, record)  # the example row is valid as written


def test_cli_template_writes_csv_with_a_bom_for_excel(tmp_path):
    out = tmp_path / "t.csv"
    assert CliRunner().invoke(cli, ["vacancies", "template", "--format", "csv", "--out", str(out)]).exit_code == 0
    assert out.read_bytes().startswith("\ufeff".encode())
    assert "岗位名称*" in out.read_text(encoding="utf-8-sig")
