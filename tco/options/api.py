"""Vendor API: pay per token.

Token cost of month m (DESIGN.md)::

    (uncached_input * input_price + cached_input * cache_read_price + output * output_price)
    * (1 - batch_share * batch_discount) * (1 - annual_price_decline) ** ((m - 1) / 12)

plus fixed monthly fees and staff, and a one-time setup cost at the start.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import Field, PrivateAttr, model_validator

from tco.core.arrays import UsageArrays
from tco.core.ledger import Ledger
from tco.core.option import Option
from tco.core.params import Param
from tco.core.parts import CostContext, CostParts
from tco.core.series import one_time_at, price_trend, staff_usd
from tco.core.units import MTOK, Flag, NonNegative, Number, Price, Share

__all__ = ["VendorAPI", "api_token_costs"]

PER_MTOK = "USD/MTok"

StaffFTE = Annotated[NonNegative, Param("staff", "FTE")]
StaffCost = Annotated[NonNegative, Param("staff cost", "USD/year per FTE")]
SetupCost = Annotated[NonNegative, Param("setup / migration", "USD")]


def api_token_costs(
    usage: UsageArrays,
    *,
    input_usd_per_mtok: Any,
    output_usd_per_mtok: Any,
    cache_read_usd_per_mtok: Any,
    batch_share: Any = 0.0,
    batch_discount: Any = 0.5,
    annual_price_decline: Any = 0.0,
) -> dict[str, np.ndarray]:
    """Token costs per month of a vendor API, by component. [USD/month]

    Parameters
    ----------
    usage : UsageArrays
        Monthly token arrays.
    input_usd_per_mtok, output_usd_per_mtok, cache_read_usd_per_mtok : numeric
        List prices in month 1. [USD per million tokens]
    batch_share : numeric
        Share of traffic sent through the batch API. [0-1]
    batch_discount : numeric
        Discount of the batch API on list price. [0-1]
    annual_price_decline : numeric
        Yearly fall in price; prices follow ``(1 - d) ** ((month - 1) / 12)``. [0-1]

    Returns
    -------
    dict
        ``api_input`` (uncached input), ``api_cache`` (cached input), ``api_output``.

    Examples
    --------
    >>> from tco.core.usage import Usage
    >>> u = Usage.constant(2e6, months=1, output_share=0.5, cached_input_share=0.5).arrays()
    >>> costs = api_token_costs(u, input_usd_per_mtok=2.0, output_usd_per_mtok=8.0,
    ...                         cache_read_usd_per_mtok=0.5)
    >>> {k: v.tolist() for k, v in costs.items()}
    {'api_input': [1.0], 'api_cache': [0.25], 'api_output': [8.0]}
    """
    factor = (1.0 - np.asarray(batch_share) * np.asarray(batch_discount))[..., None]
    factor = factor * price_trend(annual_price_decline, usage.months) / MTOK
    return {
        "api_input": usage.uncached_input * np.asarray(input_usd_per_mtok)[..., None] * factor,
        "api_cache": usage.cached_input * np.asarray(cache_read_usd_per_mtok)[..., None] * factor,
        "api_output": usage.output * np.asarray(output_usd_per_mtok)[..., None] * factor,
    }


class VendorAPI(Option):
    """A vendor's per-token API.

    Parameters
    ----------
    name : str
        Label used in tables and charts.
    input_usd_per_mtok, output_usd_per_mtok : float
        List prices. [USD per million tokens]
    cache_read_usd_per_mtok : float, optional
        Price of input served from the vendor's prompt cache; defaults to the input
        price (no cache discount). [USD per million tokens]
    cache_write_usd_per_mtok : float, optional
        Price of writing to the cache, where the vendor charges it. Recorded for
        reference; the usage model does not track cache writes. [USD per million tokens]
    batch_share : float
        Share of tokens sent through the batch API. [0-1]
    batch_discount : float
        Batch API discount on list price. [0-1]
    annual_price_decline : float
        Yearly fall in per-token prices (0.3 = 30 % cheaper each year). [0-1)
    fixed_usd_per_month : float
        Platform, support or commitment fees. [USD/month]
    staff_fte, staff_usd_per_year : float
        Engineers who integrate and operate the API, and their loaded yearly cost.
    setup_usd : float
        One-time integration cost, paid at the start of month 1. [USD]
    data_leaves_environment : bool
        True when prompts are sent outside the organisation's environment.

    Examples
    --------
    >>> from tco.core.usage import Usage
    >>> api = VendorAPI("gpt-4o", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
    >>> usage = Usage.constant(1e9, months=2, output_share=0.25)
    >>> api.monthly_cost(usage).tolist()
    [4375.0, 4375.0]
    """

    COMPONENTS: ClassVar[dict[str, str]] = {
        "api_input": "API input tokens",
        "api_cache": "API cached input",
        "api_output": "API output tokens",
        "fees": "API fixed fees",
        "staff": "Staff",
        "setup": "Setup / migration",
    }

    input_usd_per_mtok: Annotated[Price, Param("API input price", PER_MTOK, driver="api_price")]
    output_usd_per_mtok: Annotated[Price, Param("API output price", PER_MTOK, driver="api_price")]
    cache_read_usd_per_mtok: (
        Annotated[Price, Param("API cached input price", PER_MTOK, driver="api_price")] | None
    ) = None
    cache_write_usd_per_mtok: Price | None = None
    batch_share: Annotated[Share, Param("batch API share", "share")] = 0.0
    batch_discount: Annotated[Share, Param("batch API discount", "share")] = 0.5
    annual_price_decline: Annotated[
        Number,
        Field(ge=0.0, lt=1.0),
        Param("API price decline", "share per year", driver="api_price_decline"),
    ] = 0.0
    fixed_usd_per_month: Annotated[NonNegative, Param("API fixed fees", "USD/month")] = 0.0
    staff_fte: StaffFTE = 0.0
    staff_usd_per_year: StaffCost = 200_000.0
    setup_usd: SetupCost = 0.0
    data_leaves_environment: Flag = True

    def __init__(self, name: str | None = None, /, **data: Any) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)

    _cache_follows_input: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _fill_cache_price(self) -> VendorAPI:
        if self.cache_read_usd_per_mtok is None:
            object.__setattr__(self, "cache_read_usd_per_mtok", self.input_usd_per_mtok)
            self._cache_follows_input = True
        return self

    def param_update(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Without a cache price of its own, the cache price follows the input price."""
        if (
            self._cache_follows_input
            and "input_usd_per_mtok" in changes
            and "cache_read_usd_per_mtok" not in changes
        ):
            return {**changes, "cache_read_usd_per_mtok": changes["input_usd_per_mtok"]}
        return changes

    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        """Token costs, fees, staff and setup, by component and timing."""
        months = usage.months
        tokens = api_token_costs(
            usage,
            input_usd_per_mtok=self.input_usd_per_mtok,
            output_usd_per_mtok=self.output_usd_per_mtok,
            cache_read_usd_per_mtok=self.cache_read_usd_per_mtok,
            batch_share=self.batch_share,
            batch_discount=self.batch_discount,
            annual_price_decline=self.annual_price_decline,
        )
        ones = np.ones(months)
        recurring = {k: context.within(v) for k, v in tokens.items()}
        fees = np.asarray(self.fixed_usd_per_month)[..., None] * ones
        recurring["fees"] = context.within(fees)
        staff = staff_usd(self.staff_fte, self.staff_usd_per_year)
        recurring["staff"] = context.within(staff[..., None] * ones)
        upfront = {"setup": one_time_at(self.setup_usd, context.first_month(), months)}
        return CostParts(upfront=upfront, recurring=recurring)

    def monthly_cost(self, usage: Any) -> np.ndarray:
        """Total cost per month (one-time included) for a :class:`~tco.Usage`. [USD]"""
        arrays = usage.arrays() if hasattr(usage, "arrays") else usage
        return Ledger.of(self.cost_parts(arrays), arrays.months).monthly()

    def __repr__(self) -> str:
        return (
            f"VendorAPI({self.name!r}, in ${self.input_usd_per_mtok:g}/MTok, "
            f"out ${self.output_usd_per_mtok:g}/MTok, "
            f"cache read ${self.cache_read_usd_per_mtok:g}/MTok)"
        )
