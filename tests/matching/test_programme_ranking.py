"""The programme relevance filter (matching.programme_ranking.leads_somewhere)."""
import numpy as np

from matching.programme_ranking import PROGRAMME_RELEVANCE_MARGIN, leads_somewhere


def test_a_programme_fitting_far_below_the_best_direction_is_left_out():
    fit = np.array([0.80, 0.80 - PROGRAMME_RELEVANCE_MARGIN, 0.80 - PROGRAMME_RELEVANCE_MARGIN - 0.01])
    kept = leads_somewhere(fit, 0.80, [], [["2-01"], ["2-02"], ["4-07"]])
    assert kept.tolist() == [True, True, False]


def test_a_programme_towards_a_named_occupation_is_kept_however_it_fits():
    kept = leads_somewhere(np.array([0.1, 0.1]), 0.9, ["4-07"], [["4-07-02"], ["6-01"]])
    assert kept.tolist() == [True, False]


def test_unknown_fits_are_kept():
    assert leads_somewhere(np.array([np.nan, 0.2]), float("nan"), [], [["1"], ["2"]]).tolist() == [True, True]
