"""Tornado chart: how far each input, one at a time, moves the answer."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.plot.format import (
    HIGH_COLOR,
    LOW_COLOR,
    METRIC_AXIS,
    input_value,
    metric_value,
    new_axes,
    plain,
    usd_formatter,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["tornado"]


def tornado(
    result: Any,
    ax: Axes | None = None,
    *,
    max_bars: int | None = None,
    title: str | None = None,
) -> Axes:
    """Tornado chart: how far each input moves the answer, largest swing on top.

    Each input gets one horizontal bar from the base answer to the answer with the input
    at its low end and one to the answer at its high end, the input values written at
    the bar ends. For break-even months, an end at which the candidate never breaks even
    is drawn hatched to the horizon and labelled "never".

    Parameters
    ----------
    result : TornadoResult or DataFrame
        From :func:`tco.tornado` (or its ``to_frame()``).
    ax : matplotlib Axes, optional
    max_bars : int, optional
        Show only the inputs with the largest swings.
    title : str, optional

    Returns
    -------
    matplotlib Axes
        Y tick labels name the inputs from the largest swing (top) down; bars have
        ``gid`` ``"low:<path>"`` and ``"high:<path>"``.
    """
    frame = result.to_frame() if hasattr(result, "to_frame") else result
    attrs = frame.attrs
    metric = attrs.get("metric", "months")
    base = float(attrs.get("base_metric", math.nan))
    horizon = int(attrs.get("horizon", 0))
    frame = frame.sort_values("swing", ascending=False, kind="stable")
    if max_bars is not None:
        frame = frame.iloc[:max_bars]
    n = len(frame)
    ax = new_axes(ax, (10.0, 2.0 + 0.55 * max(n, 1)))
    months = metric == "months"
    never_at = float(horizon) if months else math.nan
    base_x = never_at if (months and math.isinf(base)) else base

    def end(value: float) -> float:
        return never_at if (months and math.isinf(value)) else value

    y = np.arange(n)[::-1]  # first row (largest swing) on top
    for yi, (path, row) in zip(y, frame.iterrows(), strict=True):
        for side, color in (("low", LOW_COLOR), ("high", HIGH_COLOR)):
            value = float(row[f"metric_{side}"])
            x = end(value)
            never = months and math.isinf(value)
            offset = 0.2 if side == "low" else -0.2
            ax.barh(
                yi + offset,
                x - base_x,
                left=base_x,
                height=0.38,
                color=color,
                alpha=0.55 if never else 0.9,
                hatch="//" if never else None,
                edgecolor="white" if never else color,
                gid=f"{side}:{path}",
            )
            text = f"{input_value(float(row[side]))} → {metric_value(metric, value)}"
            ax.annotate(
                plain(text),
                xy=(x, yi + offset),
                xytext=(4 if x >= base_x else -4, 0),
                textcoords="offset points",
                ha="left" if x >= base_x else "right",
                va="center",
                fontsize="x-small",
            )
    ax.axvline(base_x, color="0.2", lw=1.2)
    ax.set_yticks(y, [str(p) for p in frame.index])
    ax.set_ylim(-0.7, n - 0.3)
    ends = [end(float(v)) for v in frame[["metric_low", "metric_high"]].to_numpy().ravel()]
    lo, hi = min([base_x, *ends]), max([base_x, *ends])
    pad = 0.3 * (hi - lo) if hi > lo else 1.0
    ax.set_xlim(lo - pad, hi + pad)
    if months:  # no ticks at negative months (the room there is for labels)
        from matplotlib.ticker import FixedLocator, MaxNLocator

        ticks = MaxNLocator(nbins=8, steps=[1, 2, 3, 6, 10]).tick_values(max(lo, 0.0), hi + pad)
        top = float(horizon) if horizon else hi + pad
        ax.xaxis.set_major_locator(FixedLocator([t for t in ticks if 0 <= t <= top]))
    else:
        ax.xaxis.set_major_formatter(usd_formatter())
    ax.set_xlabel(METRIC_AXIS.get(metric, attrs.get("metric_label", metric)))
    ax.grid(True, axis="x", alpha=0.3)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(color=LOW_COLOR),
        Patch(color=HIGH_COLOR),
        Line2D([], [], color="0.2", lw=1.2),
    ]
    labels = [
        "input at its low value",
        "input at its high value",
        plain(f"base: {metric_value(metric, base)}"),
    ]
    if months and (frame[["never_low", "never_high"]].to_numpy().any() or math.isinf(base)):
        handles.append(Patch(facecolor=LOW_COLOR, alpha=0.55, hatch="//", edgecolor="white"))
        labels.append(f"never breaks even within {horizon} months (drawn to the horizon)")
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14 if n > 3 else -0.3),
        ncol=2,
        fontsize="small",
        frameon=False,
    )
    who = ""
    if "candidate" in attrs and "baseline" in attrs:
        who = f" of {attrs['candidate']} vs {attrs['baseline']}"
    what = "break-even" if months else "savings"
    ax.set_title(title or wrap(f"What moves the {what}{who}? (one input at a time)", 60))
    return ax
