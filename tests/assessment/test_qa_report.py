"""The psychometric QA report: content (assessment.psychometrics.qa) and HTML (api.services.psychometrics_report)."""
import re

import numpy as np
import pandas as pd
import pytest

from api.services.psychometrics_report import render_report, svg_line_chart
from assessment.psychometrics.dif import mantel_smd
from assessment.psychometrics.qa import QADataError, prepare_responses, quality_report
from assessment.psychometrics.simulate import simulate
from instruments.registry import load_all, load_norm_groups

REGISTRY = load_all()
BANDS = load_norm_groups().age_bands


def sim(instrument_id: str, n: int = 300, seed: int = 3, **kwargs) -> pd.DataFrame:
    return simulate(REGISTRY[instrument_id], n, seed=seed, age_bands=BANDS, **kwargs).responses


def external_references(html: str) -> list[str]:
    """URLs a page would fetch: src/href attributes and CSS url(); the SVG namespace is not a fetch."""
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"#][^"]*)"', html) + re.findall(r"url\(([^)]*)\)", html)
    return [r for r in refs if r != "http://www.w3.org/2000/svg"]


# --------------------------------------------------------------------------- renders for every instrument
@pytest.mark.parametrize("instrument_id", sorted(REGISTRY))
def test_report_renders_self_contained_for_every_shipped_instrument(instrument_id):
    report = quality_report(REGISTRY[instrument_id], sim(instrument_id), age_bands=BANDS)
    html = render_report(report, "zh-CN")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for section in ("summary", "revise", "reliability", "items", "dif"):
        assert f'id="{section}"' in html
    assert instrument_id in html and "心理测量质量报告" in html
    assert external_references(html) == []
    assert "<script" not in html
    assert all(np.isfinite(s.alpha) for s in report.scales)
    if any(s.irt for s in report.scales):
        assert "<svg" in html and "<polyline" in html
    if not report.speeded:
        assert 'id="factor"' in html


def test_english_report_uses_english_labels():
    report = quality_report(REGISTRY["motivation"], sim("motivation"), age_bands=BANDS)
    html = render_report(report, "en")
    assert "Psychometric QA report" in html and "What to revise" in html and "心理测量质量报告" not in html
    with pytest.raises(ValueError, match="lang"):
        render_report(report, "fr")


# --------------------------------------------------------------------------- content
def test_likert_instrument_has_one_factor_per_scale_matched_to_its_items():
    report = quality_report(REGISTRY["traits-big5"], sim("traits-big5", 500), age_bands=BANDS)
    factor = report.factor
    assert factor.n_factors == 5 and list(factor.loadings.columns) == [s.id for s in REGISTRY["traits-big5"].scales]
    assert not factor.item_flags["misplaced"].any() and not factor.item_flags["reversed"].any()
    assert factor.cfa_fit["CFI"] > 0.95 and factor.cfa_fit["RMSEA"] < 0.05
    assert report.revisions == []


def test_irt_scale_is_recalibrated_and_linked_back_to_the_shipped_difficulties():
    report = quality_report(REGISTRY["aptitude-v"], sim("aptitude-v", 600), age_bands=BANDS)
    irt = report.scales[0].irt
    pars = irt.parameters
    assert {"a", "b", "c", "est_a", "se_a", "b_linked", "drift"} <= set(pars.columns)
    assert np.corrcoef(pars["b"], pars["b_linked"])[0, 1] > 0.9
    assert 0.7 < irt.marginal_reliability < 1.0
    assert irt.info_calibrated.shape == irt.info_shipped.shape == irt.theta.shape


def test_injected_gender_dif_on_a_multiple_choice_item_is_a_c_class_revision():
    target = REGISTRY["aptitude-v"].items[10].id
    report = quality_report(REGISTRY["aptitude-v"], sim("aptitude-v", 600, dif={target: 2.0}), age_bands=BANDS,
                            calibrate_irt=False)
    flagged = [(r.item, r.reason) for r in report.revisions]
    assert (target, "dif_gender") in flagged
    gender = next(d for d in report.dif if d.variable == "gender").table.set_index("item")
    assert gender.loc[target, "ets_class"] == "C" and gender.loc[target, "disadvantaged"] == "F"


def test_injected_dif_on_a_likert_item_is_found_by_the_mantel_smd_screen():
    target = "C03"
    report = quality_report(REGISTRY["traits-big5"], sim("traits-big5", 500, dif={target: 1.5}), age_bands=BANDS)
    assert (target, "dif_gender") in [(r.item, r.reason) for r in report.revisions]


def test_miskeyed_likert_item_is_flagged_as_reversed():
    data = sim("traits-big5", 400)
    item = next(it for it in REGISTRY["traits-big5"].items if it.scale == "conscientiousness" and not it.reverse)
    data[item.id] = 6 - data[item.id]  # as if the item were printed reversed but keyed forward
    report = quality_report(REGISTRY["traits-big5"], data, age_bands=BANDS)
    reasons = {r.reason for r in report.revisions if r.item == item.id}
    assert {"negative_item_rest", "reversed_loading"} <= reasons


def test_distractor_chosen_by_high_scorers_is_flagged():
    ins = REGISTRY["aptitude-n"]
    data = sim("aptitude-n", 400)
    item = ins.items[20]
    wrong = next(o.id for o in item.options if o.id != item.key)
    right = pd.DataFrame({it.id: data[it.id] == it.key for it in ins.items}).sum(axis=1)
    data.loc[right >= right.quantile(0.7), item.id] = wrong
    report = quality_report(ins, data, age_bands=BANDS, calibrate_irt=False)
    hits = [r for r in report.revisions if r.item == item.id and r.reason == "distractor"]
    assert hits and wrong in hits[0].detail["en"]


def test_speeded_test_reports_reached_items_and_skips_factor_analysis():
    report = quality_report(REGISTRY["aptitude-p"], sim("aptitude-p", 400), age_bands=BANDS)
    assert report.speeded and report.factor is None
    assert any("reached" in n["en"] for n in report.scales[0].notes)


def test_age_band_is_derived_from_age_when_the_file_has_none():
    data = sim("motivation").drop(columns=["age_band"])
    prep = prepare_responses(REGISTRY["motivation"], data, age_bands=BANDS)
    assert set(prep.age_band.dropna()) <= {b.id for b in BANDS} and prep.age_band.notna().all()


def test_mantel_statistic_reduces_to_cochran_mantel_haenszel_for_binary_items():
    from statsmodels.stats.contingency_tables import StratifiedTable

    rng = np.random.default_rng(0)
    strata = rng.integers(0, 5, 600)
    focal = rng.random(600) < 0.4
    y = (rng.random(600) < 0.3 + 0.1 * strata / 4 - 0.08 * focal).astype(float)
    tables = [np.array([[np.sum((strata == s) & ~focal & (y == 1)), np.sum((strata == s) & ~focal & (y == 0))],
                        [np.sum((strata == s) & focal & (y == 1)), np.sum((strata == s) & focal & (y == 0))]])
              for s in range(5)]
    expected = StratifiedTable(tables).test_null_odds(correction=False).pvalue
    p, smd, _ = mantel_smd(y, focal, strata)
    assert p == pytest.approx(expected, rel=1e-10)
    assert smd < 0  # the focal group scores lower at equal stratum


# --------------------------------------------------------------------------- bad data
def test_non_numeric_likert_answer_names_column_row_and_fix():
    data = sim("traits-big5", 150)
    data["E02"] = data["E02"].astype(object)
    data.loc[4, "E02"] = "agree"
    with pytest.raises(QADataError, match=r"column 'E02': non-numeric answer 'agree' at row 5; .*whole numbers 1…5"):
        quality_report(REGISTRY["traits-big5"], data)


def test_out_of_range_category_names_the_response_format():
    data = sim("traits-big5", 150)
    data.loc[0, "A01"] = 6
    with pytest.raises(QADataError, match=r"'A01'.*outside the response format 1…5"):
        quality_report(REGISTRY["traits-big5"], data)


def test_unknown_column_is_named_with_the_fix():
    data = sim("motivation", 150).rename(columns={"WA1": "WA1_old"})
    with pytest.raises(QADataError, match=r"'WA1_old' is neither an item of 'motivation'.*rename it"):
        quality_report(REGISTRY["motivation"], data)


def test_constant_column_is_an_error():
    data = sim("motivation", 150)
    data["EC2"] = 3
    with pytest.raises(QADataError, match=r"'EC2' is constant"):
        quality_report(REGISTRY["motivation"], data)


def test_too_few_rows_is_an_error():
    with pytest.raises(QADataError, match="at least 100 persons"):
        quality_report(REGISTRY["motivation"], sim("motivation", 60))


def test_unknown_option_of_a_choice_item_lists_the_options():
    data = sim("aptitude-n", 150)
    data.loc[2, "N003"] = "E"
    with pytest.raises(QADataError, match=r"'N003': answer 'E' at row 3 is not one of the item's options"):
        quality_report(REGISTRY["aptitude-n"], data, calibrate_irt=False)


def test_key_nobody_chose_points_at_the_answer_key():
    ins = REGISTRY["aptitude-n"]
    data = sim("aptitude-n", 150)
    item = ins.items[0]
    data[item.id] = np.where(np.arange(150) % 2, *[o.id for o in item.options if o.id != item.key][:2])
    with pytest.raises(QADataError, match=r"nobody chose the key"):
        quality_report(ins, data, calibrate_irt=False)


def test_line_chart_is_svg_with_one_polyline_per_series():
    x = np.linspace(-4, 4, 9)
    svg = str(svg_line_chart([("a", x, x ** 2, "#000"), ("b<c", x, np.full(9, np.nan), "#111")],
                             x_label="θ", y_label="I"))
    assert svg.startswith("<svg") and svg.count("<polyline") == 2 and "b&lt;c" in svg
