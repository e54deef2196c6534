"""Break-even of a whole batch of parameter draws in one vectorised call.

The cost engine broadcasts every parameter over leading axes, so n scenarios are one
call: usage arrays of shape ``(n, H)`` from :meth:`~tco.Usage.arrays`, each option's
:meth:`~tco.costs.Option.cost_parts` with overrides of shape ``(n,)``, cost paths of
shape ``(n, H)`` and :func:`~tco.breakeven.break_even_months` over the differences.
The arithmetic is the same, operation for operation, as :func:`~tco.break_even` on one
scenario, so each draw's answer equals the scalar engine's.

Large batches are processed in chunks so that memory stays bounded (the arrays of a
chunk hold about :data:`CHUNK_CELLS` draw-months each).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tco.breakeven import _scale, break_even_months
from tco.costs import CapexView, CostContext, Option, discount_factors
from tco.paths import Parameter, ParameterSpace
from tco.simulate import _check_rate
from tco.usage import Usage

CHUNK_CELLS = 1_000_000
"""Draw-months per chunk: about 8 MB per (chunk, H) array; a chunk makes a few dozen."""

METRICS = ("months", "savings_usd", "npv_savings_usd")
"""Metrics of a comparison: break-even time ``t*`` [months, inf = never], undiscounted
savings at the horizon (baseline minus candidate) [USD], NPV difference (baseline NPV
minus candidate NPV) [USD]."""

METRIC_LABELS = {
    "months": "break-even [months]",
    "savings_usd": "savings at horizon [USD]",
    "npv_savings_usd": "NPV savings [USD]",
}


def check_metric(metric: str) -> str:
    """``metric`` if it is one of :data:`METRICS`, else a ValueError listing them."""
    if metric not in METRICS:
        raise ValueError(f"metric: {metric!r} -> one of {', '.join(map(repr, METRICS))}")
    return metric


@dataclass
class BatchResult:
    """Per-draw answers of a batch; cumulative paths only when asked for.

    ``baseline_cum`` and ``candidate_cum`` are cumulative costs at each month end, shape
    ``(n, H)``, discounted when the comparison has a discount rate (as
    :meth:`~tco.BreakEven.to_frame`). [USD]
    """

    months: np.ndarray
    savings_usd: np.ndarray
    npv_savings_usd: np.ndarray
    baseline_cum: np.ndarray | None = None
    candidate_cum: np.ndarray | None = None

    def metric(self, name: str) -> np.ndarray:
        return getattr(self, check_metric(name))


@dataclass(frozen=True)
class Comparison:
    """Baseline vs candidate against a usage: the question every sensitivity function asks.

    Parameters
    ----------
    baseline, candidate : Option
    usage : Usage
    discount_rate : float
        Annual rate; with a rate, break-even is the discounted payback. [-]
    capex, credit_residual
        As in :func:`~tco.simulate`.

    Examples
    --------
    >>> import numpy as np, tco
    >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0,
    ...                       setup_usd=18_000)
    >>> cmp = Comparison(api, cheap, usage)
    >>> cmp.evaluate({"candidate.setup_usd": np.array([18_000.0, 36_000.0])}).months
    array([3., 6.])
    """

    baseline: Option
    candidate: Option
    usage: Usage
    discount_rate: float = 0.0
    capex: CapexView = "cash"
    credit_residual: bool = False
    space: ParameterSpace = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        space = ParameterSpace(self.baseline, self.candidate, self.usage)
        if self.baseline.name == self.candidate.name:
            raise ValueError(
                f"baseline and candidate are both named {self.baseline.name!r}; "
                "give them distinct names"
            )
        if self.capex not in ("cash", "amortized"):
            raise ValueError(f"capex: {self.capex!r} -> one of 'cash', 'amortized'")
        object.__setattr__(self, "discount_rate", _check_rate(self.discount_rate))
        object.__setattr__(self, "space", space)

    @property
    def horizon(self) -> int:
        return self.usage.horizon

    def resolve(self, path: str) -> Parameter:
        return self.space.resolve(path)

    def chunk_size(self) -> int:
        """Draws per chunk, so that a chunk's arrays hold about :data:`CHUNK_CELLS` cells."""
        cells = self.horizon * (self.horizon if self.capex == "amortized" else 1)
        return max(1, CHUNK_CELLS // cells)

    def evaluate(
        self, values: Mapping[str, Any], n: int | None = None, *, paths: bool = False
    ) -> BatchResult:
        """Break-even, savings and NPV difference for each of n draws, in one call.

        Parameters
        ----------
        values : mapping of path -> array of shape (n,)
            Parameter values per draw; paths not given keep the models' values. Values
            are assumed valid (see :meth:`tco.paths.ParameterSpace.check`).
        n : int, optional
            Number of draws (needed only when ``values`` is empty).
        paths : bool
            Also return the cumulative cost paths (shape ``(n, H)``).
        """
        arrays_in = {p: np.asarray(v, dtype=float) for p, v in values.items()}
        sizes = {a.shape for a in arrays_in.values()}
        if n is None:
            n = next(iter(sizes))[0] if sizes else 1
        if sizes - {(n,)}:
            raise ValueError(f"values: shapes {sorted(sizes)} -> each must be ({n},)")
        bp, cp, up = self.space.split(arrays_in)
        arrays = self.usage.arrays(**up)
        context = CostContext(capex=self.capex, credit_residual=self.credit_residual)
        shape = (n, self.horizon)
        raw_b = self.baseline.cost_parts(arrays, context, **bp).sums(shape)
        raw_c = self.candidate.cost_parts(arrays, context, **cp).sums(shape)
        for name, raw in ((self.baseline.name, raw_b), (self.candidate.name, raw_c)):
            for part in raw:
                if not np.isfinite(part).all():
                    row = int(np.flatnonzero(~np.isfinite(part).all(axis=-1))[0])
                    draw = {p: float(a[row]) for p, a in arrays_in.items()}
                    raise FloatingPointError(
                        f"{name}: cost is not finite for the parameter values {draw}; "
                        "check the inputs"
                    )
        # the same operations, in the same order, as simulate() + break_even()
        if self.discount_rate == 0:
            b, c = raw_b, raw_c
        else:
            start_f, end_f = discount_factors(self.discount_rate, self.horizon)
            b = (raw_b[0] * start_f, raw_b[1] * end_f, raw_b[2] * end_f)
            c = (raw_c[0] * start_f, raw_c[1] * end_f, raw_c[2] * end_f)
        diff = (c[0] - b[0], c[1] - b[1], c[2] - b[2])
        months = break_even_months(*diff, tol=_scale(*b, *c))
        b_monthly = raw_b[0] + raw_b[1] + raw_b[2]
        c_monthly = raw_c[0] + raw_c[1] + raw_c[2]
        savings = b_monthly.sum(axis=-1) - c_monthly.sum(axis=-1)
        if b is raw_b:
            b_pv, c_pv = b_monthly, c_monthly
        else:
            b_pv, c_pv = b[0] + b[1] + b[2], c[0] + c[1] + c[2]
        npv = b_pv.sum(axis=-1) - c_pv.sum(axis=-1)
        out = BatchResult(months=months, savings_usd=savings, npv_savings_usd=npv)
        if paths:
            out.baseline_cum = np.cumsum(b_pv, axis=-1)
            out.candidate_cum = np.cumsum(c_pv, axis=-1)
        return out

    def chunks(
        self,
        sample: Callable[[int, int], Mapping[str, np.ndarray]],
        n: int,
        *,
        paths: Callable[[int, int], bool] | None = None,
    ) -> Iterator[tuple[int, int, BatchResult]]:
        """Evaluate draws ``0..n-1`` chunk by chunk: yields ``(start, stop, result)``.

        ``sample(start, stop)`` gives the values of draws ``start..stop-1``;
        ``paths(start, stop)`` says whether to keep that chunk's cumulative paths.
        """
        step = self.chunk_size()
        for start in range(0, n, step):
            stop = min(n, start + step)
            keep = bool(paths(start, stop)) if paths is not None else False
            yield start, stop, self.evaluate(sample(start, stop), stop - start, paths=keep)

    def evaluate_all(self, values: Mapping[str, np.ndarray], n: int) -> BatchResult:
        """:meth:`evaluate` over ``n`` draws in chunks; the per-draw metrics joined."""
        months = np.empty(n)
        savings = np.empty(n)
        npv = np.empty(n)

        def sample(start: int, stop: int) -> dict[str, np.ndarray]:
            return {p: v[start:stop] for p, v in values.items()}

        for start, stop, res in self.chunks(sample, n):
            months[start:stop] = res.months
            savings[start:stop] = res.savings_usd
            npv[start:stop] = res.npv_savings_usd
        return BatchResult(months=months, savings_usd=savings, npv_savings_usd=npv)


def format_months(t: float) -> str:
    """Break-even time in words: ``"never"`` for inf, else months with two decimals.

    Examples
    --------
    >>> format_months(float("inf")), format_months(3.0)
    ('never', '3.00')
    """
    return "never" if math.isinf(t) else f"{t:.2f}"
