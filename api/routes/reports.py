"""The assessment report of a stored result, as JSON, HTML or PDF, for the client or the counsellor.

Another organisation's result is a 404 (never a 403), as everywhere. Every view is audit-logged
with the format and audience (action ``read:<format>:<audience>``).
"""
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api import audit
from api.deps import PersonReader, UnitOfWork, load_owned_person
from api.services.reports import build_for_result, render
from api.services.results import load_owned_result
from models.report import Audience, Report, ReportFormat, ReportLang

router = APIRouter(prefix="/v1", tags=["reports"])


@router.get(
    "/results/{result_id}/report", response_model=Report,
    summary="The assessment report (测评报告) of a result: JSON, HTML or PDF; client or counsellor version",
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}},
                                 "application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                     "description": "The report; JSON follows the Report schema."},
               404: {"description": "No such result in your organisation."}})
def read_report(result_id: str, request: Request, db: UnitOfWork, principal: PersonReader,
                fmt: Annotated[ReportFormat, Query(alias="format", description="json, html or pdf")] = "json",
                lang: Annotated[ReportLang, Query(description="zh-CN (default) or en")] = "zh-CN",
                audience: Annotated[Audience, Query(description="client (plain language) or counsellor")] = "client",
                ) -> Response:
    result = load_owned_result(db, principal.organisation_id, result_id)  # an erased person's results are deleted with them
    person = load_owned_person(db, principal.organisation_id, result.person_id)
    report = build_for_result(db, result, person, lang=lang, audience=audience,
                              vacancy_pools=request.app.state.vacancy_pools)
    rendered = render(report, fmt)
    audit.record(db, request, principal, "report", f"read:{fmt}:{audience}", result.id)
    headers = {"Content-Language": lang}
    if fmt == "pdf":
        headers["Content-Disposition"] = f'inline; filename="{rendered.filename}"'
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)
