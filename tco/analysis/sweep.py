"""Sweep: every metric on a 1-D or 2-D grid of inputs, in one vectorised call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.batch import Comparison
from tco.analysis.metrics import (
    METRIC_LABELS,
    METRICS,
    check_metric,
    metric_text,
)
from tco.analysis.progress import progress_for
from tco.analysis.question import Question, takes_question
from tco.core.option import Option
from tco.core.parts import CapexView
from tco.core.result import Result
from tco.core.usage import Usage

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["SweepResult", "sweep"]


@dataclass(frozen=True, repr=False, eq=False)
class SweepResult(Result):
    """Break-even, savings and NPV difference over a 1-D or 2-D grid of inputs.

    Attributes
    ----------
    baseline, candidate : str
        Option names.
    paths : tuple of str
        The swept parameter paths (one or two).
    values : tuple of ndarray
        The grid values of each path.
    metric : str
        The metric :meth:`to_frame` and :meth:`plot` show by default.
    months, savings_usd, npv_savings_usd : ndarray
        Each metric on the grid, shape ``(len(values[0]),)`` or
        ``(len(values[0]), len(values[1]))``; months are ``inf`` where the candidate never
        breaks even.
    horizon : int
        H. [months]
    labels : tuple of str
        Each path's declared label and unit (for chart axes).
    """

    baseline: str
    candidate: str
    paths: tuple[str, ...]
    values: tuple[np.ndarray, ...]
    metric: str
    months: np.ndarray
    savings_usd: np.ndarray
    npv_savings_usd: np.ndarray
    horizon: int
    labels: tuple[str, ...] = ()

    def grid(self, metric: str | None = None) -> np.ndarray:
        """The metric on the grid (see the class attributes)."""
        return getattr(self, check_metric(metric or self.metric))

    def to_frame(self, metric: str | None = None) -> pd.DataFrame:
        """The metric as a table ready for a heatmap.

        2-D: index = values of ``paths[0]`` (named by that path), columns = values of
        ``paths[1]`` (named by that path), cells = the metric. 1-D: index = values of
        ``paths[0]``, one column named by the metric. Months are ``inf`` where the
        candidate never breaks even. ``attrs`` carries ``metric``, ``metric_label``,
        ``paths``, ``labels`` (each path's label [unit]), ``horizon``, ``baseline`` and
        ``candidate``.

        Examples
        --------
        >>> import tco
        >>> usage = tco.Usage.constant(1e9, months=12, output_share=0.5)
        >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
        >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
        >>> s = tco.sweep(api, cheap, usage, {"candidate.setup_usd": [6_000, 12_000],
        ...                                   "usage.tokens": [1e9, 2e9]})
        >>> s.to_frame()
        usage.tokens         1.000000e+09  2.000000e+09
        candidate.setup_usd
        6000.0                        1.0           0.5
        12000.0                       2.0           1.0
        """
        metric = check_metric(metric or self.metric)
        grid = self.grid(metric)
        index = pd.Index(self.values[0], name=self.paths[0])
        if len(self.paths) == 1:
            frame = pd.DataFrame({metric: grid}, index=index)
        else:
            columns = pd.Index(self.values[1], name=self.paths[1])
            frame = pd.DataFrame(grid, index=index, columns=columns)
        frame.attrs = {
            "metric": metric,
            "metric_label": METRIC_LABELS[metric],
            "paths": self.paths,
            "labels": self.labels,
            "horizon": self.horizon,
            "baseline": self.baseline,
            "candidate": self.candidate,
        }
        return frame

    def tidy(self) -> pd.DataFrame:
        """One row per grid point: the path values, ``months``, ``never``, ``savings_usd``
        and ``npv_savings_usd``."""
        mesh = np.meshgrid(*self.values, indexing="ij")
        data: dict[str, Any] = {p: m.ravel() for p, m in zip(self.paths, mesh, strict=True)}
        data["months"] = self.months.ravel()
        data["never"] = np.isinf(self.months.ravel())
        data["savings_usd"] = self.savings_usd.ravel()
        data["npv_savings_usd"] = self.npv_savings_usd.ravel()
        return pd.DataFrame(data)

    def headline(self) -> str:
        return self.repr_lines()[1].strip()

    def repr_lines(self) -> list[str]:
        shape = " x ".join(str(v.size) for v in self.values)
        grid = self.grid()
        finite = grid[np.isfinite(grid)]
        span = (
            f"{metric_text(self.metric, float(finite.min()))} .. "
            f"{metric_text(self.metric, float(finite.max()))}"
            if finite.size
            else "none finite"
        )
        never = float(np.mean(np.isinf(self.months)))
        return [
            f"SweepResult({self.candidate!r} vs {self.baseline!r}, {shape} grid over "
            f"{', '.join(self.paths)})",
            f"  {METRIC_LABELS[self.metric]}: {span}; never breaks even at {never:.0%} of points",
        ]

    def html_tables(self) -> list[str]:
        frame = self.to_frame()
        if frame.size > 400:  # a large grid reads better as a heatmap (.plot())
            return []
        return [frame.to_html(float_format=lambda v: metric_text(self.metric, v))]

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Heatmap of the metric over the grid (see :func:`tco.plot.heatmap`)."""
        from tco import plot

        return plot.heatmap(self.to_frame(), ax=ax, **kwargs)


@takes_question
def sweep(
    baseline: Option,
    candidate: Option,
    usage: Usage,
    grid: Mapping[str, Any],
    metric: str = "months",
    *,
    discount_rate: float = 0.0,
    capex: CapexView = "cash",
    credit_residual: bool = False,
    progress: bool | None = None,
) -> SweepResult:
    """Every metric on a 1-D or 2-D grid of parameter values, in one vectorised call.

    Parameters
    ----------
    baseline, candidate : Option
        Any two options (vendor API, self-hosted fleet or strategy).
    usage : Usage
        Monthly token volumes.
    grid : mapping of path -> values
        One or two parameter paths, each with a 1-D sequence of values (e.g.
        ``{"usage.start": np.geomspace(1e8, 1e11, 50),
        "candidate.procurement.usd_per_gpu_hour": np.linspace(1, 5, 50)}``).
    metric : {"months", "savings_usd", "npv_savings_usd"}
        What :meth:`SweepResult.to_frame` and :meth:`SweepResult.plot` show by default;
        all three are computed.
    discount_rate, capex, credit_residual
        As in :func:`~tco.break_even`.
    progress : bool, optional
        Show progress: True always, False never; by default only when the grid will take
        more than about a second and someone is watching (:mod:`tco.analysis.progress`).

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
    >>> tco.sweep(api, cheap, usage, {"candidate.setup_usd": [0, 60_000, 200_000]}).months
    array([ 0., 10., inf])
    """
    metric = check_metric(metric)
    cmp = Comparison(Question(baseline, candidate, usage, discount_rate, capex, credit_residual))
    if not isinstance(grid, Mapping) or not 1 <= len(grid) <= 2:
        raise ValueError(
            "grid: give a mapping of one or two parameter paths -> 1-D sequences of values"
        )
    paths = tuple(grid)
    values = []
    for path in paths:
        param = cmp.resolve(path)
        arr = np.asarray(cmp.space.check(param, grid[path], "grid values"), dtype=float)
        if arr.ndim != 1:
            raise ValueError(f"grid[{path!r}]: shape {arr.shape} -> a 1-D sequence of values")
        arr.setflags(write=False)
        values.append(arr)
    mesh = np.meshgrid(*values, indexing="ij")
    shape = mesh[0].shape
    flat = {p: m.ravel() for p, m in zip(paths, mesh, strict=True)}
    points = int(np.prod(shape))
    report = progress_for(progress, "Sweep", points, points * cmp.horizon, "points")
    res = cmp.evaluate_all(flat, points, progress=report)
    out = {}
    for name in METRICS:
        arr = res.metric(name).reshape(shape)
        arr.setflags(write=False)
        out[name] = arr
    return SweepResult(
        baseline=baseline.name,
        candidate=candidate.name,
        paths=paths,
        values=tuple(values),
        metric=metric,
        months=out["months"],
        savings_usd=out["savings_usd"],
        npv_savings_usd=out["npv_savings_usd"],
        horizon=cmp.horizon,
        labels=tuple(cmp.resolve(p).label for p in paths),
    )
