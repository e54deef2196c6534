"""Tornado: one input at a time to its low and high value; how far does the answer move?"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.batch import Comparison
from tco.analysis.metrics import (
    METRIC_LABELS,
    check_metric,
    metric_table_html,
    metric_text,
    swing_text,
)
from tco.analysis.paths import ParameterSpace
from tco.analysis.question import Question, takes_question
from tco.core.option import Option
from tco.core.parts import CapexView
from tco.core.result import Result
from tco.core.usage import Usage

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["TornadoResult", "tornado"]


@dataclass(frozen=True, repr=False, eq=False)
class TornadoResult(Result):
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
    labels : dict
        Each path's declared label and unit, ``"candidate: GPU rental price [USD per
        GPU-hour]"`` (for chart axes and tables).
    """

    baseline: str
    candidate: str
    metric: str
    base: float
    base_never: bool
    horizon: int
    frame: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)

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
        ``horizon``, ``baseline``, ``candidate`` and ``labels`` (path -> label [unit]).
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
            "labels": dict(self.labels),
        }
        return out

    def headline(self) -> str:
        return (
            f"Tornado: {self.candidate} vs {self.baseline}, {METRIC_LABELS[self.metric]}, "
            f"base {metric_text(self.metric, self.base)}"
        )

    def repr_lines(self) -> list[str]:
        lines = [
            f"TornadoResult({self.candidate!r} vs {self.baseline!r}, metric {self.metric!r}, "
            f"base {metric_text(self.metric, self.base)})"
        ]
        for path, row in self.frame.iterrows():
            lines.append(
                f"  {path}: {row['low']:g} -> {metric_text(self.metric, row['metric_low'])}, "
                f"{row['high']:g} -> {metric_text(self.metric, row['metric_high'])} "
                f"(swing {swing_text(self.metric, row['swing'])})"
            )
        return lines

    def html_tables(self) -> list[str]:
        return [metric_table_html(self.frame, self.metric)]

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


@takes_question
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
      baseline.output_usd_per_mtok: 3 -> never, 20 -> 2.12 (swing unbounded: never at one end)
      candidate.setup_usd: 9000 -> 1.50, 36000 -> 6.00 (swing 4.50)
    >>> t.to_frame().loc["baseline.output_usd_per_mtok", ["metric_low", "never_low", "swing"]]
    metric_low     inf
    never_low     True
    swing          inf
    Name: baseline.output_usd_per_mtok, dtype: object
    """
    metric = check_metric(metric)
    cmp = Comparison(Question(baseline, candidate, usage, discount_rate, capex, credit_residual))
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
        labels={path: cmp.resolve(path).label for path in frame.index},
    )
