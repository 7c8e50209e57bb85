"""Item calibration by marginal maximum likelihood with EM (Bock & Aitkin 1981), as in R mirt.

One module per part of the job; ``assessment.psychometrics`` exports ``calibrate`` and ``Calibration``.

- :mod:`.likelihood` — the free-parameter layout, category probabilities on the quadrature grid, the
  E-step posterior and expected counts, and the expected complete-data log-likelihood with its
  gradient and Fisher information (what the M-step climbs).
- :mod:`.em` — input checks, starting values and the EM driver (per-item Fisher scoring, SQUAREM).
- :mod:`.information` — observed information by Louis' (1982) identity, the covariance of the
  estimates and the delta method to the IRT parameterisation.
- :mod:`.item_fit` — S-X² item fit (Orlando & Thissen 2000) and the M2 global fit (Maydeu-Olivares & Joe).
- :mod:`.result` — the :class:`~.result.Calibration` result and its printed summary.
- :mod:`.rasch_metric` — Rasch estimates carried to equal-slope 2PL items on θ ~ N(0, 1).
"""
