"""Vendor API: pay per token.

Token cost of month m (DESIGN.md; tiers in :mod:`tco.options.tokens`)::

    (uncached_input * input_price + cached_input * cache_read_price + output * output_price)
    * (1 - batch_share * batch_discount) * (1 - annual_price_decline) ** ((m - 1) / 12)

plus fixed monthly fees and staff, and a one-time setup cost at the start. A model with a
retirement date inside the horizon migrates to its successor's prices from the first month
after it (:mod:`tco.options.lifecycle`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import Field, PrivateAttr, model_validator

from tco.core.arrays import UsageArrays, nonzero
from tco.core.ledger import Ledger
from tco.core.option import Option
from tco.core.params import Param
from tco.core.parts import CostContext, CostParts
from tco.core.series import one_time_at, staff_usd
from tco.core.units import Flag, NonNegative, Number, Price, Share, WholeNumber
from tco.options.fees import RequestFees, request_costs
from tco.options.lifecycle import migrate, retirement_month
from tco.options.tokens import TokenPrices, api_token_costs

__all__ = ["VendorAPI"]

PER_MTOK = "USD/MTok"

ApiPrice = Annotated[Price, Param("API price", PER_MTOK, driver="api_price")]
"""A token price that the recommendation's "API price" driver scales."""

StaffFTE = Annotated[NonNegative, Param("staff", "FTE")]
StaffCost = Annotated[NonNegative, Param("staff cost", "USD/year per FTE")]
SetupCost = Annotated[NonNegative, Param("setup / migration", "USD")]


class VendorAPI(Option, RequestFees):
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
    cache_write_usd_per_mtok, cache_write_1h_usd_per_mtok : float, optional
        Price of input written to the prompt cache (5-minute / 1-hour lifetime); default
        the input price. Billed for the usage's ``cache_write_share``. [USD per million tokens]
    cache_write_ttl : {"5m", "1h"}
        Which cache-write price applies.
    batch_share, batch_discount : float
        Share of tokens sent through the batch API, and its discount on list price. [0-1]
    flex_share, priority_share : float
        Shares of tokens on the flex and priority tiers, at their own prices. [0-1]
    flex_input_usd_per_mtok, flex_output_usd_per_mtok : float, optional
        The flex tier's prices; unset, the list prices (as for a cache price left unset: no
        discount is assumed). [USD per million tokens]
    priority_input_usd_per_mtok, priority_output_usd_per_mtok : float, optional
        The priority tier's prices, likewise. [USD per million tokens]
    long_context_threshold_tokens : int, optional
        Input tokens per request above which the long-context prices apply, to the share of
        the usage's ``request_length_mix`` above it. [tokens]
    long_context_input_usd_per_mtok, long_context_output_usd_per_mtok : float, optional
        Prices above the threshold (missing: no premium). [USD per million tokens]
    long_context_cache_read_usd_per_mtok : float, optional
        Cached input above the threshold. [USD per million tokens]
    regional, residency_uplift : bool, float
        Use the vendor's regional (data-residency) endpoint, and its surcharge on every
        token price (0.1 = +10 %). [-]
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
    committed_use_discount : float
        Discount on every token price for a committed-use agreement. [0-1]
    minimum_usd_per_month : float
        Minimum monthly spend of such an agreement: a month whose token bill is lower pays
        the difference (``minimum_top_up``). [USD/month]
    usd_per_request, egress_usd_per_gb : float
        Fees per request and per GB sent (see :class:`~tco.options.fees.RequestFees`).
    deprecation_date : date, optional
        The day the model is retired. A horizon that passes it migrates to ``successor``'s
        prices from the first month after it, with ``migration_usd`` at that month's start;
        without a successor that is an error naming the date.
    successor : VendorAPI, optional
        The model that replaces it: its prices (and its own retirement) apply after the
        move; this option's traffic mix, fees, staff and region carry over.
    migration_usd : float
        One-time cost of moving to the successor (testing, prompt changes). [USD]

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
        "api_cache_write": "API cache writes",
        "api_output": "API output tokens",
        "fees": "API fixed fees",
        "staff": "Staff",
        "setup": "Setup / migration",
        "migration": "Migration to the successor model",
        "minimum_top_up": "Minimum spend top-up",
        **RequestFees.FEE_COMPONENTS,
    }

    input_usd_per_mtok: Annotated[Price, Param("API input price", PER_MTOK, driver="api_price")]
    output_usd_per_mtok: Annotated[Price, Param("API output price", PER_MTOK, driver="api_price")]
    cache_read_usd_per_mtok: (
        Annotated[Price, Param("API cached input price", PER_MTOK, driver="api_price")] | None
    ) = None
    cache_write_usd_per_mtok: ApiPrice | None = None
    cache_write_1h_usd_per_mtok: ApiPrice | None = None
    cache_write_ttl: Literal["5m", "1h"] = "5m"
    batch_share: Annotated[Share, Param("batch API share", "share")] = 0.0
    batch_discount: Annotated[Share, Param("batch API discount", "share")] = 0.5
    flex_share: Annotated[Share, Param("flex tier share", "share")] = 0.0
    flex_input_usd_per_mtok: ApiPrice | None = None
    flex_output_usd_per_mtok: ApiPrice | None = None
    priority_share: Annotated[Share, Param("priority tier share", "share")] = 0.0
    priority_input_usd_per_mtok: ApiPrice | None = None
    priority_output_usd_per_mtok: ApiPrice | None = None
    long_context_threshold_tokens: Annotated[WholeNumber, Field(gt=0)] | None = None
    long_context_input_usd_per_mtok: ApiPrice | None = None
    long_context_output_usd_per_mtok: ApiPrice | None = None
    long_context_cache_read_usd_per_mtok: ApiPrice | None = None
    regional: Flag = False
    residency_uplift: Annotated[Share, Param("data-residency uplift", "share")] = 0.0
    annual_price_decline: Annotated[
        Number,
        Field(ge=0.0, lt=1.0),
        Param("API price decline", "share per year", driver="api_price_decline"),
    ] = 0.0
    committed_use_discount: Annotated[Share, Param("committed-use discount", "share")] = 0.0
    minimum_usd_per_month: Annotated[NonNegative, Param("minimum monthly spend", "USD/month")] = 0.0
    fixed_usd_per_month: Annotated[NonNegative, Param("API fixed fees", "USD/month")] = 0.0
    staff_fte: StaffFTE = 0.0
    staff_usd_per_year: StaffCost = 200_000.0
    setup_usd: SetupCost = 0.0
    data_leaves_environment: Flag = True
    deprecation_date: date | None = None
    successor: VendorAPI | None = None
    migration_usd: Annotated[NonNegative, Param("migration to the successor", "USD")] = 0.0

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

    @model_validator(mode="after")
    def _tiers_add_up(self) -> VendorAPI:
        paid = self.batch_share + self.flex_share + self.priority_share
        if paid > 1.0 + 1e-12:
            raise ValueError(f"batch_share + flex_share + priority_share: {paid:g} -> at most 1")
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

    def token_prices(self) -> TokenPrices:
        """The prices and tier mix :func:`~tco.options.tokens.api_token_costs` bills."""
        write = self.cache_write_usd_per_mtok
        if self.cache_write_ttl == "1h":
            write = self.cache_write_1h_usd_per_mtok
        long = None
        if self.long_context_threshold_tokens is not None:
            long = (
                self.long_context_threshold_tokens,
                self.long_context_input_usd_per_mtok,
                self.long_context_output_usd_per_mtok,
                self.long_context_cache_read_usd_per_mtok,
            )
        flex = (self.flex_share, *self._tier("flex"))
        priority = (self.priority_share, *self._tier("priority"))
        return TokenPrices(
            input=self.input_usd_per_mtok,
            output=self.output_usd_per_mtok,
            cache_read=self.cache_read_usd_per_mtok,
            cache_write=write,
            batch_share=self.batch_share,
            batch_discount=self.batch_discount,
            tiers=(flex, priority),
            long_context=long,
            uplift=self.residency_uplift if self.regional else 0.0,
            discount=self.committed_use_discount,
            annual_decline=self.annual_price_decline,
        )

    def _tier(self, tier: str) -> tuple[Any, Any]:
        """A tier's input and output prices; the list price where it has none."""
        inp = getattr(self, f"{tier}_input_usd_per_mtok")
        out = getattr(self, f"{tier}_output_usd_per_mtok")
        return (
            self.input_usd_per_mtok if inp is None else inp,
            self.output_usd_per_mtok if out is None else out,
        )

    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        """Token costs, fees, staff and setup, by component and timing; a model retiring
        within the window moves to its successor (:mod:`tco.options.lifecycle`)."""
        retiring = retirement_month(self, usage, context)
        if retiring is not None:
            return migrate(self, retiring, usage, context)
        months = usage.months
        tokens = api_token_costs(usage, self.token_prices())
        recurring = {k: context.within(v) for k, v in tokens.items()}
        if nonzero(self.minimum_usd_per_month):
            recurring["minimum_top_up"] = context.within(self._top_up(tokens, months))
        recurring |= request_costs(self, usage, context)
        ones = np.ones(months)
        fees = np.asarray(self.fixed_usd_per_month)[..., None] * ones
        recurring["fees"] = context.within(fees)
        staff = staff_usd(self.staff_fte, self.staff_usd_per_year)
        recurring["staff"] = context.within(staff[..., None] * ones)
        upfront = {"setup": one_time_at(self.setup_usd, context.first_month(), months)}
        return CostParts(upfront=upfront, recurring=recurring)

    def _top_up(self, tokens: dict[str, np.ndarray], months: int) -> np.ndarray:
        """What a month below the minimum spend pays on top of its token bill. [USD]"""
        bill = sum(tokens.values(), np.zeros(months))
        minimum = np.asarray(self.minimum_usd_per_month, dtype=float)[..., None]
        return np.maximum(minimum - bill, 0.0)

    def monthly_cost(self, usage: Any) -> np.ndarray:
        """Total cost per month (one-time included) for a :class:`~tco.Usage`. [USD]"""
        arrays = usage.arrays() if hasattr(usage, "arrays") else usage
        return Ledger.of(self.cost_parts(arrays), arrays.months).monthly()

    def __repr__(self) -> str:
        retires = ""
        if self.deprecation_date is not None:
            after = f" -> {self.successor.name!r}" if self.successor is not None else ""
            retires = f", retires {self.deprecation_date:%Y-%m-%d}{after}"
        return (
            f"VendorAPI({self.name!r}, in ${self.input_usd_per_mtok:g}/MTok, "
            f"out ${self.output_usd_per_mtok:g}/MTok, "
            f"cache read ${self.cache_read_usd_per_mtok:g}/MTok{retires})"
        )
