"""The currency a result or chart is shown in, from the catalog's exchange rates (``fx.csv``).

Money stays in US dollars inside ``tco``; a table or chart is converted only for display.
:func:`currency` turns what a user passes as ``currency=`` into a
:class:`~tco.core.money.Currency`: an ISO code looked up in the bundled ``fx.csv`` (or in a
catalog of one's own), a row of that table (``prices.fx("eur")``), or a ``Currency``.
:func:`in_currency` converts a table of US dollars.

Examples
--------
>>> from tco.pricing.currency import currency
>>> eur = currency("eur")
>>> eur.code, eur.usd_per_unit > 0, eur.as_of != ""
('EUR', True, True)
>>> currency("XYZ")
Traceback (most recent call last):
...
ValueError: currency: 'XYZ' is not a known currency; known: CAD, CHF, EUR, GBP, JPY, USD (fx.csv)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tco.core.money import USD, Currency, convert_frame
from tco.pricing.problems import UnknownPriceError
from tco.pricing.reference_rows import FxRate

if TYPE_CHECKING:
    import pandas as pd

    from tco.pricing.catalog import PricingCatalog

__all__ = ["CurrencyLike", "currency", "in_currency", "known_currencies"]

CurrencyLike = str | FxRate | Currency | None
"""What ``currency=`` takes: an ISO code, a row of ``fx.csv``, a Currency, or None (USD)."""


@functools.cache
def _bundled() -> PricingCatalog:
    from tco.pricing.load import load_pricing

    return load_pricing()


def known_currencies(prices: PricingCatalog | None = None) -> list[str]:
    """The ISO codes with an exchange rate in ``prices`` (default: the bundled catalog).

    Examples
    --------
    >>> "EUR" in known_currencies() and "USD" in known_currencies()
    True
    """
    catalog = _bundled() if prices is None else prices
    return sorted({"USD", *catalog.fx_rates["currency"].astype(str)})


def _of_row(row: FxRate) -> Currency:
    return Currency(row.currency, float(row.usd_per_unit), row.source, row.as_of.isoformat())


def currency(
    value: CurrencyLike,
    prices: PricingCatalog | None = None,
    *,
    field: str = "currency",
) -> Currency:
    """The :class:`~tco.core.money.Currency` that ``value`` names.

    Parameters
    ----------
    value : str, FxRate, Currency or None
        An ISO code in any case (``"eur"``), a row of ``fx.csv``, a Currency, or None
        for US dollars.
    prices : PricingCatalog, optional
        The catalog whose ``fx.csv`` rates to use (default: the bundled one).
    field : str
        The argument's name, for the error message.

    Raises
    ------
    ValueError
        For an unknown code or a value of another type: the message names ``field``, the
        value and the known currencies.
    """
    if value is None:
        return USD
    if isinstance(value, Currency):
        return value
    if isinstance(value, FxRate):
        return _of_row(value)
    catalog = _bundled() if prices is None else prices
    if not isinstance(value, str):
        raise ValueError(
            f"{field}: {value!r} ({type(value).__name__}) -> an ISO code such as 'EUR'; "
            f"known: {', '.join(known_currencies(catalog))}"
        )
    try:
        row = catalog.fx(value)
    except UnknownPriceError:
        known = ", ".join(known_currencies(catalog))
        raise ValueError(
            f"{field}: {value!r} is not a known currency; known: {known} (fx.csv)"
        ) from None
    return _of_row(row)


def in_currency(
    frame: pd.DataFrame,
    value: CurrencyLike,
    columns: Iterable[Any] | None = None,
    *,
    rename: bool = True,
) -> pd.DataFrame:
    """A table of US dollars in the currency ``value`` names (itself when None or USD).

    See :func:`tco.core.money.convert_frame` for ``columns`` and ``rename``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"total_usd": [1_000.0]})
    >>> in_currency(frame, None) is frame
    True
    >>> list(in_currency(frame, "gbp").columns), in_currency(frame, "gbp").attrs["currency"]
    (['total_gbp'], 'GBP')
    """
    if value is None:
        return frame
    return convert_frame(frame, currency(value), columns, rename=rename)
