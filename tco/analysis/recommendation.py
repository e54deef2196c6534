"""What :func:`tco.recommend` returns, and the words for an option's kind."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.breakeven import break_even
from tco.analysis.drivers import Driver
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

__all__ = ["Recommendation", "drivers_frame", "kind_of", "ranking_table", "with_horizon"]


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


def _break_even_words(be: Any) -> tuple[str, float]:
    """The break-even against the reference in words, and its month (NaN if none)."""
    if be.months is None:
        return f"never: {be.reason}", np.nan
    if be.months == 0:
        return "from the start", 0.0
    return f"month {be.month} ({be.months:.1f} months)", float(math.ceil(be.months))


def ranking_table(
    candidates: list[Option],
    sim: Simulation,
    reference: VendorAPI | None,
    usage: Usage,
    rate: float,
    kw: dict[str, Any],
) -> pd.DataFrame:
    """The ranked table of :func:`~tco.recommend`: one row per candidate, cheapest first (by
    total, or NPV with a rate), with its break-even against the ``reference`` API."""
    totals, npvs = sim.total(), sim.npv()
    gpus = sim.gpus()
    tokens = float(usage.tokens.sum())
    objective = npvs if rate else totals
    rows = []
    for o in candidates:
        if reference is None or o is reference:
            when, month = ("reference" if o is reference else ""), np.nan
        else:
            when, month = _break_even_words(break_even(reference, o, usage, rate, **kw))
        rows.append(
            {
                "option": o.name,
                "kind": kind_of(o),
                "total_usd": float(totals[o.name]),
                "npv_usd": float(npvs[o.name]),
                "usd_per_mtok": float(totals[o.name]) / (tokens / 1e6) if tokens else np.inf,
                "peak_gpus": float(gpus[o.name].max()) if o.name in gpus else 0.0,
                "savings_vs_api_usd": (
                    np.nan
                    if reference is None
                    else float(objective[reference.name] - objective[o.name])
                ),
                "break_even_month": month,
                "break_even": when,
            }
        )
    table = (
        pd.DataFrame(rows)
        .sort_values("npv_usd" if rate else "total_usd", kind="stable")
        .set_index("option")
    )
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def drivers_frame(drivers: list[Driver]) -> pd.DataFrame:
    """The drivers of a recommendation as a table (its ``drivers``)."""
    return pd.DataFrame(
        [
            {
                "driver": d.driver,
                "unit": d.unit,
                "current": d.current,
                "flip": np.nan if d.flip is None else d.flip,
                "holds_while": d.holds_while,
                "finding": d.words,
            }
            for d in drivers
        ],
        columns=["driver", "unit", "current", "flip", "holds_while", "finding"],
    )
