"""The ledger: the one place where cost parts are added up, discounted and compared.

An option's :class:`~tco.core.parts.CostParts` give each cost component by timing
(DESIGN.md): one-time costs at month starts, recurring costs over each month, credits at
month ends. This module turns them into

* timing totals (:func:`timed`), monthly and cumulative cost, totals over the horizon;
* present values: an annual rate ``r`` gives the monthly rate ``i = (1 + r) ** (1/12) - 1``;
  a one-time cost of month ``k`` is discounted to the month's start, ``(1 + i) ** -(k-1)``,
  recurring costs and credits to its end, ``(1 + i) ** -k`` (:func:`discount`);
* the break-even time ``t*`` of a candidate against a baseline and its tolerance
  (:func:`break_even_time`), and the words for why there is none (:func:`never_reason`).

Nothing outside this module discounts, sums months or computes a break-even tolerance.
Every function works over any leading batch axes (months last); a timing group with no
component is ``None`` (all zeros) and is skipped, which is exact, so a batch in which only
some groups vary keeps the others at shape ``(H,)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from tco.core.parts import TIMINGS, CostParts

__all__ = [
    "REL_TOL",
    "STEADY_REL_TOL",
    "Ledger",
    "Timed",
    "break_even_months",
    "break_even_time",
    "cumulative_at",
    "cumulative_into",
    "cumulative_path",
    "discount",
    "discount_factors",
    "monthly_rate",
    "never_reason",
    "spent_so_far",
    "steady_tolerance",
    "timed",
]

REL_TOL = 1e-9
"""Differences smaller than this share of the costs involved count as equal."""

STEADY_REL_TOL = 1e-12
"""Steady monthly costs this close (relative) count as equal (:func:`steady_tolerance`): well
above float noise, small enough to keep a volume threshold exact to ~1e-12."""

Total = np.ndarray | None
"""The sum of one timing group's components; None when the group has none (all zeros)."""


# --------------------------------------------------------------------------- discounting
def monthly_rate(annual_rate: Any) -> Any:
    """Monthly discount rate equivalent to an annual rate: ``(1 + r) ** (1/12) - 1``.

    Examples
    --------
    >>> round(float(monthly_rate(0.1268250301319698)), 6)
    0.01
    """
    return (1.0 + np.asarray(annual_rate, dtype=float)) ** (1.0 / 12.0) - 1.0


def discount_factors(annual_rate: Any, months: int) -> tuple[np.ndarray, np.ndarray]:
    """Present-value factors for month starts and month ends.

    Returns ``(start, end)``: ``start[k-1] = (1+i)**-(k-1)`` for one-time costs of month k,
    ``end[k-1] = (1+i)**-k`` for recurring costs and credits of month k.

    Examples
    --------
    >>> start, end = discount_factors(0.0, 2)
    >>> start.tolist(), end.tolist()
    ([1.0, 1.0], [1.0, 1.0])
    """
    i = np.asarray(monthly_rate(annual_rate))[..., None]
    k = np.arange(1, months + 1)
    return (1.0 + i) ** -(k - 1.0), (1.0 + i) ** -k.astype(float)


def discount(values: Any, timing: str, factors: tuple[np.ndarray, np.ndarray]) -> Any:
    """``values`` of one timing at present value, given :func:`discount_factors`. [USD]"""
    start, end = factors
    return values * (start if timing == "upfront" else end)


# --------------------------------------------------------------------------- totals
def _add(*terms: Total) -> Total:
    """Left-to-right sum of the terms given (None when none is)."""
    total: Total = None
    for t in terms:
        if t is not None:
            total = t if total is None else total + t
    return total


@dataclass(frozen=True)
class Timed:
    """Cost by timing, each ``None`` when no component has that timing. [USD per month]"""

    upfront: Total
    recurring: Total
    end: Total

    def groups(self) -> tuple[Total, Total, Total]:
        return self.upfront, self.recurring, self.end

    def arrays(self, months: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The three groups as arrays (zeros of shape (H,) for an absent group)."""
        a, b, c = (np.zeros(months) if g is None else g for g in self.groups())
        return a, b, c

    def monthly(self, months: int) -> np.ndarray:
        """Cost of each month, one-time costs and credits included, shape (..., H)."""
        total = _add(*self.groups())
        return np.zeros(months) if total is None else total

    def minus(self, other: Timed) -> Timed:
        """Group by group ``self - other`` (an absent group is zero)."""

        def sub(a: Total, b: Total) -> Total:
            if b is None:
                return a
            return -b if a is None else a - b

        up, rec, end = (sub(a, b) for a, b in zip(self.groups(), other.groups(), strict=True))
        return Timed(up, rec, end)

    def present_value(self, annual_rate: Any, months: int) -> Timed:
        """Discounted to the start (:func:`discount`); the same object at rate 0."""
        if np.all(np.asarray(annual_rate) == 0):
            return self
        factors = discount_factors(annual_rate, months)
        up, rec, end = (
            None if g is None else discount(g, t, factors)
            for g, t in zip(self.groups(), TIMINGS, strict=True)
        )
        return Timed(up, rec, end)


def timed(parts: CostParts) -> Timed:
    """Each timing group of ``parts`` added up, not broadcast: a group that no batch
    parameter reaches keeps shape (H,); a group without components is None."""
    totals = []
    for group in parts.groups():
        total: Total = None
        for values in group.values():
            total = np.asarray(values, dtype=float) if total is None else total + values
        totals.append(total)
    return Timed(*totals)


@dataclass(frozen=True, eq=False)
class Ledger:
    """One option's costs (or a batch of them) added up, undiscounted and at present value.

    Attributes
    ----------
    cost : Timed
        Undiscounted cost by timing. [USD per month]
    months : int
        Horizon H.
    rate : float or ndarray
        Annual discount rate (per draw in a batch). [-]

    Examples
    --------
    >>> from tco.core.parts import CostParts
    >>> parts = CostParts(upfront={"setup": np.array([100.0, 0.0])},
    ...                   recurring={"fees": np.array([10.0, 10.0])})
    >>> ledger = Ledger.of(parts, 2)
    >>> ledger.cumulative().tolist(), float(ledger.total())
    ([110.0, 120.0], 120.0)
    """

    cost: Timed
    months: int
    rate: Any = 0.0

    @classmethod
    def of(cls, parts: CostParts, months: int, rate: Any = 0.0) -> Ledger:
        return cls(timed(parts), months, rate)

    @cached_property
    def pv(self) -> Timed:
        """Cost by timing at present value (:meth:`Timed.present_value`)."""
        return self.cost.present_value(self.rate, self.months)

    def timing(self, discounted: bool = False) -> Timed:
        return self.pv if discounted else self.cost

    @cached_property
    def _monthly(self) -> np.ndarray:
        return self.cost.monthly(self.months)

    @cached_property
    def _monthly_pv(self) -> np.ndarray:
        return self._monthly if self.pv is self.cost else self.pv.monthly(self.months)

    def monthly(self, discounted: bool = False) -> np.ndarray:
        """Cost of each month, shape (..., H); shared, do not modify. [USD]"""
        return self._monthly_pv if discounted else self._monthly

    def cumulative(self, discounted: bool = False) -> np.ndarray:
        """Cumulative cost at each month's end, shape (..., H). [USD]"""
        return np.cumsum(self.monthly(discounted), axis=-1)

    def total(self, discounted: bool = False) -> np.ndarray:
        """Cost over the horizon (NPV when ``discounted``), shape (...). [USD]"""
        return self.monthly(discounted).sum(axis=-1)


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


# --------------------------------------------------------------------------- continuous time
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


# --------------------------------------------------------------------------- break-even
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
