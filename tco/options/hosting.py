"""Self-hosted serving: capacity planning and the cost of a rented or bought GPU fleet.

Capacity (DESIGN.md): a replica of ``gpus_per_replica`` GPUs prefills
``prefill_tokens_per_s`` and decodes ``decode_tokens_per_s``. In month m it is busy for
``uncached_input / prefill + output / decode`` replica-seconds; spread over the operating
hours this is the average number of busy replicas. The fleet is::

    max(min_replicas, ceil(average_busy * peak_to_average / target_utilization)) + spare

unless ``fixed_replicas`` is given. A fixed fleet of R replicas serves a load of at most
``(R - spare) * target_utilization`` busy replicas; the tokens that arrive while the load is
above that are reported as unserved, on the linear load-duration curve of
:mod:`tco.core.loadshape` (the same split the overflow strategy sends to a vendor API).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tco.core.costs import CostContext, CostParts, Option, one_time_at, price_trend, staff_usd
from tco.core.loadshape import unserved_share
from tco.core.usage import HOURS_PER_MONTH, NonNegative, Positive, Share, UsageArrays
from tco.options.api import _merge

SECONDS_PER_HOUR = 3600.0
Plan = Literal["on_demand", "reserved_1y", "reserved_3y", "spot"]


# --------------------------------------------------------------------------- capacity
def busy_replicas(
    usage: UsageArrays, prefill_tokens_per_s: Any, decode_tokens_per_s: Any
) -> np.ndarray:
    """Average number of busy replicas over the operating hours of each month. [replicas]

    Examples
    --------
    >>> from tco.core.usage import Usage
    >>> u = Usage.constant(3600 * 730 * 2.0, months=1, output_share=0.5).arrays()
    >>> busy_replicas(u, prefill_tokens_per_s=2.0, decode_tokens_per_s=1.0).tolist()
    [1.5]
    """
    busy_seconds = usage.uncached_input / np.asarray(prefill_tokens_per_s)[..., None] + (
        usage.output / np.asarray(decode_tokens_per_s)[..., None]
    )
    hours = np.asarray(usage.operating_hours, dtype=float)[..., None]
    return busy_seconds / (hours * SECONDS_PER_HOUR)


def replicas_needed(
    busy: np.ndarray,
    *,
    peak_to_average: Any,
    target_utilization: Any,
    min_replicas: Any,
    spare_replicas: Any,
) -> np.ndarray:
    """Replicas to provision: ``max(min, ceil(busy * peak / target)) + spare``.

    A relative tolerance of 1e-9 keeps float noise from adding a replica when the
    load is exactly a whole number of replicas.

    Examples
    --------
    >>> replicas_needed(np.array([0.0, 1.4, 2.8]), peak_to_average=2.0, target_utilization=0.7,
    ...                 min_replicas=1, spare_replicas=1).tolist()
    [2.0, 5.0, 9.0]
    """
    load = busy * np.asarray(peak_to_average)[..., None] / np.asarray(target_utilization)[..., None]
    replicas = np.ceil(load * (1.0 - 1e-9))
    return (
        np.maximum(np.asarray(min_replicas)[..., None], replicas)
        + np.asarray(spare_replicas)[..., None]
    )


# --------------------------------------------------------------------------- procurement
class _Procurement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
    """

    kind: Literal["rent"] = "rent"
    usd_per_gpu_hour: Annotated[float, Field(gt=0.0, allow_inf_nan=False)]
    plan: Plan = "on_demand"
    always_on: bool = True
    annual_price_decline: Annotated[float, Field(ge=0.0, lt=1.0, allow_inf_nan=False)] = 0.0

    def __init__(self, usd_per_gpu_hour: float | None = None, /, **data: Any) -> None:
        if usd_per_gpu_hour is not None:
            data["usd_per_gpu_hour"] = usd_per_gpu_hour
        super().__init__(**data)


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
    maintenance_share_per_year : float
        Yearly maintenance as a share of the capex spent so far. [0-1]
    """

    kind: Literal["buy"] = "buy"
    usd_per_gpu: Annotated[float, Field(gt=0.0, allow_inf_nan=False)]
    server_usd_per_gpu: NonNegative = 0.0
    useful_life_years: Annotated[float, Field(gt=0.0, le=30.0, allow_inf_nan=False)] = 4.0
    kw_per_gpu: NonNegative = 0.7
    pue: Annotated[float, Field(ge=1.0, le=5.0, allow_inf_nan=False)] = 1.3
    usd_per_kwh: NonNegative = 0.12
    powered_hours_per_month: (
        Annotated[float, Field(gt=0.0, le=HOURS_PER_MONTH, allow_inf_nan=False)] | None
    ) = None
    hosting_usd_per_gpu_month: NonNegative = 0.0
    maintenance_share_per_year: Share = 0.0

    def __init__(self, usd_per_gpu: float | None = None, /, **data: Any) -> None:
        if usd_per_gpu is not None:
            data["usd_per_gpu"] = usd_per_gpu
        super().__init__(**data)


Procurement = Annotated[Rent | Buy, Field(discriminator="kind")]


# --------------------------------------------------------------------------- fleet costs
def rent_costs(
    gpus: np.ndarray, usage: UsageArrays, mask: np.ndarray, p: dict[str, Any]
) -> dict[str, np.ndarray]:
    """Monthly rental bill: GPUs x billed hours x price x price trend. [USD/month]"""
    hours = np.where(
        np.asarray(p["procurement.always_on"]),
        HOURS_PER_MONTH,
        np.asarray(usage.operating_hours, dtype=float),
    )
    rate = np.asarray(p["procurement.usd_per_gpu_hour"])[..., None]
    trend = price_trend(p["procurement.annual_price_decline"], usage.months)
    return {"gpu_rent": gpus * np.asarray(hours)[..., None] * rate * trend * mask}


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


def buy_costs(
    gpus: np.ndarray, usage: UsageArrays, context: CostContext, mask: np.ndarray, p: dict[str, Any]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Costs of an owned fleet: (upfront, recurring, end, residual value at horizon)."""
    owned = owned_gpus(gpus, mask)
    previous = np.concatenate([np.zeros_like(owned[..., :1]), owned[..., :-1]], axis=-1)
    bought = np.maximum(owned - previous, 0.0)
    unit = np.asarray(p["procurement.usd_per_gpu"]) + np.asarray(
        p["procurement.server_usd_per_gpu"]
    )
    purchases = bought * unit[..., None]
    life_months = np.asarray(p["procurement.useful_life_years"]) * 12.0
    residual = residual_value(purchases, life_months)

    powered = p["procurement.powered_hours_per_month"]
    hours = np.asarray(usage.operating_hours if powered is None else powered, dtype=float)
    kwh_cost = (
        np.asarray(p["procurement.kw_per_gpu"])
        * np.asarray(p["procurement.pue"])
        * hours
        * np.asarray(p["procurement.usd_per_kwh"])
    )
    in_service = owned * mask
    recurring = {
        "power": in_service * np.asarray(kwh_cost)[..., None],
        "hosting": in_service * np.asarray(p["procurement.hosting_usd_per_gpu_month"])[..., None],
        "maintenance": np.cumsum(purchases, axis=-1)
        * (np.asarray(p["procurement.maintenance_share_per_year"])[..., None] / 12.0)
        * (in_service > 0),
    }
    upfront: dict[str, np.ndarray] = {}
    end: dict[str, np.ndarray] = {}
    if context.capex == "amortized":
        weights = depreciation_matrix(usage.months, life_months)
        recurring["depreciation"] = np.einsum("...j,...jk->...k", purchases, weights)
    else:
        upfront["capex"] = purchases
        if context.credit_residual:
            end["residual_credit"] = -one_time_at(residual, usage.months, usage.months)
    return upfront, recurring, end, residual


# --------------------------------------------------------------------------- SelfHosted
class SelfHosted(Option):
    """An open model served on a GPU fleet you rent or buy.

    Parameters
    ----------
    name : str
        Label used in tables and charts.
    prefill_tokens_per_s, decode_tokens_per_s : float
        Throughput of one replica, aggregated over its concurrent requests. [tokens/s]
    procurement : Rent or Buy
        How the GPUs are paid for.
    gpus_per_replica : int
        GPUs in one serving replica (tensor parallel degree).
    target_utilization : float
        Planned peak utilisation of the fleet. (0-1]
    min_replicas, spare_replicas : int
        Floor on the fleet, and redundant replicas on top (N+1 = 1 spare).
    fixed_replicas : int, optional
        A fixed fleet instead of one sized to demand; excess demand is unserved.
    staff_fte, staff_usd_per_year : float
        Engineers running the platform and their loaded yearly cost. [FTE, USD/year]
    staff_fte_per_100_gpus : float
        Extra staff per 100 GPUs in the fleet. [FTE]
    setup_usd : float
        One-time setup / migration cost at the start. [USD]
    data_leaves_environment : bool
        False for a fleet in the organisation's own environment (the default).

    Examples
    --------
    >>> from tco.core.usage import Usage
    >>> fleet = SelfHosted("llama", prefill_tokens_per_s=20_000, decode_tokens_per_s=2_000,
    ...                    procurement=Rent(usd_per_gpu_hour=2.0), gpus_per_replica=2)
    >>> fleet.gpus(Usage.constant(1e9, months=1, output_share=0.25)).tolist()
    [2.0]
    """

    prefill_tokens_per_s: Positive
    decode_tokens_per_s: Positive
    procurement: Procurement
    gpus_per_replica: Annotated[int, Field(ge=1, le=1024)] = 1
    target_utilization: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)] = 0.7
    min_replicas: Annotated[int, Field(ge=0)] = 1
    spare_replicas: Annotated[int, Field(ge=0)] = 0
    fixed_replicas: Annotated[int, Field(ge=1)] | None = None
    staff_fte: NonNegative = 0.0
    staff_usd_per_year: NonNegative = 200_000.0
    staff_fte_per_100_gpus: NonNegative = 0.0
    setup_usd: NonNegative = 0.0
    data_leaves_environment: bool = False

    def __init__(self, name: str | None = None, /, **data: Any) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)

    @model_validator(mode="after")
    def _fixed_fleet_serves(self) -> SelfHosted:
        if self.fixed_replicas is not None and self.fixed_replicas <= self.spare_replicas:
            raise ValueError(
                f"fixed_replicas: {self.fixed_replicas} -> must exceed spare_replicas "
                f"({self.spare_replicas}) so that some replicas serve"
            )
        return self

    @classmethod
    def from_catalog(
        cls,
        prices: Any,
        *,
        model: str,
        gpu: str,
        provider: str | None = None,
        plan: Plan = "on_demand",
        region: str | None = None,
        buy: bool = False,
        gpus_per_replica: int | None = None,
        engine: str | None = None,
        precision: str | None = None,
        name: str | None = None,
        **fields: Any,
    ) -> SelfHosted:
        """A fleet built from the pricing catalog's throughput, GPU offer and hardware rows.

        Parameters
        ----------
        prices : PricingCatalog
            From :func:`tco.load_pricing`.
        model, gpu : str
            Throughput row to use (``gpus_per_replica``, ``engine``, ``precision`` narrow it).
        provider, plan, region : str, optional
            GPU rental offer to use (the cheapest match); ignored when ``buy`` is True.
        buy : bool
            Buy the GPUs at the hardware row's purchase price (power from its TDP) instead.
        **fields
            Any other :class:`SelfHosted` field (``staff_fte``, ``setup_usd``, ...), or
            ``procurement`` to replace the catalog's.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> fleet = tco.SelfHosted.from_catalog(
        ...     prices, model="meta-llama/Llama-3.1-8B-Instruct", gpu="H100-SXM")
        >>> fleet.decode_tokens_per_s > 0
        True
        """
        row = prices.throughput(
            model, gpu=gpu, gpus_per_replica=gpus_per_replica, engine=engine, precision=precision
        )
        sources = [
            f"throughput {model} on {row.gpus_per_replica}x{gpu}: {row.source} ({row.as_of})"
        ]
        if "procurement" in fields:
            procurement = fields.pop("procurement")
            how = "own terms"
        elif buy:
            hw = prices.hardware(gpu)
            if hw.purchase_usd_per_gpu is None:
                raise ValueError(
                    f"gpu: {gpu!r} has no public purchase price in the catalog; "
                    "pass procurement=tco.Buy(usd_per_gpu=...)"
                )
            procurement = Buy(usd_per_gpu=hw.purchase_usd_per_gpu, kw_per_gpu=hw.tdp_watts / 1000)
            sources.append(f"hardware {gpu}: {hw.source} ({hw.as_of})")
            how = "bought"
        else:
            offer = prices.gpu_offer(gpu, provider=provider, plan=plan, region=region)
            procurement = Rent(usd_per_gpu_hour=offer.usd_per_gpu_hour, plan=offer.plan)
            sources.append(
                f"GPU offer {offer.provider} {offer.instance} {offer.plan}: "
                f"{offer.source} ({offer.as_of})"
            )
            how = f"{offer.provider} {offer.plan}"
        short = model.rsplit("/", 1)[-1]
        return cls(
            name=name or f"{short} on {row.gpus_per_replica}x{gpu} ({how})",
            prefill_tokens_per_s=row.prefill_tokens_per_s,
            decode_tokens_per_s=row.decode_tokens_per_s,
            gpus_per_replica=row.gpus_per_replica,
            procurement=procurement,
            sources=tuple(sources) + tuple(fields.pop("sources", ())),
            **fields,
        )

    def core_params(self) -> dict[str, Any]:
        own = {
            k: getattr(self, k)
            for k in (
                "prefill_tokens_per_s",
                "decode_tokens_per_s",
                "gpus_per_replica",
                "target_utilization",
                "min_replicas",
                "spare_replicas",
                "staff_fte",
                "staff_usd_per_year",
                "staff_fte_per_100_gpus",
                "setup_usd",
            )
        }
        proc = self.procurement.model_dump(exclude={"kind", "plan"})
        return own | {f"procurement.{k}": v for k, v in proc.items()}

    def fleet(
        self, usage: UsageArrays, p: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Replicas per month and the unserved token share per month."""
        p = p or self.core_params()
        busy = busy_replicas(usage, p["prefill_tokens_per_s"], p["decode_tokens_per_s"])
        peak = np.asarray(usage.peak_to_average)[..., None]
        if self.fixed_replicas is None:
            replicas = replicas_needed(
                busy,
                peak_to_average=usage.peak_to_average,
                target_utilization=p["target_utilization"],
                min_replicas=p["min_replicas"],
                spare_replicas=p["spare_replicas"],
            )
            return replicas, np.zeros_like(replicas)
        serving = self.fixed_replicas - np.asarray(p["spare_replicas"])[..., None]
        capacity = serving * np.asarray(p["target_utilization"])[..., None]
        unserved = unserved_share(capacity, busy, peak)
        replicas = np.full(unserved.shape, float(self.fixed_replicas))
        return replicas, unserved

    def cost_parts(
        self, usage: UsageArrays, context: CostContext | None = None, **params: Any
    ) -> CostParts:
        """Costs by component and timing; ``params`` override fields (see :meth:`core_params`)."""
        context = context or CostContext()
        p = _merge(self.core_params(), params)
        months = usage.months
        mask = context.mask(months)
        replicas, unserved_share = self.fleet(usage, p)
        gpus = replicas * np.asarray(p["gpus_per_replica"])[..., None] * mask
        upfront = {"setup": one_time_at(p["setup_usd"], context.first_month(), months)}
        recurring: dict[str, np.ndarray] = {}
        end: dict[str, np.ndarray] = {}
        residual: Any = 0.0
        if isinstance(self.procurement, Rent):
            recurring.update(rent_costs(gpus, usage, mask, p))
        else:
            up, rec, end, residual = buy_costs(gpus, usage, context, mask, p)
            upfront.update(up)
            recurring.update(rec)
            gpus = owned_gpus(gpus, mask) * mask
        # staff per 100 GPUs of the fleet in service (owned GPUs stay powered and staffed)
        staff_fte = np.asarray(p["staff_fte"])[..., None] + np.asarray(p["staff_fte_per_100_gpus"])[
            ..., None
        ] * (gpus / 100.0)
        recurring = {
            "staff": staff_usd(staff_fte, np.asarray(p["staff_usd_per_year"])[..., None]) * mask,
            **recurring,
        }
        return CostParts(
            upfront=upfront,
            recurring=recurring,
            end=end,
            gpus=gpus,
            unserved_tokens=usage.total * unserved_share * mask,
            residual_usd=residual,
        )

    def gpus(self, usage: Any) -> np.ndarray:
        """GPUs in the fleet per month for a :class:`~tco.Usage` (owned GPUs for ``Buy``)."""
        gpus = self.cost_parts(usage.arrays()).gpus
        return np.zeros(usage.horizon) if gpus is None else gpus

    def __repr__(self) -> str:
        proc = self.procurement
        how = (
            f"rent ${proc.usd_per_gpu_hour:g}/GPU-h"
            if isinstance(proc, Rent)
            else f"buy ${proc.usd_per_gpu:,.0f}/GPU"
        )
        return (
            f"SelfHosted({self.name!r}, {self.gpus_per_replica} GPU/replica, "
            f"prefill {self.prefill_tokens_per_s:,.0f} tok/s, "
            f"decode {self.decode_tokens_per_s:,.0f} tok/s, {how})"
        )
