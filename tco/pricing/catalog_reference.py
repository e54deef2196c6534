"""The catalog's look-ups beyond prices: lifecycle, price history, trend, exchange rates.

:class:`CatalogReference` is a base of :class:`tco.pricing.PricingCatalog`; its methods
read the catalog's validated rows (``_entries``) and reference date (``_today``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tco.core.presets import TrendPreset
from tco.pricing.history import observed_decline, observed_preset, pooled_decline
from tco.pricing.lifecycle import RETIRING_WITHIN_DAYS, lifecycle_table, successor_chain
from tco.pricing.problems import UnknownPriceError
from tco.pricing.reference_rows import FxRate
from tco.pricing.schema import ApiPrice, CatalogEntry
from tco.pricing.staleness import STALE_AFTER_DAYS, stale_rows, stale_summary

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CatalogReference"]


class CatalogReference:
    """Lifecycle, staleness, price history, observed trend and exchange rates."""

    _entries: dict[str, tuple[CatalogEntry, ...]]
    _api: dict[str, ApiPrice]
    _today: date

    def table(self, kind: str) -> pd.DataFrame:  # pragma: no cover - PricingCatalog's
        raise NotImplementedError

    # -- lifecycle ------------------------------------------------------------------------

    def lifecycle(self, within_days: int = RETIRING_WITHIN_DAYS) -> pd.DataFrame:
        """Every API model's lifecycle on the catalog's date, soonest retirement first.

        Parameters
        ----------
        within_days : int
            A model retiring at most this many days after the catalog's date is
            ``retiring``. [days]

        Returns
        -------
        pandas.DataFrame
            Columns ``id``, ``deprecation_date``, ``successor``, ``status`` (``retired``,
            ``retiring`` or ``current``), ``days_left`` and ``origin``
            (:func:`tco.pricing.lifecycle.lifecycle_table`).

        Examples
        --------
        >>> import tco
        >>> life = tco.load_pricing().lifecycle()
        >>> life.set_index("id").loc["openai/gpt-4o", "successor"]
        'openai/gpt-6-luna'
        """
        return lifecycle_table(self._entries["api"], self._today, within_days)

    def successor_chain(self, id: str) -> list[str]:
        """The ids ``id`` moves to, one retirement after another, nearest first.

        Examples
        --------
        >>> import tco
        >>> tco.load_pricing().successor_chain("openai/gpt-4o")
        ['openai/gpt-6-luna']
        """
        if id not in self._api:
            from tco.pricing.problems import unknown_key_error

            raise unknown_key_error("API model", str(id), self._api)
        return successor_chain(self._api, id)

    # -- staleness ------------------------------------------------------------------------

    def _dated(self) -> dict[str, tuple[CatalogEntry, ...]]:
        """The tables whose ``as_of`` can go stale: the catalog's and the exchange rates
        (a price history row records a past price, which does not)."""
        return {kind: e for kind, e in self._entries.items() if kind != "history"}

    def stale(self, days: int = STALE_AFTER_DAYS, today: date | None = None) -> pd.DataFrame:
        """Rows whose ``as_of`` is more than ``days`` days before ``today``, oldest first.

        Parameters
        ----------
        days : int
            Age threshold. [days]
        today : datetime.date, optional
            Reference date (default: the catalog's, i.e. the load date).

        Returns
        -------
        pandas.DataFrame
            Columns ``file``, ``key``, ``as_of``, ``age_days``, ``origin``, ``source``.

        Examples
        --------
        >>> import tco
        >>> list(tco.load_pricing().stale(days=100_000).columns)
        ['file', 'key', 'as_of', 'age_days', 'origin', 'source']
        """
        return stale_rows(self._dated(), days, today or self._today)

    def stale_summary(self, days: int = STALE_AFTER_DAYS) -> list[str]:
        """One line per file with stale rows: how many of how many, and the oldest three."""
        every_entry = (e for entries in self._dated().values() for e in entries)
        return stale_summary(self.stale(days), every_entry, days)

    # -- price history and trend ----------------------------------------------------------

    @property
    def price_history(self) -> pd.DataFrame:
        """``api_price_history.csv``: dated list prices (``effective_from`` a datetime)."""
        return self.table("history")

    def observed_decline(
        self, provider: str | None = None, tier: str | None = None, *, output_share: float = 0.25
    ) -> pd.DataFrame:
        """The fitted annual price decline per provider and tier
        (:func:`tco.pricing.history.observed_decline` of :attr:`price_history`)."""
        return observed_decline(
            self.price_history, provider, tier, output_share=output_share, today=self._today
        )

    def observed_trend(
        self, provider: str | None = None, tier: str | None = None, *, output_share: float = 0.25
    ) -> float:
        """The observed annual price decline, for ``VendorAPI(annual_price_decline=...)``.

        One log-linear fit over the history rows of ``provider`` (None: every provider)
        and ``tier`` (None: every tier, each with its own level), for a request mix with
        ``output_share`` of output tokens; see :mod:`tco.pricing.history`.

        Raises
        ------
        ValueError
            Too few points, or the fitted prices rose (``annual_price_decline`` is a
            decline in [0, 1)); the message gives the figure.

        Examples
        --------
        >>> import tco
        >>> 0 <= tco.load_pricing().observed_trend("anthropic") < 1
        True
        """
        decline, points, span = pooled_decline(
            self.price_history, provider, tier, output_share=output_share, today=self._today
        )
        if not 0.0 <= decline < 1.0:
            raise ValueError(
                f"the fitted prices of {provider or 'all providers'} rose {-decline:.1%} a year "
                f"({points} points over {span:.1f} years); annual_price_decline takes a "
                "decline in [0, 1): pass one of your own"
            )
        return decline

    def observed_preset(
        self, provider: str | None = None, tier: str | None = None, *, output_share: float = 0.25
    ) -> TrendPreset:
        """The ``observed`` price-trend preset, fitted from :attr:`price_history` on the
        catalog's date (:func:`tco.pricing.history.observed_preset`).

        Unlike :meth:`observed_trend`, a rise does not raise: it is reported in the preset's
        ``summary`` and ``fitted_decline``, and its ``annual_decline`` is 0 (flat).
        ``tco.API_PRICE_TRENDS["observed"]`` is this preset for the bundled history on
        :data:`tco.core.presets.OBSERVED_AS_OF`.

        Examples
        --------
        >>> import tco
        >>> preset = tco.load_pricing().observed_preset("openai")
        >>> preset.annual_decline, preset.rose
        (0.0, True)
        """
        return observed_preset(
            self.price_history, provider, tier, output_share=output_share, today=self._today
        )

    # -- exchange rates -------------------------------------------------------------------

    @property
    def fx_rates(self) -> pd.DataFrame:
        """``fx.csv``: US dollars per unit of each currency."""
        return self.table("fx")

    def fx(self, currency: str) -> FxRate:
        """The exchange rate of ``currency`` (ISO code, any case): USD per unit.

        ``USD`` itself is 1 (the catalog's currency). An unknown currency raises
        :class:`~tco.UnknownPriceError` listing the known ones.

        Examples
        --------
        >>> import tco
        >>> rate = tco.load_pricing().fx("eur")
        >>> rate.currency, rate.usd_per_unit > 0
        ('EUR', True)
        """
        rates = {e.row.currency: e.row for e in self._entries["fx"] if isinstance(e.row, FxRate)}
        code = currency.strip().upper() if isinstance(currency, str) else currency
        if code == "USD":
            return FxRate(
                currency="USD",
                usd_per_unit=1.0,
                source="the catalog's own currency",
                as_of=self._today,
            )
        if code not in rates:
            known = ", ".join(sorted({"USD", *rates}))
            raise UnknownPriceError(f"unknown currency {currency!r}; known: {known}", str(currency))
        return rates[code]
