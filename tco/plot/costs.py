"""Charts of costs: cumulative cost with break-even, monthly breakdown, cost per MTok."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.breakeven import REL_TOL, BreakEven, break_even_months, never_reason
from tco.analysis.simulate import Simulation, cost_path, simulate
from tco.plot.format import (
    format_usd,
    month_axis,
    new_axes,
    null_formatter,
    option_colors,
    plain,
    usd_formatter,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "COMPONENT_LABELS",
    "component_label",
    "cost_per_mtok",
    "cumulative_at",
    "cumulative_cost",
    "cumulative_path",
    "monthly_breakdown",
]

COMPONENT_LABELS: dict[str, str] = {
    "api_input": "API input tokens",
    "api_cache": "API cached input",
    "api_output": "API output tokens",
    "fees": "API fixed fees",
    "gpu_rent": "GPU rental",
    "capex": "GPUs bought",
    "depreciation": "GPU depreciation",
    "power": "Power",
    "hosting": "Hosting",
    "maintenance": "Maintenance",
    "staff": "Staff",
    "setup": "Setup / migration",
    "residual_credit": "Residual value credit",
}
"""Legend labels of cost components, in stacking order (others follow, title-cased)."""

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


# --------------------------------------------------------------------------- cost paths
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


def _as_simulation(result: BreakEven | Simulation) -> Simulation:
    if isinstance(result, BreakEven):
        return result.simulation
    if isinstance(result, Simulation):
        return result
    raise TypeError(
        f"result: {type(result).__name__} -> a tco.BreakEven or a tco.Simulation "
        "(from tco.break_even or tco.simulate)"
    )


def _pick(sim: Simulation, options: Sequence[str] | None) -> list[str]:
    if options is None:
        return sim.names
    unknown = [o for o in options if o not in sim.names]
    if unknown:
        raise KeyError(f"options: {unknown} not simulated; options are {sim.names}")
    return list(options)


# --------------------------------------------------------------------------- cumulative
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
    sim = _as_simulation(result)
    if isinstance(result, BreakEven):
        baseline, candidate = result.baseline, result.candidate
        names = [baseline, candidate]
    else:
        names = _pick(sim, options)
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


# --------------------------------------------------------------------------- breakdown
def _component_order(names: Sequence[str]) -> list[str]:
    known = list(COMPONENT_LABELS)

    def key(name: str) -> tuple[int, str]:
        base = name.rsplit(".", 1)[-1]
        return (known.index(base) if base in known else len(known), name)

    return sorted(names, key=key)


def component_label(name: str) -> str:
    """Legend label of a cost component (``"gpu_rent"`` -> ``"GPU rental"``).

    Examples
    --------
    >>> component_label("then.setup"), component_label("egress_fees")
    ('Setup / migration (then)', 'Egress fees')
    """
    role, _, base = name.rpartition(".")
    label = COMPONENT_LABELS.get(base, base.replace("_", " ").capitalize())
    return f"{label} ({role})" if role else label


def monthly_breakdown(
    result: BreakEven | Simulation,
    option: str | None = None,
    ax: Axes | None = None,
    *,
    discounted: bool = False,
    gpus: bool = True,
    clip_one_time: bool = True,
    title: str | None = None,
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

    Returns
    -------
    matplotlib Axes
        The Axes holding the bars (the GPU axis is its twin).
    """
    sim = _as_simulation(result)
    if option is None:
        if isinstance(result, BreakEven):
            option = result.candidate
        else:
            with_gpus = [n for n in sim.names if sim.parts[n].gpus is not None]
            option = (with_gpus or sim.names)[0]
    frame = sim.by_component(option, discounted=discounted)
    months = frame.index.to_numpy()
    horizon = sim.usage.horizon
    ax = new_axes(ax)
    parts = sim.parts[option]
    one_time = set(parts.upfront)

    order = [c for c in _component_order(list(frame.columns)) if np.any(frame[c].to_numpy())]
    pos_bottom = np.zeros(len(months))
    neg_bottom = np.zeros(len(months))
    for comp in order:
        v = frame[comp].to_numpy(dtype=float)
        pos, neg = np.clip(v, 0, None), np.clip(v, None, 0)
        color = _COMPONENT_COLORS.get(comp.rsplit(".", 1)[-1])
        style: dict[str, Any] = (
            {"hatch": "//", "edgecolor": "white", "linewidth": 0} if comp in one_time else {}
        )
        label = plain(component_label(comp) + (" (one-time)" if comp in one_time else ""))
        drawn = False
        if np.any(pos):
            ax.bar(months, pos, 0.8, bottom=pos_bottom, color=color, label=label, **style)
            drawn = True
        if np.any(neg):
            ax.bar(
                months,
                neg,
                0.8,
                bottom=neg_bottom,
                color=color,
                label=None if drawn else label,
                **style,
            )
        pos_bottom += pos
        neg_bottom += neg

    total_up = np.zeros(len(months))
    for comp in one_time & set(frame.columns):
        total_up += np.clip(frame[comp].to_numpy(dtype=float), 0, None)
    running = pos_bottom - total_up
    top_running = float(running.max()) if len(running) else 0.0
    top = float(pos_bottom.max()) if len(pos_bottom) else 0.0
    bottom = float(neg_bottom.min()) if len(neg_bottom) else 0.0
    clip_top = clip_one_time and top_running > 0 and top > 3.0 * top_running
    clip_bottom = clip_one_time and top_running > 0 and bottom < -1.5 * top_running
    upper = 1.6 * top_running if clip_top else max(top * 1.08, 1.0)
    lower = -0.6 * top_running if clip_bottom else min(0.0, bottom * 1.08)
    ax.set_ylim(lower, upper)
    label_style: dict[str, Any] = {
        "ha": "center",
        "rotation": 90,
        "fontsize": "x-small",
        "gid": "clipped",
        "bbox": {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
    }
    for m, high, low in zip(months, pos_bottom, neg_bottom, strict=True):
        if clip_top and high > upper:
            ax.text(m, upper * 0.985, plain(f"{format_usd(high)} ↑"), va="top", **label_style)
        if clip_bottom and low < lower:
            ax.text(m, lower * 0.985, plain(f"{format_usd(low)} ↓"), va="bottom", **label_style)
    ax.set_xlim(0.3, horizon + 0.7)
    month_axis(ax, horizon)
    ax.set_ylabel("Cost per month, present value [USD]" if discounted else "Cost per month [USD]")
    ax.yaxis.set_major_formatter(usd_formatter())
    ax.grid(True, axis="y", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()

    if gpus and parts.gpus is not None:
        from matplotlib.ticker import FixedLocator, MaxNLocator

        twin = ax.twinx()
        count = np.asarray(parts.gpus, dtype=float)
        twin.step(months, count, where="mid", color="black", lw=1.8, label="GPUs", gid="gpus")
        g_top = max(1.0, float(count.max())) * 1.25
        g_low = g_top * lower / upper  # 0 GPUs level with $0
        twin.set_ylim(g_low, g_top)
        twin.set_ylabel("GPUs [count]")
        ticks = MaxNLocator(integer=True).tick_values(0, g_top)
        twin.yaxis.set_major_locator(FixedLocator([t for t in ticks if 0 <= t <= g_top]))
        h2, _ = twin.get_legend_handles_labels()
        handles, labels = handles + h2, [*labels, "GPUs (right axis)"]
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.13),
        ncol=min(3, len(labels)),
        fontsize="small",
        frameon=False,
    )
    pv = ", present value" if discounted else ""
    ax.set_title(title or wrap(f"Monthly cost of {option} by component{pv}", 70))
    return ax


# --------------------------------------------------------------------------- per MTok
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
    sim = _as_simulation(result)
    names = (
        [result.baseline, result.candidate]
        if isinstance(result, BreakEven) and options is None
        else _pick(sim, options)
    )
    ax = new_axes(ax)
    colors = option_colors(sim.names)
    months = sim.usage.months
    served = sim.unserved_tokens().rsub(sim.usage.tokens, axis=0)
    mtok = served / 1e6
    full = sim.cost_per_mtok()
    running = sim if sim.capex == "amortized" else _amortized(sim)
    drawn: list[np.ndarray] = []
    for name in names:
        if one_time:
            y = full[name].to_numpy(dtype=float)
        else:
            _, rec, _ = running.parts[name].sums((sim.usage.horizon,))
            m = mtok[name].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(m > 0, rec / m, np.inf)
        y = np.where(np.isfinite(y), y, np.nan)
        ax.plot(months, y, color=colors[name], lw=2, label=wrap(name, 62), gid=f"per-mtok:{name}")
        drawn.append(y)
        if average:
            total_mtok = float(mtok[name].sum())
            if total_mtok > 0:
                avg = float(sim.total()[name]) / total_mtok
                ax.axhline(avg, color=colors[name], ls="--", lw=1.2, gid=f"average:{name}")
                drawn.append(np.array([avg]))
    values = np.concatenate(drawn) if drawn else np.zeros(0)
    values = values[np.isfinite(values) & (values > 0)]
    if log is None:
        log = values.size > 0 and float(values.max()) > 30.0 * float(values.min())
    if log:
        from matplotlib.ticker import LogLocator

        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 3.0, 5.0)))
    else:
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(usd_formatter())
    ax.yaxis.set_minor_formatter(null_formatter())
    ax.set_xlim(0.5, sim.usage.horizon + 0.5)
    month_axis(ax, sim.usage.horizon)
    ax.set_ylabel("Cost [USD per million tokens]")
    ax.grid(True, alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if average:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], color="0.3", ls="--", lw=1.2))
        labels.append(f"dashed: average over {sim.usage.horizon} months, all costs")
    ax.legend(handles, labels, loc="best", fontsize="small", framealpha=0.9)
    bought = any(any(c.rsplit(".", 1)[-1] == "capex" for c in sim.parts[n].upfront) for n in names)
    if one_time:
        what = "cash paid each month, one-time costs included"
    elif bought:
        what = "running cost: GPUs bought depreciated, one-time setup left out"
    else:
        what = "running cost; one-time setup left out"
    ax.set_title(title or f"Cost per million tokens served\n({what})")
    return ax


def _amortized(sim: Simulation) -> Simulation:
    """The same options and usage in the accounting view (hardware depreciated)."""
    return simulate(list(sim.options), sim.usage, sim.discount_rate, capex="amortized")
