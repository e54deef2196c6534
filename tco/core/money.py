"""Money in a currency: conversion from US dollars and the one place money is formatted.

Every amount inside ``tco`` is in US dollars. A :class:`Currency` states what one unit of
another currency is worth in dollars (from the catalog's FX table, see
:func:`tco.pricing.currency`), converts amounts for display and writes them: ``$1.2M``,
``€1.2M``, ``£1.2M``, ``¥180M``, and other ISO codes as a prefix (``CHF 1.2M``).

Tables are converted by :func:`convert_frame`: money columns (``usd`` a word of their
name) are renamed to the currency (``total_usd`` -> ``total_eur``) and ``attrs`` record
the currency, the rate and its source, so a converted table always says what it is in.

Notes
-----
An amount ``x`` in US dollars is ``x / usd_per_unit`` units of the currency.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SYMBOLS", "USD", "Currency", "convert_frame", "format_money"]

SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
"""Currencies written with a symbol; any other ISO code is written as a prefix."""


@dataclass(frozen=True)
class Currency:
    """A currency money is shown in, and its exchange rate to US dollars.

    Attributes
    ----------
    code : str
        ISO 4217 code, three capital letters (``"EUR"``).
    usd_per_unit : float
        US dollars per unit of the currency (``1.1172`` for the euro). [USD/unit]
    source : str
        Where the rate comes from.
    as_of : str
        The date of the rate (ISO format), or ``""`` for US dollars.

    Examples
    --------
    >>> eur = Currency("EUR", 1.25, "test rate", "2026-10-30")
    >>> eur.from_usd(1_000.0), eur.format(1_234_567), eur.unit
    (800.0, '€1.23M', 'EUR')
    >>> Currency("CHF", 1.2).format(-4_560)
    '-CHF 4.56k'
    """

    code: str
    usd_per_unit: float
    source: str = ""
    as_of: str = ""

    def __post_init__(self) -> None:
        if not (isinstance(self.code, str) and len(self.code) == 3 and self.code.isupper()):
            raise ValueError(f"currency code: {self.code!r} -> three capital letters, e.g. 'EUR'")
        rate = self.usd_per_unit
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0:
            raise ValueError(
                f"usd_per_unit of {self.code}: {rate!r} -> a finite number > 0 [USD per unit]"
            )
        if not math.isfinite(rate):
            raise ValueError(
                f"usd_per_unit of {self.code}: {rate!r} -> a finite number > 0 [USD per unit]"
            )

    @property
    def unit(self) -> str:
        """The unit for an axis label or a table: the ISO code (``"EUR"``)."""
        return self.code

    @property
    def suffix(self) -> str:
        """The column-name suffix: ``"eur"`` (``total_usd`` -> ``total_eur``)."""
        return self.code.lower()

    @property
    def is_usd(self) -> bool:
        return self.code == "USD"

    def from_usd(self, usd: Any) -> Any:
        """``usd`` (a number, array, Series or DataFrame of US dollars) in this currency."""
        return usd if self.is_usd else usd / self.usd_per_unit

    def format(self, amount: float, pos: Any = None) -> str:
        """An amount already in this currency, short (usable as a tick formatter)."""
        return format_money(amount, self)

    def words(self, usd: float, decimals: int = 0) -> str:
        """An amount of US dollars in this currency for a sentence: thousands separators,
        ``decimals`` places, the sign first (from 1e15 on, three significant digits in
        scientific notation: no line of 300 digits); ``n/a`` when not finite.

        Examples
        --------
        >>> eur = Currency("EUR", 1.25)
        >>> eur.words(1_000_000), eur.words(-2.5, 2), USD.words(0.4), USD.words(float("nan"))
        ('€800,000', '-€2.00', '$0', 'n/a')
        >>> USD.words(1e308), USD.words(-4.2e16)
        ('$1e+308', '-$4.2e+16')
        """
        value = float(self.from_usd(float(usd)))
        if not math.isfinite(value):
            return "n/a"
        sign = "-" if round(value, decimals) < 0 else ""
        prefix = SYMBOLS.get(self.code, f"{self.code} ")
        shown = f"{abs(value):.3g}" if abs(value) >= 1e15 else f"{abs(value):,.{decimals}f}"
        return f"{sign}{prefix}{shown}"

    def column(self, name: str) -> str:
        """A money column's name in this currency: its ``usd`` word replaced.

        Examples
        --------
        >>> eur = Currency("EUR", 1.1)
        >>> eur.column("npv_usd"), eur.column("usd_per_mtok"), eur.column("peak_gpus")
        ('npv_eur', 'eur_per_mtok', 'peak_gpus')
        """
        return "_".join(self.suffix if w == "usd" else w for w in name.split("_"))

    def attrs(self) -> dict[str, Any]:
        """What a converted table records in its ``attrs``."""
        return {
            "currency": self.code,
            "usd_per_unit": self.usd_per_unit,
            "fx_source": self.source,
            "fx_as_of": self.as_of,
        }


USD = Currency("USD", 1.0, "the catalog's own currency")
"""US dollars, the currency of every amount inside ``tco``."""


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _three_digits(value: float) -> str:
    """``value`` in [0, 1000) with three significant digits, trailing zeros dropped."""
    if value == 0:
        return "0"
    decimals = min(2, max(0, 2 - math.floor(math.log10(value))))
    return _trim(f"{value:.{decimals}f}")


def format_money(amount: float, currency: Currency = USD) -> str:
    """An amount in ``currency`` (already converted), short: three significant digits at
    most, trailing zeros dropped, with k, M, B, T. Not finite: ``"n/a"``. (In full, in a
    sentence: :meth:`Currency.words`.)

    Parameters
    ----------
    amount : float
        The amount, in ``currency``. [currency]
    currency : Currency
        Its currency (default US dollars).

    Examples
    --------
    >>> format_money(1_200_000), format_money(-4_560), format_money(0.075)
    ('$1.2M', '-$4.56k', '$0.075')
    >>> format_money(3.21e9, Currency("JPY", 0.0064)), format_money(12_000, Currency("GBP", 1.3))
    ('¥3.21B', '£12k')
    """
    x = float(amount)
    if not math.isfinite(x):
        return "n/a"
    sign = "-" if x < 0 else ""
    a = abs(x)
    prefix = SYMBOLS.get(currency.code, f"{currency.code} ")
    for unit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= unit * 0.9995:
            return f"{sign}{prefix}{_three_digits(a / unit)}{suffix}"
    if a >= 1 or a == 0:
        return f"{sign}{prefix}{_three_digits(a)}"
    return f"{sign}{prefix}{_trim(f'{a:.3g}')}"


def convert_frame(
    frame: pd.DataFrame,
    currency: Currency,
    columns: Iterable[Any] | None = None,
    *,
    rename: bool = True,
) -> pd.DataFrame:
    """A copy of ``frame`` with its money in ``currency``; unchanged (same object) in USD.

    Parameters
    ----------
    frame : DataFrame
        Amounts in US dollars.
    currency : Currency
    columns : iterable, optional
        The money columns. Default: the columns with the word ``usd`` in their names
        (``npv_usd``, ``usd_per_mtok``) when there are any, else every column (a table of
        options by month). They are renamed to the currency (``npv_usd`` -> ``npv_eur``).
    rename : bool
        Rename the money columns (False for tables whose columns are names,
        such as options by month).

    Returns
    -------
    DataFrame
        ``attrs`` records ``currency``, ``usd_per_unit``, ``fx_source`` and ``fx_as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"total_usd": [125.0], "peak_gpus": [4.0]})
    >>> out = convert_frame(frame, Currency("EUR", 1.25, "test", "2026-10-30"))
    >>> out.to_dict("list"), out.attrs["currency"]
    ({'total_eur': [100.0], 'peak_gpus': [4.0]}, 'EUR')
    """
    if currency.is_usd:
        return frame
    names = list(frame.columns)
    if columns is None:
        named = [c for c in names if isinstance(c, str) and "usd" in c.split("_")]
        columns = named or names
    money = list(columns)
    out = frame.copy()
    for col in money:
        out[col] = currency.from_usd(out[col].astype(float))
    if rename:
        out = out.rename(columns={c: currency.column(c) for c in money if isinstance(c, str)})
    out.attrs = dict(frame.attrs)
    out.attrs.update(currency.attrs())
    return out
