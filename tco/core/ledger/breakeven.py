"""Break-even: the time ``t*`` from which the candidate's cumulative cost stays at or below
the baseline's, its tolerance, and the words for why there is none."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tco.core.ledger.totals import Timed

__all__ = [
    "REL_TOL",
    "STEADY_REL_TOL",
    "break_even_months",
    "break_even_time",
    "never_reason",
    "steady_tolerance",
    "tolerance",
]

REL_TOL = 1e-9
"""Differences smaller than this share of the costs involved count as equal."""

STEADY_REL_TOL = 1e-12
"""Steady monthly costs this close (relative) count as equal (:func:`steady_tolerance`): well
above float noise, small enough to keep a volume threshold exact to ~1e-12."""


def break_even_months(
    up: np.ndarray, rec: np.ndarray, end: np.ndarray, tol: Any = 0.0
) -> np.ndarray:
    """Break-even time from the candidate-minus-baseline cost differences. [months]

    Parameters
    ----------
    up, rec, end : ndarray, shape (..., H)
        Differences (candidate - baseline) of one-time costs at month starts, recurring
        costs over each month, and end-of-month credits. [USD]
    tol : numeric
        Differences up to ``tol`` count as zero. [USD]

    Returns
    -------
    ndarray, shape (...)
        ``t*`` in months: 0.0 when the candidate is never more expensive, ``inf`` when it
        is more expensive at the horizon.

    Notes
    -----
    With ``C`` the cumulative difference, month m starts at ``a = C[m-1] + up[m]`` and
    ends at ``b = a + rec[m]``. If ``b > 0`` the difference is positive just before m,
    so ``t* >= m``; else if ``a > 0`` it crosses zero inside month m at
    ``m - 1 + a / (a - b)`` (at most ``m``: a ``b`` within ``tol`` of zero counts as
    zero, so float noise never pushes ``t*`` past a month end). ``t*`` is the latest
    such time.

    Examples
    --------
    Candidate pays 1,000 up front and saves 300 a month: payback 3.33 months.

    >>> float(break_even_months(np.array([1000.0, 0, 0, 0, 0]), np.full(5, -300.0),
    ...                          np.zeros(5)).round(4))
    3.3333
    """
    cum_end = np.cumsum(up + rec + end, axis=-1)
    prev = np.concatenate([np.zeros_like(cum_end[..., :1]), cum_end[..., :-1]], axis=-1)
    a = prev + up
    b = a + rec
    tol = np.asarray(tol, dtype=float)
    # each month's candidate time lies in [m - 1, m], so the latest is the one of the last
    # month with a > tol or b > tol: evaluate the formula there only (fast for a batch)
    over = (a > tol[..., None]) | (b > tol[..., None])
    if over.shape != a.shape:  # tol has leading axes the paths lack
        a, b, cum_end = (np.broadcast_to(x, over.shape) for x in (a, b, cum_end))
    last = over.shape[-1] - 1 - np.argmax(over[..., ::-1], axis=-1)
    if over.ndim == 1:
        a_l, b_l = a[last], b[last]
    else:
        a_l = np.take_along_axis(a, last[..., None], axis=-1)[..., 0]
        b_l = np.take_along_axis(b, last[..., None], axis=-1)[..., 0]
    month = last + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = month - 1.0 + np.clip(a_l / (a_l - b_l), 0.0, 1.0)
    t_star = np.where(over.any(axis=-1), np.where(b_l > tol, month, inside), 0.0)
    return np.where(cum_end[..., -1] > tol, np.inf, t_star)


def tolerance(*costs: Timed) -> Any:
    """Differences below this count as zero: :data:`REL_TOL` times the sum of the absolute
    costs in play (an absent group adds exactly 0). [USD]"""
    paths = [g for t in costs for g in t.groups() if g is not None]
    if not paths:
        return 0.0
    return sum(np.abs(p).sum(axis=-1) for p in paths) * REL_TOL


def steady_tolerance(candidate: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """Differences of two steady monthly costs below this count as zero. [USD]"""
    return (np.abs(candidate) + np.abs(baseline)) * STEADY_REL_TOL


def break_even_time(baseline: Timed, candidate: Timed, months: int) -> tuple[np.ndarray, Timed]:
    """Break-even time ``t*`` of the candidate against the baseline, and the difference.

    Give both at present value for a discounted payback.

    Returns
    -------
    t : ndarray, shape (...)
        :func:`break_even_months` of the difference, with :func:`tolerance`. [months]
    difference : Timed
        Candidate minus baseline, by timing. [USD per month]
    """
    diff = candidate.minus(baseline)
    t = break_even_months(*diff.arrays(months), tol=tolerance(baseline, candidate))
    return t, diff


def never_reason(difference: Timed, months: int) -> str:
    """Words for why a candidate does not break even (1-D difference, as returned by
    :func:`break_even_time`)."""
    up, rec, end = difference.arrays(months)
    cum = float(np.sum(up + rec + end))
    if np.all(rec >= -REL_TOL * np.abs(rec).max()):
        return "candidate never cheaper per month"
    if rec[-1] >= 0:
        return "candidate not cheaper per month at the end of the horizon"
    more = cum / -rec[-1]
    return (
        f"horizon too short: would break even at month {months + math.ceil(more - 1e-9)} "
        f"if month-{months} costs continued"
    )
