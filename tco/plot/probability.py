"""Probability of having broken even by each month, from a Monte Carlo result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tco.plot.format import (
    BAND_COLOR,
    month_axis,
    new_axes,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["break_even_probability"]


def break_even_probability(
    result: Any,
    ax: Axes | None = None,
    *,
    title: str | None = None,
) -> Axes:
    """Probability of having broken even by the end of each month (Monte Carlo).

    Bars give the share of draws whose break-even time ``t*`` is at most ``m`` (month 0:
    cheaper from the start). The first month by which half of the draws have broken even
    is marked; the share that never breaks even within the horizon is written out.

    Parameters
    ----------
    result : MonteCarloResult
        From :func:`tco.monte_carlo` (uses ``break_even_curve()`` and ``prob_never``).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
        The median marker is the line with ``gid == "median-month"``; the note on draws
        that never break even the text with ``gid == "never"``.
    """
    from matplotlib.ticker import PercentFormatter

    curve = result.break_even_curve()
    months = curve.index.to_numpy()
    prob = curve.to_numpy(dtype=float)
    horizon = int(result.horizon)
    ax = new_axes(ax)
    bars = ax.bar(months, prob, 0.8, color=BAND_COLOR, alpha=0.85, label="Broken even by month end")
    ax.axhline(0.5, color="0.35", ls="--", lw=1)
    _mark_half(ax, months, prob)
    ax.plot([], [], ls="none", label=wrap(_never_note(result), 55), gid="never")
    ax.set_ylim(0, 1.05)
    ax.set_xlim(months[0] - 0.6, months[-1] + 0.6)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    month_axis(ax, horizon, first=0)
    ax.set_ylabel("Probability of having broken even [%]")
    ax.grid(True, axis="y", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    first = next(i for i, h in enumerate(handles) if h is bars)  # the bars first
    order = [first] + [i for i in range(len(handles)) if i != first]
    ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper left",
        fontsize="small",
        framealpha=0.9,
    )
    rate = ", discounted payback" if result.discount_rate else ""
    question = f"When does {result.candidate} break even against {result.baseline}?"
    ax.set_title(title or wrap(f"{question} ({result.n:,} draws{rate})", 75))
    return ax


def _mark_half(ax: Axes, months: np.ndarray, prob: np.ndarray) -> None:
    """A marker on the first month by which half of the draws have broken even."""
    half = np.flatnonzero(prob >= 0.5)
    if half.size:
        m = int(months[half[0]])
        label = f"Half the draws by month {m}"
        style: dict[str, Any] = {"color": "black", "ms": 9, "zorder": 5}
        ax.plot([m], [prob[half[0]]], "v", **style, gid="median-month", label=label)


def _never_note(result: Any) -> str:
    """The share of draws broken even by the horizon, and the share that never do."""
    never = float(result.prob_never)
    note = (
        f"By month {int(result.horizon)}: {1.0 - never:.1%} of {result.n:,} draws have broken even"
    )
    return note + (f"; {never:.1%} never do within the horizon" if never > 0 else "")
