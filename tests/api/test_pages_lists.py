"""The people list (paging, total, search by case number, name or district) and the centre's list of all
assessments (in progress, finished today, flagged invalid)."""
import re
import uuid
from datetime import timedelta

from sqlalchemy import select

from api.db import make_sessionmaker
from api.services.assessments import utcnow
from api.services.people import create_person
from models.person import PersonCreate
from models.tables import AssessmentResult, AssessmentSession
from tests.api.test_pages_counsellor import csrf_of, make_tenant, pages_app, register, signed_in  # noqa: F401


def _people(app, tenant, n: int, **fields) -> None:
    with make_sessionmaker(app.state.engine)() as db, db.begin():
        for i in range(n):
            create_person(db, tenant.organisation_id, PersonCreate(external_id=f"BULK-{i:03d}", **fields))


def _ids(html: str) -> list[str]:
    return re.findall(r'<a href="/c/people/p_[0-9a-f]+">([^<]+)</a>', html)


def test_the_people_list_shows_the_total_and_pages_through_everyone(pages_app, make_tenant):
    tenant = make_tenant()
    _people(pages_app, tenant, 120)
    client = signed_in(pages_app, tenant)
    first = client.get("/c/people").text
    assert "第 1–50 位，共 120 位" in first and "第 1 页，共 3 页" in first
    seen = _ids(first) + _ids(client.get("/c/people?page=2").text) + _ids(client.get("/c/people?page=3").text)
    assert sorted(seen) == [f"BULK-{i:03d}" for i in range(120)]


def test_the_people_search_finds_a_district(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    register(client, "DIST-1", district="通州区")
    register(client, "DIST-2", district="朝阳区")
    assert _ids(client.get("/c/people", params={"q": "通州"}).text) == ["DIST-1"]


def _session(client, app, external_id: str) -> str:
    person_id = register(client, external_id)
    token = csrf_of(client.get(f"/c/people/{person_id}").text)
    response = client.post(f"/c/people/{person_id}/assessments",
                           data={"csrf": token, "battery": "paper", "mode": "paper"}, follow_redirects=False)
    return response.headers["location"].split("/")[3]


def test_all_assessments_lists_those_in_progress_and_those_finished_today(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    still_open, today, yesterday = (_session(client, pages_app, f"ALL-{i}") for i in range(3))
    with make_sessionmaker(pages_app.state.engine)() as db, db.begin():
        for assessment, when in ((today, utcnow()), (yesterday, utcnow() - timedelta(days=2))):
            row = db.get(AssessmentSession, assessment)
            row.status, row.completed_at = "completed", when
    open_view = client.get("/c/assessments?view=open").text
    today_view = client.get("/c/assessments?view=today").text
    assert still_open in open_view and today not in open_view
    assert today in today_view and yesterday not in today_view and still_open not in today_view


def test_all_assessments_lists_results_flagged_invalid(pages_app, make_tenant):
    tenant = make_tenant()
    client = signed_in(pages_app, tenant)
    flagged, fine = _session(client, pages_app, "INV-1"), _session(client, pages_app, "INV-2")
    with make_sessionmaker(pages_app.state.engine)() as db, db.begin():
        for assessment, interpretable in ((flagged, False), (fine, True)):
            row = db.get(AssessmentSession, assessment)
            row.status = "completed"
            db.add(AssessmentResult(id=f"r_{uuid.uuid4().hex[:16]}", organisation_id=tenant.organisation_id,
                                    person_id=row.person_id, session_id=row.id, engine_version="test",
                                    document={"instruments": [{"interpretable": interpretable, "validity": []}]}))
    view = client.get("/c/assessments?view=invalid").text
    assert flagged in view and fine not in view
