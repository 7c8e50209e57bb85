"""Vacancies and training programmes: one store for both, since they are handled the same way.

An import validates the whole file first and reports every rejected row with the column as written,
the field and the reason in zh-CN and en; then it stores all valid rows (upserting by ``external_id``),
or with ``atomic`` stores nothing at all when any row was rejected. Spreadsheet columns may carry the
Chinese headers of ``api.adapters.import_columns``. An occupation code that is not in the 2022 classification is
rejected with the title coder's suggestion, never stored and ranked.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.adapters.field_errors import describe
from api.adapters.import_columns import PROGRAMME_COLUMNS, VACANCY_COLUMNS, Column, column_for, header_map, translate_row
from api.adapters.jobposting import is_job_posting, to_vacancy_fields
from api.adapters.tabular import coerce_cells
from api.security import new_id
from api.services.listing import clamped_page, page_of
from api.services.reference import read_occupations
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
    columns: tuple[Column, ...]
    translate: Callable[[dict[str, Any]], dict[str, Any]] = lambda record: record

    @property
    def headers(self) -> set[str]:
        """Every accepted column name, normalised (what ``tabular.read_records`` looks for)."""
        return set(header_map(self.columns))


def _translate_vacancy(record: dict[str, Any]) -> dict[str, Any]:
    return to_vacancy_fields(record) if is_job_posting(record) else record


VACANCIES = Catalogue("vacancy", Vacancy, VacancyIn, VacancyOut, "v", VACANCY_COLUMNS, _translate_vacancy)
PROGRAMMES = Catalogue("programme", TrainingProgramme, TrainingProgramIn, TrainingProgramOut, "tp", PROGRAMME_COLUMNS)


@dataclass
class RowError:
    """One problem of one row: ``column`` as written in the file, ``field`` the API name."""

    row: int
    field: str
    message: str  # English
    message_zh: str = ""
    column: str = ""

    def text(self, lang: str) -> str:
        """The line a person reads: row, column and what to do."""
        where = self.column or ("" if self.field == "row" else self.field)
        if lang == "en":
            return f"row {self.row}" + (f", column “{where}”" if where else "") + f": {self.message}"
        return f"第 {self.row} 行" + (f"，“{where}”列" if where else "") + f"：{self.message_zh or self.message}"


@lru_cache(maxsize=1)
def known_occupation_codes() -> frozenset[str]:
    """Every code of the shipped 2022 classification (all four levels)."""
    return frozenset(row["code"] for row in read_occupations())


def unknown_codes(catalogue: "Catalogue", item: BaseModel) -> list[tuple[str, str]]:
    """(field, code) for each occupation code of ``item`` that the classification does not have."""
    known = known_occupation_codes()
    if catalogue.table is Vacancy:
        code = item.occupation_code
        return [("occupation_code", code)] if code is not None and code not in known else []
    return [("target_occupation_codes", code) for code in item.target_occupation_codes if code not in known]


def unknown_code_messages(code: str, title: str, coder: "TitleCoder | None") -> tuple[str, str]:
    """(en, zh) saying the code is not in the classification, with the title coder's best guesses."""
    guesses = coder([title])[0][2][:3] if coder is not None and title else []
    en = f"{code} is not an occupation code of the 2022 classification"
    zh = f"{code} 不是 2022 版职业分类大典里的代码"
    if guesses:
        en += "; from the title it may be " + ", ".join(f"{g['code']} ({g['name_zh']})" for g in guesses)
        zh += "；按名称“" + title + "”可能是 " + "、".join(f"{g['code']}（{g['name_zh']}）" for g in guesses)
    return en + "; correct the code or leave it empty to have it coded from the title.", \
        zh + "。请改正代码，或留空由系统按名称编码。"


def row_errors(columns: tuple[Column, ...], number: int, exc: ValidationError,
               written: dict[str, str]) -> list[RowError]:
    """Pydantic's errors for one row in words naming the column as the file wrote it."""
    out = []
    for error in exc.errors():
        loc = [str(p) for p in error["loc"]]
        where = ".".join(loc) or "row"
        name = loc[-1] if loc and loc[0] == "priority" else (loc[0] if loc else "")
        column = column_for(columns, name)
        label = written.get(name) or (column.header if column else name)
        out.append(RowError(number, where, describe(error, label, "en"), describe(error, label, "zh-CN"),
                            label if loc else ""))
    return out


def duplicate_id_error(number: int, first: int, written: dict[str, str]) -> RowError:
    """Row ``number`` repeats the external id first seen at row ``first``."""
    return RowError(number, "external_id", f"duplicate in this file (first at row {first})",
                    f"编号与第 {first} 行重复；每个编号只能出现一次", written.get("external_id", "external_id"))


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


def translate(catalogue: Catalogue, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A file's record as model fields (Chinese headers and cell values read), and field → column."""
    fields, written = translate_row(catalogue.translate(record), catalogue.columns)
    return coerce_cells(fields, catalogue.in_model), written


def validate(catalogue: Catalogue, record: dict[str, Any]) -> BaseModel:
    """Validate one record (after spreadsheet coercion); raises pydantic's ``ValidationError``."""
    return catalogue.in_model.model_validate(translate(catalogue, record)[0])


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
        fields, written = translate(catalogue, record)
        try:
            item = catalogue.in_model.model_validate(fields)
        except ValidationError as exc:
            report.rejected.extend(row_errors(catalogue.columns, number, exc, written))
            continue
        bad = unknown_codes(catalogue, item)
        for name, code in bad:
            en, zh = unknown_code_messages(code, item.title, coder)
            report.rejected.append(RowError(number, name, en, zh, written.get(name, name)))
        if bad:
            continue
        if item.external_id:
            if item.external_id in first_seen:
                report.rejected.append(duplicate_id_error(number, first_seen[item.external_id], written))
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


def vacancies_page(db: Session, organisation_id: str, filters: dict[str, object], limit: int,
                   offset: int) -> tuple[list[Vacancy], int]:
    """The organisation's vacancies whose columns equal the given ``filters`` (None values ignored),
    oldest first: one page and the total."""
    query = select(Vacancy).where(Vacancy.organisation_id == organisation_id)
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(Vacancy, name) == value)
    return page_of(db, query, (Vacancy.created_at, Vacancy.id), limit, offset)


def programmes_page(db: Session, organisation_id: str, district: str | None, limit: int,
                    offset: int) -> tuple[list[TrainingProgramme], int]:
    """The organisation's training programmes (in ``district`` when given), oldest first: one page and
    the total."""
    query = select(TrainingProgramme).where(TrainingProgramme.organisation_id == organisation_id)
    if district is not None:
        query = query.where(TrainingProgramme.district == district)
    return page_of(db, query, (TrainingProgramme.created_at, TrainingProgramme.id), limit, offset)


def vacancies_updated_since(db: Session, organisation_id: str, since: datetime) -> list[str]:
    """Ids of the organisation's vacancies stored or changed at or after ``since`` (an import's rows)."""
    return list(db.scalars(select(Vacancy.id).where(Vacancy.organisation_id == organisation_id,
                                                    Vacancy.updated_at >= since)))


def search_catalogue(db: Session, catalogue: Catalogue, organisation_id: str, q: str, *, page: int,
                     page_size: int) -> tuple[list[Base], int, int]:
    """The organisation's vacancies or programmes, newest first, whose title, employer or provider, or
    district contains ``q`` (all when empty): ``(rows, total, page)`` as
    :func:`api.services.listing.clamped_page` gives them."""
    table = catalogue.table
    place = table.employer if table is Vacancy else table.provider
    query = select(table).where(table.organisation_id == organisation_id)
    if q:
        query = query.where(or_(table.title.contains(q, autoescape=True), place.contains(q, autoescape=True),
                                table.district.contains(q, autoescape=True)))
    return clamped_page(db, query, (table.created_at.desc(), table.id), page, page_size)
