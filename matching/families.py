"""Occupation families: occupations whose profiles are identical or near-identical (many CSCO
occupations share one O*NET profile: 24 physician specialities are one profile), shown as one
entry of a ranked list with its members named.

The family of each occupation comes from the table's ``family_id`` column (built with the
reference data, ``matching/data/occupation_families.csv`` for its labels) or, when the table has
none, from identical descriptors (``components.identical_profile_families``). A family's label is
the shipped one, else its first two member names ("内科医师、外科医师等").

Order of families in a list: the family's best member total, compared at the one-point resolution
a person sees (totals are shown rounded), then experience (how close the family is to the person's
past work), then local demand (open vacancies coded in the family), then the exact total. Never the
code order.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matching.components import OccupationTable


@dataclass(frozen=True)
class Families:
    """Families of the detailed occupations of one table."""

    ids: np.ndarray                 # (n_detailed,) object family id per occupation row
    members: dict[str, np.ndarray]  # family id → rows, in code order
    label_zh: dict[str, str]
    label_en: dict[str, str]

    @classmethod
    def build(cls, occ: OccupationTable, labels: pd.DataFrame | None = None,
              titles_en: dict[str, str] | None = None) -> "Families":
        """``labels``: ``occupation_families.csv`` (family_id, label_zh, label_en); ``titles_en``:
        code → an English title, for labels the file does not give."""
        n = occ.n_detailed
        ids = (occ.family[:n] if occ.family is not None else occ.codes[:n]).astype(object)
        series = pd.Series(np.arange(n), index=ids)
        members = {f: np.sort(rows.to_numpy()) for f, rows in series.groupby(level=0)}
        shipped_zh, shipped_en = {}, {}
        if labels is not None:
            keyed = labels.assign(family_id=labels["family_id"].astype(str)).set_index("family_id")
            shipped_zh = keyed["label_zh"].dropna().astype(str).to_dict()
            shipped_en = keyed["label_en"].dropna().astype(str).to_dict() if "label_en" in keyed else {}
        zh, en = {}, {}
        titles_en = titles_en or {}
        for f, rows in members.items():
            names = list(dict.fromkeys(str(occ.names_zh[r]) for r in rows))
            zh[f] = shipped_zh.get(f) or ("、".join(names[:2]) + ("等" if len(names) > 2 else ""))
            english = list(dict.fromkeys(titles_en[str(occ.codes[r])] for r in rows if str(occ.codes[r]) in titles_en))
            en[f] = shipped_en.get(f) or (" / ".join(english[:2]) + (" and related" if len(rows) > 2 else "")
                                          if english else zh[f])
        return cls(ids=ids, members=members, label_zh=zh, label_en=en)

    @property
    def n_families(self) -> int:
        return len(self.members)


def order_families(families: Families, total: np.ndarray, eligible: np.ndarray, experience: np.ndarray,
                   demand: dict[str, float]) -> list[tuple[str, int]]:
    """Families with an eligible member, best first, each as (family id, its best eligible row).

    ``total`` (n_detailed,) 0–100, ``eligible`` (n_detailed,) bool, ``experience`` (n_detailed,)
    0–1 or NaN, ``demand`` family id → open vacancies.
    """
    rows = np.flatnonzero(eligible)
    if rows.size == 0:
        return []
    # Best eligible member per family: sort by (family, −total, row) and keep the first of each.
    fam = families.ids[rows]
    order = np.lexsort((rows, -total[rows], fam))
    rows, fam = rows[order], fam[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = fam[1:] != fam[:-1]
    best, fam = rows[first], fam[first]
    exp = np.nan_to_num(experience[best], nan=0.0)
    dem = np.array([demand.get(f, 0.0) for f in fam])
    shown = np.round(total[best])
    ranked = np.lexsort((-total[best], -dem, -exp, -shown))
    return [(str(fam[i]), int(best[i])) for i in ranked]


def family_demand(families: Families, occ_idx: np.ndarray, openings: np.ndarray, open_: np.ndarray) -> dict[str, float]:
    """Open vacancies (openings summed) per family: vacancies whose occupation row is a member."""
    ok = (occ_idx >= 0) & (occ_idx < len(families.ids)) & open_
    out: dict[str, float] = {}
    for f, n in pd.Series(openings[ok]).groupby(families.ids[occ_idx[ok]]).sum().items():
        out[str(f)] = float(n)
    return out


__all__ = ["Families", "family_demand", "order_families"]
