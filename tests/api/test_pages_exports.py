"""Excel exports from the counsellor's pages: people, results summary, matches; each audit-logged."""
import io
import uuid

from openpyxl import load_workbook
from sqlalchemy import select

from api.db import make_sessionmaker
from models.tables import AssessmentResult, AssessmentSession, AuditLog
from tests.api.test_pages_counsellor import csrf_of, make_tenant, pages_app, register, signed_in  # noqa: F401


def _sheet(response):
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    return [tuple(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


def _exports(app, tenant, resource: str) -> list[AuditLog]:
    with make_sessionmaker(app.state.engine)() as db:
        return list(db.scalars(select(AuditLog).where(AuditLog.organisation_id == tenant.organisation_id,
                                                      AuditLog.resource == resource,
                                                      AuditLog.action.startswith("export"))))


def test_the_people_export_has_everyone_searched_and_is_audit_logged(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    first = register(client, "XP-1", name="王芳", district="朝阳区", skills="收银、理货")
    register(client, "XP-2", name="=HYPERLINK(\"http://x\")", district="通州区")
    rows = _sheet(client.get("/c/exports/people.xlsx", params={"q": "朝阳"}))
    assert rows[0][:3] == ("编号", "姓名", "出生年份")
    assert [r[0] for r in rows[1:]] == ["XP-1"] and rows[1][7] == "收银、理货"
    [logged] = _exports(pages_app, tenant, "person")
    assert logged.detail == {"count": 1, "ids": [first]}


def test_exported_text_never_starts_a_formula(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    register(client, "XP-3", name="=1+2")
    rows = _sheet(client.get("/c/exports/people.xlsx"))
    assert rows[1][1] == "'=1+2"


def test_a_control_character_in_a_name_is_dropped_instead_of_breaking_the_export(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    register(client, "XP-4", name="王\x07芳")
    rows = _sheet(client.get("/c/exports/people.xlsx"))
    assert rows[1][1] == "王芳"


def test_the_results_export_has_a_row_per_scored_scale_and_is_audit_logged(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    person_id = register(client, "XR-1", name="李强")
    document = {"battery_id": "short", "instruments": [{"interpretable": True, "scales": [
        {"scale_id": "V", "name": {"zh-CN": "言语能力", "en": "Verbal"}, "scored": True,
         "normed": {"t": 47.26, "percentile": 39.4}},
        {"scale_id": "N", "name": {"zh-CN": "数量能力", "en": "Numerical"}, "scored": False}]}]}
    with make_sessionmaker(pages_app.state.engine)() as db, db.begin():
        session = AssessmentSession(id=f"as_{uuid.uuid4().hex[:16]}", organisation_id=tenant.organisation_id,
                                    person_id=person_id, battery_id="short", lang="zh-CN", mode="online",
                                    status="completed", token_hash=uuid.uuid4().hex, plan=[], part_started={})
        db.add(session)
        db.flush()
        db.add(AssessmentResult(id=f"r_{uuid.uuid4().hex[:16]}", organisation_id=tenant.organisation_id,
                                person_id=person_id, session_id=session.id, engine_version="t", document=document))
    rows = _sheet(client.get("/c/exports/results.xlsx"))
    assert [(r[0], r[5], r[6], r[7]) for r in rows[1:]] == [("XR-1", "言语能力", 47.3, 39)]
    assert len(_exports(pages_app, tenant, "result")) == 1


def test_the_matches_export_lists_ranked_vacancies_and_is_audit_logged(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    with make_sessionmaker(pages_app.state.engine)() as db, db.begin():
        from api.services.catalogue import VACANCIES, import_records
        import_records(db, VACANCIES, tenant.organisation_id, [(2, {"employer": "某超市", "title": "收银员",
                                                                    "occupation_code": "4-01-02-04",
                                                                    "district": "朝阳区"})], atomic=True)
    person_id = register(client, "XM-1", district="朝阳区", wh_code_0="4-01-02-04", wh_months_0="24")
    rows = _sheet(client.get(f"/c/people/{person_id}/matches.xlsx"))
    assert rows[0][:3] == ("类别", "名次", "名称")
    assert rows[1][:5] == ("岗位", 1, "收银员", "某超市", "朝阳区")
    with make_sessionmaker(pages_app.state.engine)() as db:
        assert db.scalar(select(AuditLog.resource_id).where(AuditLog.action == "export_matches",
                                                            AuditLog.organisation_id == tenant.organisation_id)) == person_id
