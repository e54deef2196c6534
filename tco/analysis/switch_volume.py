"""The monthly volume at which to switch from one option to another."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tco.analysis.choice import objective_of, pick
from tco.analysis.question import takes_question
from tco.analysis.switch_month import switch_table
from tco.core.checks import check_option, check_rate, check_usage
from tco.core.option import Option
from tco.core.parts import CapexView
from tco.core.result import Result, html_table
from tco.core.usage import Usage
from tco.options.switch import SwitchOnVolume

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["SwitchVolume", "best_switch_volume"]


@dataclass(frozen=True, repr=False)
class SwitchVolume(Result):
    """The monthly volume at which to move (:func:`best_switch_volume`).

    Attributes
    ----------
    threshold_tokens_per_month : float or None
        Volume to move at (the volume of the first month ``then`` serves); None when
        never moving is best. Any threshold in ``threshold_range`` gives the same plan.
        [tokens/month]
    threshold_range : tuple of float
        ``(above, up_to)``: thresholds ``> above`` and ``<= up_to`` move in the same month.
    month : int
        The switch month ``s`` it leads to for this usage.
    table : DataFrame
        One row per reachable switch month: its threshold, ``total_usd``, ``npv_usd``.
    strategy : SwitchOnVolume or None
    """

    first: str
    then: str
    threshold_tokens_per_month: float | None
    threshold_range: tuple[float, float]
    month: int
    total_usd: float
    npv_usd: float
    objective: str
    discount_rate: float
    table: pd.DataFrame
    strategy: SwitchOnVolume | None = field(compare=False)

    def headline(self) -> str:
        what = "NPV" if self.objective == "npv_usd" else "total"
        value = self.npv_usd if self.objective == "npv_usd" else self.total_usd
        if self.threshold_tokens_per_month is None:
            return f"Never move from {self.first} to {self.then}: {what} ${value:,.0f}."
        lo, hi = self.threshold_range
        return (
            f"Move from {self.first} to {self.then} once monthly volume reaches "
            f"{hi:.3g} tokens (any threshold above {lo:.3g} and up to {hi:.3g} moves in "
            f"month {self.month + 1} for this usage): {what} ${value:,.0f}."
        )

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def repr_lines(self) -> list[str]:
        return [f"SwitchVolume({self.first!r} -> {self.then!r})", f"  {self.headline()}"]

    def html_tables(self) -> list[str]:
        return [html_table(self.table, "{:,.0f}")]


@takes_question
def best_switch_volume(
    first: Option,
    then: Option,
    usage: Usage,
    discount_rate: float = 0.0,
    *,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> SwitchVolume:
    """The volume threshold for :class:`~tco.SwitchOnVolume` that minimises cost.

    A threshold ``T`` moves in the first month whose volume reaches ``T``; the months a
    threshold can lead to are those whose volume exceeds every earlier month's (plus never).
    Each is costed as in :func:`best_switch_month` and the cheapest is kept.

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.linear(1e8, 1.2e9, months=12, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=3.0)
    >>> flat = tco.VendorAPI("flat", input_usd_per_mtok=0.0, output_usd_per_mtok=0.0,
    ...                      fixed_usd_per_month=1000.0, setup_usd=5000.0)
    >>> best = tco.best_switch_volume(api, flat, usage)
    >>> best.month, best.threshold_tokens_per_month
    (3, 400000000.0)
    """
    check_option(first, "first")
    check_option(then, "then")
    check_usage(usage)
    rate = check_rate(discount_rate)
    months = switch_table(first, then, usage, rate, capex=capex, credit_residual=credit_residual)
    table = _threshold_table(usage.tokens, months)
    objective = objective_of(rate)
    i = pick(table[objective].to_numpy())
    row = table.iloc[i]
    s = int(row["switch_month"])
    never = s == usage.horizon
    threshold = None if never else float(row["threshold_tokens_per_month"])
    return SwitchVolume(
        first=first.name,
        then=then.name,
        threshold_tokens_per_month=threshold,
        threshold_range=(float(row["threshold_above"]), float(row["threshold_tokens_per_month"])),
        month=s,
        total_usd=float(row["total_usd"]),
        npv_usd=float(row["npv_usd"]),
        objective=objective,
        discount_rate=rate,
        table=table,
        strategy=None
        if threshold is None
        else SwitchOnVolume(first, then, threshold_tokens_per_month=threshold),
    )


def _threshold_table(tokens: np.ndarray, months: pd.DataFrame) -> pd.DataFrame:
    """One row per switch month a threshold can lead to (volumes above every earlier month's,
    plus never): the thresholds that lead there and the cost of switching then."""
    h = tokens.size
    rows = []
    running = -np.inf
    for i, v in enumerate(tokens):
        if v > running:
            rows.append((i, max(running, 0.0) if i else 0.0, float(v)))
            running = float(v)
    rows.append((h, float(tokens.max()) if h else 0.0, np.inf))
    return pd.DataFrame(
        [
            {
                "switch_month": s,
                "threshold_above": lo,
                "threshold_tokens_per_month": hi,
                "total_usd": months.loc[s, "total_usd"],
                "npv_usd": months.loc[s, "npv_usd"],
            }
            for s, lo, hi in rows
        ]
    )
