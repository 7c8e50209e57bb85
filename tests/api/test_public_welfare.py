"""Public-welfare posts as the floor through the API on both back ends: who the candidates are (priority
people through modules 2–6 and not in work), who was placed this way, tenancy and roles."""
import uuid
from datetime import date, datetime, timedelta, timezone

from api.security import new_id
from models.enums import Role
from models.tables_pathway import PathwayStep
from models.tables_referrals import Referral

TODAY = date.today()
POST = {"employer": "朝阳区某街道办事处", "title": "社区保洁公益性岗位", "occupation_code": "4-07-05-02",
        "district": "朝阳区", "public_welfare": True}


def _person(client, tenant, **priority) -> str:
    response = client.post("/v1/persons", json={"external_id": uuid.uuid4().hex[:12], "birth_year": 1975,
                                                "priority": priority}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _through(app, tenant, person_id: str, modules=(1, 2, 3, 4, 5, 6)) -> None:
    """Pathway steps as the case file records them (P3's table), one module a fortnight."""
    with app.state.sessionmaker() as session, session.begin():
        for index, module in enumerate(modules):
            session.add(PathwayStep(id=new_id("ps"), organisation_id=tenant.organisation_id, person_id=person_id,
                                    module=module, entered_on=TODAY - timedelta(days=14 * (len(modules) - index)),
                                    reason="initial" if index == 0 else "rule", facts={},
                                    recorded_by=tenant.key_ids[Role.counsellor],
                                    recorded_at=datetime.now(timezone.utc)))


def _candidates(client, tenant, **params) -> list[str]:
    response = client.get("/v1/public-welfare/candidates", params=params, headers=tenant.headers())
    assert response.status_code == 200, response.text
    return [c["person_id"] for c in response.json()["items"]]


def _place(client, app, tenant, person_id: str) -> str:
    """A placement on a public-welfare post, as P1's hired outcome records it."""
    from tests.api.test_households import _hire

    return _hire(client, app, tenant, person_id, start=TODAY - timedelta(days=10), route="public_welfare",
                 vacancy=POST)


def test_a_hard_to_employ_person_through_modules_2_to_6_is_a_candidate(client, app, tenant):
    person_id = _person(client, tenant, hard_to_employ="long_term_unemployed")
    _through(app, tenant, person_id)
    response = client.get("/v1/public-welfare/candidates", headers=tenant.headers()).json()
    [candidate] = response["items"]
    assert (candidate["person_id"], candidate["reasons"], candidate["modules_missing"]) == (
        person_id, ["hard_to_employ"], [])


def test_someone_not_through_every_module_is_listed_only_when_asked(client, app, tenant):
    person_id = _person(client, tenant, assistance_card=True)
    _through(app, tenant, person_id, modules=(2, 3, 4))
    assert _candidates(client, tenant) == []
    response = client.get("/v1/public-welfare/candidates", params={"include_incomplete": True},
                          headers=tenant.headers()).json()
    assert [(c["person_id"], c["modules_missing"]) for c in response["items"]] == [(person_id, [5, 6])]


def test_a_person_without_priority_is_not_a_candidate(client, app, tenant):
    person_id = _person(client, tenant)
    _through(app, tenant, person_id)
    assert _candidates(client, tenant, include_incomplete=True) == []


def test_a_member_of_a_zero_employment_household_is_a_candidate(client, app, tenant):
    person_id = _person(client, tenant)
    household = client.post("/v1/households", json={"district": "朝阳区", "members": [{"person_id": person_id}]},
                            headers=tenant.headers()).json()
    _through(app, tenant, person_id)
    response = client.get("/v1/public-welfare/candidates", headers=tenant.headers()).json()
    assert [(c["reasons"], c["household_id"]) for c in response["items"]] == [(["zero_employment_family"],
                                                                               household["id"])]


def test_a_person_placed_on_a_post_leaves_the_list_and_joins_the_placed(client, app, tenant):
    person_id = _person(client, tenant, hard_to_employ="older_worker")
    _through(app, tenant, person_id)
    placement_id = _place(client, app, tenant, person_id)
    assert _candidates(client, tenant) == []
    placed = client.get("/v1/public-welfare/placements", headers=tenant.headers()).json()
    assert [(p["placement_id"], p["person_id"], p["vacancy_title"]) for p in placed["items"]] == [
        (placement_id, person_id, "朝阳区某街道办事处 · 社区保洁公益性岗位")]


def test_referrals_to_public_welfare_posts_are_counted_as_offers(client, app, tenant):
    person_id = _person(client, tenant, hard_to_employ="long_term_unemployed")
    _through(app, tenant, person_id)
    vacancy_id = client.post("/v1/vacancies", json=POST, headers=tenant.headers(Role.admin)).json()["id"]
    with app.state.sessionmaker() as session, session.begin():
        session.add(Referral(id=new_id("ref"), organisation_id=tenant.organisation_id, person_id=person_id,
                             vacancy_id=vacancy_id, source="counsellor", referred_on=TODAY,
                             recorded_by=tenant.key_ids[Role.counsellor], recorded_at=datetime.now(timezone.utc)))
    [candidate] = client.get("/v1/public-welfare/candidates", headers=tenant.headers()).json()["items"]
    assert (candidate["public_welfare_offers"], candidate["last_offer_on"]) == (1, TODAY.isoformat())


def test_another_organisations_candidates_are_not_listed(client, app, tenant, make_tenant):
    person_id = _person(client, tenant, assistance_card=True)
    _through(app, tenant, person_id)
    assert _candidates(client, make_tenant("另一个中心")) == []


def test_a_platform_admin_may_not_list_candidates_but_an_analyst_may(client, tenant):
    assert client.get("/v1/public-welfare/candidates", headers=tenant.headers(Role.platform_admin)).status_code == 403
    assert client.get("/v1/public-welfare/candidates", headers=tenant.headers(Role.analyst)).status_code == 200


def test_a_page_size_over_the_limit_names_limit(client, tenant):
    response = client.get("/v1/public-welfare/candidates", params={"limit": 501}, headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.limit"
