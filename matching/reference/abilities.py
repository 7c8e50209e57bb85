"""Aptitude requirements and physical demands of occupations from the O*NET Abilities importance table.

The source is an older O*NET release (importance scale IM, 1–5, only; O*NET-SOC 2010 codes) because
the 29.3/30.1 copies used elsewhere lack the Abilities file. This module

1. moves the table to O*NET-SOC 2019 codes (:func:`abilities_wide`),
2. turns the aggregated importance of the matching abilities into a **minimum** aptitude on the
   T metric that a typical incumbent clears (:func:`ability_requirements`, :func:`minimum_t`), and
3. reads typical physical demands from the strength, stamina, balance and dexterity abilities
   (:func:`physical_demands`); outdoor work, heat/cold and driving, which no ability measures,
   come from the classification's own names and definitions.

Aptitudes are those of the GATB-style battery (V verbal, N numerical, S spatial, P form perception,
Q clerical perception, G general learning ability). References: O*NET Content Model, Abilities
(1.A); Hunter (1983) and Gottfredson (1986) for the spread of occupational means; for the spread
within an occupation, the range-restriction ratios (incumbent SD / applicant SD ≈ 0.7–0.9) used for
the GATB by Hunter (1983) and discussed by Hartigan & Wigdor (1989, *Fairness in Employment Testing*).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from models.enums import PhysicalDemand

ABILITIES = [
    "Oral Comprehension", "Written Comprehension", "Oral Expression", "Written Expression",
    "Fluency of Ideas", "Originality", "Problem Sensitivity", "Deductive Reasoning",
    "Inductive Reasoning", "Information Ordering", "Category Flexibility", "Mathematical Reasoning",
    "Number Facility", "Memorization", "Speed of Closure", "Flexibility of Closure",
    "Perceptual Speed", "Spatial Orientation", "Visualization", "Selective Attention", "Time Sharing",
    "Arm-Hand Steadiness", "Manual Dexterity", "Finger Dexterity", "Control Precision",
    "Multilimb Coordination", "Response Orientation", "Rate Control", "Reaction Time",
    "Wrist-Finger Speed", "Speed of Limb Movement", "Static Strength", "Explosive Strength",
    "Dynamic Strength", "Trunk Strength", "Stamina", "Extent Flexibility", "Dynamic Flexibility",
    "Gross Body Coordination", "Gross Body Equilibrium", "Near Vision", "Far Vision",
    "Visual Color Discrimination", "Night Vision", "Peripheral Vision", "Depth Perception",
    "Glare Sensitivity", "Hearing Sensitivity", "Auditory Attention", "Sound Localization",
    "Speech Recognition", "Speech Clarity",
]


def snake(name: str) -> str:
    """``"Arm-Hand Steadiness"`` → ``"arm_hand_steadiness"`` (column-name form of an O*NET element)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


ABILITY_COLUMNS = [f"ab_{snake(name)}" for name in ABILITIES]

# Aptitude ← weighted O*NET abilities. Weights sum to 1 per aptitude; each ability is first
# standardised across occupations so that an ability rated "important" almost everywhere (Near
# Vision) does not swamp one that separates occupations (Number Facility).
APTITUDE_ABILITIES: dict[str, dict[str, float]] = {
    # Verbal: understanding and producing language, spoken and written.
    "apt_V": {"Oral Comprehension": 0.25, "Written Comprehension": 0.25, "Oral Expression": 0.25,
              "Written Expression": 0.25},
    # Numerical: choosing the right method and computing quickly.
    "apt_N": {"Mathematical Reasoning": 0.5, "Number Facility": 0.5},
    # Spatial: knowing where oneself/objects are and imagining how they move or fit together.
    "apt_S": {"Visualization": 0.6, "Spatial Orientation": 0.4},
    # Form perception: seeing detail and differences in objects and figures quickly.
    "apt_P": {"Perceptual Speed": 0.4, "Flexibility of Closure": 0.3, "Speed of Closure": 0.3},
    # Clerical perception: seeing detail in words and numbers (proof-reading, checking records).
    "apt_Q": {"Perceptual Speed": 0.4, "Written Comprehension": 0.2, "Number Facility": 0.2,
              "Near Vision": 0.2},
    # General learning ability: reasoning and understanding new problems.
    "apt_G": {"Deductive Reasoning": 0.2, "Inductive Reasoning": 0.2, "Information Ordering": 0.15,
              "Category Flexibility": 0.15, "Problem Sensitivity": 0.15, "Originality": 0.15},
}

# Occupational mean aptitudes spread with an SD of about half a population SD (occupational means
# span roughly ±1.2 SD from the least to the most demanding occupations; Hunter 1983,
# Gottfredson 1986): the typical incumbent's level is 50 + 6·z on the T metric.
TYPICAL_SPREAD_T = 6.0
# Incumbents of one occupation vary with an SD of about 0.8 population SD (the middle of the
# range-restriction ratios 0.7–0.9 discussed for the GATB by Hartigan & Wigdor 1989), so "typical level − 8" is cleared by about 84 % of incumbents under normality.
WITHIN_OCCUPATION_SD_T = 8.0
REQUIREMENT_T_RANGE = (20.0, 70.0)


def abilities_wide(abilities: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """The legacy importance table as one row per O*NET-SOC **2019** occupation.

    Parameters
    ----------
    abilities : DataFrame
        Long table ``O*NET-SOC Code`` (2010 taxonomy), ``Element Name``, ``Data Value`` (IM, 1–5).
    crosswalk : DataFrame
        O*NET Center "2010 to 2019" crosswalk with ``O*NET-SOC 2010 Code`` and ``O*NET-SOC 2019 Code``.

    Returns
    -------
    DataFrame
        Indexed by 2019 code (``onetsoc``), columns ``ABILITY_COLUMNS``. A 2019 occupation linked to
        several 2010 occupations takes the unweighted mean of those that have ratings.
    """
    wide = abilities.pivot_table(index="O*NET-SOC Code", columns="Element Name", values="Data Value",
                                 aggfunc="mean")
    wide = wide.reindex(columns=ABILITIES).set_axis(ABILITY_COLUMNS, axis=1)
    pairs = crosswalk[["O*NET-SOC 2010 Code", "O*NET-SOC 2019 Code"]].astype(str).drop_duplicates()
    joined = pairs.merge(wide, left_on="O*NET-SOC 2010 Code", right_index=True, how="inner")
    out = joined.groupby("O*NET-SOC 2019 Code")[ABILITY_COLUMNS].mean().sort_index()
    out.index.name = "onetsoc"
    return out.astype(float)


def _robust_z(values: pd.Series) -> pd.Series:
    scale = (values.quantile(0.75) - values.quantile(0.25)) / 1.349
    return (values - values.median()) / scale


def minimum_t(typical_z: pd.Series | np.ndarray) -> pd.Series | np.ndarray:
    """Minimum aptitude (T metric) that a typical incumbent clears, from the occupation's standing.

    ``typical_z`` is the occupation's standing among occupations on the aptitude's ability composite
    (median occupation 0, SD 1). The typical incumbent's level is ``50 + 6·z`` (``TYPICAL_SPREAD_T``);
    the minimum is one within-occupation SD (``WITHIN_OCCUPATION_SD_T`` = 8 T) below it, clipped to
    20–70. The median occupation therefore asks for T = 42 (the 21st population percentile), an
    occupation one SD above the median for T = 48, the most demanding ones for up to ~62.
    """
    return np.clip(50.0 + TYPICAL_SPREAD_T * typical_z - WITHIN_OCCUPATION_SD_T, *REQUIREMENT_T_RANGE)


def ability_requirements(frame: pd.DataFrame) -> pd.DataFrame:
    """Aptitude minimums ``apt_V … apt_G`` (T metric) from aggregated ability importances.

    Each ability column is robust-standardised across the rows (the CSCO occupations, weighted
    equally; median 0, IQR/1.349 = 1), combined with the weights in ``APTITUDE_ABILITIES``, the
    composite is standardised again (centred on its median, divided by its SD) and mapped with
    :func:`minimum_t`. Rows with missing abilities get NaN.
    """
    z = {column: _robust_z(frame[column]) for column in ABILITY_COLUMNS}
    out = {}
    for aptitude, weights in APTITUDE_ABILITIES.items():
        composite = sum(w * z[f"ab_{snake(name)}"] for name, w in weights.items())
        centred = composite - composite.median()
        out[aptitude] = minimum_t(centred / centred.std())
    return pd.DataFrame(out, index=frame.index)


# Physical demands from importance (1 not important, 2 somewhat, 3 important, 4 very, 5 extremely).
# "yes" at or above the first threshold, "no" at or below the second; in between the ratings cannot
# tell and the demand is left unknown (NaN).
PHYSICAL_ABILITY_RULES: dict[str, tuple[tuple[str, ...], float, float]] = {
    # Lifting/carrying heavy loads: the stronger of static (lift, push) and dynamic (repeated)
    # strength. Trunk strength is left out: it marks bending and holding postures (cleaning), not
    # loads.
    "heavy_lifting": (("Static Strength", "Dynamic Strength"), 3.0, 2.0),
    # On one's feet most of the day: stamina, whole-body coordination or trunk strength (holding
    # the body upright and bent over a workpiece) at least "somewhat" to "important".
    "prolonged_standing": (("Stamina", "Gross Body Coordination", "Trunk Strength"), 2.5, 1.75),
    # Walking long distances: stamina (sustained exertion without getting out of breath), the
    # ability a person who cannot walk far lacks; couriers' and postmen's diluted ratings are
    # covered by the words below.
    "walking_long_distances": (("Stamina",), 2.75, 1.75),
    # Ladders, scaffolds, roofs: keeping one's balance.
    "climbing_heights": (("Gross Body Equilibrium",), 2.75, 1.75),
    # Precise work with the fingers and hands.
    "fine_manual_work": (("Finger Dexterity", "Arm-Hand Steadiness"), 3.25, 2.5),
}
# Driving: operating a vehicle needs fast, precise control; low ratings on all three rule it out.
DRIVING_ABILITIES = ("Control Precision", "Response Orientation", "Rate Control")
DRIVING_NO_AT_OR_BELOW = 2.0
# Desk work: every strength, stamina and whole-body ability at most "somewhat important"; such work
# is done indoors in ordinary temperatures unless the classification's text says otherwise.
DESK_ABILITIES = ("Static Strength", "Dynamic Strength", "Trunk Strength", "Stamina",
                  "Gross Body Coordination", "Gross Body Equilibrium")
DESK_AT_OR_BELOW = 2.0

# Words in a CSCO name, alias or definition that name the demand outright. They say 1 whatever the
# ratings say: the ratings reach a CSCO occupation averaged over its O*NET matches (装卸搬运工 also
# links to freight supervisors), which dilutes the physical ones.
DEMAND_WORDS: dict[str, re.Pattern[str]] = {
    "heavy_lifting": re.compile(r"搬运|装卸|搬家|挑运"),
    "walking_long_distances": re.compile(r"投递|快递|派送|送餐|外卖|巡逻|巡查|巡检|巡线|巡护|导游|抄表|护林"),
    "climbing_heights": re.compile(r"登高|高空|高处作业|攀登|攀爬|脚手架|架子工|索道"),
    "fine_manual_work": re.compile(r"刺绣|雕刻|镶嵌|钟表|首饰|微雕|编织"),
}
# 自动驾驶/智能驾驶 (self-driving systems) names the product an engineer builds, not a driving job.
DRIVING_WORDS = re.compile(r"驾驶员|司机|(?<!自动)(?<!智能)驾驶(?!舱)|驾车|开车")
OUTDOOR_WORDS = re.compile(r"户外|野外|露天|室外|田间|田野|山林|林区|森林|草原|海上|水上|航标|"
                           r"投递|护林|巡护|放牧|捕捞|园林|绿化|公路|线路工|线路维护|线路安装|桥隧|船员|水手|种植")
HEAT_COLD_WORDS = re.compile(r"高温|低温|冷库|冷藏|冷冻|冷链|冶炼|熔炼|熔化|铸造|锻造|浇注|热处理|"
                             r"焙烧|煅烧|烧结|轧制|窑|锅炉|炼钢|炼铁|炼焦|消防员|灭火")
PHYSICAL_COLUMNS = [f"phys_{d.value}" for d in PhysicalDemand]


def _ability(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.Series:
    return frame[[f"ab_{snake(n)}" for n in names]].max(axis=1)


def physical_demands(frame: pd.DataFrame, names: pd.Series, definitions: pd.Series,
                     has_abilities: pd.Series) -> pd.DataFrame:
    """Typical physical demands per occupation: 1 demanded, 0 not, NaN cannot tell.

    Parameters
    ----------
    frame : DataFrame
        Aggregated ability importances (``ab_*`` columns, 1–5), one row per occupation.
    names : Series
        Name and aliases of each occupation (same index).
    definitions : Series
        The definitions whose words count (the caller blanks those of managers, professionals and
        clerks, CSCO 1–3, whose definitions say what they plan or study, not where they work).
    has_abilities : Series of bool
        Whether the occupation's own O*NET matches carry ability ratings; where not, the ability-based
        demands are NaN (only the words can say 1).

    Returns
    -------
    DataFrame
        ``PHYSICAL_COLUMNS`` (``phys_<PhysicalDemand value>``), float 1.0 / 0.0 / NaN.

    Rules (importance thresholds in ``PHYSICAL_ABILITY_RULES``):

    - heavy lifting, standing, walking, climbing, fine manual work: the words in ``DEMAND_WORDS``
      or the strongest listed ability ≥ "yes" threshold → 1, ≤ "no" threshold → 0, otherwise NaN.
    - driving: the words (驾驶员, 司机, 驾驶 …) in the name or aliases → 1; otherwise Control Precision, Response
      Orientation and Rate Control all ≤ 2 → 0; otherwise NaN (operating machines is not driving,
      but the ratings cannot tell them apart).
    - outdoor work, heat or cold: the words in the name, aliases or definition → 1; desk work (``DESK_ABILITIES`` all ≤ 2) → 0;
      otherwise NaN.
    """
    out = pd.DataFrame(index=frame.index, columns=PHYSICAL_COLUMNS, dtype=float)
    known = has_abilities.reindex(frame.index).fillna(False).astype(bool)
    names = names.reindex(frame.index).fillna("")
    text = names + " " + definitions.reindex(frame.index).fillna("")
    for demand, (abilities, yes, no) in PHYSICAL_ABILITY_RULES.items():
        value = _ability(frame, abilities)
        said = text.str.contains(DEMAND_WORDS[demand]) if demand in DEMAND_WORDS else False
        out[f"phys_{demand}"] = np.where(said | (known & (value >= yes)), 1.0,
                                         np.where(known & (value <= no), 0.0, np.nan))
    desk = known & (_ability(frame, DESK_ABILITIES) <= DESK_AT_OR_BELOW)
    no_control = known & (_ability(frame, DRIVING_ABILITIES) <= DRIVING_NO_AT_OR_BELOW)
    for column, words, zero, where in (("phys_driving", DRIVING_WORDS, no_control, names),
                                       ("phys_outdoor_work", OUTDOOR_WORDS, desk, text),
                                       ("phys_cold_or_hot_environment", HEAT_COLD_WORDS, desk, text)):
        said = where.str.contains(words)
        out[column] = np.where(said, 1.0, np.where(zero, 0.0, np.nan))
    return out
