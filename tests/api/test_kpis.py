"""GET /v1/kpis, its Excel export and the counsellor page /c/kpis: roles, the period's checks, the audit
rows, the export's cells and the fairness view's suppression. The figures' arithmetic is tested on
small frames in tests/matching/pathway/test_centre_figures.py; the walk from registration to stable work
in tests/api/test_pathway_e2e.py."""
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from api.db import make_sessionmaker
from models.enums import Role
from models.tables import AuditLog
from tests.api.test_pages_counsellor import make_tenant as page_tenant  # noqa: F401
from tests.api.test_pages_counsellor import pages_app, signed_in  # noqa: F401


def _audit(app, tenant, action: str) -> list[AuditLog]:
    with make_sessionmaker(app.state.engine)() as db:
        return list(db.scalars(select(AuditLog).where(AuditLog.organisation_id == tenant.organisation_id,
                                                      AuditLog.resource == "kpis", AuditLog.action == action)))


def _people(client, tenant, genders: list[str]) -> None:
    for i, gender in enumerate(genders):
        response = client.post("/v1/persons", json={"external_id": f"KPI-{i}", "gender": gender,
                                                    "district": "朝阳区" if i % 2 else "海淀区",
                                                    "birth_year": 1990}, headers=tenant.headers())
        assert response.status_code == 201, response.text


@pytest.mark.parametrize("role", [Role.admin, Role.counsellor, Role.analyst])
def test_admins_counsellors_and_analysts_read_the_figures(client, tenant, role):
    response = client.get("/v1/kpis", headers=tenant.headers(role))
    assert response.status_code == 200, response.text
    assert response.json()["standards"] == {"placement_rate_after_training": 0.7, "reemployment_rate": 0.85}


def test_a_case_system_key_may_not_read_the_figures(client, tenant):
    assert client.get("/v1/kpis", headers=tenant.headers(Role.case_system)).status_code == 403


def test_the_default_period_is_the_year_ending_today(client, tenant):
    body = client.get("/v1/kpis", headers=tenant.headers()).json()
    start, end = date.fromisoformat(body["from"]), date.fromisoformat(body["to"])
    assert end == date.fromisoformat(body["as_of"]) and end - start == timedelta(days=364)


def test_a_period_that_ends_before_it_starts_is_refused_naming_from(client, tenant):
    response = client.get("/v1/kpis", params={"from": "2026-06-01", "to": "2026-05-31"}, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.from"


@pytest.mark.parametrize(("params", "field"), [({"to": "9999-12-31"}, "query.to"),
                                              ({"from": "0001-01-01", "to": "2026-01-01"}, "query.from"),
                                              ({"from": "2001-01-01", "to": "2026-01-01"}, "query.from")])
def test_a_period_far_in_the_future_or_past_or_too_long_is_refused_naming_the_parameter(client, tenant, params,
                                                                                          field):
    response = client.get("/v1/kpis", params=params, headers=tenant.headers())
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


def test_a_date_that_is_not_a_date_is_refused(client, tenant):
    assert client.get("/v1/kpis", params={"to": "31/05/2026"}, headers=tenant.headers()).status_code == 422


def test_new_registrations_are_served_and_split_by_district(client, tenant):
    _people(client, tenant, ["female"] * 3)
    body = client.get("/v1/kpis", headers=tenant.headers()).json()
    assert body["overall"]["served"] == 3 and body["overall"]["placed"] == 0
    assert {d["district"]: d["figures"]["served"] for d in body["by_district"]} == {"海淀区": 2, "朝阳区": 1}
    assert [c["key_id"] for c in body["by_counsellor"]] == [None]  # nobody has a pathway step yet


def test_the_district_filter_keeps_only_that_district(client, tenant):
    _people(client, tenant, ["female"] * 3)
    body = client.get("/v1/kpis", params={"district": "朝阳区"}, headers=tenant.headers()).json()
    assert body["district"] == "朝阳区" and body["overall"]["served"] == 1


def test_the_fairness_view_suppresses_small_groups(client, tenant):
    _people(client, tenant, ["female"] * 6 + ["male"] * 7 + ["other"])
    gender = {c["group"]: c for c in client.get("/v1/kpis", headers=tenant.headers()).json()["fairness"]["gender"]}
    assert gender["other"]["served"] is None and gender["female"]["served"] is None  # 1, then the next smallest
    assert gender["male"]["served"] == 7


def test_other_organisations_people_are_not_counted(client, make_tenant):
    mine, theirs = make_tenant(), make_tenant()
    _people(client, theirs, ["male"] * 2)
    assert client.get("/v1/kpis", headers=mine.headers()).json()["overall"]["served"] == 0


def test_reading_the_figures_is_audit_logged_with_the_period(client, app, tenant):
    client.get("/v1/kpis", params={"from": "2026-01-01", "to": "2026-06-30", "district": "朝阳区"},
               headers=tenant.headers(Role.analyst))
    [row] = _audit(app, tenant, "read")
    assert row.detail == {"from": "2026-01-01", "to": "2026-06-30", "district": "朝阳区"}
    assert row.key_id == tenant.key_ids[Role.analyst]


def test_the_excel_export_has_a_row_per_group_in_the_readers_language(client, app, tenant):
    _people(client, tenant, ["female"] * 2)
    response = client.get("/v1/kpis.xlsx", params={"lang": "en"}, headers=tenant.headers())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Split", "Group", "Served", "Placed")
    assert rows[1][:3] == ("All", None, 2)
    assert ("By gender (fairness)", "Female", "fewer than 5", "fewer than 5", "fewer than 5") in [r[:5] for r in rows]
    assert len(_audit(app, tenant, "export")) == 1


def test_a_district_name_that_looks_like_a_formula_is_written_as_text(client, tenant):
    client.post("/v1/persons", json={"external_id": "KPI-F", "district": "=1+1"}, headers=tenant.headers())
    rows = list(load_workbook(io.BytesIO(client.get("/v1/kpis.xlsx", headers=tenant.headers()).content))
                .active.iter_rows(values_only=True))
    assert ("按区", "'=1+1") in [r[:2] for r in rows]


def test_a_control_character_in_a_district_does_not_break_the_export(client, tenant):
    client.post("/v1/persons", json={"external_id": "KPI-C", "district": "朝阳\x06区"}, headers=tenant.headers())
    rows = list(load_workbook(io.BytesIO(client.get("/v1/kpis.xlsx", headers=tenant.headers()).content))
                .active.iter_rows(values_only=True))
    assert ("按区", "朝阳区") in [r[:2] for r in rows]


def test_the_page_shows_the_figures_and_the_fairness_view(pages_app, page_tenant):  # noqa: F811
    tenant = page_tenant()
    html = signed_in(pages_app, tenant).get("/c/kpis").text
    assert "中心指标" in html and "公平性查看：按性别和年龄段" in html and 'id="kpi-overall"' in html
    assert len(_audit(pages_app, tenant, "read")) == 1


def test_the_page_says_what_is_wrong_with_a_reversed_period(pages_app, page_tenant):  # noqa: F811
    tenant = page_tenant()
    response = signed_in(pages_app, tenant).get("/c/kpis", params={"from": "2026-06-01", "to": "2026-01-01"})
    assert response.status_code == 422 and "开始日期不能晚于截止日期" in response.text
    assert _audit(pages_app, tenant, "read") == []


def test_the_page_download_is_an_excel_file(pages_app, page_tenant):  # noqa: F811
    response = signed_in(pages_app, page_tenant()).get("/c/kpis.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
