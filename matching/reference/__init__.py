"""Occupation reference data: the CSCO 2022 classification, the CSCO → ISCO-08 correspondence and
the O*NET-derived occupation profile table.

Pure pandas: every function takes the source tables as DataFrames and returns DataFrames; reading
the source files and writing the shipped tables is done by ``api/cli/reference.py``.
"""
from matching.reference.abilities import (
    PHYSICAL_COLUMNS,
    abilities_wide,
    ability_requirements,
    minimum_t,
    physical_demands,
)
from matching.reference.classification import (
    ALIAS_SEPARATOR,
    CLASSIFICATION_COLUMNS,
    detailed_occupations,
    major_group,
    minor_group,
    tidy_classification,
)
from matching.reference.families import FAMILY_COLUMNS, assign_families, occupation_families
from matching.reference.profiles import (
    APTITUDE_COLUMNS,
    PROFILE_COLUMNS,
    SKILL_TABLE_COLUMNS,
    build_profiles,
    build_skills,
    derive_aptitudes,
    isco_onet_weights,
    occupation_links,
    onet_descriptors,
    validate_correspondence,
)
from matching.reference.titles import english_titles

__all__ = [
    "PHYSICAL_COLUMNS",
    "abilities_wide",
    "ability_requirements",
    "minimum_t",
    "physical_demands",
    "FAMILY_COLUMNS",
    "assign_families",
    "occupation_families",
    "SKILL_TABLE_COLUMNS",
    "build_skills",
    "english_titles",
    "APTITUDE_COLUMNS",
    "PROFILE_COLUMNS",
    "build_profiles",
    "derive_aptitudes",
    "isco_onet_weights",
    "occupation_links",
    "onet_descriptors",
    "validate_correspondence",
    "ALIAS_SEPARATOR",
    "CLASSIFICATION_COLUMNS",
    "detailed_occupations",
    "major_group",
    "minor_group",
    "tidy_classification",
]
