"""The metrics of a comparison, their labels, and how they read in words."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tco.core.money import USD, Currency

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = [
    "METRICS",
    "METRIC_LABELS",
    "check_metric",
    "format_months",
    "metric_table_html",
    "metric_text",
    "per_mtok_words",
    "swing_text",
]

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


def format_months(t: float) -> str:
    """Break-even time in words: ``"never"`` for inf, else months with two decimals.

    Examples
    --------
    >>> format_months(float("inf")), format_months(3.0)
    ('never', '3.00')
    """
    return "never" if math.isinf(t) else f"{t:.2f}"


def per_mtok_words(usd_per_mtok: float, currency: Currency = USD) -> str:
    """Cost per million tokens in words (in ``currency``); without tokens served it is
    undefined.

    >>> per_mtok_words(2.5), per_mtok_words(float("inf"))
    ('$2.500 per million tokens', 'no tokens served: cost per million tokens is undefined')
    """
    if not math.isfinite(usd_per_mtok):
        return "no tokens served: cost per million tokens is undefined"
    return f"{currency.words(usd_per_mtok, 3)} per million tokens"


def metric_text(metric: str, value: float) -> str:
    if metric == "months":
        return format_months(value)
    return f"${value:,.0f}"


def swing_text(metric: str, swing: float) -> str:
    if metric == "months" and math.isinf(swing):
        return "unbounded: never at one end"
    return metric_text(metric, swing)


def metric_table_html(frame: pd.DataFrame, metric: str) -> str:
    def fmt(col: str) -> Callable[[Any], str]:
        if col.startswith("metric_"):
            return lambda v: metric_text(metric, float(v))
        if col == "swing":
            return lambda v: swing_text(metric, float(v))
        return str  # escaped by to_html, as every cell and label

    formatters = {c: fmt(str(c)) for c in frame.columns}
    return frame.to_html(formatters=formatters, escape=True)  # type: ignore[arg-type]
