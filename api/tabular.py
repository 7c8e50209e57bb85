"""Reading record files (CSV, XLSX, JSON, schema.org JobPosting) into plain dicts for validation.

Spreadsheet conventions: the first row names the fields; list fields hold several values separated by
``|``; booleans may be written true/false, 1/0, yes/no or 是/否; empty cells mean "not given".
"""
import csv
import io
import json
from typing import Any, get_args, get_origin

from pydantic import BaseModel

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


def read_records(data: bytes, fmt: str) -> Numbered:
    """Parse ``data`` into (row number, record) pairs. Raises ``ValueError`` naming what is wrong.

    The row number is what a person sees: the spreadsheet row (the header is row 1) or, for JSON, the
    1-based position in the array.
    """
    if not data.strip():
        raise ValueError("file: the file is empty; send at least a header row and one record")
    if fmt == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError("file: not UTF-8 text; save the CSV as UTF-8") from exc
        reader = csv.DictReader(io.StringIO(text))
        return [(reader.line_num, _drop_empty(row)) for row in reader]
    if fmt == "xlsx":
        return _read_xlsx(data)
    if fmt == "json":
        return _read_json(data)
    raise ValueError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")


def _read_xlsx(data: bytes) -> Numbered:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValueError(f"file: not a readable .xlsx workbook ({type(exc).__name__})") from exc
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    records = []
    for number, values in enumerate(rows, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
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
