"""Counsellor page items of issue #15 in a real browser: reloading the link page, continuing an open
assessment, cancelling one, the people table with a long unbroken name, the site root, the lists."""
import re

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_flows import sign_in, start_assessment

LONG_NAME = "Wolfeschlegelsteinhausenbergerdorff" * 3  # 105 letters, no space to break at


def _assessments_of(live_server, external_id: str) -> list[dict]:
    with live_server.api() as api:
        person = api.get("/v1/persons", params={"external_id": external_id}).json()["items"][0]
        return api.get(f"/v1/persons/{person['id']}/assessments").json()


def test_reloading_the_link_page_shows_the_same_link_and_opens_no_second_assessment(page, live_server):
    sign_in(page, live_server.key)
    url, _ = start_assessment(page, "RELOAD-1")
    page.reload()
    assert page.get_attribute("#take-link", "href") == url
    assert len(_assessments_of(live_server, "RELOAD-1")) == 1


def test_starting_again_offers_to_continue_and_the_open_one_can_be_cancelled(page, live_server):
    sign_in(page, live_server.key)
    _, assessment_id = start_assessment(page, "AGAIN-1")
    page.click(".crumbs a")
    page.click("form.row-form button[type=submit]")
    assert page.locator("a.continue").first.inner_text() == "继续已有测评"
    page.click("a.continue")
    page.wait_for_url(f"**/c/assessments/{assessment_id}")
    page.fill("#reason", "服务对象今天身体不舒服，改天再做")
    page.click("#cancel-form button[type=submit]")
    page.wait_for_url("**?m=cancelled_msg")
    assert "取消原因：服务对象今天身体不舒服" in page.inner_text("main")
    assert [a["status"] for a in _assessments_of(live_server, "AGAIN-1")] == ["cancelled"]


def test_a_long_unbroken_name_does_not_crush_the_district_column(page, live_server):
    with live_server.api() as api:
        assert api.post("/v1/persons", json={"external_id": "LONG-NAME-1", "name": LONG_NAME[:100],
                                             "district": "朝阳区", "education": "junior_secondary"}).status_code == 201
    sign_in(page, live_server.key)
    page.goto("/c/people?q=LONG-NAME")
    table = page.locator("table.people").bounding_box()
    district = page.locator("table.people tbody tr td:nth-child(4)").first.bounding_box()
    name = page.locator("table.people tbody tr td:nth-child(2)").first.bounding_box()
    assert district["width"] >= 0.2 * table["width"]  # its share, not squeezed to one character
    assert district["height"] <= name["height"] and name["width"] <= 0.4 * table["width"]
    assert page.locator("table.people tbody tr td:nth-child(2)").first.evaluate("e => e.scrollWidth <= e.clientWidth")
    screenshot(page, "counsellor-people")


def test_the_site_root_leads_to_sign_in(page, live_server):
    page.goto("/")
    assert re.search(r"/c/login", page.url)


def test_the_people_list_and_all_assessments_pass_axe(context, browser, live_server):
    page = context.new_page()
    sign_in(page, live_server.key)
    state = context.storage_state()
    for path in ("/c/people", "/c/assessments?view=open"):
        assert axe_violations(browser, live_server.base_url + path, storage_state=state) == [], path
    page.goto("/c/assessments?view=open")
    screenshot(page, "counsellor-assessments")


def test_a_person_is_edited_and_a_wrong_value_is_explained_in_chinese(page, live_server):
    sign_in(page, live_server.key)
    start_assessment(page, "EDIT-B1")
    page.click(".crumbs a")
    page.click("a[href$='/edit']")
    page.check("input[name=available_shifts][value=night]")
    page.fill("#f-certificates", "健康证、叉车证")
    page.fill("#f-birth_year", "1900")
    page.click("form.grid-form button[type=submit]")
    assert page.inner_text("#e-birth_year") == "“出生年份”不能小于 1930（现在是 1900）。"
    page.fill("#f-birth_year", "1979")
    page.fill("#wh_title_0", "超市收银员")
    page.fill("#wh_months_0", "36")
    page.click("form.grid-form button[type=submit]")
    page.wait_for_url("**?m=saved")
    assert page.inner_text("#certificates") == "健康证、叉车证"
    assert "超市收银员" in page.inner_text("#work") and "夜班" in page.inner_text("main")
    screenshot(page, "counsellor-person-edited")


def test_a_vacancy_is_added_on_its_page_and_listed(page, live_server):
    sign_in(page, live_server.key)
    page.goto("/c/vacancies/new")
    page.fill("#f-title", "仓库理货员")
    page.fill("#f-employer", "某物流公司")
    page.fill("#f-district", "通州区")
    page.fill("#f-openings", "5人")
    page.fill("#f-pay_min", "4000元")
    page.fill("#f-pay_max", "5000元")
    screenshot(page, "counsellor-vacancy-form")
    page.click("form.grid-form button[type=submit]")
    page.wait_for_url("**/c/vacancies?m=saved")
    page.fill("#q", "理货")
    page.click("form.search button[type=submit]")
    row = page.locator("table.people tbody tr").first
    assert "仓库理货员" in row.inner_text() and "4000–5000" in row.inner_text()
    screenshot(page, "counsellor-vacancies")
