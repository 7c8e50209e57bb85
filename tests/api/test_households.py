"""Households (一家一册) through the API on both back ends: members, one household per person, the
zero-employment status derived from placements (flips when a member is hired and back when they leave),
tenancy, roles, bad input and erasure."""
import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from api.security import new_id
from models.enums import Role
from models.tables_households import Household, HouseholdMember
from models.tables_referrals import FollowUp, OutcomeEvent

TODAY = date.today()
HIRED_ON = TODAY - timedelta(days=20)
LEFT_ON = TODAY - timedelta(days=5)
VACANCY = {"employer": "某物业公司", "title": "小区保洁员", "occupation_code": "4-07-05-02", "district": "朝阳区"}


def _person(client, tenant, birth_year: int | None = 1985) -> str:
    response = client.post("/v1/persons", json={"external_id": uuid.uuid4().hex[:12], "birth_year": birth_year},
                           headers=tenant.headers())
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _household(client, tenant, *person_ids, **fields):
    members = [{"person_id": p, "joined_on": (TODAY - timedelta(days=60)).isoformat()} for p in person_ids]
    return client.post("/v1/households", json={"district": "朝阳区", "members": members, **fields},
                       headers=tenant.headers())


def _hire(client, app, tenant, person_id: str, start: date = HIRED_ON, route: str = "own_search",
          vacancy: dict | None = None) -> str:
    """A hired outcome as P1's outcome records hold it (inserted directly: this file tests households)."""
    vacancy_id = client.post("/v1/vacancies", json=vacancy or VACANCY, headers=tenant.headers(Role.admin)).json()["id"]
    with app.state.sessionmaker() as session, session.begin():
        row = OutcomeEvent(id=new_id("oe"), organisation_id=tenant.organisation_id, person_id=person_id,
                           vacancy_id=vacancy_id, kind="hired", occurred_on=start, start_date=start,
                           contract_type="fixed_term", monthly_pay=3800, weekly_hours=40, placement_route=route,
                           reason_codes=[], recorded_by=tenant.key_ids[Role.counsellor],
                           recorded_at=datetime.now(timezone.utc))
        session.add(row)
    return row.id


def _left(app, tenant, person_id: str, placement_id: str) -> None:
    """A follow-up saying the person left the job on LEFT_ON."""
    with app.state.sessionmaker() as session, session.begin():
        session.add(FollowUp(id=new_id("fu"), organisation_id=tenant.organisation_id, person_id=person_id,
                             placement_id=placement_id, contacted_on=LEFT_ON, channel="phone", status="left",
                             left_on=LEFT_ON, recorded_by=tenant.key_ids[Role.counsellor],
                             recorded_at=datetime.now(timezone.utc)))


def _status(client, tenant, household_id: str) -> str:
    return client.get(f"/v1/households/{household_id}", headers=tenant.headers()).json()["status"]


def test_a_household_nobody_works_in_is_a_zero_employment_family(client, tenant):
    response = _household(client, tenant, _person(client, tenant), _person(client, tenant))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["members"]) == ("zero_employment", 2)


def test_status_flips_when_a_member_is_hired_and_back_when_they_leave(client, app, tenant):
    mother, son = _person(client, tenant), _person(client, tenant, 2004)
    household_id = _household(client, tenant, mother, son).json()["id"]
    placement_id = _hire(client, app, tenant, son)
    hired = client.get(f"/v1/households/{household_id}", headers=tenant.headers()).json()
    assert (hired["status"], hired["status_since"]) == ("employed", HIRED_ON.isoformat())
    assert [p["employed"] for p in hired["people"] if p["person_id"] == son] == [True]
    _left(app, tenant, son, placement_id)
    back = client.get(f"/v1/households/{household_id}", headers=tenant.headers()).json()
    assert [(c["since"], c["status"]) for c in back["history"]][-2:] == [(HIRED_ON.isoformat(), "employed"),
                                                                         (LEFT_ON.isoformat(), "zero_employment")]


def test_zero_employment_filter_lists_only_those_families(client, app, tenant):
    idle = _household(client, tenant, _person(client, tenant)).json()["id"]
    worker = _person(client, tenant)
    working = _household(client, tenant, worker).json()["id"]
    _hire(client, app, tenant, worker)
    listed = client.get("/v1/households", params={"status": "zero_employment"}, headers=tenant.headers()).json()
    assert [h["id"] for h in listed["items"]] == [idle]
    assert working not in [h["id"] for h in listed["items"]]


def test_a_member_hired_past_working_age_leaves_the_family_zero_employment(client, app, tenant):
    grandfather = _person(client, tenant, TODAY.year - 65)
    household_id = _household(client, tenant, _person(client, tenant), grandfather).json()["id"]
    _hire(client, app, tenant, grandfather)
    assert _status(client, tenant, household_id) == "zero_employment"


def test_a_person_belongs_to_one_household(client, tenant):
    person_id = _person(client, tenant)
    _household(client, tenant, person_id)
    response = _household(client, tenant, person_id)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "members.0.person_id"


def test_a_member_who_left_can_join_another_household(client, tenant):
    person_id = _person(client, tenant)
    first = _household(client, tenant, person_id).json()["id"]
    left = client.post(f"/v1/households/{first}/members/{person_id}/leave", json={"left_on": LEFT_ON.isoformat()},
                       headers=tenant.headers())
    assert left.status_code == 200
    assert left.json()["members"] == 0
    second = _household(client, tenant).json()["id"]
    joined = client.post(f"/v1/households/{second}/members", json={"person_id": person_id, "relation": "spouse"},
                         headers=tenant.headers())
    assert joined.status_code == 201, joined.text
    assert [p["relation"] for p in joined.json()["people"]] == ["spouse"]


def test_leaving_before_joining_names_left_on(client, tenant):
    person_id = _person(client, tenant)
    household_id = _household(client, tenant, person_id).json()["id"]
    response = client.post(f"/v1/households/{household_id}/members/{person_id}/leave",
                           json={"left_on": (TODAY - timedelta(days=90)).isoformat()}, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "left_on"


def test_a_person_listed_twice_names_the_second_entry(client, tenant):
    person_id = _person(client, tenant)
    response = _household(client, tenant, person_id, person_id)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "members.1.person_id"


def test_a_failed_creation_writes_no_household(client, app, tenant):
    person_id = _person(client, tenant)
    _household(client, tenant, person_id)
    with app.state.sessionmaker() as session:
        before = session.scalar(select(func.count()).select_from(Household))
    assert _household(client, tenant, _person(client, tenant), person_id).status_code == 409
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == before


def test_the_same_household_number_twice_is_a_conflict(client, tenant):
    assert _household(client, tenant, external_id="HH-0001").status_code == 201
    response = _household(client, tenant, external_id="HH-0001")
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "external_id"


def test_another_organisations_household_and_people_stay_out_of_reach(client, tenant, make_tenant):
    household_id = _household(client, tenant, _person(client, tenant)).json()["id"]
    other = make_tenant("另一个中心")
    assert client.get(f"/v1/households/{household_id}", headers=other.headers()).status_code == 404
    assert client.get("/v1/households", headers=other.headers()).json()["total"] == 0
    stranger = _household(client, other, _person(client, tenant))
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "members.0.person_id"


def test_analyst_reads_but_may_not_change_households(client, tenant):
    household_id = _household(client, tenant).json()["id"]
    assert client.get(f"/v1/households/{household_id}", headers=tenant.headers(Role.analyst)).status_code == 200
    denied = client.post(f"/v1/households/{household_id}/members", json={"person_id": _person(client, tenant)},
                         headers=tenant.headers(Role.analyst))
    assert denied.status_code == 403


def test_erasing_a_member_removes_the_membership_and_keeps_the_household(client, app, tenant):
    person_id, other_id = _person(client, tenant), _person(client, tenant)
    household_id = _household(client, tenant, person_id, other_id).json()["id"]
    assert client.delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(HouseholdMember)
                              .where(HouseholdMember.person_id == person_id)) == 0
    body = client.get(f"/v1/households/{household_id}", headers=tenant.headers()).json()
    assert [p["person_id"] for p in body["people"]] == [other_id]


def test_the_households_page_records_a_household_and_shows_it_as_zero_employment(app, tenant):
    from tests.api.test_pages_counsellor import csrf_of, signed_in

    page = signed_in(app, tenant)
    token = csrf_of(page.get("/c/households").text)
    created = page.post("/c/households", data={"csrf": token, "external_id": "HH-PAGE-1", "district": "通州区"},
                        follow_redirects=False)
    assert created.status_code == 303, created.text
    listed = page.get("/c/households?status=zero_employment").text
    assert "HH-PAGE-1" not in listed  # no member yet: no working-age member, so not a zero-employment family
    detail = page.get(created.headers["location"]).text
    assert "无劳动年龄成员" in detail and "只用于认定零就业家庭" in detail


def test_the_household_page_adds_a_member_by_case_number_and_records_leaving(client, app, tenant):
    from tests.api.test_pages_counsellor import csrf_of, signed_in

    person = client.post("/v1/persons", json={"external_id": "HH-MEMBER-1", "name": "王秀兰", "birth_year": 1980},
                         headers=tenant.headers()).json()
    household_id = _household(client, tenant).json()["id"]
    page = signed_in(app, tenant)
    token = csrf_of(page.get(f"/c/households/{household_id}").text)
    added = page.post(f"/c/households/{household_id}/members",
                      data={"csrf": token, "person_no": "HH-MEMBER-1", "relation": "head"}, follow_redirects=False)
    assert added.status_code == 303, added.text
    detail = page.get(f"/c/households/{household_id}").text
    assert "王秀兰" in detail and "户主" in detail and "零就业家庭" in detail
    left = page.post(f"/c/households/{household_id}/members/{person['id']}/leave", data={"csrf": token},
                     follow_redirects=False)
    assert left.status_code == 422  # joined today: leaving the same day is not after joining
    assert "离开日期要晚于加入日期" in left.text


def test_the_household_page_refuses_an_unknown_case_number_in_plain_words(client, app, tenant):
    from tests.api.test_pages_counsellor import csrf_of, signed_in

    household_id = _household(client, tenant).json()["id"]
    page = signed_in(app, tenant)
    token = csrf_of(page.get(f"/c/households/{household_id}").text)
    response = page.post(f"/c/households/{household_id}/members", data={"csrf": token, "person_no": "NOBODY"})
    assert response.status_code == 422
    assert "没有这个人员编号" in response.text


def test_the_household_pages_need_the_csrf_token(client, app, tenant):
    from tests.api.test_pages_counsellor import signed_in

    page = signed_in(app, tenant)
    assert page.post("/c/households", data={"district": "通州区"}).status_code == 403
