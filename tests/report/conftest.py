"""Real scored results for the report tests: the sample person on the full battery, a partial
battery, and a careless respondent whose questionnaires fail the validity checks."""
from datetime import date, datetime, timezone

import pytest

from assessment.matching_profile import matching_scores
from assessment.report import ReportContext, direction_from_rankings
from assessment.report.sample import SAMPLE_PERSON, SimulatedPerson, simulate_result
from instruments.registry import load_all, load_bands, load_batteries, load_composites, load_norm_groups
from models.report import ReportFacts

SCORED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


def _simulate(person: SimulatedPerson = SAMPLE_PERSON, only=None, battery: str = "full"):
    return simulate_result(load_batteries()[battery], load_all(), load_composites(), load_norm_groups(), load_bands(),
                           person=person, only=only, scored_at=SCORED_AT)


@pytest.fixture(scope="session")
def context() -> ReportContext:
    return ReportContext(load_all(), load_bands(), load_batteries())


@pytest.fixture(scope="session")
def complete_doc():
    return _simulate()


@pytest.fixture(scope="session")
def partial_doc():
    """Only the interest inventory and the motivation questionnaire were taken."""
    return _simulate(only={"interest-riasec", "motivation"})


@pytest.fixture(scope="session")
def careless_doc():
    """Aptitudes answered normally, every questionnaire answered at random (validity fails)."""
    return _simulate(SimulatedPerson(theta=SAMPLE_PERSON.theta, careless=True))


@pytest.fixture(scope="session")
def facts() -> ReportFacts:
    return ReportFacts(result_id="r_test", person_ref="CASE-7", person_name="王小明", centre="朝阳区就业服务中心",
                       counsellor="李老师", report_date=date(2026, 3, 3))


@pytest.fixture(scope="session")
def direction_ranking(complete_doc):
    """The Matcher's occupation ranking for the sample person, as the report service makes it
    (population-referenced scores; matching is pure)."""
    from api.services.matching import fitted_matcher, population_norms
    from models.profile import Profile

    profile = Profile(education="junior_secondary", **matching_scores(complete_doc, population_norms()))
    return fitted_matcher(None, None, None).rank(profile, "occupations", 5)


@pytest.fixture(scope="session")
def direction(direction_ranking):
    from api.services.reports import occupation_names_en

    return direction_from_rankings(direction_ranking, None, names_en=occupation_names_en())
