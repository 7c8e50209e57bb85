"""Use case: enrol people on training programmes, internships and directed-training places, and record
what happened on them (pathway modules 5–6).

All three record types here are append-only. A correction is a new row whose ``corrects_id`` names the row
it replaces; a retraction is such a row with ``retracted`` set (it copies the withdrawn row's fields so
the record stays readable). The *effective* rows are those that no later row corrects and that are not
retractions. An enrolment corrected several times keeps its events: they belong to the chain of
enrolment rows (``chain``), wherever in the chain they were recorded.

A ``certificate_awarded`` event adds its certificate to ``persons.certificates`` (the matcher reads it
there); correcting or withdrawing that event removes the certificate again, unless another effective
event still awards it or the person already held it before the first award was recorded.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from api.deps import load_owned_person
from api.errors import Problem, not_found
from api.security import new_id
from api.tenancy import owned
from models.tables import Person, TrainingProgramme, Vacancy
from models.tables_training import Enrolment, EnrolmentEvent
from models.training_path import (
    EVENTS_BY_KIND,
    EnrolmentCorrectionIn,
    EnrolmentEventCorrectionIn,
    EnrolmentEventIn,
    EnrolmentEventKind,
    EnrolmentEventOut,
    EnrolmentFields,
    EnrolmentIn,
    EnrolmentKind,
    EnrolmentOut,
)

MAX_DAYS_AHEAD = 366  # an enrolment may be recorded before the course starts, but not years ahead
_COURSES = (EnrolmentKind.training, EnrolmentKind.entrepreneurship_training)
_ENDINGS = frozenset({EnrolmentEventKind.completed, EnrolmentEventKind.dropped_out,
                      EnrolmentEventKind.converted_to_hire})


def local_today(zone: str) -> date:
    """Today's date in the centre's time zone (``settings.timezone``): the day people experience."""
    return datetime.now(ZoneInfo(zone)).date()


def invalid(field: str, message: str, title: str = "Invalid request") -> Problem:
    """422 naming one field (dotted, as in the request body) and how to put it right."""
    return Problem(422, title, f"{field}: {message}", [{"field": field, "message": message}])


def conflict(field: str, message: str) -> Problem:
    return Problem(409, "Conflicts with the record", f"{field}: {message}", [{"field": field, "message": message}])


def effective(model: type, query):
    """``query`` narrowed to the effective rows of the append-only ``model``."""
    later = aliased(model)
    return query.where(~exists().where(later.corrects_id == model.id), model.retracted.is_(False))


def corrector_of(session: Session, model: type, row_id: str):
    later = aliased(model)
    return session.scalars(select(later).where(later.corrects_id == row_id)).first()


# --- enrolments ---------------------------------------------------------------------------------------

def _check_place(session: Session, organisation_id: str, fields: EnrolmentFields, today: date,
                 prefix: str = "") -> tuple[TrainingProgramme | None, Vacancy | None]:
    """The programme and vacancy an enrolment names, after checking they fit its kind (422 otherwise)."""
    kind = fields.kind
    programme = vacancy = None
    if kind in _COURSES:
        if fields.programme_id is None:
            raise invalid(f"{prefix}programme_id", f"a {kind.value} enrolment needs the id of its programme "
                                                   "(GET /v1/programmes lists them)")
        if fields.vacancy_id is not None:
            raise invalid(f"{prefix}vacancy_id", f"a {kind.value} enrolment is on a programme, not a vacancy: "
                                                 "remove vacancy_id, or use kind internship or directed_training")
    else:
        if fields.vacancy_id is None:
            raise invalid(f"{prefix}vacancy_id", f"an {kind.value} enrolment needs the id of the vacancy that "
                                                 f"offers the place (GET /v1/vacancies?{kind.value}=true)")
        if kind is EnrolmentKind.internship and fields.programme_id is not None:
            raise invalid(f"{prefix}programme_id", "an internship is a place with an employer, not a programme: "
                                                   "remove programme_id")
        vacancy = owned(session, organisation_id, Vacancy, fields.vacancy_id)
        if vacancy is None:
            raise invalid(f"{prefix}vacancy_id", f"no vacancy {fields.vacancy_id!r} in your organisation; "
                                                 "check the id (GET /v1/vacancies)")
        if not getattr(vacancy, kind.value):
            raise invalid(f"{prefix}vacancy_id", f"vacancy {vacancy.id} is not flagged as {kind.value}; pick a "
                                                 f"vacancy with {kind.value}=true or correct the vacancy first")
    if fields.programme_id is not None:
        programme = owned(session, organisation_id, TrainingProgramme, fields.programme_id)
        if programme is None:
            raise invalid(f"{prefix}programme_id", f"no programme {fields.programme_id!r} in your organisation; "
                                                   "check the id (GET /v1/programmes)")
    if fields.started_on > today + timedelta(days=MAX_DAYS_AHEAD):
        raise invalid(f"{prefix}started_on", f"{fields.started_on} is more than a year ahead; give the date the "
                                             "person starts (YYYY-MM-DD)")
    return programme, vacancy


def _duplicate(session: Session, person_id: str, fields: EnrolmentFields, except_id: str | None = None) -> None:
    query = effective(Enrolment, select(Enrolment.id).where(
        Enrolment.person_id == person_id, Enrolment.kind == fields.kind.value,
        Enrolment.programme_id.is_not_distinct_from(fields.programme_id),
        Enrolment.vacancy_id.is_not_distinct_from(fields.vacancy_id), Enrolment.started_on == fields.started_on))
    if except_id is not None:
        query = query.where(Enrolment.id != except_id)
    found = session.scalar(query)
    if found is not None:
        raise conflict("started_on", f"this person is already enrolled on that place from {fields.started_on} "
                                     f"(enrolment {found}); correct that record instead of adding another")


def _new_enrolment(organisation_id: str, person_id: str, key_id: str, fields: EnrolmentFields,
                   **append_only) -> Enrolment:
    return Enrolment(id=new_id("enr"), organisation_id=organisation_id, person_id=person_id,
                     kind=fields.kind.value, programme_id=fields.programme_id, vacancy_id=fields.vacancy_id,
                     started_on=fields.started_on, note=fields.note, recorded_by=key_id,
                     recorded_at=datetime.now(timezone.utc), **append_only)


def create_enrolment(session: Session, organisation_id: str, key_id: str, body: EnrolmentIn,
                     today: date) -> Enrolment:
    """Enrol ``body.person_id``: 404/410 for a person not (or no longer) in the organisation, 422 for a
    place that does not fit the kind, 409 for the same enrolment recorded twice."""
    try:
        person = load_owned_person(session, organisation_id, body.person_id)
    except Problem as problem:
        if problem.status == 404:
            raise invalid("person_id", f"no person {body.person_id!r} in your organisation; check the id") from None
        raise
    _check_place(session, organisation_id, body, today)
    _duplicate(session, person.id, body)
    row = _new_enrolment(organisation_id, person.id, key_id, body)
    session.add(row)
    session.flush()
    return row


def load_enrolment(session: Session, organisation_id: str, enrolment_id: str) -> Enrolment:
    """The organisation's enrolment (404 otherwise; 410 when its person was erased is impossible: erasure
    deletes the rows, so it is a 404 too)."""
    row = owned(session, organisation_id, Enrolment, enrolment_id)
    if row is None:
        raise not_found("enrolment", enrolment_id)
    return row


def chain(session: Session, row: Enrolment) -> list[Enrolment]:
    """``row`` and the rows it corrects, newest first."""
    rows = [row]
    while rows[-1].corrects_id is not None:
        rows.append(session.get(Enrolment, rows[-1].corrects_id))
    return rows


def _effective_head(session: Session, row: Enrolment) -> Enrolment:
    """The record ``row`` was corrected into (itself when effective); 409 for a withdrawn enrolment."""
    head = row
    while (later := corrector_of(session, Enrolment, head.id)) is not None:
        head = later
    if head.retracted:
        raise conflict("enrolment_id", f"enrolment {row.id} was withdrawn ({head.correction_reason}); "
                                       "record a new enrolment if the person did enrol")
    return head


def current_enrolment(session: Session, organisation_id: str, enrolment_id: str) -> Enrolment:
    """The effective version of enrolment ``enrolment_id`` (404 unknown, 409 withdrawn)."""
    return _effective_head(session, load_enrolment(session, organisation_id, enrolment_id))


def chain_events(session: Session, rows: Iterable[Enrolment]) -> list[EnrolmentEvent]:
    """Effective events of the given enrolment rows, oldest first."""
    ids = [r.id for r in rows]
    query = effective(EnrolmentEvent, select(EnrolmentEvent).where(EnrolmentEvent.enrolment_id.in_(ids)))
    return list(session.scalars(query.order_by(EnrolmentEvent.occurred_on, EnrolmentEvent.recorded_at)))


def event_history(session: Session, row: Enrolment) -> list[EnrolmentEventOut]:
    """Every event row of the enrolment, corrected and withdrawn ones too, in the order recorded."""
    ids = [r.id for r in chain(session, row)]
    events = session.scalars(select(EnrolmentEvent).where(EnrolmentEvent.enrolment_id.in_(ids))
                             .order_by(EnrolmentEvent.recorded_at, EnrolmentEvent.id))
    return [EnrolmentEventOut.model_validate({
        **EnrolmentEventOut.model_validate(e).model_dump(),
        "effective": not e.retracted and corrector_of(session, EnrolmentEvent, e.id) is None}) for e in events]


def enrolment_out(session: Session, row: Enrolment) -> EnrolmentOut:
    """The record with its effective events and the status and result they add up to."""
    events = chain_events(session, chain(session, row))
    kinds = {EnrolmentEventKind(e.kind) for e in events}
    status = next((k.value for k in (EnrolmentEventKind.dropped_out, EnrolmentEventKind.converted_to_hire,
                                     EnrolmentEventKind.completed) if k in kinds), "enrolled")
    result = next((k.value for k in (EnrolmentEventKind.passed, EnrolmentEventKind.failed) if k in kinds), None)
    programme = session.get(TrainingProgramme, row.programme_id) if row.programme_id else None
    vacancy = session.get(Vacancy, row.vacancy_id) if row.vacancy_id else None
    return EnrolmentOut.model_validate({
        **{c: getattr(row, c) for c in ("id", "person_id", "kind", "programme_id", "vacancy_id", "started_on", "note",
                                        "recorded_by", "recorded_at", "corrects_id", "correction_reason",
                                        "retracted")},
        "programme_title": programme.title if programme else None,
        "vacancy_title": f"{vacancy.employer} · {vacancy.title}" if vacancy else None,
        "status": status, "result": result,
        "certificates": [e.certificate for e in events if e.kind == EnrolmentEventKind.certificate_awarded],
        "events": [EnrolmentEventOut.model_validate(e) for e in events],
        "effective": not row.retracted and corrector_of(session, Enrolment, row.id) is None,
    })


def list_enrolments(session: Session, organisation_id: str, limit: int, offset: int,
                    person_id: str | None = None, kind: EnrolmentKind | None = None,
                    programme_id: str | None = None) -> tuple[list[EnrolmentOut], int]:
    """Effective enrolments of the organisation (of people not erased), newest start first, and the total."""
    query = effective(Enrolment, select(Enrolment).where(Enrolment.organisation_id == organisation_id))
    for column, value in ((Enrolment.person_id, person_id), (Enrolment.kind, kind), (Enrolment.programme_id,
                                                                                       programme_id)):
        if value is not None:
            query = query.where(column == value)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Enrolment.started_on.desc(), Enrolment.id).limit(limit).offset(offset))
    return [enrolment_out(session, r) for r in rows], total


def enrolment_choices(session: Session, organisation_id: str) -> tuple[list[TrainingProgramme], list[Vacancy]]:
    """What a person can be enrolled in: the organisation's programmes, and its internship and
    directed-training places (vacancies so flagged), each by title."""
    programmes = list(session.scalars(select(TrainingProgramme).where(
        TrainingProgramme.organisation_id == organisation_id).order_by(TrainingProgramme.title)))
    places = list(session.scalars(select(Vacancy).where(
        Vacancy.organisation_id == organisation_id, Vacancy.internship.is_(True) | Vacancy.directed_training.is_(True))
        .order_by(Vacancy.title)))
    return programmes, places


def person_enrolments(session: Session, organisation_id: str, person_id: str,
                      kinds: Iterable[EnrolmentKind] | None = None) -> list[EnrolmentOut]:
    """All effective enrolments of one person (the case file's training part), newest start first."""
    query = effective(Enrolment, select(Enrolment).where(Enrolment.organisation_id == organisation_id,
                                                         Enrolment.person_id == person_id))
    if kinds is not None:
        query = query.where(Enrolment.kind.in_([k.value for k in kinds]))
    rows = session.scalars(query.order_by(Enrolment.started_on.desc(), Enrolment.id))
    return [enrolment_out(session, r) for r in rows]


def correct_enrolment(session: Session, organisation_id: str, key_id: str, enrolment_id: str,
                      body: EnrolmentCorrectionIn, today: date) -> Enrolment:
    """A new row replacing (or withdrawing) enrolment ``enrolment_id``; the original stays readable.

    A withdrawal is refused (409) while the enrolment still has effective events: withdraw those first,
    so that a certificate they added leaves the person's record too."""
    original = load_enrolment(session, organisation_id, enrolment_id)
    _not_corrected(session, Enrolment, original, "enrolment")
    load_owned_person(session, organisation_id, original.person_id)
    events = chain_events(session, chain(session, original))
    common = {"corrects_id": original.id, "correction_reason": body.reason}
    if body.retract:
        if body.replacement is not None:
            raise invalid("replacement", "a withdrawal removes the record; remove replacement or set retract "
                                         "to false")
        if events:
            raise conflict("retract", f"enrolment {original.id} still has {len(events)} recorded event(s); "
                                      "withdraw them first (POST …/events/{event_id}/corrections)")
        fields = EnrolmentFields.model_validate({c: getattr(original, c) for c in EnrolmentFields.model_fields})
        row = _new_enrolment(organisation_id, original.person_id, key_id, fields, retracted=True, **common)
    else:
        if body.replacement is None:
            raise invalid("replacement", "give the enrolment as it should be, or set retract to true to "
                                         "withdraw it")
        fields = body.replacement
        _check_place(session, organisation_id, fields, today, prefix="replacement.")
        _duplicate(session, original.person_id, fields, except_id=original.id)
        allowed = EVENTS_BY_KIND[fields.kind]
        for event in events:
            if event.occurred_on < fields.started_on:
                raise invalid("replacement.started_on", f"event {event.id} ({event.kind}) happened on "
                                                        f"{event.occurred_on}, before this start date")
            if EnrolmentEventKind(event.kind) not in allowed:
                raise invalid("replacement.kind", f"event {event.id} ({event.kind}) cannot happen on a "
                                                  f"{fields.kind.value} enrolment; withdraw it first")
        row = _new_enrolment(organisation_id, original.person_id, key_id, fields, **common)
    session.add(row)
    session.flush()
    return row


def _not_corrected(session: Session, model: type, row, what: str) -> None:
    later = corrector_of(session, model, row.id)
    if later is not None:
        raise conflict("corrects_id", f"{what} {row.id} was already corrected by {later.id}; correct {later.id} "
                                      "instead")
    if row.retracted:
        raise conflict("corrects_id", f"{what} {row.id} is a withdrawal; record the {what} anew if it did happen")


# --- events and certificates --------------------------------------------------------------------------

@dataclass(frozen=True)
class CertificateChange:
    """What an event or its correction did to ``persons.certificates`` (for the audit log)."""

    added: str | None = None
    removed: str | None = None


def _check_event(enrolment: Enrolment, others: list[EnrolmentEvent], body: EnrolmentEventIn, today: date,
                 prefix: str = "") -> None:
    kind = body.kind
    if kind not in EVENTS_BY_KIND[EnrolmentKind(enrolment.kind)]:
        allowed = ", ".join(sorted(k.value for k in EVENTS_BY_KIND[EnrolmentKind(enrolment.kind)]))
        raise invalid(f"{prefix}kind", f"a {enrolment.kind} enrolment records only: {allowed}")
    if kind is EnrolmentEventKind.certificate_awarded and body.certificate is None:
        raise invalid(f"{prefix}certificate", "name the certificate that was awarded")
    if kind is not EnrolmentEventKind.certificate_awarded and body.certificate is not None:
        raise invalid(f"{prefix}certificate", f"only a certificate_awarded event carries a certificate; remove it "
                                              f"from this {kind.value} event")
    if body.occurred_on < enrolment.started_on:
        raise invalid(f"{prefix}occurred_on", f"{body.occurred_on} is before the enrolment started "
                                              f"({enrolment.started_on})")
    if body.occurred_on > today:
        raise invalid(f"{prefix}occurred_on", f"{body.occurred_on} is in the future; record an event once it "
                                              "has happened")
    kinds = {EnrolmentEventKind(e.kind): e for e in others}
    clash = None
    if kind is EnrolmentEventKind.certificate_awarded:
        clash = next((e for e in others if e.certificate == body.certificate), None)
    elif kind in kinds:
        clash = kinds[kind]
    elif kind is EnrolmentEventKind.dropped_out:
        clash = next((e for e in others if e.kind != EnrolmentEventKind.failed), None)
    elif EnrolmentEventKind.dropped_out in kinds:
        clash = kinds[EnrolmentEventKind.dropped_out]
    elif {kind, *kinds} >= {EnrolmentEventKind.passed, EnrolmentEventKind.failed}:
        clash = kinds.get(EnrolmentEventKind.passed) or kinds.get(EnrolmentEventKind.failed)
    if clash is not None:
        raise conflict(f"{prefix}kind", f"the enrolment already records {clash.kind} on {clash.occurred_on} "
                                        f"(event {clash.id}); correct that event if it was wrong")


def _award(person: Person, certificate: str) -> bool:
    """Put ``certificate`` on the person's record; whether it was not there before."""
    held = list(person.certificates or [])
    if certificate in held:
        return False
    person.certificates = [*held, certificate]  # a new list, so the JSON column is seen as changed
    person.updated_at = datetime.now(timezone.utc)
    return True


def _unaward(session: Session, person: Person, withdrawn: EnrolmentEvent) -> str | None:
    """Take the certificate of a withdrawn award off the record when nothing else accounts for it."""
    certificate = withdrawn.certificate
    awards = list(session.scalars(select(EnrolmentEvent).where(
        EnrolmentEvent.person_id == person.id, EnrolmentEvent.kind == EnrolmentEventKind.certificate_awarded.value,
        EnrolmentEvent.certificate == certificate)))
    still_awarded = session.scalar(effective(EnrolmentEvent, select(EnrolmentEvent.id).where(
        EnrolmentEvent.id.in_([a.id for a in awards]), EnrolmentEvent.id != withdrawn.id)))
    if still_awarded is not None or not any(a.certificate_added for a in awards):
        return None
    held = list(person.certificates or [])
    if certificate not in held:
        return None
    person.certificates = [c for c in held if c != certificate]
    person.updated_at = datetime.now(timezone.utc)
    return certificate


def _new_event(enrolment: Enrolment, key_id: str, body: EnrolmentEventIn, **columns) -> EnrolmentEvent:
    return EnrolmentEvent(id=new_id("eev"), organisation_id=enrolment.organisation_id,
                          person_id=enrolment.person_id, enrolment_id=enrolment.id, kind=body.kind.value,
                          occurred_on=body.occurred_on, certificate=body.certificate, note=body.note,
                          recorded_by=key_id, recorded_at=datetime.now(timezone.utc), **columns)


def add_event(session: Session, organisation_id: str, key_id: str, enrolment_id: str, body: EnrolmentEventIn,
              today: date) -> tuple[EnrolmentEvent, CertificateChange]:
    """Record what happened on an enrolment (its effective version, when it was corrected since)."""
    enrolment = _effective_head(session, load_enrolment(session, organisation_id, enrolment_id))
    person = load_owned_person(session, organisation_id, enrolment.person_id)
    _check_event(enrolment, chain_events(session, chain(session, enrolment)), body, today)
    added = body.kind is EnrolmentEventKind.certificate_awarded and _award(person, body.certificate)
    event = _new_event(enrolment, key_id, body, certificate_added=added)
    session.add(event)
    session.flush()
    return event, CertificateChange(added=body.certificate if added else None)


def correct_event(session: Session, organisation_id: str, key_id: str, enrolment_id: str, event_id: str,
                  body: EnrolmentEventCorrectionIn, today: date) -> tuple[EnrolmentEvent, CertificateChange]:
    """Replace or withdraw an event; a certificate it put on the record comes off again."""
    enrolment = load_enrolment(session, organisation_id, enrolment_id)
    original = owned(session, organisation_id, EnrolmentEvent, event_id)
    rows = chain(session, _effective_head(session, enrolment))
    if original is None or original.enrolment_id not in {r.id for r in rows}:
        raise not_found("enrolment event", event_id)
    _not_corrected(session, EnrolmentEvent, original, "event")
    person = load_owned_person(session, organisation_id, enrolment.person_id)
    if body.retract == (body.replacement is not None):
        raise invalid("replacement", "give either replacement (the event as it should be) or retract: true")
    if body.replacement is not None:
        others = [e for e in chain_events(session, rows) if e.id != original.id]
        _check_event(rows[0], others, body.replacement, today, prefix="replacement.")
    removed = _unaward(session, person, original) if original.kind == EnrolmentEventKind.certificate_awarded else None
    common = {"corrects_id": original.id, "correction_reason": body.reason}
    if body.retract:
        kept = EnrolmentEventIn.model_validate({c: getattr(original, c) for c in EnrolmentEventIn.model_fields})
        row = _new_event(rows[0], key_id, kept, retracted=True, **common)
        change = CertificateChange(removed=removed)
    else:
        replacement = body.replacement
        added = replacement.kind is EnrolmentEventKind.certificate_awarded and _award(person, replacement.certificate)
        row = _new_event(rows[0], key_id, replacement, certificate_added=added, **common)
        kept_on = added and replacement.certificate == removed  # the same certificate, re-awarded
        change = CertificateChange() if kept_on else CertificateChange(
            added=replacement.certificate if added else None, removed=removed)
    session.add(row)
    session.flush()
    return row, change
