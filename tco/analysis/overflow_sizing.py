"""The overflow sizing that minimises cost: how much peak a fleet should take."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.choice import objective_of, pick, totals
from tco.core.checks import check_capex, check_flag, check_rate, check_usage, check_whole
from tco.core.parts import CapexView, CostContext
from tco.core.result import Result, html_table
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.hosting import SelfHosted
from tco.options.overflow import Overflow

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["OverflowChoice", "best_overflow"]


@dataclass(frozen=True, repr=False)
class OverflowChoice(Result):
    """The overflow sizing that minimises cost (:func:`best_overflow`).

    Attributes
    ----------
    strategy : Overflow
        The best overflow strategy.
    sizing_peak_to_average : float or None
        Peak-to-average ratio the fleet is sized for (None: fixed fleet as given).
    api_share : float
        Share of all tokens sent to the API. [0-1]
    table : DataFrame
        One row per sizing tried: ``total_usd``, ``npv_usd``, ``api_share``, ``peak_replicas``.
    """

    strategy: Overflow
    sizing_peak_to_average: float | None
    total_usd: float
    npv_usd: float
    api_share: float
    objective: str
    table: pd.DataFrame

    def headline(self) -> str:
        size = (
            "as given"
            if self.sizing_peak_to_average is None
            else f"for a peak of {self.sizing_peak_to_average:.2f} x average"
        )
        return (
            f"{self.strategy.name}: fleet sized {size}, {self.api_share:.1%} of tokens to "
            f"{self.strategy.api.name}; total ${self.total_usd:,.0f}, NPV ${self.npv_usd:,.0f}."
        )

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def repr_lines(self) -> list[str]:
        return ["OverflowChoice", f"  {self.headline()}"]

    def html_tables(self) -> list[str]:
        return [html_table(self.table, "{:,.0f}")]


def _check_arguments(fleet: Any, api: Any, usage: Any, name: Any) -> None:
    """The arguments' types, each named when wrong."""
    if not isinstance(fleet, SelfHosted):
        raise TypeError(f"fleet: {type(fleet).__name__} -> expected a tco.SelfHosted")
    if not isinstance(api, VendorAPI):
        raise TypeError(f"api: {type(api).__name__} -> expected a tco.VendorAPI")
    check_usage(usage)
    if name is not None and not (isinstance(name, str) and name):
        raise TypeError(f"name: {name!r} -> a non-empty string, or None")


def best_overflow(
    fleet: SelfHosted,
    api: VendorAPI,
    usage: Usage,
    discount_rate: float = 0.0,
    *,
    points: int = 25,
    name: str | None = None,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> OverflowChoice:
    """Size the fleet of an :class:`~tco.Overflow` for the peak that minimises cost.

    The fleet is sized each month for a peak-to-average ratio ``q`` between 1 (the
    average load) and the usage's own peak (no overflow); load above its capacity goes to
    the API. ``points`` values of ``q`` are tried, evenly spaced. A fleet with
    ``fixed_replicas`` is used as given.

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(5e9, months=12, output_share=0.2, peak_to_average=3.0)
    >>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=8000, decode_tokens_per_s=800,
    ...                        procurement=tco.Rent(2.0))
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=0.5, output_usd_per_mtok=1.5)
    >>> choice = tco.best_overflow(fleet, api, usage)
    >>> 1.0 <= choice.sizing_peak_to_average < 3.0
    True
    """
    _check_arguments(fleet, api, usage, name)
    rate = check_rate(discount_rate)
    points = check_whole(points, "points", minimum=2, what="a number of sizings")
    check_capex(capex)
    check_flag(credit_residual, "credit_residual")
    peak = usage.peak_to_average
    sizes: list[float | None] = (
        [None] if fleet.fixed_replicas is not None else list(np.linspace(1.0, peak, points))
    )
    if peak == 1.0 and fleet.fixed_replicas is None:
        sizes = [1.0]
    arrays = usage.arrays()
    context = CostContext(capex=capex, credit_residual=credit_residual)
    rows, strategies = [], []
    tokens = float(usage.tokens.sum())
    for q in sizes:
        kwargs: dict[str, Any] = {} if name is None else {"name": name}
        strategy = Overflow(
            fleet, api, sizing_peak_to_average=None if q is None else float(q), **kwargs
        )
        with np.errstate(over="ignore", invalid="ignore"):  # checked by totals()
            parts = strategy.cost_parts(arrays, context)
        total, npv = totals(parts, usage.horizon, rate, strategy)
        replicas, share = strategy.overflow_share(arrays)
        api_tokens = float(np.sum(arrays.total * share))
        rows.append(
            {
                "sizing_peak_to_average": np.nan if q is None else float(q),
                "total_usd": total,
                "npv_usd": npv,
                "api_share": api_tokens / tokens if tokens else 0.0,
                "peak_replicas": float(np.max(replicas)),
            }
        )
        strategies.append(strategy)
    table = pd.DataFrame(rows)
    objective = objective_of(rate)
    i = pick(table[objective].to_numpy())
    row = table.iloc[i]
    size = sizes[i]
    return OverflowChoice(
        strategy=strategies[i],
        sizing_peak_to_average=None if size is None else float(size),
        total_usd=float(row["total_usd"]),
        npv_usd=float(row["npv_usd"]),
        api_share=float(row["api_share"]),
        objective=objective,
        table=table,
    )
