"""Outcomes through the API (both back ends): what each kind needs, corrections keeping the original,
failed applications, tenancy, roles, bad input naming the field, erasure."""
from sqlalchemy import func, select

from api.services.placements import failed_applications
from models.enums import Role
from models.tables_referrals import OutcomeEvent
from tests.api.pathway_helpers import day, hire, outcome, person, refer, referral, today, vacancy


def test_an_interview_on_a_referral_becomes_its_status(client, tenant):
    person_id, referral_id = referral(client, tenant)
    response = outcome(client, tenant, person_id, referral_id=referral_id, kind="interview")
    assert response.status_code == 201, response.text
    assert response.json()["vacancy_id"] is not None
    assert client.get(f"/v1/referrals/{referral_id}", headers=tenant.headers()).json()["status"] == "interview"


def test_an_interview_without_a_referral_names_referral_id(client, tenant):
    response = outcome(client, tenant, person(client, tenant), kind="interview")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "referral_id"


def test_a_hire_without_a_start_date_names_start_date(client, tenant):
    person_id, referral_id = referral(client, tenant)
    response = outcome(client, tenant, person_id, referral_id=referral_id, kind="hired", contract_type="fixed_term",
                       placement_route="referral")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"


def test_a_hire_the_person_found_needs_no_referral(client, tenant):
    person_id = person(client, tenant)
    response = outcome(client, tenant, person_id, kind="hired", start_date=day(-30), contract_type="none",
                       placement_route="own_search")
    assert response.status_code == 201, response.text
    assert response.json()["referral_id"] is None


def test_a_hire_through_a_referral_with_another_route_names_placement_route(client, tenant):
    person_id, referral_id = referral(client, tenant)
    response = outcome(client, tenant, person_id, referral_id=referral_id, kind="hired", start_date=day(-30),
                       contract_type="fixed_term", placement_route="own_search")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "placement_route"


def test_more_than_84_hours_a_week_names_weekly_hours(client, tenant):
    person_id = person(client, tenant)
    response = outcome(client, tenant, person_id, kind="hired", start_date=day(-30), contract_type="none",
                       placement_route="own_search", weekly_hours=90)
    assert response.status_code == 422
    assert "weekly_hours" in response.text


def test_negative_pay_names_monthly_pay(client, tenant):
    person_id = person(client, tenant)
    response = outcome(client, tenant, person_id, kind="hired", start_date=day(-30), contract_type="none",
                       placement_route="own_search", monthly_pay=-1)
    assert response.status_code == 422
    assert "monthly_pay" in response.text


def test_pay_on_a_rejection_names_monthly_pay(client, tenant):
    person_id, referral_id = referral(client, tenant)
    response = outcome(client, tenant, person_id, referral_id=referral_id, kind="rejected", rejected_by="employer",
                       monthly_pay=3000)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "monthly_pay"


def test_a_rejection_needs_who_said_no(client, tenant):
    person_id, referral_id = referral(client, tenant)
    response = outcome(client, tenant, person_id, referral_id=referral_id, kind="rejected")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rejected_by"


def test_an_unknown_reason_code_is_refused(client, tenant):
    person_id, referral_id = referral(client, tenant)
    response = outcome(client, tenant, person_id, referral_id=referral_id, kind="rejected", rejected_by="employer",
                       reason_codes=["too_old"])
    assert response.status_code == 422
    assert "reason_codes" in response.text


def test_an_outcome_in_the_future_names_occurred_on(client, tenant):
    person_id, referral_id = referral(client, tenant)
    response = outcome(client, tenant, person_id, referral_id=referral_id, kind="interview", occurred_on=day(2))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "occurred_on"


def test_an_outcome_before_the_referral_names_occurred_on(client, tenant):
    person_id, referral_id = referral(client, tenant)
    response = outcome(client, tenant, person_id, referral_id=referral_id, kind="interview", occurred_on=day(-200))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "occurred_on"


def test_a_referral_hired_twice_is_a_conflict_and_writes_nothing(client, app, tenant):
    person_id, placement_id = hire(client, tenant)
    referral_id = client.get(f"/v1/outcomes/{placement_id}", headers=tenant.headers()).json()["referral_id"]
    with app.state.sessionmaker() as session:
        before = session.scalar(select(func.count()).select_from(OutcomeEvent))
    again = outcome(client, tenant, person_id, referral_id=referral_id, kind="hired", start_date=day(-60),
                    contract_type="fixed_term", placement_route="referral")
    assert again.status_code == 409
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(OutcomeEvent)) == before


def test_a_correction_replaces_the_outcome_and_keeps_the_original(client, tenant):
    person_id, referral_id = referral(client, tenant)
    original = outcome(client, tenant, person_id, referral_id=referral_id, kind="no_response").json()
    response = client.post(f"/v1/outcomes/{original['id']}/corrections", json={
        "reason": "单位其实回复了，录错了", "replacement": {"referral_id": referral_id, "kind": "rejected",
                                                  "rejected_by": "employer", "reason_codes": ["position_filled"],
                                                  "occurred_on": day(-85)}}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    corrected = response.json()
    assert (corrected["corrects_id"], corrected["kind"], corrected["reason_codes"]) == (
        original["id"], "rejected", ["position_filled"])
    kept = client.get(f"/v1/outcomes/{original['id']}", headers=tenant.headers()).json()
    assert (kept["kind"], kept["effective"]) == ("no_response", False)
    listed = client.get("/v1/outcomes", params={"person_id": person_id}, headers=tenant.headers()).json()
    assert [i["id"] for i in listed["items"]] == [corrected["id"]]


def test_a_withdrawn_outcome_leaves_the_effective_list(client, tenant):
    person_id, referral_id = referral(client, tenant)
    original = outcome(client, tenant, person_id, referral_id=referral_id, kind="interview").json()
    response = client.post(f"/v1/outcomes/{original['id']}/corrections",
                           json={"reason": "记错了人", "retract": True}, headers=tenant.headers())
    assert response.status_code == 201 and response.json()["retracted"] is True
    assert client.get("/v1/outcomes", params={"person_id": person_id}, headers=tenant.headers()).json()["total"] == 0


def test_an_outcome_cannot_be_corrected_twice(client, tenant):
    person_id, referral_id = referral(client, tenant)
    original = outcome(client, tenant, person_id, referral_id=referral_id, kind="interview").json()
    body = {"reason": "记错了人", "retract": True}
    assert client.post(f"/v1/outcomes/{original['id']}/corrections", json=body,
                       headers=tenant.headers()).status_code == 201
    again = client.post(f"/v1/outcomes/{original['id']}/corrections", json=body, headers=tenant.headers())
    assert again.status_code == 409


def test_a_correction_needs_a_replacement_or_retract(client, tenant):
    person_id, referral_id = referral(client, tenant)
    original = outcome(client, tenant, person_id, referral_id=referral_id, kind="interview").json()
    response = client.post(f"/v1/outcomes/{original['id']}/corrections", json={"reason": "改一下"},
                           headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "replacement"


def test_failed_applications_count_rejections_no_responses_and_stale_referrals(client, app, tenant):
    person_id = person(client, tenant)
    ids = [refer(client, tenant, person_id, vacancy(client, tenant)).json()["id"] for _ in range(4)]
    outcome(client, tenant, person_id, referral_id=ids[0], kind="rejected", rejected_by="employer")
    outcome(client, tenant, person_id, referral_id=ids[1], kind="no_response")
    outcome(client, tenant, person_id, referral_id=ids[2], kind="interview")
    recent = refer(client, tenant, person_id, vacancy(client, tenant), referred_on=day(-3))
    assert recent.status_code == 201
    with app.state.sessionmaker() as session:
        # ids[3] has no outcome after 100 days (stale); the recent one is still waiting; the interview is open
        assert failed_applications(session, tenant.organisation_id, person_id, None) == 3
        assert failed_applications(session, tenant.organisation_id, person_id, today()) == 0


def test_another_organisations_outcome_is_not_found(client, tenant, make_tenant):
    _, placement_id = hire(client, tenant)
    other = make_tenant("另一个中心")
    assert client.get(f"/v1/outcomes/{placement_id}", headers=other.headers()).status_code == 404
    correction = client.post(f"/v1/outcomes/{placement_id}/corrections", json={"reason": "改错", "retract": True},
                             headers=other.headers())
    assert correction.status_code == 404


def test_analyst_reads_outcomes_but_may_not_record(client, tenant):
    person_id, placement_id = hire(client, tenant)
    assert client.get(f"/v1/outcomes/{placement_id}", headers=tenant.headers(Role.analyst)).status_code == 200
    denied = client.post("/v1/outcomes", json={"person_id": person_id, "kind": "hired", "occurred_on": day(-1),
                                               "start_date": day(-1), "contract_type": "none",
                                               "placement_route": "own_search"}, headers=tenant.headers(Role.analyst))
    assert denied.status_code == 403


def test_erasing_the_person_removes_outcomes(client, app, tenant):
    person_id, _ = hire(client, tenant)
    assert client.delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(OutcomeEvent)
                              .where(OutcomeEvent.person_id == person_id)) == 0
