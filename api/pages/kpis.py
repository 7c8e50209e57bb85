"""The counsellor's page of centre figures, ``/c/kpis`` (the same figures as GET /v1/kpis), and its Excel
download ``/c/kpis.xlsx``. Both are audit-logged like the API (resource ``kpis``)."""
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api import audit
from api.deps import SessionDep
from api.errors import Problem
from api.pages.web import Counsellor, page_lang, render
from api.services import kpis as service
from api.services.enrolments import local_today
from api.services.exports import XLSX

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)

# The page's own texts (zh-CN, en): figure names, definitions in plain words, and the fairness note.
TEXTS = {
    "title": ("中心指标", "Centre figures"),
    "from": ("开始日期", "From"),
    "to": ("截止日期", "To"),
    "district": ("区", "District"),
    "all_districts": ("全部区", "All districts"),
    "show": ("查看", "Show"),
    "export": ("导出 Excel", "Download Excel"),
    "period": ("统计期：{a} 至 {b}（含首尾两天），计算日期 {c}。", "Period {a} to {b} (both days included), computed on {c}."),
    "overall": ("全中心", "Whole centre"),
    "figure": ("指标", "Figure"),
    "value": ("数值", "Value"),
    "standard": ("标准", "Standard"),
    "met": ("达标", "met"),
    "not_met": ("未达标", "not met"),
    "none": ("—", "—"),
    "by_district": ("按区", "By district"),
    "by_counsellor": ("按职业指导师", "By counsellor"),
    "counsellor_help": ("每个人算在最近一次为他记录路径模块的职业指导师名下；还没有记录模块的人算“未分配”。",
                        "Each person counts for the counsellor who last recorded a pathway module for them; "
                        "people with no module recorded yet are “unassigned”."),
    "unassigned": ("未分配", "Unassigned"),
    "served": ("服务人数", "Served"),
    "placed": ("实现就业", "Placed"),
    "stable": ("稳定就业（满 {m} 个月）", "In stable work ({m} months)"),
    "stable_short": ("稳定就业", "Stable"),
    "median_days": ("到稳定就业的天数（中位数）", "Days to stable work (median)"),
    "median_modules": ("经过的模块数（中位数）", "Modules to stable work (median)"),
    "training_rate": ("培训后就业率", "Placement rate after training"),
    "reemployment_rate": ("再就业率", "Re-employment rate"),
    "zero_households": ("零就业家庭（期初）", "Zero-employment households (at start)"),
    "zero_now_stable": ("零就业家庭实现一人稳定就业", "Zero-employment households now with a member in stable work"),
    "followups": ("按时回访", "Follow-ups on time"),
    "of": ("{a} / {b}", "{a} of {b}"),
    "definitions": ("指标怎么算", "How the figures are counted"),
    "def_served": ("统计期内有过服务记录（登记、路径模块、推荐、求职结果、培训、回访）的人。",
                   "People with any service recorded in the period (registration, a pathway module, a referral, "
                   "an outcome, training, a follow-up)."),
    "def_placed": ("统计期内开始上岗的人（不论是推荐、自己找到、培训、见习还是公益性岗位）。",
                   "People who started a job in the period, by any route (referral, own search, training, "
                   "internship, public-welfare post)."),
    "def_stable": ("上岗满 {m} 个月仍在岗、且满 {m} 个月那天落在统计期内的人。",
                   "People still in the job {m} months after starting, where that day falls in the period."),
    "def_path": ("从登记到开始这份稳定工作用了多少天、经过了几个模块（模块 1–6），取中位数：越短越好。",
                 "Days from registration to the start of the job that proved stable, and how many of modules "
                 "1–6 the person went through first (medians; shorter is better)."),
    "def_training": ("统计期内培训结业的人中，从开课到结业后 {d} 天内上岗的比例。刚结业的人还有时间，所以最近几周的比例以后还会上升。",
                     "Of the people who finished a course in the period, the share who started a job between the "
                     "course's start and {d} days after it ended. People who finished recently still have time, "
                     "so the latest weeks' rate can only go up."),
    "def_reemployment": ("统计期内服务过的登记失业人员中，统计期最后一天在岗的比例。",
                         "Of the registered unemployed people served in the period, the share in work on its "
                         "last day."),
    "def_households": ("期初（期内才建档的家庭按建档那天）没有一个劳动年龄成员在岗的家庭数；以及统计期内有成员稳定就业、"
                       "且他上岗前家里没人在岗的家庭数。",
                       "Households with no working-age member in work on the first day (households recorded later "
                       "in the period: on the day they were recorded); and households where a member's job became "
                       "stable in the period while nobody in the family had work before it started."),
    "def_followups": ("上岗后每满一个月应回访一次（最多 {n} 个月，离职后不再需要），在到期后 {g} 天内回访算按时。还没到截止日的不算。",
                      "A follow-up is due every month after the start (for up to {n} months, none after the "
                      "person left), on time if made by {g} days after the due day. Due days whose deadline "
                      "has not passed are not counted yet."),
    "fairness": ("公平性查看：按性别和年龄段", "Fairness view: by gender and age band"),
    "fairness_help": ("这里只列人数，用来检查不同群体得到的服务结果有没有差别，不能用来挑选或排序任何人。"
                      "不到 {k} 人的格子不显示；如果一列里只有一个格子不显示，再隐去一个最小的格子，免得用合计倒推出来。",
                      "Counts only, to check whether groups fare differently; never used to choose or rank "
                      "anyone. Cells with fewer than {k} people are hidden; when only one cell of a column "
                      "would be hidden, the next smallest is hidden too, so it cannot be worked out from the "
                      "total."),
    "by_gender": ("按性别", "By gender"),
    "by_age": ("按年龄段", "By age band"),
    "group": ("组别", "Group"),
    "suppressed": ("<{k}", "<{k}"),
    "bad_period": ("开始日期不能晚于截止日期，统计期也不能超过十年。", "The start must not be after the end, and the "
                                                                   "period cannot be longer than ten years."),
}


def _texts(lang: str):
    index = 1 if lang == "en" else 0

    def k(key: str, **values) -> str:
        return TEXTS[key][index].format(**values) if values else TEXTS[key][index]
    return k


def _report(request: Request, db, principal, start: date | None, end: date | None, district: str | None):
    settings = request.app.state.settings
    today = local_today(settings.timezone)
    start, end = service.check_period(start, end, today)
    return service.centre_report(db, principal.organisation_id, settings, start, end, district, today)


@router.get("/kpis", response_class=HTMLResponse)
def kpis_page(request: Request, db: SessionDep, principal: Counsellor,
              from_: Annotated[date | None, Query(alias="from")] = None, to: date | None = None,
              district: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
    lang = page_lang(request)
    context = {"k": _texts(lang), "districts": service.districts(db, principal.organisation_id),
               "district": district or "", "group_label": lambda d, c: service.group_label(d, c, lang),
               "followup_months": service.FOLLOWUP_MONTHS, "grace_days": service.FOLLOWUP_GRACE_DAYS,
               "training_days": service.TRAINING_WINDOW_DAYS, "min_cell": service.kpis.MIN_CELL}
    try:
        report = _report(request, db, principal, from_, to, district)
    except Problem:
        return render(request, "c_kpis.html", {**context, "report": None, "bad_period": True,
                                               "from_value": from_, "to_value": to}, 422, principal, db)
    audit.record(db, request, principal, "kpis", "read",
                 detail={"from": report.from_.isoformat(), "to": report.to.isoformat(), "district": district})
    db.commit()
    return render(request, "c_kpis.html", {**context, "report": report, "from_value": report.from_,
                                           "to_value": report.to}, 200, principal, db)


@router.get("/kpis.xlsx")
def kpis_export(request: Request, db: SessionDep, principal: Counsellor,
                from_: Annotated[date | None, Query(alias="from")] = None, to: date | None = None,
                district: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    lang = page_lang(request)
    report = _report(request, db, principal, from_, to, district)
    audit.record(db, request, principal, "kpis", "export",
                 detail={"from": report.from_.isoformat(), "to": report.to.isoformat(), "district": district})
    db.commit()
    name = f"kpis-{report.from_.isoformat()}-{report.to.isoformat()}.xlsx"
    return Response(service.workbook_bytes(report, lang), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
