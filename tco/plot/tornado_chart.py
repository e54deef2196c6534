"""Tornado chart: how far each input, one at a time, moves the answer."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.money import as_currency
from tco.core.money import Currency
from tco.plot.format import (
    HIGH_COLOR,
    LOW_COLOR,
    METRIC_AXIS,
    fixed_ticks,
    input_value,
    legend_below,
    metric_axis,
    metric_value,
    money_formatter,
    never_label,
    new_axes,
    param_labels,
    plain,
    versus,
    wrap,
)
from tco.plot.results import as_frame

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

__all__ = ["tornado"]


def tornado(
    result: Any,
    ax: Axes | None = None,
    *,
    max_bars: int | None = None,
    title: str | None = None,
    currency: CurrencyLike = None,
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
    currency : str, optional
        For a money metric: draw it in this currency (an ISO code of the catalog's
        ``fx.csv``, a row of it or a :class:`~tco.core.money.Currency`); default USD.
        Input values stay in the units their labels state.

    Returns
    -------
    matplotlib Axes
        Y tick labels name the inputs by their declared labels and units (``attrs
        ["labels"]``; the path where none is declared) from the largest swing (top) down;
        bars have ``gid`` ``"low:<path>"`` and ``"high:<path>"``.
    """
    frame = as_frame(result)
    attrs = frame.attrs
    metric = attrs.get("metric", "months")
    cur = as_currency(currency)
    if metric != "months":
        frame = frame.copy()
        for col in ("metric_low", "metric_high", "swing"):
            frame[col] = cur.from_usd(frame[col].astype(float))
    base = float(attrs.get("base_metric", math.nan))
    base = base if metric == "months" else float(cur.from_usd(base))
    horizon = int(attrs.get("horizon", 0))
    frame = frame.sort_values("swing", ascending=False, kind="stable")
    if max_bars is not None:
        frame = frame.iloc[:max_bars]
    n = len(frame)
    ax = new_axes(ax, (10.0, 2.0 + 0.55 * max(n, 1)))
    base_x = _drawn_at(metric, horizon, base)
    y = np.arange(n)[::-1]  # first row (largest swing) on top
    for yi, (path, row) in zip(y, frame.iterrows(), strict=True):
        _swing_bar(ax, yi + 0.2, "low", path, row, (base_x, horizon), metric, cur)
        _swing_bar(ax, yi - 0.2, "high", path, row, (base_x, horizon), metric, cur)
    ax.axvline(base_x, color="0.2", lw=1.2)
    ax.set_yticks(y, [plain(t) for t in param_labels(list(frame.index), attrs.get("labels"))])
    ax.set_ylim(-0.7, n - 0.3)
    ends = frame[["metric_low", "metric_high"]].to_numpy().ravel()
    xs = [base_x, *(_drawn_at(metric, horizon, float(v)) for v in ends)]
    _value_axis(ax, metric, horizon, (min(xs), max(xs)), cur)
    ax.set_xlabel(
        metric_axis(metric, cur) if metric in METRIC_AXIS else attrs.get("metric_label", metric)
    )
    ax.grid(True, axis="x", alpha=0.3)
    months = metric == "months"
    never = months and (frame[["never_low", "never_high"]].to_numpy().any() or math.isinf(base))
    _tornado_legend(ax, metric, (base, horizon), cur, never=bool(never), rows=n)
    what = "break-even" if months else "savings"
    who = versus(attrs.get("candidate"), attrs.get("baseline"))
    ax.set_title(title or wrap(f"What moves the {what}{who}? (one input at a time)", 60))
    return ax


def _drawn_at(metric: str, horizon: int, value: float) -> float:
    """Where a metric value is drawn: a break-even that never comes at the horizon."""
    return float(horizon) if (metric == "months" and math.isinf(value)) else value


def _swing_bar(
    ax: Axes,
    y: float,
    side: str,
    path: Any,
    row: Any,
    base: tuple[float, int],
    metric: str,
    cur: Currency,
) -> None:
    """A bar from the base answer to the answer with the input at its ``side`` end,
    labelled with the input value and the answer. ``base``: where the base answer is
    drawn, and the horizon."""
    base_x, horizon = base
    color = LOW_COLOR if side == "low" else HIGH_COLOR
    value = float(row[f"metric_{side}"])
    x = _drawn_at(metric, horizon, value)
    never = metric == "months" and math.isinf(value)
    ax.barh(
        y,
        x - base_x,
        left=base_x,
        height=0.38,
        color=color,
        alpha=0.55 if never else 0.9,
        hatch="//" if never else None,
        edgecolor="white" if never else color,
        gid=f"{side}:{path}",
    )
    text = f"{input_value(float(row[side]))} → {metric_value(metric, value, cur)}"
    right = x >= base_x
    ax.annotate(
        plain(text),
        xy=(x, y),
        xytext=(4 if right else -4, 0),
        textcoords="offset points",
        ha="left" if right else "right",
        va="center",
        fontsize="x-small",
    )


def _value_axis(
    ax: Axes, metric: str, horizon: int, span: tuple[float, float], cur: Currency
) -> None:
    """X limits with room for the labels; month ticks from 0 to the horizon, or money."""
    lo, hi = span
    pad = 0.3 * (hi - lo) if hi > lo else 1.0
    ax.set_xlim(lo - pad, hi + pad)
    if metric == "months":  # no ticks at negative months (the room there is for labels)
        from matplotlib.ticker import MaxNLocator

        ticks = MaxNLocator(nbins=8, steps=[1, 2, 3, 6, 10]).tick_values(max(lo, 0.0), hi + pad)
        fixed_ticks(ax.xaxis, ticks, float(horizon) if horizon else hi + pad)
    else:
        ax.xaxis.set_major_formatter(money_formatter(cur))


def _tornado_legend(
    ax: Axes, metric: str, base: tuple[float, int], cur: Currency, *, never: bool, rows: int
) -> None:
    """Legend below the chart: the two ends, the base answer and (if drawn) "never".

    ``base``: the base answer and the horizon."""
    value, horizon = base
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
        plain(f"base: {metric_value(metric, value, cur)}"),
    ]
    if never:
        handles.append(Patch(facecolor=LOW_COLOR, alpha=0.55, hatch="//", edgecolor="white"))
        labels.append(never_label(horizon) + " (drawn to the horizon)")
    legend_below(ax, handles, labels, y=-0.14 if rows > 3 else -0.3, ncol=2)
