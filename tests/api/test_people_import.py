"""Bulk import of people: the API, the page and the CLI, Chinese headers, updates by case number, audit."""
import io

from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from api.adapters.import_columns import PEOPLE_COLUMNS, columns_markdown
from api.cli.main import app as cli
from api.db import make_sessionmaker
from models.tables import AuditLog, Person
from tests.api.test_imports import DOCS
from tests.api.test_cli import cli_database  # noqa: F401
from tests.api.test_pages_counsellor import csrf_of, pages_app, signed_in  # noqa: F401

CSV = ("2026年12月登记名单\n"
       "编号,姓名,出生年份,性别,文化程度,所在区,期望月薪,技能,零就业家庭\n"
       "IMP-1,王芳,1979,女,初中,朝阳区,4000元,收银、理货,是\n"
       "IMP-2,李强,1900,男,高中,朝阳区,,,否\n").encode("gbk")


def _post(client, tenant, data: bytes, **params):
    return client.post("/v1/persons/import", content=data, params=params,
                       headers=tenant.headers(**{"Content-Type": "text/csv"}))


def test_people_are_imported_from_a_gbk_csv_with_chinese_headers_and_each_row_error_named(client, tenant, app):
    report = _post(client, tenant, CSV).json()
    assert (report["received"], report["created"], report["rejected_rows"]) == (2, 1, 1)
    [error] = report["rejected"]
    assert (error["row"], error["column"]) == (4, "出生年份")
    assert error["message_zh"] == "“出生年份”不能小于 1930（现在是 1900）。"
    person = client.get("/v1/persons", params={"external_id": "IMP-1"}, headers=tenant.headers()).json()["items"][0]
    assert (person["name"], person["gender"], person["education"], person["expected_monthly_pay"]) == \
        ("王芳", "female", "junior_secondary", 4000)
    assert person["skills"] == ["收银", "理货"] and person["priority"]["zero_employment_family"] is True


def test_a_known_case_number_is_updated_only_in_the_columns_the_file_has(client, tenant):
    _post(client, tenant, CSV)
    again = _post(client, tenant, "编号,所在区\nIMP-1,通州区\n".encode()).json()
    assert (again["created"], again["updated"]) == (0, 1)
    person = client.get("/v1/persons", params={"external_id": "IMP-1"}, headers=tenant.headers()).json()["items"][0]
    assert (person["district"], person["name"]) == ("通州区", "王芳")


def test_an_atomic_people_import_with_a_bad_row_stores_nothing(client, tenant):
    assert _post(client, tenant, CSV, atomic="true").status_code == 422
    assert client.get("/v1/persons", headers=tenant.headers()).json()["total"] == 0


def test_every_imported_person_is_audit_logged(client, tenant, app):
    _post(client, tenant, CSV)
    with make_sessionmaker(app.state.engine)() as db:
        assert db.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.organisation_id == tenant.organisation_id, AuditLog.action == "import_create")) == 1


def test_the_people_import_page_takes_an_xlsx_and_lists_rejected_rows_in_chinese(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    book = Workbook()
    book.active.append(["编号", "姓名", "性别"])
    book.active.append(["PAGE-IMP-1", "赵敏", "女"])
    book.active.append(["PAGE IMP 2", "钱多", "男"])
    buffer = io.BytesIO()
    book.save(buffer)
    token = csrf_of(client.get("/c/people/import").text)
    response = client.post("/c/people/import", data={"csrf": token},
                           files={"file": ("名单.xlsx", buffer.getvalue(), "application/octet-stream")})
    assert response.status_code == 422
    assert "新登记 1 人" in response.text
    assert "第 3 行，“编号”列：“编号”只能用字母、数字和 . _ : -（现在是“PAGE IMP 2”）。" in response.text
    with make_sessionmaker(pages_app.state.engine)() as db:
        assert db.scalar(select(Person.name).where(Person.external_id == "PAGE-IMP-1")) == "赵敏"


def test_the_cli_people_import_exits_1_when_a_row_was_rejected(cli_database, tmp_path):
    from tests.api.test_cli import _run

    _run("db", "upgrade")
    org = _run("orgs", "create", "--name", "x")
    path = tmp_path / "people.csv"
    path.write_bytes(CSV)
    result = CliRunner().invoke(cli, ["people", "import", str(path), "--org", org])
    assert result.exit_code == 1 and "2 received, 1 created, 0 updated, 1 rejected" in result.output
    assert "出生年份" in result.output


def test_the_people_columns_are_documented():
    assert columns_markdown(PEOPLE_COLUMNS) in DOCS.read_text(encoding="utf-8")
