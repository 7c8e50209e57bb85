"""The helpers that assemble a batch's output from its blocks give what the straightforward code
gave: the same merged vacancy lists, candidate edges, priority flags and id columns."""
import numpy as np
import pandas as pd
import pytest

from api.batch.runner import _candidate_edges, _flag, _Labels, _vacancy_candidates
from matching.batch.kernel import merge_vacancy_top
from matching.batch.schema import validate_seekers


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
    kept = _vacancy_candidates(parts, k)
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
    whole, merged = merge_vacancy_top(parts, 6), merge_vacancy_top(_vacancy_candidates(parts, 6), 6)
    for name in ("vacancy", "seeker", "total", "rank"):
        np.testing.assert_array_equal(merged[name], whole[name])


def test_vacancy_candidates_leave_one_block_or_rankless_lists_alone():
    rng = np.random.default_rng(1)
    parts = _block_lists(rng, 4, per_block=100, n_v=30, k=5, step=1.0)
    assert _vacancy_candidates(parts[:1], 5)[0] is parts[0]
    rankless = [{n: p[n] for n in ("vacancy", "seeker", "total")} for p in parts]
    assert _vacancy_candidates(rankless, 5) == rankless
    empty = [{n: np.zeros(0, dtype=p[n].dtype) for n in p} for p in parts]
    assert _vacancy_candidates(empty, 5) == empty


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
    for got, want in zip(_candidate_edges(st, vs), (e["s"], e["v"], e["t"])):
        np.testing.assert_array_equal(got, want.to_numpy())
    empty = {n: x[:0] for n, x in st.items()}
    assert all(x.size == 0 for x in _candidate_edges(empty, empty))


def test_priority_flags_are_read_as_the_validator_reads_them():
    # A 1/0 column with blanks arrives from CSV as floats (1.0); it once gave nobody priority.
    seekers = pd.DataFrame({"id": ["a", "b", "c", "d", "e"], "zero_employment_family": [1.0, 0.0, np.nan, 1.0, 0.0],
                            "assistance_card": ["是", "否", "yes", "", None]})
    rows = validate_seekers(seekers).rows
    assert list(_flag(rows, "zero_employment_family")) == [True, False, False, True, False]
    assert list(_flag(rows, "assistance_card")) == [True, False, True, False, False]
    assert not _flag(rows, "missing").any() and _flag(rows, "missing").size == len(rows)


@pytest.mark.parametrize("labels", [["S-1", "S-2", "S-3"], ["4-01", None, "4-02"], [None, None, None], [1, 2, 3]])
def test_labels_make_the_column_the_object_array_makes(labels):
    arr = np.array(labels, dtype=object)
    idx = np.array([2, 0, 0, 1, 2])
    for i in (idx, idx[:0], idx[[1]]):
        want = pd.DataFrame({"c": arr[i]})
        pd.testing.assert_frame_equal(pd.DataFrame({"c": _Labels(arr).take(i)}), want, check_exact=True)
