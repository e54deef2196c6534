"""Cumulative cost of each option in continuous time, with the break-even point marked."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tco.analysis.breakeven import REL_TOL, BreakEven, break_even_months, never_reason
from tco.analysis.simulate import Simulation, cost_path
from tco.plot.format import (
    format_usd,
    month_axis,
    new_axes,
    option_colors,
    plain,
    usd_formatter,
    wrap,
)
from tco.plot.results import as_simulation, pick_options

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["cumulative_at", "cumulative_cost", "cumulative_path"]


def _path_arrays(
    sim: Simulation, name: str, discounted: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rate = sim.discount_rate if discounted else 0.0
    up, rec, end = cost_path(sim.parts[name], (sim.usage.horizon,), rate)
    return np.asarray(up, float), np.asarray(rec, float), np.asarray(end, float)


def cumulative_path(
    up: np.ndarray, rec: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of cumulative cost in continuous time, one-time jumps included.

    Month ``m`` runs from ``t = m - 1`` to ``t = m``: its one-time cost is a jump at its
    start, its recurring cost a straight line over it, its end-of-month credit a jump at
    its end (DESIGN.md).

    Parameters
    ----------
    up, rec, end : ndarray, shape (H,)
        One-time, recurring and end-of-month cost per month. [USD]

    Returns
    -------
    t, usd : ndarray
        Time of each vertex [months] and cumulative cost there [USD].

    Examples
    --------
    >>> t, usd = cumulative_path(np.array([100.0, 0]), np.array([10.0, 10]), np.zeros(2))
    >>> t.tolist(), usd.tolist()
    ([0.0, 0.0, 1.0, 1.0, 2.0], [0.0, 100.0, 110.0, 110.0, 120.0])
    """
    ts: list[float] = [0.0]
    ys: list[float] = [0.0]
    c = 0.0
    for m, (u, r, e) in enumerate(zip(up, rec, end, strict=True), start=1):
        ts += [m - 1.0, float(m)]
        ys += [c + u, c + u + r]
        c += u + r
        if e:
            c += e
            ts.append(float(m))
            ys.append(c)
    return np.array(ts), np.array(ys)


def cumulative_at(up: np.ndarray, rec: np.ndarray, t: float) -> float:
    """Cumulative cost at time ``t``: within a month, after its one-time cost. [USD]

    ``t = 0`` gives the first month's one-time cost; a whole ``t = m`` gives the cost at
    the end of month ``m`` (before any end-of-horizon credit).

    Examples
    --------
    >>> cumulative_at(np.array([100.0, 0]), np.array([10.0, 10]), 1.5)
    115.0
    """
    m = max(1, math.ceil(t))
    before = float(np.sum(up[: m - 1] + rec[: m - 1]))
    return before + float(up[m - 1]) + float(rec[m - 1]) * (t - (m - 1))


def cumulative_cost(
    result: BreakEven | Simulation,
    ax: Axes | None = None,
    *,
    discounted: bool | None = None,
    baseline: str | None = None,
    candidate: str | None = None,
    options: Sequence[str] | None = None,
    title: str | None = None,
) -> Axes:
    """Cumulative cost of each option over the horizon, with the break-even point marked.

    One-time costs show as jumps at month starts, so the lines cross exactly where the
    break-even time ``t*`` is (DESIGN.md). The break-even point is marked with a dot
    labelled with its month, and the savings at the horizon with an arrow between the
    two lines.

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

    Returns
    -------
    matplotlib Axes
        The break-even marker is the line with ``gid == "break-even"``; the savings arrow
        the annotation with ``gid == "savings"``.
    """
    sim = as_simulation(result)
    if isinstance(result, BreakEven):
        baseline, candidate = result.baseline, result.candidate
        names = [baseline, candidate]
    else:
        names = pick_options(sim, options)
        for role, name in (("baseline", baseline), ("candidate", candidate)):
            if name is not None and name not in sim.names:
                raise KeyError(f"{role}: {name!r} not simulated; options are {sim.names}")
        if (baseline is None) != (candidate is None):
            raise ValueError("baseline and candidate: give both to mark a break-even, or neither")
        for name in (baseline, candidate):
            if name is not None and name not in names:
                names.append(name)
    if discounted is None:
        discounted = sim.discount_rate != 0
    horizon = sim.usage.horizon
    ax = new_axes(ax)
    colors = option_colors(sim.names)
    paths = {n: _path_arrays(sim, n, discounted) for n in names}
    for name in names:
        t, usd = cumulative_path(*paths[name])
        ax.plot(t, usd, color=colors[name], lw=2, label=wrap(name, 62))

    if baseline is not None and candidate is not None:
        _mark_break_even(ax, result, sim, paths, baseline, candidate, discounted)

    marked = baseline is not None and candidate is not None
    ax.set_xlim(0, horizon * (1.1 if marked else 1.01))
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    month_axis(ax, horizon, label="Months from start", first=0)
    what = "present value" if discounted else "USD"
    ax.set_ylabel("Cumulative cost, present value [USD]" if discounted else "Cumulative cost [USD]")
    ax.yaxis.set_major_formatter(usd_formatter())
    ax.grid(True, alpha=0.3)
    rate = f" at {sim.discount_rate:.0%} a year" if discounted else ""
    ax.set_title(title or f"Cumulative cost over {horizon} months ({what}{rate})")
    ax.legend(loc="best", fontsize="small", framealpha=0.9)
    return ax


def _mark_break_even(
    ax: Axes,
    result: BreakEven | Simulation,
    sim: Simulation,
    paths: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    baseline: str,
    candidate: str,
    discounted: bool,
) -> None:
    """Break-even marker and savings arrow; their explanations go to the legend."""
    from matplotlib.lines import Line2D

    b, c = paths[baseline], paths[candidate]
    if isinstance(result, BreakEven) and discounted == (result.discount_rate != 0):
        t_star, reason = result.months, result.reason
    else:  # the other view of a break-even result, or a simulation: from the drawn paths
        d_up, d_rec, d_end = (ci - bi for ci, bi in zip(c, b, strict=True))
        tol = sum(np.abs(p).sum() for p in (*b, *c)) * REL_TOL
        t = float(break_even_months(d_up, d_rec, d_end, tol=tol))
        t_star, reason = (None, never_reason(d_up, d_rec, d_end)) if math.isinf(t) else (t, None)
    horizon = sim.usage.horizon
    b_end, c_end = float(np.sum(sum(b))), float(np.sum(sum(c)))
    savings = b_end - c_end
    word = "saves" if savings >= 0 else "costs"

    if t_star is None:
        ax.plot(
            [],
            [],
            ls="none",
            label=wrap(f"No break-even within {horizon} months: {reason}", 62),
            gid="no-break-even",
        )
    else:
        y = cumulative_at(c[0], c[1], t_star)
        ax.axvline(t_star, color="0.4", ls=":", lw=1)
        when = (
            "Break-even from the start"
            if t_star == 0
            else f"Break-even in month {math.ceil(t_star - 1e-12)} (after {t_star:.1f} months)"
        )
        ax.plot(
            [t_star],
            [y],
            "o",
            ms=9,
            color="black",
            mfc="white",
            mew=2,
            zorder=5,
            label=when,
            gid="break-even",
        )
    ax.annotate(
        "",
        xy=(horizon, c_end),
        xytext=(horizon, b_end),
        arrowprops={"arrowstyle": "<->", "color": "0.2", "lw": 1.2, "shrinkA": 0, "shrinkB": 0},
        gid="savings",
    )
    ax.text(
        horizon * 1.01,
        (b_end + c_end) / 2,
        plain(f"{word}\n{format_usd(abs(savings))}"),
        ha="left",
        va="center",
        fontsize="small",
        color="0.15",
        gid="savings-label",
    )
    pv = " (present value)" if discounted else ""
    ax.add_line(
        Line2D(
            [],
            [],
            ls="none",
            marker="$\\updownarrow$",
            ms=10,
            color="0.2",
            label=wrap(
                f"{candidate} {word} {format_usd(abs(savings))}{pv} over {horizon} months", 62
            ),
            gid="savings-legend",
        )
    )
