"""What a bulk import (vacancies, programmes, people) answers: counts, whether anything was stored, and
every rejected row with the field and the fix."""
from pydantic import BaseModel


class ImportResult(BaseModel):
    received: int
    created: int
    updated: int
    rejected_rows: int
    stored: bool
    rejected: list[dict]
    needs_choice: list[dict] = []  # vacancies coded from the title below the confidence threshold: pick one
