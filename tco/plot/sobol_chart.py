"""Sobol indices as bars: each input alone and with its interactions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tco.plot.format import (
    HIGH_COLOR,
    LOW_COLOR,
    metric_name,
    new_axes,
    versus,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["sobol"]


FLAG_COLOR = "#d62728"
"""Colour of the mark on an input whose indices are flagged."""


def _interval_bars(ax: Axes, y: np.ndarray, frame: Any, kind: str) -> None:
    """The bootstrap interval of each bar of ``kind`` as a horizontal error bar."""
    low, high = frame[f"{kind}_low"].to_numpy(), frame[f"{kind}_high"].to_numpy()
    value = frame[kind].to_numpy()
    err = np.vstack([np.maximum(value - low, 0.0), np.maximum(high - value, 0.0)])
    ax.errorbar(value, y, xerr=err, fmt="none", ecolor="#333333", elinewidth=1, capsize=3)


def _mark_flags(ax: Axes, y: np.ndarray, frame: Any, flagged: set[str], top: float) -> None:
    """A red mark at the end of each flagged input's bars, with one legend entry."""
    rows = [i for i, path in enumerate(frame.index) if str(path) in flagged]
    if not rows:
        return
    ax.plot(
        [top] * len(rows),
        y[rows],
        linestyle="none",
        marker="X",
        markersize=10,
        color=FLAG_COLOR,
        label="flagged: indices implausible beyond their intervals (see .flags)",
        gid="flag",
        clip_on=False,
    )
    for i in rows:
        ax.get_yticklabels()[i].set_color(FLAG_COLOR)


def sobol(result: Any, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Sobol indices as bars: first order (the input alone) and total (with interactions),
    each with its bootstrap confidence interval; inputs whose indices are flagged
    (``result.flags``) are marked in red.

    Parameters
    ----------
    result : SobolResult
        From :func:`tco.sobol` (uses ``to_frame()``: index ``path``, columns
        ``first_order`` and ``total_order``, and the interval columns if present).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
        Inputs from the largest total index (top) down.
    """
    frame = result.to_frame().sort_values("total_order", ascending=False, kind="stable")
    n = len(frame)
    ax = new_axes(ax, (9.0, 1.8 + 0.5 * max(n, 1)))
    y = np.arange(n)[::-1]
    ax.barh(y + 0.2, frame["first_order"], 0.38, color=LOW_COLOR, label="first order (alone)")
    ax.barh(
        y - 0.2, frame["total_order"], 0.38, color=HIGH_COLOR, label="total (with interactions)"
    )
    intervals = "first_order_low" in frame.columns
    if intervals:
        _interval_bars(ax, y + 0.2, frame, "first_order")
        _interval_bars(ax, y - 0.2, frame, "total_order")
    ax.set_yticks(y, [str(p) for p in frame.index])
    shown = [c for c in frame.columns if c != "path"]
    top = max(1.0, float(frame[shown].max().max()) * 1.05)
    ax.set_xlim(min(0.0, float(frame[shown].min().min()) * 1.05), top)
    flags = getattr(result, "flags", None)
    if intervals and flags is not None and len(flags):
        _mark_flags(ax, y, frame, {str(p) for p in flags["path"]}, top)
    metric = getattr(result, "metric", "")
    label = metric_name(metric).lower()
    ax.set_xlabel(f"Share of the variance of {label} [-]" if label else "Sobol index [-]")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small", framealpha=0.9)
    who = versus(getattr(result, "candidate", None), getattr(result, "baseline", None))
    ax.set_title(title or wrap(f"Which inputs drive the {label or 'answer'}{who}?", 60))
    return ax
