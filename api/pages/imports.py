"""Importing a file of people from the counsellor's pages: upload a CSV or XLSX, see what was stored and
every rejected row (row, column, fix) in the page's language. Audit-logged per person like the API."""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api import audit
from api.adapters.tabular import detect_format, read_records
from api.deps import SessionDep
from api.pages.web import Counsellor, csrf_ok, page_lang, render
from api.services.people_import import HEADERS, import_people
from api.settings import get_settings

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)


@router.get("/people/import", response_class=HTMLResponse)
def import_form(request: Request, db: SessionDep, principal: Counsellor) -> HTMLResponse:
    return render(request, "c_import.html", {"report": None, "problem": None}, principal=principal, db=db)


@router.post("/people/import", response_class=HTMLResponse)
async def import_upload(request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return render(request, "c_message.html", {"message_key": "csrf"}, 403, principal, db)
    upload, lang = form.get("file"), page_lang(request)
    if upload is None or not hasattr(upload, "read"):
        return render(request, "c_import.html", {"report": None, "problem": "import_no_file"}, 422, principal, db)
    data = await upload.read(get_settings().max_import_bytes + 1)
    try:
        if len(data) > get_settings().max_import_bytes:
            raise ValueError("file: too large")
        records = read_records(data, detect_format(filename=upload.filename), HEADERS)
    except ValueError:
        return render(request, "c_import.html", {"report": None, "problem": "import_unreadable"}, 422, principal, db)
    report, stored = import_people(db, principal.organisation_id, records, form.get("atomic") == "on")
    for person, created in stored:
        audit.record(db, request, principal, "person", "import_create" if created else "import_update", person.id)
    db.commit()
    lines = [e.text(lang) for e in report.rejected]
    return render(request, "c_import.html", {"report": report, "lines": lines, "problem": None},
                  200 if not report.rejected else 422, principal, db)
