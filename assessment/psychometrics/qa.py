"""Quality-assurance analysis of one instrument on a centre's own response data (the QA report's content).

Pure computation: an ``Instrument`` and a persons × items DataFrame in, a :class:`QAReport` out; the
HTML rendering and all file I/O live in ``api/services/psychometrics_report.py``.

What it computes, per the psychometric conventions the toolkit follows (``docs/psychometrics-stack.md``):

- Reliability per scale: Cronbach's alpha (Cronbach 1951) and omega total (McDonald 1999) as
  ``psych`` computes them, SEM = SD · √(1 − α) in the scale's raw metric (Lord & Novick 1968, §3.8);
  for IRT scales also the empirical (marginal) reliability of EAP θ, var(EAP) / (var(EAP) + mean PSD²)
  (du Toit 2003).
- Item statistics: difficulty p or mean, item–rest r, alpha if deleted; option analysis of
  multiple-choice items against their key (Haladyna & Downing 1993).
- IRT scales: calibration on the data (MML-EM, Bock & Aitkin 1981) in the shipped model, parameters
  compared with the shipped (provisional) ones after mean/sigma linking (Marco 1977), S-X² item fit
  (Orlando & Thissen 2000) with Benjamini–Hochberg (1995) false-discovery control, M2, and test
  information / SE curves of both parameter sets.
- Factor structure: EFA (minres, oblimin; psych::fa) with as many factors as scales, factors matched
  to scales by the assignment maximising summed |loadings| (Kuhn 1955), and a CFA (ML, lavaan
  conventions) of the intended simple structure.
- DIF by gender and by age band: Mantel–Haenszel with ETS A/B/C classes for dichotomous items (Holland
  & Thayer 1988; Zwick 2012) and, for Likert items, Mantel's (1963) ordinal χ² with the standardised
  mean difference and the ETS AA/BB/CC rule (Dorans & Schmitt 1991; Zwick, Thayer & Mazzeo 1997).
  Age bands are compared one band against all others. The significance condition of the ETS classes
  uses Benjamini–Hochberg (1995) q-values over all items and comparisons of one variable, so a 60-item
  scale screened across five age bands does not flag chance results.
- A "what to revise" list: low or negative item–rest r, reversed or misplaced loadings, S-X² misfit,
  C-class DIF, distractors attracting high scorers, parameter drift beyond 3 SE.

Speeded tests: not-reached items are missing, not wrong; items reached by fewer than 50 persons, or
scored the same by everybody who reached them (speeded items are easy by design), are left out with a
note; internal consistency is reported but marked as an overestimate (Anastasi & Urbina 1997, ch. 4),
and factor analysis is skipped. For tests of 0/1 items the CFA is skipped (a linear CFA of 0/1 items
needs a categorical estimator); IRT scales are checked by S-X² and M2 (M2 up to 30 items) instead.

Bad input raises :class:`QADataError` (a ``ValueError``) naming the column and the fix.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from assessment.irt.models import ItemBank
from assessment.irt.scoring import eap
from assessment.psychometrics.calibration.em import calibrate
from assessment.psychometrics.cfa import cfa
from assessment.psychometrics.dif import benjamini_hochberg, dif, ets_mh_class, ets_smd_class, mantel_smd
from assessment.psychometrics.efa import efa
from assessment.psychometrics.item_analysis import item_analysis
from assessment.psychometrics.reliability import alpha, omega
from assessment.psychometrics.simulate import DEMOGRAPHIC_COLUMNS
from models.instrument import SAME_DIFFERENT_OPTIONS, AgeBand, Instrument, Item

__all__ = ["MIN_ROWS", "QADataError", "QAReport", "ScaleQA", "IRTCheck", "FactorQA", "DIFQA", "Revision",
           "PreparedResponses", "prepare_responses", "quality_report"]

MIN_ROWS = 100
"""Fewest persons a QA report accepts: item statistics and DIF on fewer are too unstable to act on."""
MIN_DIF_GROUP = 50
"""Smallest group (reference or focal) compared in a DIF analysis."""
MIN_SPEEDED_ANSWERS = 50
"""Speeded-test items answered by fewer persons (not reached) are left out of the item analysis."""
LOW_ITEM_REST = 0.20
MAX_M2_ITEMS = 30
"""M2 is computed for IRT scales up to this length (its cost grows as J⁶)."""
THETA_GRID = np.linspace(-4.0, 4.0, 81)


class QADataError(ValueError):
    """The response data cannot be analysed as given; the message names the column and the fix."""


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh-CN": zh, "en": en}


# =============================================================================== result types
@dataclass(frozen=True)
class Revision:
    """One entry of the "what to revise" list.

    ``reason`` is a code (``low_item_rest``, ``negative_item_rest``, ``reversed_loading``,
    ``misplaced_loading``, ``misfit``, ``dif_gender``, ``dif_age``, ``distractor``, ``drift``,
    ``wrong_key``); ``detail`` the evidence in both languages; ``severity`` "high" or "medium".
    """

    item: str
    scale: str
    reason: str
    detail: dict[str, str]
    severity: str


@dataclass
class IRTCheck:
    """Calibration of one IRT scale on the data, against the shipped parameters.

    Attributes
    ----------
    model : str
        "2pl", "3pl" or "grm".
    parameters : DataFrame
        Per item: shipped ``a``, ``b`` (or ``b1``…), [``c``]; estimated ``est_*`` with ``se_*``;
        ``b_linked`` (estimated b on the shipped scale, mean/sigma), ``drift`` (b_linked − shipped b).
    item_fit : DataFrame or None
        S-X², df, RMSEA, p and ``q`` (BH-adjusted p) per item.
    m2 : dict or None
    loglik : float
    converged : bool
    theta : ndarray (81,)
        Grid −4…4 logits.
    info_shipped, info_calibrated : ndarray (81,)
        Test information (≥ 0) on the shipped θ scale (the calibration is carried there by the mean/sigma
        linking ``linking`` = (A, B), θ_shipped = A·θ_sample + B); SE(θ) = 1/√I.
    marginal_reliability : float
        Of EAP θ under the calibrated parameters (0…1).
    """

    model: str
    parameters: pd.DataFrame
    item_fit: pd.DataFrame | None
    m2: dict[str, float] | None
    loglik: float
    converged: bool
    theta: np.ndarray
    info_shipped: np.ndarray
    info_calibrated: np.ndarray
    marginal_reliability: float
    linking: tuple[float, float]


@dataclass
class ScaleQA:
    """Reliability and item statistics of one scale.

    ``kind``: "irt", "likert", "dichotomous" or "speeded". ``alpha``, ``omega`` in 0…1 (NaN when the
    scale is too short), ``sem`` in the raw metric named by ``metric`` (mean of 1…points for Likert,
    number right otherwise), ``items`` the item table, ``options`` the option analysis (choice items).
    """

    scale: str
    name: dict[str, str]
    kind: str
    n_items: int
    n_persons: int
    alpha: float
    omega: float
    sem: float
    mean: float
    sd: float
    metric: dict[str, str]
    items: pd.DataFrame
    options: pd.DataFrame | None = None
    irt: IRTCheck | None = None
    notes: list[dict[str, str]] = field(default_factory=list)


@dataclass
class FactorQA:
    """Factor structure against the intended scales.

    ``loadings`` (items × factors, named after the matched scales), ``factor_corr``, ``assignment``
    (scale → factor label), ``item_flags`` per item (``own`` loading on its scale's factor, ``best``
    other, flags), ``cfa_fit`` (chi2, df, p, CFI, TLI, RMSEA, SRMR, n) and ``cfa_loadings``.
    """

    n_factors: int
    loadings: pd.DataFrame | None
    factor_corr: pd.DataFrame | None
    item_flags: pd.DataFrame | None
    cfa_fit: dict[str, float] | None
    cfa_loadings: pd.DataFrame | None
    notes: list[dict[str, str]] = field(default_factory=list)


@dataclass
class DIFQA:
    """DIF screen for one grouping variable ("gender" or "age_band").

    ``table``: one row per (item, comparison): ``scale``, ``comparison`` ("F vs M"), ``method`` ("MH" or
    "Mantel/SMD"), ``statistic`` (MH D-DIF in delta units, or SMD/SD), ``se`` (of D-DIF), ``p``, ``q``
    (Benjamini–Hochberg), ``ets_class`` (A/B/C), ``disadvantaged`` (the group the item is harder for).
    """

    variable: str
    comparisons: list[dict[str, object]]
    table: pd.DataFrame
    notes: list[dict[str, str]] = field(default_factory=list)


@dataclass
class QAReport:
    """Everything the QA report shows for one instrument on one data set."""

    instrument_id: str
    instrument_version: str
    title: dict[str, str]
    kind: str
    provisional: bool
    speeded: bool
    n_persons: int
    n_items: int
    absent_items: list[str]
    excluded_items: list[str]
    scales: list[ScaleQA]
    factor: FactorQA | None
    dif: list[DIFQA]
    revisions: list[Revision]
    notes: list[dict[str, str]] = field(default_factory=list)


@dataclass
class PreparedResponses:
    """Validated data: ``raw`` item columns, ``scored`` (0/1 or reverse-keyed 1…points; NaN missing),
    ``gender`` and ``age_band`` (or None), items absent from the file and items excluded (not reached)."""

    raw: pd.DataFrame
    scored: pd.DataFrame
    gender: pd.Series | None
    age_band: pd.Series | None
    absent_items: list[str]
    excluded_items: list[str]
    notes: list[dict[str, str]]


# =============================================================================== validation
def _options(instrument: Instrument, item: Item) -> list[str]:
    if instrument.response_format_of(item).kind == "same_different":
        return [o for o, _ in SAME_DIFFERENT_OPTIONS]
    return [o.id for o in item.options]


def _first_bad(mask: pd.Series) -> int:
    return int(np.flatnonzero(mask.to_numpy())[0])


def prepare_responses(instrument: Instrument, data: pd.DataFrame, *,
                      age_bands: Sequence[AgeBand] | None = None, min_rows: int = MIN_ROWS
                      ) -> PreparedResponses:
    """Check a response table against the instrument and score it.

    Parameters
    ----------
    instrument : Instrument
    data : DataFrame
        One row per person; item columns named by item id (raw answers: option ids for choice items,
        "same"/"different" for clerical items, 1…points for Likert items; 0/1 also accepted for keyed
        items already scored); optional ``person_id``, ``gender``, ``age`` (years), ``age_band``.
    age_bands : sequence of AgeBand, optional
        Derive ``age_band`` from ``age`` when the file has no ``age_band`` column.
    min_rows : int
        Fewest persons accepted.

    Raises
    ------
    QADataError
        Unknown columns, no item columns, non-numeric or out-of-range Likert answers, unknown options,
        constant columns, a key nobody chose, too few rows — naming the column, row and fix.
    """
    if not isinstance(data, pd.DataFrame):
        raise QADataError("data: give a pandas DataFrame with one row per person and one column per item.")
    columns = [str(c) for c in data.columns]
    data = data.copy()
    data.columns = columns
    known = {it.id for it in instrument.items}
    unknown = [c for c in columns if c not in known and c not in DEMOGRAPHIC_COLUMNS]
    if unknown:
        raise QADataError(
            f"column {unknown[0]!r} is neither an item of {instrument.id!r} nor one of "
            f"{list(DEMOGRAPHIC_COLUMNS)}; rename it to the item id it holds or drop it "
            f"({len(unknown)} unknown column(s): {unknown[:8]}).")
    if data.shape[0] < min_rows:
        raise QADataError(f"data: {data.shape[0]} row(s); a QA report needs at least {min_rows} persons — "
                          f"collect more responses first.")
    present = [it for it in instrument.items if it.id in data.columns]
    if not present:
        raise QADataError(f"data: none of the {len(instrument.items)} item columns of {instrument.id!r} "
                          f"(e.g. {instrument.items[0].id!r}) is present; check the column headers.")
    absent = [it.id for it in instrument.items if it.id not in data.columns]
    speeded = bool(instrument.time_limit and instrument.time_limit.speeded)
    notes: list[dict[str, str]] = []
    raw, scored, excluded = {}, {}, []
    for item in present:
        col = data[item.id]
        fmt = instrument.response_format_of(item)
        observed = col.notna()
        if speeded and observed.sum() < MIN_SPEEDED_ANSWERS:
            excluded.append(item.id)
            continue
        if observed.sum() == 0:
            raise QADataError(f"column {item.id!r} has no answers at all; drop the column or check the export.")
        if fmt.kind == "likert":
            values = pd.to_numeric(col, errors="coerce")
            bad = values.isna() & observed
            if bad.any():
                row = _first_bad(bad)
                raise QADataError(f"column {item.id!r}: non-numeric answer {col.iloc[row]!r} at row {row + 1}; "
                                  f"Likert answers are whole numbers 1…{fmt.points} — recode it or leave the "
                                  f"cell empty for a missing answer.")
            out = observed & ((values < 1) | (values > fmt.points) | (values != np.round(values)))
            if out.any():
                row = _first_bad(out)
                raise QADataError(f"column {item.id!r}: answer {col.iloc[row]!r} at row {row + 1} is outside the "
                                  f"response format 1…{fmt.points}; recode (e.g. 0-based answers need +1) or "
                                  f"leave the cell empty.")
            values = values.astype(float)
            score = (fmt.points + 1 - values) if item.reverse else values
        else:
            options = _options(instrument, item)
            text = col.where(observed).astype("string").str.strip()
            numeric = pd.to_numeric(col, errors="coerce")
            if observed.any() and numeric[observed].notna().all() and numeric[observed].isin([0, 1]).all() \
                    and not set(text[observed]) <= set(options):
                score = numeric.astype(float)  # already scored 0/1
            else:
                lowered = {o.lower(): o for o in options}
                text = text.map(lambda v: lowered.get(v.lower(), v) if isinstance(v, str) else v)
                bad = observed & ~text.isin(options)
                if bad.any():
                    row = _first_bad(bad)
                    raise QADataError(f"column {item.id!r}: answer {col.iloc[row]!r} at row {row + 1} is not one "
                                      f"of the item's options {options}; recode it, or leave the cell empty for an "
                                      f"omitted answer.")
                if item.key is None:
                    raise QADataError(f"item {item.id!r} has no answer key in the instrument definition; "
                                      f"it cannot be scored.")
                score = (text == item.key).astype(float).where(observed)
                col = text
        if speeded and score[observed].nunique() < 2:
            # speeded items are easy by design: one everybody who reached it got right is no data error
            excluded.append(item.id)
            continue
        if col[observed].astype(str).nunique() < 2:
            raise QADataError(f"column {item.id!r} is constant (every answer is {col[observed].iloc[0]!r}); it "
                              f"carries no information — check the export, or drop the item from the analysis.")
        if item.scale is not None and score[observed].nunique() < 2:
            what = "nobody chose the key" if score[observed].iloc[0] == 0 else "everybody chose the key"
            raise QADataError(f"column {item.id!r}: {what} {item.key!r}, so the scored item is constant; check the "
                              f"answer key in the instrument definition, or drop the column.")
        raw[item.id] = col
        scored[item.id] = score
    if excluded:
        notes.append(_t(f"{len(excluded)} 道题答到的人少于 {MIN_SPEEDED_ANSWERS} 人或所有答到者得分相同，未纳入分析："
                        f"{', '.join(excluded[:10])}",
                        f"{len(excluded)} item(s) reached by fewer than {MIN_SPEEDED_ANSWERS} persons, or scored the "
                        f"same by all who reached them, were left out: {', '.join(excluded[:10])}"))
    gender = age_band = None
    if "gender" in data.columns:
        gender = data["gender"].astype("string").str.strip().replace("", pd.NA)
    if "age_band" in data.columns and data["age_band"].notna().any() \
            and (data["age_band"].astype("string").str.strip() != "").any():
        age_band = data["age_band"].astype("string").str.strip().replace("", pd.NA)
    elif "age" in data.columns and age_bands:
        age = pd.to_numeric(data["age"], errors="coerce")
        bad = age.isna() & data["age"].notna()
        if bad.any():
            row = _first_bad(bad)
            raise QADataError(f"column 'age': {data['age'].iloc[row]!r} at row {row + 1} is not a number of years; "
                              f"fix it or leave it empty.")
        labels = pd.Series(pd.NA, index=data.index, dtype="string")
        for b in age_bands:
            labels[(age >= b.min_age) & (age <= b.max_age)] = b.id
        age_band = labels
    return PreparedResponses(raw=pd.DataFrame(raw, index=data.index), scored=pd.DataFrame(scored, index=data.index),
                             gender=gender, age_band=age_band, absent_items=absent, excluded_items=excluded,
                             notes=notes)


# =============================================================================== per scale
_MODEL = {"2PL": "2pl", "3PL": "3pl", "GRM": "grm"}


def _shipped_bank(items: list[Item]) -> ItemBank:
    models = {it.parameters.model for it in items}
    ids = [it.id for it in items]
    if models == {"GRM"}:
        width = max(len(it.parameters.thresholds) for it in items)
        b = np.full((len(items), width), np.nan)
        for j, it in enumerate(items):
            b[j, : len(it.parameters.thresholds)] = it.parameters.thresholds
        return ItemBank.graded([it.parameters.a for it in items], b, ids)
    return ItemBank.dichotomous([it.parameters.a for it in items], [it.parameters.b for it in items],
                                [it.parameters.c or 0.0 for it in items], ids)


def _irt_check(items: list[Item], scored: pd.DataFrame) -> IRTCheck:
    shipped = _shipped_bank(items)
    models = {it.parameters.model for it in items}
    model = _MODEL["3PL" if "3PL" in models else ("GRM" if models == {"GRM"} else "2PL")]
    frame = scored[[it.id for it in items]]
    if model == "grm":
        frame = frame - 1.0  # Likert 1…points → 0…points−1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cal = calibrate(frame, model, tol=1e-3, max_iter=500, global_fit=len(items) <= MAX_M2_ITEMS)
    ship = shipped.to_frame()
    est, se = cal.items, cal.se
    table = ship.drop(columns=[c for c in ship.columns if c == "c" and model != "3pl"]).copy()
    for col in est.columns:
        table[f"est_{col}"] = est[col]
        table[f"se_{col}"] = se[col]
    bcol = "b" if "b" in ship.columns else "b1"
    b_s, b_e = ship[bcol].to_numpy(), est[bcol].to_numpy()
    # mean/sigma linking of the sample's θ scale onto the shipped scale (Marco 1977)
    slope = float(np.std(b_s) / np.std(b_e)) if np.std(b_e) > 0 else 1.0
    shift = float(np.mean(b_s) - slope * np.mean(b_e))
    table["b_linked"] = slope * b_e + shift
    table["drift"] = table["b_linked"] - b_s
    table["drift_se"] = slope * se[bcol].to_numpy()
    fit = None
    if cal.item_fit is not None:
        fit = cal.item_fit.copy()
        fit["q"] = benjamini_hochberg(fit["p"].to_numpy())
    codes = frame.to_numpy()
    scores = eap(np.where(np.isnan(codes), -1, codes), cal.bank)
    var_eap = float(np.var(scores.theta))
    rel = var_eap / (var_eap + float(np.mean(scores.se ** 2)))
    return IRTCheck(model=model, parameters=table, item_fit=fit, m2=cal.m2, loglik=cal.loglik,
                    converged=cal.converged and not caught, theta=THETA_GRID,
                    info_shipped=shipped.test_information(THETA_GRID),
                    # on the shipped θ scale: θ_shipped = A·θ_sample + B, so I(θ) = I_sample((θ − B)/A) / A²
                    info_calibrated=cal.bank.test_information((THETA_GRID - shift) / slope) / slope ** 2,
                    marginal_reliability=rel,
                    linking=(slope, shift))


def _safe(fn, data: pd.DataFrame, notes: list[dict[str, str]], name: str) -> float:
    """A reliability coefficient, or NaN with a note when it is undefined for these data."""
    try:
        return float(fn(data))
    except (ValueError, np.linalg.LinAlgError) as exc:
        notes.append(_t(f"无法计算 {name}：{exc}", f"{name} not computed: {exc}"))
        return float("nan")


def _scale_qa(instrument: Instrument, scale_id: str, prep: PreparedResponses, speeded: bool,
              calibrate_irt: bool) -> ScaleQA | None:
    scale = instrument.scale(scale_id)
    items = [it for it in instrument.scale_items(scale_id) if it.id in prep.scored.columns]
    notes: list[dict[str, str]] = []
    if len(items) < 2:
        return None
    ids = [it.id for it in items]
    scored = prep.scored[ids]
    likert = all(instrument.response_format_of(it).kind == "likert" for it in items)
    irt = scale.scoring.method == "irt" and all(it.parameters is not None for it in items)
    kind = "speeded" if speeded else ("irt" if irt else ("likert" if likert else "dichotomous"))
    a = _safe(alpha, scored, notes, "alpha")
    w = _safe(omega, scored, notes, "omega") if len(items) >= 3 else float("nan")
    if len(items) < 3:
        notes.append(_t("题目少于 3 道，无法计算 ω。", "Fewer than 3 items: omega is not defined."))
    if likert:
        total = scored.mean(axis=1, skipna=True)
        metric = _t("题目平均分（1–{}）".format(instrument.response_format_of(items[0]).points),
                    "mean item score (1–{})".format(instrument.response_format_of(items[0]).points))
    else:
        total = scored.sum(axis=1, skipna=True)
        metric = _t("答对题数", "number right")
    sd = float(total.std())
    sem = sd * float(np.sqrt(max(1.0 - a, 0.0)))
    options = None
    keyed_raw = [it for it in items if it.key is not None and not speeded]
    raw_cols = prep.raw[ids]
    is_raw = keyed_raw and all(raw_cols[it.id].dropna().astype(str).isin(_options(instrument, it)).all()
                               for it in keyed_raw)
    if is_raw and len(keyed_raw) == len(items):
        ia = item_analysis(raw_cols, {it.id: it.key for it in items})
        options = ia.options
    else:
        ia = item_analysis(scored)
    table = ia.items.copy()
    table.insert(0, "reverse", [bool(it.reverse) for it in items])
    if speeded:
        notes.append(_t("速度测验：内部一致性会高估信度，请以重测或分时复本信度为准；未答到的题按缺失处理。",
                        "Speeded test: internal consistency overstates reliability (use test–retest or "
                        "split-time forms); not-reached items count as missing, not wrong."))
        reached = prep.raw[ids].notna().sum(axis=1)
        notes.append(_t(f"平均答到 {reached.mean():.1f} / {len(ids)} 题（中位数 {reached.median():.0f}）。",
                        f"Items reached: mean {reached.mean():.1f} of {len(ids)} (median {reached.median():.0f})."))
    check = None
    if irt and calibrate_irt and not speeded:
        try:
            check = _irt_check(items, scored)
        except ValueError as exc:
            notes.append(_t(f"IRT 校准未完成：{exc}", f"IRT calibration not done: {exc}"))
        else:
            if not check.converged:
                notes.append(_t("IRT 校准未完全收敛（样本偏小或题目参数极端），结果仅供参考。",
                                "The IRT calibration did not fully converge (small sample or extreme items); "
                                "treat the estimates as indicative."))
    return ScaleQA(scale=scale_id, name=dict(scale.name.root), kind=kind, n_items=len(items),
                   n_persons=int(scored.notna().any(axis=1).sum()), alpha=float(a), omega=float(w),
                   sem=sem, mean=float(total.mean()), sd=sd, metric=metric, items=table, options=options,
                   irt=check, notes=notes)


# =============================================================================== factor structure
def _factor_qa(instrument: Instrument, prep: PreparedResponses, scales: list[ScaleQA]) -> FactorQA:
    model = {s.scale: list(s.items.index) for s in scales}
    notes: list[dict[str, str]] = []
    short = [s for s, its in model.items() if len(its) < 2]
    for s in short:
        del model[s]
    items = [i for its in model.values() for i in its]
    k = len(model)
    data = prep.scored[items]
    loadings = corr = flags = None
    fit = cfa_load = None
    if k == 0:
        return FactorQA(0, None, None, None, None, None,
                        [_t("没有可做因素分析的量表。", "No scale has enough items for factor analysis.")])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = efa(data, k, "minres", "oblimin")
        except ValueError as exc:
            res = None
            notes.append(_t(f"探索性因素分析未完成：{exc}", f"EFA not done: {exc}"))
    if res is not None:
        lam = res.loadings.to_numpy()
        scale_names = list(model)
        weight = np.array([[np.abs(lam[[items.index(i) for i in model[s]], f]).sum() for f in range(k)]
                           for s in scale_names])
        rows, cols = linear_sum_assignment(-weight)
        factor_of = {scale_names[r]: int(c) for r, c in zip(rows, cols)}
        order = [factor_of[s] for s in scale_names]
        loadings = pd.DataFrame(lam[:, order], index=items, columns=scale_names)
        corr = pd.DataFrame(res.factor_corr.to_numpy()[np.ix_(order, order)], index=scale_names,
                            columns=scale_names)
        records = []
        for s in scale_names:
            for i in model[s]:
                own = float(loadings.loc[i, s])
                others = loadings.loc[i].drop(s)
                best = float(others.abs().max()) if len(others) else 0.0
                best_scale = str(others.abs().idxmax()) if len(others) else ""
                records.append({"item": i, "scale": s, "own": own, "other_scale": best_scale, "other": best,
                                "reversed": own < -0.2,
                                "misplaced": best >= 0.3 and best > abs(own) + 0.1})
        flags = pd.DataFrame(records).set_index("item")
    cfa_model = {s: its for s, its in model.items()}
    binary = all(s.kind in ("dichotomous", "irt") for s in scales)
    if binary:
        notes.append(_t("0/1 计分题目需要类别估计量（如 WLSMV）才能做验证性因素分析；IRT 量表的单维性由 M2 和 S-X² 检验。",
                        "A CFA of 0/1 items needs a categorical estimator (e.g. WLSMV); for IRT scales "
                        "unidimensionality is checked by M2 and S-X² instead."))
    elif k == 1 and len(items) < 3:
        notes.append(_t("单因素且题目少于 3 道，未做验证性因素分析。", "One factor with fewer than 3 items: no CFA."))
    else:
        with warnings.catch_warnings(record=True) as more:
            warnings.simplefilter("always")
            try:
                res_c = cfa(data, cfa_model)
            except (ValueError, np.linalg.LinAlgError) as exc:
                res_c = None
                notes.append(_t(f"验证性因素分析未完成：{exc}", f"CFA not done: {exc}"))
        caught = list(caught) + list(more)
        if res_c is not None:
            fit = {"chi2": res_c.chi2, "df": res_c.dof, "p": res_c.pvalue, "CFI": res_c.cfi, "TLI": res_c.tli,
                   "RMSEA": res_c.rmsea, "SRMR": res_c.srmr, "n": res_c.n_obs}
            cfa_load = res_c.loadings
    for w in caught:
        notes.append(_t(f"提示：{w.message}", f"Note: {w.message}"))
    if binary:
        notes.append(_t("0/1 计分题目的皮尔逊相关会低估载荷；此处仅用于发现方向错误或明显偏离的题目。",
                        "Pearson correlations of 0/1 items understate loadings; use this section to spot "
                        "reversed or clearly misplaced items."))
    return FactorQA(k, loadings, corr, flags, fit, cfa_load, notes)


# =============================================================================== DIF
def _dif_for(variable: str, labels: pd.Series, prep: PreparedResponses, scales: list[ScaleQA]) -> DIFQA:
    notes: list[dict[str, str]] = []
    counts = labels.value_counts(dropna=True)
    comparisons: list[tuple[str, str, np.ndarray]] = []  # (focal, reference, focal flag over valid rows)
    if variable == "gender":
        big = counts[counts >= MIN_DIF_GROUP]
        if len(counts) > 2:
            notes.append(_t(f"性别列有 {len(counts)} 种取值，只比较人数最多的两组。",
                            f"The gender column has {len(counts)} values; the two largest groups are compared."))
        if len(big) >= 2:
            # the larger group is the reference (ties: alphabetical order)
            ref, foc = sorted(big.index, key=lambda v: (-counts[v], str(v)))[:2]
            comparisons.append((str(foc), str(ref), None))
    else:
        for band in sorted(counts.index, key=str):
            n_focal, n_rest = counts[band], counts.sum() - counts[band]
            if n_focal >= MIN_DIF_GROUP and n_rest >= MIN_DIF_GROUP:
                comparisons.append((str(band), "rest", None))
            else:
                notes.append(_t(f"年龄段 {band} 仅 {n_focal} 人，未做比较（至少 {MIN_DIF_GROUP} 人）。",
                                f"Age band {band}: {n_focal} persons, too few to compare (≥ {MIN_DIF_GROUP})."))
    if not comparisons:
        notes.append(_t(f"{variable} 分组人数不足，未做 DIF 分析。",
                        f"Not enough persons per {variable} group for DIF."))
    rows = []
    meta = []
    for foc, ref, _ in comparisons:
        lab = labels.astype("string")
        if ref == "rest":
            valid = lab.notna().to_numpy()
            flag = (lab == foc).fillna(False).to_numpy()
            name = f"{foc} vs other"
        else:
            valid = lab.isin([foc, ref]).fillna(False).to_numpy()
            flag = (lab == foc).fillna(False).to_numpy()
            name = f"{foc} vs {ref}"
        meta.append({"comparison": name, "focal": foc, "reference": ref,
                     "n_focal": int(flag[valid].sum()), "n_reference": int((~flag[valid]).sum())})
        for scale in scales:
            ids = list(scale.items.index)
            x = prep.scored.loc[valid, ids]
            f = flag[valid]
            if scale.kind == "likert":
                total = x.sum(axis=1, skipna=True).to_numpy()
                for i in ids:
                    p, smd, eff = mantel_smd(x[i].to_numpy(float), f, total)
                    rows.append({"item": i, "scale": scale.scale, "comparison": name, "method": "Mantel/SMD",
                                 "statistic": eff, "se": np.nan, "p": p,
                                 "disadvantaged": foc if eff < 0 else (ref if ref != "rest" else "other")})
            else:
                try:
                    res = dif(x, np.where(f, "focal", "reference"), "mh", reference="reference", focal="focal")
                except ValueError as exc:
                    notes.append(_t(f"{scale.scale}（{name}）未做 DIF：{exc}", f"{scale.scale} ({name}): no DIF — {exc}"))
                    continue
                for i, r in res.iterrows():
                    rows.append({"item": i, "scale": scale.scale, "comparison": name, "method": "MH",
                                 "statistic": r["mh_d_dif"], "se": r["mh_d_se"], "p": r["mh_p"],
                                 "disadvantaged": foc if r["mh_d_dif"] < 0 else (ref if ref != "rest" else "other")})
    table = pd.DataFrame(rows, columns=["item", "scale", "comparison", "method", "statistic", "se", "p",
                                        "disadvantaged"])
    # ETS classes with the significance conditions under Benjamini–Hochberg control over every item and
    # comparison of this variable (a 60-item scale × 5 age bands is 300 tests).
    table.insert(7, "q", benjamini_hochberg(table["p"].to_numpy(float)))
    table.insert(8, "ets_class", [_ets_class(r.method, r.statistic, r.se, r.q) for r in table.itertuples()])
    if len(table):
        notes.append(_t("ETS 分类中的显著性判断经 Benjamini–Hochberg 错误发现率校正（q < 0.05）。",
                        "Significance in the ETS classes is judged on Benjamini–Hochberg q-values (q < 0.05)."))
    return DIFQA(variable, meta, table, notes)


def _ets_class(method: str, stat: float, se: float, q: float, level: float = 0.05) -> str:
    """ETS A/B/C from the MH D-DIF rule (dichotomous items) or the SMD/SD rule (Likert items)."""
    if method == "MH":
        return ets_mh_class(stat, se, q < level, level)
    return ets_smd_class(stat, q < level)


# =============================================================================== revise list
def _revisions(scales: list[ScaleQA], factor: FactorQA | None, difs: list[DIFQA], n: int) -> list[Revision]:
    out: list[Revision] = []
    for s in scales:
        for item, row in s.items.iterrows():
            r = row["item_rest_r"]
            if np.isfinite(r) and r < 0:
                out.append(Revision(item, s.scale, "negative_item_rest",
                                    _t(f"题总相关（去除本题）为 {r:.2f}，为负：可能计分方向或答案键错误。",
                                       f"item–rest r = {r:.2f} is negative: check keying / the answer key."), "high"))
            elif np.isfinite(r) and r < LOW_ITEM_REST:
                out.append(Revision(item, s.scale, "low_item_rest",
                                    _t(f"题总相关（去除本题）仅 {r:.2f}（< {LOW_ITEM_REST}），区分度低。",
                                       f"item–rest r = {r:.2f} (< {LOW_ITEM_REST}): weak discrimination."), "medium"))
        if s.options is not None:
            cut = 2.0 / np.sqrt(n)
            hot = s.options[s.options["attracts_high_scorers"] & (s.options["pbis_rest"] > cut)]
            for _, o in hot.iterrows():
                out.append(Revision(o["item"], s.scale, "distractor",
                                    _t(f"干扰项 {o['option']} 吸引高分者（选择率 {o['share']:.0%}，点二列相关 "
                                       f"{o['pbis_rest']:.2f}）：检查该选项是否也可算对。",
                                       f"distractor {o['option']} attracts high scorers (chosen by {o['share']:.0%}, "
                                       f"r_pbis = {o['pbis_rest']:.2f}): check whether it is also defensible."), "high"))
        if s.irt is not None:
            if s.irt.item_fit is not None:
                for item, f in s.irt.item_fit.iterrows():
                    if np.isfinite(f["q"]) and f["q"] < 0.05:
                        out.append(Revision(item, s.scale, "misfit",
                                            _t(f"S-X²({f['df']:.0f}) = {f['S_X2']:.1f}，FDR 校正 q = {f['q']:.3f}："
                                               f"题目与模型不拟合。",
                                               f"S-X²({f['df']:.0f}) = {f['S_X2']:.1f}, BH q = {f['q']:.3f}: "
                                               f"item misfits the model."),
                                            "high"))
            par = s.irt.parameters
            for item, prow in par.iterrows():
                if abs(prow["drift"]) > max(0.5, 3 * prow["drift_se"]):
                    out.append(Revision(item, s.scale, "drift",
                                        _t(f"难度与出厂参数相差 {prow['drift']:+.2f} logit（超过 3 倍标准误）：需重新标定。",
                                           f"difficulty differs from the shipped value by {prow['drift']:+.2f} logits "
                                           f"(> 3 SE): recalibrate."), "medium"))
    if factor is not None and factor.item_flags is not None:
        for item, f in factor.item_flags.iterrows():
            if f["reversed"]:
                out.append(Revision(item, f["scale"], "reversed_loading",
                                    _t(f"在本量表因素上的载荷为 {f['own']:.2f}（负）：检查是否应反向计分。",
                                       f"loading {f['own']:.2f} on its own scale's factor is negative: "
                                       f"check reverse keying."),
                                    "high"))
            elif f["misplaced"]:
                out.append(Revision(item, f["scale"], "misplaced_loading",
                                    _t(f"在“{f['other_scale']}”因素上的载荷 {f['other']:.2f} 高于本量表（{f['own']:.2f}）。",
                                       f"loads {f['other']:.2f} on {f['other_scale']}'s factor, more than on its own "
                                       f"({f['own']:.2f})."), "medium"))
    for d in difs:
        hits = d.table[d.table["ets_class"] == "C"]
        for _, h in hits.iterrows():
            code = "dif_gender" if d.variable == "gender" else "dif_age"
            out.append(Revision(h["item"], h["scale"], code,
                                _t(f"{h['comparison']}：C 类 DIF（{h['method']}，效应 {h['statistic']:+.2f}），"
                                   f"对 {h['disadvantaged']} 不利：请专家审查题目内容。",
                                   f"{h['comparison']}: C-class DIF ({h['method']}, effect {h['statistic']:+.2f}), "
                                   f"disadvantaging {h['disadvantaged']}: have the content reviewed."), "high"))
    severity = {"high": 0, "medium": 1}
    return sorted(out, key=lambda r: (severity[r.severity], r.scale, r.item, r.reason))


# =============================================================================== entry point
def quality_report(instrument: Instrument, data: pd.DataFrame, *, age_bands: Sequence[AgeBand] | None = None,
                   calibrate_irt: bool = True, min_rows: int = MIN_ROWS) -> QAReport:
    """Compute the QA report's content for ``instrument`` on ``data``.

    Parameters
    ----------
    instrument : Instrument
    data : DataFrame
        See :func:`prepare_responses`.
    age_bands : sequence of AgeBand, optional
        Norm-group bands to derive ``age_band`` from ``age``.
    calibrate_irt : bool
        Calibrate IRT scales on the data (the slowest part; off for a quick look).
    min_rows : int
        Fewest persons accepted (default :data:`MIN_ROWS`).

    Returns
    -------
    QAReport

    Raises
    ------
    QADataError
        For data that cannot be analysed, naming the column and the fix.
    """
    prep = prepare_responses(instrument, data, age_bands=age_bands, min_rows=min_rows)
    speeded = bool(instrument.time_limit and instrument.time_limit.speeded)
    notes = list(prep.notes)
    scales = []
    for scale in instrument.scales:
        qa = _scale_qa(instrument, scale.id, prep, speeded, calibrate_irt)
        if qa is None:
            notes.append(_t(f"量表 {scale.id} 在数据中不足 2 道题，已跳过。",
                            f"Scale {scale.id}: fewer than 2 items in the data; skipped."))
        else:
            scales.append(qa)
    if not scales:
        raise QADataError("data: no scale has at least 2 item columns; include the items of at least one scale.")
    factor = None
    if speeded:
        notes.append(_t("速度测验不做因素分析（未答到的题会扭曲相关）。",
                        "No factor analysis for a speeded test (not-reached items distort the correlations)."))
    else:
        factor = _factor_qa(instrument, prep, scales)
    difs = []
    for variable, labels in (("gender", prep.gender), ("age_band", prep.age_band)):
        if labels is None:
            notes.append(_t(f"数据中没有 {variable} 列，未做该项 DIF 分析。",
                            f"No {variable} column in the data: no DIF by {variable}."))
            continue
        difs.append(_dif_for(variable, labels, prep, scales))
    if instrument.provisional:
        notes.insert(0, _t("本工具的出厂参数/常模为暂定值（非真实样本估计）。", "This instrument's shipped "
                           "parameters/norms are provisional (not estimated from real samples)."))
    return QAReport(instrument_id=instrument.id, instrument_version=instrument.version,
                    title=dict(instrument.title.root), kind=instrument.kind, provisional=instrument.provisional,
                    speeded=speeded, n_persons=int(prep.scored.shape[0]), n_items=int(prep.scored.shape[1]),
                    absent_items=prep.absent_items, excluded_items=prep.excluded_items, scales=scales,
                    factor=factor, dif=difs, revisions=_revisions(scales, factor, difs, int(prep.scored.shape[0])),
                    notes=notes)
