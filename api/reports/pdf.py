"""PDF rendering of a ``Report`` with ReportLab (A4, embedded fonts, vector charts).

Fonts: Noto Sans CJK SC Regular and Bold (SIL Open Font License 1.1), shipped in ``api/reports/fonts``
with all of GB 18030's CJK Unified Ideographs (including Extension A) and the font's Extension B–G
ideographs (the 通用规范汉字表 outside the BMP, name characters such as 𠮷); see
``fonts/build_fonts.py``. They are registered once per process and embedded as a subset of the glyphs
each document uses, so Chinese renders on any machine with no system font and a PDF stays small;
``pdftotext`` gets the text back because ReportLab writes a ToUnicode map.

Layout follows the HTML template section by section; charts are the same scenes
(``api.reports.charts``) drawn as ReportLab graphics.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (Flowable, KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle)

from api.reports import charts
from api.reports.html import PUNCTUATION, chart_scenes
from api.timefmt import local_time
from models.report import DirectionLine, Report, ScoreLine, Section

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "NotoSansCJKsc", "NotoSansCJKsc-Bold"
ACCENT = colors.HexColor("#1f5f8b")
MUTED = colors.HexColor("#666666")
WARN_BG, OK_BG, LINE = colors.HexColor("#fff6ef"), colors.HexColor("#f0f8f3"), colors.HexColor("#dddddd")
MARGINS = dict(leftMargin=15 * mm, rightMargin=15 * mm, topMargin=16 * mm, bottomMargin=18 * mm)
CHART_WIDTH = 165 * mm


_reportlab_to_unicode = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap with each character written as UTF-16BE, as the PDF reference asks.

    ReportLab 5.1 prints a code point above U+FFFF as five hex digits (``<20BB7>``), so a reader
    extracts 𠮷 as U+20BB; a surrogate pair (``<D842DFB7>``) makes copy, search and ``pdftotext`` right."""
    cmap = _reportlab_to_unicode(fontname, subset)
    for code in subset:
        if code > 0xFFFF:
            cmap = cmap.replace(f"> <{code:04X}>", f"> <{chr(code).encode('utf-16-be').hex().upper()}>")
    return cmap


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """Register the shipped CJK fonts with ReportLab once per process (parsing takes ~0.4 s)."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "NotoSansCJKsc-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "NotoSansCJKsc-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return FONT, FONT_BOLD


class _Styles:
    def __init__(self, lang: str) -> None:
        wrap = "CJK" if lang == "zh-CN" else None  # CJK wrapping may break anywhere; Latin text wraps at spaces
        base = dict(fontName=FONT, wordWrap=wrap, alignment=TA_LEFT)
        self.body = ParagraphStyle("body", fontSize=10, leading=15, spaceAfter=3, **base)
        self.small = ParagraphStyle("small", fontSize=8.5, leading=12, textColor=MUTED, **base)
        self.cell = ParagraphStyle("cell", fontSize=8.5, leading=11.5, **base)
        self.title = ParagraphStyle("title", fontSize=17, leading=22, textColor=ACCENT, spaceAfter=4,
                                    **{**base, "fontName": FONT_BOLD})
        self.h2 = ParagraphStyle("h2", fontSize=12.5, leading=17, textColor=ACCENT, spaceBefore=9, spaceAfter=4,
                                 keepWithNext=1, **{**base, "fontName": FONT_BOLD})
        self.h3 = ParagraphStyle("h3", fontSize=10.5, leading=14, spaceBefore=5, spaceAfter=2, keepWithNext=1,
                                 **{**base, "fontName": FONT_BOLD})
        self.box = ParagraphStyle("box", fontSize=10, leading=14.5, **base)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class _Rule(Flowable):
    """The coloured line under a section heading."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width, self.height = width, 2
        self.keepWithNext = 1  # a heading never ends a page

    def draw(self) -> None:
        self.canv.setStrokeColor(ACCENT)
        self.canv.setLineWidth(1.5)
        self.canv.line(0, 1, self.width, 1)


class _PdfBuilder:
    def __init__(self, report: Report) -> None:
        self.r, self.L, self.P = report, report.labels, PUNCTUATION[report.lang]
        self.s = _Styles(report.lang)
        self.width = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
        self.scenes = chart_scenes(report)
        self.out: list[Flowable] = []
        self.counsellor = report.audience == "counsellor"

    # ------------------------------------------------------------------------------- primitives
    def para(self, text: str, style: ParagraphStyle | None = None) -> None:
        self.out.append(_p(text, style or self.s.body))

    def heading(self, text: str) -> None:
        self.out += [_p(text, self.s.h2), _Rule(self.width)]

    def boxed(self, text: str, background, bold: bool = False) -> None:
        content = f"<b>{escape(text)}</b>" if bold else escape(text)
        table = Table([[Paragraph(content, self.s.box)]], colWidths=[self.width])
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), background),
                                   ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT if background is OK_BG else
                                    colors.HexColor("#a0522d")),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 7), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
        self.out += [table, Spacer(1, 4)]

    def bullets(self, items: list[str], style: ParagraphStyle | None = None, numbered: bool = False) -> None:
        if not items:
            return
        style = style or self.s.body
        self.out.append(ListFlowable([ListItem(_p(x, style), leftIndent=12) for x in items],
                                     bulletType="1" if numbered else "bullet", start=1 if numbered else None,
                                     bulletFontName=FONT, bulletFontSize=style.fontSize - 1, leftIndent=12))

    def chart(self, key: str, caption: str | None = None, max_scale: float = 1.1) -> None:
        scene = self.scenes.get(key)
        if scene is None:
            return
        scale = min(CHART_WIDTH / scene.width, max_scale)
        parts: list[Flowable] = [charts.to_drawing(scene, FONT, FONT_BOLD, scale)]
        if caption:
            parts.append(_p(caption, self.s.small))
        self.out.append(KeepTogether(parts + [Spacer(1, 4)]))

    # ------------------------------------------------------------------------------- sections
    def header(self) -> None:
        h, L = self.r.header, self.L
        self.out.append(_p(f"{h.title} · {L['audience_' + self.r.audience]}", self.s.title))
        rows = [(L["person"], h.person_ref, L["name"] if h.person_name else "", h.person_name or ""),
                (L["assessed_on"], str(h.assessed_on), L["report_date"], str(h.report_date))]
        if h.centre or h.counsellor:
            rows.append((L["centre"], h.centre or "—", L["counsellor"], h.counsellor or "—"))
        rows.append((L["battery"], h.battery, "", ""))
        instruments = self.P["semi"].join(
            i.title + (f"{self.P['lp']}{i.version}, {L.get('mode_' + i.mode, i.mode)}{self.P['rp']}" if self.counsellor else "")
            for i in h.instruments)
        rows.append((L["instruments"], instruments, "", ""))
        if self.counsellor:
            rows.append((L["engine"], h.engine_version, "", ""))
            if h.norm_group:
                rows.append((L["norm_group"], h.norm_group, "", ""))
        data, spans = [], []
        for k, (a, b, c, d) in enumerate(rows):
            if not c and not d:
                data.append([_p(a, self.s.small), _p(b, self.s.cell), "", ""])
                spans.append(("SPAN", (1, k), (3, k)))
            else:
                data.append([_p(a, self.s.small), _p(b, self.s.cell), _p(c, self.s.small), _p(d, self.s.cell)])
        w = self.width
        table = Table(data, colWidths=[0.17 * w, 0.33 * w, 0.17 * w, 0.33 * w])
        table.setStyle(TableStyle(spans + [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                           ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        self.out += [table, Spacer(1, 4)]
        if h.provisional_note:
            self.boxed(h.provisional_note, WARN_BG)

    def validity(self) -> None:
        v = self.r.validity
        self.heading(self.L["validity"])
        self.boxed(v.headline, OK_BG if v.status == "ok" else WARN_BG)
        if self.counsellor or v.status != "ok":
            rows = []
            for line in v.instruments:
                text = escape(line.message) + "".join(
                    f"<br/><font color='#666666' size='8'>{escape(f.code) + ' · ' if self.r.lang == 'en' else ''}"
                    f"{escape(f.reason)}</font>" for f in line.flags)
                rows.append([_p(line.title, self.s.cell), Paragraph(text, self.s.cell)])
            self.out.append(self._grid(rows, [0.28, 0.72]))

    def _grid(self, rows: list[list], fractions: list[float], header: bool = False) -> Table:
        table = Table(rows, colWidths=[f * self.width for f in fractions], repeatRows=1 if header else 0)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f6f9")))
        table.setStyle(TableStyle(style))
        return table

    def section_head(self, s: Section) -> None:
        self.heading(s.title)
        if s.status != "shown" and s.warning:
            self.boxed(s.warning, WARN_BG, bold=True)
        for line in s.summary:
            self.para(line)

    def score_lines(self, lines: list[ScoreLine]) -> None:
        P = self.P
        if self.counsellor:
            rows = [[_p(self.L[x], self.s.cell) for x in ("scale", "col_t", "col_percentile", "col_stanine", "col_raw",
                                                          "col_items")]]
            for s in lines:
                if s.scored:
                    t = "—" if s.t is None else f"{s.t} ({s.t_low}–{s.t_high})"
                    rows.append([_p(s.name, self.s.cell), _p(t, self.s.cell),
                                 _p("—" if s.percentile is None else str(s.percentile), self.s.cell),
                                 _p(str(s.stanine or "—"), self.s.cell),
                                 _p(f"{s.raw} ± {s.se}\n{s.metric or ''}", self.s.cell), _p(s.items or "", self.s.cell)])
                else:
                    rows.append([_p(s.name, self.s.cell), _p(s.text or "", self.s.cell), "", "", "", ""])
            table = self._grid(rows, [0.2, 0.2, 0.1, 0.1, 0.28, 0.12], header=True)
            spans = [("SPAN", (1, k), (5, k)) for k, s in enumerate(lines, start=1) if not s.scored]
            table.setStyle(TableStyle(spans))
            self.out += [table, Spacer(1, 4)]
        for s in lines:
            if s.scored and s.text:
                band = f"{P['lp']}{s.band_label}{P['rp']}" if s.band_label else ""
                name = f"<b>{escape(s.name + band)}</b>" if s.strength else escape(s.name + band)
                self.out.append(Paragraph(f"{name}{escape(P['colon'])}{escape(s.text)}", self.s.body))
            elif not s.scored and not self.counsellor:
                self.para(f"{s.name}{P['colon']}{s.text or ''}", self.s.small)

    def aptitudes(self) -> None:
        a = self.r.aptitudes
        if a is None:
            return
        self.section_head(a)
        self.chart("aptitudes", self.L["chart_norm"])
        if a.status == "shown":
            self.score_lines(a.scales + ([a.general] if a.general else []))

    def simple(self, s: Section | None, key: str) -> None:
        if s is None:
            return
        self.section_head(s)
        self.chart(key)
        if s.status == "shown":
            self.score_lines(s.scales)

    def interests(self) -> None:
        i = self.r.interests
        if i is None:
            return
        self.section_head(i)
        self.chart("interests", max_scale=0.8)
        if i.tied_note:
            self.para(i.tied_note, self.s.small)
        if i.example_occupations:
            self.out.append(Paragraph(f"<b>{escape(self.L['examples'] + self.P['colon'])}</b>"
                                      f"{escape(self.P['sep'].join(i.example_occupations))}", self.s.body))
        if i.status == "shown":
            self.score_lines(i.scales)

    def motivation(self) -> None:
        m = self.r.motivation
        if m is None:
            return
        self.section_head(m)
        if m.values:
            self.out.append(_p(self.L["values" if self.counsellor else "values_client"], self.s.h3))
            self.bullets([v.name + (f"  ({v.score})" if v.score is not None else "") for v in m.values], numbered=True)
        if m.barriers:
            self.out.append(_p(self.L["barriers"], self.s.h3))
            self.bullets([f"{b['name']}{self.P['colon']}{b['support']}" for b in m.barriers])
        self.chart("motivation")
        if m.status == "shown":
            self.score_lines(m.scales)

    def direction_card(self, line: DirectionLine) -> Flowable:
        P = self.P
        title = f"<b>{line.rank}. {escape(line.title)}</b>"
        if self.counsellor and line.code:
            title += f" <font color='#666666' size='8'>{escape(line.code)}</font>"
        tags = line.fit_label + (f" · {line.fit}" if line.fit is not None else "")
        if line.next_step_label:
            tags += f"{P['semi']}{self.L['next_step']}{P['colon']}{line.next_step_label}"
        if line.bridging_programme:
            tags = f"{self.L['bridging_programme']}{P['colon']}{line.bridging_programme}"
        body: list[Flowable] = [Paragraph(f"{title}  <font color='#1f5f8b'>{escape(tags)}</font>", self.s.body)]
        body += [_p(f"• {x}", self.s.cell) for x in line.reasons]
        if line.components:
            body.append(_p(" · ".join(f"{self.L.get('component_' + k, k)} {'—' if v is None else f'{v:.2f}'}"
                                      for k, v in line.components.items()),
                           self.s.small))
        table = Table([[body]], colWidths=[self.width])
        table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, LINE), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
        return KeepTogether([table, Spacer(1, 4)])

    def job_direction(self) -> None:
        d = self.r.job_direction
        self.heading(self.L["job_direction"])
        if d.note:
            self.boxed(d.note, WARN_BG)
        if d.occupations:
            self.out.append(_p(self.L["occupations"], self.s.h3))
            self.out += [self.direction_card(o) for o in d.occupations]
            for line in d.next_steps_text:
                self.para(line)
        if d.after_training:
            self.out.append(_p(self.L["after_training"], self.s.h3))
            self.out += [self.direction_card(o) for o in d.after_training]
        if d.programmes:
            self.out.append(_p(self.L["programmes"], self.s.h3))
            self.out += [self.direction_card(p) for p in d.programmes]
        self.out.append(_p(self.L["next_module"], self.s.h3))
        m = d.next_module
        self.boxed(f"{m.module} · {m.name}{self.P['colon']}{m.reason}", OK_BG)

    def notes(self) -> None:
        n = self.r.counsellor_notes
        if n is None:
            return
        self.heading(self.L["notes"])
        self.bullets(n.interview_prompts)
        if n.item_flags:
            self.out.append(_p(self.L["item_flags"], self.s.h3))
            self.bullets(n.item_flags, self.s.small)
        self.out.append(_p(self.L["method_notes"], self.s.h3))
        self.bullets(n.method_notes, self.s.small)

    def build(self) -> list[Flowable]:
        self.header()
        self.validity()
        self.aptitudes()
        self.simple(self.r.traits, "traits")
        self.interests()
        self.motivation()
        self.job_direction()
        self.notes()
        self.out += [Spacer(1, 8), _p(self.r.closing, self.s.small)]
        return self.out


def render_pdf(report: Report) -> bytes:
    """The report as a PDF document (A4)."""
    register_fonts()
    buffer = io.BytesIO()
    footer = (f"{report.labels['confidential']}  ·  {report.header.result_id}  ·  {report.labels['generated_at']} "
              f"{local_time(report.generated_at, report.lang)}")
    page_label = report.labels["page"]

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGINS["leftMargin"], 10 * mm, footer)
        canvas.drawRightString(A4[0] - MARGINS["rightMargin"], 10 * mm, page_label.format(page=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"{report.header.title} {report.header.person_ref}",
                            author=report.header.centre or "pathfit", subject=report.labels["title"],
                            creator="pathfit", lang=report.lang, **MARGINS)
    doc.build(_PdfBuilder(report).build(), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
