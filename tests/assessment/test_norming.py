"""Building norm tables from local data: mid-p ranks, smoothing, minimum group size, versioning."""
import numpy as np
import pandas as pd
import pytest

from assessment.norms import convert_scores
from assessment.psychometrics.norming import build_norms, tabulate


def test_unsmoothed_ranks_are_mid_p():
    grid, pct = tabulate(np.array([1, 2, 2, 3.0]), smoothing="none")
    assert grid.tolist() == [1, 2, 3] and pct.tolist() == pytest.approx([12.5, 50.0, 87.5])


def test_loglinear_smoothing_preserves_mean_and_variance():
    rng = np.random.default_rng(1)
    x = rng.binomial(30, 0.6, 400).astype(float)
    grid, pct = tabulate(x, smoothing="loglinear", degree=4)
    cum = np.concatenate([[0.0], pct])
    # recover smoothed frequencies from the mid-p ranks: f_i = 2 (P_i − F_{i−1})
    freq = np.zeros(len(grid))
    below = 0.0
    for i, p in enumerate(pct):
        freq[i] = 2 * (p - below)
        below += freq[i]
    freq = freq / freq.sum()
    assert (freq * grid).sum() == pytest.approx(x.mean(), abs=1e-4)
    assert (freq * grid**2).sum() - (freq * grid).sum() ** 2 == pytest.approx(x.var(), rel=1e-3)
    assert len(cum) == len(grid) + 1


def test_kernel_smoothing_is_used_for_continuous_scores_and_is_monotone():
    x = np.random.default_rng(2).normal(size=500)
    grid, pct = tabulate(x, smoothing="auto")
    assert len(grid) == 201 and np.all(np.diff(pct) >= 0) and 0 < pct[0] < pct[-1] < 100


def test_percentile_of_the_norm_group_median_is_near_50():
    rng = np.random.default_rng(3)
    s = pd.Series(rng.normal(50, 10, 2000), name="theta")
    table = build_norms(s, min_group_size=100)
    assert convert_scores(table, "theta", [float(s.median())])["percentile"].iloc[0] == pytest.approx(50, abs=2)


def test_small_group_is_merged_into_its_coarser_group():
    rng = np.random.default_rng(4)
    n = 1000
    groups = pd.DataFrame({"age": rng.choice(["young", "old"], n),
                           "edu": np.where(np.arange(n) < 30, "phd", rng.choice(["low", "high"], n))})
    table = build_norms(pd.Series(rng.binomial(20, 0.5, n), name="v"), groups, min_group_size=100)
    keys = set(map(tuple, table.frame[["age", "edu"]].drop_duplicates().to_numpy()))
    assert ("young", "phd") not in keys and ("old", "phd") not in keys
    assert ("young", "*") in keys or ("old", "*") in keys
    g = table.lookup("v", {"age": "young", "edu": "phd"})
    assert g.keys["edu"] == "*"


def test_small_group_is_refused_when_asked_with_its_size():
    rng = np.random.default_rng(5)
    groups = pd.Series(np.where(np.arange(300) < 20, "rare", "common"), name="g")
    with pytest.raises(ValueError, match=r"\{'g': 'rare'\}: 20"):
        build_norms(pd.Series(rng.normal(size=300), name="v"), groups, min_group_size=50, small_groups="refuse")


def test_same_data_gives_the_same_version_and_different_data_another():
    rng = np.random.default_rng(6)
    s = pd.Series(rng.binomial(20, 0.5, 500), name="v")
    assert build_norms(s).version == build_norms(s.copy()).version
    assert build_norms(s).version != build_norms(s + 1).version


def test_too_few_scored_persons_are_refused():
    with pytest.raises(ValueError, match="fewer than min_group_size=100"):
        build_norms(pd.Series(np.arange(50.0), name="v"))


def test_normal_method_writes_one_row_per_group():
    s = pd.Series(np.random.default_rng(7).normal(size=400), name="v")
    g = pd.Series(np.repeat(["a", "b"], 200), name="grp")
    table = build_norms(s, g, method="normal")
    assert len(table.frame) == 3 and set(table.frame["method"]) == {"normal"}
