"""Top-k lists and their bounds (``matching.batch.topk``): every shortcut gives the lists that
sorting all rows gives."""
import numpy as np
import pytest

from matching.batch.topk import merge_vacancy_top, ragged_top_k, vacancy_candidates


def test_ragged_top_k_breaks_ties_by_the_tie_key():
    group = np.array([0, 0, 0, 0, 1, 1])
    value = np.array([5.0, 7.0, 7.0, 1.0, 2.0, 2.0])
    tie = np.array([3, 9, 4, 1, 8, 2])
    sel, rank = ragged_top_k(group, value, tie, 2)
    assert list(sel) == [2, 1, 5, 4] and list(rank) == [0, 1, 0, 1]


@pytest.mark.parametrize("seed", range(5))
def test_ragged_top_k_orders_each_group_as_a_full_lexsort_does(seed):
    # ties, NaN totals, ±0.0 and negative keys included; no group larger than k, so every row is listed
    rng = np.random.default_rng(seed)
    n = 400
    group = np.sort(rng.integers(-5, 60, n))
    value = rng.choice([0.0, -0.0, 1.5, 2.0, np.nan, 70.25, -3.0], n)
    tie = rng.integers(-10, 10, n)
    sel, rank = ragged_top_k(group, value, tie, n)
    np.testing.assert_array_equal(sel, np.lexsort((tie, -value, group)))


def _block_lists(rng, n_blocks, per_block, n_v, k, step):
    """Vacancy lists as blocks write them (each vacancy's best k of the block, ranked), with
    totals on a coarse grid (``step``) so that many tie."""
    parts = []
    for b in range(n_blocks):
        n = int(rng.integers(0, 4 * per_block))
        rows = {"vacancy": rng.integers(0, n_v, n), "seeker": b * per_block + rng.integers(0, per_block, n),
                "total": np.round(rng.uniform(30, 95, n) / step) * step}
        # one row per (vacancy, seeker) pair, as in a block
        _, first = np.unique(rows["vacancy"] * 10**6 + rows["seeker"], return_index=True)
        parts.append(merge_vacancy_top([{name: x[first] for name, x in rows.items()}], k))
    return parts


@pytest.mark.parametrize("seed,n_blocks,k,step", [(0, 20, 20, 0.5), (1, 7, 5, 2.5), (2, 3, 12, 0.01), (3, 40, 3, 5.0)])
def test_vacancy_candidates_merge_to_the_lists_of_all_rows(seed, n_blocks, k, step):
    rng = np.random.default_rng(seed)
    parts = _block_lists(rng, n_blocks, per_block=300, n_v=150, k=k, step=step)
    kept = vacancy_candidates(parts, k)
    assert sum(p["total"].size for p in kept) < sum(p["total"].size for p in parts)
    whole, merged = merge_vacancy_top(parts, k), merge_vacancy_top(kept, k)
    for name in ("vacancy", "seeker", "total", "rank"):
        np.testing.assert_array_equal(merged[name], whole[name])
        assert merged[name].dtype == whole[name].dtype


def test_vacancy_candidates_stay_exact_whatever_the_ranks_say():
    rng = np.random.default_rng(7)
    parts = _block_lists(rng, 10, per_block=200, n_v=60, k=6, step=1.0)
    for p in parts:
        p["rank"] = rng.permutation(p["rank"])          # ranks that say nothing about the totals
    whole, merged = merge_vacancy_top(parts, 6), merge_vacancy_top(vacancy_candidates(parts, 6), 6)
    for name in ("vacancy", "seeker", "total", "rank"):
        np.testing.assert_array_equal(merged[name], whole[name])


def test_vacancy_candidates_leave_one_block_or_rankless_lists_alone():
    rng = np.random.default_rng(1)
    parts = _block_lists(rng, 4, per_block=100, n_v=30, k=5, step=1.0)
    assert vacancy_candidates(parts[:1], 5)[0] is parts[0]
    rankless = [{n: p[n] for n in ("vacancy", "seeker", "total")} for p in parts]
    assert vacancy_candidates(rankless, 5) == rankless
    empty = [{n: np.zeros(0, dtype=p[n].dtype) for n in p} for p in parts]
    assert vacancy_candidates(empty, 5) == empty
