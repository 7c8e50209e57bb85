"""The shipped occupation table (with skills and family labels when shipped) and the demo centre's
vacancies and programmes (``api/demo_data``) as one fitted ``Matcher``, for persona and audit tests."""
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from matching.components import OccupationTable
from matching.matcher import Matcher
from matching.frames import programmes_frame

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "matching" / "data"


def _optional(name: str, **kw) -> pd.DataFrame | None:
    return pd.read_csv(DATA / name, **kw) if (DATA / name).exists() else None


@lru_cache(maxsize=1)
def demo_matcher() -> Matcher:
    occupations = pd.read_csv(DATA / "occupation_profiles.csv", dtype={"code": str, "family_id": str})
    skills = _optional("occupation_skills.csv", dtype={"code": str})
    labels = _optional("occupation_families.csv", dtype={"family_id": str})
    vacancies = pd.read_csv(ROOT / "api" / "demo_data" / "vacancies.csv", dtype={"occupation_code": str})
    vacancies["id"] = vacancies["external_id"]
    for flag in ("public_welfare", "internship", "directed_training"):
        vacancies[flag] = vacancies[flag].eq("是")
    programmes = programmes_frame(json.loads((ROOT / "api" / "demo_data" / "programmes.json").read_text("utf-8")))
    programmes["id"] = programmes["external_id"]
    return Matcher().fit(OccupationTable.from_frame(occupations, skills), vacancies, programmes, family_labels=labels)
