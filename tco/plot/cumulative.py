"""Cumulative cost of each option in continuous time, with the break-even point marked."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.breakeven import BreakEven
from tco.analysis.money import as_currency
from tco.analysis.simulate import Simulation
from tco.core.ledger import (
    Ledger,
    Timed,
    break_even_time,
    cumulative_at,
    cumulative_path,
    never_reason,
)
from tco.core.money import Currency, format_money
from tco.plot.format import (
    legend_below,
    money_axis_label,
    money_formatter,
    month_axis,
    new_axes,
    option_colors,
    plain,
    wrap,
)
from tco.plot.results import as_simulation, pick_options

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

__all__ = ["cumulative_cost"]


CostPath = tuple[np.ndarray, np.ndarray, np.ndarray]
"""One-time, recurring and end-of-month cost per month of one option. [currency]"""


def _path_arrays(sim: Simulation, name: str, discounted: bool, currency: Currency) -> CostPath:
    h = (sim.usage.horizon,)
    up, rec, end = sim.ledgers[name].timing(discounted).arrays(sim.usage.horizon)
    return tuple(currency.from_usd(np.broadcast_to(a, h)) for a in (up, rec, end))  # type: ignore[return-value]


def cumulative_cost(
    result: BreakEven | Simulation,
    ax: Axes | None = None,
    *,
    discounted: bool | None = None,
    baseline: str | None = None,
    candidate: str | None = None,
    options: Sequence[str] | None = None,
    title: str | None = None,
    currency: CurrencyLike = None,
) -> Axes:
    """Cumulative cost of each option over the horizon, with the break-even point marked.

    One-time costs show as jumps at month starts, so the lines cross exactly where the
    break-even time ``t*`` is (DESIGN.md). The break-even point is marked with a dot
    labelled with its month. When a baseline and a candidate are marked, an arrow at the
    horizon gives the savings of the cheapest option shown: against the baseline, or, when
    the baseline itself is the cheapest, against the candidate (two options) or the next
    cheapest option shown.

    Parameters
    ----------
    result : BreakEven or Simulation
        A break-even result (baseline and candidate come from it) or a simulation.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    discounted : bool, optional
        Plot present values. Default: True when the result has a discount rate (the
        break-even is then the discounted payback), else False.
    baseline, candidate : str, optional
        For a simulation: the two options whose break-even to mark.
    options : sequence of str, optional
        Options of a simulation to draw (default all).
    title : str, optional
        Axes title (a default names the horizon).
    currency : str, optional
        Draw money in this currency (an ISO code of the catalog's ``fx.csv`` such as
        ``"EUR"``, a row of it, or a :class:`~tco.core.money.Currency`); default USD.

    Returns
    -------
    matplotlib Axes
        The break-even marker is the line with ``gid == "break-even"``; the savings arrow
        the annotation with ``gid == "savings"``.
    """
    sim = as_simulation(result)
    names, baseline, candidate = _drawn_options(result, sim, baseline, candidate, options)
    if discounted is None:
        discounted = sim.discount_rate != 0
    cur = as_currency(currency)
    ax = new_axes(ax)
    colors = option_colors(sim.names)
    paths = {n: _path_arrays(sim, n, discounted, cur) for n in names}
    for name in names:
        t, usd = cumulative_path(*paths[name])
        ax.plot(t, usd, color=colors[name], lw=2, label=wrap(name, 62))
    marked = baseline is not None and candidate is not None
    if baseline is not None and candidate is not None:
        b, c = paths[baseline], paths[candidate]
        _mark_break_even(ax, *_break_even_time(result, b, c, discounted), c, sim.usage.horizon)
        totals = {n: _total(paths[n], sim.usage.horizon) for n in names}
        low, high = _savings_pair(totals, baseline, candidate)
        words = _savings_words(low, high, candidate, len(names))
        _mark_savings(ax, totals[low], totals[high], words, discounted, sim.usage.horizon, cur)
    _cumulative_axes(ax, sim, discounted, marked, cur)
    ax.set_title(title or _cumulative_title(sim, discounted, cur))
    handles, labels = ax.get_legend_handles_labels()
    legend_below(ax, handles, labels, y=-0.13, ncol=2 if len(labels) > 2 else len(labels))
    return ax


def _drawn_options(
    result: BreakEven | Simulation,
    sim: Simulation,
    baseline: str | None,
    candidate: str | None,
    options: Sequence[str] | None,
) -> tuple[list[str], str | None, str | None]:
    """Options to draw, and the baseline and candidate whose break-even to mark (or None)."""
    if isinstance(result, BreakEven):
        return [result.baseline, result.candidate], result.baseline, result.candidate
    names = pick_options(sim, options)
    for role, name in (("baseline", baseline), ("candidate", candidate)):
        if name is not None and name not in sim.names:
            raise KeyError(f"{role}: {name!r} not simulated; options are {sim.names}")
    if (baseline is None) != (candidate is None):
        raise ValueError("baseline and candidate: give both to mark a break-even, or neither")
    for name in (baseline, candidate):
        if name is not None and name not in names:
            names.append(name)
    return names, baseline, candidate


def _cumulative_axes(
    ax: Axes, sim: Simulation, discounted: bool, marked: bool, currency: Currency
) -> None:
    """Month and money axes; room on the right for the savings label when marked."""
    horizon = sim.usage.horizon
    ax.set_xlim(0, horizon * (1.1 if marked else 1.01))
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    month_axis(ax, horizon, label="Months from start", first=0)
    label = "Cumulative cost, present value [USD]" if discounted else "Cumulative cost [USD]"
    ax.set_ylabel(money_axis_label(label, currency))
    ax.yaxis.set_major_formatter(money_formatter(currency))
    ax.grid(True, alpha=0.3)


def _cumulative_title(sim: Simulation, discounted: bool, currency: Currency) -> str:
    what = f"present value, {currency.unit}" if discounted else currency.unit
    rate = f" at {sim.discount_rate:.0%} a year" if discounted else ""
    return f"Cumulative cost over {sim.usage.horizon} months ({what}{rate})"


def _break_even_time(
    result: BreakEven | Simulation, b: CostPath, c: CostPath, discounted: bool
) -> tuple[float | None, str | None]:
    """Break-even time ``t*`` of candidate ``c`` against baseline ``b``, or None and why.

    Taken from a break-even result drawn in its own view; for the other view of one, or a
    simulation, worked out from the drawn paths.
    """
    if isinstance(result, BreakEven) and discounted == (result.discount_rate != 0):
        return result.months, result.reason
    h = b[0].shape[-1]
    t_arr, diff = break_even_time(Timed(*b), Timed(*c), h)
    t = float(t_arr)
    return (None, never_reason(diff, h)) if math.isinf(t) else (t, None)


def _mark_break_even(
    ax: Axes, t_star: float | None, reason: str | None, c: CostPath, horizon: int
) -> None:
    """A dot on the candidate's line at ``t*``, or a legend entry saying why there is none."""
    if t_star is None:
        label = wrap(f"No break-even within {horizon} months: {reason}", 62)
        ax.plot([], [], ls="none", label=label, gid="no-break-even")
        return
    ax.axvline(t_star, color="0.4", ls=":", lw=1)
    when = (
        "Break-even from the start"
        if t_star == 0
        else f"Break-even in month {math.ceil(t_star - 1e-12)} (after {t_star:.1f} months)"
    )
    y = cumulative_at(c[0], c[1], t_star)
    style: dict[str, Any] = {"ms": 9, "color": "black", "mfc": "white", "mew": 2, "zorder": 5}
    ax.plot([t_star], [y], "o", **style, label=when, gid="break-even")


def _total(path: CostPath, horizon: int) -> float:
    """Cumulative cost at the horizon of one drawn path. [currency]"""
    return float(Ledger(Timed(*path), horizon).total())


def _savings_pair(totals: dict[str, float], baseline: str, candidate: str) -> tuple[str, str]:
    """The cheapest option shown at the horizon and the one its savings are against.

    Against the baseline; when the baseline is itself the cheapest, against the candidate
    (two options shown) or the next cheapest option shown.
    """
    ranked = sorted(totals, key=lambda n: totals[n])  # stable: drawn order breaks ties
    cheapest = ranked[0]
    if cheapest != baseline:
        return cheapest, baseline
    return cheapest, candidate if len(ranked) == 2 else ranked[1]


def _savings_words(low: str, high: str, candidate: str, shown: int) -> tuple[str, str, str]:
    """The arrow's word, and the legend's sentence before and after the amount."""
    if shown > 2:
        return "saves", f"{low}, the cheapest shown, saves ", f" against {high}"
    if low == candidate:
        return "saves", f"{candidate} saves ", ""
    return "costs", f"{candidate} costs ", " more"


def _mark_savings(
    ax: Axes,
    low_end: float,
    high_end: float,
    words: tuple[str, str, str],
    discounted: bool,
    horizon: int,
    currency: Currency,
) -> None:
    """An arrow between the two lines at the horizon, labelled, and its legend entry."""
    from matplotlib.lines import Line2D

    word, before, after = words
    amount = format_money(high_end - low_end, currency)
    arrow = {"arrowstyle": "<->", "color": "0.2", "lw": 1.2, "shrinkA": 0, "shrinkB": 0}
    ax.annotate(
        "", xy=(horizon, low_end), xytext=(horizon, high_end), arrowprops=arrow, gid="savings"
    )
    ax.text(
        horizon * 1.01,
        (low_end + high_end) / 2,
        plain(f"{word}\n{amount}" + (" more" if word == "costs" else "")),
        ha="left",
        va="center",
        fontsize="small",
        color="0.15",
        gid="savings-label",
    )
    pv = " (present value)" if discounted else ""
    text = f"{before}{amount}{after}{pv} over {horizon} months"
    ax.add_line(
        Line2D(
            [],
            [],
            ls="none",
            marker="$\\updownarrow$",
            ms=10,
            color="0.2",
            label=wrap(text, 62),
            gid="savings-legend",
        )
    )
