"""Reading record files (CSV, XLSX, JSON, schema.org JobPosting) into plain dicts for validation.

Spreadsheet conventions: a header row names the fields (rows above it, such as a title row, are skipped
when ``headers`` says which names to look for); list fields hold several values separated by ``|``;
booleans may be written true/false, 1/0, yes/no or 是/否; empty cells mean "not given". CSV may be UTF-8
(with or without a BOM) or GB 18030 (which covers GBK and GB 2312), what Excel saves in China.
"""
import csv
import io
import json
from collections.abc import Collection
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from api.adapters.import_columns import normalise_header

FORMATS = ("csv", "xlsx", "json")
_TRUE, _FALSE = {"是", "有", "√"}, {"否", "无", "×"}


def detect_format(filename: str | None = None, content_type: str | None = None) -> str:
    """``csv``, ``xlsx`` or ``json`` from a file name or a content type; ``ValueError`` if neither fits."""
    name = (filename or "").lower()
    for fmt in FORMATS:
        if name.endswith("." + fmt):
            return fmt
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in {"text/csv", "application/csv"}:
        return "csv"
    if kind in {"application/json", "application/ld+json"}:
        return "json"
    if kind == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        return "xlsx"
    raise ValueError(f"format: cannot tell the format of {filename or content_type or 'the data'!r}; "
                     "use a .csv, .xlsx or .json file (or say format=csv|xlsx|json)")


Numbered = list[tuple[int, dict[str, Any]]]


def read_records(data: bytes, fmt: str, headers: Collection[str] = ()) -> Numbered:
    """Parse ``data`` into (row number, record) pairs. Raises ``ValueError`` naming what is wrong.

    The row number is what a person sees: the spreadsheet row (the first row is 1) or, for JSON, the
    1-based position in the array. ``headers`` are known column names (normalised as
    ``import_columns.normalise_header``): the header is then the first of the top 10 rows naming at least
    two of them, so a title row above it is skipped. Without them, or when no row qualifies, it is row 1.
    """
    if not data.strip():
        raise ValueError("file: the file is empty; send at least a header row and one record")
    if fmt == "csv":
        return _records(csv.reader(io.StringIO(decode_text(data))), headers)
    if fmt == "xlsx":
        return _records(_xlsx_rows(data), headers)
    if fmt == "json":
        return _read_json(data)
    raise ValueError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (BOM or not), else GB 18030; ``ValueError`` if neither fits."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ValueError("file: the CSV is neither UTF-8 nor GBK/GB18030 text; save it again as "
                         "\"CSV UTF-8\" or \"CSV (逗号分隔)\"") from exc


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValueError(f"file: not a readable .xlsx workbook ({type(exc).__name__})") from exc
    return list(sheet.iter_rows(values_only=True))


def _blank(value: Any) -> bool:
    return value is None or str(value).strip() == ""


def _header_index(rows: list[list[Any]], headers: Collection[str]) -> int:
    known = set(headers)
    for index, row in enumerate(rows[:10]):
        if sum(1 for cell in row if not _blank(cell) and normalise_header(cell) in known) >= 2:
            return index
    return 0


def _records(rows, headers: Collection[str]) -> Numbered:
    rows = [list(row) for row in rows]
    if not rows:
        return []
    start = _header_index(rows, headers) if headers else 0
    header = [str(h).strip() if h is not None else "" for h in rows[start]]
    records = []
    for number, values in enumerate(rows[start + 1:], start=start + 2):
        if all(_blank(v) for v in values):
            continue
        records.append((number, _drop_empty(dict(zip(header, values)))))
    return records


def _read_json(data: bytes) -> Numbered:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"file: not valid JSON ({exc})") from exc
    if isinstance(document, dict) and "@graph" in document:
        document = document["@graph"]
    elif isinstance(document, dict) and isinstance(document.get("items"), list):
        document = document["items"]
    elif isinstance(document, dict):
        document = [document]
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise ValueError("file: JSON must be an object, an array of objects, or {\"items\": [...]}")
    return list(enumerate(document, start=1))


def _drop_empty(row: dict[Any, Any]) -> dict[str, Any]:
    return {str(k).strip(): v for k, v in row.items()
            if k not in (None, "") and v is not None and not (isinstance(v, str) and not v.strip())}


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) is list:
        return True
    return any(get_origin(arg) is list for arg in get_args(annotation))


def _is_bool(annotation: Any) -> bool:
    return annotation is bool or bool in get_args(annotation)


def coerce_cells(record: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """Turn spreadsheet cells into what ``model`` expects: split ``a|b`` lists, read 是/否 booleans.

    Cells of fields the model does not have are left alone, so validation reports them by name.
    """
    out = dict(record)
    for name, field in model.model_fields.items():
        value = out.get(name)
        if isinstance(value, str) and _is_list(field.annotation):
            out[name] = [part.strip() for part in value.split("|") if part.strip()]
        elif isinstance(value, str) and _is_bool(field.annotation):
            stripped = value.strip()
            out[name] = True if stripped in _TRUE else False if stripped in _FALSE else stripped
        elif isinstance(value, float) and value.is_integer() and field.annotation in (int, int | None):
            out[name] = int(value)  # spreadsheets store whole numbers as floats
    return out


# The OpenAPI request-body content of an endpoint that takes one of these files as its body.
_BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_REQUEST_BODY = {"text/csv": _BINARY, "application/json": _BINARY, "application/ld+json": _BINARY,
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _BINARY}
