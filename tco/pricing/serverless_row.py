"""Row model of ``serverless_offers.csv``: serverless GPU offers billed per GPU-second.

A serverless GPU provider (Modal, RunPod Serverless, Replicate, Cloud Run, ...) starts
workers on demand and bills their GPUs by the second while they run; it scales to zero
when idle. One row is one provider's price for one GPU type in one product, with the
terms :class:`tco.Serverless` needs: the price, the published start-up time, the idle
window before a worker scales down, and the caps on workers and GPUs.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field, model_validator

from tco.pricing.cells import Flag, Name, PositiveInt, Provider, parse_number
from tco.pricing.rowbase import AsOf, Notes, PricingRow, Source, row_rule

__all__ = ["MAX_USD_PER_GPU_SECOND", "ServerlessOffer"]

MAX_USD_PER_GPU_SECOND = 0.1
"""Highest price a row may state (360 USD per GPU-hour): a price per hour typed into the
per-second column is caught. [USD per GPU-second]"""

Seconds = Annotated[float, BeforeValidator(parse_number), Field(ge=0, le=86_400)]
Increment = Annotated[float, BeforeValidator(parse_number), Field(gt=0, le=3600)]
StartUp = Annotated[float, BeforeValidator(parse_number), Field(ge=0, le=3600)]


class ServerlessOffer(PricingRow):
    """A row of ``serverless_offers.csv``: one serverless GPU price and its terms.

    Examples
    --------
    >>> offer = ServerlessOffer(provider="modal", product="Modal Functions", gpu="H100-SXM",
    ...     usd_per_gpu_second="0.001097", max_gpus="10", scale_to_zero="true",
    ...     source="https://modal.com/pricing", as_of="2026-07-01")
    >>> round(offer.usd_per_gpu_hour, 4), offer.label
    (3.9492, 'modal/Modal Functions/H100-SXM')
    >>> offer.workers_allowed(gpus_per_worker=4)
    2
    """

    key_fields: ClassVar[tuple[str, ...]] = ("provider", "product", "gpu")

    provider: Provider = Field(description="provider name, non-empty, without '/'")
    product: Name = Field(description="the provider's product or worker type (non-empty)")
    gpu: Name = Field(description="a gpu listed in gpu_hardware.csv")
    gpu_label: str | None = Field(
        None,
        description="the GPU as the provider lists it (a pool may hold several types), or empty",
    )
    usd_per_gpu_second: Annotated[
        float, BeforeValidator(parse_number), Field(gt=0, le=MAX_USD_PER_GPU_SECOND)
    ] = Field(
        description=f"a number > 0 and at most {MAX_USD_PER_GPU_SECOND:g} [USD per GPU-second; "
        "0.001 = 3.60 USD per GPU-hour]"
    )
    billing_increment_s: Increment | None = Field(
        None,
        description="a number > 0, at most 3600 [s: billed time is rounded up to a multiple "
        "of it], or empty (not published)",
    )
    cold_start_s: StartUp | None = Field(
        None,
        description="a number >= 0, at most 3600 [s a new worker takes to start, as the "
        "provider publishes it], or empty (not published)",
    )
    idle_timeout_s: Seconds | None = Field(
        None,
        description="a number >= 0, at most 86400 [s a worker stays up, billed, after its last "
        "request: the default], or empty (not published)",
    )
    max_workers: Annotated[PositiveInt, Field(le=100_000)] | None = Field(
        None,
        description="a whole number > 0, at most 100000 [workers at once, the default quota], "
        "or empty (not published)",
    )
    max_gpus: PositiveInt | None = Field(
        None,
        description="a whole number > 0 [GPUs at once over all workers, the default quota], "
        "or empty (not published)",
    )
    max_gpus_per_worker: Annotated[PositiveInt, Field(le=64)] | None = Field(
        None,
        description="a whole number > 0, at most 64 [GPUs one worker may have], or empty "
        "(not published)",
    )
    scale_to_zero: Flag = Field(
        description="true or false: the product stops billing when no worker is needed"
    )
    source: Source
    as_of: AsOf
    notes: Notes = None

    @model_validator(mode="after")
    def _worker_fits_the_quota(self) -> ServerlessOffer:
        per_worker, most = self.max_gpus_per_worker, self.max_gpus
        if per_worker is not None and most is not None and per_worker > most:
            raise row_rule(
                "max_gpus_per_worker",
                f"at most max_gpus ({most}): one worker cannot have more GPUs than the quota",
            )
        return self

    @property
    def usd_per_gpu_hour(self) -> float:
        """The price per GPU-hour. [USD per GPU-hour]"""
        return self.usd_per_gpu_second * 3600.0

    def workers_allowed(self, gpus_per_worker: int) -> int | None:
        """Most workers of ``gpus_per_worker`` GPUs the offer runs at once (None: no cap
        published); 0 when one such worker does not fit.

        The smaller of ``max_workers`` and ``max_gpus // gpus_per_worker``, and 0 when
        ``gpus_per_worker`` is above ``max_gpus_per_worker``.
        """
        if self.max_gpus_per_worker is not None and gpus_per_worker > self.max_gpus_per_worker:
            return 0
        caps = [c for c in (self.max_workers,) if c is not None]
        if self.max_gpus is not None:
            caps.append(self.max_gpus // gpus_per_worker)
        return min(caps) if caps else None
