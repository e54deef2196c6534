"""How far does the answer move when the inputs move? Tornado, sweep, Monte Carlo, Sobol.

Every function here compares a ``baseline`` and a ``candidate`` option against a
``usage`` and varies inputs addressed by parameter paths (:mod:`tco.analysis.paths`):
``"candidate.procurement.usd_per_gpu_hour"``, ``"baseline.output_usd_per_mtok"``,
``"usage.monthly_growth"``, ... (:func:`parameter_paths` lists them). Each batch of
scenarios is one vectorised call of the cost engine (:mod:`tco.analysis.batch`), so a 200 x 200
sweep or 100,000 Monte Carlo draws take about a second.

Metrics (``metric=``):

* ``"months"`` -- break-even time ``t*`` [months]; ``inf`` when the candidate never
  breaks even within the horizon (never NaN, so it sorts and compares correctly);
* ``"savings_usd"`` -- baseline minus candidate cumulative cost at the horizon [USD];
* ``"npv_savings_usd"`` -- baseline NPV minus candidate NPV at ``discount_rate`` [USD].

Functions: :func:`tornado` (one at a time over ranges), :func:`sweep` (a 1-D or 2-D
grid), :func:`~tco.analysis.montecarlo.monte_carlo` (random draws, correlated through a Gaussian
copula), :func:`sobol` (variance-based global indices, ``scipy.stats.sobol_indices``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from tco.analysis.batch import METRIC_LABELS, METRICS, Comparison, check_metric, format_months
from tco.analysis.montecarlo import MonteCarloResult, check_distribution, monte_carlo
from tco.analysis.paths import ParameterPathError, ParameterSpace, parameter_paths
from tco.core.costs import CapexView, Option
from tco.core.usage import Usage


def _comparison(
    baseline: Option,
    candidate: Option,
    usage: Usage,
    discount_rate: float,
    capex: CapexView,
    credit_residual: bool,
) -> Comparison:
    return Comparison(
        baseline,
        candidate,
        usage,
        discount_rate=discount_rate,
        capex=capex,
        credit_residual=credit_residual,
    )


def _metric_text(metric: str, value: float) -> str:
    if metric == "months":
        return format_months(value)
    return f"${value:,.0f}"


def _swing_text(metric: str, swing: float) -> str:
    if metric == "months" and math.isinf(swing):
        return "inf: never at one end"
    return _metric_text(metric, swing)


def _table_html(frame: pd.DataFrame, metric: str) -> str:
    def fmt(col: str) -> Callable[[Any], str]:
        if col.startswith("metric_"):
            return lambda v: _metric_text(metric, float(v))
        if col == "swing":
            return lambda v: _swing_text(metric, float(v))
        return lambda v: html.escape(str(v))

    formatters = {c: fmt(str(c)) for c in frame.columns}
    return frame.to_html(formatters=formatters)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tornado
@dataclass(frozen=True, repr=False, eq=False)
class TornadoResult:
    """One-at-a-time sensitivity of a metric: each path at its low and high value.

    Attributes
    ----------
    baseline, candidate : str
        Option names.
    metric : str
        ``"months"``, ``"savings_usd"`` or ``"npv_savings_usd"``.
    base : float
        The metric with every input as in the models (``inf``: never breaks even).
    base_never : bool
        True when the candidate never breaks even with the inputs as given.
    horizon : int
        H. [months]
    frame : DataFrame
        One row per path, sorted by ``swing`` (largest first); see :meth:`to_frame`.
    """

    baseline: str
    candidate: str
    metric: str
    base: float
    base_never: bool
    horizon: int
    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The tornado table, sorted by swing (largest first).

        Index ``path``; columns:

        * ``low``, ``high`` -- the input values tried; ``base`` -- the input in the model
          (``<NA>``, nullable dtype, for an optional field left unset);
        * ``metric_low``, ``metric_high`` -- the metric at ``low`` and at ``high``
          (``inf`` for months where the candidate never breaks even);
        * ``never_low``, ``never_high`` -- True where it never breaks even;
        * ``swing`` -- ``|metric_high - metric_low|``; ``inf`` when one end breaks even
          and the other never does, 0 when neither does.

        ``attrs`` carries ``metric``, ``metric_label``, ``base_metric``, ``base_never``,
        ``horizon``, ``baseline`` and ``candidate``.
        """
        out = self.frame.copy()
        out.attrs = {
            "metric": self.metric,
            "metric_label": METRIC_LABELS[self.metric],
            "base_metric": self.base,
            "base_never": self.base_never,
            "horizon": self.horizon,
            "baseline": self.baseline,
            "candidate": self.candidate,
        }
        return out

    def __repr__(self) -> str:
        lines = [
            f"TornadoResult({self.candidate!r} vs {self.baseline!r}, metric {self.metric!r}, "
            f"base {_metric_text(self.metric, self.base)})"
        ]
        for path, row in self.frame.iterrows():
            lines.append(
                f"  {path}: {row['low']:g} -> {_metric_text(self.metric, row['metric_low'])}, "
                f"{row['high']:g} -> {_metric_text(self.metric, row['metric_high'])} "
                f"(swing {_swing_text(self.metric, row['swing'])})"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>Tornado</b>: {html.escape(self.candidate)} vs {html.escape(self.baseline)}, "
            f"{html.escape(METRIC_LABELS[self.metric])}, base "
            f"{html.escape(_metric_text(self.metric, self.base))}</p>"
        )
        return head + _table_html(self.frame, self.metric)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Tornado chart (see :func:`tco.plot.tornado`)."""
        from tco import plot

        return plot.tornado(self, ax=ax, **kwargs)


def _swing(metric: str, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    if metric != "months":
        return np.abs(high - low)
    inf_low, inf_high = np.isinf(low), np.isinf(high)
    both = ~(inf_low | inf_high)
    swing = np.zeros(low.shape)
    swing[both] = np.abs(high[both] - low[both])
    swing[inf_low ^ inf_high] = np.inf
    return swing


def _check_range(space: ParameterSpace, path: str, rng: Any) -> tuple[float, float]:
    param = space.resolve(path)
    try:
        low, high = rng
    except (TypeError, ValueError):
        raise ValueError(f"ranges[{path!r}]: {rng!r} -> a pair (low, high)") from None
    values = space.check(param, [low, high], "range")
    return float(values[0]), float(values[1])


def tornado(
    baseline: Option,
    candidate: Option,
    usage: Usage,
    ranges: Mapping[str, tuple[float, float]],
    metric: str = "months",
    *,
    discount_rate: float = 0.0,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> TornadoResult:
    """One at a time, set each path to its low and high value and see the metric move.

    Parameters
    ----------
    baseline, candidate : Option
        Any two options (vendor API, self-hosted fleet or strategy).
    usage : Usage
        Monthly token volumes.
    ranges : mapping of path -> (low, high)
        Values to try per parameter path (see :func:`parameter_paths`).
    metric : {"months", "savings_usd", "npv_savings_usd"}
        Break-even time [months], savings at the horizon [USD] or NPV difference [USD].
    discount_rate : float
        Annual rate; with a rate, break-even is the discounted payback. [-]
    capex, credit_residual
        As in :func:`~tco.simulate`.

    Returns
    -------
    TornadoResult
        ``to_frame()`` is the table sorted by swing; "never breaks even" is ``inf`` with
        ``never_low`` / ``never_high`` flags.

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0,
    ...                       setup_usd=18_000)
    >>> t = tco.tornado(api, cheap, usage, {"candidate.setup_usd": (9_000, 36_000),
    ...                                     "baseline.output_usd_per_mtok": (3.0, 20.0)})
    >>> t  # at $3/MTok output the API costs what the candidate does: never breaks even
    TornadoResult('cheap' vs 'api', metric 'months', base 3.00)
      baseline.output_usd_per_mtok: 3 -> never, 20 -> 2.12 (swing inf: never at one end)
      candidate.setup_usd: 9000 -> 1.50, 36000 -> 6.00 (swing 4.50)
    >>> t.to_frame().loc["baseline.output_usd_per_mtok", ["metric_low", "never_low", "swing"]]
    metric_low     inf
    never_low     True
    swing          inf
    Name: baseline.output_usd_per_mtok, dtype: object
    """
    metric = check_metric(metric)
    cmp = _comparison(baseline, candidate, usage, discount_rate, capex, credit_residual)
    if not isinstance(ranges, Mapping) or not ranges:
        raise ValueError(
            "ranges: give a mapping of parameter path -> (low, high), e.g. "
            "{'candidate.procurement.usd_per_gpu_hour': (1.5, 4.0)}"
        )
    checked = {path: _check_range(cmp.space, path, r) for path, r in ranges.items()}
    base_res = cmp.evaluate({}, n=1)
    rows = []
    for path, (low, high) in checked.items():
        res = cmp.evaluate({path: np.array([low, high])})
        values = res.metric(metric)
        rows.append(
            {
                "path": path,
                "low": low,
                "high": high,
                "base": cmp.resolve(path).base,
                "metric_low": float(values[0]),
                "metric_high": float(values[1]),
                "never_low": bool(np.isinf(res.months[0])),
                "never_high": bool(np.isinf(res.months[1])),
            }
        )
    frame = pd.DataFrame(rows).set_index("path")
    if frame["base"].isna().any():  # an optional field left unset (None): missing, not NaN
        frame["base"] = frame["base"].astype("Float64")
    frame["swing"] = _swing(metric, frame["metric_low"].to_numpy(), frame["metric_high"].to_numpy())
    frame = frame.sort_values("swing", ascending=False, kind="stable")
    return TornadoResult(
        baseline=baseline.name,
        candidate=candidate.name,
        metric=metric,
        base=float(base_res.metric(metric)[0]),
        base_never=bool(np.isinf(base_res.months[0])),
        horizon=cmp.horizon,
        frame=frame,
    )


# --------------------------------------------------------------------------- sweep
@dataclass(frozen=True, repr=False, eq=False)
class SweepResult:
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

    def grid(self, metric: str | None = None) -> np.ndarray:
        """The metric on the grid (see the class attributes)."""
        return getattr(self, check_metric(metric or self.metric))

    def to_frame(self, metric: str | None = None) -> pd.DataFrame:
        """The metric as a table ready for a heatmap.

        2-D: index = values of ``paths[0]`` (named by that path), columns = values of
        ``paths[1]`` (named by that path), cells = the metric. 1-D: index = values of
        ``paths[0]``, one column named by the metric. Months are ``inf`` where the
        candidate never breaks even. ``attrs`` carries ``metric``, ``metric_label``,
        ``paths``, ``horizon``, ``baseline`` and ``candidate``.

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

    def __repr__(self) -> str:
        shape = " x ".join(str(v.size) for v in self.values)
        grid = self.grid()
        finite = grid[np.isfinite(grid)]
        span = (
            f"{_metric_text(self.metric, float(finite.min()))} .. "
            f"{_metric_text(self.metric, float(finite.max()))}"
            if finite.size
            else "none finite"
        )
        never = float(np.mean(np.isinf(self.months)))
        return (
            f"SweepResult({self.candidate!r} vs {self.baseline!r}, {shape} grid over "
            f"{', '.join(self.paths)})\n"
            f"  {METRIC_LABELS[self.metric]}: {span}; never breaks even at {never:.0%} of points"
        )

    def _repr_html_(self) -> str:
        head = html.escape(repr(self)).replace("\n", "<br>")
        frame = self.to_frame()
        if frame.size > 400:
            return f"<p>{head}</p>"
        return f"<p>{head}</p>" + frame.to_html(float_format=lambda v: _metric_text(self.metric, v))

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Heatmap of the metric over the grid (see :func:`tco.plot.heatmap`)."""
        from tco import plot

        return plot.heatmap(self.to_frame(), ax=ax, **kwargs)


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
    cmp = _comparison(baseline, candidate, usage, discount_rate, capex, credit_residual)
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
    res = cmp.evaluate_all(flat, int(np.prod(shape)))
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
    )


# --------------------------------------------------------------------------- Sobol
@dataclass(frozen=True, repr=False, eq=False)
class SobolResult:
    """First-order and total Sobol indices of a metric, by input.

    Attributes
    ----------
    first_order : Series
        Share of the metric's variance explained by each input alone, by path.
    total_order : Series
        Share explained by each input including all its interactions, by path.
    metric : str
        What was analysed.
    n : int
        Base sample size; the function was evaluated ``evaluations = n * (d + 2)`` times.
    variance : float
        Variance of the metric over the base samples (0: the indices are all 0).
    baseline, candidate : str or None
        Option names (None for :func:`sobol_indices` of a plain function).
    never_months : float or None
        The value that stood in for "never breaks even" when ``metric="months"``.
    """

    first_order: pd.Series
    total_order: pd.Series
    metric: str
    n: int
    evaluations: int
    variance: float
    baseline: str | None = None
    candidate: str | None = None
    never_months: float | None = None
    _scipy: Any = field(default=None, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """Index ``path``; columns ``first_order``, ``total_order``; sorted by total order
        (largest first)."""
        frame = pd.DataFrame({"first_order": self.first_order, "total_order": self.total_order})
        frame.index.name = "path"
        frame.attrs = {"metric": self.metric, "n": self.n}
        return frame.sort_values("total_order", ascending=False, kind="stable")

    def ranking(self) -> list[str]:
        """Paths from most to least influential (by total-order index)."""
        return list(self.to_frame().index)

    def confidence_intervals(
        self, confidence_level: float = 0.95, n_resamples: int = 999
    ) -> pd.DataFrame:
        """Bootstrap intervals of both indices (``scipy`` ``SobolResult.bootstrap``).

        Columns ``first_order_low``, ``first_order_high``, ``total_order_low``,
        ``total_order_high``, index ``path``.
        """
        boot = self._scipy.bootstrap(confidence_level=confidence_level, n_resamples=n_resamples)
        index = pd.Index(self.first_order.index, name="path")
        return pd.DataFrame(
            {
                "first_order_low": _first_row(boot.first_order.confidence_interval.low),
                "first_order_high": _first_row(boot.first_order.confidence_interval.high),
                "total_order_low": _first_row(boot.total_order.confidence_interval.low),
                "total_order_high": _first_row(boot.total_order.confidence_interval.high),
            },
            index=index,
        )

    def __repr__(self) -> str:
        who = f"{self.candidate!r} vs {self.baseline!r}, " if self.baseline is not None else ""
        lines = [f"SobolResult({who}metric {self.metric!r}, n={self.n}, {self.evaluations:,} runs)"]
        for path, row in self.to_frame().iterrows():
            lines.append(
                f"  {path}: first order {row['first_order']:.3f}, total {row['total_order']:.3f}"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = html.escape(repr(self).splitlines()[0])
        return f"<p><b>{head}</b></p>" + self.to_frame().to_html(float_format="{:.3f}".format)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Bars of first-order and total indices (see :func:`tco.plot.sobol`)."""
        from tco import plot

        return plot.sobol(self, ax=ax, **kwargs)


def _first_row(values: Any) -> np.ndarray:
    """Row 0 of scipy's (outputs, inputs) array, squeezed or not."""
    return np.asarray(values, dtype=float).reshape(2, -1)[0]


def _check_sobol_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2 or (n & (n - 1)):
        hint = ""
        if isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= 2:
            hint = f" (e.g. {2 ** round(math.log2(n))})"
        raise ValueError(f"n: {n!r} -> a power of 2 >= 2{hint}, as Sobol sampling needs")
    return int(n)


def _rng(seed: Any) -> np.random.Generator:
    if isinstance(seed, bool) or not (
        seed is None or isinstance(seed, int | np.integer | np.random.Generator)
    ):
        raise ValueError(f"seed: {seed!r} -> an int >= 0, a numpy Generator or None")
    return np.random.default_rng(seed)


def sobol_indices(
    func: Callable[[dict[str, np.ndarray]], Any],
    distributions: Mapping[str, Any],
    n: int = 1024,
    seed: int | np.random.Generator | None = None,
    *,
    metric: str = "f",
) -> SobolResult:
    """First-order and total Sobol indices of any vectorised function of named inputs.

    Parameters
    ----------
    func : callable
        ``func({name: array of shape (N,)}) -> array of shape (N,)``; values must be finite.
    distributions : mapping of name -> frozen scipy.stats distribution
        Independent input distributions.
    n : int
        Base sample size, a power of 2; ``func`` sees ``n * (d + 2)`` points in all.
    seed : int, numpy Generator or None
        Seed of the scrambled Sobol sequence.
    metric : str
        A label for the output.

    Returns
    -------
    SobolResult

    Notes
    -----
    Computed by :func:`scipy.stats.sobol_indices` (Saltelli 2010 estimators). SALib would
    add more estimators and second-order indices, but first-order and total indices are
    what ranking the drivers needs and scipy is already a dependency.

    Examples
    --------
    >>> from scipy import stats
    >>> res = sobol_indices(lambda x: x["a"] + 0.1 * x["b"],
    ...                     {"a": stats.uniform(0, 1), "b": stats.uniform(0, 1)}, n=1024, seed=0)
    >>> res.ranking(), round(float(res.first_order["a"]), 2)  # 1 / (1 + 0.01)
    (['a', 'b'], 0.99)
    """
    n = _check_sobol_n(n)
    rng = _rng(seed)
    if not isinstance(distributions, Mapping) or not distributions:
        raise ValueError("distributions: give a mapping of input -> scipy.stats distribution")
    names = list(distributions)
    dists = []
    for name, dist in distributions.items():
        checked = check_distribution(name, dist)
        if isinstance(checked, float):
            raise TypeError(
                f"distributions[{name!r}]: {dist!r} -> Sobol indices need a distribution for "
                "every input; leave fixed inputs out"
            )
        dists.append(checked)

    def wrapped(x: np.ndarray) -> np.ndarray:
        y = np.asarray(func({name: x[i] for i, name in enumerate(names)}), dtype=float)
        y = y.reshape(1, -1)
        if not np.all(np.isfinite(y)):
            raise ValueError(f"{metric}: the function gave non-finite values; Sobol needs finite")
        # two identical outputs: scipy squeezes (outputs, inputs) and fails on a 0-d result
        # when there is one output and one input
        return np.concatenate([y, y])

    res = stats.sobol_indices(func=wrapped, n=n, dists=dists, rng=rng)
    f_all = np.concatenate([np.ravel(res._f_A[0]), np.ravel(res._f_B[0])])
    index = pd.Index(names, name="path")
    return SobolResult(
        first_order=pd.Series(_first_row(res.first_order), index=index, name="first_order"),
        total_order=pd.Series(_first_row(res.total_order), index=index, name="total_order"),
        metric=metric,
        n=n,
        evaluations=n * (len(names) + 2),
        variance=float(np.var(f_all)),
        _scipy=res,
    )


def sobol(
    baseline: Option,
    candidate: Option,
    usage: Usage,
    distributions: Mapping[str, Any],
    metric: str = "savings_usd",
    n: int = 1024,
    seed: int | np.random.Generator | None = None,
    *,
    never_months: float | None = None,
    discount_rate: float = 0.0,
    capex: CapexView = "cash",
    credit_residual: bool = False,
) -> SobolResult:
    """Which uncertain inputs drive the answer? First-order and total Sobol indices.

    Parameters
    ----------
    baseline, candidate : Option
        Any two options (vendor API, self-hosted fleet or strategy).
    usage : Usage
        Monthly token volumes.
    distributions : mapping of path -> frozen scipy.stats distribution
        Independent distributions of the inputs (see :func:`parameter_paths`).
    metric : {"savings_usd", "npv_savings_usd", "months"}
        The output analysed.
    n : int
        Base sample size, a power of 2; the engine runs ``n * (d + 2)`` scenarios.
    seed : int, numpy Generator or None
        Seed of the scrambled Sobol sequence.
    never_months : float, optional
        For ``metric="months"``: the value standing in for "never breaks even" (variance
        needs finite numbers), e.g. the horizon or a little beyond. Without it, draws that
        never break even raise an error.
    discount_rate, capex, credit_residual
        As in :func:`~tco.break_even`.

    Returns
    -------
    SobolResult

    Examples
    --------
    >>> import tco
    >>> from scipy import stats
    >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
    >>> res = tco.sobol(api, cheap, usage, {
    ...     "baseline.output_usd_per_mtok": stats.uniform(10, 10),
    ...     "candidate.setup_usd": stats.uniform(0, 1_000)}, n=256, seed=0)
    >>> res.ranking()
    ['baseline.output_usd_per_mtok', 'candidate.setup_usd']
    """
    metric = check_metric(metric)
    cmp = _comparison(baseline, candidate, usage, discount_rate, capex, credit_residual)
    if not isinstance(distributions, Mapping) or not distributions:
        raise ValueError("distributions: give a mapping of parameter path -> distribution")
    params = {path: cmp.resolve(path) for path in distributions}
    if never_months is not None and not (
        isinstance(never_months, int | float) and math.isfinite(never_months)
    ):
        raise ValueError(f"never_months: {never_months!r} -> a finite number of months")

    def func(x: dict[str, np.ndarray]) -> np.ndarray:
        values = {p: cmp.space.check(params[p], v, "draws") for p, v in x.items()}
        n_points = next(iter(values.values())).size
        res = cmp.evaluate_all(values, n_points)
        y = res.metric(metric)
        if metric == "months":
            never = np.isinf(y)
            if never.any():
                if never_months is None:
                    raise ValueError(
                        f"metric 'months': {int(never.sum()):,} of {n_points:,} draws never "
                        "break even; pass never_months= (e.g. the horizon) to stand in for "
                        "them, or use metric='savings_usd'"
                    )
                y = np.where(never, float(never_months), y)
        return y

    out = sobol_indices(func, distributions, n=n, seed=seed, metric=metric)
    return SobolResult(
        first_order=out.first_order,
        total_order=out.total_order,
        metric=metric,
        n=out.n,
        evaluations=out.evaluations,
        variance=out.variance,
        baseline=baseline.name,
        candidate=candidate.name,
        never_months=None if never_months is None else float(never_months),
        _scipy=out._scipy,
    )


__all__ = [
    "MonteCarloResult",
    "ParameterPathError",
    "SobolResult",
    "SweepResult",
    "TornadoResult",
    "monte_carlo",
    "parameter_paths",
    "sobol",
    "sobol_indices",
    "sweep",
    "tornado",
]
