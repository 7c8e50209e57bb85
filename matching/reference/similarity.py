"""How far experience in one occupation carries over to another: classification hierarchy + skills.

Two sources, averaged:

- **Hierarchy** (CSCO 2022): same detailed occupation 1, same 小类 0.75, same 中类 0.5, same 大类 0.25,
  otherwise 0. The classification groups occupations by the work done, so siblings share tasks.
- **Skills**: the correlation of the two occupations' 35 O*NET skill-importance profiles after
  removing each skill's mean over all occupations (so the skills every job rates "important", such
  as Active Listening, do not make everything similar), negative values set to 0.

``similarity = 0.5·hierarchy + 0.5·skills``, and exactly 1 for the same code. Symmetric, in [0, 1].
Cross-group moves with the same skills (驾驶员 → 专用车辆驾驶员, 6 → 4) still score through the skills
half; siblings with different skills (within 6-xx 生产制造) through the hierarchy half.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

HIERARCHY_WEIGHT = 0.5
HIERARCHY_LEVELS = ((11, 1.0), (8, 0.75), (5, 0.5), (1, 0.25))  # shared code prefix → similarity


def hierarchy_similarity(a: str, b: str) -> float:
    """Similarity of two CSCO codes (``4-02-02-02``) from the deepest level they share."""
    for prefix, value in HIERARCHY_LEVELS:
        if a[:prefix] == b[:prefix]:
            return value
    return 0.0


def occupation_similarity(from_codes: list[str], to_codes: list[str], skills: pd.DataFrame) -> np.ndarray:
    """Similarity matrix between occupations, shape ``(len(from_codes), len(to_codes))``.

    Parameters
    ----------
    from_codes, to_codes : list of str
        CSCO detailed codes present in ``skills``.
    skills : DataFrame
        ``matching/data/occupation_skills.csv``: ``code`` and the ``sk_*`` importances (1–5), all
        occupations (the skill means are taken over its rows).

    Returns
    -------
    ndarray of float, values in [0, 1].

    Raises
    ------
    ValueError
        If a code is not in ``skills``.
    """
    table = skills.set_index("code")
    missing = sorted(set(from_codes) - set(table.index) | set(to_codes) - set(table.index))
    if missing:
        raise ValueError(f"unknown occupation codes: {missing[:5]}")
    centred = table - table.mean()
    unit = centred.div(np.linalg.norm(centred.to_numpy(), axis=1), axis=0).fillna(0.0)
    skill = np.clip(unit.loc[from_codes].to_numpy() @ unit.loc[to_codes].to_numpy().T, 0.0, 1.0)
    # Deepest shared level first: np.select takes the first condition that holds.
    conditions = [np.asarray([c[:k] for c in from_codes])[:, None] == np.asarray([c[:k] for c in to_codes])[None, :]
                  for k, _ in HIERARCHY_LEVELS]
    hierarchy = np.select(conditions, [value for _, value in HIERARCHY_LEVELS], default=0.0).reshape(skill.shape)
    out = HIERARCHY_WEIGHT * hierarchy + (1 - HIERARCHY_WEIGHT) * skill
    return np.where(conditions[0].reshape(skill.shape), 1.0, out)
