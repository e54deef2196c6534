"""Row models of the reference tables: the API price history and the exchange rates.

``api_price_history.csv`` records dated list prices of vendor models (the basis of the
observed price trend, :mod:`tco.pricing.history`); ``fx.csv`` the value of other
currencies in US dollars. Both are read from the same folders as the catalog and may be
overridden row by row the same way; neither is needed to price an option.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from tco.pricing.cells import IsoDate, Name, Positive, Price, Provider
from tco.pricing.rowbase import AsOf, Notes, PricingRow, Source

__all__ = ["TIERS", "FxRate", "PriceHistoryRow"]

TIERS = ("flagship", "mid", "small")
"""Price tiers of ``api_price_history.csv``: a vendor's line-up position (see README)."""

Tier = Literal["flagship", "mid", "small"]


class PriceHistoryRow(PricingRow):
    """A row of ``api_price_history.csv``: a model's list prices from a date on.

    The prices hold from ``effective_from`` until the model's next row (or its retirement).

    Examples
    --------
    >>> row = PriceHistoryRow(provider="openai", model="o3", tier="flagship",
    ...     effective_from="2025-06-10", input_usd_per_mtok=2, output_usd_per_mtok=8,
    ...     source="genai-prices 0.2.3", as_of="2026-11-10")
    >>> row.id, row.label
    ('openai/o3', 'openai/o3 from 2025-06-10')
    """

    key_fields: ClassVar[tuple[str, ...]] = ("provider", "model", "effective_from")

    provider: Provider = Field(description="provider name as in api_models.csv, without '/'")
    model: Name = Field(description="model name as in api_models.csv (non-empty)")
    tier: Tier = Field(
        description="one of " + ", ".join(TIERS) + ": the model's place in its vendor's line-up"
    )
    effective_from: IsoDate = Field(
        description="a date YYYY-MM-DD from which the prices apply (may be in the future "
        "for an announced change)"
    )
    input_usd_per_mtok: Price = Field(description="a number >= 0 [USD per million input tokens]")
    output_usd_per_mtok: Price = Field(description="a number >= 0 [USD per million output tokens]")
    cache_read_usd_per_mtok: Price | None = Field(
        None,
        description="a number >= 0 [USD per million cached input tokens], or empty (not published)",
    )
    deprecation_date: IsoDate | None = Field(
        None,
        description="a date YYYY-MM-DD on which the model was retired: required for a model "
        "not in api_models.csv, else empty",
    )
    source: Source
    as_of: AsOf
    notes: Notes = None

    @property
    def id(self) -> str:
        """``provider/model``."""
        return f"{self.provider}/{self.model}"

    @property
    def label(self) -> str:
        return f"{self.id} from {self.effective_from.isoformat()}"


Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class FxRate(PricingRow):
    """A row of ``fx.csv``: what one unit of a currency is worth in US dollars.

    Examples
    --------
    >>> eur = FxRate(currency="EUR", usd_per_unit="1.08", source="ECB", as_of="2026-11-27")
    >>> round(100 * eur.units_per_usd, 2)  # euros per 100 dollars
    92.59
    """

    key_fields: ClassVar[tuple[str, ...]] = ("currency",)

    currency: Currency = Field(description="an ISO 4217 code, three capital letters (EUR)")
    usd_per_unit: Positive = Field(description="a number > 0 [USD per unit of the currency]")
    source: Source
    as_of: AsOf
    notes: Notes = None

    @property
    def units_per_usd(self) -> float:
        """The currency's units per US dollar. [currency/USD]"""
        return 1.0 / self.usd_per_unit
