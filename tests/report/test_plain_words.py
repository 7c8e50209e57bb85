"""What each reader sees: the client version has no statistic, no level label and no code; the
zh-CN versions have no English left in them; times are the centre's, with the zone named."""
import html as htmllib
import re
import shutil
import subprocess

import pytest

from api.reports.html import render_html
from api.reports.pdf import render_pdf
from assessment.report import build_report

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

# ASCII words a zh-CN report may contain: codes and units, citations and the names of methods.
ALLOWED_ASCII = {
    "T", "SD", "IRT", "EAP", "PL", "GATB", "O*NET", "IPIP", "JOBS", "Holland", "logit", "pathfit",
    "V", "N", "S", "P", "Q", "G", "R", "I", "A", "E", "C", "O", "W", "ES", "BR",  # scale and type letters
    "Warr", "Ellis", "Taylor", "van", "Ryn", "Vinokur", "Blau", "Prochaska", "DiClemente",  # cited authors
}
# Ids and versions are codes, not words: r_test, CASE-7, 1.0.0+9795c1347a52, norms-0057edf4040d, pathfit-scoring.
CODE = re.compile(r"[A-Za-z0-9_.+]*\d[A-Za-z0-9_.+]*|\b[a-z]{1,3}_[A-Za-z0-9_]+|[A-Za-z]+(-[A-Za-z0-9]+)+|\b[RIASEC]{2,3}\b")


def _visible_text(document: str) -> str:
    document = re.sub(r"<style.*?</style>", " ", document, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", document))


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def _english_words(text: str) -> set[str]:
    text = CODE.sub(" ", text)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z*]*", text) if w not in ALLOWED_ASCII}


def _reports(docs, facts, context, direction, lang="zh-CN"):
    for doc in docs:
        for audience in ("client", "counsellor"):
            yield audience, build_report(doc, facts, direction, context, lang=lang, audience=audience)


def test_the_work_values_heading_is_text_not_a_python_object(complete_doc, facts, context):
    for audience, heading in (("client", "values_client"), ("counsellor", "values")):
        report = build_report(complete_doc, facts, None, context, audience=audience)
        page = render_html(report)
        assert "built-in method" not in page
        assert f"<h3>{report.labels[heading]}</h3>" in page


@needs_poppler
def test_zh_cn_reports_have_no_english_words(complete_doc, partial_doc, careless_doc, facts, context, direction,
                                             tmp_path):
    for audience, report in _reports([complete_doc, partial_doc, careless_doc], facts, context, direction):
        for kind, text in (("html", _visible_text(render_html(report))),
                           ("pdf", _pdf_text(render_pdf(report), tmp_path))):
            assert _english_words(text) == set(), (audience, kind)


def test_counsellor_zh_cn_names_components_and_columns_in_chinese(complete_doc, facts, context, direction):
    text = _visible_text(render_html(build_report(complete_doc, facts, direction, context, audience="counsellor")))
    for leak in ("%ile", "stanine", "raw ± SE", "items", "95% CI", "work_values", "aptitude 0."):
        assert leak not in text
    for chinese in ("百分位", "标准九分", "原始分 ± 标准误", "工作价值观", "能力 0.", "学历 初中"):
        assert chinese in text


STATISTICS = re.compile(r"\d+\.\d|\d\s*%|百分位|常模|T\s*分|标准分|置信|可信范围|兴趣代码|代码|"
                        r"[（(][RIASEC][）)]|\b[RIASEC]{2,3}\b|很低|偏低|偏高|很高")


@needs_poppler
def test_client_version_has_no_statistics_levels_or_codes(complete_doc, partial_doc, careless_doc, facts, context,
                                                          direction, tmp_path):
    for audience, report in _reports([complete_doc, partial_doc, careless_doc], facts, context, direction):
        if audience != "client":
            continue
        for text in (_visible_text(render_html(report)), _pdf_text(render_pdf(report), tmp_path)):
            found = STATISTICS.findall(text)
            assert found == [], found


def test_client_version_draws_no_chart_against_the_norm_group(complete_doc, facts, context):
    page = render_html(build_report(complete_doc, facts, None, context, audience="client"))
    assert "<svg" not in page


def test_client_version_says_what_the_person_likes_doing_in_plain_verbs(complete_doc, facts, context):
    report = build_report(complete_doc, facts, None, context, audience="client")
    assert report.interests.summary[0].startswith("您最喜欢做的是：")
    assert "动手做" in report.interests.summary[0]
    assert report.interests.code is None and not report.interests.scores


def test_client_version_calls_general_ability_learning_new_things(complete_doc, facts, context):
    report = build_report(complete_doc, facts, None, context, audience="client")
    assert report.aptitudes.general.name == "学新东西的能力"
    assert all(s.band_label is None and s.chart is None for s in report.aptitudes.scales)


def test_report_times_are_the_centres_local_time_with_the_zone_named(complete_doc, facts, context):
    # SCORED_AT is 09:30 UTC; Beijing is UTC+8
    from tests.report.conftest import SCORED_AT

    page = render_html(build_report(complete_doc, facts, None, context, generated_at=SCORED_AT))
    assert "2026-03-02 17:30 北京时间" in page and "UTC" not in page


@needs_poppler
@pytest.mark.parametrize("name", ["张喆堃玥赟", "𠮷野家", "䶮", "赵𫖮"])
def test_rare_name_characters_print_in_the_pdf(complete_doc, facts, context, tmp_path, name):
    named = facts.model_copy(update={"person_name": name})
    pdf = render_pdf(build_report(complete_doc, named, None, context))
    assert name in _pdf_text(pdf, tmp_path).replace(" ", "")
    assert len(pdf) < 400_000  # only the glyphs used are embedded


@pytest.mark.parametrize("name", ["NotoSansCJKsc-Regular.ttf", "NotoSansCJKsc-Bold.ttf"])
def test_shipped_fonts_cover_gb18030_unified_ideographs_and_extension_a(name):
    from fontTools.ttLib import TTFont

    from api.reports.pdf import FONT_DIR

    cmap = TTFont(FONT_DIR / name).getBestCmap()
    gb18030 = [*range(0x4E00, 0x9FA6), *range(0x3400, 0x4DB6)]  # 20,902 + 6,582
    assert [hex(c) for c in gb18030 if c not in cmap] == []
    assert ord("𠮷") in cmap and ord("𫖮") in cmap


def test_the_assessment_date_is_the_day_in_the_centres_zone(complete_doc, facts, context):
    from datetime import datetime, timezone

    from api.timefmt import to_local

    late = complete_doc.model_copy(update={"scored_at": datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc)})
    local_day = to_local(late.scored_at).date()  # 04:00 on 3 March in Beijing
    report = build_report(late, facts.model_copy(update={"assessed_on": local_day}), None, context)
    assert str(report.header.assessed_on) == "2026-03-03"
