"""The counsellor's lists: people (paged, with the total, searched by case number, name or district) and
all assessments of the centre (in progress, finished today in the centre's time zone, flagged invalid).

Every list call writes one audit row naming the ids it showed (``audit.record_list``).
"""
from datetime import datetime, time, timedelta, timezone
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, or_, select

from api import audit
from api.deps import SessionDep
from api.pages.web import Counsellor, render
from api.settings import get_settings
from instruments.registry import load_batteries
from models.tables import AssessmentResult, AssessmentSession, Person

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
PAGE_SIZE = 50
VIEWS = ("open", "today", "invalid")
INVALID_SCAN = 1000  # the newest results looked at for validity flags


def _pages(total: int, page: int) -> dict:
    last = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), last)
    return {"page": page, "last": last, "first_row": (page - 1) * PAGE_SIZE + 1 if total else 0,
            "last_row": min(page * PAGE_SIZE, total), "total": total}


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, db: SessionDep, principal: Counsellor,
           q: Annotated[str | None, Query(max_length=100)] = None,
           page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    """People of the organisation, newest first, 50 a page; ``q`` matches the start of the case number,
    or any part of the name or the district."""
    query = select(Person).where(Person.organisation_id == principal.organisation_id, Person.erased_at.is_(None))
    needle = (q or "").strip()
    if needle:
        query = query.where(or_(Person.external_id.startswith(needle, autoescape=True),
                                Person.name.contains(needle, autoescape=True),
                                Person.district.contains(needle, autoescape=True)))
    paging = _pages(db.scalar(select(func.count()).select_from(query.subquery())), page)
    rows = list(db.scalars(query.order_by(Person.created_at.desc(), Person.id)
                           .limit(PAGE_SIZE).offset((paging["page"] - 1) * PAGE_SIZE)))
    audit.record_list(db, request, principal, "person", [person.id for person in rows])
    db.commit()
    return render(request, "c_people.html", {"people": rows, "q": needle, **paging}, principal=principal, db=db)


def _today_utc() -> tuple[datetime, datetime]:
    """Today in the centre's zone, as a UTC interval [start, end)."""
    zone = ZoneInfo(get_settings().timezone)
    start = datetime.combine(datetime.now(zone).date(), time(0), zone)
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)


def _invalid(document: dict) -> bool:
    return any(not part.get("interpretable", True) or any(f.get("severity") == "invalid" for f in part.get("validity", []))
               for part in document.get("instruments", []))


@router.get("/assessments", response_class=HTMLResponse)
def assessments(request: Request, db: SessionDep, principal: Counsellor,
                view: Annotated[str, Query(pattern="^(open|today|invalid)$")] = "open") -> HTMLResponse:
    """All assessments of the centre in one of three views (at most the newest 200 shown)."""
    base = select(AssessmentSession, Person).join(Person, Person.id == AssessmentSession.person_id).where(
        AssessmentSession.organisation_id == principal.organisation_id)
    if view == "open":
        query = base.where(AssessmentSession.status == "open").order_by(AssessmentSession.created_at.desc())
    elif view == "today":
        start, end = _today_utc()
        query = base.where(AssessmentSession.status == "completed", AssessmentSession.completed_at >= start,
                           AssessmentSession.completed_at < end).order_by(AssessmentSession.completed_at.desc())
    else:
        results = db.execute(select(AssessmentResult.session_id, AssessmentResult.document).where(
            AssessmentResult.organisation_id == principal.organisation_id)
            .order_by(AssessmentResult.created_at.desc()).limit(INVALID_SCAN)).all()
        flagged = {session_id for session_id, document in results if _invalid(document or {})}
        query = base.where(AssessmentSession.id.in_(flagged)).order_by(AssessmentSession.created_at.desc())
    rows = db.execute(query.limit(200)).all()
    audit.record_list(db, request, principal, "assessment", [row.id for row, _ in rows])
    db.commit()
    return render(request, "c_assessments.html", {"rows": rows, "view": view, "views": VIEWS,
                                                  "batteries": load_batteries()}, principal=principal, db=db)
