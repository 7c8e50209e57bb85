"""Follow-ups, placements with retention and the due list through the API (both back ends)."""
from sqlalchemy import func, select

from models.enums import Role
from models.tables_referrals import FollowUp
from tests.api.pathway_helpers import day, followup, hire, outcome


def _placement(client, tenant, person_id) -> dict:
    views = client.get(f"/v1/persons/{person_id}/placements", headers=tenant.headers()).json()
    assert len(views) == 1
    return views[0]


def test_a_still_employed_contact_after_three_months_makes_the_placement_stable(client, tenant):
    person_id, placement_id = hire(client, tenant, start=-100)
    assert followup(client, tenant, person_id, placement_id, day(-2)).status_code == 201
    view = _placement(client, tenant, person_id)
    assert view["retained"] == {"1": True, "3": True, "6": None, "12": None}
    assert (view["stable"], view["ended_on"]) == (True, None)


def test_without_a_follow_up_retention_is_not_known(client, tenant):
    person_id, _ = hire(client, tenant, start=-100)
    view = _placement(client, tenant, person_id)
    assert view["retained"] == {"1": None, "3": None, "6": None, "12": None} and view["stable"] is None


def test_leaving_in_the_second_month_ends_the_placement_and_fails_retention_from_month_two(client, tenant):
    person_id, placement_id = hire(client, tenant, start=-100)
    response = followup(client, tenant, person_id, placement_id, day(-40), "left", left_on=day(-50),
                        left_reason="pay")
    assert response.status_code == 201, response.text
    view = _placement(client, tenant, person_id)
    assert view["ended_on"] == day(-50)
    assert view["retained"] == {"1": True, "3": False, "6": False, "12": False}
    assert view["stable"] is False


def test_changing_job_keeps_the_person_in_work(client, tenant):
    person_id, placement_id = hire(client, tenant, start=-100)
    followup(client, tenant, person_id, placement_id, day(-2), "changed_job", left_on=day(-50))
    view = _placement(client, tenant, person_id)
    assert (view["ended_on"], view["stable"]) == (None, True)


def test_leaving_needs_the_day_and_the_reason(client, tenant):
    person_id, placement_id = hire(client, tenant)
    response = followup(client, tenant, person_id, placement_id, day(-2), "left", left_reason="pay")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "left_on"


def test_a_left_day_after_the_contact_names_left_on(client, tenant):
    person_id, placement_id = hire(client, tenant)
    response = followup(client, tenant, person_id, placement_id, day(-10), "left", left_on=day(-5),
                        left_reason="pay")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "left_on"


def test_a_contact_before_the_first_day_at_work_names_contacted_on(client, tenant):
    person_id, placement_id = hire(client, tenant, start=-30)
    response = followup(client, tenant, person_id, placement_id, day(-40))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "contacted_on"


def test_a_contact_in_the_future_names_contacted_on(client, tenant):
    person_id, placement_id = hire(client, tenant)
    response = followup(client, tenant, person_id, placement_id, day(1))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "contacted_on"


def test_an_outcome_that_is_not_a_hire_names_placement_id(client, tenant):
    person_id, placement_id = hire(client, tenant)
    referral_id = client.get(f"/v1/outcomes/{placement_id}", headers=tenant.headers()).json()["referral_id"]
    interview = outcome(client, tenant, person_id, referral_id=referral_id, kind="interview").json()
    response = followup(client, tenant, person_id, interview["id"], day(-2))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "placement_id"


def test_a_contact_after_the_placement_ended_is_a_conflict_and_writes_nothing(client, app, tenant):
    person_id, placement_id = hire(client, tenant, start=-100)
    followup(client, tenant, person_id, placement_id, day(-40), "left", left_on=day(-50), left_reason="commute")
    response = followup(client, tenant, person_id, placement_id, day(-2))
    assert response.status_code == 409
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(FollowUp)
                              .where(FollowUp.person_id == person_id)) == 1


def test_correcting_a_left_contact_keeps_the_original_and_reopens_the_placement(client, tenant):
    person_id, placement_id = hire(client, tenant, start=-100)
    left = followup(client, tenant, person_id, placement_id, day(-40), "left", left_on=day(-50),
                    left_reason="pay").json()
    response = client.post(f"/v1/followups/{left['id']}/corrections", json={
        "reason": "电话里听错了，本人仍在岗", "replacement": {"contacted_on": day(-40), "channel": "phone",
                                                 "status": "still_employed"}}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    assert response.json()["corrects_id"] == left["id"]
    kept = client.get(f"/v1/followups/{left['id']}", headers=tenant.headers()).json()
    assert (kept["status"], kept["effective"]) == ("left", False)
    view = _placement(client, tenant, person_id)
    assert view["ended_on"] is None and view["retained"]["1"] is True


def test_follow_ups_of_a_corrected_hire_follow_it(client, tenant):
    person_id, placement_id = hire(client, tenant, start=-100)
    followup(client, tenant, person_id, placement_id, day(-2))
    original = client.get(f"/v1/outcomes/{placement_id}", headers=tenant.headers()).json()
    replacement = {k: original[k] for k in ("referral_id", "kind", "occurred_on", "start_date", "contract_type",
                                            "weekly_hours", "placement_route")} | {"monthly_pay": 4500}
    corrected = client.post(f"/v1/outcomes/{placement_id}/corrections",
                            json={"reason": "工资录错了", "replacement": replacement}, headers=tenant.headers())
    assert corrected.status_code == 201, corrected.text
    view = _placement(client, tenant, person_id)
    assert (view["placement_id"], view["stable"]) == (corrected.json()["id"], True)


def test_the_due_list_has_a_placement_with_no_contact_since_its_first_month(client, tenant):
    person_id, placement_id = hire(client, tenant, start=-45)
    due = client.get("/v1/followups/due", headers=tenant.headers()).json()
    mine = [d for d in due if d["placement_id"] == placement_id]
    assert len(mine) == 1
    assert (mine[0]["month"], mine[0]["overdue"], mine[0]["person_name"]) == (1, True, "王小明")


def test_a_contact_takes_the_placement_off_the_due_list(client, tenant):
    person_id, placement_id = hire(client, tenant, start=-45)
    followup(client, tenant, person_id, placement_id, day(-1))
    due = client.get("/v1/followups/due", headers=tenant.headers()).json()
    assert placement_id not in [d["placement_id"] for d in due]


def test_the_due_list_is_per_organisation(client, tenant, make_tenant):
    _, placement_id = hire(client, tenant, start=-45)
    other = make_tenant("另一个中心")
    assert placement_id not in [d["placement_id"] for d in
                                client.get("/v1/followups/due", headers=other.headers()).json()]


def test_another_organisations_follow_up_is_not_found(client, tenant, make_tenant):
    person_id, placement_id = hire(client, tenant)
    followup_id = followup(client, tenant, person_id, placement_id, day(-2)).json()["id"]
    other = make_tenant("另一个中心")
    assert client.get(f"/v1/followups/{followup_id}", headers=other.headers()).status_code == 404
    assert client.get(f"/v1/persons/{person_id}/placements", headers=other.headers()).status_code == 404


def test_analyst_reads_follow_ups_but_may_not_record(client, tenant):
    person_id, placement_id = hire(client, tenant)
    assert client.get("/v1/followups/due", headers=tenant.headers(Role.analyst)).status_code == 200
    denied = client.post("/v1/followups", json={"person_id": person_id, "placement_id": placement_id,
                                                "contacted_on": day(-1), "channel": "phone",
                                                "status": "still_employed"}, headers=tenant.headers(Role.analyst))
    assert denied.status_code == 403


def test_erasing_the_person_removes_follow_ups(client, app, tenant):
    person_id, placement_id = hire(client, tenant)
    followup(client, tenant, person_id, placement_id, day(-2))
    assert client.delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.person_id == person_id)) == 0
