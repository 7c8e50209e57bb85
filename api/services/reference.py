"""Loading the shipped reference data into the database, idempotently.

The source is the derived table ``matching/data/csco22_occupations.csv`` (built from the 2022 Chinese
occupational classification by ``pathfit reference build``; see ``matching/data/SOURCE.md``).
"""
import csv
import io
from importlib import resources
from pathlib import Path


from sqlalchemy import select
from sqlalchemy.orm import Session

from models.tables import Occupation

OCCUPATIONS_FILE = "csco22_occupations.csv"
DATA_DIR = Path(str(resources.files("matching").joinpath("data")))


def read_occupations() -> list[dict]:
    """The classification rows as dicts ready for the ``occupations`` table."""
    text = resources.files("matching").joinpath("data", OCCUPATIONS_FILE).read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        rows.append({
            "code": row["code"], "level": int(row["level"]), "parent_code": row["parent_code"] or None,
            "name_zh": row["name_zh"], "definition_zh": row["definition_zh"] or None,
            "aliases": [a for a in row["aliases"].split("|") if a],
        })
    return rows


def seed_reference_data(session: Session) -> dict[str, tuple[int, int]]:
    """Insert missing rows and update changed ones; returns {table: (added, updated)}."""
    existing = {o.code: o for o in session.scalars(select(Occupation))}
    added = changed = 0
    for row in read_occupations():
        current = existing.get(row["code"])
        if current is None:
            session.add(Occupation(**row))
            added += 1
        elif any(getattr(current, k) != v for k, v in row.items()):
            for k, v in row.items():
                setattr(current, k, v)
            changed += 1
    session.flush()
    return {"occupations": (added, changed)}


def code_titles(titles: list[str]) -> list[tuple[str, float, list[dict]]]:
    """For each job title: the best CSCO code, its calibrated confidence (0–1) and the top 3 candidates.

    One batch through the hybrid coder (``api.adapters.title_coding``; the embedding model loads on first use).
    Candidates carry ``code, name_zh, name_en, confidence``.
    """
    from api.adapters.title_coding import shipped_hybrid_coder  # lazy: the model is not loaded at start-up

    out = []
    for coding in shipped_hybrid_coder().code_many(list(titles), k=3):
        top = [{"code": c.code, "name_zh": c.name_zh, "name_en": name_en, "confidence": round(float(c.confidence), 4)}
               for c, name_en in zip(coding.candidates, coding.candidate_names_en)]
        out.append((coding.code, float(coding.confidence), top))
    return out
