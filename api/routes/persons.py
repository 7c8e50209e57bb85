"""Person records of the caller's organisation. Another organisation's person is a 404, never a 403."""
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from api import audit
from api.deps import OwnedPerson, Pagination, PersonReader, PersonWriter, SessionDep, load_owned_person
from api.errors import Problem
from api.services.people import (
    create_person,
    erase_person,
    find_by_external_id,
    people_page,
    person_out,
    replace_person,
    update_person,
)
from models.pagination import Page
from models.person import PersonCreate, PersonOut, PersonUpdate

router = APIRouter(prefix="/v1/persons", tags=["persons"])
ExternalId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")]


@router.post("", status_code=201, response_model=PersonOut, summary="Register a person")
def create(body: PersonCreate, request: Request, session: SessionDep, principal: PersonWriter) -> PersonOut:
    try:
        person = create_person(session, principal.organisation_id, body)
    except ValueError as exc:
        raise Problem(409, "Duplicate external id", str(exc),
                      [{"field": "external_id", "message": "already used in this organisation"}]) from exc
    audit.record(session, request, principal, "person", "create", person.id)
    session.commit()
    return person_out(person)


@router.put("/by-external-id/{external_id}", response_model=PersonOut,
            summary="Create or replace a person by the case system's id",
            responses={201: {"model": PersonOut, "description": "Created"}})
def upsert(external_id: ExternalId, body: PersonUpdate, request: Request, response: Response,
           session: SessionDep, principal: PersonWriter) -> PersonOut:
    person = find_by_external_id(session, principal.organisation_id, external_id)
    if person is None:
        person = create_person(session, principal.organisation_id,
                               PersonCreate.model_validate({**body.model_dump(), "external_id": external_id}))
        response.status_code, action = 201, "create"
    else:
        replace_person(person, body)
        action = "update"
    audit.record(session, request, principal, "person", action, person.id)
    session.commit()
    return person_out(person)


@router.get("", response_model=Page[PersonOut], summary="People of your organisation")
def list_people(request: Request, session: SessionDep, principal: PersonReader, page: Pagination,
                external_id: Annotated[str | None, Query(max_length=64)] = None,
                district: Annotated[str | None, Query(max_length=100)] = None) -> Page[PersonOut]:
    rows, total = people_page(session, principal.organisation_id, external_id=external_id, district=district,
                              limit=page.limit, offset=page.offset)
    items = [person_out(p) for p in rows]
    audit.record_list(session, request, principal, "person", [p.id for p in items])
    session.commit()
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/{person_id}", response_model=PersonOut, summary="One person")
def read(request: Request, session: SessionDep, principal: PersonReader, person: OwnedPerson) -> PersonOut:
    audit.record(session, request, principal, "person", "read", person.id)
    session.commit()
    return person_out(person)


@router.patch("/{person_id}", response_model=PersonOut, summary="Change some fields of a person")
def patch(person_id: str, body: PersonUpdate, request: Request, session: SessionDep,
          principal: PersonWriter) -> PersonOut:
    person = load_owned_person(session, principal.organisation_id, person_id)
    update_person(person, body)
    audit.record(session, request, principal, "person", "update", person.id)
    session.commit()
    return person_out(person)


@router.delete("/{person_id}", status_code=204, summary="Erase a person's personal data")
def erase(request: Request, session: SessionDep, principal: PersonWriter, person: OwnedPerson) -> Response:
    erase_person(session, person)
    audit.record(session, request, principal, "person", "erase", person.id)
    session.commit()
    return Response(status_code=204)
