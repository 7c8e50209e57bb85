"""Bulk import of people (CSV or XLSX with the Chinese headers of ``import_columns.PEOPLE_COLUMNS``).

Like the vacancy import: the whole file is validated first; every rejected row is reported with the row,
the column as written and the fix in zh-CN and en; valid rows are created, or updated when the case
number is already registered (only the columns the file has are changed); with ``atomic`` nothing is
stored when any row was rejected. Each created or updated person gets an audit row (by the caller's key).
"""
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.adapters.import_columns import PEOPLE_COLUMNS, header_map, translate_row
from api.adapters.tabular import coerce_cells
from api.services.catalogue import ImportReport, duplicate_id_error, row_errors
from api.services.people import create_person, find_by_external_id, update_person
from models.person import PersonCreate, PersonUpdate
from models.tables import Person

HEADERS = set(header_map(PEOPLE_COLUMNS))


def import_people(session: Session, organisation_id: str, records: list[tuple[int, dict[str, Any]]],
                  atomic: bool) -> tuple[ImportReport, list[tuple[Person, bool]]]:
    """Validate every record, then store the valid ones; returns the report and (person, created) pairs.

    The caller writes the audit rows and commits; nothing is flushed when nothing is stored.
    """
    report = ImportReport(received=len(records))
    valid: list[tuple[PersonCreate, set[str]]] = []
    first_seen: dict[str, int] = {}
    for number, record in records:
        fields, written = translate_row(record, PEOPLE_COLUMNS)
        fields = coerce_cells(fields, PersonCreate)
        try:
            item = PersonCreate.model_validate(fields)
        except ValidationError as exc:
            report.rejected.extend(row_errors(PEOPLE_COLUMNS, number, exc, written))
            continue
        if item.external_id in first_seen:
            report.rejected.append(duplicate_id_error(number, first_seen[item.external_id], written))
            continue
        first_seen[item.external_id] = number
        valid.append((item, set(fields)))
    if atomic and report.rejected:
        report.stored = False
        return report, []
    stored = []
    for item, given in valid:
        existing = find_by_external_id(session, organisation_id, item.external_id)
        if existing is None:
            stored.append((create_person(session, organisation_id, item), True))
            report.created += 1
        else:
            update_person(existing, PersonUpdate.model_validate(item.model_dump(include=given - {"external_id"})))
            stored.append((existing, False))
            report.updated += 1
    session.flush()
    return report, stored
