"""GET /v1/results/{id}/report and ``pathfit report``: formats, languages, audiences, tenancy, audit."""
import secrets
import shutil
import subprocess

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from api.db import make_engine, make_sessionmaker
from api.security import new_id
from api.settings import get_settings
from assessment.report.sample import simulate_result
from instruments.registry import load_all, load_bands, load_batteries, load_composites, load_norm_groups
from models.enums import Role
from models.tables import AssessmentResult, AssessmentSession, AuditLog, Person

SAMPLE = simulate_result(load_batteries()["full"], load_all(), load_composites(), load_norm_groups(), load_bands())


def store_result(sessionmaker, organisation_id: str, document=SAMPLE, *, name: str | None = "张三",
                 created_by: str | None = None) -> str:
    """A person, a completed session and its scored result, inserted directly."""
    with sessionmaker() as db, db.begin():
        person = Person(id=new_id("p"), organisation_id=organisation_id, external_id=f"R-{secrets.token_hex(3)}",
                        name=name, education="junior_secondary", district="朝阳区", birth_year=1988)
        db.add(person)
        db.flush()
        session = AssessmentSession(id=new_id("s"), organisation_id=organisation_id, person_id=person.id,
                                    battery_id=document.battery_id, lang="zh-CN", mode="online", status="completed",
                                    token_hash=secrets.token_hex(32), created_by=created_by, plan=[])
        db.add(session)
        db.flush()
        payload = document.model_copy(update={"person_id": person.id, "session_id": session.id})
        result = AssessmentResult(id=new_id("r"), organisation_id=organisation_id, person_id=person.id,
                                  session_id=session.id, engine_version=document.engine_version,
                                  document=payload.model_dump(mode="json"), created_by=created_by)
        db.add(result)
        return result.id


def _url(result_id: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/v1/results/{result_id}/report" + (f"?{query}" if query else "")


def test_json_report_defaults_to_the_chinese_client_version(client, tenant, app):
    result_id = store_result(app.state.sessionmaker, tenant.organisation_id, created_by=tenant.key_ids[Role.counsellor])
    response = client.get(_url(result_id), headers=tenant.headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["lang"] == "zh-CN" and body["audience"] == "client" and body["header"]["result_id"] == result_id
    assert body["header"]["person_name"] == "张三" and body["header"]["centre"] == "测试就业服务中心"
    assert body["header"]["counsellor"] == "test counsellor"
    assert body["counsellor_notes"] is None


def test_job_direction_is_filled_by_the_matcher(client, tenant, app):
    result_id = store_result(app.state.sessionmaker, tenant.organisation_id)
    direction = client.get(_url(result_id, audience="counsellor"), headers=tenant.headers()).json()["job_direction"]
    assert direction["available"] and len(direction["occupations"]) == 5
    assert all(o["code"] and o["reasons"] and 0 <= o["fit"] <= 100 for o in direction["occupations"])


def test_html_and_pdf_formats(client, tenant, app):
    result_id = store_result(app.state.sessionmaker, tenant.organisation_id)
    html = client.get(_url(result_id, format="html", lang="en", audience="counsellor"), headers=tenant.headers())
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Counsellor version" in html.text and "<svg" in html.text
    pdf = client.get(_url(result_id, format="pdf"), headers=tenant.headers())
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and f"report-{result_id}-zh-CN-client.pdf" in pdf.headers["content-disposition"]


def test_another_organisations_result_is_not_found(client, tenant, make_tenant, app):
    other = make_tenant("另一个中心")
    result_id = store_result(app.state.sessionmaker, other.organisation_id)
    response = client.get(_url(result_id), headers=tenant.headers())
    assert response.status_code == 404
    assert client.get(_url("r_missing"), headers=tenant.headers()).status_code == 404


def test_every_view_is_audit_logged_with_format_and_audience(client, tenant, app):
    result_id = store_result(app.state.sessionmaker, tenant.organisation_id)
    client.get(_url(result_id, format="html", audience="counsellor"), headers=tenant.headers())
    client.get(_url(result_id, format="json"), headers=tenant.headers(Role.analyst))
    with app.state.sessionmaker() as db:
        rows = db.scalars(select(AuditLog).where(AuditLog.resource == "report", AuditLog.resource_id == result_id)
                          .order_by(AuditLog.id)).all()
    assert [(r.action, r.key_id) for r in rows] == [("read:html:counsellor", tenant.key_ids[Role.counsellor]),
                                                    ("read:json:client", tenant.key_ids[Role.analyst])]


def test_unknown_format_language_or_audience_is_rejected(client, tenant, app):
    result_id = store_result(app.state.sessionmaker, tenant.organisation_id)
    for params in ({"format": "docx"}, {"lang": "fr"}, {"audience": "employer"}):
        response = client.get(_url(result_id, **params), headers=tenant.headers())
        assert response.status_code == 422, params


def test_report_needs_a_key(client, tenant, app):
    result_id = store_result(app.state.sessionmaker, tenant.organisation_id)
    assert client.get(_url(result_id)).status_code == 401


def test_report_schema_is_in_the_openapi_document(client):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/results/{result_id}/report"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Report")
    assert {"application/pdf", "text/html"} <= set(operation["responses"]["200"]["content"])
    assert "JobDirectionSection" in spec["components"]["schemas"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_cli_writes_the_pdf_report(fresh_database_url, monkeypatch, tmp_path):
    from api.cli.report import report as report_command
    from api.db import upgrade
    from api.tenancy import create_organisation
    import typer

    url = fresh_database_url("sqlite")
    monkeypatch.setenv("PATHFIT_DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    upgrade(engine)
    sessionmaker = make_sessionmaker(engine)
    with sessionmaker() as db, db.begin():
        organisation_id = create_organisation(db, "命令行中心", "测试区").id
    result_id = store_result(sessionmaker, organisation_id)
    cli = typer.Typer()
    cli.command()(report_command)
    out = tmp_path / "report.pdf"
    try:
        outcome = CliRunner().invoke(cli, [result_id, "--format", "pdf", "--lang", "zh-CN", "--out", str(out)])
        assert outcome.exit_code == 0, outcome.output
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "能力倾向" in text.replace(" ", "")
        with sessionmaker() as db:
            assert db.scalar(select(AuditLog.action).where(AuditLog.resource_id == result_id)) == "read:pdf:client"
        bad = CliRunner().invoke(cli, ["r_nope"])
        assert bad.exit_code == 2 and "no result" in bad.output
    finally:
        engine.dispose()
        get_settings.cache_clear()
