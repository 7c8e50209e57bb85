"""HTML and PDF renderings: self-contained HTML with SVG charts; PDF with embedded CJK fonts whose
text extracts back, and a page 1 that rasterises to a non-blank A4 image."""
import re
import shutil
import subprocess

import pytest

from api.reports import charts
from api.reports.html import render_html
from api.reports.pdf import render_pdf
from assessment.report import build_report

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils (pdftotext, pdftoppm) not installed")


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_html_is_self_contained_with_inline_charts(complete_doc, facts, context, direction):
    html = render_html(build_report(complete_doc, facts, direction, context, audience="counsellor"))
    assert "<script" not in html and "<link" not in html
    assert not re.search(r'\s(src|href)=', html)  # nothing fetched from anywhere
    assert html.count("<svg") == 4  # aptitudes, traits, RIASEC hexagon, readiness
    assert "@page { size: A4" in html
    assert "王小明" in html and "CASE-7" in html


def test_html_escapes_report_text(complete_doc, facts, context):
    hostile = facts.model_copy(update={"person_name": "<script>alert(1)</script>"})
    html = render_html(build_report(complete_doc, hostile, None, context))
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_invalid_section_has_no_chart_and_shows_the_warning(careless_doc, facts, context):
    report = build_report(careless_doc, facts, None, context, audience="counsellor")
    html = render_html(report)
    assert report.traits.warning in html
    assert 'id="traits"' in html and html.count("<svg") == 1 + (report.interests.status == "shown") + (
        report.motivation.status == "shown")


def test_client_chart_prints_bands_not_numbers(complete_doc, facts, context):
    client = build_report(complete_doc, facts, None, context, audience="client")
    counsellor = build_report(complete_doc, facts, None, context, audience="counsellor")
    client_texts = [s.text for s in charts.score_bars(client.aptitudes.scales, client.labels, counsellor=False).shapes
                    if isinstance(s, charts.Text)]
    counsellor_texts = [s.text for s in charts.score_bars(counsellor.aptitudes.scales, counsellor.labels,
                                                          counsellor=True).shapes if isinstance(s, charts.Text)]
    assert not any(re.fullmatch(r"\d+(\.\d+)?", t) for t in client_texts)
    assert {"20", "50", "80", "T"} <= set(counsellor_texts)


def test_hexagon_puts_realistic_on_top_and_scales_means():
    scene = charts.riasec_hexagon({c: 5.0 for c in "RIASEC"}, {}, "RIA", counsellor=False)
    polygons = [s for s in scene.shapes if isinstance(s, charts.Polygon) and s.fill]
    top = polygons[0].points[0]
    assert top[0] == pytest.approx(scene.width / 2) and top[1] < scene.height / 2
    outer = [s for s in scene.shapes if isinstance(s, charts.Polygon) and not s.fill][-1]
    flat = [v for point in polygons[0].points for v in point]
    assert flat == pytest.approx([v for point in outer.points for v in point])  # 5 = the outer ring


@needs_poppler
def test_chinese_pdf_text_extracts_back(complete_doc, facts, context, direction, tmp_path):
    report = build_report(complete_doc, facts, direction, context, lang="zh-CN", audience="client")
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    for expected in ("我的职业素质测评结果", "能力倾向", "求职方向", "王小明", report.job_direction.occupations[0].title):
        assert expected in text.replace(" ", ""), expected


@needs_poppler
def test_pdf_embeds_the_shipped_fonts(complete_doc, facts, context, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(build_report(complete_doc, facts, None, context)))
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = [line for line in fonts.splitlines() if "NotoSansCJKsc" in line]
    assert rows and all(" yes " in row for row in rows)  # embedded (emb = yes)


@needs_poppler
def test_english_counsellor_pdf_has_statistics_and_notes(complete_doc, facts, context, tmp_path):
    text = _pdf_text(render_pdf(build_report(complete_doc, facts, None, context, lang="en",
                                             audience="counsellor")), tmp_path)
    assert "Notes for the expert interview (module 3)" in text
    assert "T (95% CI)" in text and "Counsellor version" in text


@needs_poppler
def test_page_one_rasterises_to_a_non_blank_a4_image(complete_doc, facts, context, tmp_path):
    from PIL import Image, ImageStat

    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(build_report(complete_doc, facts, None, context)))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    assert image.height / image.width == pytest.approx(297 / 210, rel=0.02)
    assert ImageStat.Stat(image).stddev[0] > 10  # text and charts, not an empty page
