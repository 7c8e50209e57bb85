"""The counsellor page of the clarifying step: lists unsure vacancies with their candidates; a pick is saved."""
from sqlalchemy import select

from api.db import make_sessionmaker
from models.tables import AuditLog, OrganisationTitleAlias, Vacancy
from tests.api.test_pages_counsellor import csrf_of, make_tenant, pages_app, signed_in  # noqa: F401

CSV = "external_id,employer,title,openings,district\nP-1,某电子厂,急招普工包吃住,10,朝阳区\n".encode()


def _import(app, tenant):
    from fastapi.testclient import TestClient

    api = TestClient(app)
    return api.post("/v1/vacancies/import", content=CSV,
                    headers=tenant.headers(**{"Content-Type": "text/csv"})).json()["needs_choice"][0]


def test_the_page_lists_the_unsure_vacancy_with_its_three_candidates(pages_app, make_tenant):
    tenant = make_tenant()
    entry = _import(pages_app, tenant)
    html = signed_in(pages_app, tenant).get("/c/vacancies/choices").text
    assert "急招普工包吃住" in html
    assert all(c["code"] in html for c in entry["candidates"])


def test_picking_another_code_on_the_page_saves_it_as_the_organisations_alias(pages_app, make_tenant):
    tenant = make_tenant()
    entry = _import(pages_app, tenant)
    client = signed_in(pages_app, tenant)
    token = csrf_of(client.get("/c/vacancies/choices").text)
    response = client.post(f"/c/vacancies/{entry['vacancy_id']}/choice",
                           data={"csrf": token, "code": entry["candidates"][0]["code"], "other": "6-25-04-07"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "急招普工包吃住 → 6-25-04-07" in response.text
    with make_sessionmaker(pages_app.state.engine)() as db:
        assert db.get(Vacancy, entry["vacancy_id"]).occupation_code == "6-25-04-07"
        alias = db.scalar(select(OrganisationTitleAlias).where(OrganisationTitleAlias.organisation_id == tenant.organisation_id))
        assert (alias.title_normalised, alias.occupation_code) == ("普工", "6-25-04-07")
        assert db.scalar(select(AuditLog).where(AuditLog.resource_id == entry["vacancy_id"],
                                                AuditLog.action == "choose_occupation")) is not None


def test_an_unknown_code_on_the_page_is_explained_and_nothing_changes(pages_app, make_tenant):
    tenant = make_tenant()
    entry = _import(pages_app, tenant)
    client = signed_in(pages_app, tenant)
    token = csrf_of(client.get("/c/vacancies/choices").text)
    response = client.post(f"/c/vacancies/{entry['vacancy_id']}/choice", data={"csrf": token, "other": "9-99-99-99"})
    assert response.status_code == 422
    assert "不是 2022 版职业分类大典里的代码" in response.text
    with make_sessionmaker(pages_app.state.engine)() as db:
        assert db.get(Vacancy, entry["vacancy_id"]).occupation_code == entry["occupation_code"]
