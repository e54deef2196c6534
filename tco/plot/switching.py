"""Cost against the month of a switch from one option to another, best month marked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tco.analysis.money import as_currency
from tco.plot.format import money_formatter, new_axes, plain

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

__all__ = ["switch_month"]


def switch_month(result: Any, ax: Axes | None = None, *, currency: CurrencyLike = None) -> Axes:
    """The objective against the switch month, the best month and the near-best range marked.

    Parameters
    ----------
    result : SwitchMonth
        From :func:`tco.best_switch_month` (uses ``table``, ``objective``, ``month``,
        ``flat_range``, ``tolerance``, ``first`` and ``then``).
    ax : matplotlib Axes, optional
        Where to draw; a new figure (matplotlib's default size) when None.
    currency : str, optional
        Draw money in this currency (an ISO code of the catalog's ``fx.csv``, a row of it
        or a :class:`~tco.core.money.Currency`); default USD.

    Returns
    -------
    matplotlib Axes
        The objective (total or NPV by switch month ``s``) is the line with
        ``gid == "objective"``, the best month the vertical line with
        ``gid == "best-month"``, and the months within ``tolerance`` of the best the span
        with ``gid == "near-best"`` (half a month either side of the first and last).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import tco
    >>> usage = tco.Usage.linear(1e8, 1.2e9, months=12, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=3.0)
    >>> flat = tco.VendorAPI("flat", input_usd_per_mtok=0.0, output_usd_per_mtok=0.0,
    ...                      fixed_usd_per_month=1000.0, setup_usd=5000.0)
    >>> ax = tco.plot.switch_month(tco.best_switch_month(api, flat, usage))
    >>> ax.get_xlabel()
    'switch month s (api serves 1..s, flat from s+1)'
    >>> plt.close(ax.figure)
    """
    cur = as_currency(currency)
    ax = new_axes(ax, None, layout=None)
    table = result.table
    npv = result.objective == "npv_usd"
    horizon = int(table.index.max())
    ax.plot(
        table.index,
        cur.from_usd(table[result.objective].astype(float)),
        marker="o",
        ms=3,
        label="Present value of all costs" if npv else "Total cost",
        gid="objective",
    )
    lo, hi = result.flat_range
    within = f"within {result.tolerance:.0%} of the best"
    ax.axvspan(lo - 0.5, hi + 0.5, alpha=0.15, label=within, gid="near-best")
    best = f"best: month {result.month}"
    ax.axvline(result.month, ls="--", lw=1, label=best, gid="best-month")
    ax.set_xlabel(plain(f"switch month s ({result.first} serves 1..s, {result.then} from s+1)"))
    what = "present value" if npv else "total"
    ax.set_ylabel(f"Cost over {horizon} months, {what} [{cur.unit}]")
    ax.yaxis.set_major_formatter(money_formatter(cur))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small", framealpha=0.9)
    return ax
