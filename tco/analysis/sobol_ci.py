"""How sure are the Sobol indices? Bootstrap confidence intervals, and the index pairs that
make no sense beyond them.

The Saltelli (2010) estimators of :func:`scipy.stats.sobol_indices` are averages over the
``n`` base points, so resampling those points (with their ``A``, ``B`` and ``AB`` values)
gives the sampling distribution of each index: :func:`intervals` bootstraps it as scipy's
``SobolResult.bootstrap`` does (same statistic, BCa intervals), but seeded (scipy's method
draws from numpy's global random state) and vectorised; above :data:`BCA_MAX_N` points it
uses percentile intervals, since BCa's jackknife costs ``n**2``.

An estimate can be off by more than its noise suggests only rarely; when a first-order index
lies above its total index beyond both intervals, or an index lies outside [0, 1] beyond its
interval, :func:`flags` names it: the sample is too small (or the function too irregular)
for the indices to be trusted.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["BCA_MAX_N", "COLUMNS", "flags", "intervals", "saltelli_2010"]

BCA_MAX_N = 2048
"""Largest base sample bootstrapped with BCa intervals; above it, percentile intervals."""

COLUMNS = ("first_order_low", "first_order_high", "total_order_low", "total_order_high")
"""The interval columns of :meth:`tco.SobolResult.to_frame`."""

_CELLS_PER_BATCH = 2_000_000
"""Resampled values held at once (about 16 MB per array)."""


def saltelli_2010(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> np.ndarray:
    """First-order and total indices, shape ``(2, d, ...)``, from function values at ``A``
    and ``B`` (shape ``(..., n)``) and at the ``d`` pages ``AB`` (shape ``(d, ..., n)``).

    The estimators of :func:`scipy.stats.sobol_indices` (Saltelli et al. 2010, Table 2 (b)
    and (f)), over the last axis; a zero variance gives indices of 0.

    Examples
    --------
    y = x1 at four points: ``AB`` page 1 takes x1 from ``B`` (so equals ``B``), page 2 is
    ``A``. Variance of (A, B) = 1.25; first order of x1 = mean(B (B - A)) / 1.25 = 2.25 /
    1.25; total = mean((A - B)**2) / 2 / 1.25 = 2.25 / 1.25 (a tiny sample: above 1).

    >>> a, b = np.array([0.0, 1.0, 2.0, 3.0]), np.array([3.0, 1.0, 2.0, 0.0])
    >>> saltelli_2010(a, b, np.stack([b, a])).tolist()
    [[1.8, 0.0], [1.8, 0.0]]
    """
    var = np.var(np.concatenate([f_a, f_b], axis=-1), axis=-1)
    first = np.mean(f_b * (f_ab - f_a), axis=-1)
    total = 0.5 * np.mean((f_a - f_ab) ** 2, axis=-1)
    out = np.stack([first, total])
    return np.divide(out, var, out=np.zeros_like(out), where=var > 0)


def intervals(
    f_a: np.ndarray,
    f_b: np.ndarray,
    f_ab: np.ndarray,
    rng: np.random.Generator,
    *,
    confidence_level: float = 0.95,
    n_resamples: int = 999,
) -> np.ndarray:
    """Bootstrap confidence intervals of both indices: shape ``(4, d)``, rows in
    :data:`COLUMNS` order.

    Parameters
    ----------
    f_a, f_b : ndarray, shape (n,)
        Function values at the base samples ``A`` and ``B``.
    f_ab : ndarray, shape (d, n)
        Function values at each page ``AB``.
    rng : numpy Generator
        Source of the resamples (seeded: the same intervals every time).
    confidence_level : float
        Coverage of each interval. [0-1]
    n_resamples : int
        Bootstrap resamples.
    """
    from scipy import stats  # imported here: scipy.stats takes a while to load

    n, d = f_a.size, f_ab.shape[0]

    def statistic(idx: np.ndarray, axis: int = -1) -> np.ndarray:
        return saltelli_2010(f_a[idx], f_b[idx], f_ab[:, idx])

    estimate = statistic(np.arange(n))
    with warnings.catch_warnings():  # a degenerate resample: its interval is the estimate
        warnings.simplefilter("ignore")
        res = stats.bootstrap(
            [np.arange(n)],
            statistic,
            vectorized=True,
            n_resamples=n_resamples,
            confidence_level=confidence_level,
            method="BCa" if n <= BCA_MAX_N else "percentile",
            batch=max(1, _CELLS_PER_BATCH // (n * (d + 2))),
            rng=rng,
        )
    low = np.where(np.isfinite(res.confidence_interval.low), res.confidence_interval.low, estimate)
    high = np.where(
        np.isfinite(res.confidence_interval.high), res.confidence_interval.high, estimate
    )
    return np.stack([low[0], high[0], low[1], high[1]])


def _outside(name: str, value: float, low: float, high: float) -> str | None:
    if high < 0.0:
        return f"{name} index {value:.3f} [{low:.3f}, {high:.3f}] is below 0 beyond its interval"
    if low > 1.0:
        return f"{name} index {value:.3f} [{low:.3f}, {high:.3f}] is above 1 beyond its interval"
    return None


def flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Index pairs that make no sense beyond their intervals: columns ``path, problem``.

    ``frame`` has the columns of :meth:`tco.SobolResult.to_frame` (index ``path``). A
    first-order index cannot exceed its total index, and neither can leave [0, 1]; an
    estimate that does so beyond its confidence interval says the sample is too small.

    Examples
    --------
    >>> frame = pd.DataFrame(
    ...     {"first_order": [0.008], "total_order": [0.003], "first_order_low": [0.006],
    ...      "first_order_high": [0.010], "total_order_low": [0.001],
    ...      "total_order_high": [0.005]}, index=pd.Index(["a"], name="path"))
    >>> print(flags(frame).loc[0, "problem"])
    first-order index 0.008 [0.006, 0.010] is above the total index 0.003 [0.001, 0.005] beyond both intervals: use a larger n
    """  # noqa: E501
    rows: list[dict[str, Any]] = []
    for path, r in frame.iterrows():
        problems = []
        if r["first_order_low"] > r["total_order_high"]:
            problems.append(
                f"first-order index {r['first_order']:.3f} [{r['first_order_low']:.3f}, "
                f"{r['first_order_high']:.3f}] is above the total index {r['total_order']:.3f} "
                f"[{r['total_order_low']:.3f}, {r['total_order_high']:.3f}] beyond both "
                "intervals: use a larger n"
            )
        for kind in ("first_order", "total_order"):
            name = kind.replace("_order", "-order").replace("total-order", "total")
            why = _outside(name, r[kind], r[f"{kind}_low"], r[f"{kind}_high"])
            if why is not None:
                problems.append(f"{why}: use a larger n")
        rows += [{"path": path, "problem": p} for p in problems]
    return pd.DataFrame(rows, columns=["path", "problem"])
