"""Centre figures on a small hand-built centre: every expected number below is worked out by hand in the
comments (period 2026-01-01 … 2026-06-30)."""
from datetime import date

import pandas as pd
import pytest

from matching.pathway.kpis import (
    CONTACT_COLUMNS,
    ENROLMENT_COLUMNS,
    FOLLOWUP_COLUMNS,
    MEMBER_COLUMNS,
    PLACEMENT_COLUMNS,
    STEP_COLUMNS,
    KpiFrames,
    centre_figures,
)

START, END = date(2026, 1, 1), date(2026, 6, 30)
D = date


def _frame(columns, rows):
    return pd.DataFrame(rows, columns=list(columns))


def _centre() -> KpiFrames:
    """a: registered 2025-12-01, modules 1 and 4, hired 2026-02-01, stable (stable day 2026-05-01).
    b: registered 2026-02-10, no step, training 02-15 … 04-30, hired 2026-06-01 (stability not yet known).
    c: registered 2025-06-01, hired 2025-10-01, stable on 2026-01-01, left 2026-01-15; no contact in the period.
    d: registered 2026-03-01, training 03-05 … 05-01, not placed.
    Household h1 = a + c (朝阳区), h2 = b + d (海淀区)."""
    persons = pd.DataFrame({
        "person_id": ["a", "b", "c", "d"], "district": ["朝阳区", "海淀区", "朝阳区", "海淀区"],
        "gender": ["female", "male", "female", None], "birth_year": [1980, 1996, 1970, None],
        "registered_on": [D(2025, 12, 1), D(2026, 2, 10), D(2025, 6, 1), D(2026, 3, 1)]})
    steps = _frame(STEP_COLUMNS, [("a", 1, D(2025, 12, 1), "k1"), ("a", 4, D(2026, 1, 10), "k1"),
                                  ("c", 1, D(2025, 6, 1), "k2"), ("d", 1, D(2026, 3, 1), "k2")])
    placements = _frame(PLACEMENT_COLUMNS, [("pa", "a", D(2026, 2, 1), None, True),
                                            ("pb", "b", D(2026, 6, 1), None, None),
                                            ("pc", "c", D(2025, 10, 1), D(2026, 1, 15), True)])
    enrolments = _frame(ENROLMENT_COLUMNS, [("eb", "b", D(2026, 2, 15), D(2026, 4, 30)),
                                            ("ed", "d", D(2026, 3, 5), D(2026, 5, 1))])
    followups = _frame(FOLLOWUP_COLUMNS, [("pa", D(2026, 3, 1)), ("pa", D(2026, 4, 3)), ("pa", D(2026, 5, 20)),
                                          ("pc", D(2025, 11, 1)), ("pc", D(2025, 12, 1))])
    members = _frame(MEMBER_COLUMNS, [("h1", "朝阳区", "a", D(2025, 1, 1), None, 1980),
                                      ("h1", "朝阳区", "c", D(2025, 1, 1), None, 1970),
                                      ("h2", "海淀区", "b", D(2026, 1, 1), None, 1996),
                                      ("h2", "海淀区", "d", D(2026, 1, 1), None, None)])
    contacts = _frame(CONTACT_COLUMNS, [("a", D(2025, 12, 1)), ("a", D(2026, 1, 10)), ("a", D(2026, 1, 20)),
                                        ("b", D(2026, 2, 15)), ("c", D(2025, 11, 1)), ("c", D(2025, 12, 1)),
                                        ("d", D(2026, 3, 1))])
    return KpiFrames(persons, steps, placements, enrolments, followups, members, contacts)


@pytest.fixture(scope="module")
def report():
    return centre_figures(_centre(), START, END)


def test_served_counts_people_with_a_contact_or_registration_in_the_period(report):
    assert report.overall.served == 3  # a, b, d; c's last contact was in December


def test_placed_counts_placements_starting_in_the_period(report):
    assert report.overall.placed == 2  # a (Feb), b (Jun); c started in 2025


def test_stable_counts_people_whose_stable_day_falls_in_the_period(report):
    assert report.overall.stable == 2  # a on 05-01, c on 01-01 (c left later, but was stable at 3 months)


def test_shortest_path_medians_days_and_modules_to_the_stable_job(report):
    # a: 2025-12-01 → 2026-02-01 = 62 days, modules {1, 4}; c: 2025-06-01 → 2025-10-01 = 122 days, {1}
    assert report.overall.median_days_to_stable == 92.0
    assert report.overall.median_modules_to_stable == 1.5


def test_placement_rate_after_training_is_per_person_who_finished(report):
    overall = report.overall
    assert (overall.finished_training, overall.placed_after_training) == (2, 1)  # b placed, d not
    assert overall.placement_rate_after_training == 0.5


def test_reemployment_rate_is_served_people_in_work_at_the_end(report):
    assert report.overall.in_work_at_end == 2  # a and b; d never placed
    assert report.overall.reemployment_rate == pytest.approx(2 / 3)


def test_followups_are_judged_per_monthly_due_day_with_a_week_of_grace(report):
    # a: due 03-01 (met 03-01), 04-01 (met 04-03), 05-01 (window 04-08…05-08: none), 06-01 (met 05-20)
    # c: due 01-01 (window 12-08…01-08: none); 02-01 is after c left. b's first due day is 07-01.
    assert (report.overall.followups_due, report.overall.followups_on_time) == (5, 3)
    assert report.overall.followup_on_time_rate == 0.6


def test_followups_whose_window_is_still_open_are_not_judged():
    early = centre_figures(_centre(), START, END, as_of=date(2026, 6, 5))
    assert early.overall.followups_due == 4  # a's 06-01 window runs to 06-08


def test_zero_employment_household_counts_at_start_and_moves_to_stable_work(report):
    # h1 had c in work on 01-01 (not zero); on 01-31, the day before a's stable job, c had left: zero → stable.
    # h2 had nobody in work on 01-01 (zero) and no stable job in the period.
    assert report.overall.zero_employment_households == 1
    assert report.overall.zero_employment_households_now_stable == 1


def test_member_past_working_age_does_not_end_zero_employment():
    frames = _centre()
    members = frames.members.copy()
    members.loc[members.person_id == "c", "birth_year"] = 1960  # 66 in 2026, past the statutory 60
    older = centre_figures(KpiFrames(frames.persons, frames.steps, frames.placements, frames.enrolments,
                                     frames.followups, members, frames.contacts), START, END)
    assert older.overall.zero_employment_households == 2  # c's job no longer counts for h1


def test_split_by_district(report):
    assert sorted(report.by_district) == ["朝阳区", "海淀区"]
    assert (report.by_district["朝阳区"].served, report.by_district["朝阳区"].stable) == (1, 2)
    assert (report.by_district["海淀区"].served, report.by_district["海淀区"].placed) == (2, 1)
    assert report.by_district["海淀区"].zero_employment_households == 1


def test_counsellor_is_the_key_of_the_latest_step_and_unassigned_without_steps(report):
    assert list(report.by_counsellor) == ["k1", "k2", None]
    assert report.by_counsellor["k2"].served == 1  # d; c was not served
    assert report.by_counsellor["k2"].stable == 1  # c
    assert report.by_counsellor[None].placed == 1  # b


def test_district_filter_keeps_only_that_district():
    only = centre_figures(_centre(), START, END, district="海淀区")
    assert (only.overall.served, only.overall.stable, only.overall.zero_employment_households) == (2, 0, 1)
    assert list(only.by_district) == ["海淀区"]


def test_fairness_view_suppresses_every_cell_under_five(report):
    assert report.fairness["gender"]["female"] == {"served": None, "placed": None, "stable": None}
    assert set(report.fairness["age_band"]) == {"25–34", "45–54", "55+", "unknown"}


def _registrations(genders: list[str | None]) -> KpiFrames:
    persons = pd.DataFrame({"person_id": [f"p{i}" for i in range(len(genders))], "district": "朝阳区",
                            "gender": genders, "birth_year": 1990, "registered_on": D(2026, 2, 1)})
    empty = [_frame(c, []) for c in (STEP_COLUMNS, PLACEMENT_COLUMNS, ENROLMENT_COLUMNS, FOLLOWUP_COLUMNS,
                                     MEMBER_COLUMNS, CONTACT_COLUMNS)]
    return KpiFrames(persons, *empty)


def test_fairness_view_suppresses_a_second_cell_when_one_alone_would_be_recoverable():
    view = centre_figures(_registrations(["female"] * 7 + ["male"] * 6 + ["other"] * 2), START, END).fairness
    assert view["gender"]["other"]["served"] is None  # 2 people
    assert view["gender"]["male"]["served"] is None  # else 15 − 7 − 6 would give the 2 back
    assert view["gender"]["female"]["served"] == 7


def test_fairness_view_shows_cells_of_five_or_more():
    view = centre_figures(_registrations(["female"] * 5 + ["male"] * 6), START, END).fairness
    assert view["gender"] == {"female": {"served": 5, "placed": None, "stable": None},
                              "male": {"served": 6, "placed": None, "stable": None}}


def test_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends"):
        centre_figures(_centre(), END, START)


def test_missing_column_is_named():
    frames = _centre()
    with pytest.raises(ValueError, match="placements frame lacks columns \\['stable'\\]"):
        centre_figures(KpiFrames(frames.persons, frames.steps, frames.placements.drop(columns="stable"),
                                 frames.enrolments, frames.followups, frames.members, frames.contacts), START, END)


def test_a_household_recorded_during_the_period_is_judged_on_its_first_day():
    frames = _centre()
    members = frames.members.copy()
    members.loc[members.household_id == "h1", "joined_on"] = D(2026, 1, 20)  # c had left work on 01-15
    later = centre_figures(KpiFrames(frames.persons, frames.steps, frames.placements, frames.enrolments,
                                     frames.followups, members, frames.contacts), START, END)
    assert later.overall.zero_employment_households == 2


def test_a_household_recorded_after_the_period_is_not_counted():
    frames = _centre()
    members = frames.members.copy()
    members.loc[members.household_id == "h2", "joined_on"] = D(2026, 7, 1)
    later = centre_figures(KpiFrames(frames.persons, frames.steps, frames.placements, frames.enrolments,
                                     frames.followups, members, frames.contacts), START, END)
    assert later.overall.zero_employment_households == 0
