"""How sure the report's answer is, in words and figures, for both pages (``report.html``
and ``report.md``): where the ranges come from, each range with its savings at both ends,
and the three key numbers of the Monte Carlo run (:mod:`tco.report.uncertainty`).

Text only, not escaped: each page escapes it as its format needs.
"""

from __future__ import annotations

import math

from tco.report.facts import Facts
from tco.report.uncertainty import API_PRICE_SPREAD, GPU_PRICE_SPREAD, GROWTH_SPREAD

__all__ = [
    "NOTHING_TO_VARY",
    "RANGES_HEADER",
    "SAVINGS_NOTE",
    "key_numbers",
    "month_words",
    "origin",
    "range_rows",
]

NOTHING_TO_VARY = (
    "Nothing to vary: the file declares no [ranges], and the comparison has no GPU price, API "
    "token price or compound growth to apply the defaults to."
)
RANGES_HEADER = ["input (path)", "low", "value", "high", "savings if low", "savings if high"]
SAVINGS_NOTE = (
    "Savings: at the horizon, undiscounted, with that input at its low or high value and "
    "every other input as given; largest swing first."
)


def origin(facts: Facts) -> str:
    """Where the ranges come from (the file's ``[ranges]`` or the defaults), and the draws."""
    unc = facts.uncertainty
    assert unc is not None
    n = f"{unc.result.n:,} draws (seed 0)"
    if unc.from_file:
        return (
            f"The inputs below vary over the ranges of the scenario file's [ranges] table, each "
            f"drawn uniformly and independently between its low and high value; {n}."
        )
    return (
        "The scenario file declares no [ranges], so the report uses its defaults: every GPU "
        f"price \u00b1{GPU_PRICE_SPREAD:.0%} and every API token price (a successor model's "
        f"too) \u00b1{API_PRICE_SPREAD:.0%} around its value, and the monthly growth of a "
        f"compound usage curve \u00b1{GROWTH_SPREAD:.0%}; inputs that are 0 or unset stay "
        f"as they are. Each is drawn uniformly and independently; {n}. Declare a [ranges] "
        "table in the scenario file to choose them."
    )


def month_words(t: float) -> str:
    """A break-even time as the month it falls in, or ``never``.

    >>> month_words(3.2), month_words(0.0), month_words(math.inf)
    ('month 4', 'from the start', 'never')
    """
    return "never" if math.isinf(t) else ("from the start" if t == 0 else f"month {math.ceil(t)}")


def range_rows(facts: Facts) -> list[tuple[str, str, list[str]]]:
    """Each range: its label, its parameter path, and the cells low, value, high, savings
    if low, savings if high (money in the report's currency)."""
    assert facts.uncertainty is not None
    return [
        (
            r.label,
            r.path,
            [
                f"{r.low:,.4g}",
                "not set" if r.base is None else f"{r.base:,.4g}",
                f"{r.high:,.4g}",
                facts.money(r.savings_low_usd),
                facts.money(r.savings_high_usd),
            ],
        )
        for r in facts.uncertainty.ranges
    ]


def key_numbers(facts: Facts) -> list[tuple[str, str]]:
    """The chance of breaking even, the median break-even month and the median savings at
    the horizon (each with its P10 and P90): (figure, what it is)."""
    assert facts.uncertainty is not None
    mc = facts.uncertainty.result
    p10, p50, p90 = (float(v) for v in mc.break_even_percentiles())
    s10, s50, s90 = (float(v) for v in mc.savings_percentiles())
    costs_more = " (negative: the candidate costs more)" if s50 < 0 else ""
    payback = ", discounted payback" if mc.discount_rate else ""
    return [
        (f"{1 - mc.prob_never:.1%}", f"of {mc.n:,} draws break even within {mc.horizon} months"),
        (
            month_words(p50),
            f"median break-even{payback} (P10: {month_words(p10)}, P90: {month_words(p90)})",
        ),
        (
            facts.money(s50),
            f"median savings at the horizon, undiscounted{costs_more} (P10: "
            f"{facts.money(s10)}, P90: {facts.money(s90)})",
        ),
    ]
