"""What :func:`tco.recommend` returns, and the words for an option's kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tco.analysis.money import money_frame
from tco.analysis.routing import Routing
from tco.analysis.simulate import Simulation
from tco.core.option import Option
from tco.core.result import Result, html_table
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.hosting import SelfHosted
from tco.options.overflow import Overflow
from tco.options.procurement import Buy
from tco.options.routed import Routed
from tco.options.serverless import Serverless
from tco.options.switch import Switch, SwitchOnVolume

if TYPE_CHECKING:
    import pandas as pd

    from tco.pricing.currency import CurrencyLike
else:
    from tco.core.lazy import pandas as pd

__all__ = ["Recommendation", "kind_of", "with_horizon"]


def with_horizon(usage: Usage, horizon: int | None) -> Usage:
    """``usage`` over ``horizon`` months (curves extended or cut; data series cut only).

    Examples
    --------
    >>> u = Usage.constant(1e9, months=12, output_share=0.5)
    >>> with_horizon(u, 36).horizon
    36
    """
    if horizon is None:
        return usage
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or horizon < 1:
        raise ValueError(f"horizon: {horizon!r} -> a whole number of months >= 1")
    horizon = int(horizon)
    if horizon == usage.horizon:
        return usage
    curve = usage.curve.model_dump()
    if curve["kind"] == "series":
        if horizon > usage.horizon:
            raise ValueError(
                f"horizon: {horizon} -> the usage is a data series of {usage.horizon} months; "
                "give a horizon up to that, or a longer series"
            )
        curve["values"] = curve["values"][:horizon]
    curve["months"] = horizon
    return Usage.model_validate({**usage.model_dump(), "curve": curve})


def kind_of(option: Option) -> str:
    """A short label for an option's kind (``"api"``, ``"self-hosted (rent)"``, ...)."""
    if isinstance(option, VendorAPI):
        return "api"
    if isinstance(option, SelfHosted):
        return "self-hosted (buy)" if isinstance(option.procurement, Buy) else "self-hosted (rent)"
    return {
        Switch: "switch",
        SwitchOnVolume: "switch on volume",
        Overflow: "overflow",
        Routed: "routed",
        Serverless: "serverless",
    }.get(type(option), type(option).__name__)


@dataclass(frozen=True, repr=False)
class Recommendation(Result):
    """Ranked options and strategies for one workload (the result of :func:`recommend`).

    Attributes
    ----------
    best : str
        Name of the cheapest feasible option or strategy.
    table : DataFrame
        One row per feasible option, cheapest first: ``rank, kind, total_usd, npv_usd,
        usd_per_mtok, peak_gpus, savings_vs_api_usd, break_even_month, break_even``.
    excluded : DataFrame
        ``option, reason`` for options ruled out.
    drivers : DataFrame
        Inputs at which the answer flips (see :func:`find_drivers`).
    summary : str
        One paragraph in plain words.
    reference_api : str or None
        The cheapest feasible vendor API, against which break-even is measured.
    rival : str or None
        The option the drivers compare the winner with.
    options : dict
        Every option ranked, strategies included, by name.
    simulation : Simulation
        All of them costed month by month.
    routing : Routing or None
        The task-class routing, when classes were given.
    """

    best: str
    table: pd.DataFrame
    excluded: pd.DataFrame
    drivers: pd.DataFrame
    summary: str
    reference_api: str | None
    rival: str | None
    objective: str
    discount_rate: float
    horizon: int
    options: dict[str, Option] = field(compare=False)
    simulation: Simulation = field(compare=False)
    routing: Routing | None = field(default=None, compare=False)

    def to_frame(self, *, currency: CurrencyLike = None) -> pd.DataFrame:
        """The ranked table (its ``*_usd`` columns in ``currency`` when given)."""
        return money_frame(self.table.copy(), currency)

    def headline(self) -> str:
        return self.summary

    def repr_lines(self) -> list[str]:
        shown = self.table[["kind", "total_usd", "npv_usd", "break_even"]]
        text = shown.to_string(
            formatters={"total_usd": "${:,.0f}".format, "npv_usd": "${:,.0f}".format}
        )
        lines = [f"Recommendation ({self.horizon} months): {self.best}", text]
        if len(self.excluded):
            lines.append("excluded:")
            lines += [f"  {r.option}: {r.reason}" for r in self.excluded.itertuples()]
        lines.append("")
        lines.append(self.summary)
        return lines

    def html_tables(self) -> list[str]:
        out = [html_table(self.table)]
        if len(self.excluded):
            out.append("<p><b>Excluded</b></p>" + html_table(self.excluded, index=False))
        if len(self.drivers):
            out.append("<p><b>Drivers</b></p>" + html_table(self.drivers, index=False))
        return out
