"""What every option's cost model returns: cost components by timing, and the context.

Timing follows DESIGN.md: one-time costs (setup, hardware bought) are paid at the start of
their month (``upfront``), recurring costs accrue evenly over their month (``recurring``),
and credits at the horizon (residual value) fall at the end of the last month (``end``).
All arrays have months on the last axis and may carry leading batch axes. Adding the parts
up (monthly, cumulative, present value, break-even) is the ledger's job
(:mod:`tco.core.ledger`), nobody else's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

__all__ = ["TIMINGS", "CapexView", "CostContext", "CostParts", "Window"]

CapexView = Literal["cash", "amortized"]

TIMINGS = ("upfront", "recurring", "end")
"""The three timings of a cost component, in the order the ledger adds them."""


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

    def within(self, values: Any) -> Any:
        """``values`` zeroed outside the window (as they are without one: no copy)."""
        if self.window is None:
            return values
        return values * self.window.mask(np.shape(values)[-1])

    def first_month(self) -> int:
        return 1 if self.window is None else self.window.first

    def bounds(self, months: int) -> tuple[int, int]:
        """First and last month of the window (the whole horizon without one)."""
        if self.window is None:
            return 1, months
        return self.window.first, self.window.last


@dataclass
class CostParts:
    """An option's costs per component, by timing, plus what it served. [USD per month]

    ``upfront`` is paid at the start of the month, ``recurring`` accrues evenly over it,
    ``end`` falls at the end of it (negative for credits). ``gpus`` is the GPU count per
    month (None for options without GPUs); ``unserved_tokens`` is demand the option
    could not serve. A reserved rental term adds ``committed_gpus`` (GPUs billed under a
    commitment each month, used or not) and ``terms``, the first and last month of each term.
    """

    upfront: dict[str, np.ndarray] = field(default_factory=dict)
    recurring: dict[str, np.ndarray] = field(default_factory=dict)
    end: dict[str, np.ndarray] = field(default_factory=dict)
    gpus: np.ndarray | None = None
    unserved_tokens: np.ndarray | None = None
    residual_usd: Any = 0.0
    committed_gpus: np.ndarray | None = None
    terms: tuple[tuple[int, int], ...] = ()

    def groups(self) -> tuple[dict[str, np.ndarray], ...]:
        """The three timing groups, in :data:`TIMINGS` order."""
        return self.upfront, self.recurring, self.end

    def components(self) -> dict[str, np.ndarray]:
        """All components by name (a name appears in one timing group only)."""
        return {**self.upfront, **self.recurring, **self.end}
