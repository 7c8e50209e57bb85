"""Who may call what, driven by the app's own OpenAPI document: every operation has an entry here (a new
route without one fails), each role gets 403 exactly where the table says, and a key of another
organisation never reaches this organisation's records (404, as if they did not exist)."""
import secrets
from dataclasses import dataclass

import pytest

from api.db import make_sessionmaker
from api.security import new_id
from models.enums import Role
from models.tables import BatchJob
from tests.api.test_reports import store_result
from tests.api.test_vacancies import PROGRAMME

PLATFORM = frozenset({Role.platform_admin})
ADMINS = frozenset({Role.admin, Role.platform_admin})
ANY = frozenset(Role)
READERS = frozenset({Role.admin, Role.counsellor, Role.case_system, Role.analyst})
WRITERS = frozenset({Role.admin, Role.counsellor, Role.case_system})
ANALYSTS = frozenset({Role.admin, Role.analyst})
KPI_READERS = frozenset({Role.admin, Role.counsellor, Role.analyst})
CORRECTION = {"reason": "test", "retract": True}
VACANCY = {"employer": "某超市", "title": "收银员", "occupation_code": "4-01-02-04", "openings": 2, "district": "朝阳区"}


@dataclass(frozen=True)
class Rule:
    """``roles`` may call the operation (None: no API key involved, e.g. health or a test link);
    ``other`` is what an allowed key of another organisation gets for this organisation's ids (None: the
    operation names no record of one organisation); ``body`` a valid body for that call."""

    roles: frozenset[Role] | None
    other: int | None = None
    body: dict | None = None


ROUTES: dict[tuple[str, str], Rule] = {
    ("GET", "/health"): Rule(None),
    ("GET", "/ready"): Rule(None),
    ("GET", "/v1/organisations"): Rule(ANY),
    ("POST", "/v1/organisations"): Rule(PLATFORM),
    ("GET", "/v1/organisations/{organisation_id}"): Rule(ANY, 404),
    # A foreign organisation in the body is answered exactly like a missing one (422 naming the field).
    ("POST", "/v1/keys"): Rule(ADMINS, 422, {"organisation_id": "{organisation_id}", "role": "counsellor"}),
    ("GET", "/v1/keys"): Rule(ADMINS),
    ("DELETE", "/v1/keys/{key_id}"): Rule(ADMINS, 404),
    ("GET", "/v1/audit"): Rule(ADMINS),
    ("POST", "/v1/persons"): Rule(WRITERS),
    ("POST", "/v1/persons/import"): Rule(WRITERS),
    ("GET", "/v1/persons"): Rule(READERS),
    ("PUT", "/v1/persons/by-external-id/{external_id}"): Rule(WRITERS),  # ids are per organisation
    ("GET", "/v1/persons/{person_id}"): Rule(READERS, 404),
    ("PATCH", "/v1/persons/{person_id}"): Rule(WRITERS, 404, {"district": "海淀区"}),
    ("DELETE", "/v1/persons/{person_id}"): Rule(WRITERS, 404),
    ("GET", "/v1/instruments"): Rule(ANY),
    ("GET", "/v1/instruments/{instrument_id}"): Rule(ANY),
    ("GET", "/v1/batteries"): Rule(ANY),
    ("POST", "/v1/vacancies"): Rule(WRITERS),
    ("GET", "/v1/vacancies"): Rule(READERS),
    ("POST", "/v1/vacancies/import"): Rule(WRITERS),
    ("GET", "/v1/vacancies/{item_id}"): Rule(READERS, 404),
    ("PUT", "/v1/vacancies/{item_id}"): Rule(WRITERS, 404, VACANCY),
    ("DELETE", "/v1/vacancies/{item_id}"): Rule(WRITERS, 404),
    ("GET", "/v1/vacancies/coding/pending"): Rule(READERS),
    ("POST", "/v1/vacancies/{item_id}/occupation-choice"): Rule(WRITERS, 404, {"occupation_code": "4-01-02-04"}),
    ("POST", "/v1/programmes"): Rule(WRITERS),
    ("GET", "/v1/programmes"): Rule(READERS),
    ("POST", "/v1/programmes/import"): Rule(WRITERS),
    ("GET", "/v1/programmes/{item_id}"): Rule(READERS, 404),
    ("PUT", "/v1/programmes/{item_id}"): Rule(WRITERS, 404, PROGRAMME),
    ("DELETE", "/v1/programmes/{item_id}"): Rule(WRITERS, 404),
    ("POST", "/v1/assessments"): Rule(WRITERS, 404, {"person_id": "{person_id}", "battery": "short"}),
    ("GET", "/v1/assessments/{assessment_id}"): Rule(READERS, 404),
    ("GET", "/v1/persons/{person_id}/assessments"): Rule(READERS, 404),
    ("POST", "/v1/assessments/{assessment_id}/paper"): Rule(WRITERS, 404, {
        "instrument_id": "aptitude-v", "instrument_version": "x", "responses": {"V1": "A"}}),
    ("POST", "/v1/assessments/{assessment_id}/complete"): Rule(WRITERS, 404),
    ("GET", "/v1/take/{token}"): Rule(None),
    ("POST", "/v1/take/{token}/start"): Rule(None),
    ("POST", "/v1/take/{token}/answers"): Rule(None),
    ("GET", "/v1/results/{result_id}"): Rule(READERS, 404),
    ("GET", "/v1/persons/{person_id}/results"): Rule(READERS, 404),
    ("POST", "/v1/results/{result_id}/rescore"): Rule(WRITERS, 404),
    ("GET", "/v1/results/{result_id}/report"): Rule(READERS, 404),
    ("POST", "/v1/matches"): Rule(READERS, 404, {"person_id": "{person_id}"}),
    ("POST", "/v1/batch-jobs"): Rule(ANALYSTS),
    ("GET", "/v1/batch-jobs/{job_id}"): Rule(ANALYSTS, 404),
    ("GET", "/v1/batch-jobs/{job_id}/results"): Rule(ANALYSTS, 404),
    ("GET", "/v1/kpis"): Rule(KPI_READERS),
    ("GET", "/v1/kpis.xlsx"): Rule(KPI_READERS),
    # The pathway: a person or record of another organisation named in a body is a 422 naming the field.
    ("POST", "/v1/referrals"): Rule(WRITERS, 422, {"person_id": "{person_id}", "vacancy_id": "{vacancy}",
                                                 "source": "counsellor", "referred_on": "2026-01-05"}),
    ("GET", "/v1/referrals"): Rule(READERS),
    ("GET", "/v1/referrals/{referral_id}"): Rule(READERS, 404),
    ("GET", "/v1/referrals/{referral_id}/letter.pdf"): Rule(READERS, 404),
    ("POST", "/v1/referrals/{referral_id}/corrections"): Rule(WRITERS, 404, CORRECTION),
    ("POST", "/v1/outcomes"): Rule(WRITERS, 422, {"person_id": "{person_id}", "kind": "hired",
                                                "occurred_on": "2026-01-05", "start_date": "2026-01-05",
                                                "contract_type": "none", "placement_route": "own_search"}),
    ("GET", "/v1/outcomes"): Rule(READERS),
    ("GET", "/v1/outcomes/{outcome_id}"): Rule(READERS, 404),
    ("POST", "/v1/outcomes/{outcome_id}/corrections"): Rule(WRITERS, 404, CORRECTION),
    ("POST", "/v1/followups"): Rule(WRITERS, 422, {"person_id": "{person_id}", "placement_id": "{outcome_id}",
                                                 "contacted_on": "2026-01-20", "channel": "phone",
                                                 "status": "still_employed"}),
    ("GET", "/v1/followups"): Rule(READERS),
    ("GET", "/v1/followups/due"): Rule(READERS),
    ("GET", "/v1/followups/{followup_id}"): Rule(READERS, 404),
    ("POST", "/v1/followups/{followup_id}/corrections"): Rule(WRITERS, 404, CORRECTION),
    ("GET", "/v1/persons/{person_id}/placements"): Rule(READERS, 404),
    ("POST", "/v1/enrolments"): Rule(WRITERS, 422, {"person_id": "{person_id}", "kind": "training",
                                                  "programme_id": "{programme}", "started_on": "2026-01-05"}),
    ("POST", "/v1/enrolments/{enrolment_id}/corrections"): Rule(WRITERS, 404, CORRECTION),
    ("GET", "/v1/enrolments"): Rule(READERS),
    ("GET", "/v1/enrolments/{enrolment_id}"): Rule(READERS, 404),
    ("GET", "/v1/enrolments/{enrolment_id}/events"): Rule(READERS, 404),
    ("POST", "/v1/enrolments/{enrolment_id}/events"): Rule(WRITERS, 404, {"kind": "completed",
                                                                          "occurred_on": "2026-02-05"}),
    ("POST", "/v1/enrolments/{enrolment_id}/events/{event_id}/corrections"): Rule(WRITERS, 404, CORRECTION),
    ("GET", "/v1/persons/{person_id}/entrepreneurship"): Rule(READERS, 404),
    ("POST", "/v1/persons/{person_id}/entrepreneurship"): Rule(WRITERS, 404, {
        "step": "startup_support_referral", "occurred_on": "2026-01-05"}),
    ("POST", "/v1/persons/{person_id}/entrepreneurship/{step_id}/corrections"): Rule(WRITERS, 404, CORRECTION),
    ("POST", "/v1/households"): Rule(WRITERS),
    ("GET", "/v1/households"): Rule(READERS),
    ("GET", "/v1/households/{household_id}"): Rule(READERS, 404),
    ("POST", "/v1/households/{household_id}/members"): Rule(WRITERS, 404, {"person_id": "{person_id}"}),
    ("POST", "/v1/households/{household_id}/members/{person_id}/leave"): Rule(WRITERS, 404, {}),
    ("GET", "/v1/public-welfare/candidates"): Rule(READERS),
    ("GET", "/v1/public-welfare/placements"): Rule(READERS),
    ("GET", "/v1/persons/{person_id}/pathway"): Rule(READERS, 404),
    ("POST", "/v1/persons/{person_id}/pathway/decisions"): Rule(WRITERS, 404, {"action": "accept"}),
    ("POST", "/v1/persons/{person_id}/pathway/steps/{step_id}/corrections"): Rule(WRITERS, 404,
                                                                                    {"reason": "test"}),
    ("GET", "/v1/persons/{person_id}/plan"): Rule(READERS, 404),
    ("POST", "/v1/persons/{person_id}/plan"): Rule(WRITERS, 404),
    ("PUT", "/v1/persons/{person_id}/plan"): Rule(WRITERS, 404, {"steps": [], "review_on": "2026-03-01",
                                                                "based_on_version": 1}),
    ("GET", "/v1/persons/{person_id}/plan/versions"): Rule(READERS, 404),
    ("GET", "/v1/persons/{person_id}/plan.pdf"): Rule(READERS, 404),
    ("POST", "/v1/persons/{person_id}/plan/sign"): Rule(WRITERS, 404, {"version": 1}),
}


def _operations(app) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops}


def _records(client, app, tenant) -> dict[str, str]:
    """One record of every kind in ``tenant``'s organisation, by path-parameter name."""
    person = client.post("/v1/persons", json={"external_id": f"SEC-{secrets.token_hex(3)}"},
                         headers=tenant.headers()).json()["id"]
    vacancy = client.post("/v1/vacancies", json=VACANCY, headers=tenant.headers()).json()["id"]
    programme = client.post("/v1/programmes", json=PROGRAMME, headers=tenant.headers()).json()["id"]
    started = client.post("/v1/assessments", json={"person_id": person, "battery": "short"},
                          headers=tenant.headers()).json()
    spare_key = client.post("/v1/keys", json={"role": "analyst", "label": "spare"},
                            headers=tenant.headers(Role.admin)).json()["id"]
    pathway = _pathway_records(client, tenant.headers(), person, vacancy, programme)
    sessionmaker = make_sessionmaker(app.state.engine)
    with sessionmaker() as db, db.begin():
        job = BatchJob(id=new_id("bj"), organisation_id=tenant.organisation_id, status="failed", params={},
                       progress={}, error="test")
        db.add(job)
    return {"organisation_id": tenant.organisation_id, "key_id": spare_key, "person_id": person,
            "external_id": f"EXT-{secrets.token_hex(3)}", "instrument_id": "aptitude-v", "item_id": None,
            "vacancy": vacancy, "programme": programme, "assessment_id": started["id"], "token": started["token"],
            "result_id": store_result(sessionmaker, tenant.organisation_id), "job_id": job.id, **pathway}


def _pathway_records(client, headers: dict, person: str, vacancy: str, programme: str) -> dict[str, str]:
    """A referral, a hire with a follow-up, an enrolment with an event, an entrepreneurship step, a
    household with the person in it, a pathway step and a plan draft of ``person``."""
    def post(path: str, body: dict | None = None) -> dict:
        response = client.post(path, json=body, headers=headers)
        assert response.status_code in (200, 201), (path, response.text)
        return response.json()

    referral = post("/v1/referrals", {"person_id": person, "vacancy_id": vacancy, "source": "counsellor",
                                      "referred_on": "2026-01-05"})["id"]
    outcome = post("/v1/outcomes", {"person_id": person, "kind": "hired", "occurred_on": "2026-01-05",
                                    "start_date": "2026-01-05", "contract_type": "none",
                                    "placement_route": "own_search"})["id"]
    followup = post("/v1/followups", {"person_id": person, "placement_id": outcome, "contacted_on": "2026-01-20",
                                      "channel": "phone", "status": "still_employed"})["id"]
    enrolment = post("/v1/enrolments", {"person_id": person, "kind": "training", "programme_id": programme,
                                        "started_on": "2026-01-05"})["id"]
    event = post(f"/v1/enrolments/{enrolment}/events", {"kind": "completed", "occurred_on": "2026-02-05"})["id"]
    business_step = post(f"/v1/persons/{person}/entrepreneurship",
                         {"step": "startup_support_referral", "occurred_on": "2026-01-05"})["steps"][-1]["id"]
    household = post("/v1/households", {"district": "朝阳区", "members": []})["id"]
    post(f"/v1/households/{household}/members", {"person_id": person})
    decision = post(f"/v1/persons/{person}/pathway/decisions", {"action": "accept"})
    post(f"/v1/persons/{person}/plan")
    return {"referral_id": referral, "outcome_id": outcome, "followup_id": followup, "enrolment_id": enrolment,
            "event_id": event, "household_id": household, "business_step_id": business_step,
            "pathway_step_id": decision["history"][-1]["id"]}


def _url(path: str, ids: dict[str, str]) -> str:
    values = dict(ids, item_id=ids["vacancy"] if path.startswith("/v1/vacancies") else ids["programme"],
                  step_id=ids["business_step_id"] if "/entrepreneurship/" in path else ids["pathway_step_id"])
    return path.format(**values)


def _body(rule: Rule, ids: dict[str, str]) -> dict | None:
    if rule.body is None:
        return None
    return {k: v.format(**ids) if isinstance(v, str) and v.startswith("{") else v for k, v in rule.body.items()}


def test_every_operation_in_the_openapi_document_has_a_rule(app):
    operations = _operations(app)
    assert operations - ROUTES.keys() == set(), "add the new operations to ROUTES"
    assert ROUTES.keys() - operations == set(), "remove operations that no longer exist"


@pytest.mark.parametrize("operation", sorted(k for k, r in ROUTES.items() if r.roles is not None),
                         ids=lambda op: f"{op[0]} {op[1]}")
def test_each_role_is_refused_exactly_where_the_table_says(client, app, make_tenant, operation):
    method, path = operation
    tenant = make_tenant()
    ids = _records(client, app, tenant)
    url = _url(path, ids)
    assert client.request(method, url, json={"unknown": 1}).status_code == 401
    for role in Role:
        # An invalid body: an allowed role gets past the role check (and is then refused for the body).
        status = client.request(method, url, json={"unknown": 1}, headers=tenant.headers(role)).status_code
        if role in ROUTES[operation].roles:
            assert status not in (401, 403) and status < 500, (role, status)
        else:
            assert status == 403, (role, status)


@pytest.mark.parametrize("operation", sorted(k for k, r in ROUTES.items() if r.other is not None),
                         ids=lambda op: f"{op[0]} {op[1]}")
def test_a_key_of_another_organisation_never_reaches_this_ones_records(client, app, make_tenant, operation):
    method, path = operation
    owner, other = make_tenant(), make_tenant()
    ids = _records(client, app, owner)
    rule = ROUTES[operation]
    for role in sorted(rule.roles - PLATFORM):
        response = client.request(method, _url(path, ids), json=_body(rule, ids), headers=other.headers(role))
        assert response.status_code == rule.other, (role, response.status_code, response.text)
    # The owner's records are untouched (nothing was erased, revoked or changed by the other organisation).
    assert client.get(f"/v1/persons/{ids['person_id']}", headers=owner.headers()).json()["district"] is None
    keys = client.get("/v1/keys", headers=owner.headers(Role.admin)).json()
    assert all(k["revoked_at"] is None for k in keys if k["id"] == ids["key_id"])


def test_a_platform_admin_administers_every_organisation(client, make_tenant):
    platform, centre = make_tenant(), make_tenant()
    headers = platform.headers(Role.platform_admin)
    assert client.get(f"/v1/organisations/{centre.organisation_id}", headers=headers).status_code == 200
    created = client.post("/v1/keys", json={"organisation_id": centre.organisation_id, "role": "counsellor"},
                          headers=headers)
    assert created.status_code == 201 and created.json()["organisation_id"] == centre.organisation_id
    assert client.delete(f"/v1/keys/{created.json()['id']}", headers=headers).status_code == 200
    listed = client.get("/v1/keys", params={"organisation_id": centre.organisation_id}, headers=headers).json()
    assert created.json()["id"] in {k["id"] for k in listed}
    audit = client.get("/v1/audit", params={"organisation_id": centre.organisation_id}, headers=headers).json()
    assert {e["action"] for e in audit["items"]} >= {"create", "revoke"}


def test_a_platform_admin_reads_no_persons(client, make_tenant):
    assert client.get("/v1/persons", headers=make_tenant().headers(Role.platform_admin)).status_code == 403


def test_platform_admin_keys_cannot_be_made_through_the_api(client, make_tenant):
    tenant = make_tenant()
    for role in (Role.admin, Role.platform_admin):
        response = client.post("/v1/keys", json={"role": "platform_admin"}, headers=tenant.headers(role))
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "role"


def test_an_admin_lists_only_its_own_keys_and_audit_entries(client, make_tenant):
    mine, other = make_tenant(), make_tenant()
    client.post("/v1/persons", json={"external_id": "AUD-OTHER"}, headers=other.headers())
    keys = client.get("/v1/keys", headers=mine.headers(Role.admin)).json()
    assert {k["organisation_id"] for k in keys} == {mine.organisation_id}
    entries = client.get("/v1/audit", params={"limit": 500}, headers=mine.headers(Role.admin)).json()["items"]
    assert {e["organisation_id"] for e in entries} <= {mine.organisation_id}
    assert not [e for e in entries if e["key_id"] in set(other.key_ids.values())]
