"""Break-even of a whole batch of parameter draws in one vectorised call.

The cost engine broadcasts every parameter over leading axes, so n scenarios are one
call: usage arrays of shape ``(n, H)`` from :meth:`~tco.Usage.arrays`, each option's
:meth:`~tco.core.costs.Option.cost_parts` with overrides of shape ``(n,)``, cost paths of
shape ``(n, H)`` and :func:`~tco.analysis.breakeven.break_even_months` over the differences.
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

from tco.analysis.breakeven import _scale, break_even_months
from tco.analysis.paths import Parameter, ParameterSpace
from tco.analysis.simulate import _check_rate
from tco.core.costs import CapexView, CostContext, CostParts, Option, discount_factors
from tco.core.usage import Usage

CHUNK_CELLS = 100_000
"""Draw-months per chunk: about 1 MB per (chunk, H) array, so the few dozen temporaries of
a chunk stay in cache and memory is reused rather than freshly mapped."""

METRICS = ("months", "savings_usd", "npv_savings_usd")
"""Metrics of a comparison: break-even time ``t*`` [months, inf = never], undiscounted
savings at the horizon (baseline minus candidate) [USD], NPV difference (baseline NPV
minus candidate NPV) [USD]."""

METRIC_LABELS = {
    "months": "break-even [months]",
    "savings_usd": "savings at horizon [USD]",
    "npv_savings_usd": "NPV savings [USD]",
}


Total = np.ndarray | None
"""The sum of one timing group's components; None when the group has none (all zeros)."""


def _timing_totals(parts: CostParts) -> tuple[Total, Total, Total]:
    """Upfront, recurring and end totals, added as :meth:`CostParts.sums` adds them but
    starting from the first component rather than from zeros (the same values), and not
    broadcast: a group that no batch parameter reaches keeps shape (H,)."""
    out: list[Total] = []
    for group in (parts.upfront, parts.recurring, parts.end):
        total: Total = None
        for values in group.values():
            total = np.asarray(values, dtype=float) if total is None else total + values
        out.append(total)
    return out[0], out[1], out[2]


def _mul(a: Total, factor: np.ndarray) -> Total:
    return None if a is None else a * factor


def _sub(a: Total, b: Total) -> Total:
    if b is None:
        return a
    return -b if a is None else a - b


def _add(h: int, *terms: Total) -> np.ndarray:
    """Left-to-right sum of the terms given (zeros of shape (H,) when none is)."""
    total: Total = None
    for t in terms:
        if t is not None:
            total = t if total is None else total + t
    return np.zeros(h) if total is None else total


def _tolerance(*paths: Total) -> Any:
    """:func:`tco.analysis.breakeven._scale` of the paths; an absent group adds exactly 0."""
    return (
        _scale(*(p for p in paths if p is not None)) if any(p is not None for p in paths) else 0.0
    )


def _per_draw(values: Any, n: int) -> np.ndarray:
    return np.array(np.broadcast_to(values, (n,)), dtype=float)


def check_metric(metric: str) -> str:
    """``metric`` if it is one of :data:`METRICS`, else a ValueError listing them."""
    if metric not in METRICS:
        raise ValueError(f"metric: {metric!r} -> one of {', '.join(map(repr, METRICS))}")
    return metric


@dataclass
class BatchResult:
    """Per-draw answers of a batch; cumulative paths only when asked for.

    ``baseline_monthly`` and ``candidate_monthly`` are the costs of each month, shape
    ``(n, H)`` (or ``(H,)`` when no parameter of the batch reaches them), discounted when
    the comparison has a discount rate (as :meth:`~tco.BreakEven.to_frame`); their
    running sums are the cumulative cost paths. [USD]
    """

    months: np.ndarray
    savings_usd: np.ndarray
    npv_savings_usd: np.ndarray
    baseline_monthly: np.ndarray | None = None
    candidate_monthly: np.ndarray | None = None

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
            are assumed valid (see :meth:`tco.analysis.paths.ParameterSpace.check`).
        n : int, optional
            Number of draws (needed only when ``values`` is empty).
        paths : bool
            Also return the monthly cost paths (see :class:`BatchResult`).
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
        h = self.horizon
        raw_b = _timing_totals(self.baseline.cost_parts(arrays, context, **bp))
        raw_c = _timing_totals(self.candidate.cost_parts(arrays, context, **cp))
        # The same operations, in the same order, as simulate() + break_even(), except that
        # a timing group without components (all zeros there) is skipped: adding 0.0 is
        # exact, so the values are the same. Arrays not varied keep shape (H,).
        if self.discount_rate == 0:
            b, c = raw_b, raw_c
        else:
            start_f, end_f = discount_factors(self.discount_rate, h)
            b = (_mul(raw_b[0], start_f), _mul(raw_b[1], end_f), _mul(raw_b[2], end_f))
            c = (_mul(raw_c[0], start_f), _mul(raw_c[1], end_f), _mul(raw_c[2], end_f))
        zeros = np.zeros(h)
        diff = [_sub(ci, bi) for ci, bi in zip(c, b, strict=True)]
        up_d, rec_d, end_d = (zeros if d is None else d for d in diff)
        months = break_even_months(up_d, rec_d, end_d, tol=_tolerance(*b, *c))
        b_monthly, c_monthly = _add(h, *raw_b), _add(h, *raw_c)
        b_total, c_total = b_monthly.sum(axis=-1), c_monthly.sum(axis=-1)
        for name, total in ((self.baseline.name, b_total), (self.candidate.name, c_total)):
            bad = ~np.isfinite(np.broadcast_to(total, (n,)))  # a NaN or inf reaches the total
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                draw = {p: float(a[row]) for p, a in arrays_in.items()}
                raise FloatingPointError(
                    f"{name}: cost is not finite for the parameter values {draw}; check the inputs"
                )
        savings = b_total - c_total
        if b is raw_b:
            b_pv, c_pv = b_monthly, c_monthly
        else:
            b_pv, c_pv = _add(h, *b), _add(h, *c)
        npv = b_pv.sum(axis=-1) - c_pv.sum(axis=-1)
        out = BatchResult(
            months=_per_draw(months, n),
            savings_usd=_per_draw(savings, n),
            npv_savings_usd=_per_draw(npv, n),
        )
        if paths:
            out.baseline_monthly, out.candidate_monthly = b_pv, c_pv
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
