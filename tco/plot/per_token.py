"""Cost per million tokens served, month by month, per option; break-even month marked."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tco.analysis.breakeven import BreakEven
from tco.analysis.money import as_currency
from tco.analysis.simulate import Simulation, simulate
from tco.core.ledger import break_even_time, never_reason
from tco.core.money import Currency, format_money
from tco.plot.format import (
    money_axis_label,
    money_formatter,
    month_axis,
    new_axes,
    null_formatter,
    option_colors,
    wrap,
)
from tco.plot.results import as_simulation, pick_options

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

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
    baseline: str | None = None,
    candidate: str | None = None,
    currency: CurrencyLike = None,
) -> Axes:
    """Cost per million tokens served, month by month, per option.

    With a baseline and a candidate (those of a break-even result, or named for a
    simulation) the break-even month is marked, and a caption under the chart says why
    the monthly curves cross before it: the candidate's one-time costs are paid up front
    and only the savings after the crossing pay them back.

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
    baseline, candidate : str, optional
        For a simulation: the pair whose break-even month to mark (give both).
    currency : str, optional
        Draw money in this currency (an ISO code of the catalog's ``fx.csv``, a row of it
        or a :class:`~tco.core.money.Currency`); default USD.

    Returns
    -------
    matplotlib Axes
        Lines have ``gid`` ``"per-mtok:<option>"``; the break-even month is the vertical
        line with ``gid == "break-even"`` and the caption the text with ``gid == "caption"``.
    """
    sim = as_simulation(result)
    pair = _pair(result, sim, baseline, candidate)
    if isinstance(result, BreakEven) and options is None:
        names = [result.baseline, result.candidate]
    else:
        names = pick_options(sim, options)
    cur = as_currency(currency)
    ax = new_axes(ax)
    curves, drawn = _draw_per_mtok(ax, sim, names, one_time=one_time, average=average, cur=cur)
    values = np.concatenate(drawn) if drawn else np.zeros(0)
    values = values[np.isfinite(values) & (values > 0)]
    if log is None:
        log = values.size > 0 and float(values.max()) > 30.0 * float(values.min())
    _per_mtok_axes(ax, sim.usage.horizon, log=log, currency=cur)
    if pair is not None and set(pair) <= set(curves):
        _mark_break_even(ax, result, sim, pair, curves, cur)
    handles, labels = ax.get_legend_handles_labels()
    if average:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], color="0.3", ls="--", lw=1.2))
        labels.append(f"dashed: average over {sim.usage.horizon} months, all costs")
    ax.legend(handles, labels, loc="best", fontsize="small", framealpha=0.9)
    ax.set_title(title or f"Cost per million tokens served\n({_view(sim, names, one_time)})")
    return ax


def _pair(
    result: BreakEven | Simulation, sim: Simulation, baseline: str | None, candidate: str | None
) -> tuple[str, str] | None:
    """The baseline and candidate whose break-even to mark, or None."""
    if (baseline is None) != (candidate is None):
        raise ValueError("baseline and candidate: give both to mark a break-even, or neither")
    if baseline is not None and candidate is not None:
        pick_options(sim, [baseline, candidate])
        return baseline, candidate
    if isinstance(result, BreakEven):
        return result.baseline, result.candidate
    return None


def _draw_per_mtok(
    ax: Axes, sim: Simulation, names: list[str], *, one_time: bool, average: bool, cur: Currency
) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    """A line per option (and its dashed average): the curves by option and every value
    drawn. [currency/MTok]"""
    colors = option_colors(sim.names)
    mtok = sim.unserved_tokens().rsub(sim.usage.tokens, axis=0) / 1e6  # served
    full = sim.cost_per_mtok()
    running = sim if sim.capex == "amortized" else _amortized(sim)
    curves: dict[str, np.ndarray] = {}
    drawn: list[np.ndarray] = []
    for name in names:
        if one_time:
            y = full[name].to_numpy(dtype=float)
        else:
            rec = running.ledgers[name].cost.arrays(sim.usage.horizon)[1]
            m = mtok[name].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(m > 0, rec / m, np.inf)
        y = cur.from_usd(np.where(np.isfinite(y), y, np.nan))
        label = wrap(name, 62)
        ax.plot(sim.usage.months, y, color=colors[name], lw=2, label=label, gid=f"per-mtok:{name}")
        curves[name] = y
        drawn.append(y)
        total_mtok = float(mtok[name].sum())
        if average and total_mtok > 0:
            avg = cur.from_usd(float(sim.total()[name]) / total_mtok)
            ax.axhline(avg, color=colors[name], ls="--", lw=1.2, gid=f"average:{name}")
            drawn.append(np.array([avg]))
    return curves, drawn


def _payback_time(
    result: BreakEven | Simulation, sim: Simulation, pair: tuple[str, str]
) -> tuple[float | None, str]:
    """Break-even time of the pair (the result's own, or from the simulation), or None and
    why not. [months]"""
    if isinstance(result, BreakEven) and (result.baseline, result.candidate) == pair:
        return result.months, result.reason or ""
    h = sim.usage.horizon
    discounted = sim.discount_rate != 0
    b, c = (sim.ledgers[n].timing(discounted) for n in pair)
    t_arr, diff = break_even_time(b, c, h)
    t = float(np.asarray(t_arr))
    return (None, never_reason(diff, h)) if math.isinf(t) else (t, "")


def _crossing(base: np.ndarray, cand: np.ndarray) -> int | None:
    """First month from which the candidate's curve stays at or below the baseline's."""
    below = np.nan_to_num(cand, nan=np.inf) <= np.nan_to_num(base, nan=np.inf)
    if not below[-1]:
        return None
    above = np.flatnonzero(~below)
    return 1 if above.size == 0 else int(above[-1]) + 2


def _mark_break_even(
    ax: Axes,
    result: BreakEven | Simulation,
    sim: Simulation,
    pair: tuple[str, str],
    curves: dict[str, np.ndarray],
    cur: Currency,
) -> None:
    """The break-even month as a vertical line, and the caption under the chart."""
    baseline, candidate = pair
    t, reason = _payback_time(result, sim, pair)
    month = None if t is None else max(1, math.ceil(t - 1e-12))
    if month is not None:
        payback = ", discounted payback" if sim.discount_rate else ""
        label = f"Break-even in month {month} (cumulative cost{payback})"
        ax.axvline(month, color="0.2", ls=":", lw=1.5, label=label, gid="break-even")
    cross = _crossing(curves[baseline], curves[candidate])
    if cross is not None and cross > 1:
        y = float(curves[candidate][cross - 1])
        label = f"Monthly costs cross (month {cross})"
        ax.plot([cross], [y], "o", color="0.2", mfc="white", ms=7, label=label, gid="crossing")
    upfront = sum(float(np.sum(v)) for v in sim.parts[candidate].upfront.values())
    words = (candidate, baseline, reason, sim.usage.horizon)
    ax.text(
        0.0,
        -0.16,
        wrap(_caption(words, cross, month, upfront, cur), _caption_width(ax)),
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize="small",
        color="0.25",
        gid="caption",
    )


def _caption_width(ax: Axes) -> int:
    """Characters of small text that fit across the figure. [characters]"""
    width = ax.get_figure(root=True).get_figwidth()  # type: ignore[union-attr]
    return max(40, int(width * 13))


def _caption(
    words: tuple[str, str, str, int],
    cross: int | None,
    month: int | None,
    upfront_usd: float,
    cur: Currency,
) -> str:
    """Why the monthly curves cross before the break-even month (or that they do not).

    ``words``: the candidate, the baseline, why there is no break-even, the horizon.
    """
    candidate, baseline, reason, horizon = words
    if month is None:
        return (
            f"{candidate} does not break even against {baseline} within {horizon} months: {reason}."
        )
    paid = f" ({format_money(cur.from_usd(upfront_usd), cur)})" if upfront_usd > 0 else ""
    if cross == 1 and month > 1:
        return (
            f"{candidate} costs less per month from the start, but breaks even against "
            f"{baseline} only in month {month}: its one-time costs{paid} are paid first and "
            "the monthly savings pay them back."
        )
    if cross is None or cross >= month:
        return f"{candidate} breaks even against {baseline} in month {month} (cumulative cost)."
    return (
        f"The monthly costs cross in month {cross}, the break-even comes in month {month}: "
        f"{candidate}'s one-time costs{paid} and its higher costs before month {cross} are "
        "paid first, and only the savings after the crossing pay them back."
    )


def _per_mtok_axes(ax: Axes, horizon: int, *, log: bool, currency: Currency) -> None:
    """Money axis (logarithmic, or from 0) and month axis."""
    if log:
        from matplotlib.ticker import LogLocator

        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 3.0, 5.0)))
    else:
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(money_formatter(currency))
    ax.yaxis.set_minor_formatter(null_formatter())
    ax.set_xlim(0.5, horizon + 0.5)
    month_axis(ax, horizon)
    ax.set_ylabel(money_axis_label("Cost [USD per million tokens]", currency))
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
