"""Batch matching of a whole job-seeker pool against all open vacancies (issues 7 and 13).

Pure computation, no I/O: ``schema`` validates seeker and vacancy frames (work histories
included) and turns seekers into ``PersonBlock``s; ``kernel`` (with its compiled ``screen`` and
the per-run ``experience`` similarities) scores a block of seekers against a prepared vacancy side
with exactly the single-profile matcher's numbers and keeps the top-k both ways; ``topk`` holds
the exact top-k lists, the merge of blocks' vacancy lists and the bounds that let them skip rows;
``allocation`` solves the capacity-aware min-cost-flow allocation; ``audit`` the fairness audit;
``synthetic`` generates a realistic province-sized pool. The edges (files, checkpoints, Dask, the
database) are in ``api/batch``.
"""
