"""Adding cost parts up: timing totals, monthly cost, present value, totals and NPV."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from tco.core.parts import TIMINGS, CostParts

__all__ = [
    "Ledger",
    "Timed",
    "Total",
    "discount",
    "discount_factors",
    "monthly_rate",
    "timed",
]

Total = np.ndarray | None
"""The sum of one timing group's components; None when the group has none (all zeros)."""


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
