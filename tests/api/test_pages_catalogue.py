"""Vacancy and programme pages: list, add, edit, import, with the import template's columns and rules."""
import re

from sqlalchemy import select

from api.db import make_sessionmaker
from models.tables import AuditLog, TrainingProgramme, Vacancy
from tests.api.test_pages_counsellor import csrf_of, make_tenant, pages_app, signed_in  # noqa: F401

VACANCY = {"title": "小区保安", "employer": "朝阳区某物业公司", "district": "朝阳区", "openings": "3人",
           "pay_min": "3500元", "pay_max": "4500", "shifts": "白班、夜班", "closes_on": "2026年12月31日",
           "occupation_code": "4-07-05-01"}


def _add(client, kind: str, fields: dict, follow: bool = False):
    token = csrf_of(client.get(f"/c/{kind}/new").text)
    return client.post(f"/c/{kind}/new", data={"csrf": token, **fields}, follow_redirects=follow)


def test_a_vacancy_added_on_the_page_is_stored_and_listed(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    assert _add(client, "vacancies", VACANCY).status_code == 303
    listed = client.get("/c/vacancies").text
    assert "小区保安" in listed and "3500–4500" in listed
    with make_sessionmaker(pages_app.state.engine)() as db:
        row = db.scalar(select(Vacancy).where(Vacancy.organisation_id == tenant.organisation_id))
        assert (row.openings, row.pay_min, row.pay_max, row.shifts) == (3, 3500, 4500, ["day", "night"])
        assert str(row.closes_on) == "2026-12-31"
        assert db.scalar(select(AuditLog.action).where(AuditLog.resource_id == row.id)) == "create"


def test_a_vacancy_is_edited_on_the_page(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    _add(client, "vacancies", VACANCY)
    link = re.search(r'href="(/c/vacancies/v_[0-9a-f]+/edit)"', client.get("/c/vacancies").text).group(1)
    form = client.get(link).text
    assert 'value="白班、夜班"' in form and 'value="3"' in form  # as the form reads them
    data = {"csrf": csrf_of(form), **VACANCY, "openings": "5"}
    assert client.post(link, data=data, follow_redirects=False).status_code == 303
    with make_sessionmaker(pages_app.state.engine)() as db:
        assert db.scalar(select(Vacancy.openings).where(Vacancy.organisation_id == tenant.organisation_id)) == 5


def test_the_vacancy_form_explains_errors_in_chinese_by_column(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    response = _add(client, "vacancies", {**VACANCY, "openings": "三人", "occupation_code": "9-99-99-99"})
    assert response.status_code == 422
    assert "“招聘人数”应填整数（如 3 或 3500），现在是“三人”。" in response.text
    response = _add(client, "vacancies", {**VACANCY, "occupation_code": "9-99-99-99"})
    assert "9-99-99-99 不是 2022 版职业分类大典里的代码" in response.text and "可能是" in response.text


def test_a_programme_file_is_imported_on_the_page_and_rejected_rows_are_listed(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    data = ("项目名称,培训机构,目标职业代码,培训周数,所在区,名额\n"
            "养老护理员培训,某职业学校,4-10-01-05,6周,朝阳区,30人\n"
            "电工培训,某职业学校,9-99-99-99,8周,朝阳区,20人\n").encode("gbk")
    token = csrf_of(client.get("/c/programmes").text)
    response = client.post("/c/programmes/import", data={"csrf": token},
                           files={"file": ("培训.csv", data, "text/csv")})
    assert response.status_code == 422
    assert "第 3 行，“目标职业代码”列：9-99-99-99 不是 2022 版职业分类大典里的代码" in response.text
    assert "养老护理员培训" in response.text
    with make_sessionmaker(pages_app.state.engine)() as db:
        assert db.scalars(select(TrainingProgramme.title).where(
            TrainingProgramme.organisation_id == tenant.organisation_id)).all() == ["养老护理员培训"]
