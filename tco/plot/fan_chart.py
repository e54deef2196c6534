"""Fan chart of a Monte Carlo result: percentile bands of cumulative savings or cost."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.money import as_currency
from tco.core.money import Currency, format_money
from tco.plot.format import (
    BAND_COLOR,
    money_formatter,
    month_axis,
    new_axes,
    option_colors,
    plain,
    wrap,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

__all__ = ["fan"]


def _percent(label: str) -> float:
    """``"p10"`` -> 10.0."""
    return float(label.lstrip("pP"))


def _band_pairs(labels: list[str]) -> tuple[list[tuple[str, str]], str | None]:
    """Symmetric percentile pairs, outermost first, and the median's label (if any)."""
    ordered = sorted(labels, key=_percent)
    pairs = [(ordered[i], ordered[-1 - i]) for i in range(len(ordered) // 2)]
    median = next((p for p in ordered if _percent(p) == 50.0), None)
    if median is None and len(ordered) % 2:
        median = ordered[len(ordered) // 2]
    return pairs, median


def fan(
    result: Any,
    ax: Axes | None = None,
    *,
    series: str = "savings",
    title: str | None = None,
    currency: CurrencyLike = None,
) -> Axes:
    """Fan chart of a Monte Carlo result: percentile bands of cumulative savings by month.

    Parameters
    ----------
    result : MonteCarloResult
        From :func:`tco.monte_carlo`; its ``fan`` table holds the percentiles by month.
    ax : matplotlib Axes, optional
    series : {"savings", "costs"}
        ``"savings"``: the baseline's cumulative cost minus the candidate's, with a band
        between each pair of percentiles (P10-P90 by default), the median as a line and
        the break-even level (savings 0) as a dashed line. ``"costs"``: each option's
        cumulative cost as a band and a median line.
    title : str, optional
    currency : str, optional
        Draw money in this currency (an ISO code of the catalog's ``fx.csv``, a row of it
        or a :class:`~tco.core.money.Currency`); default USD.

    Returns
    -------
    matplotlib Axes
        Bands have ``gid`` ``"band:<series>:<lo>-<hi>"`` (e.g. ``"band:savings:p10-p90"``),
        median lines ``"median:<series>"``.
    """
    if series not in ("savings", "costs"):
        raise ValueError(f"series: {series!r} -> 'savings' or 'costs'")
    cur = as_currency(currency)
    table = cur.from_usd(result.fan)
    months = table.index.to_numpy()
    horizon = int(result.horizon)
    savings = series == "savings"
    ax = new_axes(ax)
    if savings:
        _draw_fan(ax, months, table["savings"], ("savings", None), BAND_COLOR, (horizon, cur))
        ax.axhline(0.0, color="0.25", ls="--", lw=1, label="Break-even (savings = 0)")
    else:
        colors = option_colors([result.baseline, result.candidate])
        for key in ("baseline", "candidate"):
            name = getattr(result, key)
            _draw_fan(ax, months, table[key], (key, name), colors[name], (horizon, cur))
    ax.set_xlim(months[0] - 0.5, months[-1] + 0.5)
    month_axis(ax, horizon)
    pv = ", present value" if result.discount_rate else ""
    ax.set_ylabel(f"Cumulative {'savings' if savings else 'cost'}{pv} [{cur.unit}]")
    ax.yaxis.set_major_formatter(money_formatter(cur))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize="small", framealpha=0.9)
    what = f"Cumulative savings of {result.candidate} over {result.baseline}"
    ax.set_title(title or _draws_title(what if savings else "Cumulative cost", result))
    return ax


def _draw_fan(
    ax: Axes,
    months: np.ndarray,
    block: pd.DataFrame,
    series: tuple[str, str | None],
    color: Any,
    end: tuple[int, Currency],
) -> None:
    """Bands between percentile pairs and the median line of one series.

    ``series``: its key, and the option a cost series belongs to (None for savings, whose
    labels give the values at the horizon instead); ``end``: the horizon and the currency.
    """
    key, name = series
    horizon, cur = end
    pairs, median = _band_pairs(list(block.columns))
    for i, (lo, hi) in enumerate(pairs):
        lo_v, hi_v = block[lo].to_numpy(), block[hi].to_numpy()
        span = f"{lo.upper()}–{hi.upper()}"
        label = (
            f"{name}: {span}"
            if name
            else f"{span}: {format_money(lo_v[-1], cur)} to {format_money(hi_v[-1], cur)} "
            f"at month {horizon}"
        )
        alpha = 0.18 + 0.17 * i
        ax.fill_between(
            months,
            lo_v,
            hi_v,
            color=color,
            alpha=alpha,
            lw=0,
            label=plain(label),
            gid=f"band:{key}:{lo}-{hi}",
        )
    if median is None:
        return
    med = block[median].to_numpy()
    label = (
        f"{name}: median"
        if name
        else f"Median ({median.upper()}): {format_money(med[-1], cur)} at month {horizon}"
    )
    color = color if name else "#1f3b63"
    ax.plot(months, med, color=color, lw=2, label=plain(label), gid=f"median:{key}")


def _draws_title(text: str, result: Any) -> str:
    """``text`` followed by the number of draws and the discount rate, wrapped."""
    rate = f", discounted at {result.discount_rate:.0%} a year" if result.discount_rate else ""
    return wrap(f"{text} ({result.n:,} draws{rate})", 75)
