"""Self-hosted serving: an open model on a GPU fleet you rent or buy.

The fleet is sized from throughput per replica (:mod:`tco.options.capacity`) and paid for
as its procurement says (:mod:`tco.options.procurement`); staff and setup come on top.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import Field, model_validator

from tco.core.arrays import UsageArrays
from tco.core.option import Option
from tco.core.params import Param
from tco.core.parts import CostContext, CostParts
from tco.core.series import one_time_at, staff_usd
from tco.core.units import Flag, NonNegative, Number, Positive, Share, WholeNumber
from tco.options.api import SetupCost, StaffCost, StaffFTE
from tco.options.capacity import busy_replicas, replicas_needed, unserved_above_capacity
from tco.options.extras import EXTRA_COMPONENTS, in_servers, one_time_extras, recurring_extras
from tco.options.fees import RequestFees, request_costs
from tco.options.latency import Latency
from tco.options.procurement import (
    Buy,
    Plan,
    Procurement,
    Rent,
    buy_costs,
    owned_gpus,
    rent_costs,
)

__all__ = ["SelfHosted"]

Replicas = Annotated[WholeNumber, Field(ge=0)]


class SelfHosted(Option, RequestFees):
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
    latency : Latency, optional
        The latency target the throughput was measured under (set by :meth:`from_catalog`).
    estimated : bool
        True when the throughput is a roofline estimate, not a measurement.
    licence_usd_per_gpu_year : float
        Software licence per GPU in service (e.g. NVIDIA AI Enterprise). [USD per GPU-year]
    overhead_share : float
        Overhead on the monthly GPU bill (rent, power, hosting, maintenance). [0-1]
    fine_tune_gpu_hours, eval_gpu_hours_per_month : float
        Fine-tuning compute once at the start, and evaluation compute every month, at
        ``tuning_usd_per_gpu_hour`` (default: the rental price). [GPU-hours]
    tuning_usd_per_gpu_hour : float, optional
        Price of that compute. [USD per GPU-hour]
    usd_per_request, egress_usd_per_gb : float
        Fees per request and per GB sent (see :class:`~tco.options.fees.RequestFees`).

    Examples
    --------
    >>> from tco.core.usage import Usage
    >>> fleet = SelfHosted("llama", prefill_tokens_per_s=20_000, decode_tokens_per_s=2_000,
    ...                    procurement=Rent(usd_per_gpu_hour=2.0), gpus_per_replica=2)
    >>> fleet.gpus(Usage.constant(1e9, months=1, output_share=0.25)).tolist()
    [2.0]
    """

    COMPONENTS: ClassVar[dict[str, str]] = {
        **Rent.COMPONENTS,
        **Buy.COMPONENTS,
        **EXTRA_COMPONENTS,
        **RequestFees.FEE_COMPONENTS,
        "staff": "Staff",
        "setup": "Setup / migration",
    }

    prefill_tokens_per_s: Annotated[Positive, Param("prefill throughput", "tokens/s per replica")]
    decode_tokens_per_s: Annotated[Positive, Param("decode throughput", "tokens/s per replica")]
    procurement: Procurement
    gpus_per_replica: Annotated[
        WholeNumber, Field(ge=1, le=1024), Param("GPUs per replica", "GPUs")
    ] = 1
    target_utilization: Annotated[
        Number, Field(gt=0.0, le=1.0), Param("planned utilisation", "share", driver="utilisation")
    ] = 0.7
    min_replicas: Annotated[Replicas, Param("minimum replicas", "replicas")] = 1
    spare_replicas: Annotated[Replicas, Param("spare replicas", "replicas")] = 0
    fixed_replicas: Annotated[WholeNumber, Field(ge=1)] | None = None
    staff_fte: StaffFTE = 0.0
    staff_usd_per_year: StaffCost = 200_000.0
    staff_fte_per_100_gpus: Annotated[NonNegative, Param("staff per 100 GPUs", "FTE")] = 0.0
    setup_usd: SetupCost = 0.0
    data_leaves_environment: Flag = False
    latency: Latency | None = None
    estimated: Flag = False
    licence_usd_per_gpu_year: Annotated[
        NonNegative, Param("software licence", "USD per GPU-year")
    ] = 0.0
    overhead_share: Annotated[Share, Param("overhead on the GPU bill", "share")] = 0.0
    fine_tune_gpu_hours: Annotated[NonNegative, Param("fine-tuning compute", "GPU-hours")] = 0.0
    eval_gpu_hours_per_month: Annotated[
        NonNegative, Param("evaluation compute", "GPU-hours/month")
    ] = 0.0
    tuning_usd_per_gpu_hour: (
        Annotated[Number, Field(gt=0.0), Param("fine-tuning price", "USD per GPU-hour")] | None
    ) = None

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

    @model_validator(mode="after")
    def _servers_and_commitments(self) -> SelfHosted:
        per_server = self.procurement.gpus_per_server
        if per_server is not None and per_server % self.gpus_per_replica:
            raise ValueError(
                f"procurement.gpus_per_server: {per_server} -> a multiple of gpus_per_replica "
                f"({self.gpus_per_replica}), so that replicas pack into servers"
            )
        committed = getattr(self.procurement, "committed_gpus", None)
        if committed is not None and self.fixed_replicas is not None:
            most = self.fixed_replicas * self.gpus_per_replica
            if committed > most:
                raise ValueError(
                    f"procurement.committed_gpus: {committed} -> at most the fixed fleet's "
                    f"{most} GPUs"
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
            Any other :class:`SelfHosted` field (``staff_fte``, ``setup_usd``, ...), or one
            of the row's own (``decode_tokens_per_s``, ``procurement``, ...) to replace it.

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
            procurement, how = fields.pop("procurement"), "own terms"
        else:
            procurement, how, source = _catalog_procurement(
                prices, gpu, provider=provider, plan=plan, region=region, buy=buy
            )
            sources.append(source)
        short = model.rsplit("/", 1)[-1]
        data = {
            "name": name or f"{short} on {row.gpus_per_replica}x{gpu} ({how})",
            "prefill_tokens_per_s": row.prefill_tokens_per_s,
            "decode_tokens_per_s": row.decode_tokens_per_s,
            "gpus_per_replica": row.gpus_per_replica,
            "procurement": procurement,
            "sources": tuple(sources) + tuple(fields.pop("sources", ())),
        }
        return cls(**(data | fields))

    # ---------------------------------------------------------------- capacity
    def fleet(self, usage: UsageArrays) -> tuple[np.ndarray, np.ndarray | None]:
        """Replicas per month and the unserved token share per month (None: a fleet sized
        to demand serves it all)."""
        busy = busy_replicas(usage, self.prefill_tokens_per_s, self.decode_tokens_per_s)
        if self.fixed_replicas is None:
            replicas = replicas_needed(
                busy,
                peak_to_average=usage.peak_to_average,
                target_utilization=self.target_utilization,
                min_replicas=self.min_replicas,
                spare_replicas=self.spare_replicas,
            )
            return replicas, None
        unserved = unserved_above_capacity(
            float(self.fixed_replicas),
            busy,
            peak_to_average=usage.peak_to_average,
            target_utilization=self.target_utilization,
            spare_replicas=self.spare_replicas,
        )
        return np.full(unserved.shape, float(self.fixed_replicas)), unserved

    def uses_gpus(self) -> bool:
        return True

    # ---------------------------------------------------------------- costs
    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        """Costs of the fleet sized by :meth:`fleet`, by component and timing."""
        return self.fleet_costs(usage, context, *self.fleet(usage))

    def fleet_costs(
        self,
        usage: UsageArrays,
        context: CostContext,
        replicas: np.ndarray,
        unserved_share: np.ndarray | None,
    ) -> CostParts:
        """Costs of running ``replicas`` per month that leave ``unserved_share`` of the
        tokens unserved (a strategy may size the fleet itself)."""
        months = usage.months
        mask = context.mask(months)
        needed = replicas * np.asarray(self.gpus_per_replica)[..., None]
        gpus = context.within(in_servers(needed, self.procurement.gpus_per_server))
        upfront = {"setup": one_time_at(self.setup_usd, context.first_month(), months)}
        end: dict[str, np.ndarray] = {}
        residual: Any = 0.0
        commitment = None
        if isinstance(self.procurement, Rent):
            up, recurring, commitment = rent_costs(gpus, usage, context, self.procurement)
        else:
            up, recurring, end, residual = buy_costs(gpus, usage, context, mask, self.procurement)
            gpus = context.within(owned_gpus(gpus, mask))
        upfront |= up | one_time_extras(self, months, context)
        recurring |= recurring_extras(self, gpus, recurring, context)
        recurring |= request_costs(self, usage, context)
        recurring = {"staff": context.within(self._staff(gpus)), **recurring}
        return CostParts(
            upfront=upfront,
            recurring=recurring,
            end=end,
            gpus=gpus,
            unserved_tokens=(
                None if unserved_share is None else context.within(usage.total * unserved_share)
            ),
            residual_usd=residual,
            committed_gpus=None if commitment is None else commitment.gpus,
            terms=() if commitment is None else commitment.terms,
        )

    def _staff(self, gpus: np.ndarray) -> np.ndarray:
        """Staff cost per month: a base team plus staff per 100 GPUs in service. [USD]"""
        fte = np.asarray(self.staff_fte)[..., None] + np.asarray(self.staff_fte_per_100_gpus)[
            ..., None
        ] * (gpus / 100.0)
        return staff_usd(fte, np.asarray(self.staff_usd_per_year)[..., None])

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


def _catalog_procurement(
    prices: Any, gpu: str, *, provider: str | None, plan: Plan, region: str | None, buy: bool
) -> tuple[Rent | Buy, str, str]:
    """The catalog's procurement for ``gpu``: (procurement, how in words, source line)."""
    if buy:
        hw = prices.hardware(gpu)
        if hw.purchase_usd_per_gpu is None:
            raise ValueError(
                f"gpu: {gpu!r} has no public purchase price in the catalog; "
                "pass procurement=tco.Buy(usd_per_gpu=...)"
            )
        procurement: Rent | Buy = Buy(
            usd_per_gpu=hw.purchase_usd_per_gpu, kw_per_gpu=hw.tdp_watts / 1000
        )
        return procurement, "bought", f"hardware {gpu}: {hw.source} ({hw.as_of})"
    offer = prices.gpu_offer(gpu, provider=provider, plan=plan, region=region)
    source = (
        f"GPU offer {offer.provider} {offer.instance} {offer.plan}: {offer.source} ({offer.as_of})"
    )
    term = RESERVED_TERMS.get(offer.plan)
    if term is None:
        return (
            Rent(usd_per_gpu_hour=offer.usd_per_gpu_hour, plan=offer.plan),
            (f"{offer.provider} {offer.plan}"),
            source,
        )
    on_demand = _on_demand_of(prices, offer)
    procurement = Rent(
        usd_per_gpu_hour=offer.usd_per_gpu_hour,
        plan=offer.plan,
        term_months=term,
        renew=True,
        on_demand_usd_per_gpu_hour=on_demand.usd_per_gpu_hour,
    )
    source += f"; above the commitment: {on_demand.plan} {on_demand.source} ({on_demand.as_of})"
    return procurement, f"{offer.provider} {offer.plan}", source


RESERVED_TERMS = {"reserved_1y": 12, "reserved_3y": 36}
"""Term in months of the catalog's reserved plans. A catalog fleet on one commits the GPUs
it needs at each term's start (renewed through the horizon) and rents what it needs above
them at the same instance's on-demand price."""


def _on_demand_of(prices: Any, offer: Any) -> Any:
    """The on-demand offer of the same provider, instance and region as ``offer``."""
    try:
        return prices.gpu_offer(
            offer.gpu,
            provider=offer.provider,
            plan="on_demand",
            region=offer.region,
            instance=offer.instance,
        )
    except LookupError as err:
        raise ValueError(
            f"plan: {offer.plan!r} of {offer.provider} {offer.instance} has no on-demand offer "
            "in the catalog to price the GPUs above the commitment -> pass "
            "procurement=tco.Rent(..., term_months=..., on_demand_usd_per_gpu_hour=...)"
        ) from err
