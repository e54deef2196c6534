"""Best switch month, best volume threshold and best overflow sizing.

Each search costs the strategy for every candidate against the same usage and keeps the
cheapest: undiscounted total over the horizon, or the NPV when a discount rate is given.
The results say how flat the optimum is (the candidates within ``tolerance`` of the best),
because a switch month that is cheapest by 0.1 % is not a plan, a range is.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tco.analysis.simulate import cost_path
from tco.core.costs import CapexView, CostContext, CostParts, Option, Window
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.hosting import SelfHosted
from tco.options.strategies import Overflow, Switch, SwitchOnVolume

TIE = 1e-9
"""Objectives within this share of each other count as equal."""


def _check(usage: Usage, discount_rate: float, tolerance: float) -> float:
    if not isinstance(usage, Usage):
        raise TypeError(f"usage: {type(usage).__name__} -> expected a tco.Usage")
    rate = float(discount_rate)
    if not np.isfinite(rate) or rate <= -1.0 or rate > 10.0:
        raise ValueError(f"discount_rate: {discount_rate!r} -> an annual rate in (-1, 10]")
    if not (0.0 <= tolerance < 1.0):
        raise ValueError(f"tolerance: {tolerance!r} -> a share in [0, 1), e.g. 0.01")
    return rate


def _totals(parts: CostParts | None, months: int, rate: float) -> tuple[float, float]:
    """Undiscounted total and NPV of one option's parts. [USD]"""
    if parts is None:
        return 0.0, 0.0
    shape = (months,)
    total = float(sum(np.sum(x) for x in parts.sums(shape)))
    npv = float(sum(np.sum(x) for x in cost_path(parts, shape, rate))) if rate else total
    return total, npv


def _near(values: np.ndarray, best: float, tolerance: float) -> np.ndarray:
    return values <= best + tolerance * abs(best) + TIE * (abs(best) + 1.0)


def _pick(objective: np.ndarray, prefer_last: bool = True) -> int:
    """Index of the minimum; among near-exact ties the last (or first)."""
    best = float(objective.min())
    ties = np.flatnonzero(objective <= best + TIE * (abs(best) + 1.0))
    return int(ties[-1] if prefer_last else ties[0])


def _ranges(values: list[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1-3, 7"``."""
    out: list[str] = []
    start = prev = None
    for v in [*sorted(values), None]:
        if v is not None and prev is not None and v == prev + 1:
            prev = v
            continue
        if start is not None:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = v
    return ", ".join(out)


def _html_table(title: str, df: pd.DataFrame) -> str:
    return f"<div><p><b>{html.escape(title)}</b></p>" + df.to_html(
        float_format=lambda x: f"{x:,.0f}"
    )


# --------------------------------------------------------------------------- switch month
@dataclass(frozen=True, repr=False)
class SwitchMonth:
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
            text += f". Switch months within {pct} of the best: {_ranges(list(self.near_best))}."
        return text

    def to_frame(self) -> pd.DataFrame:
        """The per-month table (index: switch month ``s``)."""
        return self.table.copy()

    def __repr__(self) -> str:
        rate = f", discount rate {self.discount_rate:.1%}" if self.discount_rate else ""
        return (
            f"SwitchMonth({self.first!r} -> {self.then!r}{rate})\n"
            f"  month: {self.month}  total: ${self.total_usd:,.0f}  NPV: ${self.npv_usd:,.0f}\n"
            f"  within {self.tolerance:.0%} of the best: {_ranges(list(self.near_best))}\n"
            f"  {self.headline()}"
        )

    def _repr_html_(self) -> str:
        return _html_table(self.headline(), self.table)

    def plot(self, ax: Any = None) -> Any:
        """Objective against the switch month, best month and near-best range marked
        (see :func:`tco.plot.switch_month`)."""
        from tco import plot

        return plot.switch_month(self, ax=ax)


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
    rate = _check(usage, discount_rate, 0.0)
    arrays = usage.arrays()
    h = usage.horizon

    def phase(option: Option, first_month: int, last_month: int) -> CostParts | None:
        if first_month > last_month:
            return None
        window = Window(first_month, last_month)
        return option.cost_parts(arrays, CostContext(window, capex, credit_residual))

    rows = []
    for s in range(h + 1):
        f_total, f_npv = _totals(phase(first, 1, s), h, rate)
        t_total, t_npv = _totals(phase(then, s + 1, h), h, rate)
        rows.append((s, f_total + t_total, f_npv + t_npv, f_total, t_total))
    return pd.DataFrame(
        rows, columns=["switch_month", "total_usd", "npv_usd", "first_usd", "then_usd"]
    ).set_index("switch_month")


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
    rate = _check(usage, discount_rate, tolerance)
    table = switch_table(first, then, usage, rate, capex=capex, credit_residual=credit_residual)
    objective = "npv_usd" if rate else "total_usd"
    values = table[objective].to_numpy()
    s = _pick(values)
    near = np.flatnonzero(_near(values, float(values[s]), tolerance))
    table["near_best"] = _near(values, float(values[s]), tolerance)
    return SwitchMonth(
        first=first.name,
        then=then.name,
        month=s,
        total_usd=float(table["total_usd"].iloc[s]),
        npv_usd=float(table["npv_usd"].iloc[s]),
        objective=objective,
        discount_rate=rate,
        table=table,
        near_best=tuple(int(i) for i in near),
        tolerance=tolerance,
        strategy=Switch(first, then, month=s),
    )


# --------------------------------------------------------------------------- volume
@dataclass(frozen=True, repr=False)
class SwitchVolume:
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

    def __repr__(self) -> str:
        return f"SwitchVolume({self.first!r} -> {self.then!r})\n  {self.headline()}"

    def _repr_html_(self) -> str:
        return _html_table(self.headline(), self.table)


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
    rate = _check(usage, discount_rate, 0.0)
    months = switch_table(first, then, usage, rate, capex=capex, credit_residual=credit_residual)
    tokens = usage.tokens
    h = usage.horizon
    rows = []
    running = -np.inf
    for i, v in enumerate(tokens):
        if v > running:
            rows.append((i, max(running, 0.0) if i else 0.0, float(v)))
            running = float(v)
    table = pd.DataFrame(
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
        + [
            {
                "switch_month": h,
                "threshold_above": float(tokens.max()) if h else 0.0,
                "threshold_tokens_per_month": np.inf,
                "total_usd": months.loc[h, "total_usd"],
                "npv_usd": months.loc[h, "npv_usd"],
            }
        ]
    )
    objective = "npv_usd" if rate else "total_usd"
    i = _pick(table[objective].to_numpy())
    row = table.iloc[i]
    s = int(row["switch_month"])
    never = s == h
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


# --------------------------------------------------------------------------- overflow
@dataclass(frozen=True, repr=False)
class OverflowChoice:
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

    def __repr__(self) -> str:
        return f"OverflowChoice\n  {self.headline()}"

    def _repr_html_(self) -> str:
        return _html_table(self.headline(), self.table)


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
    rate = _check(usage, discount_rate, 0.0)
    if points < 2:
        raise ValueError(f"points: {points!r} -> at least 2")
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
        parts = strategy.cost_parts(arrays, context)
        total, npv = _totals(parts, usage.horizon, rate)
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
    objective = "npv_usd" if rate else "total_usd"
    i = _pick(table[objective].to_numpy())
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


__all__ = [
    "OverflowChoice",
    "SwitchMonth",
    "SwitchVolume",
    "best_overflow",
    "best_switch_month",
    "best_switch_volume",
    "switch_table",
]
