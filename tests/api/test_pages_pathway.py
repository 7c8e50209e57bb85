"""The counsellor's pathway pages without a browser: the case file with its proposal, accepting and
overriding it, the plan page with draft, edit, sign and PDF, CSRF, tenancy and audit."""
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from models.tables import AuditLog
from models.tables_pathway import PathwayStep, Plan
from tests.api.pathway_helpers import day, followup, hire, person, vacancy
from tests.api.test_pages_counsellor import csrf_of, make_tenant, pages_app, register, signed_in  # noqa: F401


def _count(app, model, person_id) -> int:
    with app.state.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.person_id == person_id))


def test_the_person_page_links_to_the_case_file(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "PW-1")
    assert f'href="/c/people/{person_id}/pathway"' in client.get(f"/c/people/{person_id}").text


def test_the_case_file_shows_the_proposal_with_its_rule_and_facts(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "PW-2")
    page = client.get(f"/c/people/{person_id}/pathway")
    assert page.status_code == 200
    assert "基本服务（岗位推荐）" in page.text and "<code>start</code>" in page.text
    assert "目前所在模块" in page.text and "培训、见习与创业" in page.text


def test_accepting_on_the_page_records_the_step_and_shows_it(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "PW-3")
    page = client.get(f"/c/people/{person_id}/pathway").text
    response = client.post(f"/c/people/{person_id}/pathway/decisions", follow_redirects=False, data={
        "csrf": csrf_of(page), "action": "accept", "rule_id": "start"})
    assert response.status_code == 303
    assert _count(pages_app, PathwayStep, person_id) == 1
    assert "首次进入" in client.get(f"/c/people/{person_id}/pathway").text


def test_an_override_without_a_note_for_the_counsellors_judgement_is_refused_in_plain_words(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "PW-4")
    page = client.get(f"/c/people/{person_id}/pathway").text
    response = client.post(f"/c/people/{person_id}/pathway/decisions", data={
        "csrf": csrf_of(page), "action": "override", "module": "3", "reason_code": "counsellor_judgement"})
    assert response.status_code == 422
    assert "选“指导师专业判断”时，请在说明里写明理由。" in response.text
    assert _count(pages_app, PathwayStep, person_id) == 0


def test_a_decision_without_the_csrf_token_writes_nothing(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "PW-5")
    response = client.post(f"/c/people/{person_id}/pathway/decisions", data={"action": "accept"})
    assert response.status_code == 403
    assert _count(pages_app, PathwayStep, person_id) == 0


def test_the_plan_page_drafts_edits_signs_and_serves_the_pdf(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "PW-6")
    page = client.get(f"/c/people/{person_id}/plan").text
    assert "还没有计划" in page
    assert client.post(f"/c/people/{person_id}/plan/draft", data={"csrf": csrf_of(page)},
                       follow_redirects=False).status_code == 303
    page = client.get(f"/c/people/{person_id}/plan").text
    assert "两周内投递 3 个岗位" in page and "草稿，尚未签署" in page
    form = {"csrf": csrf_of(page), "based_on_version": "1", "goal_title": "仓储物流", "step_text_0": "参加叉车司机培训",
            "step_owner_0": "person", "step_due_0": "2099-01-01", "review_on": "2099-01-01"}
    edited = client.post(f"/c/people/{person_id}/plan/edit", data=form)
    assert edited.status_code == 422  # two years ahead at most
    form["step_due_0"] = form["review_on"] = page.split('min="')[1].split('"')[0]  # today
    assert client.post(f"/c/people/{person_id}/plan/edit", data=form, follow_redirects=False).status_code == 303
    assert client.post(f"/c/people/{person_id}/plan/sign", data={"csrf": form["csrf"], "version": "2"},
                       follow_redirects=False).status_code == 303
    page = client.get(f"/c/people/{person_id}/plan").text
    assert "参加叉车司机培训" in page and "已签署" in page and "第 1 版" in page
    pdf = client.get(f"/c/people/{person_id}/plan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _count(pages_app, Plan, person_id) == 2
    with pages_app.state.sessionmaker() as session:
        actions = set(session.scalars(select(AuditLog.action).where(AuditLog.resource == "plan")).all())
    assert {"draft", "edit", "sign", "read_pdf"} <= actions


def test_another_organisations_case_file_is_not_found(pages_app, make_tenant):
    owner = signed_in(pages_app, make_tenant())
    person_id = register(owner, "PW-7")
    other = signed_in(pages_app, make_tenant("别的中心"))
    assert other.get(f"/c/people/{person_id}/pathway").status_code == 404
    assert other.get(f"/c/people/{person_id}/plan").status_code == 404


def test_the_case_file_shows_the_persons_referrals_jobs_and_follow_ups(pages_app, make_tenant):
    tenant = make_tenant()
    api = TestClient(pages_app)
    person_id, placement_id = hire(api, tenant, start=-100)
    followup(api, tenant, person_id, placement_id, day(-2))
    text = signed_in(pages_app, tenant).get(f"/c/people/{person_id}/pathway").text
    assert "推荐、求职结果与回访" in text and "在岗 3 个月" in text and "仍在岗" in text
    with pages_app.state.sessionmaker() as session:
        listed = session.scalars(select(AuditLog.resource).where(AuditLog.action == "list",
                                                                 AuditLog.organisation_id == tenant.organisation_id))
        assert {"referral", "outcome", "followup"} <= set(listed)


def test_an_internship_converted_to_hire_points_to_recording_the_job(pages_app, make_tenant):
    tenant = make_tenant()
    api = TestClient(pages_app)
    person_id = person(api, tenant)
    place = vacancy(api, tenant, title="仓库管理见习", internship=True)
    enrolment = api.post("/v1/enrolments", json={"person_id": person_id, "kind": "internship", "vacancy_id": place,
                                                 "started_on": day(-60)}, headers=tenant.headers())
    assert enrolment.status_code == 201, enrolment.text
    client = signed_in(pages_app, tenant)
    assert "#outcome-form" not in client.get(f"/c/people/{person_id}/training").text
    converted = api.post(f"/v1/enrolments/{enrolment.json()['id']}/events",
                         json={"kind": "converted_to_hire", "occurred_on": day(-2)}, headers=tenant.headers())
    assert converted.status_code == 201, converted.text
    page = client.get(f"/c/people/{person_id}/pathway").text
    assert f'href="/c/people/{person_id}/pathway#outcome-form"' in page
