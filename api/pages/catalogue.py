"""Vacancy and training-programme pages: list (paged, searched), add, edit, import a file.

The add/edit form has one field per column of the import template (``api.adapters.import_columns``), labelled
with the same Chinese header, and its cells are read by the same rules ("3人", "2026年11月1日",
"白班、夜班"), so a counsellor types what a spreadsheet would hold. Validation and storage are the
API's (``api.services.catalogue``): an unknown occupation code is refused with the title coder's suggestion, a
missing one is coded from the title.
"""
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api import audit
from api.adapters.import_columns import PAY_RANGE, PHYSICAL_WORDS, SHIFT_WORDS, Column
from api.adapters.tabular import detect_format, read_records
from api.deps import SessionDep
from api.pages.web import Counsellor, csrf_ok, page_lang, render
from api.services.catalogue import (
    PROGRAMMES,
    VACANCIES,
    Catalogue,
    code_missing,
    import_records,
    replace_row,
    row_errors,
    search_catalogue,
    store,
    translate,
    unknown_code_messages,
    unknown_codes,
)
from api.settings import get_settings
from api.tenancy import owned
from models.enums import LABELS

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
KINDS = {"vacancies": VACANCIES, "programmes": PROGRAMMES}
PAGE_SIZE = 50
_NOT_ON_FORM = {PAY_RANGE, "address"}  # the form has the lowest/highest pay itself; no address is stored


def _form_columns(catalogue: Catalogue) -> list[Column]:
    return [c for c in catalogue.columns if c.field not in _NOT_ON_FORM]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _row_values(catalogue: Catalogue, row) -> dict[str, str]:
    """A stored row as the form shows it: codes written back as the Chinese words the form reads."""
    values = {}
    for c in _form_columns(catalogue):
        value = getattr(row, c.field, None)
        if c.field in {"shifts", "schedule_shifts"}:
            value = [SHIFT_WORDS.get(v, v) for v in value or []]
        elif c.field == "physical_demands":
            value = [PHYSICAL_WORDS.get(v, v) for v in value or []]
        elif c.field in {"education_min", "education_awarded"} and value:
            value = LABELS["EducationLevel"][value]["zh-CN"].split("/")[0]
        values[c.field] = _cell(value)
    return values


def _coder(request: Request):
    return request.app.state.title_coder


def _list_context(kind: str, db, principal, q: str | None, page: int) -> dict:
    needle = (q or "").strip()
    rows, total, page = search_catalogue(db, KINDS[kind], principal.organisation_id, needle, page=page,
                                         page_size=PAGE_SIZE)
    last = max(1, -(-total // PAGE_SIZE))
    return {"kind": kind, "rows": rows, "q": needle, "total": total, "page": page, "last": last,
            "first_row": (page - 1) * PAGE_SIZE + 1 if total else 0, "last_row": min(page * PAGE_SIZE, total),
            "report": None, "lines": []}


@router.get("/{kind}", response_class=HTMLResponse)
def catalogue_list(kind: str, request: Request, db: SessionDep, principal: Counsellor,
                   q: Annotated[str | None, Query(max_length=100)] = None,
                   page: Annotated[int, Query(ge=1, le=100_000)] = 1, m: str | None = None) -> Response:
    if kind not in KINDS:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    context = _list_context(kind, db, principal, q, page) | {"message_key": "saved" if m == "saved" else None}
    return render(request, "c_catalogue.html", context, principal=principal, db=db)


def _form_page(request, db, principal, kind: str, values: dict, errors: dict, row=None, status: int = 200):
    lang = page_lang(request)
    fields = [{"name": c.field, "label": c.header if lang == "zh-CN" else f"{c.en} ({c.header})",
               "help": c.note if lang == "zh-CN" else "", "example": c.example} for c in _form_columns(KINDS[kind])]
    return render(request, "c_catalogue_form.html", {"kind": kind, "fields": fields, "values": values,
                                                     "errors": errors, "row": row}, status, principal, db)


@router.get("/{kind}/new", response_class=HTMLResponse)
def new_form(kind: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    if kind not in KINDS:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    return _form_page(request, db, principal, kind, {}, {})


@router.get("/{kind}/{item_id}/edit", response_class=HTMLResponse)
def edit_form(kind: str, item_id: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    row = owned(db, principal.organisation_id, KINDS[kind].table, item_id) if kind in KINDS else None
    if row is None:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    return _form_page(request, db, principal, kind, _row_values(KINDS[kind], row), {}, row)


async def _save(kind: str, item_id: str | None, request: Request, db, principal) -> Response:
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return render(request, "c_message.html", {"message_key": "csrf"}, 403, principal, db)
    catalogue = KINDS.get(kind)
    row = owned(db, principal.organisation_id, catalogue.table, item_id) if catalogue and item_id else None
    if catalogue is None or (item_id and row is None):
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    lang = page_lang(request)
    values = {c.field: str(form.get(c.field, "")).strip() for c in _form_columns(catalogue)}
    record = {k: v for k, v in values.items() if v}
    fields, written = translate(catalogue, record)
    labels = {c.field: c.header if lang != "en" else c.en for c in catalogue.columns}
    try:
        item = catalogue.in_model.model_validate(fields)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for e in row_errors(catalogue.columns, 0, exc, {k: labels.get(k, k) for k in written}):
            errors.setdefault(e.field.split(".")[0] if e.field != "row" else "form",
                              e.message if lang == "en" else e.message_zh)
        return _form_page(request, db, principal, kind, values, errors, row, 422)
    bad = unknown_codes(catalogue, item)
    if bad:
        errors = {name: unknown_code_messages(code, item.title, _coder(request))[lang != "en"] for name, code in bad}
        return _form_page(request, db, principal, kind, values, errors, row, 422)
    coded = code_missing(catalogue, [item], _coder(request))[0]
    if row is None:
        row, _ = store(db, catalogue, principal.organisation_id, item, coded)
        action = "create"
    else:
        replace_row(db, catalogue, row, item, coded)
        action = "update"
    audit.record(db, request, principal, catalogue.resource, action, row.id)
    db.commit()
    return RedirectResponse(f"/c/{kind}?m=saved", status_code=303)


@router.post("/{kind}/new", response_class=HTMLResponse)
async def create(kind: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    return await _save(kind, None, request, db, principal)


@router.post("/{kind}/{item_id}/edit", response_class=HTMLResponse)
async def edit(kind: str, item_id: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    return await _save(kind, item_id, request, db, principal)


@router.post("/{kind}/import", response_class=HTMLResponse)
async def import_upload(kind: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    """Upload a CSV or XLSX file; the list page then shows what was stored and every rejected row."""
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return render(request, "c_message.html", {"message_key": "csrf"}, 403, principal, db)
    catalogue, upload, lang = KINDS.get(kind), form.get("file"), page_lang(request)
    if catalogue is None:
        return render(request, "c_message.html", {"message_key": "not_found"}, 404, principal, db)
    problem = None
    if upload is None or not hasattr(upload, "read"):
        problem = "import_no_file"
    else:
        data = await upload.read(get_settings().max_import_bytes + 1)
        try:
            if len(data) > get_settings().max_import_bytes:
                raise ValueError("file: too large")
            records = read_records(data, detect_format(filename=upload.filename), catalogue.headers)
        except ValueError:
            problem = "import_unreadable"
    if problem:
        return render(request, "c_message.html", {"message_key": problem}, 422, principal, db)
    report = import_records(db, catalogue, principal.organisation_id, records, form.get("atomic") == "on",
                            _coder(request))
    audit.record(db, request, principal, catalogue.resource, "import",
                 detail={"received": report.received, "created": report.created, "updated": report.updated,
                         "rejected_rows": len({e.row for e in report.rejected})})
    db.commit()
    context = _list_context(kind, db, principal, None, 1) | {"report": report,
                                                             "lines": [e.text(lang) for e in report.rejected]}
    return render(request, "c_catalogue.html", context, 422 if report.rejected else 200, principal, db)
