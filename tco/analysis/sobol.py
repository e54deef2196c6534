"""Sobol indices: which uncertain inputs drive the answer (variance-based, global), with
bootstrap confidence intervals and flags for index pairs that make no sense beyond them
(:mod:`tco.analysis.sobol_ci`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.batch import Comparison
from tco.analysis.metrics import (
    check_metric,
)
from tco.analysis.progress import progress_for
from tco.analysis.question import Question, takes_question
from tco.analysis.sampling import check_distribution
from tco.analysis.sobol_ci import COLUMNS, flags, intervals
from tco.core.option import Option
from tco.core.parts import CapexView
from tco.core.result import Result, html_table
from tco.core.usage import Usage

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["SobolResult", "sobol", "sobol_indices"]


@dataclass(frozen=True, repr=False, eq=False)
class SobolResult(Result):
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
    intervals : DataFrame or None
        Bootstrap confidence intervals, index ``path``, columns ``first_order_low``,
        ``first_order_high``, ``total_order_low``, ``total_order_high`` (computed once, from
        the same seed as the sample).
    confidence_level : float
        Coverage of the intervals. [0-1]
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
    intervals: pd.DataFrame | None = None
    confidence_level: float = 0.95
    _scipy: Any = field(default=None, compare=False)
    _boot_seed: int = field(default=0, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """Index ``path``; columns ``first_order``, ``total_order`` and their confidence
        intervals (``first_order_low``, ``first_order_high``, ``total_order_low``,
        ``total_order_high``); sorted by total order (largest first)."""
        frame = pd.DataFrame({"first_order": self.first_order, "total_order": self.total_order})
        if self.intervals is not None:
            frame = frame.join(self.intervals[list(COLUMNS)])
        frame.index.name = "path"
        frame.attrs = {"metric": self.metric, "n": self.n}
        return frame.sort_values("total_order", ascending=False, kind="stable")

    @property
    def flags(self) -> pd.DataFrame:
        """Index pairs that make no sense beyond their intervals (a first-order index above
        its total index, an index outside [0, 1]): columns ``path``, ``problem``; empty
        when every index is plausible (see :func:`tco.analysis.sobol_ci.flags`)."""
        if self.intervals is None:
            return pd.DataFrame(columns=["path", "problem"])
        return flags(self.to_frame())

    def ranking(self) -> list[str]:
        """Paths from most to least influential (by total-order index)."""
        return list(self.to_frame().index)

    def confidence_intervals(
        self, confidence_level: float = 0.95, n_resamples: int = 999
    ) -> pd.DataFrame:
        """Bootstrap intervals of both indices: columns ``first_order_low``,
        ``first_order_high``, ``total_order_low``, ``total_order_high``, index ``path``.

        The intervals of :attr:`intervals` when asked at their level with the default
        resamples; else bootstrapped again (seeded, so the same each time).
        """
        same = confidence_level == self.confidence_level and n_resamples == _RESAMPLES
        if same and self.intervals is not None:
            return self.intervals.copy()
        return _intervals_frame(
            self._scipy,
            list(self.first_order.index),
            np.random.default_rng(self._boot_seed),
            confidence_level,
            n_resamples,
        )

    def headline(self) -> str:
        return self.repr_lines()[0]

    def repr_lines(self) -> list[str]:
        who = f"{self.candidate!r} vs {self.baseline!r}, " if self.baseline is not None else ""
        lines = [f"SobolResult({who}metric {self.metric!r}, n={self.n}, {self.evaluations:,} runs)"]
        frame = self.to_frame()
        for path, row in frame.iterrows():
            first, total = f"{row['first_order']:.3f}", f"{row['total_order']:.3f}"
            if self.intervals is not None:
                first += f" [{row['first_order_low']:.3f}, {row['first_order_high']:.3f}]"
                total += f" [{row['total_order_low']:.3f}, {row['total_order_high']:.3f}]"
            lines.append(f"  {path}: first order {first}, total {total}")
        if self.intervals is not None:
            lines.append(f"  [{self.confidence_level:.0%} bootstrap confidence intervals]")
        lines += [f"  flagged: {r.path}: {r.problem}" for r in self.flags.itertuples()]
        return lines

    def html_tables(self) -> list[str]:
        return [html_table(self.to_frame(), "{:.3f}")]

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Bars of first-order and total indices (see :func:`tco.plot.sobol`)."""
        from tco import plot

        return plot.sobol(self, ax=ax, **kwargs)


_RESAMPLES = 999
"""Bootstrap resamples of the intervals a result carries."""


def _first_row(values: Any) -> np.ndarray:
    """Row 0 of scipy's (outputs, inputs) array, squeezed or not."""
    return np.asarray(values, dtype=float).reshape(2, -1)[0]


def _intervals_frame(
    res: Any, names: list[str], rng: np.random.Generator, level: float, resamples: int
) -> pd.DataFrame:
    """The bootstrap intervals of scipy's result ``res`` (row 0 of its two outputs)."""
    bounds = intervals(
        np.ravel(res._f_A[0]),
        np.ravel(res._f_B[0]),
        np.asarray(res._f_AB)[:, 0, :],
        rng,
        confidence_level=level,
        n_resamples=resamples,
    )
    return pd.DataFrame(dict(zip(COLUMNS, bounds, strict=True)), index=pd.Index(names, name="path"))


def _check_level(confidence_level: Any) -> float:
    if isinstance(confidence_level, bool) or not (
        isinstance(confidence_level, int | float) and 0 < confidence_level < 1
    ):
        raise ValueError(f"confidence_level: {confidence_level!r} -> a share in (0, 1), e.g. 0.95")
    return float(confidence_level)


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
    confidence_level: float = 0.95,
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
    confidence_level : float
        Coverage of the bootstrap confidence intervals of every index. [0-1]

    Returns
    -------
    SobolResult

    Notes
    -----
    Computed by :func:`scipy.stats.sobol_indices` (Saltelli 2010 estimators). SALib would
    add more estimators and second-order indices, but first-order and total indices are
    what ranking the drivers needs and scipy is already a dependency. The intervals
    bootstrap the ``n`` base points with 999 resamples drawn from the same generator as the
    sample (:func:`tco.analysis.sobol_ci.intervals`).

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
    level = _check_level(confidence_level)
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

    from scipy import stats  # imported here: scipy.stats takes a while to load

    res = stats.sobol_indices(func=wrapped, n=n, dists=dists, rng=rng)
    f_all = np.concatenate([np.ravel(res._f_A[0]), np.ravel(res._f_B[0])])
    index = pd.Index(names, name="path")
    boot_seed = int(rng.integers(2**63))
    ci = _intervals_frame(res, names, np.random.default_rng(boot_seed), level, _RESAMPLES)
    return SobolResult(
        first_order=pd.Series(_first_row(res.first_order), index=index, name="first_order"),
        total_order=pd.Series(_first_row(res.total_order), index=index, name="total_order"),
        metric=metric,
        n=n,
        evaluations=n * (len(names) + 2),
        variance=float(np.var(f_all)),
        intervals=ci,
        confidence_level=level,
        _scipy=res,
        _boot_seed=boot_seed,
    )


@takes_question
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
    confidence_level: float = 0.95,
    discount_rate: float = 0.0,
    capex: CapexView = "cash",
    credit_residual: bool = False,
    progress: bool | None = None,
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
    confidence_level : float
        Coverage of the bootstrap confidence intervals of every index. [0-1]
    discount_rate, capex, credit_residual
        As in :func:`~tco.break_even`.
    progress : bool, optional
        Show progress: True always, False never; by default only when the scenarios will
        take more than about a second and someone is watching (:mod:`tco.analysis.progress`).

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
    cmp = Comparison(Question(baseline, candidate, usage, discount_rate, capex, credit_residual))
    if not isinstance(distributions, Mapping) or not distributions:
        raise ValueError("distributions: give a mapping of parameter path -> distribution")
    params = {path: cmp.resolve(path) for path in distributions}
    if never_months is not None and not (
        isinstance(never_months, int | float) and math.isfinite(never_months)
    ):
        raise ValueError(f"never_months: {never_months!r} -> a finite number of months")

    scenarios = n * (len(params) + 2)  # what scipy's estimator evaluates
    report = progress_for(progress, "Sobol", scenarios, scenarios * cmp.horizon, "scenarios")

    def func(x: dict[str, np.ndarray]) -> np.ndarray:
        values = {p: cmp.space.check(params[p], v, "draws") for p, v in x.items()}
        n_points = next(iter(values.values())).size
        res = cmp.evaluate_all(values, n_points, progress=report)
        if report is not None:
            report.offset += n_points
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

    out = sobol_indices(
        func, distributions, n=n, seed=seed, metric=metric, confidence_level=confidence_level
    )
    return replace(
        out,
        baseline=baseline.name,
        candidate=candidate.name,
        never_months=None if never_months is None else float(never_months),
    )
