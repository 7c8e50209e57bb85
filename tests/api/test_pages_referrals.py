"""The counsellor's referral and follow-up pages without a browser: the "推荐" button on the match
list, the referral page with its letter, the case-file part, the due list and its form, CSRF, tenancy."""
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from models.enums import Role
from models.tables_referrals import FollowUp, OutcomeEvent, Referral
from tests.api.pathway_helpers import day, followup, hire, person, referral, vacancy
from tests.api.test_pages_counsellor import csrf_of, make_tenant, pages_app, signed_in  # noqa: F401

CASHIER = [{"occupation_code": "4-01-02-04", "title": "超市收银员", "months": 36}]


def _count(app, model, person_id) -> int:
    with app.state.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.person_id == person_id))


def _ranked_person(app, tenant) -> str:
    api = TestClient(app)
    vacancy(api, tenant, employer="某超市", title="收银员", occupation_code="4-01-02-04")
    response = api.post("/v1/persons", json={"external_id": "RF-1", "name": "李红", "work_history": CASHIER,
                                             "district": "朝阳区"}, headers=tenant.headers())
    return response.json()["id"]


def test_the_match_list_refers_from_its_ranking_and_offers_the_letter(pages_app, make_tenant):
    tenant = make_tenant()
    person_id = _ranked_person(pages_app, tenant)
    client = signed_in(pages_app, tenant)
    page = client.get(f"/c/people/{person_id}/matches").text
    form = re.search(r'action="/c/people/[^"]+/referrals".*?name="vacancy_id" value="([^"]+)".*?'
                     r'name="match_id" value="([^"]+)"', page, re.S)
    assert form is not None and ">推荐</button>" in page
    response = client.post(f"/c/people/{person_id}/referrals", follow_redirects=False, data={
        "csrf": csrf_of(page), "vacancy_id": form.group(1), "match_id": form.group(2)})
    assert response.status_code == 303
    referral_page = client.get(response.headers["location"])
    assert "已推荐" in referral_page.text and "打印推荐信" in referral_page.text
    assert "推荐、求职结果与回访" in referral_page.text and "等待结果" in referral_page.text
    with pages_app.state.sessionmaker() as session:
        row = session.scalars(select(Referral).where(Referral.person_id == person_id)).one()
    assert (row.match_id, row.rank, row.source) == (form.group(2), 1, "counsellor")
    letter = client.get(f"/c/referrals/{row.id}/letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")


def test_a_referral_without_the_csrf_token_writes_nothing(pages_app, make_tenant):
    tenant = make_tenant()
    person_id = _ranked_person(pages_app, tenant)
    client = signed_in(pages_app, tenant)
    response = client.post(f"/c/people/{person_id}/referrals", data={"vacancy_id": "v_x", "match_id": "rk_x"})
    assert response.status_code == 403
    assert _count(pages_app, Referral, person_id) == 0


def test_another_organisations_referral_page_is_not_found(pages_app, make_tenant):
    tenant = make_tenant()
    _, placement_id = hire(TestClient(pages_app), tenant)
    with pages_app.state.sessionmaker() as session:
        referral_id = session.scalars(select(Referral.id).where(Referral.organisation_id == tenant.organisation_id)
                                      ).first()
    other = signed_in(pages_app, make_tenant("另一个中心"))
    assert other.get(f"/c/referrals/{referral_id}").status_code == 404
    assert other.get(f"/c/referrals/{referral_id}/letter.pdf").status_code == 404


def test_the_due_list_shows_an_overdue_placement_and_its_form_records_the_contact(pages_app, make_tenant):
    tenant = make_tenant()
    person_id, placement_id = hire(TestClient(pages_app), tenant, start=-45)
    client = signed_in(pages_app, tenant)
    page = client.get("/c/followups/due")
    assert page.status_code == 200 and "王小明" in page.text and "已逾期" in page.text
    response = client.post("/c/followups", follow_redirects=False, data={
        "csrf": csrf_of(page.text), "person_id": person_id, "placement_id": placement_id,
        "contacted_on": day(0), "channel": "phone", "status": "still_employed"})
    assert response.status_code == 303
    after = client.get(response.headers["location"]).text
    assert "回访已登记。" in after and placement_id not in after
    assert _count(pages_app, FollowUp, person_id) == 1


def test_leaving_without_a_date_is_refused_in_plain_words_and_writes_nothing(pages_app, make_tenant):
    tenant = make_tenant()
    person_id, placement_id = hire(TestClient(pages_app), tenant, start=-45)
    client = signed_in(pages_app, tenant)
    page = client.get("/c/followups/due").text
    response = client.post("/c/followups", data={
        "csrf": csrf_of(page), "person_id": person_id, "placement_id": placement_id, "contacted_on": day(0),
        "channel": "phone", "status": "left", "left_reason": "pay"})
    assert response.status_code == 422
    assert "已离职时要填离职日期" in response.text
    assert _count(pages_app, FollowUp, person_id) == 0


def test_the_case_file_part_shows_the_job_and_its_retention(pages_app, make_tenant):
    tenant = make_tenant()
    api = TestClient(pages_app)
    person_id, placement_id = hire(api, tenant, start=-100)
    followup(api, tenant, person_id, placement_id, day(-2))
    with pages_app.state.sessionmaker() as session:
        referral_id = session.scalars(select(Referral.id).where(Referral.person_id == person_id)).one()
    text = signed_in(pages_app, tenant).get(f"/c/referrals/{referral_id}").text
    assert "就业情况" in text and "在岗 3 个月" in text and "经推荐就业" in text and "仍在岗" in text


def test_the_nav_links_the_due_list(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant(), Role.counsellor)
    assert 'href="/c/followups/due"' in client.get("/c/people").text


def _outcomes(app, person_id) -> list[OutcomeEvent]:
    with app.state.sessionmaker() as session:
        return list(session.scalars(select(OutcomeEvent).where(OutcomeEvent.person_id == person_id)))


def test_the_referral_page_records_an_interview_for_its_referral(pages_app, make_tenant):
    tenant = make_tenant()
    person_id, referral_id = referral(TestClient(pages_app), tenant)
    client = signed_in(pages_app, tenant)
    page = client.get(f"/c/referrals/{referral_id}").text
    assert f'<option value="{referral_id}" selected>' in page
    response = client.post(f"/c/people/{person_id}/outcomes", follow_redirects=False, data={
        "csrf": csrf_of(page), "back": f"referral:{referral_id}", "referral_id": referral_id, "kind": "interview",
        "occurred_on": day(-10), "start_date": day(-5), "contract_type": "fixed_term"})
    assert response.status_code == 303 and response.headers["location"] == f"/c/referrals/{referral_id}#referrals"
    [row] = _outcomes(pages_app, person_id)
    assert (row.kind, row.referral_id, row.start_date, row.contract_type) == ("interview", referral_id, None, None)
    assert "参加面试" in client.get(response.headers["location"]).text


def test_a_hire_through_the_referral_form_is_a_placement_through_that_referral(pages_app, make_tenant):
    tenant = make_tenant()
    person_id, referral_id = referral(TestClient(pages_app), tenant)
    client = signed_in(pages_app, tenant)
    page = client.get(f"/c/referrals/{referral_id}").text
    client.post(f"/c/people/{person_id}/outcomes", data={
        "csrf": csrf_of(page), "back": f"referral:{referral_id}", "referral_id": referral_id, "kind": "hired",
        "occurred_on": day(-40), "start_date": day(-38), "contract_type": "fixed_term", "monthly_pay": "4300",
        "weekly_hours": "40", "rejected_by": "employer"})
    [row] = _outcomes(pages_app, person_id)
    assert (row.kind, row.placement_route, row.monthly_pay, row.rejected_by) == ("hired", "referral", 4300, None)
    assert "经推荐就业" in client.get(f"/c/people/{person_id}/pathway").text


def test_the_case_file_records_a_job_found_another_way(pages_app, make_tenant):
    tenant = make_tenant()
    person_id = person(TestClient(pages_app), tenant)
    client = signed_in(pages_app, tenant)
    page = client.get(f"/c/people/{person_id}/pathway").text
    response = client.post(f"/c/people/{person_id}/outcomes", follow_redirects=False, data={
        "csrf": csrf_of(page), "back": "case", "referral_id": "", "kind": "hired", "occurred_on": day(-3),
        "start_date": day(-1), "contract_type": "none", "placement_route": "internship"})
    assert response.headers["location"] == f"/c/people/{person_id}/pathway#referrals"
    [row] = _outcomes(pages_app, person_id)
    assert (row.referral_id, row.placement_route) == (None, "internship")
    assert "见习留用" in client.get(response.headers["location"]).text


def test_an_interview_without_a_referral_is_refused_in_plain_words_and_writes_nothing(pages_app, make_tenant):
    tenant = make_tenant()
    person_id = person(TestClient(pages_app), tenant)
    client = signed_in(pages_app, tenant)
    page = client.get(f"/c/people/{person_id}/pathway").text
    response = client.post(f"/c/people/{person_id}/outcomes", data={
        "csrf": csrf_of(page), "back": "case", "referral_id": "", "kind": "interview", "occurred_on": day(-3)})
    assert response.status_code == 422
    assert "都要选是哪一次推荐" in response.text and f'href="/c/people/{person_id}/pathway#referrals"' in response.text
    assert _outcomes(pages_app, person_id) == []


def test_a_hire_without_a_contract_is_refused_naming_what_is_missing(pages_app, make_tenant):
    tenant = make_tenant()
    person_id = person(TestClient(pages_app), tenant)
    client = signed_in(pages_app, tenant)
    page = client.get(f"/c/people/{person_id}/pathway").text
    response = client.post(f"/c/people/{person_id}/outcomes", data={
        "csrf": csrf_of(page), "kind": "hired", "occurred_on": day(-3), "start_date": day(-1),
        "placement_route": "own_search"})
    assert response.status_code == 422 and "已上岗要选用工形式" in response.text
    assert _outcomes(pages_app, person_id) == []


def test_an_outcome_without_the_csrf_token_writes_nothing(pages_app, make_tenant):
    tenant = make_tenant()
    person_id, referral_id = referral(TestClient(pages_app), tenant)
    response = signed_in(pages_app, tenant).post(f"/c/people/{person_id}/outcomes", data={
        "referral_id": referral_id, "kind": "interview", "occurred_on": day(-3)})
    assert response.status_code == 403 and _outcomes(pages_app, person_id) == []


def test_another_organisations_person_gets_no_outcome(pages_app, make_tenant):
    tenant = make_tenant()
    person_id, referral_id = referral(TestClient(pages_app), tenant)
    other = signed_in(pages_app, make_tenant("另一个中心"))
    page = other.get("/c/people").text
    response = other.post(f"/c/people/{person_id}/outcomes", data={
        "csrf": csrf_of(page), "referral_id": referral_id, "kind": "interview", "occurred_on": day(-3)})
    assert response.status_code == 404 and _outcomes(pages_app, person_id) == []
