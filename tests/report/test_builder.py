"""The report builder: what each audience is told, validity first, partial batteries, job direction."""
import re

import pytest

from assessment.report import build_report, next_step
from models.match import Reason
from models.report import DirectionItem, JobDirectionInput

CJK = re.compile(r"[\u4e00-\u9fff]")
STATISTICS = ("t", "t_low", "t_high", "percentile", "percentile_low", "percentile_high", "stanine", "raw", "se")


def _lines(report):
    sections = [report.aptitudes, report.traits, report.interests, report.motivation]
    lines = [s for sec in sections if sec for s in sec.scales]
    if report.aptitudes and report.aptitudes.general:
        lines.append(report.aptitudes.general)
    return lines


def test_client_version_carries_no_statistics(complete_doc, facts, context, direction):
    report = build_report(complete_doc, facts, direction, context, audience="client")
    lines = _lines(report)
    assert lines
    for line in lines:
        assert all(getattr(line, name) is None for name in STATISTICS), line.scale_id
        assert line.items is None and line.details is None
    assert report.counsellor_notes is None
    assert all(flag.value is None for v in report.validity.instruments for flag in v.flags)
    assert all(o.fit is None and o.components is None for o in report.job_direction.occupations)
    assert report.interests.differentiation is None


def test_counsellor_version_adds_statistics_and_interview_notes(complete_doc, facts, context):
    report = build_report(complete_doc, facts, None, context, audience="counsellor")
    v = next(s for s in report.aptitudes.scales if s.scale_id == "V")
    assert v.t_low < v.t < v.t_high and 0 <= v.percentile <= 100 and v.se > 0 and 1 <= v.stanine <= 9
    assert re.fullmatch(r"\d+/\d+", v.items)
    assert report.counsellor_notes.interview_prompts and report.counsellor_notes.method_notes
    assert report.header.norm_group and "年龄段" in report.header.norm_group


def test_client_scales_are_ordered_strongest_first(complete_doc, facts, context):
    report = build_report(complete_doc, facts, None, context, audience="client")
    positions = [s.chart[0] for s in report.aptitudes.scales if s.chart]
    assert positions == sorted(positions, reverse=True)
    assert report.aptitudes.summary[0].startswith("您比较突出的能力")


def test_partial_battery_shows_only_what_was_taken(partial_doc, facts, context):
    report = build_report(partial_doc, facts, None, context, audience="counsellor")
    assert report.aptitudes is None and report.traits is None
    assert report.interests.status == "shown" and report.motivation.status == "shown"
    assert [i.instrument_id for i in report.header.instruments] == ["interest-riasec", "motivation"]


def test_invalid_instrument_shows_the_warning_instead_of_interpretations(careless_doc, facts, context):
    assert not any(r.interpretable for r in careless_doc.instruments if r.kind == "trait")
    for audience in ("client", "counsellor"):
        report = build_report(careless_doc, facts, None, context, audience=audience)
        assert report.traits.status == "invalid" and report.traits.warning
        assert report.traits.scales == [] and report.traits.summary == []
        assert report.validity.status in ("some_invalid", "all_invalid")
        line = next(v for v in report.validity.instruments if v.instrument_id == "traits-big5")
        assert not line.interpretable
    counsellor = build_report(careless_doc, facts, None, context, audience="counsellor")
    flags = next(v for v in counsellor.validity.instruments if v.instrument_id == "traits-big5").flags
    assert {f.severity for f in flags} == {"invalid"} or "invalid" in {f.severity for f in flags}
    assert all(f.value is not None and f.reason for f in flags)


def test_composite_is_withheld_when_one_of_its_parts_is_invalid(complete_doc, facts, context):
    broken = complete_doc.model_copy(update={"instruments": [
        r.model_copy(update={"interpretable": False}) if r.instrument_id == "aptitude-v" else r
        for r in complete_doc.instruments]})
    report = build_report(broken, facts, None, context, audience="counsellor")
    assert report.aptitudes.general is None
    v = next(s for s in report.aptitudes.scales if s.scale_id == "V")
    assert not v.scored and v.t is None and v.chart is None and "效度" in v.text
    assert build_report(complete_doc, facts, None, context).aptitudes.general is not None


def test_nothing_interpretable_gives_no_direction_and_sends_to_the_interview(careless_doc, facts, context, direction):
    # Random answering does not trip every questionnaire's checks, so mark the rest invalid as the
    # scorer would for a person who failed them all.
    nothing_valid = careless_doc.model_copy(update={"instruments": [
        r.model_copy(update={"interpretable": False}) for r in careless_doc.instruments if r.kind != "aptitude"]})
    report = build_report(nothing_valid, facts, direction, context)
    assert report.validity.status == "all_invalid"
    assert not report.job_direction.available and report.job_direction.occupations == []
    assert report.job_direction.next_module.module == 3


def test_provisional_norms_are_noted_in_the_header(complete_doc, facts, context):
    assert complete_doc.provisional
    assert build_report(complete_doc, facts, None, context).header.provisional_note
    final = complete_doc.model_copy(update={"provisional": False})
    assert build_report(final, facts, None, context).header.provisional_note is None


def test_english_report_has_no_chinese_outside_names(complete_doc, facts, context, direction):
    report = build_report(complete_doc, facts.model_copy(update={"person_name": None, "centre": None,
                                                                 "counsellor": None}),
                          direction, context, lang="en", audience="counsellor")
    text = report.model_dump_json()
    assert not CJK.search(text), CJK.findall(text)[:20]
    assert report.labels["job_direction"] == "Job direction"


def test_job_direction_takes_the_matchers_ranking(complete_doc, facts, context, direction):
    report = build_report(complete_doc, facts, direction, context, audience="counsellor")
    d = report.job_direction
    assert d.available and [o.code for o in d.occupations] == [o.code for o in direction.occupations]
    assert all(o.next_step in ("apply_now", "train_first", "internship") and o.reasons for o in d.occupations)
    assert d.next_module.module in (1, 3, 5, 6)


def test_missing_matching_leaves_a_note(complete_doc, facts, context):
    report = build_report(complete_doc, facts, JobDirectionInput(available=False, note={"zh-CN": "未运行", "en": "not run"}),
                          context, lang="en")
    assert not report.job_direction.available and report.job_direction.note == "not run"


def _item(fit=70.0, aptitude=0.8, gap=False, code="4-01-02-04"):
    reasons = [Reason(code="x", kind="gap" if gap else "strength", **{"zh-CN": "理由"}, en="reason")]
    return DirectionItem(id=code, kind="occupation", code=code, title={"zh-CN": "收银员", "en": "cashier"}, fit=fit,
                         components={"aptitude": aptitude}, reasons=reasons)


@pytest.mark.parametrize("item, readiness, expected", [
    (_item(gap=True), "high", "train_first"),
    (_item(aptitude=0.3), "high", "train_first"),
    (_item(), "low", "internship"),
    (_item(fit=40.0), "high", "internship"),
    (_item(), "high", "apply_now"),
    (_item(aptitude=None), None, "apply_now"),
])
def test_next_step_rule(item, readiness, expected):
    assert next_step(item, [], readiness) == expected


def test_most_directions_needing_training_point_to_module_5(complete_doc, facts, context):
    items = [_item(code=f"4-01-02-0{k}", gap=k < 3) for k in range(1, 5)]
    report = build_report(complete_doc, facts, JobDirectionInput(occupations=items), context)
    if report.motivation.readiness == "low":
        pytest.skip("sample person has low readiness")
    assert report.job_direction.next_module.module == 5
