"""POST /v1/matches: ranked vacancies, programmes and occupations for a stored person or a profile."""
from models.enums import Role

VACANCIES = """external_id,employer,title,occupation_code,openings,district,education_min,education_min_is_hard,required_certificates,pay_min,pay_max
V-1,某养老院,养老护理员,4-10-01-05,3,朝阳区,,,,4500,5500
V-2,某超市,收银员,4-01-02-04,2,朝阳区,,,,3800,4500
V-3,某软件公司,软件工程师,2-02-10-03,1,朝阳区,bachelor,true,,12000,18000
V-4,某物流公司,叉车司机,4-02-05-01,2,朝阳区,,,叉车证,5000,6500
V-5,某餐馆,中式烹调师,4-03-02-01,1,海淀区,,,,5000,6000
"""
PROGRAMME = {"provider": "朝阳区职业技能培训学校", "title": "叉车司机培训", "target_occupation_codes": ["4-02-05-01"],
             "certificates_awarded": ["叉车证"], "duration_weeks": 4, "district": "朝阳区", "capacity": 30}


CASHIER = [{"occupation_code": "4-01-02-04", "title": "超市收银员", "months": 36}]


def _setup(client, tenant, work_history=CASHIER, **fields):
    client.post("/v1/vacancies/import", content=VACANCIES.encode(), headers=tenant.headers(
        **{"Content-Type": "text/csv"}))
    client.post("/v1/programmes", json=PROGRAMME, headers=tenant.headers())
    body = {"external_id": "M-1", "education": "junior_secondary", "district": "朝阳区",
            "expected_monthly_pay": 5000, "work_history": work_history, **fields}
    return client.post("/v1/persons", json=body, headers=tenant.headers()).json()["id"]


def test_a_person_with_no_scores_and_no_past_job_gets_422_not_a_ranking(client, tenant):
    person_id = _setup(client, tenant, work_history=[])
    response = client.post("/v1/matches", json={"person_id": person_id}, headers=tenant.headers())
    assert response.status_code == 422
    body = response.json()
    assert "信息不足" in body["detail"] and "Not enough information" in body["detail"]
    assert body["errors"][0]["field"] == "person_id"


def test_an_empty_inline_profile_gets_422(client, tenant):
    response = client.post("/v1/matches", json={"profile": {}, "kind": "occupations"}, headers=tenant.headers())
    assert response.status_code == 422 and response.json()["title"] == "Not enough information to rank"


def test_past_work_alone_ranks_its_own_occupation_first(client, tenant):
    person_id = _setup(client, tenant)
    ranking = client.post("/v1/matches", json={"person_id": person_id, "kind": "occupations", "k": 5},
                          headers=tenant.headers()).json()["ranking"]
    first = ranking["results"][0]
    assert "4-01-02-04" in [m["code"] for m in first["members"]]
    assert first["components"]["experience"] > 0.7


def test_a_past_job_given_only_as_a_title_is_coded_by_the_title_coder(client, tenant):
    profile = {"work_history": [{"title": "超市收银员", "months": 60}]}
    ranking = client.post("/v1/matches", json={"profile": profile, "kind": "occupations", "k": 3},
                          headers=tenant.headers(Role.analyst)).json()["ranking"]
    assert ranking["results"][0]["components"]["experience"] is not None
    assert "4-01-02-04" in [m["code"] for r in ranking["results"] for m in r["members"]]


def test_same_answers_at_different_ages_give_the_same_rankings(client, tenant):
    from tests.api.test_assessments import _finish

    _setup(client, tenant)
    rankings = []
    for n, year in enumerate((1998, 1964)):
        person_id = client.post("/v1/persons", json={"external_id": f"AGE-{n}", "birth_year": year,
                                                     "education": "senior_secondary", "district": "朝阳区"},
                                headers=tenant.headers()).json()["id"]
        # The short battery's fixed forms: the same answers to the same items (adaptive parts pick
        # items at random among the most informative, so answers would differ by chance).
        started = client.post("/v1/assessments", json={"person_id": person_id, "battery": "short"},
                              headers=tenant.headers()).json()
        _finish(client, started["token"])
        body = client.post("/v1/matches", json={"person_id": person_id, "kind": "occupations", "k": 10},
                           headers=tenant.headers()).json()
        rankings.append(body["ranking"]["results"])
    young, old = rankings
    assert young[0]["components"]["aptitude"] is not None  # the ability scores did enter
    assert [(r["item_id"], r["total"]) for r in young] == [(r["item_id"], r["total"]) for r in old]


def test_vacancies_are_ranked_with_components_reasons_and_ineligible_counts(client, tenant):
    person_id = _setup(client, tenant)
    response = client.post("/v1/matches", json={"person_id": person_id, "kind": "vacancies", "k": 10},
                           headers=tenant.headers())
    assert response.status_code == 200, response.text
    ranking = response.json()["ranking"]
    titles = [r["title"] for r in ranking["results"]]
    assert "软件工程师" not in titles and "叉车司机" not in titles  # hard education / certificate
    assert ranking["ineligible"]["by_reason"]["education"] >= 1
    assert ranking["ineligible"]["by_reason"]["certificate"] >= 1
    top = ranking["results"][0]
    assert 0 <= top["total"] <= 100 and set(top["components"]) >= {"practical"}
    assert top["reasons"] and {"zh-CN", "en"} <= set(top["reasons"][0])


def test_district_filter_limits_the_vacancies(client, tenant):
    person_id = _setup(client, tenant)
    ranking = client.post("/v1/matches", json={"person_id": person_id, "district": "海淀区"},
                          headers=tenant.headers()).json()["ranking"]
    assert ranking["ineligible"]["n_items"] == 1


def test_programme_that_awards_the_missing_certificate_is_recommended(client, tenant):
    person_id = _setup(client, tenant)
    ranking = client.post("/v1/matches", json={"person_id": person_id, "kind": "programmes",
                                               "interested_occupations": ["4-02-05-01"]},
                          headers=tenant.headers()).json()["ranking"]
    assert [r["title"] for r in ranking["results"]] == ["叉车司机培训"]


def test_occupations_for_an_inline_profile(client, tenant):
    profile = {"interests": {"R": 1.5, "I": 1.5, "A": 1.5, "S": 4.8, "E": 2.5, "C": 2.0}, "education": "senior_secondary"}
    ranking = client.post("/v1/matches", json={"profile": profile, "kind": "occupations", "k": 5},
                          headers=tenant.headers(Role.analyst)).json()["ranking"]
    assert len(ranking["results"]) == 5
    assert all(r["occupation_code"] for r in ranking["results"])


def test_person_and_profile_together_is_422(client, tenant):
    response = client.post("/v1/matches", json={"person_id": "p_x", "profile": {}}, headers=tenant.headers())
    assert response.status_code == 422


def test_other_organisations_person_is_404(client, make_tenant):
    owner, other = make_tenant(), make_tenant()
    person_id = _setup(client, owner)
    assert client.post("/v1/matches", json={"person_id": person_id}, headers=other.headers()).status_code == 404


def test_matching_a_person_is_audited(client, tenant):
    person_id = _setup(client, tenant)
    client.post("/v1/matches", json={"person_id": person_id}, headers=tenant.headers())
    entries = client.get("/v1/audit", params={"organisation_id": tenant.organisation_id, "action": "match"},
                         headers=tenant.headers(Role.admin)).json()["items"]
    assert [e["resource_id"] for e in entries] == [person_id]


def test_scores_of_the_latest_result_are_used(client, tenant):
    from tests.api.test_assessments import _finish

    person_id = _setup(client, tenant)
    started = client.post("/v1/assessments", json={"person_id": person_id, "battery": "short"},
                          headers=tenant.headers()).json()
    _finish(client, started["token"])
    body = client.post("/v1/matches", json={"person_id": person_id}, headers=tenant.headers()).json()
    assert body["result_id"] is not None
    assert body["ranking"]["results"][0]["components"]["interest"] is not None
