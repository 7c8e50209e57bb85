"""Referrals through the API (both back ends): from a stored ranking (copied rank, score, propensity),
by hand, the letter PDF, tenancy, roles, bad input, a failed request writing nothing, erasure."""
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from api.services.ranking_log import record_ranking
from matching.outcomes.live import LoggedItem
from models.enums import Role
from models.tables import AuditLog
from models.tables_referrals import RankingLog, Referral
from tests.api.pathway_helpers import day, person, refer, referral, vacancy

CASHIER = [{"occupation_code": "4-01-02-04", "title": "超市收银员", "months": 36}]


def _ranked(client, tenant) -> tuple[str, dict]:
    """A person with a past job, two vacancies, and the ranking POST /v1/matches returns."""
    person_id = person(client, tenant, work_history=CASHIER, district="朝阳区")
    vacancy(client, tenant, employer="某超市", title="收银员", occupation_code="4-01-02-04")
    vacancy(client, tenant)
    response = client.post("/v1/matches", json={"person_id": person_id, "kind": "vacancies"},
                           headers=tenant.headers())
    assert response.status_code == 200, response.text
    return person_id, response.json()


def test_a_ranking_for_a_stored_person_is_logged_and_answered_with_its_match_id(client, app, tenant):
    person_id, match = _ranked(client, tenant)
    with app.state.sessionmaker() as session:
        log = session.get(RankingLog, match["match_id"])
    assert (log.person_id, log.kind) == (person_id, "vacancy")
    assert [(i["item_id"], i["rank"], i["propensity"]) for i in log.items] == [
        (r["item_id"], r["rank"], 1.0) for r in match["ranking"]["results"]]


def test_an_inline_profile_ranking_has_no_match_id(client, tenant):
    response = client.post("/v1/matches", json={"profile": {"work_history": CASHIER}, "kind": "occupations"},
                           headers=tenant.headers())
    assert response.status_code == 200 and response.json()["match_id"] is None


def test_a_referral_from_a_ranking_copies_the_items_rank_and_score(client, tenant):
    person_id, match = _ranked(client, tenant)
    item = match["ranking"]["results"][1]
    response = refer(client, tenant, person_id, item["item_id"], match_id=match["match_id"])
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["rank"], body["score"], body["exploration"], body["propensity"]) == (
        2, round(item["total"], 2), False, 1.0)
    assert body["matcher_version"] and body["status"] is None


def test_the_client_may_not_send_its_own_rank(client, tenant):
    person_id, match = _ranked(client, tenant)
    response = refer(client, tenant, person_id, match["ranking"]["results"][0]["item_id"],
                     match_id=match["match_id"], rank=1)
    assert response.status_code == 422
    assert "rank" in response.text


def test_a_vacancy_not_in_the_ranking_names_vacancy_id(client, tenant):
    person_id, match = _ranked(client, tenant)
    response = refer(client, tenant, person_id, vacancy(client, tenant), match_id=match["match_id"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "vacancy_id"


def test_another_persons_ranking_names_match_id(client, tenant):
    _, match = _ranked(client, tenant)
    response = refer(client, tenant, person(client, tenant), match["ranking"]["results"][0]["item_id"],
                     match_id=match["match_id"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "match_id"


def test_a_referral_by_hand_has_no_rank_and_a_reference_number(client, tenant):
    _, referral_id = referral(client, tenant)
    body = client.get(f"/v1/referrals/{referral_id}", headers=tenant.headers()).json()
    assert body["rank"] is None and body["match_id"] is None
    assert body["reference"].startswith("TJ") and body["reference"][2:10] == day(-100).replace("-", "")


def test_a_referral_day_in_the_future_names_referred_on(client, tenant):
    response = refer(client, tenant, person(client, tenant), vacancy(client, tenant), referred_on=day(3))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "referred_on"


def test_an_unknown_source_names_source(client, tenant):
    response = refer(client, tenant, person(client, tenant), vacancy(client, tenant), source="walk_in")
    assert response.status_code == 422
    assert "source" in response.text


def test_the_same_referral_twice_is_a_conflict_and_writes_nothing(client, app, tenant):
    person_id, vacancy_id = person(client, tenant), vacancy(client, tenant)
    assert refer(client, tenant, person_id, vacancy_id).status_code == 201
    second = refer(client, tenant, person_id, vacancy_id)
    assert second.status_code == 409
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Referral).where(Referral.person_id == person_id)) == 1


def test_another_organisations_referral_is_not_found(client, tenant, make_tenant):
    _, referral_id = referral(client, tenant)
    other = make_tenant("另一个中心")
    assert client.get(f"/v1/referrals/{referral_id}", headers=other.headers()).status_code == 404
    assert client.get(f"/v1/referrals/{referral_id}/letter.pdf", headers=other.headers()).status_code == 404
    assert client.get("/v1/referrals", headers=other.headers()).json()["total"] == 0


def test_referring_another_organisations_person_names_person_id(client, tenant, make_tenant):
    other = make_tenant("另一个中心")
    response = refer(client, other, person(client, tenant), vacancy(client, other))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_id"


def test_analyst_reads_referrals_but_may_not_refer(client, tenant):
    person_id, referral_id = referral(client, tenant)
    assert client.get(f"/v1/referrals/{referral_id}", headers=tenant.headers(Role.analyst)).status_code == 200
    denied = client.post("/v1/referrals", json={"person_id": person_id, "vacancy_id": vacancy(client, tenant),
                                                "source": "counsellor", "referred_on": day(-1)},
                         headers=tenant.headers(Role.analyst))
    assert denied.status_code == 403


def test_case_system_may_refer(client, tenant):
    response = client.post("/v1/referrals", json={
        "person_id": person(client, tenant), "vacancy_id": vacancy(client, tenant), "source": "case_system",
        "referred_on": day(-1)}, headers=tenant.headers(Role.case_system))
    assert response.status_code == 201


def test_listing_filters_by_person_and_is_audited(client, app, tenant):
    person_id, referral_id = referral(client, tenant)
    referral(client, tenant)
    page = client.get("/v1/referrals", params={"person_id": person_id}, headers=tenant.headers()).json()
    assert [i["id"] for i in page["items"]] == [referral_id]
    with app.state.sessionmaker() as session:
        listed = session.scalars(select(AuditLog.detail).where(AuditLog.resource == "referral",
                                                               AuditLog.action == "list")).all()
    assert [referral_id] in [d["ids"] for d in listed]


def test_the_letter_is_a_pdf_named_by_its_reference(client, tenant):
    _, referral_id = referral(client, tenant)
    reference = client.get(f"/v1/referrals/{referral_id}", headers=tenant.headers()).json()["reference"]
    response = client.get(f"/v1/referrals/{referral_id}/letter.pdf", headers=tenant.headers())
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"referral-{reference}.pdf" in response.headers["content-disposition"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_letter_names_person_job_employer_centre_and_reference(client, tenant, tmp_path):
    _, referral_id = referral(client, tenant)
    reference = client.get(f"/v1/referrals/{referral_id}", headers=tenant.headers()).json()["reference"]
    out = tmp_path / "letter.pdf"
    out.write_bytes(client.get(f"/v1/referrals/{referral_id}/letter.pdf", headers=tenant.headers()).content)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("就业推荐信", "王小明", "仓库理货员", "某物流有限公司", "测试就业服务中心", "test counsellor", reference):
        assert expected in text, expected


def test_erasing_the_person_removes_referrals_and_ranking_logs(client, app, tenant):
    person_id, match = _ranked(client, tenant)
    refer(client, tenant, person_id, match["ranking"]["results"][0]["item_id"], match_id=match["match_id"])
    assert client.delete(f"/v1/persons/{person_id}", headers=tenant.headers()).status_code == 204
    with app.state.sessionmaker() as session:
        left = [session.scalar(select(func.count()).select_from(model).where(model.person_id == person_id))
                for model in (Referral, RankingLog)]
    assert left == [0, 0]


def test_a_retried_referral_with_the_same_idempotency_key_is_recorded_once(client, app, tenant):
    person_id, vacancy_id = person(client, tenant), vacancy(client, tenant)
    body = {"person_id": person_id, "vacancy_id": vacancy_id, "source": "counsellor", "referred_on": day(-1)}
    headers = tenant.headers(**{"Idempotency-Key": f"refer-{person_id}"})
    first = client.post("/v1/referrals", json=body, headers=headers)
    again = client.post("/v1/referrals", json=body, headers=headers)
    assert (first.status_code, again.status_code, again.json()["id"]) == (201, 201, first.json()["id"])
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Referral).where(Referral.person_id == person_id)) == 1


def test_a_referral_to_the_wrong_vacancy_is_corrected_and_the_original_kept(client, tenant):
    person_id, referral_id = referral(client, tenant)
    right = vacancy(client, tenant, title="分拣员")
    response = client.post(f"/v1/referrals/{referral_id}/corrections", json={
        "reason": "选错了岗位", "replacement": {"vacancy_id": right, "source": "counsellor",
                                           "referred_on": day(-100)}}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    assert (response.json()["vacancy_id"], response.json()["corrects_id"]) == (right, referral_id)
    kept = client.get(f"/v1/referrals/{referral_id}", headers=tenant.headers()).json()
    assert kept["effective"] is False
    listed = client.get("/v1/referrals", params={"person_id": person_id}, headers=tenant.headers()).json()
    assert [i["id"] for i in listed["items"]] == [response.json()["id"]]
    assert client.get(f"/v1/referrals/{referral_id}/letter.pdf", headers=tenant.headers()).status_code == 409


def test_a_referral_with_an_outcome_cannot_be_withdrawn(client, app, tenant):
    person_id, referral_id = referral(client, tenant)
    client.post("/v1/outcomes", json={"person_id": person_id, "referral_id": referral_id, "kind": "interview",
                                      "occurred_on": day(-90)}, headers=tenant.headers())
    response = client.post(f"/v1/referrals/{referral_id}/corrections", json={"reason": "录错了", "retract": True},
                           headers=tenant.headers())
    assert response.status_code == 409
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Referral).where(Referral.person_id == person_id)) == 1


def test_an_explored_item_keeps_its_exploration_flag_and_propensity_on_the_referral(client, app, tenant):
    person_id, vacancy_id = person(client, tenant), vacancy(client, tenant)
    with app.state.sessionmaker() as session, session.begin():
        session.add(RankingLog(id="rk_explored_" + person_id[-8:], organisation_id=tenant.organisation_id,
                               person_id=person_id, kind="vacancy", matcher_version="2.0", model_version="om-3",
                               created_by=tenant.key_ids[Role.counsellor],
                               items=[{"item_id": vacancy_id, "rank": 4, "score": 61.5, "exploration": True,
                                       "propensity": 0.25}]))
    body = refer(client, tenant, person_id, vacancy_id, match_id="rk_explored_" + person_id[-8:]).json()
    assert (body["rank"], body["score"], body["exploration"], body["propensity"], body["model_version"]) == (
        4, 61.5, True, 0.25, "om-3")


def test_a_ranking_log_refuses_a_propensity_outside_zero_to_one(app, client, tenant):
    person_id = person(client, tenant)
    with app.state.sessionmaker() as session, pytest.raises(ValueError, match="propensity"):
        record_ranking(session, tenant.organisation_id, person_id, "vacancy", [LoggedItem("v_1", 1, 80.0, True, 0.0)],
                       "2.0", None, tenant.key_ids[Role.counsellor])
