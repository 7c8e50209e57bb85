"""Zero-employment household status (matching/pathway/households.py): the legal definition, and the
history of changes as members are placed and leave work."""
from datetime import date

from matching.pathway.households import (
    EMPLOYED,
    NO_WORKING_AGE,
    STABLE,
    ZERO_EMPLOYMENT,
    Employment,
    Membership,
    add_months,
    history,
    is_working_age,
    status_on,
)

AGES = (16, 60)
MOTHER = Membership("mother", date(2026, 1, 1), birth_year=1980)
SON = Membership("son", date(2026, 1, 1), birth_year=2005)
GRANDFATHER = Membership("grandfather", date(2026, 1, 1), birth_year=1950)


def test_no_member_in_work_is_a_zero_employment_family():
    assert status_on([MOTHER, SON], [], date(2026, 3, 1), AGES).status == ZERO_EMPLOYMENT


def test_a_working_age_member_in_work_ends_zero_employment():
    job = Employment("son", date(2026, 3, 1))
    status = status_on([MOTHER, SON], [job], date(2026, 3, 1), AGES)
    assert (status.status, status.employed_members) == (EMPLOYED, ("son",))


def test_a_member_past_working_age_in_work_does_not_count():
    job = Employment("grandfather", date(2026, 3, 1))
    assert status_on([MOTHER, GRANDFATHER], [job], date(2026, 4, 1), AGES).status == ZERO_EMPLOYMENT


def test_only_members_outside_working_age_is_its_own_status():
    assert status_on([GRANDFATHER], [], date(2026, 4, 1), AGES).status == NO_WORKING_AGE


def test_a_member_without_birth_year_counts_as_working_age():
    assert is_working_age(None, date(2026, 1, 1), AGES)


def test_working_age_upper_bound_is_exclusive():
    assert is_working_age(1967, date(2026, 6, 1), AGES) and not is_working_age(1966, date(2026, 6, 1), AGES)


def test_stable_work_counts_from_its_stable_date():
    job = Employment("mother", date(2026, 2, 1), stable_from=date(2026, 5, 1))
    assert status_on([MOTHER], [job], date(2026, 4, 30), AGES).status == EMPLOYED
    assert status_on([MOTHER], [job], date(2026, 5, 1), AGES).status == STABLE


def test_a_member_who_left_the_household_no_longer_counts():
    gone = Membership("son", date(2026, 1, 1), left_on=date(2026, 2, 1), birth_year=2005)
    job = Employment("son", date(2026, 3, 1))
    assert status_on([MOTHER, gone], [job], date(2026, 3, 5), AGES).status == ZERO_EMPLOYMENT


def test_history_flips_when_a_member_is_hired_and_back_when_they_leave():
    job = Employment("son", date(2026, 3, 1), ended_on=date(2026, 4, 15))
    changes = history([MOTHER, SON], [job], date(2026, 12, 31), AGES)
    assert [(c.since, c.status.status) for c in changes] == [(date(2026, 1, 1), ZERO_EMPLOYMENT),
                                                             (date(2026, 3, 1), EMPLOYED),
                                                             (date(2026, 4, 15), ZERO_EMPLOYMENT)]


def test_history_stops_at_the_given_day():
    job = Employment("son", date(2026, 3, 1))
    assert len(history([MOTHER, SON], [job], date(2026, 2, 28), AGES)) == 1


def test_history_of_an_empty_household_is_empty():
    assert history([], [], date(2026, 1, 1), AGES) == []


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
