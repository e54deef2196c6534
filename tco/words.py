"""How figures read in words and tables: money (US dollars or another currency), the
break-even volume, a model's retirement, and a source's date and age.

Money is US dollars inside ``tco``; the functions here take amounts in dollars and an
optional :class:`~tco.core.money.Currency` to show them in (None: dollars).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from tco.core.money import SYMBOLS, USD, Currency

if TYPE_CHECKING:
    from tco.analysis.volume import VolumeBreakEven
    from tco.scenario.lifecycle import Retirement

__all__ = [
    "VOLUME_COSTS",
    "VOLUME_LABEL",
    "money",
    "per_mtok",
    "rate_words",
    "retirement_words",
    "source_date",
    "symbol",
    "usd",
    "volume_words",
]


def usd(x: float) -> str:
    """Whole US dollars with thousands separators, the sign first; ``n/a`` for a
    non-finite amount.

    >>> usd(54000.4), usd(-827855.2), usd(float("inf"))
    ('$54,000', '-$827,855', 'n/a')
    """
    return USD.words(x)


def money(x: float, currency: Currency | None = None) -> str:
    """An amount of US dollars in whole units of ``currency`` (default dollars), with
    thousands separators; ``n/a`` when not finite.

    >>> money(54000.4), money(1117.2, Currency("EUR", 1.1172)), money(-10, Currency("CHF", 1.25))
    ('$54,000', '€1,000', '-CHF 8')
    """
    return (USD if currency is None else currency).words(x)


def symbol(currency: Currency | None = None) -> str:
    """The sign money in ``currency`` is written with: ``$``, ``€``, ``£``, ``¥`` or the
    code and a space (``"CHF "``)."""
    cur = USD if currency is None else currency
    return SYMBOLS.get(cur.code, f"{cur.code} ")


def per_mtok(x: float | None, currency: Currency | None = None) -> str:
    """A price per million tokens given in US dollars, in ``currency`` to the tenth of a
    cent (or of a yen); ``n/a`` when undefined.

    >>> per_mtok(4.392), per_mtok(4.392, Currency("EUR", 1.1172)), per_mtok(None)
    ('$4.392', '€3.931', 'n/a')
    """
    if x is None:
        return "n/a"
    return (USD if currency is None else currency).words(x, 3)


def rate_words(currency: Currency) -> str:
    """The exchange rate in words, with its source and date (said once per output).

    >>> print(rate_words(Currency("EUR", 1.1172, "ECB reference rate", "2026-10-30")))
    money in EUR at 1.1172 USD per EUR (ECB reference rate, 2026-10-30); computed in USD
    """
    if currency.is_usd:
        return "money in USD"
    where = ", ".join(x for x in (currency.source, currency.as_of) if x)
    return (
        f"money in {currency.code} at {currency.usd_per_unit:.6g} USD per {currency.code}"
        + (f" ({where})" if where else "")
        + "; computed in USD"
    )


VOLUME_LABEL = "Break-even volume at month-1 prices"
"""How the break-even volume is introduced: it is a steady volume costed at month-1 prices
(``break_even_volume(..., month=1)``), so a retirement or a price trend later does not move
it."""

VOLUME_COSTS = " ({baseline} {baseline_cost}, {candidate} {candidate_cost} at that volume)"
"""How :func:`volume_words` states each side's cost at the break-even volume, in a report."""


def volume_words(
    volume: VolumeBreakEven, costs: str = VOLUME_COSTS, currency: Currency | None = None
) -> str:
    """The break-even volume in words.

    Parameters
    ----------
    volume : VolumeBreakEven
        The answer of :func:`tco.break_even_volume`.
    costs : str
        Format string for each side's cost at that volume, appended after
        ``... tokens/month``; it may use ``{baseline}`` and ``{candidate}`` (option names)
        and ``{baseline_cost}`` and ``{candidate_cost}`` (such as ``$0.123/MTok``).
    currency : Currency, optional
        The currency the costs per million tokens are written in (default US dollars).

    Examples
    --------
    >>> from tco import VolumeBreakEven
    >>> volume = VolumeBreakEven("api", "fleet", 4.2e9, None, 2.5, 2.1, 10_500, 8_820)
    >>> print(volume_words(volume))
    fleet is cheaper per month from 4.2e+09 tokens/month (api $2.500/MTok, fleet
    $2.100/MTok at that volume)
    """
    if volume.tokens_per_month is None:
        return f"none ({volume.reason})"
    if volume.tokens_per_month == 0:
        return f"{volume.candidate} is cheaper per month at every volume"
    at_that_volume = costs.format(
        baseline=volume.baseline,
        candidate=volume.candidate,
        baseline_cost=f"{per_mtok(volume.baseline_usd_per_mtok, currency)}/MTok",
        candidate_cost=f"{per_mtok(volume.candidate_usd_per_mtok, currency)}/MTok",
    )
    return (
        f"{volume.candidate} is cheaper per month from {volume.tokens_per_month:.3g} "
        f"tokens/month{at_that_volume}"
    )


def retirement_words(move: Retirement, currency: Currency | None = None) -> str:
    """A model's retirement within the horizon in one sentence: the date, the month from
    which the successor's prices apply, the successor and the migration cost.

    Examples
    --------
    >>> from datetime import date
    >>> from tco.scenario.lifecycle import Retirement
    >>> move = Retirement("gpt-4o", "gpt-4o", date(2027, 1, 14), 2, "openai/gpt-6-luna",
    ...                   20_000.0, date(2027, 2, 1))
    >>> print(retirement_words(move))
    gpt-4o retires on 2027-01-14 (month 2): openai/gpt-6-luna's prices apply from month 3
    (2027-02), with a one-time migration cost of $20,000 in month 3 (cost component
    'migration').
    """
    model = move.model if move.model == move.option else f"{move.option} ({move.model})"
    if move.before_start:
        return (
            f"{model} retired on {move.retires:%Y-%m-%d}, before month 1: "
            f"{move.successor}'s prices apply from month 1 (no migration: the deployment "
            "starts on the successor)."
        )
    cost = money(move.migration_usd, currency)
    hint = "; migration_usd not set" if move.migration_usd == 0 else ""
    return (
        f"{model} retires on {move.retires:%Y-%m-%d} (month {move.last_month}): "
        f"{move.successor}'s prices apply from month {move.first_month} "
        f"({move.first_calendar_month:%Y-%m}), with a one-time migration cost of {cost} in "
        f"month {move.first_month} (cost component 'migration'{hint})."
    )


_SOURCE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\s*$")


def source_date(source: str) -> date | None:
    """The date a source was checked: the ``(YYYY-MM-DD)`` it ends with, else None.

    >>> source_date("GPU offer x: https://example.com/pricing (2026-09-25)")
    datetime.date(2026, 9, 25)
    >>> source_date("memory fit: 71.3 GB needed") is None
    True
    """
    match = _SOURCE_DATE.search(source)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None
