"""Registering and editing a person on the pages: the whole record, shown again, and validation messages
in the page's language naming the field."""
import re

from api.db import make_sessionmaker
from models.tables import Person
from tests.api.test_pages_counsellor import csrf_of, make_tenant, pages_app, register, signed_in  # noqa: F401

FULL = {"name": "李娜", "birth_year": "1975", "district": "朝阳区", "home_lat": "39.92", "home_lon": "116.44",
        "skills": "收银、理货", "certificates": "健康证", "available_shifts": ["day", "evening"],
        "physical_limitations": ["heavy_lifting"], "wh_title_0": "超市收银员", "wh_months_0": "36",
        "wh_code_1": "4-07-05-01", "wh_months_1": "12"}


def _stored(app, person_id: str) -> Person:
    with make_sessionmaker(app.state.engine)() as db:
        return db.get(Person, person_id)


def test_registration_stores_shifts_limits_certificates_work_history_and_coordinates(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person = _stored(pages_app, register(client, "FULL-1", **FULL))
    assert person.constraints["available_shifts"] == ["day", "evening"]
    assert person.constraints["physical_limitations"] == ["heavy_lifting"]
    assert (person.certificates, person.skills) == (["健康证"], ["收银", "理货"])
    assert (person.home_lat, person.home_lon) == (39.92, 116.44)
    titled, coded = person.work_history
    assert re.fullmatch(r"\d-\d\d-\d\d-\d\d", titled["occupation_code"]) and titled["months"] == 36  # coded from the title
    assert (coded["occupation_code"], coded["title"], coded["months"]) == ("4-07-05-01", None, 12)


def test_the_person_page_shows_the_skills_certificates_and_past_jobs_again(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    page = client.get(f"/c/people/{register(client, 'FULL-2', **FULL)}").text
    assert re.search(r'id="skills">收银、理货<', page) and re.search(r'id="certificates">健康证<', page)
    assert "超市收银员" in page and "4-07-05-01" in page and "白班、晚班" in page and "搬运重物" in page


def test_a_person_is_edited_on_a_page_and_an_emptied_field_is_cleared(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    person_id = register(client, "EDIT-1", **FULL)
    form = client.get(f"/c/people/{person_id}/edit").text
    assert 'value="李娜"' in form and 'value="evening" checked' in form
    data = {"csrf": csrf_of(form), "name": "李娜娜", "district": "通州区", "skills": "", "available_shifts": ["night"]}
    saved = client.post(f"/c/people/{person_id}/edit", data=data, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?m=saved")
    person = _stored(pages_app, person_id)
    assert (person.name, person.district, person.skills, person.birth_year) == ("李娜娜", "通州区", [], None)
    assert person.constraints["available_shifts"] == ["night"] and person.external_id == "EDIT-1"


def test_validation_messages_on_a_zh_page_are_chinese_and_name_the_field(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    token = csrf_of(client.get("/c/people/new").text)
    response = client.post("/c/people/new", data={"csrf": token, "external_id": "ZH-1", "birth_year": "1900",
                                                   "wh_code_0": "cashier", "wh_months_0": "3"})
    assert response.status_code == 422
    assert "“出生年份”不能小于 1930（现在是 1900）。" in response.text
    assert "“以前的工作 1 · 职业代码”应是职业代码（如 4-10-05-02）" in response.text
    assert "Input should" not in response.text


def test_validation_messages_on_an_en_page_are_english_and_name_the_field(pages_app, make_tenant):
    client = signed_in(pages_app, make_tenant())
    client.get("/c/lang/en", params={"next": "/c/people"})
    token = csrf_of(client.get("/c/people/new").text)
    response = client.post("/c/people/new", data={"csrf": token, "external_id": "EN-1", "max_hours_per_week": "99"})
    assert "“Most hours per week” must be at most 84 (it is 99)." in response.text
    assert "Input should" not in response.text
