"""break_even_volume(): the steady monthly volume from which the candidate is cheaper."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tco.analysis.guards import not_finite, warn_prices
from tco.analysis.question import takes_question
from tco.core.arrays import UsageArrays
from tco.core.checks import check_number, check_option, check_usage, check_whole
from tco.core.ledger import Ledger, steady_tolerance
from tco.core.option import Option
from tco.core.parts import CostContext
from tco.core.result import Result
from tco.core.usage import Usage

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["VolumeBreakEven", "break_even_volume"]

_MAX_REFINEMENTS = 200
"""Rounds of interval halving (float precision comes first)."""


@dataclass(frozen=True, repr=False)
class VolumeBreakEven(Result):
    """Steady monthly volume from which the candidate is cheaper per month.

    Attributes
    ----------
    tokens_per_month : float or None
        Smallest volume from which the candidate's monthly cost is below the baseline's
        (0.0: cheaper at every volume, or at every volume from one token a month, e.g.
        two APIs without fixed fees). [tokens/month]
    reason : str or None
        Why there is none, in words.
    baseline_usd_per_mtok, candidate_usd_per_mtok : float or None
        Each side's cost per million tokens at that volume. [USD per million tokens]
    baseline_monthly_usd, candidate_monthly_usd : float or None
        Each side's monthly cost at that volume. [USD/month]
    """

    baseline: str
    candidate: str
    tokens_per_month: float | None
    reason: str | None
    baseline_usd_per_mtok: float | None
    candidate_usd_per_mtok: float | None
    baseline_monthly_usd: float | None
    candidate_monthly_usd: float | None

    def headline(self) -> str:
        if self.tokens_per_month is None:
            return f"{self.candidate} vs {self.baseline}: {self.reason}"
        if self.tokens_per_month == 0:
            return f"{self.candidate} is cheaper per month than {self.baseline} at every volume"
        return (
            f"{self.candidate} is cheaper per month than {self.baseline} from "
            f"{self.tokens_per_month:.4g} tokens/month"
        )

    def to_frame(self) -> pd.DataFrame:
        """Each side's monthly cost and cost per million tokens at the threshold."""
        return pd.DataFrame(
            {
                "monthly_usd": [self.baseline_monthly_usd, self.candidate_monthly_usd],
                "usd_per_mtok": [self.baseline_usd_per_mtok, self.candidate_usd_per_mtok],
            },
            index=pd.Index([self.baseline, self.candidate], name="option"),
        )

    def repr_lines(self) -> list[str]:
        if self.tokens_per_month is None:
            return [f"VolumeBreakEven({self.candidate!r} vs {self.baseline!r}: {self.reason})"]
        if self.tokens_per_month == 0:
            return [
                f"VolumeBreakEven({self.candidate!r} vs {self.baseline!r}: cheaper per month "
                f"at every volume; {self.baseline} ${self.baseline_monthly_usd:,.2f}, "
                f"{self.candidate} ${self.candidate_monthly_usd:,.2f} a month at zero volume, "
                "where cost per million tokens is undefined)"
            ]
        return [
            f"VolumeBreakEven({self.candidate!r} vs {self.baseline!r}: cheaper from "
            f"{self.tokens_per_month:.4g} tokens/month; at that volume "
            f"{self.baseline} ${self.baseline_usd_per_mtok:.4g}/MTok, "
            f"{self.candidate} ${self.candidate_usd_per_mtok:.4g}/MTok)"
        ]


def _steady_monthly(option: Option, usage: Usage, volumes: np.ndarray, month: int) -> np.ndarray:
    """Recurring cost in ``month`` of a steady volume, for each volume (capex amortised)."""
    total = volumes[:, None] * np.ones(month)
    arrays = UsageArrays.split(
        total,
        output_share=usage.output_share,
        cached_input_share=usage.cached_input_share,
        peak_to_average=usage.peak_to_average,
        operating_hours=usage.operating_hours_per_month,
        tokens_per_request=usage.tokens_per_request,
    )
    parts = option.cost_parts(arrays, CostContext(capex="amortized"))
    recurring = Ledger.of(parts, month).cost.arrays(month)[1]
    return np.broadcast_to(recurring, total.shape)[:, -1]


@takes_question
def break_even_volume(
    baseline: Option,
    candidate: Option,
    usage_shape: Usage,
    *,
    month: int = 1,
    max_tokens_per_month: float = 1e16,
) -> VolumeBreakEven:
    """The steady monthly volume at which the candidate becomes cheaper per month.

    Monthly cost is taken in ``month`` (prices and trends as of that month) for a volume
    held constant, one-time costs excluded and hardware amortised straight-line. Only the
    shape of ``usage_shape`` (output share, cache share, peak, hours) is used.

    The difference of the monthly costs is a step function of volume (fleets come in
    whole replicas), so the candidate can be cheaper at every point of a grid and still
    more expensive in a narrow window just above a replica step. The search evaluates a
    fine logarithmic grid up to ``max_tokens_per_month`` and then refines it: an interval
    ``[lo, hi]`` whose ends are both cheaper is certified when ``candidate(hi) <
    baseline(lo)`` (each side's monthly cost never falls as volume grows, so the
    candidate is cheaper everywhere inside); any other interval above the last volume
    that is not cheaper is halved, and so is the interval just above it, until float
    precision. Volumes below one token a month are not resolved: a threshold there is 0.

    Examples
    --------
    >>> import tco
    >>> shape = tco.Usage.constant(0, months=1, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0)
    >>> flat = tco.VendorAPI("flat", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0,
    ...                      fixed_usd_per_month=1000.0)
    >>> round(tco.break_even_volume(api, flat, shape).tokens_per_month)  # 1000 / ($1/MTok)
    1000000000
    """
    check_option(baseline, "baseline")
    check_option(candidate, "candidate")
    check_usage(usage_shape, "usage_shape")
    month = check_whole(month, "month", minimum=1, what="a month number")
    top = check_number(max_tokens_per_month, "max_tokens_per_month")
    if not top > 1e3:
        raise ValueError(f"max_tokens_per_month: {max_tokens_per_month!r} -> a number > 1000")
    for option in (baseline, candidate):
        warn_prices(option)
    search = _Search(baseline, candidate, usage_shape, month, top)
    last = search.run()
    names = {"baseline": baseline.name, "candidate": candidate.name}
    if last == search.volumes.size - 1:
        return VolumeBreakEven(
            **names,
            tokens_per_month=None,
            reason=search.why_none(),
            baseline_usd_per_mtok=None,
            candidate_usd_per_mtok=None,
            baseline_monthly_usd=None,
            candidate_monthly_usd=None,
        )
    volume = float(search.volumes[last + 1]) if last >= 0 else 0.0
    if volume <= 1.0:  # less than a token a month: cheaper from (almost) nothing
        volume = 0.0
    c_cost, b_cost = (float(x[0]) for x in search.costs(np.array([volume])))
    per = (lambda usd: usd / (volume / 1e6)) if volume > 0 else (lambda usd: math.inf)
    return VolumeBreakEven(
        **names,
        tokens_per_month=volume,
        reason=None,
        baseline_usd_per_mtok=per(b_cost),
        candidate_usd_per_mtok=per(c_cost),
        baseline_monthly_usd=b_cost,
        candidate_monthly_usd=c_cost,
    )


class _Search:
    """Both sides' steady monthly costs on a grid of volumes, refined where it matters."""

    def __init__(
        self, baseline: Option, candidate: Option, shape: Usage, month: int, top: float
    ) -> None:
        self.baseline, self.candidate, self.shape, self.month = baseline, candidate, shape, month
        self.top = top
        self.volumes = np.concatenate([[0.0], np.geomspace(1e3, top, 20_001)])
        self.c, self.b = self.costs(self.volumes)

    def costs(self, volumes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Candidate's and baseline's monthly cost at each volume. [USD]

        Raises
        ------
        FloatingPointError
            A cost is not finite at some volume searched (naming the option, the volume and
            its most extreme input).
        """
        out = []
        for option in (self.candidate, self.baseline):
            with np.errstate(over="ignore", invalid="ignore"):  # checked just below
                cost = _steady_monthly(option, self.shape, volumes, self.month)
            bad = ~np.isfinite(cost)
            if bad.any():
                at = float(volumes[np.flatnonzero(bad)[0]])
                raise not_finite(option, f"monthly cost at a steady {at:.3g} tokens/month")
            out.append(cost)
        return out[0], out[1]

    def last_not_cheaper(self) -> tuple[np.ndarray, np.ndarray, int]:
        """Tolerance, where the candidate is not cheaper, and the last such index (-1)."""
        tol = steady_tolerance(self.c, self.b)
        not_cheaper = self.c - self.b >= -tol
        last = int(np.flatnonzero(not_cheaper)[-1]) if not_cheaper.any() else -1
        return tol, not_cheaper, last

    def run(self) -> int:
        """Refine until no interval above the last volume that is not cheaper can hide one;
        the index of that volume (-1: none, the last index: not cheaper at the top)."""
        for _ in range(_MAX_REFINEMENTS):
            tol, _, last = self.last_not_cheaper()
            if last == self.volumes.size - 1 or not self._halve(tol, last):
                return last
        return self.last_not_cheaper()[2]

    def _halve(self, tol: np.ndarray, last: int) -> bool:
        """Halve the intervals from the last volume that is not cheaper on that are not
        certified cheaper; False when none can be halved (float precision reached)."""
        c, b, volumes = self.c, self.b, self.volumes
        j = np.arange(max(last, 0), volumes.size - 1)
        lo, hi = volumes[j], volumes[j + 1]
        split = c[j + 1] - b[j] >= -np.maximum(tol[j], tol[j + 1])
        if last >= 0:
            split[0] = True  # the bracket of the last sign change, bisected to float precision
        mid = 0.5 * (lo + hi)
        split &= (mid > lo) & (mid < hi) & (hi > 1.0)
        if not split.any():
            return False
        new = mid[split]
        c_new, b_new = self.costs(new)
        at = j[split] + 1
        self.volumes = np.insert(volumes, at, new)
        self.c = np.insert(c, at, c_new)
        self.b = np.insert(b, at, b_new)
        return True

    def why_none(self) -> str:
        _, not_cheaper, _ = self.last_not_cheaper()
        reason = (
            "candidate never cheaper per month at any steady volume"
            if not_cheaper.all()
            else "candidate cheaper per month at some volumes but not from any volume on"
        )
        return f"{reason} (checked up to {self.top:.3g} tokens/month)"
