"""Monthly cost of one option as bars stacked by cost component, with its GPU count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

import tco.options.api  # option types declare their components' labels
import tco.options.hosting
import tco.options.serverless  # noqa: F401
from tco.analysis.breakeven import BreakEven
from tco.analysis.money import as_currency
from tco.analysis.simulate import Simulation
from tco.core.money import Currency, format_money
from tco.core.option import component_label
from tco.plot.format import (
    fixed_ticks,
    legend_below,
    money_axis_label,
    money_formatter,
    month_axis,
    new_axes,
    plain,
    wrap,
)
from tco.plot.results import as_simulation

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

__all__ = ["COMPONENT_LABELS", "component_label", "monthly_breakdown"]

COMPONENT_ORDER = (
    "api_input",
    "api_cache",
    "api_output",
    "fees",
    "gpu_rent",
    "capex",
    "depreciation",
    "power",
    "hosting",
    "maintenance",
    "staff",
    "setup",
    "residual_credit",
)
"""Stacking order of the cost components in a breakdown (others follow, by name)."""

COMPONENT_LABELS: dict[str, str] = {name: component_label(name) for name in COMPONENT_ORDER}
"""Legend labels of the components in stacking order (labels as each option declares them)."""

_COMPONENT_COLORS = {
    "api_input": "#4c78a8",
    "api_cache": "#9ecae9",
    "api_output": "#2f4b7c",
    "fees": "#bab0ac",
    "gpu_rent": "#f58518",
    "capex": "#b3541e",
    "depreciation": "#e6a04b",
    "power": "#e45756",
    "hosting": "#ff9d98",
    "maintenance": "#d6616b",
    "staff": "#54a24b",
    "setup": "#79706e",
    "residual_credit": "#72b7b2",
}


def _component_order(names: Sequence[str]) -> list[str]:
    known = list(COMPONENT_ORDER)

    def key(name: str) -> tuple[int, str]:
        base = name.rsplit(".", 1)[-1]
        return (known.index(base) if base in known else len(known), name)

    return sorted(names, key=key)


def monthly_breakdown(
    result: BreakEven | Simulation,
    option: str | None = None,
    ax: Axes | None = None,
    *,
    discounted: bool = False,
    gpus: bool = True,
    clip_one_time: bool = True,
    title: str | None = None,
    currency: CurrencyLike = None,
    ylim: tuple[float, float] | None = None,
    gpu_top: float | None = None,
) -> Axes:
    """Monthly cost of one option as bars stacked by component, with its GPU count.

    Parameters
    ----------
    result : BreakEven or Simulation
    option : str, optional
        Option to show. Default: the candidate of a break-even, else the first option of
        the simulation that runs GPUs, else the first option.
    ax : matplotlib Axes, optional
    discounted : bool
        Present values instead of the cash paid each month.
    gpus : bool
        Draw the GPU count per month as a step line on a second y axis (right). It is the
        line with ``gid == "gpus"`` on ``ax.figure.axes``.
    clip_one_time : bool
        When one-time costs (setup, GPUs bought) dwarf the monthly running cost, cut the
        y axis above the running costs and write each cut bar's total above it, so the
        running costs stay readable.
    title : str, optional
    currency : str, optional
        Draw money in this currency (an ISO code of the catalog's ``fx.csv``, a row of it
        or a :class:`~tco.core.money.Currency`); default USD.
    ylim : (float, float), optional
        Money axis limits to use (nothing cut): panels of several options share them
        (:func:`tco.plot.monthly_breakdowns`). [currency]
    gpu_top : float, optional
        Top of the GPU axis, for panels that share it. [GPUs]

    Returns
    -------
    matplotlib Axes
        The Axes holding the bars (the GPU axis is its twin).
    """
    sim = as_simulation(result)
    if option is None:
        option = _default_option(result, sim)
    cur = as_currency(currency)
    frame = sim.by_component(option, discounted=discounted, currency=cur)
    months = frame.index.to_numpy()
    parts = sim.parts[option]
    one_time = set(parts.upfront)
    ax = new_axes(ax)
    high, low = _stack_bars(ax, frame, one_time)
    running = high - _one_time_total(frame, one_time)
    lower, upper = ylim or _cut_limits(high, low, running, clip_one_time)
    ax.set_ylim(lower, upper)
    _write_cut_totals(ax, months, high, low, lower, upper, cur)
    ax.set_xlim(0.3, sim.usage.horizon + 0.7)
    month_axis(ax, sim.usage.horizon)
    label = "Cost per month, present value [USD]" if discounted else "Cost per month [USD]"
    ax.set_ylabel(money_axis_label(label, cur))
    ax.yaxis.set_major_formatter(money_formatter(cur))
    ax.grid(True, axis="y", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if gpus and parts.gpus is not None:
        count = np.asarray(parts.gpus, dtype=float)
        handles += _gpu_axis(ax, months, count, lower, upper, gpu_top)
        labels.append("GPUs (right axis)")
    legend_below(ax, handles, labels, y=-0.13, ncol=min(3, len(labels)))
    pv = ", present value" if discounted else ""
    ax.set_title(title or wrap(f"Monthly cost of {option} by component{pv}", 70))
    return ax


def _default_option(result: BreakEven | Simulation, sim: Simulation) -> str:
    """The candidate of a break-even, else the first option running GPUs, else the first."""
    if isinstance(result, BreakEven):
        return result.candidate
    with_gpus = [n for n in sim.names if sim.parts[n].gpus is not None]
    return (with_gpus or sim.names)[0]


def _stack_bars(ax: Axes, frame: pd.DataFrame, one_time: set[str]) -> tuple[np.ndarray, np.ndarray]:
    """Bars of each component stacked up from 0 (costs) and down from it (credits).

    Returns the tops of the positive stack and the bottoms of the negative one. [USD]
    """
    months = frame.index.to_numpy()
    stacks = (np.zeros(len(months)), np.zeros(len(months)))  # upwards, downwards
    for comp in [c for c in _component_order(list(frame.columns)) if np.any(frame[c].to_numpy())]:
        v = frame[comp].to_numpy(dtype=float)
        color = _COMPONENT_COLORS.get(comp.rsplit(".", 1)[-1])
        style: dict[str, Any] = (
            {"hatch": "//", "edgecolor": "white", "linewidth": 0} if comp in one_time else {}
        )
        label: str | None = plain(
            component_label(comp) + (" (one-time)" if comp in one_time else "")
        )
        for part, bottom in zip((np.clip(v, 0, None), np.clip(v, None, 0)), stacks, strict=True):
            if np.any(part):
                ax.bar(months, part, 0.8, bottom=bottom, color=color, label=label, **style)
                label = None  # one legend entry per component
            bottom += part
    return stacks


def _one_time_total(frame: pd.DataFrame, one_time: set[str]) -> np.ndarray:
    """One-time costs paid each month (credits left out). [USD]"""
    total = np.zeros(len(frame))
    for comp in one_time & set(frame.columns):
        total += np.clip(frame[comp].to_numpy(dtype=float), 0, None)
    return total


def _cut_limits(
    high: np.ndarray, low: np.ndarray, running: np.ndarray, clip_one_time: bool
) -> tuple[float, float]:
    """Y limits: just around the running cost when one-time costs or credits dwarf it."""
    top_running = float(running.max()) if len(running) else 0.0
    top = float(high.max()) if len(high) else 0.0
    bottom = float(low.min()) if len(low) else 0.0
    clip_top = clip_one_time and top_running > 0 and top > 3.0 * top_running
    clip_bottom = clip_one_time and top_running > 0 and bottom < -1.5 * top_running
    upper = 1.6 * top_running if clip_top else max(top * 1.08, 1.0)
    lower = -0.6 * top_running if clip_bottom else min(0.0, bottom * 1.08)
    return lower, upper


def _write_cut_totals(
    ax: Axes,
    months: np.ndarray,
    high: np.ndarray,
    low: np.ndarray,
    lower: float,
    upper: float,
    currency: Currency,
) -> None:
    """The total of each bar cut by the y limits, written at the edge it crosses."""
    style: dict[str, Any] = {
        "ha": "center",
        "rotation": 90,
        "fontsize": "x-small",
        "gid": "clipped",
        "bbox": {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
    }
    for m, top, bottom in zip(months, high, low, strict=True):
        if top > upper:
            ax.text(m, upper * 0.985, plain(f"{format_money(top, currency)} ↑"), va="top", **style)
        if bottom < lower:
            text = plain(f"{format_money(bottom, currency)} ↓")
            ax.text(m, lower * 0.985, text, va="bottom", **style)


def _gpu_axis(
    ax: Axes,
    months: np.ndarray,
    count: np.ndarray,
    lower: float,
    upper: float,
    top: float | None = None,
) -> list[Any]:
    """GPU count as a step line on a twin axis, 0 GPUs level with $0; its legend handles."""
    from matplotlib.ticker import MaxNLocator

    twin = ax.twinx()
    twin.step(months, count, where="mid", color="black", lw=1.8, label="GPUs", gid="gpus")
    g_top = max(1.0, float(count.max()) if top is None else top) * 1.25
    twin.set_ylim(g_top * lower / upper, g_top)
    twin.set_ylabel("GPUs [count]")
    fixed_ticks(twin.yaxis, MaxNLocator(integer=True).tick_values(0, g_top), g_top)
    handles, _ = twin.get_legend_handles_labels()
    return list(handles)


def stack_extent(
    result: BreakEven | Simulation, option: str, *, discounted: bool = False
) -> tuple[float, float, float]:
    """Lowest and highest point of an option's stacked bars, and its most GPUs.

    [USD, USD, GPUs]
    """
    sim = as_simulation(result)
    frame = sim.by_component(option, discounted=discounted)
    values = frame.to_numpy(dtype=float)
    high = np.clip(values, 0, None).sum(axis=1)
    low = np.clip(values, None, 0).sum(axis=1)
    gpus = sim.parts[option].gpus
    most = 0.0 if gpus is None else float(np.max(gpus))
    return float(low.min(initial=0.0)), float(high.max(initial=0.0)), most
