"""Load within the operating hours: how much of a month's demand lies above a capacity.

Only two numbers describe the load within a month's operating hours: its average and its
peak-to-average ratio ``p``. To say how many tokens a fleet of given capacity cannot serve,
the load needs a shape. ``tco`` uses the simplest load-duration curve that matches both
numbers, a straight line:

* ``p <= 2``: the load is uniformly distributed between ``(2 - p) * average`` and
  ``p * average`` over the operating hours (mean: the average; maximum: the peak).
* ``p > 2``: a straight line cannot stay above zero, so the load is uniform between 0 and
  ``p * average`` for a share ``2 / p`` of the operating hours and zero for the rest
  (mean and maximum still match).

Both cases are one family: the load is uniform on ``[lo, hi]`` for a share ``w`` of the
hours and zero otherwise, with ``hi = p``, ``lo = max(2 - p, 0)``, ``w = min(1, 2 / p)``
(in units of the average). The share of demand above a capacity ``x`` (also in units of the
average) is then, in closed form::

    share(x) = 1 - w * x                              x <= lo
             = w * (hi - x) ** 2 / (2 * (hi - lo))    lo < x < hi
             = 0                                      x >= hi

It is continuous, falls from 1 (no capacity) to 0 (capacity at the peak), and is convex in
``x``, so adding capacity has diminishing returns: the last replicas shave only the top of
the peak. Compared with scaling the whole month down (``1 - x / p`` once ``x < p``), it
puts fewer tokens above a capacity just below the peak, which is what peaks of short
duration do.

A fleet's capacity in these units is ``serving_replicas * target_utilization`` busy
replicas (the load at which the fleet runs at its planned utilisation), divided by the
average busy replicas of the month.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def share_above(capacity_ratio: Any, peak_to_average: Any) -> np.ndarray:
    """Share of demand above a capacity, on a linear load-duration curve. [0-1]

    Parameters
    ----------
    capacity_ratio : numeric
        Capacity over the average load (both in busy replicas, or both in tokens/s). [-]
    peak_to_average : numeric
        Peak load over average load within the operating hours. [>= 1]

    Returns
    -------
    ndarray
        Share of the month's tokens that arrive while the load is above the capacity
        (broadcast of the inputs).

    Notes
    -----
    See the module docstring: ``hi = p``, ``lo = max(2 - p, 0)``, ``w = min(1, 2 / p)``
    and the share is ``1 - w x`` below ``lo``, ``w (hi - x)^2 / (2 (hi - lo))`` between
    ``lo`` and ``hi``, 0 above ``hi``.

    Examples
    --------
    Peak twice the average: load uniform between 0 and 2 x average. A capacity equal
    to the average leaves the top quarter of the triangle, ``(2 - 1)^2 / (2 * 2)``:

    >>> float(share_above(1.0, 2.0))
    0.25

    Flat load (peak = average): capacity at 80 % of it leaves 20 % unserved.

    >>> round(float(share_above(0.8, 1.0)), 12)
    0.2
    """
    x = np.asarray(capacity_ratio, dtype=float)
    p = np.asarray(peak_to_average, dtype=float)
    hi = p
    lo = np.maximum(2.0 - p, 0.0)
    w = np.minimum(1.0, 2.0 / p)
    span = hi - lo
    x = np.minimum(np.maximum(x, 0.0), hi)  # no capacity below 0 or above the peak matters
    middle = w * (hi - x) ** 2 / (2.0 * np.where(span > 0, span, 1.0))
    share = np.where(x <= lo, 1.0 - w * x, middle)
    return np.clip(share, 0.0, 1.0)


def unserved_share(capacity: Any, average: Any, peak_to_average: Any) -> np.ndarray:
    """Share of a month's demand above ``capacity`` when the average load is ``average``.

    Parameters
    ----------
    capacity : numeric
        Load the fleet serves at most, e.g. ``serving_replicas * target_utilization``.
        [busy replicas]
    average : numeric
        Average load over the operating hours. [busy replicas]
    peak_to_average : numeric
        Peak over average load. [>= 1]

    Returns
    -------
    ndarray
        Share of tokens not served (0 where there is no demand). [0-1]

    Examples
    --------
    >>> unserved_share(np.array([0.0, 1.0, 4.0]), 1.0, 2.0).tolist()
    [1.0, 0.25, 0.0]
    >>> unserved_share(1.0, 0.0, 3.0).tolist()
    0.0
    """
    avg = np.asarray(average, dtype=float)
    cap = np.asarray(capacity, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(avg > 0, cap / np.where(avg > 0, avg, 1.0), np.inf)
    return np.where(avg > 0, share_above(ratio, peak_to_average), 0.0)


__all__ = ["share_above", "unserved_share"]
