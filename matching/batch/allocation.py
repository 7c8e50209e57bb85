"""Capacity-aware allocation of recommendations: min-cost flow over the candidate edges.

Recommending every good vacancy to everyone congests the best vacancies (one with 3 openings sent
to 3,000 people) and leaves others unseen. Over the candidate edges (each seeker's top-k and each
vacancy's top-k seekers) we choose at most ``per_person`` (m) recommendations per seeker and at
most ``capacity_factor × openings`` (c × openings) per vacancy, maximising the total weighted fit
Σ priority(seeker) · total(seeker, vacancy) — or, when the caller has the outcome model's
P(lasting hire) per edge, the weighted expected benefit Σ priority · total · P(lasting) (the
objective of the single-profile ranking, ``matching.outcomes.objective``; ``edge_values``).

The problem is a transportation problem, solved exactly as a min-cost flow (Ahuja, Magnanti &
Orlin 1993, ch. 9–10) with OR-Tools' ``SimpleMinCostFlow`` (cost scaling): source → seeker
(capacity m), seeker → vacancy (capacity 1, cost −round(100 · priority · value)), vacancy → sink
(capacity ⌊c · openings⌋), plus a zero-cost source → sink bypass so that no edge is forced. Integer
costs round the weighted fit to 0.01 points.

Priority weights follow the policy order (docs/DESIGN.md §1): members of zero-employment families
(零就业家庭) first (1.5), then other hard-to-employ people (就业困难人员, or holders of an
assistance card) (1.25), everyone else 1; given households, one member per zero-employment family
carries the family's weight (``priority_weights``). They change who is allocated a contested place,
never a fit score.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.outcomes.objective import allocation_weights


@dataclass(frozen=True)
class AllocationPolicy:
    """``capacity_factor`` c (recommendations per opening), ``per_person`` m, ``good_fit`` the
    total (0–100) from which a recommendation counts as good, and the priority weights."""

    capacity_factor: float = 3.0
    per_person: int = 5
    good_fit: float = 60.0
    zero_employment_weight: float = 1.5
    hard_to_employ_weight: float = 1.25


def priority_weights(zero_employment: np.ndarray, hard_to_employ: np.ndarray, policy: AllocationPolicy,
                     household: np.ndarray | None = None, best_total: np.ndarray | None = None) -> np.ndarray:
    """Per seeker: the zero-employment weight, else the hard-to-employ weight, else 1.

    With ``household`` (per seeker: a household id, or None / "" when unknown) the family's
    priority is one per household: among a zero-employment household's seekers only the one
    with the highest ``best_total`` (their best candidate fit, 0–100; ties: the earlier row)
    keeps the zero-employment weight, the others fall back to the hard-to-employ weight or 1. So
    a first recommendation for one zero-employment family is preferred over a second for another,
    as the policy asks (一家一册: one member in work lifts the family out of zero employment);
    seekers without a household keep the weight their own flag gives."""
    base = np.where(hard_to_employ, policy.hard_to_employ_weight, 1.0)
    keeps = np.asarray(zero_employment, dtype=bool).copy()
    if household is not None:
        if best_total is None:
            raise ValueError("best_total: give each seeker's best candidate fit with household")
        ids = np.asarray(household, dtype=object)
        known = np.array([h is not None and str(h).strip() != "" for h in ids], dtype=bool) & keeps
        rows = np.flatnonzero(known)
        if rows.size:
            # Best fit first, earlier row first among ties; the first row of each household keeps it.
            order = rows[np.lexsort((rows, -np.asarray(best_total, dtype=float)[rows]))]
            _, first = np.unique(ids[order].astype(str), return_index=True)
            keeps[rows] = False
            keeps[order[first]] = True
    return np.where(keeps, policy.zero_employment_weight, base)


def edge_values(total: np.ndarray, p_lasting: np.ndarray | None = None, competition: np.ndarray | None = None,
                congestion_weight: float = 0.0) -> np.ndarray:
    """What an edge is worth to the allocation, 0–100 per edge: the fit ``total`` (hand-set), or with
    ``p_lasting`` (the outcome model's P(hired and still employed at 3 months), per edge) the expected
    benefit of the single-profile ranking, ``matching.outcomes.objective.allocation_weights``:
    total · p_lasting / (1 + γ · competition). ``competition`` (expected competing referrals per
    opening, per edge; 0 when not given) counts only with γ = ``congestion_weight`` > 0; the default
    γ = 0 because the capacity constraint already spreads people over the openings. Raises
    ``ValueError`` naming the argument whose shape differs from ``total``'s."""
    total = np.asarray(total, dtype=float)
    if p_lasting is None:
        if competition is not None:
            raise ValueError("competition: give p_lasting too (competition only scales the expected benefit)")
        return total
    p_lasting = np.asarray(p_lasting, dtype=float)
    competition = np.zeros_like(total) if competition is None else np.asarray(competition, dtype=float)
    for name, x in (("p_lasting", p_lasting), ("competition", competition)):
        if x.shape != total.shape:
            raise ValueError(f"{name}: one value per edge is needed ({total.shape[0]}), got shape {x.shape}")
    return allocation_weights(total, p_lasting, competition, congestion_weight)


def allocate(seeker: np.ndarray, vacancy: np.ndarray, total: np.ndarray, openings: np.ndarray,
             weight: np.ndarray, policy: AllocationPolicy, *, p_lasting: np.ndarray | None = None,
             competition: np.ndarray | None = None, congestion_weight: float = 0.0) -> np.ndarray:
    """Boolean mask over the edges (``seeker``, ``vacancy``, ``total`` 0–100; positions into
    ``weight`` (per seeker) and ``openings`` (per vacancy)) of the chosen recommendations.

    Maximises Σ priority · value, where value is the edge's ``total`` or, given ``p_lasting``, its
    expected benefit (``edge_values``)."""
    from ortools.graph.python import min_cost_flow

    value = edge_values(total, p_lasting, competition, congestion_weight)
    n_e = seeker.size
    if n_e == 0:
        return np.zeros(0, dtype=bool)
    people, s_node = np.unique(seeker, return_inverse=True)
    vacs, v_node = np.unique(vacancy, return_inverse=True)
    n_p, n_v = people.size, vacs.size
    source, sink = 0, 1 + n_p + n_v
    p0, v0 = 1, 1 + n_p
    cap_v = np.floor(policy.capacity_factor * openings[vacs]).astype(np.int64)
    cost = -np.rint(100.0 * weight[seeker] * value).astype(np.int64)
    supply = int(n_p * policy.per_person)
    tails = np.concatenate([np.full(n_p, source), p0 + s_node, v0 + np.arange(n_v), [source]])
    heads = np.concatenate([p0 + np.arange(n_p), v0 + v_node, np.full(n_v, sink), [sink]])
    caps = np.concatenate([np.full(n_p, policy.per_person), np.ones(n_e, dtype=np.int64), cap_v, [supply]])
    costs = np.concatenate([np.zeros(n_p, dtype=np.int64), cost, np.zeros(n_v, dtype=np.int64), [0]])
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                                     caps.astype(np.int64), costs.astype(np.int64))
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve the allocation (status {status})")
    return flow.flows(arcs[n_p:n_p + n_e]) > 0


def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative counts (0 = equal, → 1 = all on one); 0 for all zeros."""
    x = np.sort(np.asarray(x, dtype=float))
    n, s = x.size, x.sum()
    if n == 0 or s == 0:
        return 0.0
    return float((2.0 * np.sum(np.arange(1, n + 1) * x) / (n * s)) - (n + 1) / n)


def recommendation_report(seeker: np.ndarray, vacancy: np.ndarray, total: np.ndarray, n_seekers: int,
                          openings: np.ndarray, policy: AllocationPolicy) -> dict[str, float]:
    """Congestion and coverage of a set of recommendations (edges): share of vacancies with none,
    Gini of recommendations per vacancy, share of vacancies over c × openings, share of seekers
    with at least one good recommendation (total ≥ ``good_fit``), mean fit (0–100; None without
    recommendations, e.g. when nobody in the pool has anything to rank on)."""
    per_v = np.bincount(vacancy, minlength=openings.size)
    good = np.zeros(n_seekers, dtype=bool)
    good[seeker[total >= policy.good_fit]] = True
    return {
        "recommendations": int(seeker.size),
        "share_vacancies_without_recommendation": float(np.mean(per_v == 0)) if openings.size else 0.0,
        "gini_recommendations_per_vacancy": round(gini(per_v), 4),
        "share_vacancies_over_capacity": float(np.mean(per_v > np.floor(policy.capacity_factor * openings)))
        if openings.size else 0.0,
        "share_seekers_with_good_recommendation": float(good.mean()) if n_seekers else 0.0,
        "mean_fit": float(total.mean()) if total.size else None,
    }


def candidate_edges(st: dict[str, np.ndarray], v_state: dict[str, np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The allocation's candidate edges (seeker, vacancy, total): both top-k lists, each pair once
    (its first occurrence, the seeker list's), sorted by seeker then vacancy.

    One stable sort of an integer key per pair (seeker · n_v + vacancy) instead of a frame's
    ``drop_duplicates`` and two-column sort (a third of a second each at 10⁵ seekers)."""
    s = np.concatenate([st["seeker"], v_state["seeker"]])
    v = np.concatenate([st["vacancy"], v_state["vacancy"]])
    t = np.concatenate([st["total"], v_state["total"]])
    n_v = int(v.max()) + 1 if v.size else 1
    key = s * n_v + v
    order = np.argsort(key, kind="stable")       # stable: a duplicate pair's first occurrence leads
    key = key[order]
    first = order[np.r_[True, key[1:] != key[:-1]]] if key.size else order
    return s[first], v[first], t[first]
