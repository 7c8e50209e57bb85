"""Reasons: every template exists in zh-CN and en, is filled completely, and each ranked item
carries two or three of them with at most one gap."""
import re

import numpy as np
import pytest

from matching import reasons as R
from matching.occupation_ranking import rank_occupations
from matching.programme_ranking import rank_programmes
from matching.rank import rank_vacancies
from models.profile import AptitudeScores, TScore

CJK = re.compile(r"[\u4e00-\u9fff]")


def _sample_params(code: str) -> dict:
    words = {"types": R.join([R.RIASEC_NAMES["S"], R.RIASEC_NAMES["E"]]), "aptitude": R.APTITUDE_NAMES["N"],
             "training": R.DEFAULT_TRAINING, "value": R.WORK_VALUE_NAMES["support"],
             "style": R.WORK_STYLE_NAMES["dependability"], "education": R.EDUCATION_NAMES[3],
             "occupation": R.Localised("养老护理员", "care worker"), "minutes": 25, "district": "朝阳区",
             "pay": "4000–5000", "expected": "6000", "hours": "48", "certificate": "电工证",
             "openings": "12", "rate": "75", "cost": "1200", "total": "68",
             "past": R.Localised("餐厅服务员", "restaurant server"), "duration": R.duration(48), "n": 14,
             "shift": R.SHIFT_NAMES["night"], "constraint": R.CONSTRAINT_NAMES["commute"]}
    _, zh, en = R.TEMPLATES[code]
    return {k: v for k, v in words.items() if "{" + k + "}" in zh + en}


@pytest.mark.parametrize("code", sorted(R.TEMPLATES))
def test_every_template_renders_in_both_languages_without_placeholders(code):
    reason = R.render(code, **_sample_params(code))
    assert CJK.search(reason.zh_CN) and not CJK.search(reason.en.replace("朝阳区", "").replace("电工证", ""))
    assert "{" not in reason.zh_CN + reason.en and "}" not in reason.zh_CN + reason.en
    assert reason.model_dump(by_alias=True).keys() >= {"zh-CN", "en", "code", "kind"}


def test_missing_parameter_is_an_error_not_a_blank():
    with pytest.raises(KeyError, match="aptitude"):
        R.render("aptitude_meets")


def test_choose_gives_best_strengths_and_one_gap():
    cands = [R.Candidate("pay_meets", 0.7, {"pay": "5000"}), R.Candidate("commute_near", 0.75, {"minutes": 20}),
             R.Candidate("values_high", 0.6, {"value": R.WORK_VALUE_NAMES["support"]}),
             R.Candidate("commute_far", 0.9, {"minutes": 80}), R.Candidate("pay_below", 0.5, {"pay": "1", "expected": "2"})]
    chosen = R.choose(cands, total=70)
    assert [c.code for c in chosen] == ["commute_near", "pay_meets", "commute_far"]


def test_choose_falls_back_to_the_overall_score():
    chosen = R.choose([R.Candidate("pay_meets", 0.7, {"pay": "5000"})], total=64.4)
    assert [c.code for c in chosen] == ["pay_meets", "overall"] and "64" in chosen[1].zh_CN


def _check(ranking):
    assert ranking.results
    for r in ranking.results:
        assert 2 <= len(r.reasons) <= 3
        assert sum(x.kind == "gap" for x in r.reasons) <= 1
        assert all(x.zh_CN and x.en for x in r.reasons)


def test_every_ranked_vacancy_occupation_and_programme_has_two_or_three_reasons(person, occupations, vacancies, programmes):
    _check(rank_vacancies(person, vacancies, occupations, k=20))
    _check(rank_occupations(person, occupations, k=20))
    _check(rank_programmes(person, programmes, occupations, vacancies, k=10))


def test_high_interest_reason_names_the_persons_types(person, occupations, vacancies):
    ranking = rank_vacancies(person, vacancies, occupations, k=30)
    high = [x for r in ranking.results for x in r.reasons if x.code == "interest_high"]
    assert high
    letters = np.argsort(-np.array([getattr(person.interests, c) for c in "RIASEC"]))[:3]
    names = [R.RIASEC_NAMES["RIASEC"[i]].zh for i in letters]
    assert all(any(n in x.zh_CN for n in names) for x in high)


def test_small_aptitude_gap_names_a_programme_that_targets_the_occupation(person, occupations, vacancies, programmes):
    code = programmes["target_occupation_codes"].iloc[0][0]
    title = programmes["title"].iloc[0]
    weak = person.model_copy(update={"aptitudes": AptitudeScores(
        **{c: TScore(t=float(occupations.set_index("code").loc[code, f"apt_{c}"]) - 4, se=2.0) for c in "VNSPQG"})})
    vac = vacancies[vacancies["occupation_code"] == code]
    ranking = rank_vacancies(weak, vac, occupations, k=3, programmes=programmes.iloc[:1])
    gaps = [x for r in ranking.results for x in r.reasons if x.code == "aptitude_gap_small"]
    assert gaps and all(title in x.zh_CN and title in x.en for x in gaps)
