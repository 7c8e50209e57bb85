"""Audit of every reason over a generated population (issue 13): each sentence a person reads is
true of their own numbers, and contradictory sentences never appear together.

Population: 120 people from a seeded generator (independent of the matcher): RIASEC means drawn
uniformly on 1–5 (a fifth of them flat, all within ±0.3 of one level), aptitude T ~ N(50, 10),
half with one or two past jobs drawn from the shipped table, some holding the demo certificates,
some naming an occupation; each ranked for occupations, vacancies and programmes of the demo centre.
"""
import math

import numpy as np
import pytest
from scipy.special import ndtr

from matching import reasons as R
from models.person import Constraints
from models.profile import AptitudeScores, BigFiveScores, PastJob, Profile, RiasecScores, TScore, WorkValueScores
from tests.matching.demo import demo_matcher

N_PEOPLE = 120
CERTIFICATES = ["A2驾驶证", "保安员证", "焊工证", "养老护理员证", "叉车证"]


def _population(matcher, seed=20261202) -> list[Profile]:
    rng = np.random.default_rng(seed)
    codes = matcher.occupations_.codes[: matcher.occupations_.n_detailed]
    people = []
    for i in range(N_PEOPLE):
        if i % 5 == 0:
            level = rng.uniform(1.5, 4.5)
            riasec = np.clip(level + rng.uniform(-0.3, 0.3, 6), 1, 5)
        else:
            riasec = rng.uniform(1, 5, 6)
        apt = {c: TScore(t=float(np.clip(rng.normal(50, 10), 20, 80)), se=4.0) for c in "VNSPQG"}
        history = [PastJob(occupation_code=str(rng.choice(codes)), months=int(rng.integers(3, 240)),
                           end_year=int(rng.integers(2000, 2027)))
                   for _ in range(int(rng.integers(1, 3)))] if i % 2 else []
        people.append(Profile(
            person_id=f"a{i}", aptitudes=AptitudeScores(**apt),
            interests=RiasecScores(**dict(zip("RIASEC", riasec.round(2).tolist()))),
            big_five=BigFiveScores(**dict(zip("OCEAN", np.clip(rng.normal(50, 10, 5), 0, 100).tolist()))),
            work_values=WorkValueScores(**dict(zip(
                ["achievement", "working_conditions", "recognition", "relationships", "support", "independence"],
                rng.uniform(1, 5, 6).round(2).tolist()))),
            education=str(rng.choice(["junior_secondary", "senior_secondary", "junior_college", "bachelor"])),
            district=str(rng.choice(["朝阳区", "海淀区", "丰台区"])),
            expected_monthly_pay=int(rng.integers(3000, 9000)),
            constraints=Constraints(max_commute_minutes=int(rng.choice([20, 45, 90]))),
            certificates=[c for c in CERTIFICATES if rng.random() < 0.2],
            interested_occupations=[str(rng.choice(codes))] if i % 7 == 0 else [],
            work_history=history))
    return people


@pytest.fixture(scope="module")
def audited():
    matcher = demo_matcher()
    out = []
    for p in _population(matcher):
        for kind in ("occupations", "vacancies", "programmes"):
            out.append((p, kind, matcher.rank(p, kind, 10)))
    return matcher, out


def _named_types(sentence: str) -> set[str]:
    return {c for c, name in R.RIASEC_NAMES.items() if name.zh in sentence}


def test_you_like_x_names_only_the_persons_clear_interests(audited):
    _, rankings = audited
    checked = 0
    for person, _, ranking in rankings:
        riasec = [getattr(person.interests, c) for c in "RIASEC"]
        clear = {"RIASEC"[k] for k in R.clear_interests(riasec)}
        for item in ranking.results:
            for reason in item.reasons:
                if reason.code == "interest_high":
                    checked += 1
                    assert _named_types(reason.zh_CN) <= clear, (riasec, reason.zh_CN)
                    assert all(riasec["RIASEC".index(c)] >= R.CLEAR_INTEREST_MIN for c in _named_types(reason.zh_CN))
    assert checked > 50


def test_flat_interest_profiles_get_no_interest_sentence_and_the_exploration_note(audited):
    _, rankings = audited
    flat_seen = 0
    for person, _, ranking in rankings:
        riasec = [getattr(person.interests, c) for c in "RIASEC"]
        codes = {r.code for item in ranking.results for r in item.reasons}
        if R.is_flat(riasec):
            flat_seen += 1
            assert not codes & {"interest_high", "interest_moderate", "interest_low"}
            assert "interests_flat" in [n.code for n in ranking.notes]
        else:
            assert "interests_flat" not in [n.code for n in ranking.notes]
    assert flat_seen >= 20


def test_contradictory_programme_sentences_never_appear_together(audited):
    _, rankings = audited
    for person, kind, ranking in rankings:
        for item in ranking.results:
            codes = {r.code for r in item.reasons}
            assert not {"programme_certificate", "programme_no_demand"} <= codes
            assert not {"programme_demand", "programme_no_demand"} <= codes
            if "programme_bridges" in codes:  # "感兴趣的…方向" only for a named occupation
                assert person.interested_occupations


def test_no_programme_awards_only_certificates_the_person_holds(audited):
    matcher, rankings = audited
    awarded = dict(zip(matcher.programmes_["id"], matcher.programmes_["certificates_awarded"]))
    for person, kind, ranking in rankings:
        if kind != "programmes":
            continue
        for item in ranking.results:
            certs = awarded[item.item_id] if isinstance(awarded[item.item_id], list) else []
            assert not (certs and set(certs) <= set(person.certificates))


def test_experience_sentences_only_for_people_with_that_work_and_with_their_real_duration(audited):
    _, rankings = audited
    for person, _, ranking in rankings:
        for item in ranking.results:
            for reason in item.reasons:
                if reason.code in ("experience_same", "experience_related"):
                    assert person.work_history
                if reason.code == "experience_same":
                    assert any(R.duration(j.months).zh in reason.zh_CN for j in person.work_history)


def test_aptitude_meets_names_an_aptitude_the_person_likely_has(audited):
    matcher, rankings = audited
    occ = matcher.occupations_
    for person, kind, ranking in rankings:
        if kind != "occupations":
            continue
        for item in ranking.results:
            j = occ.index[item.occupation_code]
            for reason in item.reasons:
                if reason.code == "aptitude_meets":
                    k = next(i for i, c in enumerate("VNSPQG") if R.APTITUDE_NAMES[c].zh in reason.zh_CN)
                    s = getattr(person.aptitudes, "VNSPQG"[k])
                    assert ndtr((s.t - occ.apt_req[j, k]) / s.se) >= 0.8


def test_stated_commute_and_pay_are_the_vacancys_own(audited):
    matcher, rankings = audited
    pool = matcher.pool_
    row = {v: i for i, v in enumerate(pool.items.ids)}
    for person, kind, ranking in rankings:
        if kind != "vacancies":
            continue
        for item in ranking.results:
            v = row[item.item_id]
            for reason in item.reasons:
                if reason.code in ("pay_meets", "pay_below"):
                    lo, hi = pool.pay_min[v], pool.pay_max[v]
                    assert any(f"{x:.0f}" in reason.zh_CN for x in (lo, hi) if not math.isnan(x))
                if reason.code == "pay_below":
                    assert f"{person.expected_monthly_pay}" in reason.zh_CN


def test_held_certificate_sentence_names_a_certificate_the_person_holds(audited):
    _, rankings = audited
    for person, _, ranking in rankings:
        for item in ranking.results:
            for reason in item.reasons:
                if reason.code == "certificate_held_fits":
                    assert any(c in reason.zh_CN for c in person.certificates)
