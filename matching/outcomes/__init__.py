"""Learning from outcomes (issue 17): a simulator with a hidden ground truth, an outcome model for
P(hired and still employed at 3 months), ranking by expected benefit with a congestion term,
randomised exploration with logged propensities, off-policy estimators and fairness figures.

Pure computation (numpy, pandas, scikit-learn): no I/O, no database; ``api.services.learning``
stores, loads and applies what is built here.
"""
