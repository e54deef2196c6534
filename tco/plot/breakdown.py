"""Monthly cost of one option as bars stacked by cost component, with its GPU count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.breakeven import BreakEven
from tco.analysis.simulate import Simulation
from tco.plot.format import format_usd, month_axis, new_axes, plain, usd_formatter, wrap
from tco.plot.results import as_simulation

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["COMPONENT_LABELS", "component_label", "monthly_breakdown"]

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
    sim = as_simulation(result)
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
