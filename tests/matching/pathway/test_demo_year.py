"""The demo's simulated year (matching/pathway/demo_year.py): seeded, inside its year, and every event
follows what it depends on, so the CLI can replay it through the services."""
from collections import Counter
from datetime import date

import pytest

from matching.pathway.demo_year import Places, simulate_year

END = date(2026, 12, 2)
PLACES = Places(vacancies=24, internships=3, directed=1, public_welfare=3, public_welfare_openings=9, programmes=8)
DISTRICTS = ["朝阳区", "海淀区", "丰台区"]


@pytest.fixture(scope="module")
def year():
    return simulate_year(END, PLACES, DISTRICTS, people=200)


def test_same_seed_gives_the_same_year(year):
    again = simulate_year(END, PLACES, DISTRICTS, people=200)
    assert again.events == year.events and [p.record for p in again.people] == [p.record for p in year.people]


def test_another_seed_gives_another_year(year):
    assert simulate_year(END, PLACES, DISTRICTS, people=200, seed=7).events != year.events


def test_everything_happens_within_the_year_in_date_order(year):
    days = [e.day for e in year.events]
    assert days == sorted(days)
    assert min(days) >= date(2025, 12, 3) and max(days) <= END


def test_each_person_registers_first_and_enters_a_first_module(year):
    first = {}
    for event in year.events:
        first.setdefault(event.person, event)
    assert len(first) == 200 and all(e.kind == "register" for e in first.values())
    initial = [e for e in year.events if e.kind == "step" and e.detail["reason"] == "initial"]
    assert Counter(e.person for e in initial) == Counter(range(200))
    assert {e.detail["module"] for e in initial} == {1, 2}  # the especially hard cases skip module 1


def test_outcomes_follow_their_referral_and_follow_ups_their_hire(year):
    referred, hired = {}, {}
    for event in year.events:
        detail = event.detail
        if event.kind == "referral":
            referred[detail["ref"]] = event
        elif event.kind == "outcome":
            assert referred[detail["ref"]].day <= event.day and referred[detail["ref"]].person == event.person
        elif event.kind == "hired":
            hired[detail["job"]] = event
            assert detail["ref"] is None or referred[detail["ref"]].day <= event.day
        elif event.kind == "followup":
            assert hired[detail["job"]].day < event.day and hired[detail["job"]].person == event.person


def test_every_hire_opens_module_seven_the_same_day(year):
    hires = {(e.person, e.day) for e in year.events if e.kind == "hired"}
    sevens = {(e.person, e.day) for e in year.events if e.kind == "step" and e.detail["module"] == 7}
    assert hires == sevens


def test_nobody_is_followed_up_after_leaving(year):
    left = {}
    for event in year.events:
        if event.kind == "followup":
            assert event.detail["job"] not in left
            if event.detail["status"] == "left":
                left[event.detail["job"]] = event.day
                assert event.detail["left_on"] < event.day


def test_the_year_has_every_route_the_demo_shows(year):
    routes = Counter(e.detail["route"] for e in year.events if e.kind == "hired")
    assert {"referral", "own_search", "public_welfare"} <= set(routes)
    assert routes["public_welfare"] <= PLACES.public_welfare_openings
    assert any(e.kind == "enrolment_event" and e.detail["event"] == "certificate_awarded" for e in year.events)


def test_households_pair_distinct_people(year):
    members = [m for household in year.households for m, _ in household]
    assert len(year.households) == 50 and len(members) == len(set(members)) == 100
