"""Exact top-k lists for the batch kernel and the merge of blocks' vacancy lists, with the bounds
that let them skip rows that cannot enter a list.

- ``ragged_top_k``: the k largest values per group (ties by a key), thresholded with a padded
  ``np.partition`` before the exact sort.
- Histogram thresholds (``top_bins``, ``kth_lower_bound``): a lower bound on each group's k-th
  largest total from counts in ``TOP_BINS`` bins over 0–100; a row strictly below it is below k
  others and in no top k, not even by a tie.
- ``merge_vacancy_top``: each vacancy's top k from several blocks' lists (order-independent).
- ``vacancy_candidates``: the blocks' rows that can still be among a vacancy's k best over all
  blocks (a bound from each block's first ranks), so the merge sorts a twentieth of the rows.

Order everywhere: total descending, ties by the smaller tie key (vacancy position for a seeker's
list, seeker position in the pool for a vacancy's).
"""
from __future__ import annotations

import numpy as np

TOP_BINS = 256                # histogram bins over totals 0–100 for the top-k thresholds
_BIN_SCALE = TOP_BINS / 100.0


def ragged_top_k(group: np.ndarray, value: np.ndarray, tie: np.ndarray, k: int,
                 max_cells: int = 4_000_000) -> tuple[np.ndarray, np.ndarray]:
    """The k largest ``value`` per group, ties by smaller ``tie``; ``group`` must be sorted.

    Returns (indices ordered by group, value desc, tie asc; rank 0..k−1 within the group).
    Groups larger than k are thresholded at their k-th largest value with a padded
    ``np.partition`` (in batches of at most ``max_cells`` cells); everything tied at the threshold
    is kept until the exact sort on the survivors.
    """
    n = group.size
    if n == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, n])
    keep = np.ones(n, dtype=bool)
    big = np.flatnonzero(sizes > k)
    if big.size:
        big = big[np.argsort(sizes[big], kind="stable")]
        a = 0
        while a < big.size:
            b = a + 1
            while b < big.size and (b - a + 1) * int(sizes[big[b]]) <= max_cells:
                b += 1
            width = int(sizes[big[b - 1]])
            gs, gz = starts[big[a:b]], sizes[big[a:b]]
            mat = np.full((gz.size, width), -np.inf)
            rows = np.repeat(np.arange(gz.size), gz)
            cols = np.arange(int(gz.sum())) - np.repeat(np.cumsum(gz) - gz, gz)
            members = np.repeat(gs, gz) + cols
            mat[rows, cols] = value[members]
            kth = np.partition(mat, width - k, axis=1)[:, width - k]
            keep[members] = value[members] >= np.repeat(kth, gz)
            a = b
    sel = np.flatnonzero(keep)
    sel = sel[_order(group[sel], value[sel], tie[sel])]
    g = group[sel]
    st = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    rank = np.arange(sel.size) - np.repeat(st, np.diff(np.r_[st, sel.size]))
    return sel[rank < k], rank[rank < k]


def _order(group: np.ndarray, value: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """``np.lexsort((tie, -value, group))`` (group ascending, value descending with NaN last, tie
    ascending; stable), as one stable sort of an integer key (group, rank of −value among the
    distinct values, tie) when it fits in 62 bits: half the time of three stable sorts; otherwise
    the lexsort itself."""
    if group.size == 0:
        return np.zeros(0, dtype=np.int64)
    levels, dense = np.unique(-value, return_inverse=True)     # NaNs: one level, the last
    g0, t0 = int(group.min()), int(tie.min())
    span_g, span_v, span_t = int(group.max()) - g0 + 1, levels.size, int(tie.max()) - t0 + 1
    if span_g * span_v * span_t >= 2 ** 62:
        return np.lexsort((tie, -value, group))
    key = ((group.astype(np.int64) - g0) * span_v + np.asarray(dense).ravel()) * span_t + (tie.astype(np.int64) - t0)
    return np.argsort(key, kind="stable")


def top_bins(value: np.ndarray) -> np.ndarray:
    """Histogram bin of a 0–100 total counted from the top (0 = the highest); monotone, values
    outside 0–100 go to the end bins."""
    return (TOP_BINS - 1) - np.clip(np.floor(value * _BIN_SCALE), 0, TOP_BINS - 1).astype(np.intp)


def kth_lower_bound(counts: np.ndarray, k: int) -> np.ndarray:
    """From per-group histograms ``counts`` (groups × TOP_BINS, highest bin first), a lower bound
    on each group's k-th largest value (−inf with fewer than k): the lower edge of the bin where
    the count from the top reaches k, less 10⁻⁶ for rounding (a value v in bin b > 0 from the
    bottom has fl(v·s) ≥ b, so v ≥ b/s·(1 − 2⁻⁵²))."""
    first = (np.cumsum(counts, axis=1) < k).sum(axis=1)    # index of the bin reaching k
    b = (TOP_BINS - 1) - first                              # its number from the bottom
    return np.where((first < TOP_BINS) & (b > 0), b / _BIN_SCALE - 1e-6, -np.inf)


def concat_parts(parts: list[dict[str, np.ndarray]], names: list[str], dtypes: list) -> dict[str, np.ndarray]:
    if not parts:
        return {n: np.zeros(0, dtype=d) for n, d in zip(names, dtypes)}
    return {n: np.concatenate([p[n] for p in parts]).astype(d, copy=False) for n, d in zip(names, dtypes)}


def merge_vacancy_top(parts: list[dict[str, np.ndarray]], k: int) -> dict[str, np.ndarray]:
    """Each vacancy's top k seekers from several candidate lists (blocks or chunks), sorted by
    vacancy then rank; ties by seeker position, so the merge order does not matter."""
    cat = concat_parts(parts, ["vacancy", "seeker", "total"], [np.int64, np.int64, float])
    if cat["total"].size > 4 * k * (1 + (int(cat["vacancy"].max()) if cat["total"].size else 0)):
        # Drop, before the sort, the rows below a lower bound of their vacancy's k-th best total
        # (a histogram threshold, as in ``kernel.score_block``): they cannot be in the top k.
        n_v = int(cat["vacancy"].max()) + 1
        cells = cat["vacancy"] * TOP_BINS + top_bins(cat["total"])
        t_v = kth_lower_bound(np.bincount(cells, minlength=n_v * TOP_BINS).reshape(n_v, TOP_BINS), k)
        keep = cat["total"] >= t_v[cat["vacancy"]]
        cat = {n: x[keep] for n, x in cat.items()}
    # Grouped by vacancy only: ``ragged_top_k`` orders each group by (total, seeker) itself.
    order = np.argsort(cat["vacancy"], kind="stable")
    cat = {n: x[order] for n, x in cat.items()}
    sel, rank = ragged_top_k(cat["vacancy"], cat["total"], cat["seeker"], k)
    out = {n: x[sel] for n, x in cat.items()}
    out["rank"] = rank + 1
    return out


def vacancy_candidates(parts: list[dict[str, np.ndarray]], k: int,
                       max_cells: int = 20_000_000) -> list[dict[str, np.ndarray]]:
    """The blocks' vacancy-list rows (``vacancy``, ``seeker``, ``total``) that can be among their
    vacancy's k best over all blocks: the same input for ``merge_vacancy_top``, a twentieth of it.

    The bound: per vacancy, the rows ranked 1 … r in their block are a subset of all its rows, so
    their k-th largest total B is at most the k-th largest over all rows, whatever the ranks say
    (a subset's k-th order statistic never exceeds the whole set's). A row with total < B is
    strictly below k rows (those of the subset at or above B), so it is in no top k, not even by
    a tie, and can be dropped; every other row is kept, NaN totals included. Merging 10⁵ seekers' blocks sorted 8·10⁶ rows
    in half a second; the bound leaves 4·10⁵. Unchanged input when a bound cannot help (one block,
    no ranks) or its table (vacancies × r·blocks) would exceed ``max_cells``."""
    n_v = max((int(p["vacancy"].max()) + 1 for p in parts if p["vacancy"].size), default=0)
    r = min(k, -(-2 * k // max(len(parts), 1)) + 1)     # the first r of each block: ≥ 2k rows in all
    width = r * len(parts)
    if len(parts) < 2 or n_v == 0 or any("rank" not in p for p in parts) or n_v * width > max_cells:
        return parts
    firsts = np.full((n_v, width), -np.inf)            # an empty cell (or a NaN total) counts as none
    for b, p in enumerate(parts):
        first = (p["rank"] >= 1) & (p["rank"] <= r)
        t = p["total"][first]
        firsts[p["vacancy"][first], b * r + p["rank"][first] - 1] = np.where(np.isnan(t), -np.inf, t)
    bound = np.partition(firsts, width - k, axis=1)[:, width - k]
    # ``~(total < bound)``: a NaN total is kept (the merge, not this bound, decides about it).
    return [{n: p[n][keep] for n in ("vacancy", "seeker", "total")}
            for p in parts for keep in [~(p["total"] < bound[p["vacancy"]])]]

