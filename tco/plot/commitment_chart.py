"""Cost over the horizon of each plan across usage draws (a commitment-risk result)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.money import as_currency
from tco.plot.format import money_formatter, new_axes, option_colors, plain, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

__all__ = ["commitment_risk"]


def commitment_risk(
    result: Any,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    currency: CurrencyLike = None,
) -> Axes:
    """Distribution of each plan's cost over the usage draws, expected cost marked.

    One box per plan (whiskers P10-P90, box P25-P75, line the median) with its expected
    cost as a diamond; the label under each plan gives the share of draws in which its
    committed GPUs sit idle in some month ("idle in 37% of draws").

    Parameters
    ----------
    result : CommitmentRisk
        From :func:`tco.commitment_risk` (uses ``plans``, ``totals_usd``, ``to_frame()``).
    ax : matplotlib Axes, optional
    title : str, optional
    currency : str, optional
        Draw money in this currency (an ISO code of the catalog's ``fx.csv``, a row of it
        or a :class:`~tco.core.money.Currency`); default USD.

    Returns
    -------
    matplotlib Axes
        The expected-cost markers are the lines with ``gid == "expected"``.
    """
    frame = result.to_frame()
    plans = list(result.plans)
    cur = as_currency(currency)
    totals = cur.from_usd(np.asarray(result.totals_usd, dtype=float))
    ax = new_axes(ax)
    colors = option_colors(plans)
    positions = np.arange(1, len(plans) + 1)
    boxes = ax.boxplot(
        list(totals), positions=positions, whis=(10, 90), showfliers=False, patch_artist=True
    )
    for patch, plan in zip(boxes["boxes"], plans, strict=True):
        patch.set_facecolor(colors[plan])
        patch.set_alpha(0.45)
    means = totals.mean(axis=1)
    ax.plot(positions, means, "D", color="black", ms=7, gid="expected", label="Expected cost")
    labels = [
        plain(f"{plan}\nidle in {frame.loc[plan, 'prob_idle']:.0%} of draws") for plan in plans
    ]
    ax.set_xticks(positions, labels, fontsize="small")
    ax.yaxis.set_major_formatter(money_formatter(cur))
    rate = "present value" if result.discount_rate else "total"
    ax.set_ylabel(f"Cost over the horizon, {rate} [{cur.unit}]")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(loc="upper right", fontsize="small")
    question = f"Which plan costs least as usage turns out? ({result.n:,} usage draws)"
    ax.set_title(title or wrap(question, 75))
    return ax
