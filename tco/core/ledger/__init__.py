"""The ledger: the one place where cost parts are added up, discounted and compared.

An option's :class:`~tco.core.parts.CostParts` give each cost component by timing
(DESIGN.md): one-time costs at month starts, recurring costs over each month, credits at
month ends. This package turns them into

* timing totals (:func:`timed`), monthly and cumulative cost, totals over the horizon;
* present values: an annual rate ``r`` gives the monthly rate ``i = (1 + r) ** (1/12) - 1``;
  a one-time cost of month ``k`` is discounted to the month's start, ``(1 + i) ** -(k-1)``,
  recurring costs and credits to its end, ``(1 + i) ** -k`` (:func:`discount`);
* the break-even time ``t*`` of a candidate against a baseline and its tolerance
  (:func:`break_even_time`), and the words for why there is none (:func:`never_reason`).

Nothing outside this package discounts, sums months or computes a break-even tolerance.
Every function works over any leading batch axes (months last); a timing group with no
component is ``None`` (all zeros) and is skipped, which is exact, so a batch in which only
some groups vary keeps the others at shape ``(H,)``.
"""

from tco.core.ledger.breakeven import (
    REL_TOL,
    STEADY_REL_TOL,
    break_even_months,
    break_even_time,
    never_reason,
    steady_tolerance,
    tolerance,
)
from tco.core.ledger.running import cumulative_at, cumulative_into, cumulative_path, spent_so_far
from tco.core.ledger.totals import (
    Ledger,
    Timed,
    discount,
    discount_factors,
    monthly_rate,
    timed,
)

__all__ = [
    "REL_TOL",
    "STEADY_REL_TOL",
    "Ledger",
    "Timed",
    "break_even_months",
    "break_even_time",
    "cumulative_at",
    "cumulative_into",
    "cumulative_path",
    "discount",
    "discount_factors",
    "monthly_rate",
    "never_reason",
    "spent_so_far",
    "steady_tolerance",
    "timed",
    "tolerance",
]
