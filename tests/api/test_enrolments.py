"""Training enrolments, internships and directed-training places through the API (both back ends):
enrolment, events, the certificate entering the person's record, append-only corrections, tenancy,
roles, bad input and erasure."""
import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from models.enums import Role
from models.tables import AuditLog
from models.tables_training import Enrolment, EnrolmentEvent, EntrepreneurshipStep

PROGRAMME = {"provider": "朝阳区职业技能培训学校", "title": "叉车司机培训", "target_occupation_codes": ["4-02-05-01"],
             "duration_weeks": 4, "district": "朝阳区", "capacity": 20, "certificates_awarded": ["叉车司机证"]}
INTERNSHIP = {"employer": "某物流公司", "title": "仓库管理见习", "occupation_code": "4-02-06-02", "district": "朝阳区",
              "internship": True}
CERTIFICATE = "叉车司机证"
START = (date.today() - timedelta(days=40)).isoformat()
DONE = (date.today() - timedelta(days=5)).isoformat()


def _person(client, tenant, **fields) -> str:
    response = client.post("/v1/persons", json={"external_id": uuid.uuid4().hex[:12], "certificates": ["电工证"],
                                                **fields}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _programme(client, tenant) -> str:
    return client.post("/v1/programmes", json=PROGRAMME, headers=tenant.headers(Role.admin)).json()["id"]


def _vacancy(client, tenant, **fields) -> str:
    response = client.post("/v1/vacancies", json={**INTERNSHIP, **fields}, headers=tenant.headers(Role.admin))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _enrol(client, tenant, person_id, programme_id, **fields):
    return client.post("/v1/enrolments", json={"person_id": person_id, "kind": "training",
                                               "programme_id": programme_id, "started_on": START, **fields},
                       headers=tenant.headers())


def _training(client, tenant) -> tuple[str, str]:
    person_id = _person(client, tenant)
    enrolment = _enrol(client, tenant, person_id, _programme(client, tenant))
    assert enrolment.status_code == 201, enrolment.text
    return person_id, enrolment.json()["id"]


def _event(client, tenant, enrolment_id, kind, **fields):
    return client.post(f"/v1/enrolments/{enrolment_id}/events",
                       json={"kind": kind, "occurred_on": DONE, **fields}, headers=tenant.headers())


def _certificates(client, tenant, person_id) -> list[str]:
    return client.get(f"/v1/persons/{person_id}", headers=tenant.headers()).json()["certificates"]


def test_enrolment_starts_under_way_with_the_programme_named(client, tenant):
    _, enrolment_id = _training(client, tenant)
    body = client.get(f"/v1/enrolments/{enrolment_id}", headers=tenant.headers()).json()
    assert (body["status"], body["programme_title"], body["events"]) == ("enrolled", "叉车司机培训", [])


def test_completion_marks_the_enrolment_completed(client, tenant):
    _, enrolment_id = _training(client, tenant)
    response = _event(client, tenant, enrolment_id, "completed")
    assert response.status_code == 201
    assert response.json()["status"] == "completed"


def test_certificate_awarded_enters_the_persons_record_and_the_audit_log(client, app, tenant):
    person_id, enrolment_id = _training(client, tenant)
    response = _event(client, tenant, enrolment_id, "certificate_awarded", certificate=CERTIFICATE)
    assert response.json()["certificates"] == [CERTIFICATE]
    assert _certificates(client, tenant, person_id) == ["电工证", CERTIFICATE]
    with app.state.sessionmaker() as session:
        audited = session.scalars(select(AuditLog).where(AuditLog.resource_id == person_id,
                                                         AuditLog.action == "certificate_added")).all()
    assert [a.detail["certificate"] for a in audited] == [CERTIFICATE]


def test_withdrawing_the_award_takes_the_certificate_off_again_and_keeps_the_original(client, app, tenant):
    person_id, enrolment_id = _training(client, tenant)
    event_id = _event(client, tenant, enrolment_id, "certificate_awarded",
                      certificate=CERTIFICATE).json()["events"][0]["id"]
    response = client.post(f"/v1/enrolments/{enrolment_id}/events/{event_id}/corrections",
                           json={"reason": "录错了人", "retract": True}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    assert response.json()["certificates"] == []
    assert _certificates(client, tenant, person_id) == ["电工证"]
    history = client.get(f"/v1/enrolments/{enrolment_id}/events", headers=tenant.headers()).json()
    assert [(e["id"] == event_id, e["effective"], e["retracted"]) for e in history] == [(True, False, False),
                                                                                         (False, False, True)]


def test_withdrawing_an_award_of_a_certificate_held_before_keeps_it(client, tenant):
    person_id, enrolment_id = _training(client, tenant)
    event_id = _event(client, tenant, enrolment_id, "certificate_awarded",
                      certificate="电工证").json()["events"][0]["id"]
    client.post(f"/v1/enrolments/{enrolment_id}/events/{event_id}/corrections",
                json={"reason": "证书早已取得", "retract": True}, headers=tenant.headers())
    assert _certificates(client, tenant, person_id) == ["电工证"]


def test_correcting_the_certificate_name_swaps_it_on_the_record(client, tenant):
    person_id, enrolment_id = _training(client, tenant)
    event_id = _event(client, tenant, enrolment_id, "certificate_awarded",
                      certificate="叉车证").json()["events"][0]["id"]
    corrected = client.post(f"/v1/enrolments/{enrolment_id}/events/{event_id}/corrections",
                            json={"reason": "证书名称写错", "replacement": {"kind": "certificate_awarded",
                                                                      "occurred_on": DONE,
                                                                      "certificate": CERTIFICATE}},
                            headers=tenant.headers())
    assert corrected.status_code == 201
    assert _certificates(client, tenant, person_id) == ["电工证", CERTIFICATE]


def test_an_event_cannot_be_corrected_twice(client, tenant):
    _, enrolment_id = _training(client, tenant)
    event_id = _event(client, tenant, enrolment_id, "completed").json()["events"][0]["id"]
    body = {"reason": "日期写错", "replacement": {"kind": "completed", "occurred_on": START}}
    assert client.post(f"/v1/enrolments/{enrolment_id}/events/{event_id}/corrections", json=body,
                       headers=tenant.headers()).status_code == 201
    again = client.post(f"/v1/enrolments/{enrolment_id}/events/{event_id}/corrections", json=body,
                        headers=tenant.headers())
    assert again.status_code == 409
    assert "already corrected" in again.json()["detail"]


def test_correcting_the_start_date_keeps_the_events(client, tenant):
    _, enrolment_id = _training(client, tenant)
    _event(client, tenant, enrolment_id, "completed")
    original = client.get(f"/v1/enrolments/{enrolment_id}", headers=tenant.headers()).json()
    earlier = (date.today() - timedelta(days=50)).isoformat()
    replacement = {k: original[k] for k in ("kind", "programme_id")} | {"started_on": earlier}
    response = client.post(f"/v1/enrolments/{enrolment_id}/corrections",
                           json={"reason": "开班日期录错", "replacement": replacement}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["corrects_id"], body["started_on"], body["status"]) == (enrolment_id, earlier, "completed")
    assert client.get(f"/v1/enrolments/{enrolment_id}", headers=tenant.headers()).json()["effective"] is False
    listed = client.get("/v1/enrolments", params={"person_id": original["person_id"]},
                        headers=tenant.headers()).json()
    assert [e["id"] for e in listed["items"]] == [body["id"]]


def test_an_enrolment_with_events_cannot_be_withdrawn_until_they_are(client, tenant):
    _, enrolment_id = _training(client, tenant)
    _event(client, tenant, enrolment_id, "completed")
    response = client.post(f"/v1/enrolments/{enrolment_id}/corrections", json={"reason": "录错", "retract": True},
                           headers=tenant.headers())
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "retract"


def test_internship_place_must_be_a_vacancy_flagged_internship(client, tenant):
    person_id = _person(client, tenant)
    ordinary = _vacancy(client, tenant, internship=False)
    response = client.post("/v1/enrolments", json={"person_id": person_id, "kind": "internship",
                                                   "vacancy_id": ordinary, "started_on": START},
                           headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "vacancy_id"


def test_internship_converted_to_hire(client, tenant):
    person_id = _person(client, tenant)
    enrolment = client.post("/v1/enrolments", json={"person_id": person_id, "kind": "internship",
                                                    "vacancy_id": _vacancy(client, tenant), "started_on": START},
                            headers=tenant.headers()).json()
    assert enrolment["vacancy_title"] == "某物流公司 · 仓库管理见习"
    response = _event(client, tenant, enrolment["id"], "converted_to_hire")
    assert response.json()["status"] == "converted_to_hire"


def test_an_event_the_kind_does_not_have_is_refused_naming_the_kind(client, tenant):
    _, enrolment_id = _training(client, tenant)
    response = _event(client, tenant, enrolment_id, "converted_to_hire")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


def test_an_event_in_the_future_is_refused(client, tenant):
    _, enrolment_id = _training(client, tenant)
    response = _event(client, tenant, enrolment_id, "completed",
                      occurred_on=(date.today() + timedelta(days=3)).isoformat())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "occurred_on"


def test_dropping_out_after_completing_is_a_conflict(client, tenant):
    _, enrolment_id = _training(client, tenant)
    _event(client, tenant, enrolment_id, "completed")
    assert _event(client, tenant, enrolment_id, "dropped_out").status_code == 409


def test_training_without_a_programme_names_programme_id(client, tenant):
    response = client.post("/v1/enrolments", json={"person_id": _person(client, tenant), "kind": "training",
                                                   "started_on": START}, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "programme_id"


def test_a_certificate_on_a_completion_is_refused(client, tenant):
    _, enrolment_id = _training(client, tenant)
    response = _event(client, tenant, enrolment_id, "completed", certificate=CERTIFICATE)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "certificate"


def test_the_same_enrolment_twice_is_a_conflict(client, tenant):
    person_id = _person(client, tenant)
    programme_id = _programme(client, tenant)
    assert _enrol(client, tenant, person_id, programme_id).status_code == 201
    assert _enrol(client, tenant, person_id, programme_id).status_code == 409


def test_a_failed_request_writes_nothing(client, app, tenant):
    _, enrolment_id = _training(client, tenant)
    with app.state.sessionmaker() as session:
        before = session.scalar(select(func.count()).select_from(EnrolmentEvent))
    assert _event(client, tenant, enrolment_id, "certificate_awarded").status_code == 422
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(EnrolmentEvent)) == before


def test_another_organisations_enrolment_is_not_found(client, tenant, make_tenant):
    _, enrolment_id = _training(client, tenant)
    other = make_tenant("另一个中心")
    assert client.get(f"/v1/enrolments/{enrolment_id}", headers=other.headers()).status_code == 404
    assert _event(client, other, enrolment_id, "completed").status_code == 404
    assert client.get("/v1/enrolments", headers=other.headers()).json()["total"] == 0


def test_enrolling_another_organisations_person_names_person_id(client, tenant, make_tenant):
    other = make_tenant("另一个中心")
    response = _enrol(client, other, _person(client, tenant), _programme(client, other))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_id"


def test_analyst_reads_but_may_not_record(client, tenant):
    _, enrolment_id = _training(client, tenant)
    assert client.get(f"/v1/enrolments/{enrolment_id}", headers=tenant.headers(Role.analyst)).status_code == 200
    denied = client.post(f"/v1/enrolments/{enrolment_id}/events", json={"kind": "completed", "occurred_on": DONE},
                         headers=tenant.headers(Role.analyst))
    assert denied.status_code == 403


def test_erasing_the_person_removes_enrolments_events_and_entrepreneurship_steps(client, app, tenant):
    person_id, enrolment_id = _training(client, tenant)
    _event(client, tenant, enrolment_id, "completed")
    _step(client, tenant, person_id, "startup_support_referral")
    assert client.delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    with app.state.sessionmaker() as session:
        left = [session.scalar(select(func.count()).select_from(model).where(model.person_id == person_id))
                for model in (Enrolment, EnrolmentEvent, EntrepreneurshipStep)]
    assert left == [0, 0, 0]
    assert client.get(f"/v1/enrolments/{enrolment_id}", headers=tenant.headers()).status_code == 404


def _step(client, tenant, person_id, step, **fields):
    return client.post(f"/v1/persons/{person_id}/entrepreneurship", json={"step": step, "occurred_on": DONE, **fields},
                       headers=tenant.headers())


def test_entrepreneurship_training_passed_shows_on_the_track(client, tenant):
    person_id = _person(client, tenant)
    enrolment = _enrol(client, tenant, person_id, _programme(client, tenant), kind="entrepreneurship_training").json()
    assert _event(client, tenant, enrolment["id"], "passed").json()["result"] == "passed"
    track = client.get(f"/v1/persons/{person_id}/entrepreneurship", headers=tenant.headers()).json()
    assert (track["training_passed"], [t["id"] for t in track["trainings"]]) == (True, [enrolment["id"]])


def test_passed_and_failed_on_one_course_is_a_conflict(client, tenant):
    person_id = _person(client, tenant)
    enrolment = _enrol(client, tenant, person_id, _programme(client, tenant), kind="entrepreneurship_training").json()
    _event(client, tenant, enrolment["id"], "failed")
    assert _event(client, tenant, enrolment["id"], "passed").status_code == 409


def test_loan_application_then_approval_reads_approved(client, tenant):
    person_id = _person(client, tenant)
    assert _step(client, tenant, person_id, "startup_support_referral").status_code == 201
    _step(client, tenant, person_id, "microcredit_application", occurred_on=START)
    track = _step(client, tenant, person_id, "microcredit_approved").json()
    assert track["microcredit"] == "approved"
    assert [s["step"] for s in track["steps"]] == ["microcredit_application", "startup_support_referral",
                                                   "microcredit_approved"]


def test_a_loan_decision_without_an_application_is_a_conflict(client, tenant):
    response = _step(client, tenant, _person(client, tenant), "microcredit_declined")
    assert response.status_code == 409
    assert "microcredit_application" in response.json()["detail"]


def test_withdrawing_an_application_a_decision_rests_on_is_refused(client, tenant):
    person_id = _person(client, tenant)
    application = _step(client, tenant, person_id, "microcredit_application", occurred_on=START).json()["steps"][0]
    _step(client, tenant, person_id, "microcredit_approved")
    response = client.post(f"/v1/persons/{person_id}/entrepreneurship/{application['id']}/corrections",
                           json={"reason": "录错", "retract": True}, headers=tenant.headers())
    assert response.status_code == 409


def test_correcting_a_step_replaces_it_on_the_track(client, tenant):
    person_id = _person(client, tenant)
    step = _step(client, tenant, person_id, "business_registered").json()["steps"][0]
    response = client.post(f"/v1/persons/{person_id}/entrepreneurship/{step['id']}/corrections",
                           json={"reason": "其实是转介创业扶持", "replacement": {"step": "startup_support_referral",
                                                                       "occurred_on": DONE}},
                           headers=tenant.headers())
    assert response.status_code == 201
    track = response.json()
    assert ([s["step"] for s in track["steps"]], track["business_registered"]) == (["startup_support_referral"], False)
    assert track["steps"][0]["corrects_id"] == step["id"]


def test_a_step_in_the_future_names_occurred_on(client, tenant):
    response = _step(client, tenant, _person(client, tenant), "business_registered",
                     occurred_on=(date.today() + timedelta(days=2)).isoformat())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "occurred_on"


def test_another_organisations_track_is_not_found(client, tenant, make_tenant):
    person_id = _person(client, tenant)
    other = make_tenant("另一个中心")
    assert client.get(f"/v1/persons/{person_id}/entrepreneurship", headers=other.headers()).status_code == 404
    assert _step(client, other, person_id, "business_registered").status_code == 404


def test_the_case_file_training_part_shows_enrolments_and_the_entrepreneurship_track(client, app, tenant):
    from api.pages.training import training_part
    from api.pages.web import TEMPLATES

    person_id, enrolment_id = _training(client, tenant)
    _event(client, tenant, enrolment_id, "certificate_awarded", certificate=CERTIFICATE)
    _step(client, tenant, person_id, "startup_support_referral")
    with app.state.sessionmaker() as session:
        html = TEMPLATES.get_template("c_training_part.html").render(
            **training_part(session, tenant.organisation_id, person_id, "zh-CN"))
    assert all(text in html for text in ("技能培训", "叉车司机培训", CERTIFICATE, "转介创业扶持服务"))
    with app.state.sessionmaker() as session:
        english = TEMPLATES.get_template("c_training_part.html").render(
            **training_part(session, tenant.organisation_id, person_id, "en"))
    assert "Skills training" in english and "Referred to start-up support" in english


def test_the_training_page_enrols_and_records_a_certificate(client, app, tenant):
    from tests.api.test_pages_counsellor import csrf_of, signed_in

    person_id = _person(client, tenant)
    programme_id = _programme(client, tenant)
    page = signed_in(app, tenant)
    token = csrf_of(page.get(f"/c/people/{person_id}/training").text)
    enrolled = page.post(f"/c/people/{person_id}/training/enrol", data={
        "csrf": token, "kind": "training", "programme_id": programme_id, "started_on": START}, follow_redirects=False)
    assert enrolled.status_code == 303, enrolled.text
    [enrolment] = client.get("/v1/enrolments", params={"person_id": person_id}, headers=tenant.headers()).json()["items"]
    recorded = page.post(f"/c/people/{person_id}/training/events", data={
        "csrf": token, "enrolment_id": enrolment["id"], "kind": "certificate_awarded", "occurred_on": DONE,
        "certificate": CERTIFICATE}, follow_redirects=False)
    assert recorded.status_code == 303, recorded.text
    assert CERTIFICATE in _certificates(client, tenant, person_id)
    assert CERTIFICATE in page.get(f"/c/people/{person_id}/training").text


def test_the_training_page_explains_a_refusal_in_plain_words(client, app, tenant):
    from tests.api.test_pages_counsellor import csrf_of, signed_in

    person_id = _person(client, tenant)
    page = signed_in(app, tenant)
    token = csrf_of(page.get(f"/c/people/{person_id}/training").text)
    response = page.post(f"/c/people/{person_id}/training/enrol",
                         data={"csrf": token, "kind": "training", "started_on": START})
    assert response.status_code == 422
    assert "技能培训和创业培训要选一个培训项目" in response.text
    assert client.get("/v1/enrolments", params={"person_id": person_id}, headers=tenant.headers()).json()["total"] == 0


def test_the_training_page_of_another_organisations_person_is_not_found(client, app, tenant, make_tenant):
    from tests.api.test_pages_counsellor import signed_in

    person_id = _person(client, tenant)
    assert signed_in(app, make_tenant("另一个中心")).get(f"/c/people/{person_id}/training").status_code == 404
