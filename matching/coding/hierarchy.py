"""The classification's hierarchy as features for the blend.

Two ways the hierarchy helps with titles that the index does not name:

- **Head noun → 中类.** A title's last characters (zh) or last word (en) name the kind of worker:
  司机/驾驶员, 工程师, 老师/教师, 经理/主管, 工/员, driver, engineer, teacher. How often index labels
  with that ending fall in each 中类 (two-digit group, e.g. 4-02 transport services) is a prior
  ``log P(中类 | head)``, estimated from the index itself (add-½ smoothing) so no hand-made table
  goes stale. The longest ending (3, 2, 1 characters) seen on at least ``MIN_HEAD_LABELS`` labels
  is used.
- **小类 maximum.** An occupation gets the best similarity of any occupation in its 小类 (four-digit
  group), so a generic ad (普工, 技术员) that matches a sibling well still lifts the right group.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.title_coder import is_chinese, normalise_title

MIN_HEAD_LABELS = 8
HEAD_LENGTHS = (3, 2, 1)


def group_of(code: str, level: int = 3) -> str:
    """Prefix of a CSCO code at a level: 1 大类 ``4``, 2 中类 ``4-02``, 3 小类 ``4-02-06``."""
    return code[: {1: 1, 2: 4, 3: 7}[level]]


def head_keys(title: str) -> list[str]:
    """Candidate head nouns of a normalised title, longest first."""
    text = title.strip()
    if is_chinese(text):
        text = text.replace(" ", "")
        return [text[-k:] for k in HEAD_LENGTHS if len(text) >= k]
    words = text.split()
    return [words[-1]] if words else []


def group_maximum(scores: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """For each occupation, the maximum of ``scores`` over its 小类; shape as ``scores``.

    ``codes`` must be sorted so that each 小类 is contiguous (the shipped table is).
    """
    groups = np.array([group_of(c) for c in codes])
    _, starts, inverse = np.unique(groups, return_index=True, return_inverse=True)
    if np.any(np.diff(starts) <= 0):
        raise ValueError("codes must be sorted so that each 小类 is contiguous")
    return np.maximum.reduceat(scores, starts, axis=1)[:, inverse]


@dataclass(frozen=True)
class HeadNounPrior:
    """``log P(中类 | head noun)`` per occupation, learned from the index labels.

    Attributes
    ----------
    counts : dict[str, ndarray]
        Head → label counts per 中类 (shape (n_middle_groups,)).
    middle_of : ndarray of int, shape (n_occupations,)
        Each occupation's 中类 index.
    """

    counts: dict[str, np.ndarray]
    middle_of: np.ndarray

    @classmethod
    def fit(cls, labels: list[str], owners: np.ndarray, codes: np.ndarray) -> "HeadNounPrior":
        """Count head nouns of ``labels`` (one per (label, occupation) pair) by the owner's 中类."""
        middle = np.array([group_of(c, 2) for c in codes])
        groups, middle_of = np.unique(middle, return_inverse=True)
        counts: dict[str, np.ndarray] = {}
        for label, owner in zip(labels, owners):
            for key in head_keys(normalise_title(label)):
                counts.setdefault(key, np.zeros(len(groups)))[middle_of[owner]] += 1
        return cls(counts, middle_of)

    def log_prior(self, titles: list[str]) -> np.ndarray:
        """Shape (n_titles, n_occupations); uniform where no head noun is known."""
        n_groups = int(self.middle_of.max()) + 1
        out = np.full((len(titles), len(self.middle_of)), np.log(1.0 / n_groups))
        for i, title in enumerate(titles):
            for key in head_keys(normalise_title(title)):
                c = self.counts.get(key)
                if c is not None and c.sum() >= MIN_HEAD_LABELS:
                    out[i] = np.log((c + 0.5) / (c.sum() + 0.5 * n_groups))[self.middle_of]
                    break
        return out
