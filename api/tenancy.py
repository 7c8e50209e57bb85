"""Organisations, their API keys, and tenant-scoped lookups: shared by the routes, pages and CLI."""
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import not_found
from api.security import new_id, new_key
from models.enums import Role
from models.tables import ApiKey, Organisation, Person


def create_organisation(session: Session, name: str, district: str | None = None) -> Organisation:
    organisation = Organisation(id=new_id("org"), name=name, district=district)
    session.add(organisation)
    session.flush()
    return organisation


def create_api_key(session: Session, organisation_id: str, role: Role,
                   label: str | None = None) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the full key, which exists nowhere else afterwards.

    Raises ``ValueError`` naming ``organisation_id`` when the organisation does not exist.
    """
    if session.get(Organisation, organisation_id) is None:
        raise ValueError(f"organisation_id: no organisation {organisation_id!r}; "
                         "create it first ('pathfit orgs create') or check the id ('pathfit orgs list')")
    key_id = new_id("k")
    plaintext, secret_hash = new_key(key_id)
    key = ApiKey(id=key_id, organisation_id=organisation_id, role=role.value, label=label, secret_hash=secret_hash)
    session.add(key)
    session.flush()
    return key, plaintext


def revoke_api_key(session: Session, key_id: str) -> ApiKey:
    """Revoke a key (idempotent: an already revoked key keeps its first revocation time)."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise ValueError(f"key_id: no API key {key_id!r}; list keys with 'pathfit keys list'")
    if key.revoked_at is None:
        key.revoked_at = datetime.now(timezone.utc)
    return key


def owned(session: Session, organisation_id: str, model: type, row_id: str):
    """The row ``row_id`` of ``model`` if it belongs to ``organisation_id``, else None.

    Every tenant-scoped lookup goes through here, so "another organisation's record" always looks the
    same as "no such record" (the API answers 404, never 403).
    """
    row = session.get(model, row_id)
    return row if row is not None and row.organisation_id == organisation_id else None


def owned_or_404(session: Session, organisation_id: str, model: type, row_id: str, resource: str):
    """:func:`owned`, or ``Problem`` 404 naming ``resource`` and the id when there is no such row for the
    organisation."""
    row = owned(session, organisation_id, model, row_id)
    if row is None:
        raise not_found(resource, row_id)
    return row


def owned_person(session: Session, organisation_id: str, person_id: str):
    """A person of the organisation who has not been erased, else None."""
    person = owned(session, organisation_id, Person, person_id)
    return person if person is not None and person.erased_at is None else None


def organisation_named(session: Session, name: str) -> Organisation | None:
    """The first organisation (by id) with exactly this name, or None."""
    return session.scalar(select(Organisation).where(Organisation.name == name).order_by(Organisation.id).limit(1))


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.created_at, Organisation.id)))


def list_api_keys(session: Session, organisation_id: str | None) -> list[ApiKey]:
    """Every key (or only ``organisation_id``'s), oldest first; never their secrets' plaintext."""
    query = select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)
    if organisation_id:
        query = query.where(ApiKey.organisation_id == organisation_id)
    return list(session.scalars(query))
