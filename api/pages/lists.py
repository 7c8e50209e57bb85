"""The counsellor's lists: people (paged, with the total, searched by case number, name or district) and
all assessments of the centre (in progress, finished today in the centre's time zone, flagged invalid).

Every list call writes one audit row naming the ids it showed (``audit.record_list``).
"""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api import audit
from api.deps import SessionDep
from api.pages.web import Counsellor, render
from api.services.assessments import assessments_in_view
from api.services.people import search_people
from instruments.registry import load_batteries

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
PAGE_SIZE = 50
VIEWS = ("open", "today", "invalid")
ASSESSMENTS_SHOWN = 200


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
    needle = (q or "").strip()
    rows, total, page = search_people(db, principal.organisation_id, needle, page=page, page_size=PAGE_SIZE)
    paging = _pages(total, page)
    audit.record_list(db, request, principal, "person", [person.id for person in rows])
    db.commit()
    return render(request, "c_people.html", {"people": rows, "q": needle, **paging}, principal=principal, db=db)


@router.get("/assessments", response_class=HTMLResponse)
def assessments(request: Request, db: SessionDep, principal: Counsellor,
                view: Annotated[str, Query(pattern="^(open|today|invalid)$")] = "open") -> HTMLResponse:
    """All assessments of the centre in one of three views (at most the newest 200 shown)."""
    rows = assessments_in_view(db, principal.organisation_id, view, ASSESSMENTS_SHOWN)
    audit.record_list(db, request, principal, "assessment", [row.id for row, _ in rows])
    db.commit()
    return render(request, "c_assessments.html", {"rows": rows, "view": view, "views": VIEWS,
                                                  "batteries": load_batteries()}, principal=principal, db=db)
