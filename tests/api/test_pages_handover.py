"""Starting an assessment from the pages: POST → redirect → GET, continuing an open one, cancelling with
a reason, link expiry and reissue; the site root; the paper-mode title."""
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.db import make_sessionmaker
from api.services.assessments import utcnow
from models.tables import AssessmentSession, AuditLog
from tests.api.test_pages_counsellor import csrf_of, make_tenant, pages_app, register, signed_in  # noqa: F401


def _start(client, person_id: str, **fields):
    token = csrf_of(client.get(f"/c/people/{person_id}").text)
    data = {"csrf": token, "battery": "short", "lang": "zh-CN", "mode": "online", **fields}
    return client.post(f"/c/people/{person_id}/assessments", data=data, follow_redirects=False)


def _count(app, person_id: str) -> int:
    with make_sessionmaker(app.state.engine)() as db:
        return db.scalar(select(func.count()).select_from(AssessmentSession)
                         .where(AssessmentSession.person_id == person_id))


def _link(html: str) -> str:
    return re.search(r'id="take-link"[^>]*href="([^"]+)"', html).group(1).replace("http://testserver", "")


def test_starting_redirects_to_the_link_page_and_reloading_it_opens_no_second_assessment(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "PRG-1")
    response = _start(client, person_id)
    assert response.status_code == 303 and response.headers["location"].endswith("/link")
    first, again = client.get(response.headers["location"]), client.get(response.headers["location"])
    assert _link(first.text) == _link(again.text)
    assert _count(pages_app, person_id) == 1


def test_starting_while_one_is_open_offers_to_continue_it(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "PRG-2")
    assessment = _start(client, person_id).headers["location"].split("/")[3]
    offer = _start(client, person_id)
    assert offer.status_code == 409 and "继续已有测评" in offer.text
    assert f'href="/c/assessments/{assessment}"' in offer.text
    assert _count(pages_app, person_id) == 1
    assert _start(client, person_id, another="1").status_code == 303
    assert _count(pages_app, person_id) == 2


def test_the_person_page_offers_to_continue_an_open_assessment(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "PRG-3")
    assessment = _start(client, person_id).headers["location"].split("/")[3]
    page = client.get(f"/c/people/{person_id}").text
    assert re.search(rf'href="/c/assessments/{assessment}">继续已有测评', page)


def test_an_open_assessment_is_cancelled_with_its_reason_and_its_link_stops_working(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "CANCEL-1")
    location = _start(client, person_id).headers["location"]
    take = _link(client.get(location).text)
    assessment = location.split("/")[3]
    token = csrf_of(client.get(f"/c/assessments/{assessment}").text)
    done = client.post(f"/c/assessments/{assessment}/cancel", data={"csrf": token, "reason": "登记错了人"},
                       follow_redirects=False)
    assert done.headers["location"].endswith("?m=cancelled_msg")
    page = client.get(f"/c/assessments/{assessment}").text
    assert "已取消" in page and "取消原因：登记错了人" in page
    assert TestClient(pages_app).get("/v1" + take.replace("/t/", "/take/")).status_code == 404
    with make_sessionmaker(pages_app.state.engine)() as db:
        assert db.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.resource_id == assessment, AuditLog.action == "cancel")) == 1


def test_cancelling_without_a_reason_is_refused_and_changes_nothing(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    assessment = _start(client, register(client, "CANCEL-2")).headers["location"].split("/")[3]
    token = csrf_of(client.get(f"/c/assessments/{assessment}").text)
    refused = client.post(f"/c/assessments/{assessment}/cancel", data={"csrf": token, "reason": "  "},
                          follow_redirects=False)
    assert refused.headers["location"].endswith("?m=cancel_reason_needed")
    with make_sessionmaker(pages_app.state.engine)() as db:
        assert db.get(AssessmentSession, assessment).status == "open"


def test_a_link_older_than_the_expiry_setting_no_longer_opens_the_test(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    location = _start(client, register(client, "EXPIRE-1")).headers["location"]
    take = "/v1" + _link(client.get(location).text).replace("/t/", "/take/")
    assert TestClient(pages_app).get(take).status_code == 200
    with make_sessionmaker(pages_app.state.engine)() as db, db.begin():
        db.get(AssessmentSession, location.split("/")[3]).token_issued_at = utcnow() - timedelta(days=14, minutes=1)
    assert TestClient(pages_app).get(take).status_code == 404


def test_reissuing_gives_a_working_link_and_the_old_one_stops(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    location = _start(client, register(client, "REISSUE-1")).headers["location"]
    old = "/v1" + _link(client.get(location).text).replace("/t/", "/take/")
    assessment = location.split("/")[3]
    token = csrf_of(client.get(location).text)
    response = client.post(f"/c/assessments/{assessment}/reissue", data={"csrf": token})
    new = "/v1" + _link(response.text).replace("/t/", "/take/")
    assert new != old
    assert TestClient(pages_app).get(old).status_code == 404
    assert TestClient(pages_app).get(new).status_code == 200


def test_the_link_page_in_anclient_offers_a_new_link_instead_of_the_old_one(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    location = _start(client, register(client, "REISSUE-2")).headers["location"]
    elsewhere = signed_in(pages_app, tenant).get(location).text
    assert 'id="take-link"' not in elsewhere and 'id="reissue"' in elsewhere


def test_the_paper_mode_page_is_not_titled_test_link(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    response = _start(client, register(client, "PAPER-T"), battery="paper", mode="paper")
    html = client.get(response.headers["location"]).text
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "纸笔测评" in title and "测评链接" not in title and "测评链接" not in re.search(r"<h1>(.*?)</h1>", html).group(1)


def test_the_site_root_sends_a_visitor_to_sign_in_and_a_counsellor_home(pages_app, make_tenant):
    anonymous = TestClient(pages_app).get("/")
    assert anonymous.status_code == 200 and anonymous.url.path == "/c/login"
    home = signed_in(pages_app, make_tenant()).get("/")
    assert home.url.path == "/c/people"
