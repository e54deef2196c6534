"""A vendor model's lifecycle: retirement inside the horizon moves the traffic to its
successor.

A model retired on day ``d`` serves to the end of the month containing ``d`` and its
successor's prices apply from the first month after it (DESIGN.md), with the retiring
option's one-time ``migration_usd`` at the start of that month, as its own component
(``migration``). What belongs to the deployment rather than the model carries over: the
traffic mix over tiers, fees, staff, region and the price trend. A successor retiring in
turn moves on to its own successor. A model already retired when the horizon starts is
served by its successor from the start (no migration: the deployment starts there).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tco.core.arrays import UsageArrays
from tco.core.parts import CostContext, CostParts
from tco.core.series import one_time_at
from tco.options.switch import switch_parts

if TYPE_CHECKING:
    from tco.options.api import VendorAPI

__all__ = ["MODEL_FIELDS", "migrate", "month_of", "retirement_month"]

MODEL_FIELDS = (
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_read_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "cache_write_1h_usd_per_mtok",
    "batch_discount",
    "flex_input_usd_per_mtok",
    "flex_output_usd_per_mtok",
    "priority_input_usd_per_mtok",
    "priority_output_usd_per_mtok",
    "long_context_threshold_tokens",
    "long_context_input_usd_per_mtok",
    "long_context_output_usd_per_mtok",
    "long_context_cache_read_usd_per_mtok",
    "residency_uplift",
    "deprecation_date",
    "successor",
    "migration_usd",
)
"""What a successor brings: the model's prices and its own lifecycle. Everything else
(traffic mix, fees, staff, region, price trend) belongs to the deployment and carries over."""


def month_of(day: date, start: date) -> int:
    """The month (1 = the month of ``start``) in which ``day`` falls.

    Examples
    --------
    >>> month_of(date(2027, 1, 14), date(2026, 12, 1))
    2
    >>> month_of(date(2026, 5, 31), date(2026, 12, 1))
    -6
    """
    return (day.year - start.year) * 12 + (day.month - start.month) + 1


def retirement_month(api: VendorAPI, usage: UsageArrays, context: CostContext) -> int | None:
    """The last month ``api`` serves within the context's window, when it retires inside it
    (``first - 1`` when it is retired before the window starts); None otherwise.

    Raises
    ------
    ValueError
        When it retires within the window and has no successor.
    """
    if api.deprecation_date is None:
        return None
    start = usage.start or date.today().replace(day=1)
    last = month_of(api.deprecation_date, start)
    first, end = context.bounds(usage.months)
    if last >= end:
        return None
    if api.successor is None:
        raise ValueError(
            f"{api.name}: retires on {api.deprecation_date:%Y-%m-%d} (month {last} of a "
            f"horizon starting {start:%Y-%m}) and no successor is known -> give "
            f"successor=..., or a horizon that ends by month {max(last, 0)}"
        )
    return max(last, first - 1)


def migrate(api: VendorAPI, month: int, usage: UsageArrays, context: CostContext) -> CostParts:
    """Costs of ``api`` to ``month`` and of its successor's prices after it."""
    successor = api.successor
    assert successor is not None
    first, _ = context.bounds(usage.months)
    moving = month >= first  # served a while, then moved (not retired before the start)
    before = api.model_copy(update={"deprecation_date": None, "successor": None})
    changes = {k: getattr(successor, k) for k in MODEL_FIELDS}
    if moving:
        changes["setup_usd"] = 0.0  # integrated once; the move costs migration_usd
    after = api.model_copy(update=changes)
    parts = switch_parts(before, after, month, usage, context)
    if moving:
        move = one_time_at(api.migration_usd, month + 1, usage.months)
        later = parts.upfront.get("migration")  # the successor's own move, if any
        parts.upfront["migration"] = move if later is None else move + later
    return parts
