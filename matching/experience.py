"""The experience (continuity / transfer) component: how close each candidate occupation is to the
work the person has already done, weighted by how long and how recently they did it.

Similarity of a past occupation h to a candidate occupation o (0–1):

    s(h, o) = ½·hier(h, o) + ½·max(r_skills(h, o), 0)

- ``hier``: the CSCO 2022 hierarchy: 1 same detailed code, 0.8 same 小类 (unit group, first three
  segments, e.g. ``4-02-02``), 0.6 same 中类 (minor group, ``4-02``), 0.3 same 大类 (major group,
  ``4``), else 0. A past code coarser than a detailed occupation (``4-02``) counts as 'same' at
  its own level for every occupation under it.
- ``r_skills``: Pearson correlation of the two occupations' 35 O*NET Skills importances
  (``matching/data/occupation_skills.csv``); skills transfer between occupations whose skill
  profiles have the same shape (e.g. Gathmann & Schönberg 2010, Poletaev & Robinson 2008).
  Occupations sharing one O*NET profile correlate 1. When either side has no skill profile,
  s = hier (the classification alone).

Weight of one past job e (0–1): w_e = (1 − exp(−months/24)) · exp(−years_since_end / 10), months
saturating (two years give 0.63, four 0.86) and a ten-year recency scale (a job left ten years ago
counts 0.37); an unknown end year counts as recent.

Experience(person, o) = 1 − Π_e (1 − w_e·s(h_e, o)) (a 'noisy or': several related jobs add up
but never past 1), NaN for a person with no usable history, so that the component drops out of the
weighted total instead of scoring 0 or 1.

Determinism: the product runs over the history axis in the order given, with elementwise
operations only, so a block of people gets the bits a block of one gets (``matching.batch``).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

HIERARCHY_SIMILARITY = (1.0, 0.8, 0.6, 0.3)   # same detailed code, 小类, 中类, 大类
HIERARCHY_SHARE = 0.5                         # the rest is the skill-profile correlation
MONTHS_SCALE = 24.0
RECENCY_SCALE_YEARS = 10.0


def history_weight(months: np.ndarray, end_year: np.ndarray, as_of_year: int) -> np.ndarray:
    """w = (1 − exp(−months/24)) · exp(−max(as_of_year − end_year, 0)/10); NaN end year = recent.
    Shapes broadcast; months ≤ 0 give 0."""
    months = np.maximum(np.asarray(months, dtype=float), 0.0)
    gap = np.maximum(as_of_year - np.asarray(end_year, dtype=float), 0.0)
    recency = np.where(np.isnan(gap), 1.0, np.exp(-np.nan_to_num(gap) / RECENCY_SCALE_YEARS))
    return (1.0 - np.exp(-months / MONTHS_SCALE)) * recency


def hierarchy_similarity(past: str, codes: np.ndarray) -> np.ndarray:
    """``hier`` of one past code against every code in ``codes`` (m,), 0–1."""
    parts = past.split("-")
    text = np.asarray(codes).astype(str)    # compared in numpy's string ufuncs: 6× a Python loop
    out = np.zeros(len(codes))
    # From the coarsest level to the finest, so a finer match overwrites a coarser one.
    levels = [(1, HIERARCHY_SIMILARITY[3]), (2, HIERARCHY_SIMILARITY[2]), (3, HIERARCHY_SIMILARITY[1]),
              (4, HIERARCHY_SIMILARITY[0])]
    for n_seg, sim in levels:
        if len(parts) < n_seg:
            break
        prefix = "-".join(parts[:n_seg])
        hit = (text == prefix) | np.strings.startswith(text, prefix + "-")
        # A coarse past code ("4-02") is 'same' at its own level for everything under it.
        out = np.where(hit, sim if n_seg < len(parts) else HIERARCHY_SIMILARITY[0], out)
    return out


def skill_units(skills: np.ndarray) -> np.ndarray:
    """Rows centred and scaled to unit length (so a dot product is Pearson's r); NaN or flat rows
    become zeros (no evidence), (m, n_skills)."""
    c = skills - np.nanmean(skills, axis=1, keepdims=True) if skills.size else skills
    norm = np.sqrt(np.nansum(c * c, axis=1, keepdims=True))
    ok = (norm > 1e-9) & ~np.isnan(skills).any(axis=1, keepdims=True)
    return np.where(ok, np.nan_to_num(c) / np.where(ok, norm, 1.0), 0.0)


def history_similarity(past_codes: Sequence[str], past_units: np.ndarray, codes: np.ndarray,
                       units: np.ndarray) -> np.ndarray:
    """s(h, o) for each past job × candidate occupation, (H, m).

    ``past_units`` (H, n_skills) and ``units`` (m, n_skills) are ``skill_units`` rows (zeros when
    unknown).
    """
    out = np.zeros((len(past_codes), len(codes)))
    known = (np.abs(units).sum(axis=1) > 0) if units.shape[1] else np.zeros(len(codes), dtype=bool)
    for e, code in enumerate(past_codes):
        hier = hierarchy_similarity(code, codes)
        if not units.shape[1] or not np.abs(past_units[e]).sum() > 0:
            out[e] = hier
            continue
        r = np.clip(units @ past_units[e], 0.0, 1.0)
        # Without a skill profile on the candidate's side the classification alone decides.
        out[e] = np.where(known, HIERARCHY_SHARE * hier + (1 - HIERARCHY_SHARE) * r, hier)
    return out


def experience_fit(weight: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """The experience component, (n_p, m): 1 − Π_e (1 − w[p, e]·s[p, e, o]).

    ``weight`` (n_p, H) with NaN padding for people with fewer jobs, ``similarity`` (n_p, H, m).
    NaN for a person with no usable job (all weights NaN or 0).
    """
    n_p, h = weight.shape
    keep = np.ones((n_p, similarity.shape[2]))
    has = np.zeros(n_p, dtype=bool)
    for e in range(h):
        w = weight[:, e]
        ok = ~np.isnan(w) & (w > 0)
        has |= ok
        keep = keep * np.where(ok[:, None], 1.0 - np.where(ok, w, 0.0)[:, None] * similarity[:, e, :], 1.0)
    return np.where(has[:, None], 1.0 - keep, np.nan)


__all__ = ["HIERARCHY_SIMILARITY", "experience_fit", "hierarchy_similarity", "history_similarity",
           "history_weight", "skill_units"]
