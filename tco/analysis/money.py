"""Results' money tables in another currency (``currency=`` on their table methods).

Amounts stay US dollars inside results; these helpers convert a finished table for display,
importing the exchange rates (:mod:`tco.pricing.currency`) only when a currency is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tco.core.money import USD, Currency

if TYPE_CHECKING:
    import pandas as pd

    from tco.pricing.currency import CurrencyLike

__all__ = ["as_currency", "money_frame", "money_series"]


def as_currency(value: CurrencyLike) -> Currency:
    """``currency=`` resolved: US dollars for None; the exchange rates
    (:mod:`tco.pricing.currency`) are read only when another currency is asked for.

    Raises
    ------
    ValueError
        For an unknown currency, naming the field, the value and the known ones.
    """
    if value is None:
        return USD
    from tco.pricing.currency import currency

    return currency(value)


def money_frame(
    frame: pd.DataFrame,
    currency: CurrencyLike,
    columns: Iterable[Any] | None = None,
    *,
    rename: bool = True,
) -> pd.DataFrame:
    """``frame`` (US dollars) in ``currency``; the frame itself when ``currency`` is None.

    See :func:`tco.core.money.convert_frame` for ``columns`` and ``rename``.
    """
    if currency is None:
        return frame
    from tco.pricing.currency import in_currency

    return in_currency(frame, currency, columns, rename=rename)


def money_series(series: pd.Series, currency: CurrencyLike) -> pd.Series:
    """A Series of US dollars in ``currency``, its ``*_usd`` name renamed; itself when None.

    Examples
    --------
    >>> import pandas as pd
    >>> from tco.core.money import Currency
    >>> s = money_series(pd.Series([250.0], name="npv_usd"), Currency("EUR", 1.25))
    >>> s.name, s.tolist(), s.attrs["currency"]
    ('npv_eur', [200.0], 'EUR')
    """
    cur = as_currency(currency)
    if cur.is_usd:
        return series
    out = cur.from_usd(series.astype(float))
    out.name = cur.column(series.name) if isinstance(series.name, str) else series.name
    out.attrs = {**series.attrs, **cur.attrs()}
    return out
