"""Spreadsheet formula injection: text cells of CSV/XLSX exports never start a formula.

Excel, WPS and LibreOffice treat a cell beginning with ``=``, ``+``, ``-`` or ``@`` (and, via DDE tricks,
tab or carriage return) as a formula, so an id such as ``=HYPERLINK(...)`` taken from an input file would
run when a centre opens the export. Such text gets a leading apostrophe (OWASP's advice): shown as text,
the original still readable. Only text columns change; numbers are written as numbers.
"""
import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: object) -> object:
    """``value`` with ``'`` put in front when it is text starting like a formula; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot start a formula (numeric columns untouched)."""
    out = frame.copy(deep=False)
    for column in out.columns:
        series = out[column]
        if series.dtype.kind in "biufcmM" or isinstance(series.dtype, pd.CategoricalDtype):
            continue
        text = series.astype(str)
        risky = series.notna() & text.str.startswith(FORMULA_STARTS)
        if risky.any():
            out[column] = series.astype(object).where(~risky, "'" + text)
    renamed = {c: neutralise_text(c) for c in out.columns if isinstance(c, str) and c.startswith(FORMULA_STARTS)}
    return out.rename(columns=renamed) if renamed else out
