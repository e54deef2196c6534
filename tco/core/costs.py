"""What every option's cost model returns, when each cost falls, and discounting.

Timing follows DESIGN.md: one-time costs (setup, hardware bought) are paid at the
start of their month, recurring costs accrue evenly over their month, and credits
at the horizon (residual value) fall at the end of the last month. All arrays have
months on the last axis and may carry leading batch axes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from tco.core.usage import UsageArrays

CapexView = Literal["cash", "amortized"]


@dataclass(frozen=True)
class Window:
    """Months ``first..last`` (1-based, inclusive) in which an option serves the usage.

    A strategy such as ``Switch`` runs an option over part of the horizon only: its
    one-time costs fall at the start of ``first`` and its fleet is sized from then on.
    """

    first: int
    last: int

    def mask(self, months: int) -> np.ndarray:
        m = np.arange(1, months + 1)
        return (m >= self.first) & (m <= self.last)


@dataclass(frozen=True)
class CostContext:
    """How costs are counted: the serving window, the capex view and residual credit."""

    window: Window | None = None
    capex: CapexView = "cash"
    credit_residual: bool = False

    def mask(self, months: int) -> np.ndarray:
        if self.window is None:
            return np.ones(months, dtype=bool)
        return self.window.mask(months)

    def first_month(self) -> int:
        return 1 if self.window is None else self.window.first


@dataclass
class CostParts:
    """An option's costs per component, by timing, plus what it served. [USD per month]

    ``upfront`` is paid at the start of the month, ``recurring`` accrues evenly over it,
    ``end`` falls at the end of it (negative for credits). ``gpus`` is the GPU count per
    month (None for options without GPUs); ``unserved_tokens`` is demand the option
    could not serve.
    """

    upfront: dict[str, np.ndarray] = field(default_factory=dict)
    recurring: dict[str, np.ndarray] = field(default_factory=dict)
    end: dict[str, np.ndarray] = field(default_factory=dict)
    gpus: np.ndarray | None = None
    unserved_tokens: np.ndarray | None = None
    residual_usd: Any = 0.0

    def sums(self, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Total upfront, recurring and end-of-month cost arrays, broadcast to ``shape``."""
        out = []
        for group in (self.upfront, self.recurring, self.end):
            total = np.zeros(shape)
            for values in group.values():
                total = total + values
            out.append(total)
        return out[0], out[1], out[2]

    def components(self) -> dict[str, np.ndarray]:
        """All components by name (a name appears in one timing group only)."""
        return {**self.upfront, **self.recurring, **self.end}


class Option(BaseModel, ABC):
    """An alternative for serving a workload: a vendor API, a fleet, or a strategy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(min_length=1)]
    sources: tuple[str, ...] = ()
    """Where the option's figures come from (catalog rows: source and date)."""

    @abstractmethod
    def cost_parts(
        self, usage: UsageArrays, context: CostContext | None = None, **params: Any
    ) -> CostParts:
        """Costs of serving ``usage``; ``params`` override numeric fields (batch arrays)."""

    def core_params(self) -> dict[str, Any]:
        """Numeric fields the cost model reads, keyed by their path (for overrides)."""
        return {}


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


def price_trend(annual_decline: Any, months: int) -> np.ndarray:
    """Price multiplier per month: ``(1 - annual_decline) ** ((month - 1) / 12)``.

    Examples
    --------
    >>> price_trend(0.19, 13)[[0, 12]].round(6).tolist()
    [1.0, 0.81]
    """
    d = np.asarray(annual_decline, dtype=float)[..., None]
    return (1.0 - d) ** (np.arange(months) / 12.0)


def staff_usd(fte: Any, usd_per_year: Any) -> Any:
    """Monthly cost of ``fte`` full-time staff at ``usd_per_year`` loaded cost each. [USD]"""
    return np.asarray(fte, dtype=float) * np.asarray(usd_per_year, dtype=float) / 12.0


def one_time_at(amount: Any, month: int, months: int) -> np.ndarray:
    """An array that is ``amount`` in ``month`` (1-based) and zero elsewhere."""
    out = np.zeros(months)
    out[month - 1] = 1.0
    return np.asarray(amount, dtype=float)[..., None] * out
