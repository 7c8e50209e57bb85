"""Fit components: each is 0–1, follows its documented formula, and is identical for a person
whether scored alone or in a block (batch matching relies on that)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from matching.components import (
    PSYCHOMETRIC,
    WORK_STYLE_CODES,
    OccupationTable,
    PersonBlock,
    aptitude_fit,
    brown_gore_c,
    commute_minutes,
    education_fit,
    hours_fit,
    iachan_m,
    interest_fit,
    pay_fit,
    predicted_work_styles,
    psychometric_components,
    three_letter_codes,
    work_style_fit,
    work_values_fit,
)
from models.profile import AptitudeScores, BigFiveScores, Profile, RiasecScores, TScore
from tests.matching.synthetic import simulate_person, synthetic_occupations

R, I, A, S, E, C = range(6)


def _one_occupation(**overrides) -> OccupationTable:
    row = synthetic_occupations(1, seed=5).iloc[0].to_dict()
    row.update(overrides)
    return OccupationTable.from_frame(pd.DataFrame([row]))


# --- aptitude -------------------------------------------------------------------------------

def test_single_aptitude_fit_is_phi_of_margin_over_se_times_overqualification_discount():
    occ = _one_occupation(apt_N=55.0)
    t = np.array([[np.nan, 52.0, np.nan, np.nan, np.nan, np.nan]])
    se = np.full((1, 6), 4.0)
    p_meet = norm.cdf((52 - 55) / 4)
    p_over = norm.cdf((52 - 55 - 20) / 4)  # over-qualified: more than 20 points above the minimum
    assert aptitude_fit(t, se, occ)[0, 0] == pytest.approx(p_meet * (1 - 0.5 * p_over))


def test_larger_standard_error_pulls_a_shortfall_towards_even_odds():
    occ = _one_occupation(apt_N=60.0)
    t = np.array([[np.nan, 52.0, np.nan, np.nan, np.nan, np.nan]])
    precise = aptitude_fit(t, np.full((1, 6), 2.0), occ)[0, 0]
    vague = aptitude_fit(t, np.full((1, 6), 8.0), occ)[0, 0]
    assert precise < vague < 0.5


def test_aptitude_fit_peaks_near_the_requirement_and_falls_with_overqualification():
    occ = _one_occupation(apt_N=50.0)
    se = np.full((3, 6), 3.0)
    t = np.full((3, 6), np.nan)
    t[:, 1] = [45.0, 55.0, 75.0]
    below, near, far_above = aptitude_fit(t, se, occ)[:, 0]
    assert near > below and near > far_above >= 0.5 * 0.999


def test_aptitudes_the_occupation_barely_needs_count_little():
    occ = _one_occupation(apt_V=60.0, apt_N=30.0, apt_S=60.0, apt_P=60.0, apt_Q=60.0, apt_G=60.0)
    se = np.full((2, 6), 3.0)
    good = np.full((2, 6), 62.0)
    good[1, 1] = 25.0  # far below N, which the occupation hardly needs
    fits = aptitude_fit(good, se, occ)[:, 0]
    assert fits[0] - fits[1] < 0.05


def test_no_aptitude_scores_gives_nan():
    occ = _one_occupation()
    assert np.isnan(aptitude_fit(np.full((1, 6), np.nan), np.full((1, 6), np.nan), occ)[0, 0])


# --- interests ------------------------------------------------------------------------------

def test_brown_gore_c_identical_codes_score_18():
    code = np.array([[S, I, A]])
    assert brown_gore_c(code, code)[0, 0] == 18


def test_brown_gore_c_counts_hexagon_distance_by_position():
    # S=S (3·3) ; I vs E opposite (2·0) ; A vs C opposite (1·0) → 9
    assert brown_gore_c(np.array([[S, I, A]]), np.array([[S, E, C]]))[0, 0] == 9
    # R vs I adjacent (3·2) ; I vs A adjacent (2·2) ; A vs S adjacent (1·2) → 12
    assert brown_gore_c(np.array([[R, I, A]]), np.array([[I, A, S]]))[0, 0] == 12


def test_iachan_m_weights_shared_letters_by_position():
    assert iachan_m(np.array([[S, I, A]]), np.array([[S, I, A]]))[0, 0] == 22 + 5 + 1
    assert iachan_m(np.array([[S, I, A]]), np.array([[I, S, R]]))[0, 0] == 10 + 10
    assert iachan_m(np.array([[R, I, A]]), np.array([[S, E, C]]))[0, 0] == 0


def test_three_letter_code_breaks_ties_in_hexagon_order():
    assert three_letter_codes(np.array([[2.0, 4.0, 4.0, 1.0, 4.0, 3.0]])).tolist() == [[I, A, E]]


def test_interest_fit_prefers_the_matching_occupation():
    occ = OccupationTable.from_frame(synthetic_occupations(2, seed=9).assign(
        riasec_R=[1.5, 6.5], riasec_I=[2, 4], riasec_A=[3, 1.5], riasec_S=[6.5, 1.5],
        riasec_E=[4.5, 2], riasec_C=[2, 4]))
    social = np.array([[1.2, 1.8, 2.5, 4.8, 3.8, 1.5]])
    fit = interest_fit(social, occ)[0]
    assert fit[0] > 0.8 > 0.3 > fit[1]


def test_flat_interest_profile_gets_a_fit_within_0_and_1_everywhere():
    occ = OccupationTable.from_frame(synthetic_occupations(30, seed=4))
    flat = np.full((1, 6), 3.0)
    fit = interest_fit(flat, occ)[0]
    assert np.all((fit >= 0) & (fit <= 1))


# --- work values and styles -------------------------------------------------------------------

def test_work_values_fit_rewards_supplying_what_the_person_values():
    occ = OccupationTable.from_frame(synthetic_occupations(2, seed=9).assign(
        wv_achievement=[6.5, 2], wv_working_conditions=[3, 3], wv_recognition=[6, 2],
        wv_relationships=[3, 6], wv_support=[3, 6], wv_independence=[5, 2]))
    achiever = np.array([[5.0, 2.5, 4.5, 2.0, 2.0, 4.0]])
    fit = work_values_fit(achiever, occ)[0]
    assert fit[0] > fit[1]


def test_conscientiousness_predicts_dependability_and_detail_most():
    z = predicted_work_styles(np.array([[50.0, 70.0, 50.0, 50.0, 50.0]]))[0]
    top = {WORK_STYLE_CODES[i] for i in np.argsort(-z)[:3]}
    assert top <= {"dependability", "attention_to_detail", "achievement_effort", "persistence"}


def test_neuroticism_lowers_predicted_stress_tolerance():
    z = predicted_work_styles(np.array([[50.0, 50.0, 50.0, 50.0, 70.0]]))[0]
    assert z[WORK_STYLE_CODES.index("stress_tolerance")] < -1.5


def test_agreeable_extravert_fits_a_people_job_better_than_an_analytic_one():
    base = {f"ws_{c}": 3.3 for c in WORK_STYLE_CODES}
    people_job = {**base, "ws_cooperation": 4.8, "ws_concern_for_others": 4.8, "ws_social_orientation": 4.7}
    analytic_job = {**base, "ws_analytical_thinking": 4.8, "ws_innovation": 4.6, "ws_independence": 4.5}
    occ = OccupationTable.from_frame(synthetic_occupations(2, seed=9).assign(
        **{k: [people_job[k], analytic_job[k]] for k in base}))
    warm = np.array([[45.0, 50.0, 65.0, 68.0, 45.0]])
    fit = work_style_fit(warm, occ)[0]
    assert fit[0] > fit[1]


# --- practical ------------------------------------------------------------------------------

def test_commute_model_is_access_time_plus_detoured_distance_at_20_kmh():
    # 0.1° of latitude ≈ 11.12 km → 10 + 11.12·1.3/20·60 ≈ 53.4 min
    assert commute_minutes(np.array(39.9), np.array(116.4), np.array(40.0), np.array(116.4)) == pytest.approx(53.4, abs=0.2)


def test_pay_fit_is_full_at_expectation_and_zero_at_sixty_percent():
    e = np.array(5000.0)
    assert pay_fit(e, np.array(5000.0), np.array(6000.0)) == 1.0
    assert pay_fit(e, np.array(3000.0), np.array(3000.0)) == 0.0
    assert pay_fit(e, np.array(4000.0), np.array(np.nan)) == pytest.approx(0.5)
    assert np.isnan(pay_fit(np.array(np.nan), np.array(4000.0), np.array(5000.0)))


def test_education_fit_costs_a_third_per_missing_level():
    assert education_fit(np.array(2.0), np.array(3.0)) == pytest.approx(0.65)
    assert education_fit(np.array(5.0), np.array(3.0)) == 1.0


def test_hours_fit_penalises_only_beyond_the_44_hour_week():
    assert hours_fit(np.array([40.0, 44.0, 54.0])).tolist() == [1.0, 1.0, 0.75]


# --- properties -----------------------------------------------------------------------------

scores_1_5 = st.floats(1, 5, allow_nan=False)
t_scores = st.floats(20, 80, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(riasec=st.lists(scores_1_5, min_size=6, max_size=6), b5=st.lists(t_scores, min_size=5, max_size=5),
       apt=st.lists(t_scores, min_size=6, max_size=6), se=st.floats(1.5, 10))
def test_every_psychometric_component_lies_in_0_1(riasec, b5, apt, se):
    occ = OccupationTable.from_frame(synthetic_occupations(25, seed=1))
    p = Profile(
        interests=RiasecScores(**dict(zip("RIASEC", riasec))),
        big_five=BigFiveScores(**dict(zip("OCEAN", b5))),
        aptitudes=AptitudeScores(**{c: TScore(t=t, se=se) for c, t in zip("VNSPQG", apt)}),
        work_values=None,
    )
    comps = psychometric_components(PersonBlock.from_profiles([p]), occ)
    for name in ("aptitude", "interest", "work_style"):
        assert np.all((comps[name] >= 0) & (comps[name] <= 1)), name
    assert np.isnan(comps["work_values"]).all()


def test_block_scores_equal_single_scores_bit_for_bit(occupations, occ_table):
    rng = np.random.default_rng(2)
    people = [simulate_person(occupations, c, rng) for c in occupations["code"].iloc[:17]]
    block = psychometric_components(PersonBlock.from_profiles(people), occ_table)
    for i, p in enumerate(people):
        single = psychometric_components(PersonBlock.from_profiles([p]), occ_table)
        for name in PSYCHOMETRIC:
            np.testing.assert_array_equal(block[name][i], single[name][0])


def test_occupation_without_descriptors_gets_the_persons_median(occupations, person):
    df = occupations.copy()
    df.loc[3, [c for c in df.columns if c.startswith("riasec_")]] = np.nan
    comps = psychometric_components(PersonBlock.from_profiles([person]), OccupationTable.from_frame(df))
    others = np.delete(comps["interest"][0], 3)
    assert comps["interest"][0, 3] == pytest.approx(np.median(others))


def test_coarse_code_gets_the_mean_profile_of_its_detailed_occupations(occ_table):
    code = occ_table.codes[0]
    group = code.rsplit("-", 1)[0]
    table, idx = occ_table.with_codes([group, code, None, "9-99-99-99"])
    members = [i for i in range(occ_table.n) if occ_table.codes[i].startswith(group + "-")]
    assert idx[1] == 0 and idx[2] == -1 and idx[3] == -1
    np.testing.assert_allclose(table.riasec[idx[0]], occ_table.riasec[members].mean(axis=0))
