"""Protected attributes (gender, age, ethnicity, disability, health status) are never inputs to a
score: changing them leaves every total, component and eligibility decision unchanged."""
from datetime import datetime, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from matching.occupation_ranking import rank_occupations
from matching.programme_ranking import rank_programmes
from matching.rank import VacancyPool, rank_vacancies
from models.enums import EducationLevel, Gender, HardToEmployCategory
from models.person import Constraints, PersonOut, PriorityGroups
from models.profile import Profile
from models.vacancy import VacancyIn

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


def _person(gender, birth_year, hard_to_employ, zero_family, card) -> PersonOut:
    return PersonOut(
        id="p1", organisation_id="o1", external_id="x1", name="张三", birth_year=birth_year, gender=gender,
        education=EducationLevel.junior_secondary, district="区3", home_lat=39.95, home_lon=116.35,
        expected_monthly_pay=4500,
        priority=PriorityGroups(zero_employment_family=zero_family, hard_to_employ=hard_to_employ,
                                assistance_card=card),
        constraints=Constraints(max_commute_minutes=75), skills=[], certificates=[], work_history=[],
        created_at=NOW, updated_at=NOW,
    )


protected = st.tuples(
    st.sampled_from(list(Gender) + [None]),
    st.one_of(st.none(), st.integers(1950, 2007)),
    st.sampled_from(list(HardToEmployCategory) + [None]),  # includes 'disabled' and 'older_worker'
    st.booleans(), st.booleans(),
)


def _scores(ranking):
    return [(r.item_id, r.total, r.components) for r in ranking.results], ranking.ineligible


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=protected, b=protected)
def test_changing_protected_attributes_changes_no_score(a, b, person, occupations, vacancies, programmes):
    scores = {}
    pool = VacancyPool.from_frame(vacancies, occupations)
    for key, attrs in (("a", a), ("b", b)):
        p = Profile.from_person(_person(*attrs), aptitudes=person.aptitudes, interests=person.interests,
                                big_five=person.big_five, work_values=person.work_values)
        scores[key] = (_scores(rank_vacancies(p, pool, k=50)),
                       _scores(rank_occupations(p, occupations, k=20)),
                       _scores(rank_programmes(p, programmes, occupations, pool, k=10)))
    assert scores["a"] == scores["b"]


def test_profile_has_no_field_for_a_protected_attribute():
    fields = set(Profile.model_fields)
    assert not fields & {"gender", "birth_year", "age", "ethnicity", "disability", "health", "health_status"}


@pytest.mark.parametrize("field", ["gender", "birth_year", "age_max", "ethnicity", "gender_preference"])
def test_profile_and_vacancy_refuse_protected_fields(field):
    with pytest.raises(ValidationError):
        Profile(**{field: "x"})
    with pytest.raises(ValidationError):
        VacancyIn(employer="e", title="t", district="d", **{field: "x"})


def test_priority_group_membership_does_not_change_fit(person, occupations, vacancies):
    plain = person.model_copy(update={"priority": PriorityGroups()})
    flagged = person.model_copy(update={"priority": PriorityGroups(
        zero_employment_family=True, hard_to_employ=HardToEmployCategory.disabled, assistance_card=True)})
    a = rank_vacancies(plain, vacancies, occupations, k=30)
    b = rank_vacancies(flagged, vacancies, occupations, k=30)
    assert _scores(a) == _scores(b)
    assert np.isfinite([r.total for r in a.results]).all()
