"""Boundary checks shared by the psychometric toolkit: one place that turns user data into a float frame.

Every public function of the toolkit calls :func:`numeric_frame` once on its input; the inner numerical
code then trusts its arguments (docs/DESIGN.md §4). Errors are ``ValueError`` naming the column and the fix.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def numeric_frame(
    data: pd.DataFrame | np.ndarray,
    *,
    what: str = "data",
    min_rows: int = 2,
    min_columns: int = 1,
    allow_missing: bool = True,
    reject_constant: bool = True,
) -> pd.DataFrame:
    """Validate a persons × items table and return it as a float64 DataFrame (NaN = missing).

    Parameters
    ----------
    data : DataFrame or 2-D array, shape (n_persons, n_items)
        Item responses or scores. Empty cells / ``None`` / NaN are missing answers.
    what : str
        Name used in error messages (e.g. ``"responses"``).
    min_rows, min_columns : int
        Smallest acceptable shape.
    allow_missing : bool
        If False, any missing cell is an error.
    reject_constant : bool
        If True, a column with fewer than two distinct observed values (or none at all) is an error: it
        has no variance, so correlations and reliabilities are undefined. Scoring individual persons
        passes False.

    Raises
    ------
    ValueError
        With the offending column, the first offending row and what to do about it.
    """
    if isinstance(data, pd.Series):
        data = data.to_frame()
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise ValueError(f"{what}: expected a 2-D persons × items table, got an array with "
                             f"{data.ndim} dimension(s); reshape it to (n_persons, n_items).")
        data = pd.DataFrame(data, columns=[f"V{j + 1}" for j in range(data.shape[1])])
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{what}: expected a pandas DataFrame or a 2-D numpy array, "
                         f"got {type(data).__name__}.")
    if data.columns.duplicated().any():
        dup = [str(c) for c in data.columns[data.columns.duplicated()]]
        raise ValueError(f"{what}: duplicated column names {dup}; give every item a unique name.")
    out = {}
    for col in data.columns:
        series = data[col]
        if pd.api.types.is_bool_dtype(series):
            series = series.astype(float)
        converted = pd.to_numeric(series, errors="coerce")
        bad = converted.isna() & series.notna()
        if bad.any():
            row = bad.to_numpy().nonzero()[0][0]
            raise ValueError(f"{what}: column {col!r} has a non-numeric cell {series.iloc[row]!r} at row "
                             f"{row + 1}; recode it as a number or leave the cell empty for a missing answer.")
        out[col] = converted.astype("float64")
    frame = pd.DataFrame(out, index=data.index)
    values = frame.to_numpy()
    if np.isinf(values).any():
        col = frame.columns[np.isinf(values).any(axis=0)][0]
        raise ValueError(f"{what}: column {col!r} contains an infinite value; replace it with a finite "
                         f"number or an empty cell.")
    if frame.shape[0] < min_rows:
        raise ValueError(f"{what}: {frame.shape[0]} row(s) is too few; at least {min_rows} persons are needed.")
    if frame.shape[1] < min_columns:
        raise ValueError(f"{what}: {frame.shape[1]} column(s) is too few; at least {min_columns} items "
                         f"are needed.")
    if not allow_missing and np.isnan(values).any():
        col = frame.columns[np.isnan(values).any(axis=0)][0]
        raise ValueError(f"{what}: column {col!r} has missing cells, which this analysis cannot use; "
                         f"drop or impute those rows first.")
    empty = frame.columns[np.isnan(values).all(axis=0)]
    if reject_constant and len(empty):
        raise ValueError(f"{what}: column {empty[0]!r} has no observed values; drop it.")
    if reject_constant:
        for col in frame.columns:
            if frame[col].nunique(dropna=True) < 2:
                raise ValueError(f"{what}: column {col!r} is constant (every answer is "
                                 f"{frame[col].dropna().iloc[0]:g}); it has no variance — drop the item.")
    return frame


def check_columns(frame: pd.DataFrame, columns: Sequence[str], *, what: str) -> None:
    """Raise a ValueError naming the first of ``columns`` that ``frame`` does not have."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: column(s) {missing} not found in the data; available: "
                         f"{[str(c) for c in frame.columns][:20]}.")


def pairwise_cov(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Covariances from pairwise-complete observations (divisor n_ij − 1) and the pair counts.

    Same definition as R's ``cov(x, use = "pairwise")``: each pair's means are over the rows where
    both are observed. Complete data take a fast path (one matrix product).
    """
    mask = ~np.isnan(x)
    if mask.all():
        centred = x - x.mean(axis=0)
        n = x.shape[0]
        return centred.T @ centred / (n - 1), np.full((x.shape[1], x.shape[1]), float(n))
    m = mask.astype(float)
    z = np.where(mask, x, 0.0)
    n_ij = m.T @ m
    s_i = z.T @ m            # sum of x_i over rows where j is observed
    ss = z.T @ z             # sum of x_i x_j over rows where both are observed
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (ss - s_i * s_i.T / n_ij) / (n_ij - 1)
    return cov, n_ij


def cov_to_cor(cov: np.ndarray) -> np.ndarray:
    """Scale a covariance matrix to a correlation matrix."""
    d = 1.0 / np.sqrt(np.diag(cov))
    r = cov * d[:, None] * d[None, :]
    np.fill_diagonal(r, 1.0)
    return r


def pairwise_cor(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pearson correlations from pairwise-complete observations, as R's ``cor(use = "pairwise")``.

    Each pair's correlation uses that pair's own means and standard deviations.
    """
    mask = ~np.isnan(x)
    if mask.all():
        cov, n_ij = pairwise_cov(x)
        return cov_to_cor(cov), n_ij
    m = mask.astype(float)
    z = np.where(mask, x, 0.0)
    n_ij = m.T @ m
    s_i = z.T @ m
    sq_i = (z * z).T @ m     # sum of x_i^2 over rows where j is observed
    ss = z.T @ z
    with np.errstate(invalid="ignore", divide="ignore"):
        cxy = ss - s_i * s_i.T / n_ij
        vx = sq_i - s_i * s_i / n_ij
        r = cxy / np.sqrt(vx * vx.T)
    np.fill_diagonal(r, 1.0)
    return r, n_ij
