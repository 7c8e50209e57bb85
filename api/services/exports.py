"""Excel workbooks a counsellor downloads: the people list, a summary of results, one person's matches.

Each is one sheet with a header row in the reader's language. Text cells pass through
``api.adapters.cellsafe.neutralise_text`` so nothing taken from an input file can run as a formula when the
workbook is opened. The callers write the audit rows (one per export, naming the ids it holds).
"""
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from api.adapters.cellsafe import neutralise_text
from api.labels import label
from api.timefmt import local_time
from models.tables import AssessmentResult, Person

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PEOPLE_HEADERS = {"zh-CN": ["编号", "姓名", "出生年份", "性别", "文化程度", "所在区", "期望月薪（元）", "技能", "证书", "登记时间"],
                  "en": ["Case number", "Name", "Year of birth", "Gender", "Education", "District",
                         "Expected monthly pay (yuan)", "Skills", "Certificates", "Registered"]}
RESULT_HEADERS = {"zh-CN": ["编号", "姓名", "结果编号", "测评套餐", "计分时间", "量表", "T 分数", "百分等级", "可以解读"],
                  "en": ["Case number", "Name", "Result id", "Battery", "Scored", "Scale", "T-score", "Percentile",
                         "Interpretable"]}
MATCH_HEADERS = {"zh-CN": ["类别", "名次", "名称", "单位或机构", "所在区", "匹配分", "理由"],
                 "en": ["Kind", "Rank", "Title", "Employer or provider", "District", "Fit", "Reasons"]}


def workbook(title: str, headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    """One sheet: the header row, then ``rows``; text cells made formula-safe; columns sized to fit."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    widths = [len(h) * 2 for h in headers]
    for row in rows:
        cells = [neutralise_text(v) for v in row]
        sheet.append(cells)
        widths = [max(w, min(60, len(str(c)) * 2 if c is not None else 0)) for w, c in zip(widths, cells)]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(8, width)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def people_rows(people: list[Person], lang: str) -> list[list[Any]]:
    return [[p.external_id, p.name, p.birth_year, label("Gender", p.gender, lang) if p.gender else None,
             label("EducationLevel", p.education, lang) if p.education else None, p.district, p.expected_monthly_pay,
             "、".join(p.skills or []), "、".join(p.certificates or []),
             local_time(p.created_at, lang)] for p in people]


def result_rows(results: list[tuple[AssessmentResult, Person]], lang: str) -> list[list[Any]]:
    """One row per scored scale and composite of each result (T-score and percentile when normed)."""
    rows = []
    yes, no = ("yes", "no") if lang == "en" else ("是", "否")
    for result, person in results:
        document = result.document or {}
        scales = [(s, part.get("interpretable", True)) for part in document.get("instruments", [])
                  for s in part.get("scales", [])] + [(s, True) for s in document.get("composites", [])]
        for scale, interpretable in scales:
            if not scale.get("scored"):
                continue
            normed = scale.get("normed") or {}
            name = (scale.get("name") or {}).get(lang) or scale.get("scale_id")
            rows.append([person.external_id, person.name, result.id, document.get("battery_id"),
                         local_time(result.created_at, lang), name,
                         round(normed["t"], 1) if "t" in normed else None,
                         round(normed["percentile"]) if "percentile" in normed else None, yes if interpretable else no])
    return rows
