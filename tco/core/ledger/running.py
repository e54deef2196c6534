"""Running totals: cumulative cost in continuous time, month-major running sums, spend to
date."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["cumulative_at", "cumulative_into", "cumulative_path", "spent_so_far"]


def cumulative_into(monthly: np.ndarray, out: np.ndarray) -> None:
    """Cumulative sums of the first ``out.shape[1]`` rows of ``monthly`` (draws x months),
    written month-major into ``out`` (months x draws).

    Month by month over whole rows, the same additions in the same order as ``cumsum``
    (which is slow on short rows).

    Examples
    --------
    >>> out = np.empty((3, 2))
    >>> cumulative_into(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), out)
    >>> out.T.tolist()
    [[1.0, 3.0, 6.0], [4.0, 9.0, 15.0]]
    """
    draws = out.shape[1]
    one = monthly.ndim == 1  # the same path for every draw
    rows = np.broadcast_to(monthly, (draws, out.shape[0])) if one else monthly[:draws]
    out[0] = rows[:, 0]
    for m in range(1, out.shape[0]):
        np.add(out[m - 1], rows[:, m], out=out[m])


def spent_so_far(payments: np.ndarray) -> np.ndarray:
    """Running total of payments at each month's end (e.g. capex to date). [USD]

    Examples
    --------
    >>> spent_so_far(np.array([100.0, 0.0, 50.0])).tolist()
    [100.0, 100.0, 150.0]
    """
    return np.cumsum(payments, axis=-1)


def cumulative_path(
    up: np.ndarray, rec: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of cumulative cost in continuous time, one-time jumps included.

    Month ``m`` runs from ``t = m - 1`` to ``t = m``: its one-time cost is a jump at its
    start, its recurring cost a straight line over it, its end-of-month credit a jump at
    its end (DESIGN.md). For charts.

    Parameters
    ----------
    up, rec, end : ndarray, shape (H,)
        One-time, recurring and end-of-month cost per month. [USD]

    Returns
    -------
    t, usd : ndarray
        Time of each vertex [months] and cumulative cost there [USD].

    Examples
    --------
    >>> t, usd = cumulative_path(np.array([100.0, 0]), np.array([10.0, 10]), np.zeros(2))
    >>> t.tolist(), usd.tolist()
    ([0.0, 0.0, 1.0, 1.0, 2.0], [0.0, 100.0, 110.0, 110.0, 120.0])
    """
    ts: list[float] = [0.0]
    ys: list[float] = [0.0]
    c = 0.0
    for m, (u, r, e) in enumerate(zip(up, rec, end, strict=True), start=1):
        ts += [m - 1.0, float(m)]
        ys += [c + u, c + u + r]
        c += u + r
        if e:
            c += e
            ts.append(float(m))
            ys.append(c)
    return np.array(ts), np.array(ys)


def cumulative_at(up: np.ndarray, rec: np.ndarray, t: float) -> float:
    """Cumulative cost at time ``t``: within a month, after its one-time cost. [USD]

    ``t = 0`` gives the first month's one-time cost; a whole ``t = m`` gives the cost at
    the end of month ``m`` (before any end-of-horizon credit).

    Examples
    --------
    >>> cumulative_at(np.array([100.0, 0]), np.array([10.0, 10]), 1.5)
    115.0
    """
    m = max(1, math.ceil(t))
    before = float(np.sum(up[: m - 1] + rec[: m - 1]))
    return before + float(up[m - 1]) + float(rec[m - 1]) * (t - (m - 1))
