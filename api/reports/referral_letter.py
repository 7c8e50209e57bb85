"""The referral letter (就业推荐信) as a zh-CN PDF: A4, ReportLab and the bundled Noto Sans CJK font
as in api/reports/pdf.py. Plain and printable: who is referred to which job at which employer, by which
centre and counsellor, on which day, with the reference number the employer can quote when replying."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from api.reports.pdf import FONT, LINE, MARGINS, MUTED, _p, _Rule, _Styles, register_fonts

if TYPE_CHECKING:
    from api.services.referrals import LetterFacts


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def render_referral_letter(facts: LetterFacts) -> bytes:
    """The letter as PDF bytes (zh-CN)."""
    register_fonts()
    s = _Styles("zh-CN")
    width = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
    person = facts.person_name + (f"（编号 {facts.person_external_id}）"
                                  if facts.person_external_id and facts.person_external_id != facts.person_name else "")
    job = facts.vacancy_title + (f"（{facts.vacancy_district}）" if facts.vacancy_district else "")
    out = [_p("就业推荐信", s.title), _p(f"推荐编号：{facts.reference}", s.small), _Rule(width), Spacer(1, 8),
           _p(f"{facts.employer}：", s.body), Spacer(1, 4),
           _p(f"我中心推荐 {facts.person_name} 前来应聘贵单位的“{facts.vacancy_title}”岗位。"
              "请安排面试或沟通，并将结果告知我中心，谢谢！", s.body), Spacer(1, 8)]
    rows = [("求职人", person), ("应聘单位", facts.employer), ("应聘岗位", job),
            ("推荐机构", facts.centre), ("就业指导师", facts.counsellor or "—"), ("推荐日期", _date(facts.referred_on)),
            ("推荐编号", facts.reference)]
    table = Table([[_p(k, s.cell), _p(v, s.body)] for k, v in rows], colWidths=[width * 0.22, width * 0.78])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 4),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    out += [table, Spacer(1, 10),
            _p("回复时请注明推荐编号。无论是否录用，都请告诉我们，这能帮助我们更好地为求职人服务。", s.body),
            Spacer(1, 24)]
    signature = Table([[_p("", s.body), _p(f"{facts.centre}（盖章）", s.body)],
                       [_p("", s.body), _p(_date(facts.referred_on), s.body)]],
                      colWidths=[width * 0.5, width * 0.5], rowHeights=[12 * mm, 8 * mm])
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    out.append(signature)

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGINS["leftMargin"], 10 * mm, f"就业推荐信 · {facts.reference}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"就业推荐信 {facts.reference}", author=facts.centre,
                            creator="pathfit", lang="zh-CN", **MARGINS)
    doc.build(out, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
