"""Fan chart of a Monte Carlo result: percentile bands of cumulative savings or cost."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tco.plot.format import (
    BAND_COLOR,
    format_usd,
    month_axis,
    new_axes,
    option_colors,
    plain,
    usd_formatter,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

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


def _upper(label: str) -> str:
    return label.upper()


def fan(
    result: Any,
    ax: Axes | None = None,
    *,
    series: str = "savings",
    title: str | None = None,
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

    Returns
    -------
    matplotlib Axes
        Bands have ``gid`` ``"band:<series>:<lo>-<hi>"`` (e.g. ``"band:savings:p10-p90"``),
        median lines ``"median:<series>"``.
    """
    if series not in ("savings", "costs"):
        raise ValueError(f"series: {series!r} -> 'savings' or 'costs'")
    table = result.fan
    months = table.index.to_numpy()
    horizon = int(result.horizon)
    ax = new_axes(ax)
    discounted = bool(result.discount_rate)
    if series == "savings":
        drawn = [("savings", BAND_COLOR, f"{result.candidate} vs {result.baseline}")]
    else:
        colors = option_colors([result.baseline, result.candidate])
        drawn = [
            ("baseline", colors[result.baseline], result.baseline),
            ("candidate", colors[result.candidate], result.candidate),
        ]
    for key, color, name in drawn:
        block = table[key]
        pairs, median = _band_pairs(list(block.columns))
        for i, (lo, hi) in enumerate(pairs):
            lo_v, hi_v = block[lo].to_numpy(), block[hi].to_numpy()
            ax.fill_between(
                months,
                lo_v,
                hi_v,
                color=color,
                alpha=0.18 + 0.17 * i,
                lw=0,
                label=plain(
                    f"{_upper(lo)}–{_upper(hi)}: {format_usd(lo_v[-1])} to "
                    f"{format_usd(hi_v[-1])} at month {horizon}"
                    if series == "savings"
                    else f"{name}: {_upper(lo)}–{_upper(hi)}"
                ),
                gid=f"band:{key}:{lo}-{hi}",
            )
        if median is not None:
            med = block[median].to_numpy()
            ax.plot(
                months,
                med,
                color=color if series == "costs" else "#1f3b63",
                lw=2,
                label=plain(
                    f"Median ({_upper(median)}): {format_usd(med[-1])} at month {horizon}"
                    if series == "savings"
                    else f"{name}: median"
                ),
                gid=f"median:{key}",
            )
    if series == "savings":
        ax.axhline(0.0, color="0.25", ls="--", lw=1, label="Break-even (savings = 0)")
    ax.set_xlim(months[0] - 0.5, months[-1] + 0.5)
    month_axis(ax, horizon)
    pv = ", present value" if discounted else ""
    if series == "savings":
        ax.set_ylabel(f"Cumulative savings{pv} [USD]")
        what = _wrap_title(
            f"Cumulative savings of {result.candidate} over {result.baseline}", result
        )
    else:
        ax.set_ylabel(f"Cumulative cost{pv} [USD]")
        what = _wrap_title("Cumulative cost", result)
    ax.yaxis.set_major_formatter(usd_formatter())
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize="small", framealpha=0.9)
    ax.set_title(title or what)
    return ax


def _wrap_title(text: str, result: Any) -> str:
    rate = f", discounted at {result.discount_rate:.0%} a year" if result.discount_rate else ""
    return wrap(f"{text} ({result.n:,} draws{rate})", 75)
