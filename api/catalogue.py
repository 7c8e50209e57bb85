"""Vacancies and training programmes: one store for both, since they are handled the same way.

An import validates the whole file first and reports every rejected row with the field and the reason;
then it stores all valid rows (upserting by ``external_id``), or with ``atomic`` stores nothing at all
when any row was rejected.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.jobposting import is_job_posting, to_vacancy_fields
from api.security import new_id
from api.tabular import coerce_cells
from models.tables import Base, TrainingProgramme, Vacancy
from models.training import TrainingProgramIn, TrainingProgramOut
from models.vacancy import VacancyIn, VacancyOut

# Codes a batch of job titles: per title (code, confidence 0–1, top-3 candidates).
TitleCoder = Callable[[list[str]], list[tuple[str, float, list[dict]]]]


@dataclass(frozen=True)
class Catalogue:
    """What differs between vacancies and programmes."""

    resource: str
    table: type[Base]
    in_model: type[BaseModel]
    out_model: type[BaseModel]
    id_prefix: str
    translate: Callable[[dict[str, Any]], dict[str, Any]] = lambda record: record


def _translate_vacancy(record: dict[str, Any]) -> dict[str, Any]:
    return to_vacancy_fields(record) if is_job_posting(record) else record


VACANCIES = Catalogue("vacancy", Vacancy, VacancyIn, VacancyOut, "v", _translate_vacancy)
PROGRAMMES = Catalogue("programme", TrainingProgramme, TrainingProgramIn, TrainingProgramOut, "tp")


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    """Outcome of an import: how many rows came, were created, updated, and which were rejected."""

    received: int = 0
    created: int = 0
    updated: int = 0
    rejected: list[RowError] = field(default_factory=list)
    stored: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"received": self.received, "created": self.created, "updated": self.updated,
                "rejected_rows": len({e.row for e in self.rejected}), "stored": self.stored,
                "rejected": [e.__dict__ for e in self.rejected]}


def validate(catalogue: Catalogue, record: dict[str, Any]) -> BaseModel:
    """Validate one record (after spreadsheet coercion); raises pydantic's ``ValidationError``."""
    return catalogue.in_model.model_validate(coerce_cells(catalogue.translate(record), catalogue.in_model))


def _apply(catalogue: Catalogue, row: Base, item: BaseModel, coded: tuple | None) -> None:
    values = item.model_dump(mode="python")
    for name, value in values.items():
        if isinstance(value, list):
            value = [getattr(v, "value", v) for v in value]
        setattr(row, name, getattr(value, "value", value))
    if catalogue.table is Vacancy:
        row.occupation_code_confidence, row.occupation_candidates = None, []
        if coded is not None:
            row.occupation_code, row.occupation_code_confidence, row.occupation_candidates = coded
    row.updated_at = datetime.now(timezone.utc)


def code_missing(catalogue: Catalogue, items: list[BaseModel], coder: TitleCoder | None) -> list[tuple | None]:
    """Title-code, in one batch, the vacancies that came without an occupation code."""
    coded: list[tuple | None] = [None] * len(items)
    if catalogue.table is not Vacancy or coder is None:
        return coded
    missing = [i for i, item in enumerate(items) if item.occupation_code is None]
    for i, result in zip(missing, coder([items[i].title for i in missing]) if missing else []):
        coded[i] = result
    return coded


def store(session: Session, catalogue: Catalogue, organisation_id: str, item: BaseModel,
          coded: tuple | None = None) -> tuple[Base, bool]:
    """Insert, or update the row with the same ``external_id``; returns (row, created).

    ``coded`` is the title coder's answer for a vacancy that came without a code (see ``code_missing``).
    """
    existing = None
    if item.external_id:
        existing = session.scalar(select(catalogue.table).where(
            catalogue.table.organisation_id == organisation_id, catalogue.table.external_id == item.external_id))
    row = existing or catalogue.table(id=new_id(catalogue.id_prefix), organisation_id=organisation_id)
    _apply(catalogue, row, item, coded)
    if existing is None:
        session.add(row)
    session.flush()
    return row, existing is None


def replace_row(session: Session, catalogue: Catalogue, row: Base, item: BaseModel,
                coded: tuple | None = None) -> None:
    """Overwrite every field of ``row`` with ``item`` (a PUT); ``coded`` as for ``store``."""
    _apply(catalogue, row, item, coded)
    session.flush()


def import_records(session: Session, catalogue: Catalogue, organisation_id: str,
                   records: list[tuple[int, dict[str, Any]]], atomic: bool,
                   coder: TitleCoder | None = None) -> ImportReport:
    """Validate every record, then store the valid ones (or none, if ``atomic`` and any failed).

    The caller commits; nothing is flushed when the import stores nothing.
    """
    report = ImportReport(received=len(records))
    valid: list[BaseModel] = []
    first_seen: dict[str, int] = {}
    for number, record in records:
        try:
            item = validate(catalogue, record)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(p) for p in error["loc"]) or "row"
                message = "unknown field: remove the column or check its spelling" \
                    if error["type"] == "extra_forbidden" else error["msg"]
                report.rejected.append(RowError(number, where, message))
            continue
        if item.external_id:
            if item.external_id in first_seen:
                report.rejected.append(RowError(number, "external_id",
                                                f"duplicate in this file (first at row {first_seen[item.external_id]})"))
                continue
            first_seen[item.external_id] = number
        valid.append(item)
    if atomic and report.rejected:
        report.stored = False
        return report
    for item, coded in zip(valid, code_missing(catalogue, valid, coder)):
        _, created = store(session, catalogue, organisation_id, item, coded=coded)
        report.created += created
        report.updated += not created
    return report


def to_out(catalogue: Catalogue, row: Base) -> BaseModel:
    return catalogue.out_model.model_validate(row)
