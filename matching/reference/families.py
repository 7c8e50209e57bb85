"""Occupation families: occupations whose psychometric profiles are identical or near-identical.

Many CSCO occupations share their ISCO links (and so their O*NET profile) with siblings: the 24
physician specialities, for example, all map to "Specialist medical practitioners". A ranked list
should show such a group once, with its members named. Families are formed by complete-linkage
clustering of the profile vectors (every pair inside a family is within the threshold), after
collapsing identical vectors, so identical profiles always share a family.

Distance: root-mean-square difference over the profile columns, each divided by its SD across
occupations (so a RIASEC point and a T point count by how much occupations differ on them).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist

from matching.reference.classification import ALIAS_SEPARATOR

# Two profiles closer than 0.15 SD (RMS over the 35 columns) describe the same work as far as the
# matcher can tell: the difference is smaller than the rating error of O*NET descriptors (SE of a
# mean rating ≈ 0.1–0.2 on 1–5 scales, i.e. 0.2–0.4 between-occupation SD).
FAMILY_DISTANCE = 0.15
# Profiles are compared as shipped (four decimals), so "identical in the file" means "same family".
DECIMALS = 4
FAMILY_COLUMNS = ["family_id", "size", "label_zh", "label_en", "members"]
NAMES_IN_LABEL = 2


def profile_distances(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Condensed pairwise distances (``scipy.spatial.distance.pdist`` layout) between the rows.

    Each column is divided by its SD across the rows (a constant column counts for nothing), then
    the distance is the RMS of the differences, in SD units.
    """
    values = frame[columns].to_numpy(dtype=float)
    sd = values.std(axis=0)
    scaled = values / np.where(sd > 0, sd, 1.0)
    return pdist(scaled, metric="euclidean") / np.sqrt(len(columns))


def assign_families(table: pd.DataFrame, columns: list[str],
                    threshold: float = FAMILY_DISTANCE) -> pd.DataFrame:
    """Family of each occupation.

    Parameters
    ----------
    table : DataFrame
        ``code`` plus the profile ``columns`` (no missing values).
    columns : list of str
        The profile columns compared (RIASEC, work values, work styles, aptitude minimums, job zone).
    threshold : float
        Complete-linkage cut in SD units (``FAMILY_DISTANCE``).

    Returns
    -------
    DataFrame
        Same row order as ``table``: ``code, family_id`` (the smallest code in the family, so the id
        is stable when unrelated occupations change) and ``family_size``.
    """
    rounded = table[columns].round(DECIMALS).reset_index(drop=True)
    grouped = rounded.groupby(columns, sort=True, dropna=False)
    row_to_unique = grouped.ngroup().to_numpy()
    unique = grouped.head(1).assign(_g=row_to_unique[grouped.head(1).index]).sort_values("_g")[columns]
    if len(unique) > 1:
        clusters = fcluster(linkage(profile_distances(unique, columns), method="complete"),
                            t=threshold, criterion="distance")
    else:
        clusters = np.ones(len(unique), dtype=int)
    cluster = clusters[row_to_unique]
    codes = table["code"].to_numpy()
    family_id = pd.Series(codes).groupby(cluster).transform("min").to_numpy()
    size = pd.Series(codes).groupby(cluster).transform("size").to_numpy()
    return pd.DataFrame({"code": codes, "family_id": family_id, "family_size": size.astype(int)})


def _label_zh(names: list[str]) -> str:
    shown = "、".join(names[:NAMES_IN_LABEL])
    return shown + ("等" if len(names) > NAMES_IN_LABEL else "")


def _label_en(first_titles: list[str], size: int) -> str:
    # The English side has no per-occupation names, only the ISCO/O*NET titles carried over the
    # bridge: name the family by its most frequent first title (ties: alphabetical).
    counts = pd.Series(first_titles).value_counts()
    title = sorted(counts.index[counts == counts.max()])[0]
    return title if size == 1 else f"{title} ({size} occupations)"


def occupation_families(profiles: pd.DataFrame, titles_en: pd.DataFrame) -> pd.DataFrame:
    """The shipped family table, one row per family.

    Parameters
    ----------
    profiles : DataFrame
        The profile table (``code, name_zh, family_id``).
    titles_en : DataFrame
        ``code, titles_en`` (``|``-separated, ISCO title first), see
        :func:`matching.reference.english_titles`.

    Returns
    -------
    DataFrame
        ``FAMILY_COLUMNS`` sorted by ``family_id``: ``members`` = ``|``-joined codes in code order,
        ``label_zh`` = the first two member names joined by 、 plus 等 when there are more
        ("内科医师、外科医师等"), ``label_en`` = the members' most frequent English title with the
        family size.
    """
    first_title = titles_en.set_index("code")["titles_en"].fillna("").str.split(ALIAS_SEPARATOR).str[0]
    rows = []
    for family_id, group in profiles.sort_values("code").groupby("family_id", sort=True):
        codes = group["code"].tolist()
        titles = [t for t in first_title.reindex(codes).fillna("") if t] or [group["name_zh"].iloc[0]]
        rows.append({
            "family_id": family_id,
            "size": len(codes),
            "label_zh": _label_zh(group["name_zh"].tolist()),
            "label_en": _label_en(titles, len(codes)),
            "members": ALIAS_SEPARATOR.join(codes),
        })
    return pd.DataFrame(rows, columns=FAMILY_COLUMNS)
