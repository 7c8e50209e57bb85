"""The centre figures (issue 16, item 8): GET /v1/kpis and its Excel export GET /v1/kpis.xlsx, for
analysts, counsellors and administrators of the organisation. Definitions: matching/pathway/kpis.py."""
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import audit
from api.deps import Principal, UnitOfWork, require_roles
from api.services import kpis as service
from api.services.enrolments import local_today
from api.services.exports import XLSX
from models.enums import Role
from models.kpis import KpiReportOut

router = APIRouter(tags=["centre figures"])
KpiReader = Annotated[Principal, Depends(require_roles(Role.admin, Role.counsellor, Role.analyst))]
From = Annotated[date | None, Query(alias="from", description="First day of the period (YYYY-MM-DD); default: "
                                                               "364 days before `to`.")]
To = Annotated[date | None, Query(description="Last day of the period, included (YYYY-MM-DD); default: today "
                                              "in the centre's time zone.")]
District = Annotated[str | None, Query(max_length=100, description="Only people (and households) of this "
                                                                   "district.")]


def _report(request: Request, session, principal: Principal, start: date | None, end: date | None,
            district: str | None) -> KpiReportOut:
    settings = request.app.state.settings
    today = local_today(settings.timezone)
    start, end = service.check_period(start, end, today)
    return service.centre_report(session, principal.organisation_id, settings, start, end, district, today)


@router.get("/v1/kpis", response_model=KpiReportOut, response_model_by_alias=True,
            summary="Centre figures for a period: served, placed, stable work, shortest path, training, "
                    "re-employment, zero-employment families, follow-ups; by district and counsellor, with a "
                    "fairness view by gender and age band")
def read_kpis(request: Request, session: UnitOfWork, principal: KpiReader, from_: From = None, to: To = None,
              district: District = None) -> KpiReportOut:
    report = _report(request, session, principal, from_, to, district)
    audit.record(session, request, principal, "kpis", "read",
                 detail={"from": report.from_.isoformat(), "to": report.to.isoformat(), "district": district})
    return report


@router.get("/v1/kpis.xlsx", response_class=Response, summary="The centre figures as an Excel workbook",
            responses={200: {"content": {XLSX: {}}, "description": "One sheet, a row per group."}})
def export_kpis(request: Request, session: UnitOfWork, principal: KpiReader, from_: From = None, to: To = None,
                district: District = None,
                lang: Annotated[Literal["zh-CN", "en"], Query(description="zh-CN (default) or en")] = "zh-CN"
                ) -> Response:
    report = _report(request, session, principal, from_, to, district)
    audit.record(session, request, principal, "kpis", "export",
                 detail={"from": report.from_.isoformat(), "to": report.to.isoformat(), "district": district})
    name = f"kpis-{report.from_.isoformat()}-{report.to.isoformat()}.xlsx"
    return Response(service.workbook_bytes(report, lang), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
                             "Content-Language": lang})
