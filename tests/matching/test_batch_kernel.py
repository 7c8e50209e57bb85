"""Batch kernel: the single-profile matcher's exact numbers for every seeker, top-k both ways,
input validation, allocation and the fairness audit."""
import numpy as np
import pandas as pd
import pytest

from api.services.matching import occupation_frame, occupation_table
from matching.batch.allocation import AllocationPolicy, allocate, candidate_edges, gini, priority_weights
from matching.batch.audit import fairness_audit
from matching.batch.kernel import prepare_vacancies, score_block, score_block_unpruned
from matching.batch.schema import (SchemaError, person_block, seeker_profiles, validate_seekers,
                                   validate_vacancies)
from matching.batch.synthetic import generate_seekers, generate_vacancies
from matching.batch.topk import merge_vacancy_top
from matching.components import COMPONENTS, PersonBlock
from matching.matcher import Matcher, has_enough_information
from matching.rank import VacancyPool, score_vacancies, top_k
from models.match import FitWeights


@pytest.fixture(scope="module")
def data():
    occ = occupation_frame()
    seekers = validate_seekers(generate_seekers(occ, 600, seed=5)).rows
    vacancies = validate_vacancies(generate_vacancies(occ, 1500, seed=5)).rows
    pool = VacancyPool.from_frame(vacancies, occupation_table())
    return seekers, vacancies, pool


def test_person_block_from_rows_equals_the_one_built_from_profiles(data):
    seekers = data[0].iloc[:80]
    a, b = person_block(seekers), PersonBlock.from_profiles(seeker_profiles(seekers))
    for name in PersonBlock.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray) and x.dtype.kind == "f":
            np.testing.assert_array_equal(x, y, err_msg=name)
        elif name == "history":   # (code, months, end year or NaN) per job; NaN ≠ NaN, so compare text
            assert repr(x) == repr(y) and any(x), name
        else:
            assert list(x) == list(y), name


@pytest.mark.parametrize("weights", [None, FitWeights(experience=1.0, interest=0.1)])
def test_batch_scores_equal_the_single_profile_matcher_pair_by_pair(data, weights):
    seekers, _, pool = data
    matcher = Matcher(weights).fit(occupation_table(), pool)
    result = score_block(person_block(seekers), prepare_vacancies(pool, weights), k=15, max_pairs=20_000,
                         max_people=64)
    top = result.seeker_top
    profiles = seeker_profiles(seekers)
    with_history = 0
    for s in range(0, len(seekers), 23):
        mine = top["seeker"] == s
        if not has_enough_information(profiles[s]):   # the matcher refuses; the batch lists nothing
            assert not mine.any() and result.seeker_stats["n_eligible"][s] == 0
            continue
        single = matcher.score_block(PersonBlock.from_profiles([profiles[s]]))
        assert list(top["vacancy"][mine]) == list(top_k(single.total[0], single.fail[0] == 0, 15))
        v = top["vacancy"][mine]
        np.testing.assert_array_equal(top["total"][mine], single.total[0, v])  # bit for bit
        for c in COMPONENTS:
            np.testing.assert_array_equal(top[c][mine], single.components[c][0, v], err_msg=c)
        assert result.seeker_stats["n_eligible"][s] == int((single.fail[0] == 0).sum())
        ranking = matcher.rank(profiles[s], "vacancies", k=15)
        assert [r.item_id for r in ranking.results] == list(pool.items.ids[v])
        with_history += bool(profiles[s].work_history) and not np.isnan(top["experience"][mine]).all()
    assert with_history >= 10    # the experience component is exercised, not only NaN


@pytest.mark.parametrize("k,weights", [(1, None), (6, FitWeights(practical=0.7, interest=0.1))])
def test_pruned_kernel_gives_the_unpruned_kernels_output(data, k, weights):
    # Several chunks, so the vacancies' thresholds rise from chunk to chunk and prune.
    seekers, _, pool = data
    side = prepare_vacancies(pool, weights)
    block = person_block(seekers)
    pruned = score_block(block, side, k=k, offset=7, max_pairs=40_000, max_people=50)
    reference = score_block_unpruned(block, side, k=k, offset=7)
    for part in ("seeker_top", "vacancy_top", "seeker_stats"):
        mine, theirs = getattr(pruned, part), getattr(reference, part)
        assert list(mine) == list(theirs), part
        for name in theirs:
            assert mine[name].dtype == theirs[name].dtype, (part, name)
            np.testing.assert_array_equal(mine[name], theirs[name], err_msg=f"{part}.{name}")


def test_each_vacancys_top_seekers_are_the_dense_kernels(data):
    seekers, _, pool = data
    block = person_block(seekers)
    result = score_block(block, prepare_vacancies(pool), k=10, max_pairs=30_000, max_people=100)
    dense = score_vacancies(block, pool)
    # Seekers the matcher would not rank (no scores, no coded job) are in no list.
    informed = np.array([has_enough_information(p) for p in seeker_profiles(seekers)])
    totals = np.where((dense.fail == 0) & informed[:, None], dense.total, -np.inf)
    vt = result.vacancy_top
    for v in range(0, pool.n, 37):
        eligible = np.flatnonzero(np.isfinite(totals[:, v]))
        expected = eligible[np.lexsort((eligible, -totals[eligible, v]))][:10]
        assert list(vt["seeker"][vt["vacancy"] == v]) == list(expected)


def test_blocks_merge_to_the_same_vacancy_lists_as_one_block(data):
    seekers, _, pool = data
    side = prepare_vacancies(pool)
    whole = score_block(person_block(seekers), side, k=8)
    parts = [score_block(person_block(seekers.iloc[a:a + 200]), side, k=8, offset=a).vacancy_top
             for a in range(0, len(seekers), 200)]
    merged = merge_vacancy_top(parts[::-1], k=8)  # order of blocks does not matter
    for name in ("vacancy", "seeker", "total", "rank"):
        np.testing.assert_array_equal(merged[name], whole.vacancy_top[name])


def test_unknown_columns_and_empty_files_are_errors():
    with pytest.raises(SchemaError, match="unknown columns"):
        validate_seekers(pd.DataFrame({"id": ["a"], "salary_wish": [1]}))
    with pytest.raises(SchemaError, match="no data rows"):
        validate_vacancies(pd.DataFrame(columns=["id", "district", "openings"]))
    with pytest.raises(SchemaError, match="missing required columns"):
        validate_vacancies(pd.DataFrame({"id": ["v"], "district": ["d"]}))


def test_bad_rows_are_rejected_with_row_field_and_reason():
    seekers = pd.DataFrame({"id": ["a", "b", "b", None, "c"], "riasec_R": [3, 3, 3, 3, 3],
                            **{f"riasec_{c}": [3, 3, 3, 3, None] for c in "IASEC"},
                            "max_commute_minutes": [30, 500, 30, 30, 30]})
    v = validate_seekers(seekers)
    assert list(v.rows["id"]) == ["a"]
    reasons = {(r.row, r.field) for r in v.rejected.itertuples()}
    assert {(2, "max_commute_minutes"), (2, "id"), (3, "id"), (4, "id"), (5, "riasec_R")} <= reasons
    vacancies = pd.DataFrame({"id": ["x", "y"], "district": ["d", "d"], "openings": [0, 2]})
    vv = validate_vacancies(vacancies)
    assert list(vv.rows["id"]) == ["y"] and vv.rejected.iloc[0]["field"] == "openings"


def test_allocation_gives_a_contested_place_to_the_priority_group():
    # Two seekers want the same single-opening vacancy (c = 1); on fit alone seeker 1 (75) wins,
    # with the zero-employment-family weight 1.5 seeker 0 (70 × 1.5) does.
    seeker, vacancy, total = np.array([0, 1]), np.array([0, 0]), np.array([70.0, 75.0])
    policy = AllocationPolicy(capacity_factor=1.0, per_person=1)
    plain = allocate(seeker, vacancy, total, np.array([1.0]), np.ones(2), policy)
    weight = priority_weights(np.array([True, False]), np.array([False, False]), policy)
    prioritised = allocate(seeker, vacancy, total, np.array([1.0]), weight, policy)
    assert list(plain) == [False, True] and list(prioritised) == [True, False]


def test_allocation_never_exceeds_c_times_openings_or_m_per_person(data):
    rng = np.random.default_rng(0)
    s, v = rng.integers(0, 300, 3000), rng.integers(0, 50, 3000)
    keep = ~pd.DataFrame({"s": s, "v": v}).duplicated().to_numpy()
    s, v, t = s[keep], v[keep], rng.uniform(30, 95, keep.sum())
    openings = rng.integers(1, 4, 50).astype(float)
    policy = AllocationPolicy(capacity_factor=2.0, per_person=3)
    chosen = allocate(s, v, t, openings, np.ones(300), policy)
    assert (np.bincount(v[chosen], minlength=50) <= 2 * openings).all()
    assert np.bincount(s[chosen], minlength=300).max() <= 3


def test_candidate_edges_are_the_deduplicated_sorted_pairs():
    rng = np.random.default_rng(3)
    n = 5000
    st = {"seeker": np.sort(rng.integers(0, 400, n)), "vacancy": rng.integers(0, 90, n),
          "total": rng.uniform(0, 100, n)}
    vs = {"seeker": rng.integers(0, 400, 900), "vacancy": rng.integers(0, 90, 900), "total": rng.uniform(0, 100, 900)}
    e = pd.DataFrame({"s": np.concatenate([st["seeker"], vs["seeker"]]),
                      "v": np.concatenate([st["vacancy"], vs["vacancy"]]),
                      "t": np.concatenate([st["total"], vs["total"]])}).drop_duplicates(["s", "v"])
    e = e.sort_values(["s", "v"], kind="stable")
    for got, want in zip(candidate_edges(st, vs), (e["s"], e["v"], e["t"])):
        np.testing.assert_array_equal(got, want.to_numpy())
    empty = {n: x[:0] for n, x in st.items()}
    assert all(x.size == 0 for x in candidate_edges(empty, empty))


def test_gini_is_zero_for_equal_counts_and_high_for_concentration():
    assert gini(np.array([3, 3, 3])) == 0.0
    assert gini(np.array([0, 0, 0, 9])) == pytest.approx(0.75)


def test_four_fifths_rule_flags_a_group_with_a_low_recommendation_rate():
    gender = np.array(["female"] * 50 + ["male"] * 50, dtype=object)
    rec_seeker = np.concatenate([np.arange(0, 20), np.arange(50, 100)])  # 40 % of women, 100 % of men
    audit = fairness_audit({"gender": gender}, rec_seeker, np.full(rec_seeker.size, 70.0), 100)
    rows = {r["group"]: r for r in audit["gender"]}
    assert rows["female"]["adverse_impact_ratio"] == pytest.approx(0.4) and rows["female"]["fails_four_fifths"]
    assert not rows["male"]["fails_four_fifths"] and audit["flagged"] == ["gender=female"]


def test_audit_attributes_never_reach_the_kernel(data):
    seekers, _, pool = data
    side = prepare_vacancies(pool)
    a = score_block(person_block(seekers.iloc[:100]), side, k=5)
    changed = seekers.iloc[:100].assign(gender="female", birth_year=1960.0)
    b = score_block(person_block(changed), side, k=5)
    np.testing.assert_array_equal(a.seeker_top["total"], b.seeker_top["total"])


def test_a_seeker_with_no_scores_and_no_coded_job_gets_no_list_and_is_in_no_vacancys_list(data):
    seekers, _, pool = data
    blank = seekers.iloc[:40].copy()
    scores = [c for c in blank.columns if c.startswith(("apt_", "riasec_", "big5_", "wv_"))]
    blank.loc[blank.index[::2], scores] = np.nan
    blank.loc[blank.index[::2], "work_history"] = None
    result = score_block(person_block(blank), prepare_vacancies(pool), k=5)
    empty = np.arange(0, 40, 2)
    assert not result.seeker_stats["enough_information"][empty].any()
    assert result.seeker_stats["enough_information"][1::2].all()
    assert not np.isin(result.seeker_top["seeker"], empty).any()
    assert not np.isin(result.vacancy_top["seeker"], empty).any()
    assert (result.seeker_stats["n_candidates"][empty] == 0).all()
    assert not any(has_enough_information(p) for p in seeker_profiles(blank.iloc[::2]))


def test_an_unreadable_work_history_rejects_its_row_naming_the_entry_and_the_fix():
    seekers = pd.DataFrame({"id": ["a", "b", "c", "d", "e"],
                            "work_history": ["4-02-02-02:48:2024|6-18-01-01:24", "4-02-02-02:800", "4-2:12",
                                             '[{"months": 3}]', '[{"title": "叉车司机", "months": 30}]']})
    v = validate_seekers(seekers)
    assert list(v.rows["id"]) == ["a", "e"]
    reasons = dict(zip(v.rejected["id"], v.rejected["reason"]))
    assert reasons["b"].startswith("entry 1: months must be a whole number from 0 to 720")
    assert "is not a CSCO 2022 code" in reasons["c"]
    assert "needs an occupation_code" in reasons["d"] and "code:months[:end_year]" in reasons["d"]
    assert set(v.rejected["field"]) == {"work_history"}
    history = person_block(v.rows).history
    assert [[job[:2] for job in jobs] for jobs in history] == [[("4-02-02-02", 48.0), ("6-18-01-01", 24.0)], []]
