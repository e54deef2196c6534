"""Commitment risk: reserved terms against on-demand when the usage is uncertain.

A reserved term is cheaper per GPU-hour but bills its committed GPUs whether the fleet needs
them or not. Which plan is cheaper depends on how the usage turns out, so
:func:`commitment_risk` draws usage scenarios (any ``usage.*`` parameter, e.g. the monthly
growth), costs every plan against the same draws in one vectorised call per plan, and
reports for each plan its expected cost and spread, the probability that it is the cheapest,
and the probability that committed GPUs sit idle (months in which the commitment exceeds the
GPUs the fleet needs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.paths import ParameterSpace
from tco.analysis.sampling import check_n, checked_draws, seeded
from tco.core.checks import check_options, check_rate, check_usage
from tco.core.ledger import Ledger, timed
from tco.core.option import Option
from tco.core.parts import CostContext
from tco.core.result import Result, html_rows
from tco.core.usage import Usage

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["CommitmentRisk", "commitment_risk"]


@dataclass(frozen=True, repr=False)
class CommitmentRisk(Result):
    """Each plan's cost over the same usage draws (the result of :func:`commitment_risk`).

    Attributes
    ----------
    plans : tuple of str
        Plan names, in the order given.
    totals_usd : ndarray
        Cost over the horizon, shape (plans, draws); present value with a discount rate.
        [USD]
    idle_gpu_months : ndarray
        Committed GPUs not needed, summed over the months, shape (plans, draws). [GPU-months]
    committed_gpu_months : ndarray
        Committed GPUs summed over the months, shape (plans, draws). [GPU-months]
    samples : DataFrame
        The usage draws, one column per path.
    discount_rate : float
        Annual rate of the present values. [-]
    seed : int or None
        Entropy of the draws when no seed was given (reuse it to repeat the run).
    """

    plans: tuple[str, ...]
    totals_usd: np.ndarray
    idle_gpu_months: np.ndarray
    committed_gpu_months: np.ndarray
    samples: pd.DataFrame
    discount_rate: float
    seed: int | None

    @property
    def n(self) -> int:
        """Number of draws."""
        return int(self.totals_usd.shape[1])

    @property
    def best(self) -> str:
        """The plan with the lowest expected cost."""
        return self.plans[int(np.argmin(self.totals_usd.mean(axis=1)))]

    def to_frame(self) -> pd.DataFrame:
        """One row per plan.

        Columns: ``expected_usd``, ``p10_usd``, ``p50_usd``, ``p90_usd`` (cost over the
        horizon), ``prob_cheapest``, ``prob_idle`` (committed GPUs idle in some month),
        ``expected_idle_gpu_months`` and ``idle_share`` (idle over committed GPU-months,
        0 without a commitment).
        """
        totals = self.totals_usd
        cheapest = np.argmin(totals, axis=0)
        committed = self.committed_gpu_months.sum(axis=1)
        idle = self.idle_gpu_months.sum(axis=1)
        p10, p50, p90 = np.percentile(totals, [10, 50, 90], axis=1)
        return pd.DataFrame(
            {
                "expected_usd": totals.mean(axis=1),
                "p10_usd": p10,
                "p50_usd": p50,
                "p90_usd": p90,
                "prob_cheapest": [np.mean(cheapest == i) for i in range(len(self.plans))],
                "prob_idle": np.mean(self.idle_gpu_months > 1e-9, axis=1),
                "expected_idle_gpu_months": self.idle_gpu_months.mean(axis=1),
                "idle_share": np.divide(
                    idle, committed, out=np.zeros_like(idle), where=committed > 0
                ),
            },
            index=pd.Index(self.plans, name="plan"),
        )

    def headline(self) -> str:
        row = self.to_frame().loc[self.best]
        idle = (
            f"its committed GPUs sit idle in some month in {row['prob_idle']:.0%} of draws"
            if row["expected_idle_gpu_months"] > 0 or row["prob_idle"] > 0
            else "it commits no idle GPUs"
        )
        return (
            f"{self.best} has the lowest expected cost (${row['expected_usd']:,.0f}, cheapest "
            f"in {row['prob_cheapest']:.0%} of {self.n:,} usage draws); {idle}."
        )

    def repr_lines(self) -> list[str]:
        frame = self.to_frame()
        rate = f", discount rate {self.discount_rate:.1%}" if self.discount_rate else ""
        lines = [
            f"CommitmentRisk({len(self.plans)} plans, {self.n:,} draws{rate}, seed {self.seed})",
            f"  usage drawn: {', '.join(self.samples.columns)}",
        ]
        for plan, row in frame.iterrows():
            lines.append(
                f"  {plan}: expected ${row['expected_usd']:,.0f} "
                f"(P10 ${row['p10_usd']:,.0f}, P90 ${row['p90_usd']:,.0f}), "
                f"cheapest {row['prob_cheapest']:.0%}, idle commitment {row['prob_idle']:.0%}"
            )
        return lines

    def html_tables(self) -> list[str]:
        frame = self.to_frame()
        rows = [
            (
                plan,
                f"expected ${r['expected_usd']:,.0f}; P10-P90 ${r['p10_usd']:,.0f}-"
                f"${r['p90_usd']:,.0f}; cheapest {r['prob_cheapest']:.0%}; "
                f"idle commitment {r['prob_idle']:.0%}",
            )
            for plan, r in frame.iterrows()
        ]
        return [html_rows(rows)]

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Each plan's cost across the draws (see :func:`tco.plot.commitment_risk`)."""
        from tco import plot

        return plot.commitment_risk(self, ax=ax, **kwargs)


def commitment_risk(
    plans: Sequence[Option],
    usage: Usage,
    distributions: Mapping[str, Any],
    n: int = 10_000,
    seed: int | np.random.Generator | None = None,
    *,
    correlation: Any = None,
    discount_rate: float = 0.0,
) -> CommitmentRisk:
    """Expected cost of each plan, and the chance its commitment sits idle, over usage draws.

    Parameters
    ----------
    plans : sequence of Option
        Ways to serve the usage, e.g. one fleet rented on demand and the same fleet on a
        1-year or 3-year reserved term (:class:`~tco.Rent` with ``term_months``).
    usage : Usage
        The forecast usage.
    distributions : mapping of path -> distribution
        A frozen ``scipy.stats`` distribution (or a fixed number) per ``usage.*`` path, e.g.
        ``{"usage.monthly_growth": scipy.stats.norm(0.05, 0.03)}``.
    n : int
        Number of draws (>= 1).
    seed : int, numpy Generator or None
        Seed of the draws; with None, fresh entropy is drawn and kept in ``result.seed``.
    correlation : array, DataFrame or mapping, optional
        Correlation of the draws' Gaussian copula (as in :func:`tco.monte_carlo`).
    discount_rate : float
        Annual rate; with a rate, costs are present values. [-]

    Returns
    -------
    CommitmentRisk

    Examples
    --------
    A fleet of 1-GPU replicas (prefill 2, decode 1 tokens/s) busy between 1 and 4 replicas,
    uniformly: it needs 2, 3 or 4 GPUs, a third of the time each. Three GPUs committed at
    $1/GPU-hour (on demand above at $2) sit partly idle a third of the time, yet cost less
    than renting everything on demand at $2:

    >>> import tco
    >>> from scipy import stats
    >>> replica = 730 * 3600 * 4 / 3  # tokens a month that keep one replica busy
    >>> usage = tco.Usage.constant(2 * replica, months=12, output_share=0.5)
    >>> def fleet(name, rent):
    ...     return tco.SelfHosted(name, prefill_tokens_per_s=2.0, decode_tokens_per_s=1.0,
    ...                           target_utilization=1.0, procurement=rent)
    >>> plans = [fleet("on demand", tco.Rent(2.0)),
    ...          fleet("reserved", tco.Rent(1.0, term_months=12, committed_gpus=3,
    ...                                     on_demand_usd_per_gpu_hour=2.0))]
    >>> risk = tco.commitment_risk(
    ...     plans, usage, {"usage.tokens": stats.uniform(replica, 3 * replica)}, n=3000, seed=1)
    >>> risk.best
    'reserved'
    >>> round(float(risk.to_frame().loc["reserved", "prob_idle"]), 1)
    0.3
    """
    n = check_n(n)
    plans = check_options(plans, "plans")
    check_usage(usage)
    rate = check_rate(discount_rate)
    space = ParameterSpace(plans[0], plans[-1], usage)
    outside = [p for p in distributions if not str(p).startswith("usage.")]
    if outside:
        raise ValueError(
            f"distributions: {outside} -> only usage.* paths: the plans are compared on the "
            "same usage draws (vary a plan's own inputs with tco.monte_carlo)"
        )
    rng, entropy = seeded(seed)
    values, _ = checked_draws(space, distributions, n, rng, correlation)
    _, _, overrides = space.split(values)
    arrays = usage.arrays(**overrides)
    horizon = usage.horizon
    totals, idle, committed = (np.zeros((len(plans), n)) for _ in range(3))
    for i, plan in enumerate(plans):
        parts = plan.cost_parts(arrays, CostContext())
        ledger = Ledger(timed(parts), horizon, rate)
        totals[i] = np.broadcast_to(ledger.total(discounted=True), (n,))
        if parts.committed_gpus is not None:
            needed = 0.0 if parts.gpus is None else parts.gpus
            spare = np.maximum(parts.committed_gpus - needed, 0.0)
            idle[i] = np.broadcast_to(spare.sum(axis=-1), (n,))
            committed[i] = np.broadcast_to(parts.committed_gpus.sum(axis=-1), (n,))
    return CommitmentRisk(
        plans=tuple(p.name for p in plans),
        totals_usd=totals,
        idle_gpu_months=idle,
        committed_gpu_months=committed,
        samples=pd.DataFrame(values).rename_axis("draw"),
        discount_rate=rate,
        seed=entropy,
    )
