"""English titles for CSCO 2022 occupations, carried over the CSCO → ISCO-08 → O*NET-SOC bridge.

The Chinese classification has no official English names. For the title coder's English layer each
detailed occupation gets the ISCO-08 unit titles it links to and the titles of the O*NET-SOC
occupations that carry most of its weight (the same weights the profile table uses).
"""
from __future__ import annotations

import pandas as pd

from matching.reference.classification import ALIAS_SEPARATOR
from matching.reference.profiles import isco_onet_weights, occupation_links

MAX_ONET_TITLES = 6
MIN_ONET_WEIGHT = 0.05


def english_titles(classification: pd.DataFrame, correspondence: pd.DataFrame, bridge: pd.DataFrame,
                   onet_titles: pd.DataFrame) -> pd.DataFrame:
    """English titles per detailed CSCO occupation.

    Parameters
    ----------
    classification, correspondence, bridge : DataFrame
        As for :func:`matching.reference.build_profiles`; ``bridge`` also needs ``isco08_title``.
    onet_titles : DataFrame
        O*NET ``Occupation Data`` (``O*NET-SOC Code``, ``Title``).

    Returns
    -------
    DataFrame
        ``code, titles_en`` (``|``-separated, ISCO titles first, then O*NET titles by weight, at
        most ``MAX_ONET_TITLES`` with weight ≥ ``MIN_ONET_WEIGHT``), sorted by code.
    """
    links = occupation_links(classification, correspondence)
    isco_title = (bridge.assign(isco08=bridge["isco08"].astype(str).str.strip())
                  .drop_duplicates("isco08").set_index("isco08")["isco08_title"].str.strip())
    onet = isco_onet_weights(bridge)
    chain = links.merge(onet.rename(columns={"weight": "w_onet"}), on="isco08")
    chain["w"] = chain["weight"] * chain["w_onet"]
    per_onet = chain.groupby(["code", "onetsoc"], as_index=False)["w"].sum()
    title = onet_titles.set_index("O*NET-SOC Code")["Title"]
    per_onet["title"] = per_onet["onetsoc"].map(title)
    per_onet = per_onet.dropna(subset=["title"]).loc[lambda f: f["w"] >= MIN_ONET_WEIGHT]
    per_onet = per_onet.sort_values(["code", "w", "onetsoc"], ascending=[True, False, True])
    top = per_onet.groupby("code").head(MAX_ONET_TITLES)

    rows = []
    for code, group in links.sort_values(["code", "weight", "isco08"], ascending=[True, False, True]).groupby("code"):
        titles: list[str] = []
        for candidate in list(group["isco08"].map(isco_title).dropna()) + list(top.loc[top["code"] == code, "title"]):
            if candidate not in titles:
                titles.append(candidate.replace(ALIAS_SEPARATOR, "/"))
        rows.append({"code": code, "titles_en": ALIAS_SEPARATOR.join(titles)})
    return pd.DataFrame(rows, columns=["code", "titles_en"]).sort_values("code", ignore_index=True)
