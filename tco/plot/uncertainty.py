"""Charts of uncertainty: tornado, break-even heatmap, Monte Carlo fan and probability.

They read the result objects of :mod:`tco.analysis.sensitivity` and
:mod:`tco.analysis.montecarlo` by their documented attributes, so this module imports neither.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.plot.format import (
    NEVER_COLOR,
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

__all__ = ["break_even_probability", "fan", "heatmap", "sobol", "tornado"]

_BAND_COLOR = "#4c78a8"


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
        drawn = [("savings", _BAND_COLOR, f"{result.candidate} vs {result.baseline}")]
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
    bars = ax.bar(
        months, prob, 0.8, color=_BAND_COLOR, alpha=0.85, label="Broken even by month end"
    )
    ax.axhline(0.5, color="0.35", ls="--", lw=1)
    half = np.flatnonzero(prob >= 0.5)
    if half.size:
        m = int(months[half[0]])
        ax.plot(
            [m],
            [prob[half[0]]],
            "v",
            color="black",
            ms=9,
            zorder=5,
            gid="median-month",
            label=f"Half the draws by month {m}",
        )
    never = float(result.prob_never)
    note = f"By month {horizon}: {1.0 - never:.1%} of {result.n:,} draws have broken even" + (
        f"; {never:.1%} never do within the horizon" if never > 0 else ""
    )
    ax.plot([], [], ls="none", label=wrap(note, 55), gid="never")
    ax.set_ylim(0, 1.05)
    ax.set_xlim(months[0] - 0.6, months[-1] + 0.6)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    month_axis(ax, horizon, first=0)
    ax.set_ylabel("Probability of having broken even [%]")
    ax.grid(True, axis="y", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    first = next(i for i, h in enumerate(handles) if h is bars)
    order = [first] + [i for i in range(len(handles)) if i != first]
    ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper left",
        fontsize="small",
        framealpha=0.9,
    )
    rate = ", discounted payback" if result.discount_rate else ""
    ax.set_title(
        title
        or wrap(
            f"When does {result.candidate} break even against {result.baseline}? "
            f"({result.n:,} draws{rate})",
            75,
        )
    )
    return ax


# --------------------------------------------------------------------------- tornado
_LOW_COLOR = "#4c78a8"
_HIGH_COLOR = "#f58518"

_METRIC_AXIS = {
    "months": "Break-even [months]",
    "savings_usd": "Savings at the horizon [USD]",
    "npv_savings_usd": "NPV savings [USD]",
}


def _metric_value(metric: str, value: float) -> str:
    if math.isinf(value):
        return "never"
    return f"{value:.1f} months" if metric == "months" else format_usd(value)


def _input_value(value: float) -> str:
    """An input value for a bar label: ``0.25``, ``20,000``, ``2e9``.

    Examples
    --------
    >>> _input_value(0.25), _input_value(20_000), _input_value(2e9), _input_value(1.036e10)
    ('0.25', '20,000', '2e9', '1.04e10')
    >>> _input_value(1.6667), _input_value(12_345.6)
    ('1.67', '12,346')
    """
    a = abs(value)
    if a >= 1e6:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{_strip(mantissa)}e{int(exponent)}"
    if a >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _strip(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def tornado(
    result: Any,
    ax: Axes | None = None,
    *,
    max_bars: int | None = None,
    title: str | None = None,
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

    Returns
    -------
    matplotlib Axes
        Y tick labels name the inputs from the largest swing (top) down; bars have
        ``gid`` ``"low:<path>"`` and ``"high:<path>"``.
    """
    frame = result.to_frame() if hasattr(result, "to_frame") else result
    attrs = frame.attrs
    metric = attrs.get("metric", "months")
    base = float(attrs.get("base_metric", math.nan))
    horizon = int(attrs.get("horizon", 0))
    frame = frame.sort_values("swing", ascending=False, kind="stable")
    if max_bars is not None:
        frame = frame.iloc[:max_bars]
    n = len(frame)
    ax = new_axes(ax, (10.0, 2.0 + 0.55 * max(n, 1)))
    months = metric == "months"
    never_at = float(horizon) if months else math.nan
    base_x = never_at if (months and math.isinf(base)) else base

    def end(value: float) -> float:
        return never_at if (months and math.isinf(value)) else value

    y = np.arange(n)[::-1]  # first row (largest swing) on top
    for yi, (path, row) in zip(y, frame.iterrows(), strict=True):
        for side, color in (("low", _LOW_COLOR), ("high", _HIGH_COLOR)):
            value = float(row[f"metric_{side}"])
            x = end(value)
            never = months and math.isinf(value)
            offset = 0.2 if side == "low" else -0.2
            ax.barh(
                yi + offset,
                x - base_x,
                left=base_x,
                height=0.38,
                color=color,
                alpha=0.55 if never else 0.9,
                hatch="//" if never else None,
                edgecolor="white" if never else color,
                gid=f"{side}:{path}",
            )
            text = f"{_input_value(float(row[side]))} → {_metric_value(metric, value)}"
            ax.annotate(
                plain(text),
                xy=(x, yi + offset),
                xytext=(4 if x >= base_x else -4, 0),
                textcoords="offset points",
                ha="left" if x >= base_x else "right",
                va="center",
                fontsize="x-small",
            )
    ax.axvline(base_x, color="0.2", lw=1.2)
    ax.set_yticks(y, [str(p) for p in frame.index])
    ax.set_ylim(-0.7, n - 0.3)
    ends = [end(float(v)) for v in frame[["metric_low", "metric_high"]].to_numpy().ravel()]
    lo, hi = min([base_x, *ends]), max([base_x, *ends])
    pad = 0.3 * (hi - lo) if hi > lo else 1.0
    ax.set_xlim(lo - pad, hi + pad)
    if months:  # no ticks at negative months (the room there is for labels)
        from matplotlib.ticker import FixedLocator, MaxNLocator

        ticks = MaxNLocator(nbins=8, steps=[1, 2, 3, 6, 10]).tick_values(max(lo, 0.0), hi + pad)
        top = float(horizon) if horizon else hi + pad
        ax.xaxis.set_major_locator(FixedLocator([t for t in ticks if 0 <= t <= top]))
    else:
        ax.xaxis.set_major_formatter(usd_formatter())
    ax.set_xlabel(_METRIC_AXIS.get(metric, attrs.get("metric_label", metric)))
    ax.grid(True, axis="x", alpha=0.3)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(color=_LOW_COLOR),
        Patch(color=_HIGH_COLOR),
        Line2D([], [], color="0.2", lw=1.2),
    ]
    labels = [
        "input at its low value",
        "input at its high value",
        plain(f"base: {_metric_value(metric, base)}"),
    ]
    if months and (frame[["never_low", "never_high"]].to_numpy().any() or math.isinf(base)):
        handles.append(Patch(facecolor=_LOW_COLOR, alpha=0.55, hatch="//", edgecolor="white"))
        labels.append(f"never breaks even within {horizon} months (drawn to the horizon)")
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14 if n > 3 else -0.3),
        ncol=2,
        fontsize="small",
        frameon=False,
    )
    who = ""
    if "candidate" in attrs and "baseline" in attrs:
        who = f" of {attrs['candidate']} vs {attrs['baseline']}"
    what = "break-even" if months else "savings"
    ax.set_title(title or wrap(f"What moves the {what}{who}? (one input at a time)", 60))
    return ax


# --------------------------------------------------------------------------- heatmap
def _is_geometric(values: np.ndarray) -> bool:
    if values.size < 3 or np.any(values <= 0):
        return False
    ratios = values[1:] / values[:-1]
    steps = np.diff(values)
    return bool(np.allclose(ratios, ratios[0], rtol=1e-6) and not np.allclose(steps, steps[0]))


def _edges(values: np.ndarray, log: bool) -> np.ndarray:
    """Cell edges around grid values (midpoints; geometric midpoints on a log axis)."""
    v = np.log(values) if log else values.astype(float)
    if v.size == 1:
        e = np.array([v[0] - 0.5, v[0] + 0.5]) if not log else np.array([v[0] - 0.2, v[0] + 0.2])
    else:
        mid = (v[1:] + v[:-1]) / 2
        e = np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])
    return np.exp(e) if log else e


def heatmap(
    result: Any,
    ax: Axes | None = None,
    *,
    metric: str | None = None,
    annotate: bool | None = None,
    title: str | None = None,
) -> Axes:
    """Heatmap of break-even months (or savings) over a 2-D sweep; a line for a 1-D one.

    Cells where the candidate never breaks even within the horizon are drawn in a
    distinct grey, hatched, and named in the legend (and written "never" in each cell
    when the grid is small enough to label cells).

    Parameters
    ----------
    result : SweepResult or DataFrame
        From :func:`tco.sweep` (or its ``to_frame()``: index = first path's values,
        columns = second path's values, ``attrs`` naming metric and paths).
    ax : matplotlib Axes, optional
    metric : str, optional
        For a SweepResult: the metric to show (default its own).
    annotate : bool, optional
        Write each cell's value in it. Default: when the grid has at most 12 x 12 cells.
    title : str, optional

    Returns
    -------
    matplotlib Axes
        The mesh is ``ax.collections[0]``; never-break-even cells are masked in its array
        and filled with the colormap's "bad" colour. Cell labels have ``gid`` "cell".
    """
    from matplotlib.colors import Normalize, TwoSlopeNorm
    from matplotlib.patches import Patch

    if hasattr(result, "to_frame"):
        frame = result.to_frame(metric) if metric else result.to_frame()
    else:
        frame = result
    attrs = frame.attrs
    metric = attrs.get("metric", "months")
    horizon = int(attrs.get("horizon", 0))
    months = metric == "months"
    who = ""
    if "candidate" in attrs and "baseline" in attrs:
        who = f" of {attrs['candidate']} vs {attrs['baseline']}"
    what = "Break-even" if months else _METRIC_AXIS.get(metric, metric).split(" [")[0]
    ax = new_axes(ax)
    if frame.shape[1] == 1 and len(attrs.get("paths", ())) < 2:
        return _sweep_line(frame, ax, metric, horizon, title or wrap(f"{what}{who}", 75))

    y_vals = frame.index.to_numpy(dtype=float)
    x_vals = frame.columns.to_numpy(dtype=float)
    grid = frame.to_numpy(dtype=float)
    never = np.isinf(grid) if months else np.zeros(grid.shape, dtype=bool)
    data = np.ma.masked_array(grid, mask=never | ~np.isfinite(grid))
    x_log, y_log = _is_geometric(x_vals), _is_geometric(y_vals)
    finite = grid[~data.mask] if data.count() else np.zeros(1)
    if months:
        cmap = _cmap("viridis")
        top = float(horizon) if horizon else float(finite.max())
        norm: Any = Normalize(vmin=0.0, vmax=max(top, 1.0))
    else:
        cmap = _cmap("RdBu")
        lo, hi = float(finite.min()), float(finite.max())
        if lo < 0 < hi:  # white at 0: red loses money, blue saves it
            norm = TwoSlopeNorm(vcenter=0.0, vmin=lo, vmax=hi)
        else:
            reach = max(abs(lo), abs(hi), 1.0)
            norm = Normalize(vmin=-reach, vmax=reach)
    mesh = ax.pcolormesh(
        _edges(x_vals, x_log), _edges(y_vals, y_log), data, cmap=cmap, norm=norm, shading="flat"
    )
    xe, ye = _edges(x_vals, x_log), _edges(y_vals, y_log)
    if never.any():  # hatched too, so they stay distinct in grey-scale print
        from matplotlib.collections import PatchCollection
        from matplotlib.patches import Rectangle

        rows, cols = np.nonzero(never)
        cells = [
            Rectangle((xe[j], ye[i]), xe[j + 1] - xe[j], ye[i + 1] - ye[i])
            for i, j in zip(rows, cols, strict=True)
        ]
        ax.add_collection(
            PatchCollection(
                cells,
                facecolor=NEVER_COLOR,
                edgecolor="0.6",
                hatch="//",
                linewidth=0,
                gid="never",
            )
        )
    if x_log:
        ax.set_xscale("log")
    if y_log:
        ax.set_yscale("log")
    if annotate is None:
        annotate = grid.shape[0] <= 12 and grid.shape[1] <= 12
    _value_ticks(ax.xaxis, x_vals, x_log, every=annotate)
    _value_ticks(ax.yaxis, y_vals, y_log, every=annotate)
    bar = ax.figure.colorbar(mesh, ax=ax)
    bar.set_label(_METRIC_AXIS.get(metric, metric))
    if not months:
        if isinstance(norm, TwoSlopeNorm):  # ticks on both sides of 0
            vmin, vmax = float(norm.vmin or 0.0), float(norm.vmax or 0.0)
            bar.set_ticks([vmin, vmin / 2, 0.0, vmax / 2, vmax])
        bar.formatter = usd_formatter()
        bar.update_ticks()
    paths = attrs.get("paths", (frame.index.name, frame.columns.name))
    ax.set_ylabel(str(paths[0]))
    ax.set_xlabel(str(paths[1]))
    if annotate:
        for i, yv in enumerate(y_vals):
            for j, xv in enumerate(x_vals):
                v = grid[i, j]
                if never[i, j]:
                    text, color = "never", "0.15"
                else:
                    text = f"{v:.1f}" if months else format_usd(v)
                    r, g, b, _ = cmap(norm(v))
                    color = "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"
                ax.text(
                    xv,
                    yv,
                    plain(text),
                    ha="center",
                    va="center",
                    fontsize="x-small",
                    color=color,
                    gid="cell",
                )
    if never.any():
        ax.legend(
            [Patch(facecolor=NEVER_COLOR, hatch="//", edgecolor="0.6", linewidth=0)],
            [f"never breaks even within {horizon} months"],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            fontsize="small",
            frameon=False,
        )
    ax.set_title(title or wrap(f"{what}{who}", 75))
    return ax


def _value_ticks(axis: Any, values: np.ndarray, log: bool, *, every: bool) -> None:
    """A tick at every grid value (small grids), else round ticks; values as ``2e9``."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter

    if every:
        axis.set_major_locator(FixedLocator(values.tolist()))
        axis.set_minor_locator(FixedLocator([]))
    elif log:
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda v, pos=None: _input_value(v)))
    axis.set_minor_formatter(NullFormatter())


def _cmap(name: str) -> Any:
    """A named colormap whose "bad" (masked) colour is the never-break-even grey."""
    import matplotlib as mpl

    return mpl.colormaps[name].with_extremes(bad=NEVER_COLOR)


def _sweep_line(frame: Any, ax: Axes, metric: str, horizon: int, title: str) -> Axes:
    x = frame.index.to_numpy(dtype=float)
    y = frame.iloc[:, 0].to_numpy(dtype=float)
    months = metric == "months"
    never = np.isinf(y) if months else np.zeros(y.shape, dtype=bool)
    ax.plot(x, np.where(never, np.nan, y), "o-", color=_BAND_COLOR, ms=3, lw=2, gid="sweep")
    if never.any():
        ax.plot(
            x[never],
            np.full(never.sum(), float(horizon)),
            "x",
            color="0.3",
            ms=7,
            label=f"never breaks even within {horizon} months",
            gid="never",
        )
        ax.legend(loc="best", fontsize="small")
    if _is_geometric(x):
        ax.set_xscale("log")
        _value_ticks(ax.xaxis, x, True, every=False)
    if not months:
        ax.yaxis.set_major_formatter(usd_formatter())
        ax.axhline(0.0, color="0.3", ls="--", lw=1)
    else:
        ax.set_ylim(bottom=0)
    ax.set_xlabel(str(frame.index.name))
    ax.set_ylabel(_METRIC_AXIS.get(metric, metric))
    ax.grid(True, alpha=0.3)
    ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- Sobol
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
    ax.barh(y + 0.2, frame["first_order"], 0.38, color=_LOW_COLOR, label="first order (alone)")
    ax.barh(
        y - 0.2, frame["total_order"], 0.38, color=_HIGH_COLOR, label="total (with interactions)"
    )
    ax.set_yticks(y, [str(p) for p in frame.index])
    ax.set_xlim(0, max(1.0, float(frame[["first_order", "total_order"]].max().max()) * 1.05))
    metric = getattr(result, "metric", "")
    label = _METRIC_AXIS.get(metric, metric).split(" [")[0].lower()
    ax.set_xlabel(f"Share of the variance of {label} [-]" if label else "Sobol index [-]")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small", framealpha=0.9)
    who = ""
    if getattr(result, "candidate", None) and getattr(result, "baseline", None):
        who = f" of {result.candidate} vs {result.baseline}"
    ax.set_title(title or wrap(f"Which inputs drive the {label or 'answer'}{who}?", 60))
    return ax
