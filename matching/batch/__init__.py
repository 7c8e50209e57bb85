"""Batch matching of a whole job-seeker pool against all open vacancies (issue 7).

Pure computation, no I/O: ``schema`` validates seeker and vacancy frames and turns seekers into
``PersonBlock``s; ``kernel`` (with its compiled ``screen``) scores a block of seekers against a
prepared vacancy side with exactly the single-profile matcher's numbers and keeps the top-k both
ways; ``allocation`` solves the capacity-aware min-cost-flow allocation; ``audit`` the fairness
audit; ``synthetic`` generates a realistic province-sized pool. The edges (files, checkpoints, Dask, the database) are in
``api/batch``.
"""
