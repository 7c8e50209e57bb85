"""Occupation profiles for CSCO 2022 from O*NET descriptors through a CSCO → ISCO-08 → O*NET-SOC bridge.

The chain and its weights:

1. CSCO → ISCO-08: the reviewed correspondence (``matching/data/cn_isco_correspondence.csv``), one
   row per link with a weight (summing to 1 per CSCO code) and a confidence in [0, 1]. A detailed
   occupation uses its own rows when it has any, otherwise the rows of its 小类 ("inherited").
2. ISCO-08 → O*NET-SOC 2019: the many-to-many bridge derived from the BLS ISCO-08 ↔ SOC 2010 table.
   An O*NET occupation linked to k ISCO units contributes 1/k to each, so broad O*NET occupations
   ("Project Management Specialists" links to 14 units) weigh less than specific ones; weights are
   then normalised within each ISCO unit.
3. A CSCO occupation's O*NET weights are Σ_u w(c, u) · w(u, o); each descriptor is the weighted
   mean over the O*NET occupations that have it (weights renormalised over those present).

Aptitude requirements (V, N, S, P, Q, G) are minimums derived from the legacy O*NET Abilities
importance table (:mod:`matching.reference.abilities`); occupations whose O*NET matches have no ability
ratings fall back to the skill-based formula :func:`derive_aptitudes` moved to the same minimum scale.
Physical demands come from the same abilities and the classification's text; occupation families group
identical or near-identical profiles (:mod:`matching.reference.families`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from matching.reference.abilities import (
    ABILITY_COLUMNS,
    PHYSICAL_COLUMNS,
    REQUIREMENT_T_RANGE,
    WITHIN_OCCUPATION_SD_T,
    ability_requirements,
    physical_demands,
    snake,
)
from matching.reference.classification import ALIAS_SEPARATOR, detailed_occupations, minor_group
from matching.reference.families import assign_families

RIASEC = ["Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional"]
RIASEC_COLUMNS = ["riasec_R", "riasec_I", "riasec_A", "riasec_S", "riasec_E", "riasec_C"]
WORK_VALUES = ["Achievement", "Working Conditions", "Recognition", "Relationships", "Support", "Independence"]
WORK_VALUE_COLUMNS = ["wv_achievement", "wv_working_conditions", "wv_recognition", "wv_relationships",
                      "wv_support", "wv_independence"]
WORK_STYLES = ["Achievement/Effort", "Persistence", "Initiative", "Leadership", "Cooperation",
               "Concern for Others", "Social Orientation", "Self-Control", "Stress Tolerance",
               "Adaptability/Flexibility", "Dependability", "Attention to Detail", "Integrity",
               "Independence", "Innovation", "Analytical Thinking"]
WORK_STYLE_COLUMNS = ["ws_achievement_effort", "ws_persistence", "ws_initiative", "ws_leadership",
                      "ws_cooperation", "ws_concern_for_others", "ws_social_orientation", "ws_self_control",
                      "ws_stress_tolerance", "ws_adaptability_flexibility", "ws_dependability",
                      "ws_attention_to_detail", "ws_integrity", "ws_independence", "ws_innovation",
                      "ws_analytical_thinking"]
APTITUDE_COLUMNS = ["apt_V", "apt_N", "apt_S", "apt_P", "apt_Q", "apt_G"]
PROFILE_COLUMNS = (["code", "name_zh", "major_group", "confidence", "n_onet"] + RIASEC_COLUMNS
                   + WORK_VALUE_COLUMNS + WORK_STYLE_COLUMNS + APTITUDE_COLUMNS
                   + ["job_zone", "education_rank", "apt_source"] + PHYSICAL_COLUMNS
                   + ["family_id", "family_size"])
# The profile a person is compared with; identical or near-identical vectors form one family.
FAMILY_PROFILE_COLUMNS = (RIASEC_COLUMNS + WORK_VALUE_COLUMNS + WORK_STYLE_COLUMNS + APTITUDE_COLUMNS
                          + ["job_zone"])

# All 35 O*NET Skills (29.3, importance IM 1–5), in O*NET's element order, for the skills table.
SKILLS_ALL = [
    "Reading Comprehension", "Active Listening", "Writing", "Speaking", "Mathematics", "Science",
    "Critical Thinking", "Active Learning", "Learning Strategies", "Monitoring", "Social Perceptiveness",
    "Coordination", "Persuasion", "Negotiation", "Instructing", "Service Orientation",
    "Complex Problem Solving", "Operations Analysis", "Technology Design", "Equipment Selection",
    "Installation", "Programming", "Operations Monitoring", "Operation and Control",
    "Equipment Maintenance", "Troubleshooting", "Repairing", "Quality Control Analysis",
    "Judgment and Decision Making", "Systems Analysis", "Systems Evaluation", "Time Management",
    "Management of Financial Resources", "Management of Material Resources",
    "Management of Personnel Resources",
]
# Internal (descriptor) names ``im_*``; the shipped skills table calls them ``sk_*``.
SKILL_IM_COLUMNS = [f"im_{snake(name)}" for name in SKILLS_ALL]
SKILL_TABLE_COLUMNS = ["code"] + [f"sk_{snake(name)}" for name in SKILLS_ALL]

# Skills (Level scale, 0–7) that feed the aptitude derivation; kept as internal columns.
SKILLS_USED = {
    "Reading Comprehension": "sk_reading", "Writing": "sk_writing", "Speaking": "sk_speaking",
    "Active Listening": "sk_listening", "Mathematics": "sk_mathematics", "Science": "sk_science",
    "Operations Analysis": "sk_operations_analysis", "Technology Design": "sk_technology_design",
    "Equipment Maintenance": "sk_equipment_maintenance", "Installation": "sk_installation",
    "Repairing": "sk_repairing", "Troubleshooting": "sk_troubleshooting",
    "Quality Control Analysis": "sk_quality_control", "Operations Monitoring": "sk_operations_monitoring",
}
SKILL_COLUMNS = list(SKILLS_USED.values())

# O*NET "Required Level of Education" categories 1–12 → the Chinese attainment scale of
# models.enums.EducationLevel.rank (0 none … 6 postgraduate). Less than a US high-school diploma
# corresponds to 初中 (2); diploma, post-secondary certificate and some college without a degree to
# 高中/中专 (3); associate's to 大专 (4); bachelor's and post-baccalaureate certificates to 本科
# (5); master's and above to 研究生 (6).
RL_TO_EDUCATION_RANK = {1: 2, 2: 3, 3: 3, 4: 3, 5: 4, 6: 5, 7: 5, 8: 6, 9: 6, 10: 6, 11: 6, 12: 6}

# Between-occupation SD of aptitude requirements on the T metric. Occupational mean scores on
# general aptitude spread over roughly ±1.2 population SD from the least to the most demanding
# occupations (GATB occupational norms; Hunter 1983, Gottfredson 1986), i.e. an SD of about half
# a population SD across occupations. 6 T points is used so that the tails stay plausible.
APTITUDE_SPREAD_T = 6.0
APTITUDE_T_RANGE = (25.0, 75.0)


def validate_correspondence(correspondence: pd.DataFrame, classification: pd.DataFrame) -> None:
    """Check the reviewed CSCO → ISCO-08 correspondence against the classification.

    Raises ``ValueError`` when a CSCO code is unknown, a link is duplicated, a weight or confidence
    is outside [0, 1], the weights of a CSCO code do not sum to 1 (± 0.001), or a detailed
    occupation has neither its own rows nor rows for its 小类.
    """
    corr = correspondence
    known = set(classification["code"]) | set(classification["code"].map(minor_group))
    unknown = sorted(set(corr["csco_code"]) - known)
    if unknown:
        raise ValueError(f"correspondence names CSCO codes not in the classification: {unknown[:5]}")
    if corr.duplicated(["csco_code", "isco08"]).any():
        raise ValueError("correspondence has duplicated (csco_code, isco08) links")
    for column in ("weight", "confidence"):
        if not corr[column].between(0, 1).all():
            raise ValueError(f"correspondence {column} must lie in [0, 1]")
    sums = corr.groupby("csco_code")["weight"].sum()
    off = sums[(sums - 1).abs() > 1e-3]
    if len(off):
        raise ValueError(f"weights do not sum to 1 for {off.index[:5].tolist()}")
    detailed = detailed_occupations(classification)["code"]
    keys = set(corr["csco_code"])
    missing = [c for c in detailed if c not in keys and minor_group(c) not in keys]
    if missing:
        raise ValueError(f"detailed occupations without a correspondence row: {missing[:5]}")


def occupation_links(classification: pd.DataFrame, correspondence: pd.DataFrame) -> pd.DataFrame:
    """CSCO detailed occupation → ISCO-08 links after inheritance from the 小类.

    Returns columns ``code, isco08, weight, confidence, inherited`` (one row per link).
    """
    corr = correspondence[["csco_code", "isco08", "weight", "confidence"]]
    codes = detailed_occupations(classification)["code"]
    own = set(corr["csco_code"])
    key = pd.Series(np.where(codes.isin(own), codes, codes.map(minor_group)), index=codes.index)
    frame = pd.DataFrame({"code": codes, "csco_code": key, "inherited": codes.values != key.values})
    return frame.merge(corr, on="csco_code", how="inner").drop(columns="csco_code")


def isco_onet_weights(bridge: pd.DataFrame) -> pd.DataFrame:
    """ISCO-08 unit → O*NET-SOC 2019 weights from the many-to-many bridge.

    Parameters
    ----------
    bridge : DataFrame
        Columns ``onetsoc2019, isco08`` (extra columns ignored, repeated rows collapsed).

    Returns
    -------
    DataFrame
        ``isco08, onetsoc, weight``; weights sum to 1 within each ISCO unit. An O*NET occupation
        linked to k units contributes 1/k before normalisation.
    """
    links = (bridge.assign(isco08=bridge["isco08"].astype(str).str.strip(),
                           onetsoc=bridge["onetsoc2019"].astype(str).str.strip())
             [["isco08", "onetsoc"]].drop_duplicates())
    k = links.groupby("onetsoc")["isco08"].transform("size")
    links = links.assign(weight=1.0 / k)
    links["weight"] = links["weight"] / links.groupby("isco08")["weight"].transform("sum")
    return links.sort_values(["isco08", "onetsoc"], ignore_index=True)


def _wide(long: pd.DataFrame, scale: str, names: list[str], columns: list[str]) -> pd.DataFrame:
    rows = long.loc[(long["Scale ID"] == scale) & long["Element Name"].isin(names)]
    wide = rows.pivot_table(index="O*NET-SOC Code", columns="Element Name", values="Data Value",
                            aggfunc="mean")
    return wide.reindex(columns=names).set_axis(columns, axis=1)


def onet_descriptors(interests: pd.DataFrame, work_values: pd.DataFrame, work_styles: pd.DataFrame,
                     skills: pd.DataFrame, job_zones: pd.DataFrame, education: pd.DataFrame,
                     abilities: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per O*NET-SOC occupation with the descriptors the profile table needs.

    Inputs are the O*NET long tables with their release column names (``O*NET-SOC Code``,
    ``Element Name``, ``Scale ID``, ``Data Value``; ``Job Zone``; ``Category`` for education);
    ``abilities`` is the output of :func:`matching.reference.abilities.abilities_wide` (optional).

    Returns a frame indexed by O*NET-SOC code with RIASEC OI (1–7), Work Values EX (1–7), Work Styles
    IM (1–5, 29.3 taxonomy), the skill levels used for aptitudes (LV, 0–7), all 35 skill importances
    (``im_*``, IM 1–5), ``job_zone`` (1–5), ``education_rank`` (0–6, expected value over the RL
    category distribution) and, when given, the ability importances (``ab_*``, IM 1–5).
    """
    parts = [
        _wide(interests, "OI", RIASEC, RIASEC_COLUMNS),
        _wide(work_values, "EX", WORK_VALUES, WORK_VALUE_COLUMNS),
        _wide(work_styles, "IM", WORK_STYLES, WORK_STYLE_COLUMNS),
        _wide(skills, "LV", list(SKILLS_USED), SKILL_COLUMNS),
        _wide(skills, "IM", SKILLS_ALL, SKILL_IM_COLUMNS),
        job_zones.groupby("O*NET-SOC Code")["Job Zone"].mean().rename("job_zone").to_frame(),
    ]
    rl = education.loc[education["Scale ID"] == "RL"].copy()
    rl["rank"] = pd.to_numeric(rl["Category"]).astype(int).map(RL_TO_EDUCATION_RANK)
    rl["pct"] = pd.to_numeric(rl["Data Value"])
    total = rl.groupby("O*NET-SOC Code")["pct"].sum()
    expected = (rl["rank"] * rl["pct"]).groupby(rl["O*NET-SOC Code"]).sum() / total
    parts.append(expected[total > 0].rename("education_rank").to_frame())
    if abilities is not None:
        parts.append(abilities.reindex(columns=ABILITY_COLUMNS))
    out = pd.concat(parts, axis=1).sort_index()
    out.index.name = "onetsoc"
    return out.astype(float)


def _robust_z(values: pd.Series) -> pd.Series:
    # Median/IQR so that a few extreme occupations (surgeons, astronomers) do not set the scale.
    centre = values.median()
    scale = (values.quantile(0.75) - values.quantile(0.25)) / 1.349
    return (values - centre) / scale


def derive_aptitudes(frame: pd.DataFrame) -> pd.DataFrame:
    """Aptitude requirements V, N, S, P, Q, G (T metric) from skills, work styles and job zone.

    Each raw index is a weighted sum of robust z-scores (median 0, IQR-based SD 1) taken across the
    rows of ``frame`` (the CSCO occupations), then mapped to T = 50 + 6·z/sd(z) and clipped to
    25–75, so the median occupation needs T ≈ 50 and occupations spread with SD ≈ 6 T points (about
    half the population SD; see ``APTITUDE_SPREAD_T``).

    - V (verbal) = mean z of Reading Comprehension, Writing, Speaking, Active Listening (LV).
    - N (numerical) = 0.8·z(Mathematics) + 0.2·z(Science).
    - S (spatial) = 0.7·mean z(Technology Design, Operations Analysis, Installation, Equipment
      Maintenance, Repairing, Troubleshooting) + 0.3·z(Job Zone). The mechanical/design skills are
      the ones that require visualising objects in space; Job Zone adds the complexity of the work.
    - P (form perception) = 0.5·z(Quality Control Analysis) + 0.3·z(Operations Monitoring)
      + 0.2·z(Attention to Detail, work-style importance): seeing fine differences in objects.
    - Q (clerical perception) = 0.5·z(Attention to Detail) + 0.3·z(Reading Comprehension)
      + 0.2·z(Mathematics): seeing detail in words and numbers.
    - G (general learning) = mean of the V, N, S indices plus 0.5·z(education rank), rescaled.

    Parameters
    ----------
    frame : DataFrame
        Must hold the ``sk_*`` skill levels, ``ws_attention_to_detail``, ``job_zone`` and
        ``education_rank``; rows with missing inputs get NaN aptitudes.

    Returns
    -------
    DataFrame
        ``apt_V … apt_G`` on the T metric, same index as ``frame``.
    """
    z = {column: _robust_z(frame[column]) for column in
         SKILL_COLUMNS + ["ws_attention_to_detail", "job_zone", "education_rank"]}
    mechanical = pd.concat([z[c] for c in ("sk_technology_design", "sk_operations_analysis",
                                           "sk_installation", "sk_equipment_maintenance",
                                           "sk_repairing", "sk_troubleshooting")], axis=1).mean(axis=1)
    raw = {
        "apt_V": pd.concat([z["sk_reading"], z["sk_writing"], z["sk_speaking"], z["sk_listening"]],
                           axis=1).mean(axis=1),
        "apt_N": 0.8 * z["sk_mathematics"] + 0.2 * z["sk_science"],
        "apt_S": 0.7 * mechanical + 0.3 * z["job_zone"],
        "apt_P": 0.5 * z["sk_quality_control"] + 0.3 * z["sk_operations_monitoring"]
        + 0.2 * z["ws_attention_to_detail"],
        "apt_Q": 0.5 * z["ws_attention_to_detail"] + 0.3 * z["sk_reading"] + 0.2 * z["sk_mathematics"],
    }
    vns = [raw["apt_V"] / raw["apt_V"].std(), raw["apt_N"] / raw["apt_N"].std(),
           raw["apt_S"] / raw["apt_S"].std()]
    raw["apt_G"] = sum(vns) / 3 + 0.5 * z["education_rank"]
    out = {}
    for name, values in raw.items():
        centred = values - values.median()
        out[name] = (50 + APTITUDE_SPREAD_T * centred / centred.std()).clip(*APTITUDE_T_RANGE)
    return pd.DataFrame(out, index=frame.index)[APTITUDE_COLUMNS]


FAMILY_MARKERS = ["riasec_R", "wv_achievement", "ws_achievement_effort", "sk_reading", "job_zone",
                  "education_rank"]


def _fill_from_siblings(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    # A descriptor that none of an occupation's O*NET matches carries (O*NET rates skills and work
    # values for fewer occupations than interests) is taken from the mean of its 小类, then 中类,
    # then 大类 siblings. The confidence already reflects the gap through the coverage factor.
    out = table.copy()
    codes = out.index.to_series()
    for key in (codes.str[:8], codes.str[:5], codes.str[:1]):
        means = out[columns].groupby(key.values).transform("mean")
        out[columns] = out[columns].fillna(means)
    return out


def onet_weights(classification: pd.DataFrame, correspondence: pd.DataFrame,
                 bridge: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weight of each O*NET-SOC occupation in each CSCO detailed occupation.

    Returns ``(links, per_onet)``: the CSCO → ISCO-08 links after inheritance (see
    :func:`occupation_links`, ISCO minor groups expanded to their units) and ``code, onetsoc, w``
    with w(c, o) = Σ_u w(c, u)·w(u, o). The correspondence is validated first.
    """
    validate_correspondence(correspondence, classification)
    links = occupation_links(classification, correspondence)
    onet = isco_onet_weights(bridge)
    # ISCO minor groups (3 digits) in the correspondence stand for all their unit groups.
    minor = links["isco08"].str.len() == 3
    if minor.any():
        units = onet["isco08"].drop_duplicates()
        expand = links.loc[minor].merge(
            pd.DataFrame({"isco08": units.str[:3], "unit": units}), on="isco08")
        expand["weight"] /= expand.groupby(["code", "isco08"])["unit"].transform("size")
        links = pd.concat([links.loc[~minor], expand.drop(columns="isco08").rename(columns={"unit": "isco08"})])
    chain = links.merge(onet.rename(columns={"weight": "w_onet"}), on="isco08", how="left")
    chain["w"] = chain["weight"] * chain["w_onet"].fillna(0)
    per_onet = chain.groupby(["code", "onetsoc"], as_index=False)["w"].sum()
    return links, per_onet


def _aggregate(per_onet: pd.DataFrame, descriptors: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    # Weighted mean per CSCO code over the O*NET occupations that carry each descriptor.
    joined = per_onet.merge(descriptors[columns], left_on="onetsoc", right_index=True, how="left")
    sums = {}
    for column in columns:
        w = joined["w"].where(joined[column].notna(), 0.0)
        num = (w * joined[column].fillna(0)).groupby(joined["code"]).sum()
        den = w.groupby(joined["code"]).sum()
        sums[column] = num / den.where(den > 0)
    return pd.DataFrame(sums)


def build_profiles(classification: pd.DataFrame, correspondence: pd.DataFrame, bridge: pd.DataFrame,
                   descriptors: pd.DataFrame) -> pd.DataFrame:
    """The shipped occupation profile table, one row per CSCO detailed occupation.

    Parameters
    ----------
    classification : DataFrame
        Output of :func:`matching.reference.tidy_classification`.
    correspondence : DataFrame
        The reviewed CSCO → ISCO-08 links (``csco_code, isco08, weight, confidence``).
    bridge : DataFrame
        ISCO-08 ↔ O*NET-SOC 2019 links (``onetsoc2019, isco08``).
    descriptors : DataFrame
        Output of :func:`onet_descriptors`; without ``ab_*`` columns every occupation uses the
        formula requirements and the ability-based physical demands are unknown.

    Returns
    -------
    DataFrame
        Columns ``PROFILE_COLUMNS`` (see ``matching/data/CONTRACT.md``), sorted by code.
        ``confidence`` = link-weighted correspondence confidence × coverage (the share of O*NET
        weight carrying each descriptor family, averaged over the six families), × 0.9 when the
        occupation inherits its 小类's links. Descriptors missing for every matched O*NET
        occupation are filled from the 小类/中类/大类 sibling means (see ``_fill_from_siblings``).
        ``apt_*`` are minimums (:func:`matching.reference.abilities.ability_requirements`) where the
        occupation's own O*NET matches have ability ratings (``apt_source = "onet_abilities"``),
        else the skill formula :func:`derive_aptitudes` lowered by the same within-occupation SD
        (``"formula"``). ``phys_*``: :func:`matching.reference.abilities.physical_demands`.
        ``family_id``/``family_size``: :func:`matching.reference.families.assign_families`.
    """
    links, per_onet = onet_weights(classification, correspondence, bridge)
    has_ability_data = set(ABILITY_COLUMNS) <= set(descriptors.columns)
    ability_columns = ABILITY_COLUMNS if has_ability_data else []
    value_columns = (RIASEC_COLUMNS + WORK_VALUE_COLUMNS + WORK_STYLE_COLUMNS + SKILL_COLUMNS
                     + ["job_zone", "education_rank"])
    table = _aggregate(per_onet, descriptors, value_columns + ability_columns)
    # Coverage: for each descriptor family, the share of the occupation's O*NET weight that has
    # it (O*NET rates skills for fewer occupations than interests), averaged over the families.
    joined = per_onet.merge(descriptors[FAMILY_MARKERS], left_on="onetsoc", right_index=True, how="left")
    total_w = joined["w"].groupby(joined["code"]).sum()
    shares = [joined["w"].where(joined[column].notna(), 0).groupby(joined["code"]).sum() / total_w
              for column in FAMILY_MARKERS]
    coverage = pd.concat(shares, axis=1).mean(axis=1)
    has_any = joined[FAMILY_MARKERS].notna().any(axis=1)
    n_onet = joined.loc[has_any].groupby("code")["onetsoc"].nunique()

    detailed = detailed_occupations(classification).set_index("code")
    table = table.reindex(detailed.index)
    own_abilities = (table[ABILITY_COLUMNS].notna().all(axis=1) if has_ability_data
                     else pd.Series(False, index=table.index))
    table = _fill_from_siblings(table, value_columns)
    formula = (derive_aptitudes(table) - WITHIN_OCCUPATION_SD_T).clip(*REQUIREMENT_T_RANGE)
    if has_ability_data:
        measured = ability_requirements(table.loc[own_abilities])
        table[APTITUDE_COLUMNS] = measured.reindex(table.index).fillna(formula)
    else:
        table = pd.concat([table, formula, pd.DataFrame(np.nan, index=table.index, columns=ABILITY_COLUMNS)],
                          axis=1)
    table["apt_source"] = np.where(own_abilities, "onet_abilities", "formula")
    names = detailed["name_zh"] + " " + detailed["aliases"].str.replace(ALIAS_SEPARATOR, " ")
    hands_on = detailed.index.str[0].astype(int) >= 4
    definitions = detailed["definition_zh"].where(hands_on, "")
    table[PHYSICAL_COLUMNS] = physical_demands(table, names, definitions, own_abilities)

    link_conf = (links["weight"] * links["confidence"]).groupby(links["code"]).sum()
    inherited = links.groupby("code")["inherited"].first()
    confidence = link_conf * coverage.reindex(link_conf.index).fillna(0) * np.where(inherited, 0.9, 1.0)
    table["name_zh"] = detailed["name_zh"]
    table["major_group"] = [int(code[0]) for code in table.index]
    table["confidence"] = confidence.reindex(table.index).fillna(0.0).clip(0, 1)
    table["n_onet"] = n_onet.reindex(table.index).fillna(0).astype(int)
    table = table.copy().reset_index().rename(columns={"index": "code"})
    families = assign_families(table, FAMILY_PROFILE_COLUMNS)
    table["family_id"] = families["family_id"].to_numpy()
    table["family_size"] = families["family_size"].to_numpy()
    return table[PROFILE_COLUMNS].sort_values("code", ignore_index=True)


def build_skills(classification: pd.DataFrame, correspondence: pd.DataFrame, bridge: pd.DataFrame,
                 descriptors: pd.DataFrame) -> pd.DataFrame:
    """The shipped skills table: 35 O*NET skill importances (IM, 1–5) per CSCO detailed occupation.

    Same bridge, weights and sibling filling as :func:`build_profiles`. Columns
    ``SKILL_TABLE_COLUMNS`` (``code``, ``sk_<snake name>``), sorted by code, no missing values
    (an occupation whose matches and siblings all lack skills would stay NaN; none does in 29.3).
    """
    _, per_onet = onet_weights(classification, correspondence, bridge)
    detailed = detailed_occupations(classification).set_index("code")
    table = _aggregate(per_onet, descriptors, SKILL_IM_COLUMNS).reindex(detailed.index)
    table = _fill_from_siblings(table, SKILL_IM_COLUMNS)
    table.columns = SKILL_TABLE_COLUMNS[1:]
    return table.rename_axis("code").reset_index()[SKILL_TABLE_COLUMNS].sort_values("code", ignore_index=True)
