"""The test taker's screen says things the way the screen shows them: practice feedback names the
option by its number (or "figure n"), a questionnaire practice confirms instead of "showing the
answer", a shared lead-in appears once per page, and the part label fits a phone's top bar."""
import pytest

from tests.browser.test_flows import _start_via_api, open_take, view


def _advance_to(live_server, token: str, instrument_id: str) -> None:
    """Answer through the API until the current part is ``instrument_id``."""
    with live_server.api() as client:
        for _ in range(200):
            page = client.get(f"/v1/take/{token}").json()
            if page["part"]["instrument"]["id"] == instrument_id:
                return
            item = page["items"][0]
            client.post(f"/v1/take/{token}/answers",
                        json={"answers": [{"instrument_id": page["part"]["instrument"]["id"], "item_id": item["id"],
                                           "answer": item["options"][0]["id"]}]})
    raise AssertionError(f"{instrument_id} not reached")


def _practice(page, live_server, external_id: str, instrument_id: str) -> None:
    token = _start_via_api(live_server, external_id)
    _advance_to(live_server, token, instrument_id)
    open_take(page, f"{live_server.base_url}/t/{token}")
    assert view(page) == "intro"
    page.click("#go")
    page.wait_for_function("() => document.getElementById('screen').dataset.view === 'practice'")


def _feedback_after_choosing(page, number: str) -> str:
    page.keyboard.press(number)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#screen .feedback').textContent.length > 0")
    return page.inner_text("#screen .feedback")


def test_verbal_practice_feedback_names_the_option_by_its_number_and_text(page, live_server):
    _practice(page, live_server, "WORD-V", "aptitude-v")
    feedback = _feedback_after_choosing(page, "2")
    assert feedback.startswith("再看一看。 正确答案是第 1 个：“关上”。")
    assert " A" not in feedback and "A “" not in feedback


def test_spatial_practice_feedback_names_the_figure_by_its_place(page, live_server):
    _practice(page, live_server, "WORD-S", "aptitude-s")
    feedback = _feedback_after_choosing(page, "1")
    assert "正确答案是第 4 个图形。" in feedback
    assert "D" not in feedback


def test_interest_practice_button_confirms_and_shows_no_answer(page, live_server):
    _practice(page, live_server, "WORD-I", "interest-riasec")
    button = page.locator("#screen form button.primary")
    assert button.inner_text() == "确定"
    feedback = _feedback_after_choosing(page, "4")
    assert "正确答案" not in feedback and "再看一看" not in feedback


def test_work_values_lead_in_is_shown_once_per_page(page, live_server):
    token = _start_via_api(live_server, "WORD-M")
    _advance_to(live_server, token, "motivation")
    open_take(page, f"{live_server.base_url}/t/{token}")
    while view(page) in ("intro", "practice"):
        page.click("#screen button.primary") if view(page) == "practice" else page.click("#go")
        page.wait_for_timeout(300)
    page.wait_for_function("() => document.getElementById('screen').dataset.view === 'likert'")
    legends = page.locator("fieldset.lk legend").all_inner_texts()
    stems = page.locator("#screen p.stem").all_inner_texts()
    assert stems.count("找工作时，这一点对您有多重要：") == 1
    assert not any("这一点对您有多重要" in text for text in legends)


@pytest.mark.parametrize("width", [360, 320])
def test_part_label_stays_on_one_line_on_a_phone(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="zh-CN", device_scale_factor=2)
    try:
        page = context.new_page()
        token = _start_via_api(live_server, f"WORD-PHONE-{width}")
        open_take(page, f"{live_server.base_url}/t/{token}")
        label = page.locator("#part-label")
        assert label.inner_text() == "第 1 部分，共 5 部分"
        lines = page.evaluate("""() => { const e = document.getElementById('part-label');
            return e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight); }""")
        assert lines < 1.5
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    finally:
        context.close()
