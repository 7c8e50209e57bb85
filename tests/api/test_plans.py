"""The 一人一策 plan through the API (both back ends): the generated draft, edits as new versions,
signing, the zh-CN PDF, tenancy, roles, bad input, audit and erasure."""
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from api.services.enrolments import local_today
from api.settings import get_settings
from models.enums import Role
from models.tables import AuditLog
from models.tables_pathway import Plan

TODAY = local_today(get_settings().timezone)


def _person(client, tenant, **fields) -> str:
    response = client.post("/v1/persons", json={"external_id": uuid.uuid4().hex[:12], **fields},
                           headers=tenant.headers())
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _draft(client, tenant, person_id, role=Role.counsellor):
    return client.post(f"/v1/persons/{person_id}/plan", headers=tenant.headers(role))


def _document(plan: dict, **changes) -> dict:
    return {**plan["document"], "based_on_version": plan["version"], **changes}


def _edit(client, tenant, person_id, body, role=Role.counsellor):
    return client.put(f"/v1/persons/{person_id}/plan", json=body, headers=tenant.headers(role))


def _sign(client, tenant, person_id, version):
    return client.post(f"/v1/persons/{person_id}/plan/sign", json={"version": version}, headers=tenant.headers())


def _plans(app, person_id) -> int:
    with app.state.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(Plan).where(Plan.person_id == person_id))


def test_the_draft_for_a_new_person_asks_for_three_applications_in_two_weeks(client, tenant):
    response = _draft(client, tenant, _person(client, tenant))
    assert response.status_code == 201, response.text
    plan = response.json()
    assert (plan["version"], plan["status"]) == (1, "draft")
    steps = plan["document"]["steps"]
    assert any(s["text"] == "两周内投递 3 个岗位" and s["owner"] == "person"
               and s["due_on"] == (TODAY + timedelta(days=14)).isoformat() for s in steps)
    assert plan["document"]["review_on"] == (TODAY + timedelta(days=30)).isoformat()


def test_supports_are_listed_to_check_and_never_decided(client, tenant):
    person_id = _person(client, tenant, priority={"hard_to_employ": "long_term_unemployed",
                                                  "zero_employment_family": True})
    supports = _draft(client, tenant, person_id).json()["document"]["supports"]
    assert {s["name"] for s in supports} >= {"就业困难人员社会保险补贴", "零就业家庭就业援助"}
    assert {s["status"] for s in supports} == {"to_check"}


def test_a_support_cannot_be_marked_granted(client, tenant):
    person_id = _person(client, tenant)
    plan = _draft(client, tenant, person_id).json()
    response = _edit(client, tenant, person_id, _document(plan, supports=[{"name": "职业培训补贴", "status": "granted"}]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "supports.0.status"


def test_an_edit_is_a_new_version_and_the_old_one_stays(client, tenant):
    person_id = _person(client, tenant)
    first = _draft(client, tenant, person_id).json()
    steps = [{"text": "参加叉车司机培训", "owner": "person", "due_on": (TODAY + timedelta(days=20)).isoformat()}]
    response = _edit(client, tenant, person_id, _document(first, steps=steps))
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    versions = client.get(f"/v1/persons/{person_id}/plan/versions", headers=tenant.headers()).json()
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["document"] == first["document"]
    assert versions[1]["document"]["steps"][0]["text"] == "参加叉车司机培训"


def test_an_edit_of_an_older_version_is_a_conflict(client, app, tenant):
    person_id = _person(client, tenant)
    first = _draft(client, tenant, person_id).json()
    _edit(client, tenant, person_id, _document(first))
    response = _edit(client, tenant, person_id, _document(first, note="改一下"))
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "based_on_version"
    assert _plans(app, person_id) == 2


def test_signing_closes_the_version_and_the_next_edit_is_a_new_draft(client, tenant):
    person_id = _person(client, tenant)
    plan = _draft(client, tenant, person_id).json()
    signed = _sign(client, tenant, person_id, 1)
    assert signed.status_code == 200, signed.text
    assert (signed.json()["status"], signed.json()["signed_by"]) == ("signed", tenant.key_ids[Role.counsellor])
    edited = _edit(client, tenant, person_id, _document(plan, note="复核后补充")).json()
    assert (edited["version"], edited["status"]) == (2, "draft")
    first = client.get(f"/v1/persons/{person_id}/plan?version=1", headers=tenant.headers()).json()
    assert (first["status"], first["document"]["note"]) == ("signed", None)


def test_a_signed_version_cannot_be_signed_again(client, tenant):
    person_id = _person(client, tenant)
    _draft(client, tenant, person_id)
    _sign(client, tenant, person_id, 1)
    response = _sign(client, tenant, person_id, 1)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"


def test_only_the_latest_version_can_be_signed(client, tenant):
    person_id = _person(client, tenant)
    _draft(client, tenant, person_id)
    _draft(client, tenant, person_id)
    assert _sign(client, tenant, person_id, 1).status_code == 409


def test_a_review_date_in_the_past_is_refused_and_nothing_is_written(client, app, tenant):
    person_id = _person(client, tenant)
    plan = _draft(client, tenant, person_id).json()
    response = _edit(client, tenant, person_id, _document(plan, review_on=(TODAY - timedelta(days=1)).isoformat()))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "review_on"
    assert _plans(app, person_id) == 1


def test_a_plan_without_steps_is_refused(client, tenant):
    person_id = _person(client, tenant)
    plan = _draft(client, tenant, person_id).json()
    response = _edit(client, tenant, person_id, _document(plan, steps=[]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "steps"


def test_a_person_without_a_plan_gets_a_404_saying_how_to_draft_one(client, tenant):
    person_id = _person(client, tenant)
    response = client.get(f"/v1/persons/{person_id}/plan", headers=tenant.headers())
    assert response.status_code == 404
    assert f"POST /v1/persons/{person_id}/plan" in response.json()["detail"]


def test_the_pdf_is_a_chinese_document_with_the_version(client, tenant):
    person_id = _person(client, tenant, name="李四")
    _draft(client, tenant, person_id)
    response = client.get(f"/v1/persons/{person_id}/plan.pdf", headers=tenant.headers())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"plan-{person_id}-v1.pdf" in response.headers["content-disposition"]


def test_reading_drafting_and_signing_are_audit_logged(client, app, tenant):
    person_id = _person(client, tenant)
    plan_id = _draft(client, tenant, person_id).json()["id"]
    client.get(f"/v1/persons/{person_id}/plan", headers=tenant.headers())
    _sign(client, tenant, person_id, 1)
    client.get(f"/v1/persons/{person_id}/plan.pdf", headers=tenant.headers())
    with app.state.sessionmaker() as session:
        actions = session.scalars(select(AuditLog.action).where(AuditLog.resource == "plan",
                                                                AuditLog.resource_id == plan_id)
                                  .order_by(AuditLog.id)).all()
    assert actions == ["draft", "read", "sign", "read_pdf"]


def test_another_organisation_cannot_see_or_edit_the_plan(client, tenant, make_tenant):
    person_id = _person(client, tenant)
    plan = _draft(client, tenant, person_id).json()
    other = make_tenant("另一个中心")
    assert client.get(f"/v1/persons/{person_id}/plan", headers=other.headers()).status_code == 404
    assert _edit(client, other, person_id, _document(plan)).status_code == 404
    assert client.get(f"/v1/persons/{person_id}/plan.pdf", headers=other.headers()).status_code == 404


def test_an_analyst_reads_the_plan_but_may_not_draft_or_edit(client, tenant):
    person_id = _person(client, tenant)
    plan = _draft(client, tenant, person_id).json()
    assert client.get(f"/v1/persons/{person_id}/plan", headers=tenant.headers(Role.analyst)).status_code == 200
    assert _draft(client, tenant, person_id, Role.analyst).status_code == 403
    assert _edit(client, tenant, person_id, _document(plan), Role.analyst).status_code == 403


def test_erasing_the_person_removes_every_version(client, app, tenant):
    person_id = _person(client, tenant)
    _draft(client, tenant, person_id)
    _draft(client, tenant, person_id)
    assert client.delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    assert _plans(app, person_id) == 0
    assert client.get(f"/v1/persons/{person_id}/plan", headers=tenant.headers()).status_code == 410


def test_the_goal_is_the_top_job_direction_of_the_latest_result(client, app, tenant):
    from models.tables import AssessmentResult
    from tests.api.test_reports import store_result

    result_id = store_result(app.state.sessionmaker, tenant.organisation_id)
    report = client.get(f"/v1/results/{result_id}/report?audience=counsellor", headers=tenant.headers()).json()
    with app.state.sessionmaker() as session:
        person_id = session.get(AssessmentResult, result_id).person_id
    goal = _draft(client, tenant, person_id).json()["document"]["goal"]
    top = report["job_direction"]["occupations"][0]
    assert (goal["code"], goal["title"]) == (top["code"], top["title"])
