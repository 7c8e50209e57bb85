"""End to end through the HTTP API, on SQLite and PostgreSQL (issue 16, "done when"): (a) a person walks
from registration through assessment, a referral and a hire to three monthly follow-ups and stable work,
and the centre figures count them; (b) a second person gets there through training (enrolment,
certificate, referral, hire). Every call is one a counsellor's case system would make; dates are set in
the past so that three months of work have really passed by today."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from matching.pathway.households import add_months
from tests.api.test_assessments import _finish
from tests.api.test_vacancies import PROGRAMME

VACANCY = {"employer": "朝阳区某物业服务有限公司", "title": "小区保洁员", "occupation_code": "4-09-08-01", "openings": 3,
           "district": "朝阳区", "hours_per_week": 40, "pay_min": 3800, "pay_max": 4300}
CERTIFICATE = "养老护理员（五级）职业技能等级证书"


def _today(app) -> date:
    return datetime.now(ZoneInfo(app.state.settings.timezone)).date()


def _ok(response, status: int = 201) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def _register(client, tenant, external_id: str, **fields) -> str:
    body = {"external_id": external_id, "birth_year": 1978, "gender": "female", "education": "junior_secondary",
            "district": "朝阳区", **fields}
    return _ok(client.post("/v1/persons", json=body, headers=tenant.headers()))["id"]


def _enter(client, tenant, person_id: str, module: int, on: date) -> dict:
    """Move the person to ``module`` on ``on``: accept the engine's proposal when it is that module, else
    override it (the counsellor's judgement, with a note)."""
    case = _ok(client.get(f"/v1/persons/{person_id}/pathway", headers=tenant.headers()), 200)
    proposal = case["proposal"]
    if proposal.get("next_module") == module and proposal.get("moves", True):
        body = {"action": "accept", "rule_id": proposal["rule_id"], "entered_on": on.isoformat()}
    else:
        body = {"action": "override", "module": module, "reason_code": "counsellor_judgement",
                "note": "测试：按计划进入该模块", "entered_on": on.isoformat()}
    _ok(client.post(f"/v1/persons/{person_id}/pathway/decisions", json=body, headers=tenant.headers()))
    return _ok(client.get(f"/v1/persons/{person_id}/pathway", headers=tenant.headers()), 200)


def _hire(client, tenant, person_id: str, vacancy_id: str, referred_on: date, start: date) -> str:
    referral = _ok(client.post("/v1/referrals", json={
        "person_id": person_id, "vacancy_id": vacancy_id, "source": "counsellor",
        "referred_on": referred_on.isoformat()}, headers=tenant.headers()))
    _ok(client.post("/v1/outcomes", json={
        "person_id": person_id, "referral_id": referral["id"], "kind": "interview",
        "occurred_on": (referred_on + timedelta(days=5)).isoformat()}, headers=tenant.headers()))
    hired = _ok(client.post("/v1/outcomes", json={
        "person_id": person_id, "referral_id": referral["id"], "vacancy_id": vacancy_id, "kind": "hired",
        "occurred_on": (start - timedelta(days=3)).isoformat(), "start_date": start.isoformat(),
        "contract_type": "fixed_term", "monthly_pay": 4000, "weekly_hours": 40, "placement_route": "referral"},
        headers=tenant.headers()))
    return hired["id"]


def _follow_up(client, tenant, person_id: str, placement_id: str, on: date) -> None:
    _ok(client.post("/v1/followups", json={
        "person_id": person_id, "placement_id": placement_id, "contacted_on": on.isoformat(), "channel": "phone",
        "status": "still_employed"}, headers=tenant.headers()))


def _kpis(client, tenant, start: date, end: date) -> dict:
    return _ok(client.get("/v1/kpis", params={"from": start.isoformat(), "to": end.isoformat()},
                          headers=tenant.headers()), 200)


def test_registration_assessment_referral_hire_and_three_follow_ups_end_in_stable_work(client, app, tenant):
    today = _today(app)
    start = today - timedelta(days=100)  # three monthly follow-ups (and their week of grace) are behind us
    registered = start - timedelta(days=60)
    person_id = _register(client, tenant, "E2E-A")
    _enter(client, tenant, person_id, 1, registered)

    started = _ok(client.post("/v1/assessments", json={"person_id": person_id, "battery": "short"},
                              headers=tenant.headers()))
    assert _finish(client, started["token"])["status"] == "completed"
    results = _ok(client.get(f"/v1/persons/{person_id}/results", headers=tenant.headers()), 200)
    assert len(results["items"] if isinstance(results, dict) else results) == 1
    _enter(client, tenant, person_id, 4, registered + timedelta(days=20))

    vacancy_id = _ok(client.post("/v1/vacancies", json=VACANCY, headers=tenant.headers()))["id"]
    placement_id = _hire(client, tenant, person_id, vacancy_id, registered + timedelta(days=30), start)
    for month in (1, 2, 3):
        _follow_up(client, tenant, person_id, placement_id, add_months(start, month))

    [placement] = _ok(client.get(f"/v1/persons/{person_id}/placements", headers=tenant.headers()), 200)
    assert placement["start_date"] == start.isoformat() and placement["ended_on"] is None
    assert placement["stable"] is True
    assert placement["retained"]["1"] is True and placement["retained"]["3"] is True
    assert _ok(client.get(f"/v1/persons/{person_id}/pathway", headers=tenant.headers()), 200)["complete"] is True

    figures = _kpis(client, tenant, registered, today)
    overall = figures["overall"]
    assert (overall["served"], overall["placed"], overall["stable"]) == (1, 1, 1)
    assert overall["median_days_to_stable"] == (start - registered).days
    assert overall["median_modules_to_stable"] == 2  # modules 1 and 4
    assert (overall["followups_due"], overall["followups_on_time"]) == (3, 3)
    assert overall["in_work_at_end"] == 1 and overall["reemployment_rate"] == 1.0
    [counsellor] = figures["by_counsellor"]
    assert counsellor["label"] == "test counsellor" and counsellor["figures"]["stable"] == 1


def test_training_certificate_referral_and_hire_count_as_placed_after_training(client, app, tenant):
    today = _today(app)
    course_start = today - timedelta(days=150)
    person_id = _register(client, tenant, "E2E-B", gender="male", birth_year=1992)
    _enter(client, tenant, person_id, 1, course_start - timedelta(days=30))
    _enter(client, tenant, person_id, 5, course_start - timedelta(days=5))

    programme = _ok(client.post("/v1/programmes", json={**PROGRAMME, "certificates_awarded": [CERTIFICATE]},
                                headers=tenant.headers()))
    enrolment = _ok(client.post("/v1/enrolments", json={
        "person_id": person_id, "kind": "training", "programme_id": programme["id"],
        "started_on": course_start.isoformat()}, headers=tenant.headers()))
    finished = course_start + timedelta(days=42)
    for kind, extra in (("completed", {}), ("certificate_awarded", {"certificate": CERTIFICATE})):
        _ok(client.post(f"/v1/enrolments/{enrolment['id']}/events", json={
            "kind": kind, "occurred_on": finished.isoformat(), **extra}, headers=tenant.headers()))
    person = _ok(client.get(f"/v1/persons/{person_id}", headers=tenant.headers()), 200)
    assert CERTIFICATE in person["certificates"]

    vacancy_id = _ok(client.post("/v1/vacancies", json=VACANCY, headers=tenant.headers()))["id"]
    start = finished + timedelta(days=14)
    placement_id = _hire(client, tenant, person_id, vacancy_id, finished + timedelta(days=2), start)
    for month in (1, 2, 3):
        _follow_up(client, tenant, person_id, placement_id, add_months(start, month))

    [placement] = _ok(client.get(f"/v1/persons/{person_id}/placements", headers=tenant.headers()), 200)
    assert placement["stable"] is True
    overall = _kpis(client, tenant, course_start - timedelta(days=30), today)["overall"]
    assert (overall["finished_training"], overall["placed_after_training"]) == (1, 1)
    assert overall["placement_rate_after_training"] == 1.0
    assert (overall["placed"], overall["stable"]) == (1, 1)
