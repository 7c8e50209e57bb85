"""Item response theory: response functions, information and person scoring (EAP, MAP, ML).

Defaults follow R mirt: 61 quadrature points on [-6, 6] with a N(0, 1) prior.
"""
from assessment.irt.models import ItemBank, grm_probabilities, item_information, prob_correct
from assessment.irt.quadrature import Quadrature, normal_quadrature
from assessment.irt.scoring import (ThetaEstimates, as_response_matrix, eap, log_likelihood_grid,
                                    map_scores, ml_scores, posterior_weights)

__all__ = ["ItemBank", "Quadrature", "ThetaEstimates", "as_response_matrix", "eap",
           "grm_probabilities", "item_information", "log_likelihood_grid", "map_scores",
           "ml_scores", "normal_quadrature", "posterior_weights", "prob_correct"]
