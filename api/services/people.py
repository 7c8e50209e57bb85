"""Person records: creation, upsert by the case system's id, partial update and erasure."""
from datetime import datetime, timezone

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from api.security import new_id
from api.services.listing import clamped_page, page_of
from models.person import PersonCreate, PersonFields, PersonOut, PriorityGroups, Constraints
from models.tables import AssessmentResponse, AssessmentResult, AssessmentSession, Base, IdempotencyRecord, Person

# Personal fields and the value erasure leaves in them (audit needs only id, organisation, dates).
_ERASED = {"external_id": None, "name": None, "birth_year": None, "gender": None, "education": None,
           "district": None, "home_lat": None, "home_lon": None, "expected_monthly_pay": None,
           "priority": {}, "constraints": {}, "skills": [], "certificates": [], "work_history": []}
_EMPTY = {"priority": {}, "constraints": {}, "skills": [], "certificates": [], "work_history": []}


def _column_values(fields: PersonFields, only_set: bool) -> dict:
    values = fields.model_dump(mode="json", exclude_unset=only_set)
    values.pop("external_id", None)
    return {k: (_EMPTY[k] if v is None and k in _EMPTY else v) for k, v in values.items()}


def find_by_external_id(session: Session, organisation_id: str, external_id: str) -> Person | None:
    return session.scalar(select(Person).where(Person.organisation_id == organisation_id,
                                               Person.external_id == external_id))


def create_person(session: Session, organisation_id: str, data: PersonCreate) -> Person:
    """Create a person. Raises ``ValueError`` naming ``external_id`` if the organisation already has it."""
    if find_by_external_id(session, organisation_id, data.external_id) is not None:
        raise ValueError(f"external_id: {data.external_id!r} already exists in this organisation; "
                         "update that person or use PUT /v1/persons/by-external-id/{external_id}")
    person = Person(id=new_id("p"), organisation_id=organisation_id, external_id=data.external_id,
                    **{**_EMPTY, **_column_values(data, only_set=False)})
    session.add(person)
    session.flush()
    return person


def replace_person(person: Person, data: PersonFields) -> None:
    """Replace every field (an upsert sends the whole record)."""
    for name, value in _column_values(data, only_set=False).items():
        setattr(person, name, value)
    person.updated_at = datetime.now(timezone.utc)


def update_person(person: Person, data: PersonFields) -> None:
    """Change only the fields the caller sent; ``null`` clears one."""
    for name, value in _column_values(data, only_set=True).items():
        setattr(person, name, value)
    person.updated_at = datetime.now(timezone.utc)


def _tables_erased_with_person() -> list:
    """Tables whose mapped class sets ``__erased_with_person__``, children before parents (so foreign keys
    never block the delete)."""
    marked = {m.local_table for m in Base.registry.mappers if getattr(m.class_, "__erased_with_person__", False)}
    return [t for t in reversed(Base.metadata.sorted_tables) if t in marked]


def erase_person(session: Session, person: Person) -> None:
    """Erase personal fields and the person's answers and results, keeping the pseudonymous id so audit
    rows still point somewhere."""
    sessions = select(AssessmentSession.id).where(AssessmentSession.person_id == person.id)
    session.execute(delete(AssessmentResult).where(AssessmentResult.person_id == person.id))
    session.execute(delete(AssessmentResponse).where(AssessmentResponse.session_id.in_(sessions)))
    session.execute(delete(AssessmentSession).where(AssessmentSession.person_id == person.id))
    for table in _tables_erased_with_person():
        session.execute(table.delete().where(table.c.person_id == person.id))
    # Stored responses of earlier writes (kept for Idempotency-Key retries) hold the erased fields.
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.person_id == person.id))
    for name, value in _ERASED.items():
        setattr(person, name, value)
    now = datetime.now(timezone.utc)
    person.erased_at = person.updated_at = now


def person_out(person: Person) -> PersonOut:
    return PersonOut.model_validate({
        **{c: getattr(person, c) for c in PersonOut.model_fields if c not in {"priority", "constraints"}},
        "priority": PriorityGroups.model_validate(person.priority or {}),
        "constraints": Constraints.model_validate(person.constraints or {}),
    })


def people_page(session: Session, organisation_id: str, *, external_id: str | None, district: str | None,
                limit: int, offset: int) -> tuple[list[Person], int]:
    """The organisation's people who are not erased, oldest registration first: one page and the total."""
    query = select(Person).where(Person.organisation_id == organisation_id, Person.erased_at.is_(None))
    if external_id:
        query = query.where(Person.external_id == external_id)
    if district:
        query = query.where(Person.district == district)
    return page_of(session, query, (Person.created_at, Person.id), limit, offset)


def search_people(session: Session, organisation_id: str, q: str, *, page: int,
                  page_size: int) -> tuple[list[Person], int, int]:
    """The organisation's people who are not erased, newest first, whose case number starts with ``q`` or
    whose name or district contains it (all when ``q`` is empty): ``(rows, total, page)`` as
    :func:`api.services.listing.clamped_page` gives them."""
    query = select(Person).where(Person.organisation_id == organisation_id, Person.erased_at.is_(None))
    if q:
        query = query.where(or_(Person.external_id.startswith(q, autoescape=True),
                                Person.name.contains(q, autoescape=True),
                                Person.district.contains(q, autoescape=True)))
    return clamped_page(session, query, (Person.created_at.desc(), Person.id), page, page_size)
