"""Heatmap of a 2-D sweep (break-even months or savings per cell); a line for a 1-D one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.money import as_currency
from tco.core.money import Currency, format_money
from tco.plot.format import (
    BAND_COLOR,
    NEVER_COLOR,
    input_value,
    legend_below,
    metric_axis,
    metric_name,
    money_formatter,
    never_label,
    new_axes,
    null_formatter,
    param_labels,
    plain,
    versus,
    wrap,
)
from tco.plot.results import as_frame

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tco.pricing.currency import CurrencyLike

__all__ = ["heatmap"]


def _is_geometric(values: np.ndarray) -> bool:
    """Whether grid values are evenly spaced on a log axis (and not on a linear one)."""
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
    currency: CurrencyLike = None,
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
    currency : str, optional
        For a money metric: draw it in this currency (an ISO code of the catalog's
        ``fx.csv``, a row of it or a :class:`~tco.core.money.Currency`); default USD.

    Returns
    -------
    matplotlib Axes
        Axes are labelled with the swept parameters' declared labels and units (``attrs
        ["labels"]``; the path where none is declared). The mesh is
        ``ax.collections[0]``; never-break-even cells are masked in its array and filled
        with the colormap's "bad" colour. Cell labels have ``gid`` "cell".
    """
    frame = as_frame(result, metric)
    attrs = frame.attrs
    metric = attrs.get("metric", "months")
    horizon = int(attrs.get("horizon", 0))
    months = metric == "months"
    cur = as_currency(currency)
    if not months:
        frame = cur.from_usd(frame.astype(float))
        frame.attrs = attrs
    paths = list(attrs.get("paths", (frame.index.name, frame.columns.name)))
    names = param_labels(paths, attrs.get("labels"))
    what = "Break-even" if months else metric_name(metric)
    title = title or wrap(f"{what}{versus(attrs.get('candidate'), attrs.get('baseline'))}", 75)
    ax = new_axes(ax)
    if frame.shape[1] == 1 and len(attrs.get("paths", ())) < 2:
        return _sweep_line(frame, ax, (metric, horizon), (names[0], cur), title)

    y_vals = frame.index.to_numpy(dtype=float)
    x_vals = frame.columns.to_numpy(dtype=float)
    grid = frame.to_numpy(dtype=float)
    never = np.isinf(grid) if months else np.zeros(grid.shape, dtype=bool)
    data = np.ma.masked_array(grid, mask=never | ~np.isfinite(grid))
    cmap, norm = _color_scale(grid, data, months, horizon)
    mesh = _draw_cells(ax, x_vals, y_vals, data, never, cmap, norm)
    if annotate is None:
        annotate = grid.shape[0] <= 12 and grid.shape[1] <= 12
    _value_ticks(ax.xaxis, x_vals, _is_geometric(x_vals), every=annotate)
    _value_ticks(ax.yaxis, y_vals, _is_geometric(y_vals), every=annotate)
    _colorbar(ax, mesh, norm, metric, cur)
    ax.set_ylabel(plain(names[0]))
    ax.set_xlabel(plain(names[1]))
    if annotate:
        _write_cells(ax, (x_vals, y_vals), grid, never, (months, cur), (cmap, norm))
    if never.any():
        from matplotlib.patches import Patch

        patch = Patch(facecolor=NEVER_COLOR, hatch="//", edgecolor="0.6", linewidth=0)
        legend_below(ax, [patch], [never_label(horizon)], y=-0.12)
    ax.set_title(title)
    return ax


def _color_scale(grid: np.ndarray, data: Any, months: bool, horizon: int) -> tuple[Any, Any]:
    """Colormap and norm: months from 0 to the horizon, or savings white at $0 (red loses
    money, blue saves it)."""
    from matplotlib.colors import Normalize, TwoSlopeNorm

    finite = grid[~data.mask] if data.count() else np.zeros(1)
    if months:
        top = float(horizon) if horizon else float(finite.max())
        return _cmap("viridis"), Normalize(vmin=0.0, vmax=max(top, 1.0))
    lo, hi = float(finite.min()), float(finite.max())
    if lo < 0 < hi:
        return _cmap("RdBu"), TwoSlopeNorm(vcenter=0.0, vmin=lo, vmax=hi)
    reach = max(abs(lo), abs(hi), 1.0)
    return _cmap("RdBu"), Normalize(vmin=-reach, vmax=reach)


def _draw_cells(
    ax: Axes,
    x_vals: np.ndarray,
    y_vals: np.ndarray,
    data: Any,
    never: np.ndarray,
    cmap: Any,
    norm: Any,
) -> Any:
    """The mesh of cells (log axes for geometric grids), never cells hatched over it."""
    x_log, y_log = _is_geometric(x_vals), _is_geometric(y_vals)
    xe, ye = _edges(x_vals, x_log), _edges(y_vals, y_log)
    mesh = ax.pcolormesh(xe, ye, data, cmap=cmap, norm=norm, shading="flat")
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
    return mesh


def _colorbar(ax: Axes, mesh: Any, norm: Any, metric: str, cur: Currency) -> None:
    """A colorbar named after the metric; money ticks (both sides of 0) for savings."""
    from matplotlib.colors import TwoSlopeNorm

    bar = ax.figure.colorbar(mesh, ax=ax)
    bar.set_label(metric_axis(metric, cur))
    if metric == "months":
        return
    if isinstance(norm, TwoSlopeNorm):  # ticks on both sides of 0
        vmin, vmax = float(norm.vmin or 0.0), float(norm.vmax or 0.0)
        bar.set_ticks([vmin, vmin / 2, 0.0, vmax / 2, vmax])
    bar.formatter = money_formatter(cur)
    bar.update_ticks()


def _write_cells(
    ax: Axes,
    xy: tuple[np.ndarray, np.ndarray],
    grid: np.ndarray,
    never: np.ndarray,
    kind: tuple[bool, Currency],
    scale: tuple[Any, Any],
) -> None:
    """Each cell's value (or "never") in it, black or white for contrast with its colour.

    ``xy``: the grid values; ``kind``: months or money, and the currency; ``scale``: the
    colormap and its norm."""
    x_vals, y_vals = xy
    months, cur = kind
    cmap, norm = scale
    for i, yv in enumerate(y_vals):
        for j, xv in enumerate(x_vals):
            v = grid[i, j]
            if never[i, j]:
                text, color = "never", "0.15"
            else:
                text = f"{v:.1f}" if months else format_money(v, cur)
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


def _value_ticks(axis: Any, values: np.ndarray, log: bool, *, every: bool) -> None:
    """A tick at every grid value (small grids), else round ticks; values as ``2e9``."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator

    if every:
        axis.set_major_locator(FixedLocator(values.tolist()))
        axis.set_minor_locator(FixedLocator([]))
    elif log:
        axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda v, pos=None: input_value(v)))
    axis.set_minor_formatter(null_formatter())


def _cmap(name: str) -> Any:
    """A named colormap whose "bad" (masked) colour is the never-break-even grey."""
    import matplotlib as mpl

    return mpl.colormaps[name].with_extremes(bad=NEVER_COLOR)


def _sweep_line(
    frame: Any, ax: Axes, what: tuple[str, int], axis: tuple[str, Currency], title: str
) -> Axes:
    """A 1-D sweep: the metric against the swept value, never-break-even points as crosses
    at the horizon. ``what``: the metric and the horizon; ``axis``: the swept parameter's
    label and the currency."""
    metric, horizon = what
    name, cur = axis
    x = frame.index.to_numpy(dtype=float)
    y = frame.iloc[:, 0].to_numpy(dtype=float)
    months = metric == "months"
    never = np.isinf(y) if months else np.zeros(y.shape, dtype=bool)
    ax.plot(x, np.where(never, np.nan, y), "o-", color=BAND_COLOR, ms=3, lw=2, gid="sweep")
    if never.any():
        ax.plot(
            x[never],
            np.full(never.sum(), float(horizon)),
            "x",
            color="0.3",
            ms=7,
            label=never_label(horizon),
            gid="never",
        )
        ax.legend(loc="best", fontsize="small")
    if _is_geometric(x):
        ax.set_xscale("log")
        _value_ticks(ax.xaxis, x, True, every=False)
    if not months:
        ax.yaxis.set_major_formatter(money_formatter(cur))
        ax.axhline(0.0, color="0.3", ls="--", lw=1)
    else:
        ax.set_ylim(bottom=0)
    ax.set_xlabel(plain(name))
    ax.set_ylabel(metric_axis(metric, cur))
    ax.grid(True, alpha=0.3)
    ax.set_title(title)
    return ax
