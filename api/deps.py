"""Request dependencies, composed into typed aliases so a route's signature says what it needs."""
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.orm import Session

from api.errors import Problem, not_found
from api.security import secret_matches, split_key
from api.tenancy import owned
from models.enums import Role
from models.tables import ApiKey, Person


def get_session(request: Request) -> Iterator[Session]:
    """One session per request. Routes commit once at the end; anything uncommitted is rolled back."""
    session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def unit_of_work(session: SessionDep) -> Iterator[Session]:
    """The request's session, committed exactly once when the route function returns normally.

    If the route raises, nothing is committed and the session is rolled back when it closes, so a failed
    request leaves the database as it was. ``scope="function"`` makes the commit happen before the
    response is sent: a commit that fails is answered as an error, not after a 2xx went out.
    """
    yield session
    session.commit()


UnitOfWork = Annotated[Session, Depends(unit_of_work, scope="function")]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: which key, which organisation, which role."""

    key_id: str
    organisation_id: str
    role: Role


_UNAUTHORISED = {"WWW-Authenticate": 'Bearer realm="pathfit"'}


def presented_key(request: Request) -> str | None:
    """The key from ``Authorization: Bearer …`` or ``X-API-Key``."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("x-api-key")


def key_for(session: Session, presented: str) -> ApiKey | None:
    """The stored key a presented ``pfk.<id>.<secret>`` string proves, or None (revocation not checked)."""
    parsed = split_key(presented or "")
    key = session.get(ApiKey, parsed[0]) if parsed else None
    return key if key is not None and secret_matches(parsed[1], key.secret_hash) else None


def get_principal(request: Request, session: SessionDep) -> Principal:
    presented = presented_key(request)
    if not presented:
        raise Problem(401, "Authentication required",
                      "Send your API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
                      [{"field": "header.authorization", "message": "missing API key"}], _UNAUTHORISED)
    key = key_for(session, presented)
    if key is None:
        raise Problem(401, "Invalid API key", "The API key is not valid; ask an administrator for a new one.",
                      [{"field": "header.authorization", "message": "unknown or malformed API key"}], _UNAUTHORISED)
    if key.revoked_at is not None:
        raise Problem(401, "Revoked API key", "This API key was revoked; ask an administrator for a new one.",
                      [{"field": "header.authorization", "message": "revoked API key"}], _UNAUTHORISED)
    principal = Principal(key.id, key.organisation_id, Role(key.role))
    request.state.principal = principal
    return principal


CurrentKey = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets only the given roles through (403 names the roles that may)."""
    allowed = ", ".join(r.value for r in roles)

    def dependency(principal: CurrentKey) -> Principal:
        if principal.role not in roles:
            raise Problem(403, "Not allowed", f"This action needs one of the roles: {allowed}; "
                                              f"your key has the role {principal.role.value}.")
        return principal

    return dependency


AdminKey = Annotated[Principal, Depends(require_roles(Role.admin, Role.platform_admin))]
PlatformAdminKey = Annotated[Principal, Depends(require_roles(Role.platform_admin))]
PersonReader = Annotated[Principal, Depends(require_roles(Role.admin, Role.counsellor, Role.case_system,
                                                          Role.analyst))]
PersonWriter = Annotated[Principal, Depends(require_roles(Role.admin, Role.counsellor, Role.case_system))]


def erased_problem(person: Person) -> Problem:
    """The one answer every route and page gives for an erased person: 410 Gone."""
    return Problem(410, "Person erased", f"Person {person.id} was erased on {person.erased_at:%Y-%m-%d}; "
                                         "only the audit trail remains.")


def load_owned_person(session: Session, organisation_id: str, person_id: str) -> Person:
    """The organisation's person: 404 if there is none (or it belongs to another organisation), 410 if
    erased. Routes use :data:`OwnedPerson`; pages and services call this directly."""
    person = owned(session, organisation_id, Person, person_id)
    if person is None:
        raise not_found("person", person_id)
    if person.erased_at is not None:
        raise erased_problem(person)
    return person


def get_owned_person(person_id: Annotated[str, Path(min_length=1, max_length=64)], session: SessionDep,
                     principal: CurrentKey) -> Person:
    return load_owned_person(session, principal.organisation_id, person_id)


OwnedPerson = Annotated[Person, Depends(get_owned_person)]
"""The ``{person_id}`` of the path, loaded for the caller's organisation (404 / 410 as above). The route
still states its role with ``PersonReader`` / ``PersonWriter``."""


def may_administer(principal: Principal, organisation_id: str | None) -> bool:
    """Whether ``principal`` administers ``organisation_id``: a platform admin every organisation, an
    admin only its own (another organisation's records then look like no record at all: 404)."""
    return principal.role is Role.platform_admin or organisation_id == principal.organisation_id


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


MAX_OFFSET = 1_000_000_000  # far beyond any centre's data, well inside a 64-bit integer


def page_params(limit: Annotated[int, Query(ge=1, le=500, description="Items per page, 1–500.")] = 50,
                offset: Annotated[int, Query(ge=0, le=MAX_OFFSET,
                                             description=f"Items to skip, 0–{MAX_OFFSET}.")] = 0) -> PageParams:
    return PageParams(limit, offset)


Pagination = Annotated[PageParams, Depends(page_params)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
