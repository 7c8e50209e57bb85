"""One "match a person" use case (``api.services.matching.match_person``) behind ``POST /v1/matches``
and the counsellor's match page: same list, same refusal when there is nothing to rank on."""
import re

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import make_sessionmaker
from api.services.catalogue import VACANCIES, import_records
from api.settings import Settings
from matching.matcher import NotEnoughInformation
from tests.api.test_pages_counsellor import register, signed_in


@pytest.fixture(scope="module")
def app(database_url):
    application = create_app(Settings(database_url=database_url, secret_key="match-service-secret-0123456789ab",
                                      log_level="WARNING", auth_failures_per_minute=1_000_000))
    yield application
    application.state.engine.dispose()


@pytest.fixture
def tenant(app):
    from tests.conftest import new_tenant

    tenant = new_tenant(app.state.engine, "匹配服务测试中心")
    rows = [(2, {"employer": "某超市", "title": "收银员", "occupation_code": "4-01-02-04", "district": "朝阳区"}),
            (3, {"employer": "某物流", "title": "货车司机", "occupation_code": "4-02-02-01", "district": "朝阳区"}),
            (4, {"employer": "某饭店", "title": "厨师", "occupation_code": "4-03-02-01", "district": "海淀区"})]
    with make_sessionmaker(app.state.engine)() as db, db.begin():
        import_records(db, VACANCIES, tenant.organisation_id, rows, atomic=True)
    return tenant


def _page_titles(html: str, kind: str) -> list[str]:
    section = html.split(f'aria-labelledby="h-{kind}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<span class="rtitle">([^<]*)</span>', section)


def test_the_page_lists_the_vacancies_the_api_ranks_in_the_same_order(app, tenant):
    page = signed_in(app, tenant)
    person_id = register(page, "MS-1", district="朝阳区", wh_code_0="4-01-02-04", wh_months_0="24")
    api = TestClient(app).post("/v1/matches", json={"person_id": person_id, "kind": "vacancies"},
                               headers=tenant.headers())
    assert api.status_code == 200, api.text
    listed = _page_titles(page.get(f"/c/people/{person_id}/matches").text, "vacancies")
    assert listed == [m["title"] for m in api.json()["ranking"]["results"]]
    assert len(listed) >= 2


def test_the_page_says_why_it_lists_nothing_when_the_api_refuses_to_rank(app, tenant):
    page = signed_in(app, tenant)
    person_id = register(page, "MS-2", district="朝阳区")
    api = TestClient(app).post("/v1/matches", json={"person_id": person_id}, headers=tenant.headers())
    assert api.status_code == 422
    html = page.get(f"/c/people/{person_id}/matches").text
    assert NotEnoughInformation.zh in html
    assert _page_titles(html, "vacancies") == [] and _page_titles(html, "programmes") == []


def test_the_page_marks_exactly_the_vacancies_its_logged_list_explored(app, monkeypatch):
    from sqlalchemy import select

    from tests.conftest import new_tenant
    from models.tables_referrals import RankingLog

    tenant = new_tenant(app.state.engine, "试推荐测试中心")
    rows = [(i + 2, {"employer": f"超市{i}", "title": f"收银员{i}", "occupation_code": "4-01-02-04",
                     "district": "朝阳区", "pay_min": 3000 + 50 * i, "pay_max": 5000}) for i in range(30)]
    with make_sessionmaker(app.state.engine)() as db, db.begin():
        import_records(db, VACANCIES, tenant.organisation_id, rows, atomic=True)
    monkeypatch.setattr(app.state, "settings", app.state.settings.model_copy(update={"exploration_share": 0.5}))
    seeded = np.random.default_rng
    monkeypatch.setattr(np.random, "default_rng", lambda *a: seeded(*(a or (7,))))
    page = signed_in(app, tenant)
    person_id = register(page, "MS-X", district="朝阳区", wh_code_0="4-01-02-04", wh_months_0="24")
    html = page.get(f"/c/people/{person_id}/matches").text
    with make_sessionmaker(app.state.engine)() as db:
        log = db.scalars(select(RankingLog).where(RankingLog.person_id == person_id, RankingLog.kind == "vacancy")
                         ).one()
    section = html.split('aria-labelledby="h-vacancies"', 1)[1].split("</section>", 1)[0]
    marked = re.findall(r'<span class="rank">(\d+)</span>\s*<span class="rtitle">[^<]*</span>\s*'
                        r'<span class="explored"', section)
    explored = [item for item in log.items if item["exploration"]]
    assert [int(r) for r in marked] == [item["rank"] for item in explored] and explored
    assert section.count("它的位置不代表匹配程度") == len(explored)
