"""How a fleet's GPUs are paid for: rented by the hour (:class:`Rent`) or bought (:class:`Buy`).

Rent (DESIGN.md): GPUs x billed hours x price x price trend; rented GPUs follow demand down
as well as up. Buy: GPUs are bought when the fleet grows and never sold before the horizon;
power, hosting and maintenance apply to the GPUs owned; the residual value is straight-line
over the useful life. Cash view: capex when paid; amortized view: each purchase spread
straight-line over its useful life.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tco.core.arrays import UsageArrays
from tco.core.ledger import spent_so_far
from tco.core.params import Param
from tco.core.parts import CostContext
from tco.core.series import one_time_at, price_trend
from tco.core.units import HOURS_PER_MONTH, Flag, NonNegative, Number, Share, WholeNumber

__all__ = [
    "Buy",
    "Plan",
    "Procurement",
    "Rent",
    "buy_costs",
    "depreciation_matrix",
    "owned_gpus",
    "rent_costs",
    "residual_value",
]

Plan = Literal["on_demand", "reserved_1y", "reserved_3y", "spot"]

Costs = dict[str, np.ndarray]

MAX_GPUS = 100_000
"""More GPUs than any single fleet plausibly runs."""


class _Procurement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Rent(_Procurement):
    """GPUs rented by the hour.

    Parameters
    ----------
    usd_per_gpu_hour : float
        Rental price. [USD per GPU-hour]
    plan : {"on_demand", "reserved_1y", "reserved_3y", "spot"}
        The commitment the price belongs to (a label; the price is what counts).
    always_on : bool
        True: billed 730 h a month. False: billed for the usage's operating hours only.
    annual_price_decline : float
        Yearly fall in the GPU-hour price. [0-1)
    term_months : int, optional
        A reserved term: ``committed_gpus`` are billed at ``usd_per_gpu_hour`` every hour of
        every month of the term, used or not; GPUs above them at
        ``on_demand_usd_per_gpu_hour``. After the term everything is on demand, unless
        ``renew`` starts another term. [months]
    committed_gpus : int, optional
        GPUs reserved for the term; unset, the GPUs the fleet needs in the first month of
        each term. [GPUs]
    upfront_usd_per_gpu : float
        Paid at the start of each term per committed GPU. [USD per GPU]
    on_demand_usd_per_gpu_hour : float, optional
        Price of GPUs above the commitment and after the term; unset, ``usd_per_gpu_hour``.
        [USD per GPU-hour]
    renew : bool
        Start a new term at the end of each one, for the rest of the horizon.
    gpus_per_server : int, optional
        Rented by whole servers of this many GPUs: the fleet steps by servers. [GPUs]
    """

    COMPONENTS: ClassVar[dict[str, str]] = {
        "gpu_rent": "GPU rental",
        "gpu_reserved": "Reserved GPUs (term)",
        "gpu_on_demand": "On-demand GPUs",
        "reserved_upfront": "Reserved term upfront",
    }

    kind: Literal["rent"] = "rent"
    usd_per_gpu_hour: Annotated[
        Number, Field(gt=0.0), Param("GPU rental price", "USD per GPU-hour", driver="gpu_price")
    ]
    plan: Plan = "on_demand"
    always_on: Flag = True
    annual_price_decline: Annotated[
        Number, Field(ge=0.0, lt=1.0), Param("GPU price decline", "share per year")
    ] = 0.0
    term_months: Annotated[WholeNumber, Field(ge=1, le=120)] | None = None
    committed_gpus: Annotated[WholeNumber, Field(ge=0, le=MAX_GPUS)] | None = None
    upfront_usd_per_gpu: Annotated[
        NonNegative, Param("reserved upfront per GPU", "USD per GPU")
    ] = 0.0
    on_demand_usd_per_gpu_hour: (
        Annotated[
            Number,
            Field(gt=0.0),
            Param("on-demand GPU price", "USD per GPU-hour", driver="gpu_price"),
        ]
        | None
    ) = None
    renew: Flag = False
    gpus_per_server: Annotated[WholeNumber, Field(ge=1, le=64)] | None = None

    def __init__(self, usd_per_gpu_hour: float | None = None, /, **data: Any) -> None:
        if usd_per_gpu_hour is not None:
            data["usd_per_gpu_hour"] = usd_per_gpu_hour
        super().__init__(**data)

    @model_validator(mode="after")
    def _a_term_for_a_commitment(self) -> Rent:
        if self.term_months is None and self.committed_gpus:
            raise ValueError(
                f"committed_gpus: {self.committed_gpus} without a term -> give term_months"
            )
        return self


class Buy(_Procurement):
    """GPUs bought and run in the organisation's own or colocated data centre.

    Parameters
    ----------
    usd_per_gpu : float
        Purchase price per GPU. [USD]
    server_usd_per_gpu : float
        Share of server, network and storage per GPU. [USD]
    useful_life_years : float
        Straight-line depreciation life. [years]
    kw_per_gpu : float
        Power drawn per GPU including its share of the server. [kW]
    pue : float
        Power usage effectiveness of the facility. [>= 1]
    usd_per_kwh : float
        Electricity price. [USD/kWh]
    powered_hours_per_month : float, optional
        Hours powered per month; defaults to the usage's operating hours. [h]
    hosting_usd_per_gpu_month : float
        Colocation / rack space per GPU. [USD per GPU-month]
    hosting_usd_per_server_month : float
        Colocation per server, with ``gpus_per_server``. [USD per server-month]
    maintenance_share_per_year : float
        Yearly maintenance as a share of the capex spent so far. [0-1]
    gpus_per_server : int, optional
        Bought by whole servers of this many GPUs: the fleet steps by servers. [GPUs]
    """

    COMPONENTS: ClassVar[dict[str, str]] = {
        "capex": "GPUs bought",
        "depreciation": "GPU depreciation",
        "power": "Power",
        "hosting": "Hosting",
        "maintenance": "Maintenance",
        "residual_credit": "Residual value credit",
    }

    kind: Literal["buy"] = "buy"
    usd_per_gpu: Annotated[
        Number, Field(gt=0.0), Param("GPU purchase price", "USD per GPU", driver="gpu_price")
    ]
    server_usd_per_gpu: Annotated[NonNegative, Param("server share per GPU", "USD/GPU")] = 0.0
    useful_life_years: Annotated[Number, Field(gt=0.0, le=30.0), Param("useful life", "years")] = (
        4.0
    )
    kw_per_gpu: Annotated[NonNegative, Param("power per GPU", "kW")] = 0.7
    pue: Annotated[Number, Field(ge=1.0, le=5.0), Param("PUE", "ratio")] = 1.3
    usd_per_kwh: Annotated[NonNegative, Param("electricity price", "USD/kWh")] = 0.12
    powered_hours_per_month: (
        Annotated[Number, Field(gt=0.0, le=HOURS_PER_MONTH), Param("powered hours", "h/month")]
        | None
    ) = None
    hosting_usd_per_gpu_month: Annotated[NonNegative, Param("hosting per GPU", "USD/GPU-month")] = (
        0.0
    )
    maintenance_share_per_year: Annotated[
        Share, Param("maintenance", "share of capex per year")
    ] = 0.0
    hosting_usd_per_server_month: Annotated[
        NonNegative, Param("hosting per server", "USD/server-month")
    ] = 0.0
    gpus_per_server: Annotated[WholeNumber, Field(ge=1, le=64)] | None = None

    def __init__(self, usd_per_gpu: float | None = None, /, **data: Any) -> None:
        if usd_per_gpu is not None:
            data["usd_per_gpu"] = usd_per_gpu
        super().__init__(**data)

    @model_validator(mode="after")
    def _servers_for_a_server_price(self) -> Buy:
        if self.gpus_per_server is None and np.any(self.hosting_usd_per_server_month):
            raise ValueError(
                f"hosting_usd_per_server_month: {self.hosting_usd_per_server_month} without "
                "servers -> give gpus_per_server"
            )
        return self


Procurement = Annotated[Rent | Buy, Field(discriminator="kind")]


# --------------------------------------------------------------------------- rent
def _billed_hours(rent: Rent, usage: UsageArrays) -> np.ndarray:
    """Hours a rented GPU is billed per month: 730 when always on, else operating hours."""
    hours = np.where(
        np.asarray(rent.always_on), HOURS_PER_MONTH, np.asarray(usage.operating_hours, dtype=float)
    )
    return np.asarray(hours)[..., None]


@dataclass(frozen=True)
class Commitment:
    """GPUs committed under reserved terms: per month, and each term's first and last month."""

    gpus: np.ndarray
    terms: tuple[tuple[int, int], ...]


def rent_costs(
    gpus: np.ndarray, usage: UsageArrays, context: CostContext, rent: Rent
) -> tuple[Costs, Costs, Commitment | None]:
    """Rental bill: GPUs x billed hours x price x price trend. [USD]

    Returns the upfront and recurring costs, and the commitment (None without a term). With
    a reserved term, the committed GPUs are billed 730 h a month at the reserved price
    through the term, the rest at the on-demand price, and each term's upfront is paid at
    its start.
    """
    trend = price_trend(rent.annual_price_decline, usage.months)
    rate = np.asarray(rent.usd_per_gpu_hour)[..., None]
    if rent.term_months is None:
        rent_usd = context.within(gpus * _billed_hours(rent, usage) * rate * trend)
        return {}, {"gpu_rent": rent_usd}, None
    commitment, upfront = _commitment(gpus, usage.months, context, rent)
    committed = commitment.gpus
    on_demand = (
        rate
        if rent.on_demand_usd_per_gpu_hour is None
        else np.asarray(rent.on_demand_usd_per_gpu_hour)[..., None]
    )
    above = context.within(np.maximum(gpus - committed, 0.0))
    recurring = {
        "gpu_reserved": committed * HOURS_PER_MONTH * rate * trend,
        "gpu_on_demand": above * _billed_hours(rent, usage) * on_demand * trend,
    }
    return {"reserved_upfront": upfront}, recurring, commitment


def _commitment(
    gpus: np.ndarray, months: int, context: CostContext, rent: Rent
) -> tuple[Commitment, np.ndarray]:
    """GPUs committed in each month of the window's terms, and each term's upfront."""
    first, last = context.bounds(months)
    term = int(rent.term_months or months)
    starts = range(first, last + 1, term) if rent.renew else range(first, first + 1)
    shape = np.broadcast_shapes(np.shape(gpus), (*np.shape(rent.upfront_usd_per_gpu), 1))
    committed = np.zeros(shape)
    upfront = np.zeros(shape)
    terms = []
    for start in starts:
        given = rent.committed_gpus
        count = gpus[..., start - 1] if given is None else np.asarray(float(given))
        stop = min(start + term - 1, last)
        committed[..., start - 1 : stop] = np.asarray(count)[..., None]
        upfront[..., start - 1] = count * np.asarray(rent.upfront_usd_per_gpu)
        terms.append((start, stop))
    return Commitment(committed, tuple(terms)), upfront


# --------------------------------------------------------------------------- buy
def owned_gpus(gpus: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """GPUs owned each month: bought as the fleet grows, never sold (running maximum).

    Examples
    --------
    >>> owned_gpus(np.array([2.0, 4.0, 1.0, 6.0]), np.ones(4, dtype=bool)).tolist()
    [2.0, 4.0, 4.0, 6.0]
    """
    return np.maximum.accumulate(np.where(mask, gpus, 0.0), axis=-1)


def depreciation_matrix(months: int, life_months: Any) -> np.ndarray:
    """``W[..., j, k]``: share of a purchase in month j+1 written off in month k+1.

    Straight line over ``life_months`` from the start of the purchase month.

    Examples
    --------
    >>> depreciation_matrix(3, 2.0)[0].tolist()
    [0.5, 0.5, 0.0]
    """
    life = np.asarray(life_months, dtype=float)[..., None, None]
    j = np.arange(months)[:, None]  # purchase at t = j
    k = np.arange(months)[None, :]  # month k+1 spans [k, k+1]
    overlap = np.clip(np.minimum(k + 1.0, j + life) - np.maximum(k, j), 0.0, 1.0)
    return overlap / life


def residual_value(purchases_usd: np.ndarray, life_months: Any) -> np.ndarray:
    """Straight-line book value at the horizon of purchases paid at each month's start. [USD]

    Examples
    --------
    >>> float(residual_value(np.array([1200.0, 0.0, 0.0]), 12.0))
    900.0
    """
    months = purchases_usd.shape[-1]
    age = months - np.arange(months)  # months from purchase to the end of the horizon
    life = np.asarray(life_months, dtype=float)[..., None]
    remaining = np.clip(1.0 - age / life, 0.0, 1.0)
    return np.sum(purchases_usd * remaining, axis=-1)


def _purchases(owned: np.ndarray, buy: Buy) -> np.ndarray:
    """Capex paid at each month's start for the GPUs added that month. [USD]"""
    previous = np.concatenate([np.zeros_like(owned[..., :1]), owned[..., :-1]], axis=-1)
    bought = np.maximum(owned - previous, 0.0)
    unit = np.asarray(buy.usd_per_gpu) + np.asarray(buy.server_usd_per_gpu)
    return bought * unit[..., None]


def _running_costs(
    owned: np.ndarray, purchases: np.ndarray, usage: UsageArrays, mask: np.ndarray, buy: Buy
) -> Costs:
    """Power, hosting and maintenance of the GPUs owned. [USD/month]"""
    powered = buy.powered_hours_per_month
    hours = np.asarray(usage.operating_hours if powered is None else powered, dtype=float)
    kwh_cost = (
        np.asarray(buy.kw_per_gpu) * np.asarray(buy.pue) * hours * np.asarray(buy.usd_per_kwh)
    )
    in_service = owned * mask
    hosting = in_service * np.asarray(buy.hosting_usd_per_gpu_month)[..., None]
    if buy.gpus_per_server is not None:
        servers = in_service / buy.gpus_per_server  # whole: the fleet steps by servers
        hosting = hosting + servers * np.asarray(buy.hosting_usd_per_server_month)[..., None]
    return {
        "power": in_service * np.asarray(kwh_cost)[..., None],
        "hosting": hosting,
        "maintenance": spent_so_far(purchases)
        * (np.asarray(buy.maintenance_share_per_year)[..., None] / 12.0)
        * (in_service > 0),
    }


def buy_costs(
    gpus: np.ndarray, usage: UsageArrays, context: CostContext, mask: np.ndarray, buy: Buy
) -> tuple[Costs, Costs, Costs, np.ndarray]:
    """Costs of an owned fleet: (upfront, recurring, end, residual value at horizon)."""
    owned = owned_gpus(gpus, mask)
    purchases = _purchases(owned, buy)
    life_months = np.asarray(buy.useful_life_years) * 12.0
    residual = residual_value(purchases, life_months)
    recurring = _running_costs(owned, purchases, usage, mask, buy)
    upfront: Costs = {}
    end: Costs = {}
    if context.capex == "amortized":
        weights = depreciation_matrix(usage.months, life_months)
        recurring["depreciation"] = np.einsum("...j,...jk->...k", purchases, weights)
    else:
        upfront["capex"] = purchases
        if context.credit_residual:
            end["residual_credit"] = -one_time_at(residual, usage.months, usage.months)
    return upfront, recurring, end, residual
