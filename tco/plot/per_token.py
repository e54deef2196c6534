"""Cost per million tokens served, month by month, per option."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tco.analysis.breakeven import BreakEven
from tco.analysis.simulate import Simulation, simulate
from tco.plot.format import month_axis, new_axes, null_formatter, option_colors, usd_formatter, wrap
from tco.plot.results import as_simulation, pick_options

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["cost_per_mtok"]


def cost_per_mtok(
    result: BreakEven | Simulation,
    ax: Axes | None = None,
    *,
    options: Sequence[str] | None = None,
    one_time: bool = False,
    average: bool = True,
    log: bool | None = None,
    title: str | None = None,
) -> Axes:
    """Cost per million tokens served, month by month, per option.

    Parameters
    ----------
    result : BreakEven or Simulation
    ax : matplotlib Axes, optional
    options : sequence of str, optional
        Options to draw (default all).
    one_time : bool
        Cash view: one-time costs (setup, GPUs bought) in the month they are paid
        (:meth:`Simulation.cost_per_mtok`). By default each month shows its running cost
        with bought GPUs depreciated straight-line over their useful life and one-time
        setup left out, so the trend is not hidden by a spike.
    average : bool
        Also draw each option's average over the horizon with every cost included
        (dashed): total cost over total tokens served.
    log : bool, optional
        Logarithmic y axis. Default: when the values span more than a factor of 30.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    sim = as_simulation(result)
    names = (
        [result.baseline, result.candidate]
        if isinstance(result, BreakEven) and options is None
        else pick_options(sim, options)
    )
    ax = new_axes(ax)
    drawn = _draw_per_mtok(ax, sim, names, one_time=one_time, average=average)
    values = np.concatenate(drawn) if drawn else np.zeros(0)
    values = values[np.isfinite(values) & (values > 0)]
    if log is None:
        log = values.size > 0 and float(values.max()) > 30.0 * float(values.min())
    _per_mtok_axes(ax, sim.usage.horizon, log=log)
    handles, labels = ax.get_legend_handles_labels()
    if average:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], color="0.3", ls="--", lw=1.2))
        labels.append(f"dashed: average over {sim.usage.horizon} months, all costs")
    ax.legend(handles, labels, loc="best", fontsize="small", framealpha=0.9)
    ax.set_title(title or f"Cost per million tokens served\n({_view(sim, names, one_time)})")
    return ax


def _draw_per_mtok(
    ax: Axes, sim: Simulation, names: list[str], *, one_time: bool, average: bool
) -> list[np.ndarray]:
    """A line per option (and its dashed average); the values drawn. [USD/MTok]"""
    colors = option_colors(sim.names)
    mtok = sim.unserved_tokens().rsub(sim.usage.tokens, axis=0) / 1e6  # served
    full = sim.cost_per_mtok()
    running = sim if sim.capex == "amortized" else _amortized(sim)
    drawn: list[np.ndarray] = []
    for name in names:
        if one_time:
            y = full[name].to_numpy(dtype=float)
        else:
            rec = running.ledgers[name].cost.arrays(sim.usage.horizon)[1]
            m = mtok[name].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(m > 0, rec / m, np.inf)
        y = np.where(np.isfinite(y), y, np.nan)
        label = wrap(name, 62)
        ax.plot(sim.usage.months, y, color=colors[name], lw=2, label=label, gid=f"per-mtok:{name}")
        drawn.append(y)
        total_mtok = float(mtok[name].sum())
        if average and total_mtok > 0:
            avg = float(sim.total()[name]) / total_mtok
            ax.axhline(avg, color=colors[name], ls="--", lw=1.2, gid=f"average:{name}")
            drawn.append(np.array([avg]))
    return drawn


def _per_mtok_axes(ax: Axes, horizon: int, *, log: bool) -> None:
    """Money axis (logarithmic, or from 0) and month axis."""
    if log:
        from matplotlib.ticker import LogLocator

        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 3.0, 5.0)))
    else:
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(usd_formatter())
    ax.yaxis.set_minor_formatter(null_formatter())
    ax.set_xlim(0.5, horizon + 0.5)
    month_axis(ax, horizon)
    ax.set_ylabel("Cost [USD per million tokens]")
    ax.grid(True, alpha=0.3)


def _view(sim: Simulation, names: list[str], one_time: bool) -> str:
    """What each month's value counts, for the title."""
    if one_time:
        return "cash paid each month, one-time costs included"
    if any(any(c.rsplit(".", 1)[-1] == "capex" for c in sim.parts[n].upfront) for n in names):
        return "running cost: GPUs bought depreciated, one-time setup left out"
    return "running cost; one-time setup left out"


def _amortized(sim: Simulation) -> Simulation:
    """The same options and usage in the accounting view (hardware depreciated)."""
    return simulate(list(sim.options), sim.usage, sim.discount_rate, capex="amortized")
