"""Serverless GPUs: an open model on workers a provider starts on demand, billed per second.

Providers such as Modal, RunPod Serverless or Replicate bill a worker's GPUs by the second
while it runs. A worker of ``gpus_per_worker`` GPUs prefills ``prefill_tokens_per_s`` and
decodes ``decode_tokens_per_s`` (as a self-hosted replica does), so the month's demand keeps
``busy`` workers busy on average (:func:`tco.options.capacity.busy_replicas`). The bill::

    warm      = min_workers x 730 h x 3600 s                      (kept running)
    on demand = busy_seconds x share above the warm workers / target_utilization
    cold      = cold_starts_per_month x cold_start_s              (billed start-up)
    GPU-seconds = (warm + on demand + cold) x gpus_per_worker, at usd_per_gpu_second

``target_utilization`` is the share of a started worker's billed time it spends busy (the
rest is the idle window before it scales down and the batching a worker cannot fill). The
share of demand above the warm workers follows the linear load-duration curve of
:mod:`tco.core.loadshape`, as for a self-hosted fleet. With ``max_workers``, the demand
above that many workers is unserved, and reported so.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import Field, model_validator

from tco.core.arrays import UsageArrays
from tco.core.loadshape import unserved_share
from tco.core.option import Option
from tco.core.params import Param
from tco.core.parts import CostContext, CostParts
from tco.core.series import one_time_at, staff_usd
from tco.core.units import HOURS_PER_MONTH, SECONDS_PER_HOUR, Flag, Number, Positive, WholeNumber
from tco.core.usage import Usage
from tco.options.api import SetupCost, StaffCost, StaffFTE
from tco.options.capacity import busy_replicas
from tco.options.catalog_fleet import served_from_catalog
from tco.options.fees import RequestFees, request_costs
from tco.options.latency import Latency, ServedAt

__all__ = ["Serverless"]

Workers = Annotated[WholeNumber, Field(ge=0, le=100_000)]


class Serverless(Option, RequestFees, ServedAt):
    """An open model on serverless GPU workers, billed per GPU-second.

    Parameters
    ----------
    name : str
        Label used in tables and plots.
    prefill_tokens_per_s, decode_tokens_per_s : float
        Throughput of one worker. [tokens/s]
    usd_per_gpu_second : float
        Price of one GPU for one second. [USD/GPU-s]
    gpus_per_worker : int
        GPUs in one worker. [GPUs]
    target_utilization : float
        Share of a started worker's billed time that it is busy. [0-1]
    min_workers : int
        Workers kept warm (billed every second of the month). [workers]
    max_workers : int, optional
        Most workers the provider (or your quota) runs at once; demand above is unserved.
    cold_start_s : float
        Billed seconds a worker takes to start (load weights, compile). [s]
    cold_starts_per_month : float
        Worker starts per month. [starts/month]
    staff_fte, staff_usd_per_year, setup_usd : float
        People to run it [FTE], their cost [USD/FTE-year], one-time setup [USD].
    usd_per_request, egress_usd_per_gb : float
        Per-request fee [USD] and egress price [USD/GB] (need the usage's request size).
    data_leaves_environment : bool
        The provider's machines see the prompts (True by default).
    latency : Latency or str, optional
        The latency target the throughput meets (a tier name or targets; set by
        :meth:`from_catalog`).
    regime : str, optional
        Regime of the throughput row used (set by :meth:`from_catalog`).
    estimated : bool
        True when the throughput is a roofline estimate, not a measurement.

    Examples
    --------
    One worker of 1 GPU decodes 1 token/s and prefills 2; a month of 730 h x 3600 s x 2
    tokens, half output, keeps 1.5 workers busy, billed at 75 % utilisation as 2 worker-months:

    >>> import tco
    >>> usage = tco.Usage.constant(3600 * 730 * 2.0, months=1, output_share=0.5)
    >>> pods = tco.Serverless("pods", prefill_tokens_per_s=2.0, decode_tokens_per_s=1.0,
    ...                       usd_per_gpu_second=0.001, target_utilization=0.75)
    >>> round(float(tco.simulate([pods], usage).total()["pods"]), 2)  # 2 x 730 x 3600 x 0.001
    5256.0
    """

    COMPONENTS: ClassVar[dict[str, str]] = {
        "gpu_warm": "Warm workers",
        "gpu_seconds": "GPU-seconds on demand",
        "cold_starts": "Cold starts",
        "staff": "Staff",
        "setup": "Setup",
        **RequestFees.FEE_COMPONENTS,
    }

    prefill_tokens_per_s: Annotated[Positive, Param("prefill throughput", "tokens/s per worker")]
    decode_tokens_per_s: Annotated[Positive, Param("decode throughput", "tokens/s per worker")]
    usd_per_gpu_second: Annotated[
        Number, Field(gt=0.0), Param("serverless GPU price", "USD per GPU-second", "gpu_price")
    ]
    gpus_per_worker: Annotated[
        WholeNumber, Field(ge=1, le=64), Param("GPUs per worker", "GPUs")
    ] = 1
    target_utilization: Annotated[
        Number, Field(gt=0.0, le=1.0), Param("busy share of billed time", "share", "utilisation")
    ] = 0.6
    min_workers: Annotated[Workers, Param("warm workers", "workers")] = 0
    max_workers: Annotated[WholeNumber, Field(ge=1, le=100_000)] | None = None
    cold_start_s: Annotated[Number, Field(ge=0.0, le=3600.0), Param("cold start", "s")] = 0.0
    cold_starts_per_month: Annotated[
        Number, Field(ge=0.0, le=1e7), Param("cold starts", "starts/month")
    ] = 0.0
    staff_fte: StaffFTE = 0.0
    staff_usd_per_year: StaffCost = 200_000.0
    setup_usd: SetupCost = 0.0
    data_leaves_environment: Flag = True

    def __init__(self, name: str | None = None, /, **data: Any) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)

    @model_validator(mode="after")
    def _cap_above_the_warm_floor(self) -> Serverless:
        if self.max_workers is not None and self.max_workers < self.min_workers:
            raise ValueError(
                f"max_workers: {self.max_workers} -> at least min_workers ({self.min_workers})"
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
        product: str | None = None,
        gpus_per_worker: int | None = None,
        engine: str | None = None,
        precision: str | None = None,
        check_memory: bool | None = None,
        name: str | None = None,
        **fields: Any,
    ) -> Serverless:
        """Serverless workers built from the catalog's throughput and serverless offer rows.

        One worker is one replica of the throughput row :meth:`tco.SelfHosted.from_catalog`
        would choose (the same steps, :mod:`tco.options.catalog_fleet`: the row meeting
        ``latency`` with the most requests per GPU at the ``usage``'s mix, and its memory
        fit); ``gpus_per_worker`` is its ``gpus_per_replica``. The price per GPU-second is
        the cheapest serverless offer for ``gpu`` that runs such a worker
        (:meth:`PricingCatalog.serverless_offer`). The offer's published start-up time
        becomes ``cold_start_s`` and its default quota ``max_workers`` (the smaller of its
        worker cap and its GPU cap over the worker's GPUs); an offer that does not scale to
        zero keeps one worker warm. Every row used is named in ``sources``.

        Parameters
        ----------
        prices : PricingCatalog
            From :func:`tco.load_pricing`.
        model, gpu : str
            Throughput rows to choose from (``gpus_per_worker``, ``engine``, ``precision``
            narrow them).
        latency : str or Latency, optional
            ``"offline"`` (default), ``"server"``, ``"interactive"`` or
            ``tco.Latency(ttft_s=..., tpot_s=...)``, as for ``SelfHosted.from_catalog``.
        usage : Usage, optional
            The workload: its tokens per request rank the rows and size the memory check.
        provider, product : str, optional
            Serverless offer to use (the cheapest match).
        check_memory : bool, optional
            None (default): check the memory fit when the model has specs; True: an error
            when it cannot be checked; False: skip.
        **fields
            Any other :class:`Serverless` field (``cold_starts_per_month``,
            ``target_utilization``, ``staff_fte``, ...), or one the rows set, to replace
            it: ``max_workers=None`` lifts the offer's quota (a raised quota), a
            ``cold_start_s`` of your own adds the model's load time.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> pods = tco.Serverless.from_catalog(
        ...     prices, model="meta-llama/Llama-3.1-8B-Instruct", gpu="H100-SXM",
        ...     provider="runpod")
        >>> offer = prices.serverless_offer("H100-SXM", "runpod")
        >>> pods.usd_per_gpu_second == offer.usd_per_gpu_second
        True
        >>> pods.max_workers  # RunPod's default of 5 workers
        5
        """
        filters = {"gpus_per_replica": gpus_per_worker, "engine": engine, "precision": precision}
        row, served, sources = served_from_catalog(
            prices, model, gpu, latency, usage, filters, check_memory
        )
        offer = prices.serverless_offer(
            gpu, provider=provider, product=product, gpus_per_worker=row.gpus_per_replica
        )
        data: dict[str, Any] = {
            "name": name
            or f"{model.rsplit('/', 1)[-1]} on {row.gpus_per_replica}x{gpu} "
            f"({offer.provider} serverless)",
            **served,
            "gpus_per_worker": row.gpus_per_replica,
            "usd_per_gpu_second": offer.usd_per_gpu_second,
            "min_workers": 0 if offer.scale_to_zero else 1,
        }
        if offer.cold_start_s is not None:
            data["cold_start_s"] = offer.cold_start_s
        cap = offer.workers_allowed(row.gpus_per_replica)
        if cap is not None:
            data["max_workers"] = cap
        quota = "" if cap is None else f"; max_workers {cap} from its default quota"
        sources.append(
            f"serverless offer {offer.provider} {offer.product} {offer.gpu} at "
            f"{offer.usd_per_gpu_second:g} USD/GPU-s: {offer.source} ({offer.as_of}){quota}"
        )
        data["sources"] = tuple(sources) + tuple(fields.pop("sources", ()))
        return cls(**(data | fields))

    def uses_gpus(self) -> bool:
        return True

    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        """GPU-seconds of warm, on-demand and starting workers, staff and setup."""
        busy = busy_replicas(usage, self.prefill_tokens_per_s, self.decode_tokens_per_s)
        peak = np.asarray(usage.peak_to_average, dtype=float)[..., None]
        seconds = np.asarray(usage.operating_hours, dtype=float)[..., None] * SECONDS_PER_HOUR
        warm = np.asarray(self.min_workers, dtype=float)[..., None]
        above_warm = unserved_share(warm, busy, peak)
        unserved = (
            None
            if self.max_workers is None
            else unserved_share(float(self.max_workers), busy, peak)
        )
        served_above_warm = above_warm - (0.0 if unserved is None else unserved)
        utilization = np.asarray(self.target_utilization)[..., None]
        per_gpu_second = (
            np.asarray(self.usd_per_gpu_second)[..., None]
            * np.asarray(self.gpus_per_worker)[..., None]
        )
        on_demand = busy * seconds * served_above_warm / utilization
        cold = np.asarray(self.cold_starts_per_month * self.cold_start_s)[..., None]
        ones = np.ones(usage.months)
        recurring = {
            "staff": context.within(staff_usd(self.staff_fte, self.staff_usd_per_year) * ones),
            "gpu_warm": context.within(
                warm * HOURS_PER_MONTH * SECONDS_PER_HOUR * per_gpu_second * ones
            ),
            "gpu_seconds": context.within(on_demand * per_gpu_second),
            "cold_starts": context.within(cold * per_gpu_second * ones),
            **request_costs(self, usage, context),
        }
        billed_workers = warm + on_demand / (HOURS_PER_MONTH * SECONDS_PER_HOUR)
        return CostParts(
            upfront={"setup": one_time_at(self.setup_usd, context.first_month(), usage.months)},
            recurring=recurring,
            gpus=context.within(billed_workers * np.asarray(self.gpus_per_worker)[..., None]),
            unserved_tokens=None if unserved is None else context.within(usage.total * unserved),
        )

    def __repr__(self) -> str:
        cap = "" if self.max_workers is None else f", at most {self.max_workers} workers"
        if self.regime is not None:
            cap += f", {self.regime} row"
        if self.latency is not None and self.latency.bounded:
            cap += f" for {self.latency.name if self.latency.name != 'targets' else self.latency}"
        if self.estimated:
            cap += ", ESTIMATED"
        return (
            f"Serverless({self.name!r}: {self.gpus_per_worker} GPU/worker at "
            f"${self.usd_per_gpu_second:g}/GPU-s, {self.min_workers} warm{cap})"
        )

    __str__ = __repr__
