"""Occupations the person cannot enter yet reach the report in their own list, "培训后可以考虑",
with the course that opens them, and never in the main list of job directions."""
import shutil
import subprocess

import pytest

from api.reports.html import render_html
from api.reports.pdf import render_pdf
from assessment.report import build_report, direction_from_rankings
from models.match import IneligibleSummary, MatchResult, Ranking, Reason

LATER = MatchResult(
    item_id="4-02-02-02", kind="occupation", rank=1, title="道路货运汽车驾驶员", occupation_code="4-02-02-02",
    total=71.0, components={"aptitude": 0.8}, bridging_programme="货车驾驶员（A2）培训",
    reasons=[Reason(code="after_training_certificate", kind="gap", zh_CN="考取 A2 驾驶证后可以做。",
                    en="Open to you once you hold an A2 licence.")])


def _with_later(direction_ranking: Ranking) -> Ranking:
    return direction_ranking.model_copy(update={"after_training": [LATER]})


@pytest.fixture(scope="module")
def ranking(direction_ranking) -> Ranking:
    return _with_later(direction_ranking)


@pytest.mark.parametrize("audience", ["client", "counsellor"])
def test_options_after_training_have_their_own_list_with_the_bridging_course(complete_doc, facts, context,
                                                                             ranking, audience):
    report = build_report(complete_doc, facts, direction_from_rankings(ranking), context, audience=audience)
    later = report.job_direction.after_training
    assert [line.title for line in later] == ["道路货运汽车驾驶员"]
    assert later[0].bridging_programme == "货车驾驶员（A2）培训"
    assert "道路货运汽车驾驶员" not in [line.title for line in report.job_direction.occupations]


def test_html_report_shows_options_after_training_under_their_heading(complete_doc, facts, context, ranking):
    html = render_html(build_report(complete_doc, facts, direction_from_rankings(ranking), context))
    heading = html.index("培训后可以考虑")
    assert html.index("道路货运汽车驾驶员") > heading
    assert "货车驾驶员（A2）培训" in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_pdf_report_shows_options_after_training_with_the_course(complete_doc, facts, context, ranking,
                                                                 tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(build_report(complete_doc, facts, direction_from_rankings(ranking), context)))
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    text = text.replace(" ", "").replace("\n", "")
    assert "培训后可以考虑" in text and "货车驾驶员（A2）培训" in text


def test_a_ranking_without_options_after_training_shows_no_such_list(complete_doc, facts, context,
                                                                    direction_ranking):
    html = render_html(build_report(complete_doc, facts, direction_from_rankings(direction_ranking), context))
    assert "培训后可以考虑" not in html
