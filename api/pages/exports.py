"""Excel downloads from the counsellor's pages: the people list (as searched), the results summary and one
person's ranked vacancies and programmes. Every download is audit-logged with action ``export`` and the
ids it contains."""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api import audit
from api.deps import SessionDep
from api.pages.web import Counsellor, page_lang, page_person
from api.services.exports import (
    MATCH_HEADERS,
    PEOPLE_HEADERS,
    RESULT_HEADERS,
    XLSX,
    people_rows,
    result_rows,
    workbook,
)
from api.services.people import search_people
from api.services.results import results_with_people
from models.tables import TrainingProgramme, Vacancy

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
MAX_ROWS = 100_000


def _download(body: bytes, name: str) -> Response:
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                    "Cache-Control": "no-store"})


@router.get("/exports/people.xlsx")
def export_people(request: Request, db: SessionDep, principal: Counsellor,
                  q: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    lang = page_lang(request)
    people, _, _ = search_people(db, principal.organisation_id, (q or "").strip(), page=1, page_size=MAX_ROWS)
    audit.record(db, request, principal, "person", "export", detail={"count": len(people), "ids": [p.id for p in people]})
    db.commit()
    title = "服务对象" if lang == "zh-CN" else "Clients"
    return _download(workbook(title, PEOPLE_HEADERS[lang], people_rows(people, lang)), "people.xlsx")


@router.get("/exports/results.xlsx")
def export_results(request: Request, db: SessionDep, principal: Counsellor) -> Response:
    """Every stored result of the organisation, one row per scored scale."""
    lang = page_lang(request)
    rows = results_with_people(db, principal.organisation_id, MAX_ROWS)
    audit.record(db, request, principal, "result", "export", detail={"count": len(rows), "ids": [r.id for r, _ in rows]})
    db.commit()
    title = "测评结果" if lang == "zh-CN" else "Results"
    return _download(workbook(title, RESULT_HEADERS[lang], result_rows(rows, lang)), "results.xlsx")


@router.get("/people/{person_id}/matches.xlsx")
def export_matches(person_id: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    from api.pages.counsellor import _reason_text, rankings

    person, refusal = page_person(request, db, principal, person_id)
    if refusal is not None:
        return refusal
    lang = page_lang(request)
    ranked = rankings(request, db, principal, person)
    rows = []
    for kind, table, ranking, place in (("vacancies", Vacancy, ranked.vacancies, "employer"),
                                        ("programmes", TrainingProgramme, ranked.programmes, "provider")):
        for m in (ranking.results if ranking else []):
            item = db.get(table, m.item_id)
            rows.append([{"vacancies": ("岗位", "Vacancy"), "programmes": ("培训项目", "Programme")}[kind][lang == "en"],
                         m.rank, m.title, getattr(item, place, None), getattr(item, "district", None),
                         round(m.total), "；".join(_reason_text(r, lang) for r in m.reasons)])
    audit.record(db, request, principal, "person", "export_matches", person.id)
    db.commit()
    title = "推荐" if lang == "zh-CN" else "Matches"
    return _download(workbook(title, MATCH_HEADERS[lang], rows), f"matches-{person.external_id or person.id}.xlsx")
