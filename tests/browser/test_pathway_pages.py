"""The pathway in a real browser (issue 16, "done when"): a person's case file shows the module history,
the plan's PDF link downloads a PDF, and the centre figures page shows the figures and the fairness view
(and passes axe)."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_flows import sign_in

CASE_FILE = "/c/people/{person_id}/pathway"


def _person_on_the_path(live_server, external_id: str) -> str:
    """A person registered 30 days ago in module 1, moved to module 2 today, with a drafted plan."""
    today = datetime.now(ZoneInfo(live_server.app.state.settings.timezone)).date()
    with live_server.api() as api:
        person = api.post("/v1/persons", json={"external_id": external_id, "name": "赵桂兰", "birth_year": 1975,
                                               "district": "朝阳区", "education": "junior_secondary"})
        assert person.status_code == 201, person.text
        person_id = person.json()["id"]
        for module, on in ((1, today - timedelta(days=30)), (2, today)):
            response = api.post(f"/v1/persons/{person_id}/pathway/decisions", json={
                "action": "override", "module": module, "reason_code": "counsellor_judgement",
                "note": "浏览器测试", "entered_on": on.isoformat()})
            assert response.status_code == 201, response.text
        assert api.post(f"/v1/persons/{person_id}/plan").status_code == 201
    return person_id


def test_the_case_file_shows_the_module_history(page, live_server):
    person_id = _person_on_the_path(live_server, "PATH-B1")
    sign_in(page, live_server.key)
    page.goto(CASE_FILE.format(person_id=person_id))
    text = page.inner_text("main")
    assert "求职应聘指导" in text and "基本服务" in text
    screenshot(page, "counsellor-pathway")


def test_the_plan_pdf_link_downloads_a_pdf(page, live_server):
    person_id = _person_on_the_path(live_server, "PATH-B2")
    sign_in(page, live_server.key)
    page.goto(CASE_FILE.format(person_id=person_id))
    page.locator(f"main a[href^='/c/people/{person_id}/plan']").first.click()
    page.wait_for_url(f"**/c/people/{person_id}/plan**")
    href = page.locator("main a[href*='plan.pdf']").first.get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"].startswith("application/pdf")
    assert response.body()[:5] == b"%PDF-"


def test_the_centre_figures_page_shows_the_figures_and_the_fairness_view(context, browser, live_server):
    _person_on_the_path(live_server, "PATH-B3")
    page = context.new_page()
    sign_in(page, live_server.key)
    page.click("nav a[href='/c/kpis']")
    page.wait_for_url("**/c/kpis")
    served = page.locator("#kpi-overall tbody tr").first.locator("td").first.inner_text()
    assert int(served) >= 1
    assert page.locator("#fairness").inner_text() == "公平性查看：按性别和年龄段"
    assert page.locator("#kpi-fairness-gender tbody tr").count() >= 1
    with page.expect_download() as download:
        page.click("#kpi-export")
    assert download.value.suggested_filename.startswith("kpis-")
    screenshot(page, "counsellor-kpis")
    assert axe_violations(browser, live_server.base_url + "/c/kpis", storage_state=context.storage_state()) == []


def test_a_job_recorded_on_the_case_file_shows_with_its_route_and_the_page_passes_axe(context, browser, live_server):
    person_id = _person_on_the_path(live_server, "PATH-B4")
    today = datetime.now(ZoneInfo(live_server.app.state.settings.timezone)).date()
    page = context.new_page()
    sign_in(page, live_server.key)
    page.goto(CASE_FILE.format(person_id=person_id))
    page.click("#outcome-form summary")
    page.select_option("#oc-kind", "hired")
    page.fill("#oc-start", today.isoformat())
    page.select_option("#oc-contract", "fixed_term")
    page.select_option("#oc-route", "own_search")
    page.click("form[action$='/outcomes'] button[type=submit]")
    page.wait_for_url(f"**{CASE_FILE.format(person_id=person_id)}#referrals")
    assert "本人自行找到工作" in page.inner_text("#referrals")
    assert axe_violations(browser, live_server.base_url + CASE_FILE.format(person_id=person_id),
                          storage_state=context.storage_state()) == []
