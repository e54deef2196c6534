"""simulate(): cost every option against one usage, month by month, with discounting.

Notes
-----
For option ``o`` with one-time costs ``U[m]``, recurring costs ``R[m]`` and end-of-month
credits ``E[m]`` in month ``m = 1..H``, the monthly cost is ``C[m] = U[m] + R[m] + E[m]``
and the cumulative cost at the end of month ``m`` is ``sum(C[1..m])``. With the monthly
rate ``i = (1 + r) ** (1/12) - 1`` of an annual rate ``r``, the present value is

    NPV = sum_m U[m] (1 + i) ** -(m - 1) + (R[m] + E[m]) (1 + i) ** -m

(one-time costs discounted to the start of their month, the rest to its end). The adding up
is :mod:`tco.core.ledger`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.guards import (
    check_ledger,
    warn_fleet,
    warn_prices,
    warn_total,
)
from tco.analysis.money import money_frame, money_series
from tco.analysis.question import takes_question
from tco.analysis.terms import TERM_COLUMNS, term_row
from tco.core.checks import check_capex, check_flag, check_options, check_rate, check_usage
from tco.core.ledger import Ledger, discount, discount_factors
from tco.core.option import Option
from tco.core.parts import TIMINGS, CapexView, CostContext, CostParts
from tco.core.result import Result, html_table
from tco.core.usage import Usage

if TYPE_CHECKING:
    import pandas as pd

    from tco.pricing.currency import CurrencyLike
else:
    from tco.core.lazy import pandas as pd

__all__ = ["Simulation", "simulate"]


@dataclass(frozen=True, repr=False)
class Simulation(Result):
    """Costs of several options against one usage (the result of :func:`simulate`).

    Tables are built from the underlying arrays on first use, so a simulation that is
    only used for a break-even answer never pays for pandas. Money tables are in US
    dollars; ``currency="EUR"`` (any code of the catalog's ``fx.csv``, a row of it, or a
    :class:`~tco.core.money.Currency`) converts them for display: ``*_usd`` columns are
    renamed (``total_eur``) and ``attrs["currency"]`` names the currency and its rate.

    Attributes
    ----------
    usage : Usage
    discount_rate : float
        Annual discount rate. [-]
    parts : dict
        The raw :class:`~tco.core.parts.CostParts` per option name.
    options : tuple of Option
    """

    usage: Usage
    discount_rate: float
    parts: dict[str, CostParts]
    options: tuple[Option, ...]
    capex: CapexView = "cash"
    credit_residual: bool = False

    @property
    def names(self) -> list[str]:
        return [o.name for o in self.options]

    @cached_property
    def ledgers(self) -> dict[str, Ledger]:
        """Each option's costs added up (:class:`~tco.core.ledger.Ledger`), by name."""
        h = self.usage.horizon
        return {n: Ledger.of(self.parts[n], h, self.discount_rate) for n in self.names}

    @cached_property
    def _factors(self) -> tuple[np.ndarray, np.ndarray]:
        return discount_factors(self.discount_rate, self.usage.horizon)

    @cached_property
    def _monthly_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Monthly cost and its present value, shape (options, months). [USD]"""
        h = (self.usage.horizon,)
        ledgers = [self.ledgers[n] for n in self.names]
        usd = [np.broadcast_to(lg.monthly(), h) for lg in ledgers]
        pv = [np.broadcast_to(lg.monthly(discounted=True), h) for lg in ledgers]
        return np.array(usd), np.array(pv)

    @cached_property
    def costs(self) -> pd.DataFrame:
        """Tidy table: ``option, month, component, timing, usd, usd_pv``. [USD]

        ``usd_pv`` is the present value at the discount rate: one-time costs discounted
        to the start of their month, recurring costs and credits to its end.
        """
        months = self.usage.months
        h = self.usage.horizon
        cols: dict[str, list[Any]] = {k: [] for k in ("option", "component", "timing")}
        usd, pv = [], []
        for name in self.names:
            for timing, group in zip(TIMINGS, self.parts[name].groups(), strict=True):
                for component, values in group.items():
                    v = np.broadcast_to(values, (h,))
                    usd.append(v)
                    pv.append(discount(v, timing, self._factors))
                    cols["option"].append(name)
                    cols["component"].append(component)
                    cols["timing"].append(timing)
        n = len(usd)
        return pd.DataFrame(
            {
                "option": np.repeat(cols["option"], h),
                "month": np.tile(months, n),
                "component": np.repeat(cols["component"], h),
                "timing": np.repeat(cols["timing"], h),
                "usd": np.concatenate(usd) if usd else np.zeros(0),
                "usd_pv": np.concatenate(pv) if pv else np.zeros(0),
            }
        )

    def _frame(self, values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            values.T,
            index=pd.Index(self.usage.months, name="month"),
            columns=pd.Index(self.names, name="option"),
        )

    def monthly(self, discounted: bool = False, *, currency: CurrencyLike = None) -> pd.DataFrame:
        """Cost per month (one-time costs included), month x option. [USD, or ``currency``]"""
        usd, pv = self._monthly_arrays
        return money_frame(self._frame(pv if discounted else usd), currency, rename=False)

    def cumulative(
        self, discounted: bool = False, *, currency: CurrencyLike = None
    ) -> pd.DataFrame:
        """Cumulative cost at the end of each month, month x option. [USD, or ``currency``]"""
        h = (self.usage.horizon,)
        paths = [np.broadcast_to(self.ledgers[n].cumulative(discounted), h) for n in self.names]
        return money_frame(self._frame(np.array(paths)), currency, rename=False)

    def total_array(self, discounted: bool = False) -> np.ndarray:
        """Cost over the horizon per option, in option order (no pandas). [USD]"""
        return np.array([float(self.ledgers[n].total(discounted)) for n in self.names])

    def by_component(
        self, option: str, discounted: bool = False, *, currency: CurrencyLike = None
    ) -> pd.DataFrame:
        """Cost per month of one option split by component, month x component.

        [USD, or ``currency``]
        """
        if option not in self.names:
            raise KeyError(f"option {option!r} not simulated; options are {self.names}")
        h = self.usage.horizon
        data: dict[str, np.ndarray] = {}
        for timing, group in zip(TIMINGS, self.parts[option].groups(), strict=True):
            for component, values in group.items():
                v = np.broadcast_to(values, (h,))
                if discounted:
                    v = discount(v, timing, self._factors)
                data[component] = data.get(component, 0.0) + v
        frame = pd.DataFrame(data, index=pd.Index(self.usage.months, name="month"))
        return money_frame(frame.rename_axis(columns="component"), currency, rename=False)

    def npv(self, *, currency: CurrencyLike = None) -> pd.Series:
        """Present value of all costs over the horizon, by option. [USD, or ``currency``]"""
        npv = pd.Series(self.total_array(True), index=self.names, name="npv_usd")
        return money_series(npv, currency)

    def total(self, *, currency: CurrencyLike = None) -> pd.Series:
        """Undiscounted cost over the horizon, by option. [USD, or ``currency``]"""
        total = pd.Series(self.total_array(), index=self.names, name="total_usd")
        return money_series(total, currency)

    def gpus(self) -> pd.DataFrame:
        """GPUs per month of each option that runs GPUs, month x option. [GPUs]"""
        data = {n: p.gpus for n, p in self.parts.items() if p.gpus is not None}
        return pd.DataFrame(data, index=pd.Index(self.usage.months, name="month")).rename_axis(
            columns="option"
        )

    def peak_gpus(self, option: str) -> float:
        """Most GPUs ``option`` runs in any month (0 for an option without GPUs). [GPUs]"""
        gpus = self.parts[option].gpus
        return 0.0 if gpus is None else float(np.max(gpus))

    def commitments(self) -> pd.DataFrame:
        """Reserved terms of each option: one row per term, where it starts and ends.

        Returns
        -------
        DataFrame
            ``option, start_month, end_month, committed_gpus`` (at the term's start),
            ``upfront_usd``, ``reserved_usd`` and ``on_demand_usd`` (paid over the term) and
            ``idle_gpu_months`` (committed GPUs the fleet did not need, summed over the term).
            No rows for options without a reserved term.
        """
        rows = [
            {"option": name, **term_row(part, start, end)}
            for name, part in self.parts.items()
            for start, end in part.terms
        ]
        return pd.DataFrame(rows, columns=["option", *TERM_COLUMNS])

    def unserved_tokens(self) -> pd.DataFrame:
        """Demand each option could not serve, month x option. [tokens]"""
        months = self.usage.horizon
        data = {
            n: np.zeros(months) if p.unserved_tokens is None else p.unserved_tokens
            for n, p in self.parts.items()
        }
        return pd.DataFrame(data, index=pd.Index(self.usage.months, name="month")).rename_axis(
            columns="option"
        )

    def cost_per_mtok(self, *, currency: CurrencyLike = None) -> pd.DataFrame:
        """Cost per million tokens served, month x option (NaN-free: inf if none served).

        One-time costs are included in the month they fall. [USD (or ``currency``) per
        million tokens]
        """
        served = self.usage.tokens[:, None] - self.unserved_tokens().to_numpy()
        monthly = self.monthly().to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            per = np.where(served > 0, monthly / (served / 1e6), np.inf)
        frame = pd.DataFrame(per, index=self.monthly().index, columns=self.monthly().columns)
        return money_frame(frame, currency, rename=False)

    def residual_value(self, *, currency: CurrencyLike = None) -> pd.Series:
        """Book value of owned hardware at the horizon, by option (0 if none).

        [USD, or ``currency``]
        """
        residual = pd.Series(
            {n: float(np.sum(p.residual_usd)) for n, p in self.parts.items()},
            name="residual_usd",
        )
        return money_series(residual, currency)

    def summary(self, *, currency: CurrencyLike = None) -> pd.DataFrame:
        """One row per option: total, NPV, residual value, peak GPUs, unserved tokens.

        Money columns are ``total_usd``, ``npv_usd`` and ``residual_usd``; with
        ``currency="EUR"`` they are ``total_eur``, ``npv_eur`` and ``residual_eur``.

        Examples
        --------
        >>> import tco
        >>> from tco.core.money import Currency
        >>> usage = tco.Usage.constant(1e9, months=2, output_share=0.25)
        >>> api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0)
        >>> table = tco.simulate([api], usage).summary(currency=Currency("EUR", 1.25))
        >>> table.loc["api", ["total_eur", "npv_eur"]].tolist()  # $3,500 at $1.25 per euro
        [2800.0, 2800.0]
        """
        frame = pd.DataFrame(
            {
                "total_usd": self.total(),
                "npv_usd": self.npv(),
                "residual_usd": self.residual_value(),
                "peak_gpus": pd.Series({n: self.peak_gpus(n) for n in self.names}),
                "unserved_tokens": self.unserved_tokens().sum(),
            }
        ).rename_axis("option")
        return money_frame(frame, currency)

    def headline(self) -> str:
        return (
            f"Simulation: {len(self.names)} options, {self.usage.horizon} months, "
            f"discount rate {self.discount_rate:.1%}, capex {self.capex}"
        )

    def to_frame(self, *, currency: CurrencyLike = None) -> pd.DataFrame:
        """The per-option summary (:meth:`summary`)."""
        return self.summary(currency=currency)

    def repr_lines(self) -> list[str]:
        lines = [self.headline()]
        summary = self.summary()
        for name, row in summary.iterrows():
            lines.append(
                f"  {name}: total ${row.total_usd:,.0f}, NPV ${row.npv_usd:,.0f}, "
                f"peak GPUs {row.peak_gpus:g}"
            )
        return lines

    def html_tables(self) -> list[str]:
        return [html_table(self.summary(), "{:,.0f}")]


@takes_question(as_options=True)
def simulate(
    options: Sequence[Option] | Option,
    usage: Usage,
    discount_rate: float = 0.0,
    *,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> Simulation:
    """Cost every option against ``usage`` month by month.

    Parameters
    ----------
    options : sequence of Option
        Vendor APIs, self-hosted fleets or strategies; names must be unique. Or a
        :class:`~tco.Question`: its baseline and candidate, usage and settings.
    usage : Usage
        Monthly token volumes.
    discount_rate : float
        Annual discount rate for present values (``usd_pv``, :meth:`Simulation.npv`). [-]
    capex : {"cash", "amortized"}
        Cash view (hardware cost when paid) or accounting view (straight-line
        depreciation over the useful life).
    credit_residual : bool
        Credit the book value of owned hardware at the end of the horizon (cash view).

    Returns
    -------
    Simulation

    Raises
    ------
    FloatingPointError
        A cost (a component, the cumulative cost or its present value) is not finite; the
        message names the option and its most extreme input.

    Warns
    -----
    PlausibilityWarning
        A fleet needs more than 100,000 GPUs in a month, or a per-token price is more than
        100 x the highest in the bundled catalog (:mod:`tco.core.plausible`).

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(1e9, months=3, output_share=0.25)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0)
    >>> tco.simulate([api], usage).cumulative()["api"].tolist()
    [1750.0, 3500.0, 5250.0]
    """
    check_usage(usage)
    check_capex(capex)
    check_flag(credit_residual, "credit_residual")
    rate = check_rate(discount_rate)
    opts = check_options(options)
    arrays = usage.arrays()
    context = CostContext(capex=capex, credit_residual=credit_residual)
    parts: dict[str, CostParts] = {}
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked: an error below
        for opt in opts:
            parts[opt.name] = opt.cost_parts(arrays, context)
        sim = Simulation(
            usage=usage,
            discount_rate=rate,
            parts=parts,
            options=tuple(opts),
            capex=capex,
            credit_residual=credit_residual,
        )
        for opt in opts:
            check_ledger(opt, sim.ledgers[opt.name], parts[opt.name], usage)
    for opt in opts:
        warn_prices(opt)
        warn_fleet(opt.name, parts[opt.name].gpus)
        warn_total(opt, float(sim.ledgers[opt.name].total()), usage)
    return sim
