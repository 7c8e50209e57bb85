"""The counsellor's pages without a browser: sign-in, the session cookie, CSRF, tenancy, audit, forms."""
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.db import make_sessionmaker
from api.settings import Settings
from api.tenancy import revoke_api_key
from models.enums import Role
from models.tables import AssessmentResponse, AuditLog, Person


@pytest.fixture(scope="module")
def pages_app(database_url):
    settings = Settings(database_url=database_url, secret_key="pages-test-secret-0123456789abcdef", log_level="WARNING",
                        auth_failures_per_minute=1_000_000)
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def make_tenant(pages_app):
    from tests.conftest import new_tenant

    return lambda name="页面测试中心": new_tenant(pages_app.state.engine, name)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def signed_in(app, tenant, role: Role = Role.counsellor) -> TestClient:
    client = TestClient(app)
    token = csrf_of(client.get("/c/login").text)
    response = client.post("/c/login", data={"csrf": token, "key": tenant.keys[role], "next": "/c/people"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def register(client: TestClient, external_id: str, **fields) -> str:
    token = csrf_of(client.get("/c/people/new").text)
    response = client.post("/c/people/new", data={"csrf": token, "external_id": external_id, **fields},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


def test_pages_redirect_to_sign_in_without_a_session(pages_app):
    response = TestClient(pages_app).get("/c/people?q=A", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/c/login?next=%2Fc%2Fpeople%3Fq%3DA"


def test_a_wrong_key_is_refused_and_starts_no_session(pages_app, make_tenant):
    client = TestClient(pages_app)
    token = csrf_of(client.get("/c/login").text)
    response = client.post("/c/login", data={"csrf": token, "key": "pfk.k_0000.wrong"})
    assert response.status_code == 401
    assert "密钥不对" in response.text
    assert client.get("/c/people", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("role", [Role.case_system, Role.analyst])
def test_only_counsellor_and_admin_keys_sign_in(pages_app, make_tenant, role):
    tenant = make_tenant()
    client = TestClient(pages_app)
    token = csrf_of(client.get("/c/login").text)
    response = client.post("/c/login", data={"csrf": token, "key": tenant.keys[role]})
    assert response.status_code == 401
    assert "只有管理员和职业指导师" in response.text


def test_the_session_cookie_is_httponly_samesite_and_never_holds_the_key(pages_app, make_tenant):
    tenant = make_tenant()
    client = TestClient(pages_app)
    token = csrf_of(client.get("/c/login").text)
    response = client.post("/c/login", data={"csrf": token, "key": tenant.keys[Role.counsellor]},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    secret = tenant.keys[Role.counsellor].split(".")[2]
    assert secret not in cookie


def test_sign_in_needs_the_csrf_token(pages_app, make_tenant):
    tenant = make_tenant()
    client = TestClient(pages_app)
    client.get("/c/login")
    response = client.post("/c/login", data={"csrf": "forged", "key": tenant.keys[Role.counsellor]})
    assert response.status_code == 403
    assert client.get("/c/people", follow_redirects=False).status_code == 303


def test_a_form_posted_without_the_csrf_token_writes_nothing(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    response = client.post("/c/people/new", data={"external_id": "CSRF-1"})
    assert response.status_code == 403
    with make_sessionmaker(pages_app.state.engine)() as session:
        assert session.scalar(select(Person).where(Person.organisation_id == tenant.organisation_id)) is None


def test_next_cannot_send_the_browser_to_another_site(pages_app, make_tenant):
    tenant = make_tenant()
    client = TestClient(pages_app)
    token = csrf_of(client.get("/c/login").text)
    response = client.post("/c/login", data={"csrf": token, "key": tenant.keys[Role.counsellor],
                                             "next": "//evil.example/c/x"}, follow_redirects=False)
    assert response.headers["location"] == "/c/people"


def test_another_organisations_person_is_not_found(pages_app, make_tenant):
    mine, theirs = make_tenant(), make_tenant("别的中心")
    person_id = register(signed_in(pages_app, theirs), "THEIRS-1")
    client = signed_in(pages_app, mine)
    assert client.get(f"/c/people/{person_id}").status_code == 404
    assert client.get(f"/c/people/{person_id}/matches").status_code == 404
    assert "THEIRS-1" not in client.get("/c/people").text


def test_revoking_the_key_signs_the_counsellor_out(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    assert client.get("/c/people").status_code == 200
    with make_sessionmaker(pages_app.state.engine)() as session, session.begin():
        revoke_api_key(session, tenant.key_ids[Role.counsellor])
    response = client.get("/c/people", follow_redirects=False)
    assert response.status_code == 303 and "m=session_expired" in response.headers["location"]


def test_sign_out_ends_the_session(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    client.post("/c/logout", data={"csrf": csrf_of(client.get("/c/people").text)})
    assert client.get("/c/people", follow_redirects=False).status_code == 303


def test_reading_a_person_is_audit_logged_with_the_key(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    person_id = register(client, "AUDIT-1", name="李四")
    assert "李四" in client.get(f"/c/people/{person_id}").text
    with make_sessionmaker(pages_app.state.engine)() as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.resource_id == person_id)).all()
    actions = {(r.resource, r.action) for r in rows}
    assert {("person", "create"), ("person", "read")} <= actions
    assert {r.key_id for r in rows} == {tenant.key_ids[Role.counsellor]}


def test_registration_errors_are_shown_beside_the_field(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    token = csrf_of(client.get("/c/people/new").text)
    response = client.post("/c/people/new", data={"csrf": token, "external_id": "BAD-1", "birth_year": "1800"})
    assert response.status_code == 422
    assert 'id="e-birth_year"' in response.text and 'aria-invalid="true"' in response.text


def test_a_duplicate_case_number_is_refused(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    register(client, "DUP-1")
    token = csrf_of(client.get("/c/people/new").text)
    response = client.post("/c/people/new", data={"csrf": token, "external_id": "DUP-1"})
    assert response.status_code == 409 and "已经登记过了" in response.text


def test_search_finds_by_case_number_prefix_or_name(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    register(client, "FIND-100", name="赵敏")
    register(client, "OTHER-1", name="钱多")
    text = client.get("/c/people", params={"q": "FIND"}).text
    assert "FIND-100" in text and "OTHER-1" not in text
    assert "FIND-100" in client.get("/c/people", params={"q": "赵"}).text


def test_starting_an_assessment_shows_the_link_and_a_qr_code(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "START-1")
    token = csrf_of(client.get(f"/c/people/{person_id}").text)
    response = client.post(f"/c/people/{person_id}/assessments",
                           data={"csrf": token, "battery": "short", "lang": "en", "mode": "online"})
    assert response.status_code == 200 and response.url.path.endswith("/link")  # after POST, redirect, GET
    link = re.search(r'id="take-link"[^>]*href="([^"]+)"', response.text) or \
        re.search(r'href="(http://testserver/t/[^"]+)"[^>]*id="take-link"', response.text)
    assert link and "/t/" in link.group(1)
    assert "<svg" in response.text
    take = TestClient(pages_app).get(link.group(1).replace("http://testserver", ""))
    assert take.status_code == 200 and 'lang="en"' in take.text


def test_an_unknown_battery_is_refused_in_the_pages_language(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "BATT-1")
    token = csrf_of(client.get(f"/c/people/{person_id}").text)
    response = client.post(f"/c/people/{person_id}/assessments", data={"csrf": token, "battery": "nope"})
    assert response.status_code == 422 and "没有这套测评" in response.text and "unknown battery" not in response.text


def _paper_assessment(client, person_id: str) -> str:
    token = csrf_of(client.get(f"/c/people/{person_id}").text)
    response = client.post(f"/c/people/{person_id}/assessments",
                           data={"csrf": token, "battery": "paper", "mode": "paper"})
    return re.search(r"/c/assessments/(as_[0-9a-f]+)", response.text).group(1)


def test_a_paper_sheet_is_stored_as_a_whole(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    assessment_id = _paper_assessment(client, register(client, "PAPER-OK"))
    form = client.get(f"/c/assessments/{assessment_id}/paper/aptitude-n").text
    items = re.findall(r'name="item:([^"]+)" value="A"', form)
    version = re.search(r'name="instrument_version" value="([^"]+)"', form).group(1)
    data = {"csrf": csrf_of(form), "instrument_version": version, **{f"item:{i}": "A" for i in items[:5]}}
    response = client.post(f"/c/assessments/{assessment_id}/paper/aptitude-n", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("?m=paper_saved")
    with make_sessionmaker(pages_app.state.engine)() as session:
        stored = session.scalars(select(AssessmentResponse).where(AssessmentResponse.session_id == assessment_id)).all()
    assert sorted(r.item_id for r in stored) == sorted(items[:5]) and {r.source for r in stored} == {"paper"}


def test_a_paper_sheet_with_one_bad_answer_stores_nothing(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    assessment_id = _paper_assessment(client, register(client, "PAPER-BAD"))
    form = client.get(f"/c/assessments/{assessment_id}/paper/aptitude-v").text
    items = re.findall(r'name="item:([^"]+)" value="A"', form)
    version = re.search(r'name="instrument_version" value="([^"]+)"', form).group(1)
    data = {"csrf": csrf_of(form), "instrument_version": version, f"item:{items[0]}": "A", f"item:{items[1]}": "Z"}
    response = client.post(f"/c/assessments/{assessment_id}/paper/aptitude-v", data=data)
    assert response.status_code == 422 and items[1] in response.text
    with make_sessionmaker(pages_app.state.engine)() as session:
        assert not session.scalars(select(AssessmentResponse).where(AssessmentResponse.session_id == assessment_id)).all()


def test_finishing_with_nothing_answered_is_refused(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    assessment_id = _paper_assessment(client, register(client, "EMPTY-1"))
    token = csrf_of(client.get(f"/c/assessments/{assessment_id}").text)
    response = client.post(f"/c/assessments/{assessment_id}/complete", data={"csrf": token}, follow_redirects=False)
    assert response.headers["location"].endswith("?m=nothing_answered")


def test_progress_json_is_for_the_own_organisation_only(pages_app, make_tenant):
    mine, theirs = make_tenant(), make_tenant("别的中心")
    other = signed_in(pages_app, theirs)
    assessment_id = _paper_assessment(other, register(other, "PROG-1"))
    assert signed_in(pages_app, mine).get(f"/c/assessments/{assessment_id}/progress").status_code == 404
    progress = other.get(f"/c/assessments/{assessment_id}/progress").json()
    assert progress["status"] == "open" and len(progress["parts"]) == 3


def test_the_language_switch_changes_the_page_texts(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    client.get("/c/lang/en", params={"next": "/c/people"})
    text = client.get("/c/people").text
    assert 'lang="en"' in text and "Register a client" in text


def test_a_paper_sheet_for_another_version_is_refused_in_chinese(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    assessment_id = _paper_assessment(client, register(client, "PAPER-VER"))
    form = client.get(f"/c/assessments/{assessment_id}/paper/aptitude-v").text
    items = re.findall(r'name="item:([^"]+)" value="A"', form)
    data = {"csrf": csrf_of(form), "instrument_version": "0.0.0+old", f"item:{items[0]}": "A"}
    response = client.post(f"/c/assessments/{assessment_id}/paper/aptitude-v", data=data)
    assert response.status_code == 422
    assert "版本不一致" in response.text and "the sheet is for" not in response.text


def test_a_paper_sheet_answer_outside_the_options_is_explained_in_chinese(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    assessment_id = _paper_assessment(client, register(client, "PAPER-OPT"))
    form = client.get(f"/c/assessments/{assessment_id}/paper/aptitude-v").text
    items = re.findall(r'name="item:([^"]+)" value="A"', form)
    version = re.search(r'name="instrument_version" value="([^"]+)"', form).group(1)
    data = {"csrf": csrf_of(form), "instrument_version": version, f"item:{items[0]}": "Z"}
    response = client.post(f"/c/assessments/{assessment_id}/paper/aptitude-v", data=data)
    assert response.status_code == 422 and "不在选项里" in response.text
