"""Registering and editing a person on the pages: the whole record (including shifts, physical limits,
certificates, work history and home coordinates), validated by the API's own models, with every problem
explained in the page's language next to its field (``api.adapters.field_errors``), never pydantic's English.

A past job may be entered by its occupation code or only by its title; a title alone is coded with the
title coder (the same call the vacancy import uses), and the code is shown again on the person's page.
"""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api import audit
from api.adapters.field_errors import describe
from api.deps import SessionDep
from api.labels import label
from api.pages.i18n import t
from api.pages.web import Counsellor, csrf_ok, page_lang, page_person, render
from api.services.people import create_person, find_by_external_id, update_person
from models.enums import EducationLevel, Gender, HardToEmployCategory, PhysicalDemand, Shift
from models.person import PersonCreate, PersonUpdate
from models.tables import Person

router = APIRouter(prefix="/c", tags=["pages"], include_in_schema=False)
WORK_ROWS = 3  # past jobs on the form
TEXT_FIELDS = ("external_id", "name", "birth_year", "gender", "education", "district", "home_lat", "home_lon",
               "expected_monthly_pay", "hard_to_employ", "max_commute_minutes", "max_hours_per_week", "skills",
               "certificates")
# Form field → the text key of its label (for messages naming the field).
LABEL_KEYS = {"external_id": "external_id", "name": "name", "birth_year": "birth_year", "gender": "gender",
              "education": "education", "district": "district", "home_lat": "home_lat", "home_lon": "home_lon",
              "expected_monthly_pay": "pay", "hard_to_employ": "hard_to_employ", "max_commute_minutes": "max_commute",
              "max_hours_per_week": "max_hours", "skills": "skills", "certificates": "certificates",
              "available_shifts": "shifts", "physical_limitations": "physical_limits", "work_history": "work_history"}


def _split(text: str) -> list[str]:
    return [s.strip() for s in text.replace("，", ",").replace("、", ",").split(",") if s.strip()]


def form_values(form) -> dict:
    """What the form sent, as strings and lists, for showing it again."""
    values: dict = {k: str(form.get(k, "")).strip() for k in TEXT_FIELDS}
    values["available_shifts"] = [str(v) for v in form.getlist("available_shifts")]
    values["physical_limitations"] = [str(v) for v in form.getlist("physical_limitations")]
    values["zero_employment_family"] = form.get("zero_employment_family") == "on"
    values["assistance_card"] = form.get("assistance_card") == "on"
    values["work"] = [{k: str(form.get(f"wh_{k}_{i}", "")).strip() for k in ("code", "title", "months")}
                      for i in range(WORK_ROWS)]
    return values


def person_values(person: Person) -> dict:
    """A stored person as form values (for the edit page)."""
    constraints, priority = person.constraints or {}, person.priority or {}
    values = {k: "" if getattr(person, k, None) is None else str(getattr(person, k)) for k in
              ("external_id", "name", "birth_year", "gender", "education", "district", "home_lat", "home_lon",
               "expected_monthly_pay")}
    values.update({
        "hard_to_employ": priority.get("hard_to_employ") or "",
        "zero_employment_family": bool(priority.get("zero_employment_family")),
        "assistance_card": bool(priority.get("assistance_card")),
        "max_commute_minutes": str(constraints.get("max_commute_minutes") or ""),
        "max_hours_per_week": str(constraints.get("max_hours_per_week") or ""),
        "available_shifts": list(constraints.get("available_shifts") or []),
        "physical_limitations": list(constraints.get("physical_limitations") or []),
        "skills": "、".join(person.skills or []), "certificates": "、".join(person.certificates or []),
        "work": [{"code": w.get("occupation_code", ""), "title": w.get("title") or "", "months": str(w.get("months", ""))}
                 for w in (person.work_history or [])][:WORK_ROWS]})
    values["work"] += [{"code": "", "title": "", "months": ""}] * (WORK_ROWS - len(values["work"]))
    return values


def payload(values: dict, coder, with_id: bool) -> dict:
    """The form as a ``PersonCreate``/``PersonUpdate`` body: every field present, empty ones as ``None``
    (so an edit can clear a field). Past jobs given by title only are coded with ``coder``."""
    scalar = {k: values[k] or None for k in ("name", "birth_year", "gender", "education", "district", "home_lat",
                                             "home_lon", "expected_monthly_pay")}
    body: dict = {**scalar,
                  "priority": {"zero_employment_family": values["zero_employment_family"],
                               "assistance_card": values["assistance_card"],
                               "hard_to_employ": values["hard_to_employ"] or None},
                  "constraints": {"max_commute_minutes": values["max_commute_minutes"] or None,
                                  "max_hours_per_week": values["max_hours_per_week"] or None,
                                  "available_shifts": values["available_shifts"],
                                  "physical_limitations": values["physical_limitations"]},
                  "skills": _split(values["skills"]), "certificates": _split(values["certificates"])}
    work = [w for w in values["work"] if w["code"] or w["title"] or w["months"]]
    untitled = [w for w in work if not w["code"] and w["title"]]
    if untitled and coder is not None:
        for w, (code, _, _) in zip(untitled, coder([w["title"] for w in untitled])):
            w["code"] = code
    body["work_history"] = [{"occupation_code": w["code"], "title": w["title"] or None, "months": w["months"] or None}
                            for w in work]
    if with_id:
        body["external_id"] = values["external_id"]
    return body


def _choices(field: str, lang: str) -> list[str] | None:
    tables = {"gender": ("Gender", Gender), "education": ("EducationLevel", EducationLevel),
              "hard_to_employ": ("HardToEmploy", HardToEmployCategory), "available_shifts": ("Shift", Shift),
              "physical_limitations": ("Physical", PhysicalDemand)}
    if field not in tables:
        return None
    table, enum = tables[field]
    return [label(table, e.value, lang) for e in enum]


def form_errors(exc: ValidationError, lang: str) -> dict[str, str]:
    """Field → one message in ``lang`` naming the field by its label on the form."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(p) for p in error["loc"]]
        if loc and loc[0] in {"priority", "constraints"} and len(loc) > 1:
            field = loc[1]
        elif loc and loc[0] == "work_history":
            field = f"wh_{loc[1]}" if len(loc) > 1 else "work_history"
        else:
            field = loc[0] if loc else "form"
        key = LABEL_KEYS.get(field) or ("work_history" if field.startswith("wh_") else None)
        name = t(key, lang) if key else ""
        if field.startswith("wh_") and len(loc) > 2:
            row = int(loc[1]) + 1
            part = {"occupation_code": "wh_code", "months": "wh_months", "title": "wh_title"}.get(loc[2], "wh_code")
            name = f"{t('work_history', lang)} {row} · {t(part, lang)}"
        errors.setdefault(field, describe(error, name, lang, _choices(field, lang)))
    return errors


def form_context(values: dict | None = None, errors: dict | None = None, person: Person | None = None) -> dict:
    values = values or {"work": [{"code": "", "title": "", "months": ""}] * WORK_ROWS}
    return {"values": values, "errors": errors or {}, "person": person, "work_rows": WORK_ROWS,
            "educations": [e.value for e in EducationLevel], "genders": [g.value for g in Gender],
            "hard_categories": [h.value for h in HardToEmployCategory], "shifts": [s.value for s in Shift],
            "physical": [p.value for p in PhysicalDemand]}


async def _checked(request: Request):
    form = await request.form()
    return form if csrf_ok(request, form.get("csrf")) else None


def _csrf_failed(request: Request, principal, db) -> HTMLResponse:
    return render(request, "c_message.html", {"message_key": "csrf"}, 403, principal, db)


@router.get("/people/new", response_class=HTMLResponse)
def new_person_form(request: Request, db: SessionDep, principal: Counsellor) -> HTMLResponse:
    return render(request, "c_person_new.html", form_context(), principal=principal, db=db)


@router.post("/people/new", response_class=HTMLResponse)
async def register_person(request: Request, db: SessionDep, principal: Counsellor) -> Response:
    form = await _checked(request)
    if form is None:
        return _csrf_failed(request, principal, db)
    values, lang = form_values(form), page_lang(request)
    try:
        data = PersonCreate.model_validate(payload(values, request.app.state.title_coder, with_id=True))
    except ValidationError as exc:
        return render(request, "c_person_new.html", form_context(values, form_errors(exc, lang)), 422, principal, db)
    if find_by_external_id(db, principal.organisation_id, data.external_id) is not None:
        return render(request, "c_person_new.html", form_context(values, {"external_id": t("duplicate_id", lang)}),
                      409, principal, db)
    person = create_person(db, principal.organisation_id, data)
    audit.record(db, request, principal, "person", "create", person.id)
    db.commit()
    return RedirectResponse(f"/c/people/{person.id}", status_code=303)


@router.get("/people/{person_id}/edit", response_class=HTMLResponse)
def edit_person_form(person_id: str, request: Request, db: SessionDep, principal: Counsellor) -> HTMLResponse:
    person, refusal = page_person(request, db, principal, person_id)
    if refusal is not None:
        return refusal
    audit.record(db, request, principal, "person", "read", person.id)
    db.commit()
    return render(request, "c_person_new.html", form_context(person_values(person), person=person),
                  principal=principal, db=db)


@router.post("/people/{person_id}/edit", response_class=HTMLResponse)
async def edit_person(person_id: str, request: Request, db: SessionDep, principal: Counsellor) -> Response:
    """Save the whole form as ``PATCH /v1/persons/{id}`` would (every field sent; empty clears it)."""
    form = await _checked(request)
    if form is None:
        return _csrf_failed(request, principal, db)
    person, refusal = page_person(request, db, principal, person_id)
    if refusal is not None:
        return refusal
    values, lang = form_values(form), page_lang(request)
    values["external_id"] = person.external_id or ""
    try:
        data = PersonUpdate.model_validate(payload(values, request.app.state.title_coder, with_id=False))
    except ValidationError as exc:
        return render(request, "c_person_new.html", form_context(values, form_errors(exc, lang), person),
                      422, principal, db)
    update_person(person, data)
    audit.record(db, request, principal, "person", "update", person.id)
    db.commit()
    return RedirectResponse(f"/c/people/{person.id}?m=saved", status_code=303)
