"""Fan charts' numbers: cumulative cost paths of many draws and their percentiles by month."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["fan_frame", "percentile_label", "row_percentiles"]


def percentile_label(q: float) -> str:
    """``10.0`` -> ``"p10"``."""
    return f"p{q:g}"


def _select(rows: np.ndarray, ks: list[int], lo: int = 0) -> None:
    """Partially sort each row in place so that positions ``ks`` hold their order statistics.

    One partition per position, each on the segment between its neighbours (numpy's
    partition with several positions is several times slower than with one).
    """
    if not ks:
        return
    mid = len(ks) // 2
    k = ks[mid]
    rows.partition(k - lo, axis=-1)
    _select(rows[:, : k - lo], ks[:mid], lo)
    _select(rows[:, k - lo + 1 :], ks[mid + 1 :], k + 1)


def row_percentiles(rows: np.ndarray, pct: Sequence[float]) -> np.ndarray:
    """Percentiles of each row, shape (len(pct), rows); reorders ``rows`` in place.

    The same definition as ``numpy.percentile`` (linear interpolation between the order
    statistics at ``floor`` and ``ceil`` of ``q (n - 1)``).

    Examples
    --------
    >>> row_percentiles(np.array([[4.0, 1.0, 3.0, 2.0]]), [0, 50, 100]).ravel().tolist()
    [1.0, 2.5, 4.0]
    """
    n = rows.shape[-1]
    pos = np.asarray(pct, dtype=float) / 100.0 * (n - 1)
    below = np.floor(pos).astype(int)
    above = np.minimum(below + 1, n - 1)
    _select(rows, sorted(set(below.tolist()) | set(above.tolist())))
    a, b = rows[:, below].T, rows[:, above].T
    frac = (pos - below)[:, None]
    return a + (b - a) * frac


def fan_frame(
    b_paths: np.ndarray, c_paths: np.ndarray, pct: tuple[float, ...], horizon: int
) -> pd.DataFrame:
    """Percentiles by month of both cumulative cost paths (shape (H, draws)) and of their
    difference. Reorders the arrays in place."""
    savings = b_paths - c_paths
    blocks = {
        "baseline": row_percentiles(b_paths, pct),
        "candidate": row_percentiles(c_paths, pct),
        "savings": row_percentiles(savings, pct),
    }
    columns = pd.MultiIndex.from_product(
        [list(blocks), [percentile_label(p) for p in pct]], names=["series", "percentile"]
    )
    data = np.concatenate([blocks[s].T for s in blocks], axis=1)
    index = pd.Index(np.arange(1, horizon + 1), name="month")
    return pd.DataFrame(data, index=index, columns=columns)
