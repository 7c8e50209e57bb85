"""Occupation reference data: the CSCO 2022 classification, the CSCO → ISCO-08 correspondence and
the O*NET-derived occupation profile table.

Pure pandas: every function takes the source tables as DataFrames and returns DataFrames; reading
the source files and writing the shipped tables is done by ``api/cli/reference.py``.
"""
from matching.reference.classification import (
    ALIAS_SEPARATOR,
    CLASSIFICATION_COLUMNS,
    detailed_occupations,
    major_group,
    minor_group,
    tidy_classification,
)
from matching.reference.profiles import (
    APTITUDE_COLUMNS,
    PROFILE_COLUMNS,
    build_profiles,
    derive_aptitudes,
    isco_onet_weights,
    occupation_links,
    onet_descriptors,
    validate_correspondence,
)
from matching.reference.titles import english_titles

__all__ = [
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
