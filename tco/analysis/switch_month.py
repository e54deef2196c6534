"""The best month to switch from one option to another, and how flat the optimum is.

Every switch month is costed against the same usage and the cheapest kept: undiscounted
total over the horizon, or the NPV when a discount rate is given. The result says how flat
the optimum is (the months within ``tolerance`` of the best), because a switch month that
is cheapest by 0.1 % is not a plan, a range is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.choice import near, objective_of, pick, ranges, totals
from tco.analysis.question import takes_question
from tco.core.checks import check_option, check_rate, check_share, check_usage
from tco.core.option import Option
from tco.core.parts import CapexView, CostContext, CostParts, Window
from tco.core.result import Result, html_table
from tco.core.usage import Usage
from tco.options.switch import Switch

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["SwitchMonth", "best_switch_month", "switch_table"]


@dataclass(frozen=True, repr=False)
class SwitchMonth(Result):
    """The month after which to move from ``first`` to ``then`` (:func:`best_switch_month`).

    Attributes
    ----------
    first, then : str
        Option names.
    month : int
        Best switch month ``s``: ``first`` serves months ``1..s``, ``then`` from ``s+1``
        (0: ``then`` from the start; ``H``: never switch).
    total_usd, npv_usd : float
        Undiscounted total and NPV at the best month. [USD]
    objective : str
        What was minimised: ``"total_usd"`` (no discount rate) or ``"npv_usd"``.
    table : DataFrame
        One row per ``s = 0..H``: ``total_usd``, ``npv_usd``, ``first_usd``, ``then_usd``
        (undiscounted cost of each phase) and ``near_best``.
    near_best : tuple of int
        Switch months whose objective is within ``tolerance`` of the best.
    tolerance : float
        Share of the best objective that counts as "as good". [-]
    strategy : Switch
        The switch at the best month, ready for :func:`~tco.simulate`.
    """

    first: str
    then: str
    month: int
    total_usd: float
    npv_usd: float
    objective: str
    discount_rate: float
    table: pd.DataFrame
    near_best: tuple[int, ...]
    tolerance: float
    strategy: Switch = field(compare=False)

    @property
    def horizon(self) -> int:
        return len(self.table) - 1

    @property
    def objective_usd(self) -> float:
        """The minimised value (total or NPV) at the best month. [USD]"""
        return float(self.table[self.objective].to_numpy()[self.month])

    @property
    def never_usd(self) -> float:
        """Objective when never switching (``s = H``). [USD]"""
        return float(self.table[self.objective].iloc[-1])

    @property
    def immediate_usd(self) -> float:
        """Objective when switching at the start (``s = 0``). [USD]"""
        return float(self.table[self.objective].iloc[0])

    @property
    def flat_range(self) -> tuple[int, int]:
        """Earliest and latest switch month within ``tolerance`` of the best."""
        return min(self.near_best), max(self.near_best)

    def headline(self) -> str:
        """The answer in words."""
        what = "NPV" if self.objective == "npv_usd" else "total"
        h = self.horizon
        if self.month == h:
            move = f"Never move from {self.first} to {self.then} within {h} months"
        elif self.month == 0:
            move = f"Use {self.then} from the start rather than {self.first}"
        else:
            move = (
                f"Move from {self.first} to {self.then} after month {self.month} "
                f"({self.then} from month {self.month + 1})"
            )
        text = f"{move}: {what} ${self.objective_usd:,.0f}"
        if self.month > 0:
            text += f", ${self.immediate_usd - self.objective_usd:,.0f} less than from the start"
        if self.month < h:
            text += f", ${self.never_usd - self.objective_usd:,.0f} less than never moving"
        lo, hi = self.flat_range
        pct = f"{self.tolerance:.0%}" if self.tolerance >= 0.01 else f"{self.tolerance:.1%}"
        if lo == hi:
            text += f". Only month {lo} is within {pct} of the best."
        else:
            text += f". Switch months within {pct} of the best: {ranges(list(self.near_best))}."
        return text

    def to_frame(self) -> pd.DataFrame:
        """The per-month table (index: switch month ``s``)."""
        return self.table.copy()

    def repr_lines(self) -> list[str]:
        rate = f", discount rate {self.discount_rate:.1%}" if self.discount_rate else ""
        return [
            f"SwitchMonth({self.first!r} -> {self.then!r}{rate})",
            f"  month: {self.month}  total: ${self.total_usd:,.0f}  NPV: ${self.npv_usd:,.0f}",
            f"  within {self.tolerance:.0%} of the best: {ranges(list(self.near_best))}",
            f"  {self.headline()}",
        ]

    def html_tables(self) -> list[str]:
        return [html_table(self.table, "{:,.0f}")]

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Objective against the switch month, best month and near-best range marked
        (see :func:`tco.plot.switch_month`)."""
        from tco import plot

        return plot.switch_month(self, ax=ax, **kwargs)


def switch_table(
    first: Option,
    then: Option,
    usage: Usage,
    discount_rate: float = 0.0,
    *,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> pd.DataFrame:
    """Cost of switching after each month ``s = 0..H``, phase by phase.

    Returns
    -------
    DataFrame
        Indexed by ``switch_month``: ``total_usd``, ``npv_usd``, ``first_usd``,
        ``then_usd``. [USD]
    """
    check_option(first, "first")
    check_option(then, "then")
    check_usage(usage)
    rate = check_rate(discount_rate)
    arrays = usage.arrays()
    h = usage.horizon

    def phase(option: Option, first_month: int, last_month: int) -> CostParts | None:
        if first_month > last_month:
            return None
        window = Window(first_month, last_month)
        return option.cost_parts(arrays, CostContext(window, capex, credit_residual))

    rows = []
    for s in range(h + 1):
        with np.errstate(over="ignore", invalid="ignore"):  # checked by totals()
            first_parts, then_parts = phase(first, 1, s), phase(then, s + 1, h)
        f_total, f_npv = totals(first_parts, h, rate, first)
        t_total, t_npv = totals(then_parts, h, rate, then)
        rows.append((s, f_total + t_total, f_npv + t_npv, f_total, t_total))
    return pd.DataFrame(
        rows, columns=["switch_month", "total_usd", "npv_usd", "first_usd", "then_usd"]
    ).set_index("switch_month")


@takes_question
def best_switch_month(
    first: Option,
    then: Option,
    usage: Usage,
    discount_rate: float = 0.0,
    *,
    tolerance: float = 0.01,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> SwitchMonth:
    """The switch month ``s`` that minimises cost over the horizon, and how flat it is.

    Every ``s = 0..H`` is costed (``first`` over months ``1..s``, ``then`` over
    ``s+1..H`` with its one-time costs at the start of ``s+1``, DESIGN.md); the best is
    the lowest total, or the lowest NPV with a discount rate. Among exact ties the later
    month wins (no move without a saving).

    Parameters
    ----------
    first, then : Option
        Before and after the switch (typically a vendor API, then a self-hosted fleet).
    usage : Usage
    discount_rate : float
        Annual rate; when not 0 the NPV is minimised. [-]
    tolerance : float
        Share of the best objective within which other months count as "as good". [-]
    capex, credit_residual
        As in :func:`~tco.simulate`.

    Returns
    -------
    SwitchMonth

    Examples
    --------
    API at $3/MTok; a fleet costing $1,000 a month plus $5,000 setup. Volume grows by
    1e8 tokens a month, so the API bill is $300 x month: the fleet is cheaper per month
    from month 4 on, and paying its setup is worth it for the 9 months after month 3.

    >>> import tco
    >>> usage = tco.Usage.linear(1e8, 1.2e9, months=12, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=3.0)
    >>> flat = tco.VendorAPI("flat", input_usd_per_mtok=0.0, output_usd_per_mtok=0.0,
    ...                      fixed_usd_per_month=1000.0, setup_usd=5000.0)
    >>> best = tco.best_switch_month(api, flat, usage)
    >>> best.month, best.total_usd
    (3, 15800.0)
    """
    check_option(first, "first")
    check_option(then, "then")
    check_usage(usage)
    rate = check_rate(discount_rate)
    tolerance = check_share(tolerance, "tolerance")
    table = switch_table(first, then, usage, rate, capex=capex, credit_residual=credit_residual)
    objective = objective_of(rate)
    values = table[objective].to_numpy()
    s = pick(values)
    close = near(values, float(values[s]), tolerance)
    table["near_best"] = close
    return SwitchMonth(
        first=first.name,
        then=then.name,
        month=s,
        total_usd=float(table["total_usd"].iloc[s]),
        npv_usd=float(table["npv_usd"].iloc[s]),
        objective=objective,
        discount_rate=rate,
        table=table,
        near_best=tuple(int(i) for i in np.flatnonzero(close)),
        tolerance=tolerance,
        strategy=Switch(first, then, month=s),
    )
