"""Spreadsheet formula injection: text cells of CSV/XLSX exports never start a formula.

Excel, WPS and LibreOffice treat a cell beginning with ``=``, ``+``, ``-`` or ``@`` (and, via DDE tricks,
tab or carriage return) as a formula, so an id such as ``=HYPERLINK(...)`` taken from an input file would
run when a centre opens the export. Such text gets a leading apostrophe (OWASP's advice): shown as text,
the original still readable. Control characters a worksheet cannot hold (openpyxl's
``ILLEGAL_CHARACTERS_RE``: U+0000–U+001F but tab, line feed and carriage return) are dropped, so one
odd name or district taken from a record does not make a whole export fail. Only text columns change;
numbers are written as numbers.
"""
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: object) -> object:
    """``value`` without control characters and with ``'`` put in front when it is text starting like a
    formula; anything but text as is."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells hold no control characters and cannot start a formula
    (numeric columns untouched)."""
    out = frame.copy(deep=False)
    for column in out.columns:
        series = out[column]
        if series.dtype.kind in "biufcmM" or isinstance(series.dtype, pd.CategoricalDtype):
            continue
        text = series.astype(str)
        odd = series.notna() & text.str.contains(ILLEGAL_CHARACTERS_RE)
        if odd.any():
            series = series.astype(object).where(~odd, text.str.replace(ILLEGAL_CHARACTERS_RE, "", regex=True))
            out[column], text = series, series.astype(str)
        risky = series.notna() & text.str.startswith(FORMULA_STARTS)
        if risky.any():
            out[column] = series.astype(object).where(~risky, "'" + text)
    renamed = {c: neutralise_text(c) for c in out.columns if isinstance(c, str) and c.startswith(FORMULA_STARTS)}
    return out.rename(columns=renamed) if renamed else out
