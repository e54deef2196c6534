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


def sobol(result: Any, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Sobol indices as bars: first order (the input alone) and total (with interactions).

    Parameters
    ----------
    result : SobolResult
        From :func:`tco.sobol` (uses ``to_frame()``: index ``path``, columns
        ``first_order`` and ``total_order``).
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
    ax.set_yticks(y, [str(p) for p in frame.index])
    ax.set_xlim(0, max(1.0, float(frame[["first_order", "total_order"]].max().max()) * 1.05))
    metric = getattr(result, "metric", "")
    label = metric_name(metric).lower()
    ax.set_xlabel(f"Share of the variance of {label} [-]" if label else "Sobol index [-]")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small", framealpha=0.9)
    who = versus(getattr(result, "candidate", None), getattr(result, "baseline", None))
    ax.set_title(title or wrap(f"Which inputs drive the {label or 'answer'}{who}?", 60))
    return ax
