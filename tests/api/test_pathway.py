"""The pathway case file through the API (both back ends): the proposal with its rule and facts,
accepting and overriding it, withdrawing a step, tenancy, roles, bad input, audit and erasure."""
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from api.services.enrolments import local_today
from api.settings import get_settings
from models.enums import Role
from models.tables import AuditLog
from models.tables_pathway import PathwayStep

TODAY = local_today(get_settings().timezone)  # the centre's day, as the service sees it


def _person(client, tenant, **fields) -> str:
    response = client.post("/v1/persons", json={"external_id": uuid.uuid4().hex[:12], **fields},
                           headers=tenant.headers())
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _case(client, tenant, person_id, role=Role.counsellor):
    return client.get(f"/v1/persons/{person_id}/pathway", headers=tenant.headers(role))


def _decide(client, tenant, person_id, role=Role.counsellor, **body):
    return client.post(f"/v1/persons/{person_id}/pathway/decisions", json=body, headers=tenant.headers(role))


def _override(client, tenant, person_id, module, reason_code="person_request", **body):
    return _decide(client, tenant, person_id, action="override", module=module, reason_code=reason_code, **body)


def _steps(app, person_id) -> int:
    with app.state.sessionmaker() as session:
        return session.scalar(select(func.count()).select_from(PathwayStep).where(PathwayStep.person_id == person_id))


def test_a_new_person_is_not_on_the_path_and_basic_service_is_proposed(client, tenant):
    body = _case(client, tenant, _person(client, tenant)).json()
    assert body["current"] is None and body["history"] == []
    assert (body["proposal"]["next_module"], body["proposal"]["rule_id"]) == (1, "start")
    assert body["proposal"]["next_module_name"]["zh-CN"] == "基本服务（岗位推荐）"
    assert body["rules_source"] == "default"


def test_an_especially_hard_case_is_proposed_coaching_first(client, tenant):
    person_id = _person(client, tenant, priority={"hard_to_employ": "long_term_unemployed", "assistance_card": True})
    proposal = _case(client, tenant, person_id).json()["proposal"]
    assert (proposal["next_module"], proposal["rule_id"]) == (2, "start_hard_case")
    assert proposal["facts_used"] == {"current_module": None, "hard_case": True}


def test_accepting_records_the_step_with_its_rule_and_facts(client, tenant):
    person_id = _person(client, tenant)
    response = _decide(client, tenant, person_id, action="accept", rule_id="start")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["current"]["module"], body["current"]["entered_on"]) == (1, TODAY.isoformat())
    step = body["history"][0]
    assert (step["reason"], step["rule_id"], step["facts"]["current_module"]) == ("initial", "start", None)
    assert body["proposal"]["rule_id"] == "stay"


def test_accepting_a_proposal_that_changed_meanwhile_is_a_conflict(client, app, tenant):
    person_id = _person(client, tenant)
    response = _decide(client, tenant, person_id, action="accept", rule_id="coaching_after_failed_applications")
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "rule_id"
    assert _steps(app, person_id) == 0


def test_there_is_nothing_to_accept_when_the_proposal_is_to_stay(client, tenant):
    person_id = _person(client, tenant)
    _decide(client, tenant, person_id, action="accept")
    response = _decide(client, tenant, person_id, action="accept")
    assert response.status_code == 409
    assert "override" in response.json()["detail"]


def test_an_override_records_the_module_the_reason_and_what_was_proposed(client, app, tenant):
    person_id = _person(client, tenant)
    _decide(client, tenant, person_id, action="accept")
    response = _override(client, tenant, person_id, 5, "opportunity_available", note="叉车司机培训下周开班")
    assert response.status_code == 201, response.text
    step = response.json()["history"][-1]
    assert (step["module"], step["reason"], step["override_reason_code"]) == (5, "override", "opportunity_available")
    assert (step["proposed_module"], step["proposed_rule_id"], step["note"]) == (1, "stay", "叉车司机培训下周开班")
    with app.state.sessionmaker() as session:
        audit = session.scalars(select(AuditLog).where(AuditLog.resource == "pathway_step",
                                                       AuditLog.resource_id == step["id"])).one()
    assert (audit.action, audit.detail["override_reason_code"]) == ("override", "opportunity_available")


def test_an_override_without_a_reason_code_is_refused_naming_reason_code(client, app, tenant):
    person_id = _person(client, tenant)
    response = _decide(client, tenant, person_id, action="override", module=3)
    assert response.status_code == 422
    assert "reason_code" in response.json()["detail"]
    assert _steps(app, person_id) == 0


def test_an_override_reason_outside_the_closed_list_is_refused(client, tenant):
    response = _override(client, tenant, _person(client, tenant), 3, "felt_like_it")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason_code"


def test_the_counsellors_judgement_needs_a_note(client, tenant):
    response = _override(client, tenant, _person(client, tenant), 3, "counsellor_judgement")
    assert response.status_code == 422
    assert "note" in response.json()["detail"]


def test_overriding_to_the_current_module_is_a_conflict(client, tenant):
    person_id = _person(client, tenant)
    _decide(client, tenant, person_id, action="accept")
    response = _override(client, tenant, person_id, 1)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "module"


def test_a_module_outside_1_to_7_is_refused(client, tenant):
    response = _override(client, tenant, _person(client, tenant), 8)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "module"


def test_a_step_dated_in_the_future_is_refused(client, app, tenant):
    person_id = _person(client, tenant)
    response = _decide(client, tenant, person_id, action="accept", entered_on=(TODAY + timedelta(days=3)).isoformat())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "entered_on"
    assert _steps(app, person_id) == 0


def test_a_step_dated_before_the_current_module_is_refused(client, tenant):
    person_id = _person(client, tenant)
    _decide(client, tenant, person_id, action="accept")
    response = _override(client, tenant, person_id, 3, entered_on=(TODAY - timedelta(days=10)).isoformat())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "entered_on"


def test_the_interview_leads_to_an_assessment_proposal(client, tenant):
    person_id = _person(client, tenant)
    _override(client, tenant, person_id, 3, "service_received_elsewhere")
    proposal = _case(client, tenant, person_id).json()["proposal"]
    assert (proposal["next_module"], proposal["rule_id"]) == (4, "assessment_after_interview")
    assert proposal["client_text"]["zh-CN"] and "模块" not in proposal["client_text"]["zh-CN"]


def test_a_month_after_the_interview_on_the_job_training_is_proposed(client, tenant):
    person_id = _person(client, tenant)
    _override(client, tenant, person_id, 3, "service_received_elsewhere",
              entered_on=(TODAY - timedelta(days=31)).isoformat())
    _override(client, tenant, person_id, 4, entered_on=(TODAY - timedelta(days=29)).isoformat())
    body = _case(client, tenant, person_id).json()
    assert body["current"]["module"] == 4 and body["facts"]["days_since_interview"] == 31
    assert (body["proposal"]["next_module"], body["proposal"]["rule_id"]) == (6, "on_the_job_after_interview")


def test_withdrawing_a_step_keeps_it_on_record_and_restores_the_module_before(client, tenant):
    person_id = _person(client, tenant)
    _decide(client, tenant, person_id, action="accept")
    step_id = _override(client, tenant, person_id, 3).json()["history"][-1]["id"]
    response = client.post(f"/v1/persons/{person_id}/pathway/steps/{step_id}/corrections",
                           json={"reason": "记错了人"}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["current"]["module"] == 1
    withdrawn = [s for s in body["history"] if s["id"] == step_id][0]
    assert withdrawn["effective"] is False
    assert body["history"][-1]["retracted"] is True and body["history"][-1]["corrects_id"] == step_id


def test_a_step_cannot_be_withdrawn_twice(client, tenant):
    person_id = _person(client, tenant)
    step_id = _decide(client, tenant, person_id, action="accept").json()["history"][0]["id"]
    url = f"/v1/persons/{person_id}/pathway/steps/{step_id}/corrections"
    assert client.post(url, json={"reason": "记错了"}, headers=tenant.headers()).status_code == 201
    assert client.post(url, json={"reason": "记错了"}, headers=tenant.headers()).status_code == 409


def test_reading_the_case_file_is_audit_logged(client, app, tenant):
    person_id = _person(client, tenant)
    _case(client, tenant, person_id)
    with app.state.sessionmaker() as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.resource == "pathway",
                                                      AuditLog.resource_id == person_id)).all()
    assert [(r.action, r.detail["proposal"]) for r in rows] == [("read", "start")]


def test_another_organisations_person_is_not_found(client, tenant, make_tenant):
    person_id = _person(client, tenant)
    other = make_tenant("另一个中心")
    assert _case(client, other, person_id).status_code == 404
    assert _decide(client, other, person_id, action="accept").status_code == 404


def test_an_analyst_reads_the_case_file_but_may_not_decide(client, app, tenant):
    person_id = _person(client, tenant)
    assert _case(client, tenant, person_id, Role.analyst).status_code == 200
    assert _decide(client, tenant, person_id, Role.analyst, action="accept").status_code == 403
    assert _steps(app, person_id) == 0


def test_erasing_the_person_removes_the_steps(client, app, tenant):
    person_id = _person(client, tenant)
    _decide(client, tenant, person_id, action="accept")
    assert client.delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    assert _steps(app, person_id) == 0
    assert _case(client, tenant, person_id).status_code == 410


def test_the_reports_suggested_next_module_comes_from_the_pathway_rules(client, app, tenant):
    from api.services.pathway_rules import load_rule_set
    from tests.api.test_reports import store_result

    result_id = store_result(app.state.sessionmaker, tenant.organisation_id)
    advice = client.get(f"/v1/results/{result_id}/report", headers=tenant.headers()).json()["job_direction"]["next_module"]
    rules = load_rule_set(None)
    after_assessment = {rule.client_text["zh-CN"]: rule.next_module for rule in rules.rules
                        if rule.id.startswith("after_assessment_")}
    assert after_assessment[advice["reason"]] == advice["module"]


def _vacancy(client, tenant) -> str:
    response = client.post("/v1/vacancies", json={"employer": "某物流公司", "title": "仓库管理员",
                                                  "occupation_code": "4-02-06-02", "district": "朝阳区"},
                           headers=tenant.headers(Role.admin))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _referral(app, tenant, person_id, vacancy_id, referred_on, outcome: str | None = None, **fields) -> str:
    """A referral and its outcome inserted directly (the referral and outcome API is P1's, tested there)."""
    from api.security import new_id
    from models.tables_referrals import OutcomeEvent, Referral

    key = tenant.key_ids[Role.counsellor]
    with app.state.sessionmaker() as session, session.begin():
        referral = Referral(id=new_id("ref"), organisation_id=tenant.organisation_id, person_id=person_id,
                            vacancy_id=vacancy_id, source="counsellor", referred_on=referred_on, recorded_by=key)
        session.add(referral)
        session.flush()
        if outcome is not None:
            session.add(OutcomeEvent(id=new_id("out"), organisation_id=tenant.organisation_id, person_id=person_id,
                                     referral_id=referral.id, vacancy_id=vacancy_id, kind=outcome,
                                     occurred_on=referred_on + timedelta(days=2), recorded_by=key, **fields))
    return referral.id


def test_three_failed_applications_in_basic_service_propose_coaching(client, app, tenant):
    person_id, vacancy_id = _person(client, tenant), _vacancy(client, tenant)
    _decide(client, tenant, person_id, action="accept", entered_on=(TODAY - timedelta(days=20)).isoformat())
    _referral(app, tenant, person_id, vacancy_id, TODAY - timedelta(days=25), "rejected", rejected_by="employer")
    for days in (15, 10, 5):
        _referral(app, tenant, person_id, vacancy_id, TODAY - timedelta(days=days), "rejected", rejected_by="employer")
    body = _case(client, tenant, person_id).json()
    assert (body["facts"]["failed_applications"], body["facts"]["failed_applications_in_module"]) == (4, 3)
    assert (body["proposal"]["next_module"], body["proposal"]["rule_id"]) == (2, "coaching_after_failed_applications")


def test_a_hire_after_coaching_proposes_monthly_follow_up(client, app, tenant):
    person_id, vacancy_id = _person(client, tenant), _vacancy(client, tenant)
    _override(client, tenant, person_id, 2, "especially_hard_case", entered_on=(TODAY - timedelta(days=30)).isoformat())
    _referral(app, tenant, person_id, vacancy_id, TODAY - timedelta(days=6), "hired",
              start_date=TODAY - timedelta(days=2), contract_type="fixed_term", placement_route="referral")
    body = _case(client, tenant, person_id).json()
    assert body["facts"]["employed"] is True and body["facts"]["placed_via_pathway"] is True
    assert (body["proposal"]["next_module"], body["proposal"]["rule_id"]) == (7, "follow_up_after_placement")
