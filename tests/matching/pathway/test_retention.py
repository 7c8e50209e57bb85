"""Retention after a placement from follow-up contacts: calendar months, what counts as known, the
monthly follow-up due."""
from datetime import date

from matching.pathway.retention import Contact, add_months, ended_on, next_due, retained_at, retention

START = date(2026, 1, 31)


def test_a_month_after_the_31st_of_january_is_the_last_day_of_february():
    assert add_months(START, 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_twelve_months_is_the_same_day_next_year():
    assert add_months(date(2026, 3, 15), 12) == date(2027, 3, 15)


def test_a_still_employed_contact_on_the_target_day_makes_retention_known():
    assert retained_at(START, [Contact(date(2026, 4, 30), "still_employed")], 3) is True


def test_a_contact_the_day_before_the_target_does_not_make_it_known():
    assert retained_at(START, [Contact(date(2026, 4, 29), "still_employed")], 3) is None


def test_leaving_before_the_target_day_fails_retention_even_without_later_contacts():
    contacts = [Contact(date(2026, 3, 20), "left", date(2026, 3, 10))]
    assert retention(START, contacts, (1, 3)) == {1: True, 3: False}


def test_a_left_contact_after_the_target_with_a_later_left_day_counts_as_retained():
    assert retained_at(START, [Contact(date(2026, 5, 10), "left", date(2026, 5, 5))], 3) is True


def test_changing_job_is_still_in_work_and_does_not_end_the_placement():
    contacts = [Contact(date(2026, 5, 1), "changed_job", date(2026, 3, 1))]
    assert (ended_on(contacts), retained_at(START, contacts, 3)) == (None, True)


def test_the_placement_ends_at_the_first_left_contact():
    contacts = [Contact(date(2026, 6, 1), "left", date(2026, 5, 20)), Contact(date(2026, 4, 1), "left",
                                                                               date(2026, 3, 25))]
    assert ended_on(contacts) == date(2026, 3, 25)


def test_the_first_follow_up_is_due_one_month_after_the_start():
    found = next_due(date(2026, 1, 10), [], date(2026, 2, 15))
    assert (found.month, found.due_on, found.days_overdue) == (1, date(2026, 2, 10), 5)


def test_nothing_is_due_before_the_first_month():
    assert next_due(date(2026, 1, 10), [], date(2026, 2, 9)) is None


def test_a_contact_on_or_after_the_due_day_covers_that_month():
    found = next_due(date(2026, 1, 10), [Contact(date(2026, 2, 12), "still_employed")], date(2026, 3, 10))
    assert (found.month, found.days_overdue) == (2, 0)


def test_an_ended_placement_is_never_due():
    assert next_due(date(2026, 1, 10), [Contact(date(2026, 1, 20), "left", date(2026, 1, 18))],
                    date(2026, 6, 1)) is None


def test_after_the_twelfth_month_no_more_follow_ups_are_due():
    assert next_due(date(2025, 1, 10), [Contact(date(2026, 1, 10), "still_employed")], date(2026, 6, 1)) is None
