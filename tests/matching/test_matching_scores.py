"""Which scores the matcher reads (``assessment.matching_profile``): population-referenced, never
the age × education norm, and nothing from an instrument flagged not interpretable."""
import pytest

from api.services.matching import population_norms
from assessment.matching_profile import matching_scores
from assessment.report.sample import SAMPLE_PERSON, SimulatedPerson, simulate_result
from instruments.registry import load_all, load_bands, load_batteries, load_composites, load_norm_groups


def _doc(person=SAMPLE_PERSON):
    return simulate_result(load_batteries()["full"], load_all(), load_composites(), load_norm_groups(), load_bands(),
                           person=person)


@pytest.fixture(scope="module")
def doc():
    return _doc()


def _scale(doc, scale_id):
    return next(s for r in doc.instruments for s in r.scales if s.scale_id == scale_id)


def test_irt_aptitudes_are_fifty_plus_ten_theta_not_the_group_norm(doc):
    v = _scale(doc, "V")
    scores = matching_scores(doc, population_norms())
    assert scores["aptitudes"].V.t == pytest.approx(50 + 10 * v.raw)
    assert scores["aptitudes"].V.se == pytest.approx(10 * v.se)
    assert scores["aptitudes"].V.t != pytest.approx(v.normed.t)  # the report's age × education T


def test_rate_scored_aptitudes_use_the_all_groups_norm_row(doc):
    p = _scale(doc, "P")
    mean, sd = population_norms()[("aptitude-p", "P")]
    assert matching_scores(doc, population_norms())["aptitudes"].P.t == pytest.approx(
        min(max(50 + 10 * (p.raw - mean) / sd, 0), 100))


def test_without_population_norms_non_irt_scales_are_left_out_rather_than_group_normed(doc):
    scores = matching_scores(doc)
    assert scores["aptitudes"].P is None and scores["aptitudes"].G is None and scores["big_five"] is None


def test_a_flagged_aptitude_test_keeps_its_scales_and_the_composite_out():
    doc = _doc()
    flagged = doc.model_copy(update={"instruments": [
        r.model_copy(update={"interpretable": False}) if r.instrument_id == "aptitude-v" else r
        for r in doc.instruments]})
    scores = matching_scores(flagged, population_norms())
    assert scores["aptitudes"].V is None and scores["aptitudes"].G is None
    assert scores["aptitudes"].N is not None
