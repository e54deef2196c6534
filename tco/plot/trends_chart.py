"""Break-even month under each API price trend (a :func:`tco.price_trend_effect` table)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.money import as_currency
from tco.core.money import format_money
from tco.plot.format import (
    BAND_COLOR,
    NEVER_COLOR,
    fixed_ticks,
    legend_below,
    never_label,
    new_axes,
    plain,
    versus,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

__all__ = ["price_trends"]


def price_trends(
    table: Any,
    ax: Axes | None = None,
    *,
    horizon: int | None = None,
    title: str | None = None,
    currency: CurrencyLike = None,
) -> Axes:
    """Break-even month of the fleet under each API price trend, one bar per trend.

    Each bar reaches the break-even month; a trend under which the fleet never breaks
    even is drawn hatched to the horizon and labelled "never". The label at each bar's
    end gives the annual decline and what switching from the API to the fleet after the
    best month saves against staying on the API (or that staying is best).

    Parameters
    ----------
    table : DataFrame
        From :func:`tco.price_trend_effect` (its ``attrs`` name the horizon and options).
    ax : matplotlib Axes, optional
    horizon : int, optional
        The horizon in months (default: ``table.attrs["horizon"]``). [months]
    title : str, optional
    currency : str, optional
        Write the savings in this currency (an ISO code of the catalog's ``fx.csv``).

    Returns
    -------
    matplotlib Axes
        Bars have ``gid`` ``"trend:<label>"``; trend labels are the y tick labels, the
        first trend on top.
    """
    cur = as_currency(currency)
    attrs = table.attrs
    h = int(horizon if horizon is not None else attrs.get("horizon", 0))
    months = table["break_even_month"].to_numpy(dtype=float)
    if not h:
        finite = months[np.isfinite(months)]
        h = int(finite.max()) if finite.size else 1
    n = len(table)
    ax = new_axes(ax, (9.0, 1.6 + 0.45 * max(n, 1)))
    y = np.arange(n)[::-1]
    for yi, (label, row), m in zip(y, table.iterrows(), months, strict=True):
        never = not math.isfinite(m)
        ax.barh(
            yi,
            h if never else m,
            0.6,
            color=NEVER_COLOR if never else BAND_COLOR,
            hatch="//" if never else None,
            edgecolor="0.6" if never else BAND_COLOR,
            gid=f"trend:{label}",
        )
        savings = float(row["savings_usd"])
        plan = (
            f"switching saves {format_money(cur.from_usd(savings), cur)}"
            if savings > 0
            else "staying on the API is best"
        )
        when = "never" if never else f"month {int(m)}"
        text = f"{when} ({row['annual_decline']:.0%} a year; {plan})"
        ax.text((h if never else m) + h * 0.01, yi, plain(text), va="center", fontsize="small")
    ax.set_yticks(y, [plain(str(t)) for t in table.index])
    ax.set_xlim(0, h * 1.6)
    fixed_ticks(ax.xaxis, np.arange(0, h + 1, max(1, h // 6)), h)
    ax.set_xlabel("Break-even [month]")
    ax.grid(True, axis="x", alpha=0.3)
    if not np.isfinite(months).all():
        from matplotlib.patches import Patch

        patch = Patch(facecolor=NEVER_COLOR, hatch="//", edgecolor="0.6")
        legend_below(ax, [patch], [never_label(h)], y=-0.2)
    who = versus(attrs.get("candidate"), attrs.get("baseline"))
    ax.set_title(title or wrap(f"Break-even{who} as API prices fall", 70))
    return ax
