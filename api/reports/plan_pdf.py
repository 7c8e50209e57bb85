"""The 一人一策 plan (援助协议) as a zh-CN PDF for the person and the counsellor to sign (A4, ReportLab,
the bundled Noto Sans CJK font as in api/reports/pdf.py).

Plain words for the person: what we aim for, who does what by when, which supports may apply (to be
checked by the office that grants them — the plan promises none), when we look at the plan again.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from api.reports.pdf import FONT, LINE, MARGINS, MUTED, WARN_BG, _p, _Rule, _Styles, register_fonts
from api.timefmt import local_time
from models.pathway_case import OWNER_LABELS, PlanDocument


@dataclass(frozen=True)
class PlanHeader:
    """What the PDF names besides the document: whose plan, which centre, which version and state."""

    person_ref: str
    person_name: str | None
    centre: str | None
    version: int
    status: str
    signed_at_text: str | None
    current_module: str | None


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def render_plan_pdf(header: PlanHeader, document: PlanDocument) -> bytes:
    """The plan as PDF bytes (zh-CN)."""
    register_fonts()
    s = _Styles("zh-CN")
    width = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
    out = [_p("一人一策就业援助计划（援助协议）", s.title)]
    who = header.person_name or header.person_ref
    facts = [f"服务对象：{who}（编号 {header.person_ref}）" if header.person_name else f"服务对象编号：{who}"]
    if header.centre:
        facts.append(f"服务机构：{header.centre}")
    facts.append(f"计划版本：第 {header.version} 版（" + (f"已签署，{header.signed_at_text}" if header.status == "signed"
                                                          else "草稿，尚未签署") + "）")
    if header.current_module:
        facts.append(f"目前所在服务：{header.current_module}")
    out += [_p(line, s.body) for line in facts]
    if header.status != "signed":
        table = Table([[_p("这是草稿。双方签字后才生效。", s.box)]], colWidths=[width])
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), WARN_BG), ("LEFTPADDING", (0, 0), (-1, -1), 7)]))
        out += [Spacer(1, 4), table]

    def heading(text: str) -> None:
        out.extend([_p(text, s.h2), _Rule(width)])

    heading("我们的目标")
    out.append(_p(f"找到“{document.goal.title}”方面的工作。" if document.goal else "求职方向还要和指导师一起商定。", s.body))

    heading("要做的事")
    rows = [[_p("事项", s.cell), _p("由谁来做", s.cell), _p("完成时间", s.cell)]]
    rows += [[_p(step.text, s.cell), _p(OWNER_LABELS[step.owner.value]["zh-CN"], s.cell), _p(_date(step.due_on), s.cell)]
             for step in document.steps]
    table = Table(rows, colWidths=[width * 0.6, width * 0.18, width * 0.22], repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef4f8")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out.append(table)

    heading("可能适用的扶持政策（待核实）")
    if document.supports:
        out.append(_p("下面这些政策您可能符合条件，指导师会帮您向经办部门核实。是否能享受，以经办部门审核结果为准。", s.body))
        out += [_p(f"· {item.name}（待核实）", s.body) for item in document.supports]
    else:
        out.append(_p("暂未列出。如果您觉得自己可能符合某项政策，请告诉指导师，我们帮您问清楚。", s.body))

    heading("下次一起看这份计划")
    out.append(_p(f"{_date(document.review_on)}，我们一起看看进展，需要时调整计划。", s.body))
    if document.note:
        heading("备注")
        out.append(_p(document.note, s.body))

    out += [Spacer(1, 14), _p("以上内容双方已商定，共同遵守。", s.body), Spacer(1, 16)]
    signatures = Table([[_p("服务对象签字：", s.body), _p("日期：", s.body)],
                        [_p("就业指导师签字：", s.body), _p("日期：", s.body)]],
                       colWidths=[width * 0.6, width * 0.4], rowHeights=[14 * mm, 14 * mm])
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    out.append(signatures)

    buffer = io.BytesIO()
    footer = f"一人一策 · {header.person_ref} · 第 {header.version} 版"

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGINS["leftMargin"], 10 * mm, footer)
        canvas.drawRightString(A4[0] - MARGINS["rightMargin"], 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"一人一策就业援助计划 {header.person_ref}",
                            author=header.centre or "pathfit", creator="pathfit", lang="zh-CN", **MARGINS)
    doc.build(out, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def signed_text(moment) -> str:
    return local_time(moment, "zh-CN", "%Y-%m-%d")

