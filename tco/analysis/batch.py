"""Break-even of a whole batch of parameter draws in one vectorised call.

The cost engine broadcasts every parameter over leading axes, so n scenarios are one
call: usage arrays of shape ``(n, H)`` from :meth:`~tco.Usage.arrays`, each option's
:meth:`~tco.core.option.Option.cost_parts` with overrides of shape ``(n,)``, cost paths of
shape ``(n, H)`` and :func:`~tco.core.ledger.break_even_time` over the differences.
The arithmetic is the same, operation for operation, as :func:`~tco.break_even` on one
scenario, so each draw's answer equals the scalar engine's.

Large batches are processed in chunks so that memory stays bounded (the arrays of a
chunk hold about :data:`CHUNK_CELLS` draw-months each).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tco.analysis.guards import warn_fleet, warn_prices
from tco.analysis.metrics import check_metric
from tco.analysis.paths import Parameter, ParameterSpace
from tco.analysis.progress import Progress
from tco.analysis.question import Question
from tco.core.ledger import Ledger, break_even_time, timed

__all__ = ["CHUNK_CELLS", "BatchResult", "Comparison"]

CHUNK_CELLS = 100_000
"""Draw-months per chunk: about 1 MB per (chunk, H) array, so the few dozen temporaries of
a chunk stay in cache and memory is reused rather than freshly mapped."""


def _per_draw(values: Any, n: int) -> np.ndarray:
    return np.array(np.broadcast_to(values, (n,)), dtype=float)


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
    """A :class:`~tco.Question` ready for batches: its parameter space and the engine that
    answers it for n parameter draws in one vectorised call.

    Examples
    --------
    >>> import numpy as np, tco
    >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0,
    ...                       setup_usd=18_000)
    >>> cmp = Comparison(tco.Question(api, cheap, usage))
    >>> cmp.evaluate({"candidate.setup_usd": np.array([18_000.0, 36_000.0])}).months
    array([3., 6.])
    """

    question: Question
    space: ParameterSpace = field(init=False, repr=False, compare=False)
    _warned: set[str] = field(init=False, repr=False, compare=False, default_factory=set)

    def __post_init__(self) -> None:
        q = self.question
        object.__setattr__(self, "space", ParameterSpace(q.baseline, q.candidate, q.usage))

    @property
    def horizon(self) -> int:
        return self.question.horizon

    @property
    def discount_rate(self) -> float:
        return self.question.discount_rate

    def resolve(self, path: str) -> Parameter:
        return self.space.resolve(path)

    def chunk_size(self) -> int:
        """Draws per chunk, so that a chunk's arrays hold about :data:`CHUNK_CELLS` cells."""
        cells = self.horizon * (self.horizon if self.question.capex == "amortized" else 1)
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
        with np.errstate(over="ignore", invalid="ignore"):  # checked: an error below
            b, c = self._ledgers(arrays_in, n)
            b_total, c_total = b.total(), c.total()
            b_pv, c_pv = b.total(discounted=True), c.total(discounted=True)
            self._check_finite(arrays_in, n, b_total, c_total, b_pv, c_pv)
            months, _ = break_even_time(b.pv, c.pv, self.horizon)
        out = BatchResult(
            months=_per_draw(months, n),
            savings_usd=_per_draw(b_total - c_total, n),
            npv_savings_usd=_per_draw(b_pv - c_pv, n),
        )
        if paths:
            out.baseline_monthly = b.monthly(discounted=True)
            out.candidate_monthly = c.monthly(discounted=True)
        return out

    def ledgers(self, values: Mapping[str, Any]) -> tuple[Ledger, Ledger]:
        """Both options' :class:`~tco.core.ledger.Ledger` for parameter values by path
        (arrays of shape (n,), or none: the models as given), e.g. to draw their paths."""
        arrays = {p: np.asarray(v, dtype=float) for p, v in values.items()}
        n = max((a.size for a in arrays.values()), default=1)
        return self._ledgers(arrays, n)

    def _ledgers(self, values: Mapping[str, np.ndarray], n: int) -> tuple[Ledger, Ledger]:
        """Both options costed for the draws (arrays not varied keep shape (H,)); each
        option's implausible figures warned about once per comparison."""
        q = self.question
        bp, cp, up = self.space.split(values)
        arrays = q.usage.arrays(**up)
        h, rate, context = self.horizon, q.discount_rate, q.context
        ledgers = []
        for option, drawn in ((q.baseline, bp), (q.candidate, cp)):
            parts = option.cost_parts(arrays, context, **drawn)
            ledgers.append(Ledger(timed(parts), h, rate))
            if option.name not in self._warned:
                self._warned.add(option.name)
                warn_prices(option, drawn)
                warn_fleet(option.name, parts.gpus, f" of one of {n:,} draws" if n > 1 else "")
        return ledgers[0], ledgers[1]

    def _check_finite(self, values: Mapping[str, np.ndarray], n: int, *totals: np.ndarray) -> None:
        """Totals (baseline, candidate, then at present value) finite for every draw."""
        names = (self.question.baseline.name, self.question.candidate.name) * 2
        for name, total in zip(names, totals, strict=True):
            bad = ~np.isfinite(np.broadcast_to(total, (n,)))  # a NaN or inf reaches the total
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                draw = {p: float(a[row]) for p, a in values.items()}
                raise FloatingPointError(
                    f"{name}: cost is not finite (beyond the largest float, about 1.8e308) for "
                    f"the parameter values {draw} -> check the inputs and the distributions"
                )

    def chunks(
        self,
        sample: Callable[[int, int], Mapping[str, np.ndarray]],
        n: int,
        *,
        paths: Callable[[int, int], bool] | None = None,
        progress: Progress | None = None,
    ) -> Iterator[tuple[int, int, BatchResult]]:
        """Evaluate draws ``0..n-1`` chunk by chunk: yields ``(start, stop, result)``.

        ``sample(start, stop)`` gives the values of draws ``start..stop-1``;
        ``paths(start, stop)`` says whether to keep that chunk's cumulative paths;
        ``progress`` (:mod:`tco.analysis.progress`) is told of each chunk done.
        """
        step = self.chunk_size()
        for start in range(0, n, step):
            stop = min(n, start + step)
            keep = bool(paths(start, stop)) if paths is not None else False
            yield start, stop, self.evaluate(sample(start, stop), stop - start, paths=keep)
            if progress is not None:
                progress.update(stop)

    def evaluate_all(
        self, values: Mapping[str, np.ndarray], n: int, *, progress: Progress | None = None
    ) -> BatchResult:
        """:meth:`evaluate` over ``n`` draws in chunks; the per-draw metrics joined."""
        months = np.empty(n)
        savings = np.empty(n)
        npv = np.empty(n)

        def sample(start: int, stop: int) -> dict[str, np.ndarray]:
            return {p: v[start:stop] for p, v in values.items()}

        for start, stop, res in self.chunks(sample, n, progress=progress):
            months[start:stop] = res.months
            savings[start:stop] = res.savings_usd
            npv[start:stop] = res.npv_savings_usd
        return BatchResult(months=months, savings_usd=savings, npv_savings_usd=npv)
