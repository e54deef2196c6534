"""Shared chart helpers: money tick labels, axes, option colours, month ticks.

Every chart module of :mod:`tco.plot` draws through these, so all charts share one look;
tests may import them too (``from tco.plot.format import NEVER_COLOR``). Money is written
by :func:`tco.core.money.format_money` (the one place money is formatted); every money
chart takes ``currency=`` (an ISO code of the catalog's ``fx.csv``, a row of it or a
:class:`~tco.core.money.Currency`), resolved by :func:`tco.analysis.money.as_currency`.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from tco.core.money import USD, Currency, format_money

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.ticker import FuncFormatter


FIGSIZE = (8.0, 4.8)
NEVER_COLOR = "#d9d9d9"
"""Fill of what never breaks even within the horizon (cells, bars)."""
BAND_COLOR = "#4c78a8"
"""Colour of a chart's one series (bands, bars, lines)."""
LOW_COLOR = BAND_COLOR
"""An input at its low end (tornado), or the first of two index bars (Sobol)."""
HIGH_COLOR = "#f58518"
"""An input at its high end (tornado), or the second of two index bars (Sobol)."""

METRIC_AXIS = {
    "months": "Break-even [months]",
    "savings_usd": "Savings at the horizon [USD]",
    "npv_savings_usd": "NPV savings [USD]",
}
"""Axis label of each metric of a sensitivity result (others are shown by their name)."""


# --------------------------------------------------------------------------- formatting
def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_axis_label(text: str, currency: Currency = USD) -> str:
    """``text`` with its ``[USD]`` unit in ``currency``: ``"Cost [EUR]"``.

    Examples
    --------
    >>> money_axis_label("Cost per month [USD]", Currency("EUR", 1.1))
    'Cost per month [EUR]'
    >>> money_axis_label("Cost [USD per million tokens]", Currency("GBP", 1.3))
    'Cost [GBP per million tokens]'
    """
    return text.replace("[USD", f"[{currency.unit}")


def format_usd(x: float, pos: Any = None) -> str:
    """US dollars in a short form: ``$950``, ``$12k``, ``$1.2M``, ``$3.4B``, ``$0.15``.

    Three significant digits at most, trailing zeros dropped; usable as a matplotlib
    tick formatter (``pos`` is ignored).

    Parameters
    ----------
    x : float
        Amount. [USD]
    pos : optional
        Tick position (ignored).

    Examples
    --------
    >>> format_usd(1_200_000), format_usd(12_000), format_usd(-4_560), format_usd(0)
    ('$1.2M', '$12k', '-$4.56k', '$0')
    >>> format_usd(2.5), format_usd(0.075), format_usd(999_999), format_usd(3.21e9)
    ('$2.5', '$0.075', '$1M', '$3.21B')
    """
    return format_money(x, USD)


def metric_value(metric: str, value: float, currency: Currency = USD) -> str:
    """A metric's value in words: ``"4.5 months"``, ``"never"``, ``"$12k"``.

    Examples
    --------
    >>> metric_value("months", 4.46), metric_value("months", float("inf"))
    ('4.5 months', 'never')
    >>> metric_value("savings_usd", 12_000)
    '$12k'
    """
    if math.isinf(value):
        return "never"
    return f"{value:.1f} months" if metric == "months" else format_money(value, currency)


def metric_axis(metric: str, currency: Currency = USD) -> str:
    """A metric's axis label, money in ``currency``: ``"Savings at the horizon [EUR]"``."""
    return money_axis_label(METRIC_AXIS.get(metric, metric), currency)


def metric_name(metric: str) -> str:
    """A metric's name without its unit: ``"savings_usd"`` -> ``"Savings at the horizon"``."""
    return METRIC_AXIS.get(metric, metric).split(" [")[0]


def param_labels(paths: Sequence[Any], labels: Any) -> list[str]:
    """Axis labels of parameter paths from their declared labels and units.

    ``labels`` maps each path to ``"role: label [unit]"`` (a result's ``labels``; a
    sequence in the order of ``paths`` also works). The option's role follows the label
    when parameters of both options are shown or two paths share a label; a path without
    a declared label is shown as it is.

    Examples
    --------
    >>> paths = ["candidate.procurement.usd_per_gpu_hour", "usage.start"]
    >>> param_labels(paths, {paths[0]: "candidate: GPU rental price [USD per GPU-hour]"})
    ['GPU rental price [USD per GPU-hour]', 'usage.start']
    >>> param_labels(["baseline.staff_fte", "candidate.staff_fte"],
    ...              ["baseline: staff [FTE]", "candidate: staff [FTE]"])
    ['Staff [FTE] (baseline)', 'Staff [FTE] (candidate)']
    """
    if not isinstance(labels, dict):
        labels = dict(zip(paths, labels or (), strict=False))
    split = []
    for path in paths:
        declared = labels.get(path)
        role, sep, label = str(declared).partition(": ") if declared else ("", "", "")
        split.append((role, label[:1].upper() + label[1:]) if sep else ("", str(path)))
    names = [label for _, label in split]
    both = {"baseline", "candidate"} <= {role for role, _ in split}
    out = []
    for role, label in split:
        shared = names.count(label) > 1
        out.append(
            f"{label} ({role})" if role and (shared or (both and role != "usage")) else label
        )
    return out


def versus(candidate: str | None, baseline: str | None) -> str:
    """``" of <candidate> vs <baseline>"`` for a title, or nothing when one is unknown.

    Examples
    --------
    >>> versus("fleet", "api"), versus(None, "api")
    (' of fleet vs api', '')
    """
    return f" of {candidate} vs {baseline}" if candidate and baseline else ""


def never_label(horizon: int) -> str:
    """Legend label of what never breaks even within the horizon."""
    return f"never breaks even within {horizon} months"


def input_value(value: float) -> str:
    """An input value for a label: ``0.25``, ``20,000``, ``2e9``.

    Examples
    --------
    >>> input_value(0.25), input_value(20_000), input_value(2e9), input_value(1.036e10)
    ('0.25', '20,000', '2e9', '1.04e10')
    >>> input_value(1.6667), input_value(12_345.6)
    ('1.67', '12,346')
    """
    a = abs(value)
    if a >= 1e6:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{_trim(mantissa)}e{int(exponent)}"
    if a >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def usd_formatter() -> FuncFormatter:
    """A matplotlib tick formatter writing amounts with :func:`format_usd`.

    Examples
    --------
    >>> usd_formatter()(1_234_567)
    '$1.23M'
    """
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(format_usd)


def money_formatter(currency: Currency = USD) -> FuncFormatter:
    """A matplotlib tick formatter writing amounts (already in ``currency``) short.

    Examples
    --------
    >>> money_formatter(Currency("EUR", 1.1))(1_234_567)
    '€1.23M'
    """
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(currency.format)


def new_axes(
    ax: Axes | None,
    figsize: tuple[float, float] | None = FIGSIZE,
    *,
    layout: str | None = "constrained",
) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches laid out by
    ``layout`` (None for either: matplotlib's default)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout=layout)
    return new


def plain(text: str) -> str:
    """``text`` shown as is: dollar signs escaped so matplotlib never reads math in it.

    Examples
    --------
    >>> print(plain("$248k to $612k"))
    \\$248k to \\$612k
    """
    return text.replace("\\$", "$").replace("$", "\\$")


def wrap(text: str, width: int = 70) -> str:
    """``text`` wrapped at ``width`` characters and shown as is (see :func:`plain`)."""
    return plain("\n".join(textwrap.wrap(text, width)) or text)


def legend_below(
    ax: Axes, handles: Sequence[Any], labels: Sequence[str], *, y: float, ncol: int = 1
) -> None:
    """A frameless legend centred under the axes, its top ``y`` (axes fraction) below them."""
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, y),
        ncol=ncol,
        fontsize="small",
        frameon=False,
    )


def option_colors(names: Sequence[str]) -> dict[str, Any]:
    """One tab10 colour per option, by its position in ``names`` (a simulation's order)."""
    import matplotlib as mpl

    cycle = [mpl.colormaps["tab10"](i) for i in range(10)]
    return {n: cycle[i % len(cycle)] for i, n in enumerate(names)}


def month_axis(ax: Axes, horizon: int, *, label: str = "Month", first: int = 1) -> None:
    """Whole-month ticks from ``first`` (0 or 1) to the horizon, never beyond it."""
    from matplotlib.ticker import MaxNLocator

    ax.set_xlabel(label)
    ticks = MaxNLocator(nbins=8, integer=True, steps=[1, 2, 3, 6, 10]).tick_values(0, horizon)
    fixed_ticks(ax.xaxis, ticks, horizon, first=first)


def fixed_ticks(axis: Any, ticks: Iterable[float], top: float, *, first: float = 0.0) -> None:
    """Major ticks of ``axis`` at those of ``ticks`` from 0 to ``top``; a tick at 0 moves
    to ``first`` (1 for month axes that start at month 1)."""
    from matplotlib.ticker import FixedLocator

    kept = [t for t in ticks if 0 <= t <= top]
    if kept and kept[0] == 0:
        kept[0] = first
    axis.set_major_locator(FixedLocator(kept))


def null_formatter() -> Any:
    """A matplotlib tick formatter that writes nothing (for minor ticks)."""
    from matplotlib.ticker import NullFormatter

    return NullFormatter()
