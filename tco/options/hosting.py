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
from tco.core.usage import Usage
from tco.options.api import SetupCost, StaffCost, StaffFTE
from tco.options.capacity import busy_replicas, replicas_needed, unserved_above_capacity
from tco.options.catalog_fleet import catalog_procurement, served_from_catalog
from tco.options.extras import EXTRA_COMPONENTS, in_servers, one_time_extras, recurring_extras
from tco.options.fees import RequestFees, request_costs
from tco.options.latency import TIERS, Latency, ServedAt
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


class SelfHosted(Option, RequestFees, ServedAt):
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
    latency : Latency or str, optional
        The latency target the throughput meets: a tier name (``"offline"``, ``"server"``,
        ``"interactive"``) or :class:`~tco.Latency` targets (set by :meth:`from_catalog`).
    regime : str, optional
        Regime of the throughput row used (``offline``, ``server``, ``interactive``,
        ``measured``; set by :meth:`from_catalog`).
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
        latency: Latency | str | None = None,
        usage: Usage | None = None,
        provider: str | None = None,
        plan: Plan = "on_demand",
        region: str | None = None,
        buy: bool = False,
        gpus_per_replica: int | None = None,
        engine: str | None = None,
        precision: str | None = None,
        check_memory: bool | None = None,
        name: str | None = None,
        **fields: Any,
    ) -> SelfHosted:
        """A fleet built from the pricing catalog's throughput, GPU offer and hardware rows.

        The steps (row choice, memory fit, procurement) are in
        :mod:`tco.options.catalog_fleet`; every row used is named in ``sources``.

        Parameters
        ----------
        prices : PricingCatalog
            From :func:`tco.load_pricing`.
        model, gpu : str
            Throughput rows to choose from (``gpus_per_replica``, ``engine``, ``precision``
            narrow them).
        latency : str or Latency, optional
            ``"offline"`` (default: the highest throughput of any row), ``"server"``,
            ``"interactive"`` or ``tco.Latency(ttft_s=..., tpot_s=...)``: the row (or the
            point of a measured curve) that meets it with the most requests per GPU.
        usage : Usage, optional
            The workload: its tokens per request rank the rows and size the KV cache of the
            memory check (default: each row's own mix).
        provider, plan, region : str, optional
            GPU rental offer to use (the cheapest match); ignored when ``buy`` is True.
        buy : bool
            Buy the GPUs at the hardware row's purchase price (power from its TDP) instead.
        check_memory : bool, optional
            None (default): check the memory fit when the model has specs, and say in the
            sources when it has not; True: an error when it cannot be checked; False: skip.
        **fields
            Any other :class:`SelfHosted` field (``staff_fte``, ``setup_usd``, ...), or one
            of the row's own (``decode_tokens_per_s``, ``procurement``, ...) to replace it.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> fleet = tco.SelfHosted.from_catalog(
        ...     prices, model="meta-llama/Llama-3.1-8B-Instruct", gpu="H100-SXM")
        >>> fleet.decode_tokens_per_s > 0, fleet.regime
        (True, 'offline')
        """
        filters = {"gpus_per_replica": gpus_per_replica, "engine": engine, "precision": precision}
        row, served, sources = served_from_catalog(
            prices, model, gpu, latency, usage, filters, check_memory
        )
        if "procurement" in fields:
            procurement, how = fields.pop("procurement"), "own terms"
        else:
            procurement, how, source = catalog_procurement(
                prices, gpu, provider=provider, plan=plan, region=region, buy=buy
            )
            sources.append(source)
        short = model.rsplit("/", 1)[-1]
        data = {
            "name": name or f"{short} on {row.gpus_per_replica}x{gpu} ({how})",
            **served,
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
        row = "" if self.regime is None else f", {self.regime} row"
        goal = self.latency
        if goal is not None and goal.bounded and goal.name != self.regime:
            row += f" for {goal.name + ' tier' if goal.name in TIERS else goal}"
        if self.estimated:
            row += ", ESTIMATED"
        return (
            f"SelfHosted({self.name!r}, {self.gpus_per_replica} GPU/replica, "
            f"prefill {self.prefill_tokens_per_s:,.0f} tok/s, "
            f"decode {self.decode_tokens_per_s:,.0f} tok/s{row}, {how})"
        )

    __str__ = __repr__
