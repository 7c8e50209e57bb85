"""The test taker's page without a browser: what the HTML shell carries and what it does not."""
import json
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from models.enums import Role


@pytest.fixture(scope="module")
def pages_app(database_url):
    settings = Settings(database_url=database_url, log_level="WARNING")
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def started(pages_app):
    """(client, token, tenant) for a fresh short-battery session in Chinese."""
    from api.db import make_sessionmaker
    from api.tenancy import create_api_key, create_organisation

    with make_sessionmaker(pages_app.state.engine)() as session, session.begin():
        organisation = create_organisation(session, "考场", "测试区")
        _, key = create_api_key(session, organisation.id, Role.counsellor, "t")
    client = TestClient(pages_app)
    headers = {"Authorization": f"Bearer {key}"}
    person = client.post("/v1/persons", json={"external_id": "T-1"}, headers=headers).json()
    token = client.post("/v1/assessments", json={"person_id": person["id"], "battery": "short"},
                        headers=headers).json()["token"]
    return client, token, key


def test_the_page_opens_in_chinese_by_default_and_in_english_on_request(started):
    client, token, _ = started
    assert 'lang="zh-CN"' in client.get(f"/t/{token}").text
    english = client.get(f"/t/{token}", params={"lang": "en"}).text
    assert 'lang="en"' in english and "Vocational assessment" in english


def test_the_page_carries_no_key_no_items_and_no_cookie(started):
    client, token, key = started
    response = TestClient(client.app).get(f"/t/{token}")
    assert key not in response.text and "pfk." not in response.text
    assert "set-cookie" not in response.headers
    # The shell holds only interface texts; items come one page at a time from the public JSON API.
    assert "超市今天的鸡蛋" not in response.text
    assert re.search(r'<script src="/static/take.js"', response.text)


def test_the_page_is_served_with_a_strict_policy(started):
    client, token, _ = started
    headers = client.get(f"/t/{token}").headers
    assert "script-src" not in headers["content-security-policy"]  # default-src 'self': no inline scripts
    assert headers["referrer-policy"] == "no-referrer" and headers["cache-control"] == "no-store"


def test_an_unknown_link_says_so_plainly(pages_app):
    response = TestClient(pages_app).get("/t/not-a-token")
    assert response.status_code == 404
    assert "这个测评链接无效" in response.text and "take.js" not in response.text


def test_the_static_files_are_served(pages_app):
    client = TestClient(pages_app)
    for path in ("/static/take.js", "/static/take.css", "/static/c.css", "/static/c.js"):
        assert client.get(path).status_code == 200, path


# ASCII a zh-CN test-taker page may carry: the button that switches to English (labelled in English,
# marked lang="en"), the name of the browser feature, and template placeholders.
TAKER_ALLOWED_ASCII = {"English", "Switch", "to", "JavaScript", "n", "text", "i", "a", "p", "m", "s"}


def _ascii_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text)) - TAKER_ALLOWED_ASCII


def test_the_chinese_page_and_every_part_it_serves_have_no_english_words(started):
    client, token, _ = started
    shell = client.get(f"/t/{token}").text
    strings = re.search(r'<script type="application/json" id="strings">(.*?)</script>', shell, re.S).group(1)
    assert _ascii_words(" ".join(json.loads(strings)["zh-CN"].values())) == set()
    visible = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", shell, flags=re.S)
    assert _ascii_words(visible) == set()
    seen = set()
    for _ in range(80):  # walk the whole short battery: instructions, practice and every item text
        page = client.get(f"/v1/take/{token}").json()
        if not page.get("items"):
            break
        part = page["part"]["instrument"]
        if part["id"] not in seen:
            seen.add(part["id"])
            texts = [part["title"], part.get("instructions") or ""]
            for p in part.get("practice") or []:
                texts += [p.get("text") or "", p.get("feedback") or ""] + [o.get("text") or "" for o in p["options"]]
            assert _ascii_words(" ".join(texts)) == set(), part["id"]
        for item in page["items"]:
            assert _ascii_words(" ".join([item.get("text") or ""] + [o.get("text") or "" for o in item["options"]])) \
                == set(), item["id"]
        client.post(f"/v1/take/{token}/answers", json={"answers": [
            {"instrument_id": part["id"], "item_id": i["id"], "answer": i["options"][0]["id"]} for i in page["items"]]})
    assert {"aptitude-v", "interest-riasec", "motivation"} <= seen
