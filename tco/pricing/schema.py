"""Pricing CSV schemas: one frozen row model per file, and the table specs.

The catalog is four CSV files (``pricing_data/`` in the repository, shipped inside the
package as ``tco/pricing_data/``), beside two reference tables (``api_price_history.csv``
and ``fx.csv``, :mod:`tco.pricing.reference_rows`):

============================  ==========================================================
``api_models.csv``            vendor API prices per model, key ``provider/model``
``gpu_hardware.csv``          GPU types: memory, TDP, purchase price; key ``gpu``
``gpu_offers.csv``            GPU rental offers; key ``(provider, instance, plan, region)``
``throughput.csv``            measured serving throughput; key
                              ``(model, gpu, gpus_per_replica, engine, precision)``
============================  ==========================================================

Every row carries ``source`` and ``as_of``. An empty cell means "not published" or "not
offered", never zero.

Each file of the catalog has a frozen pydantic row model whose fields are the file's
columns, in order; a field's ``description`` is the "what is allowed" text of error
messages (``tco prices columns`` prints them). :data:`SPECS` ties each kind of table to
its file and row model; :func:`tco.pricing.parse.parse_file` validates a file against it.
The row models, :data:`FILES` and :data:`PLANS` are re-exported by :mod:`tco.pricing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import Field

from tco.pricing.api_row import API_MODES, ApiPrice
from tco.pricing.cells import PLANS, Name, Plan, Positive, PositiveInt
from tco.pricing.reference_rows import FxRate, PriceHistoryRow
from tco.pricing.rowbase import AsOf, Notes, PricingRow, Source, row_rule

__all__ = [
    "ALL_SPECS",
    "API_MODES",
    "FILES",
    "PLANS",
    "REFERENCE_SPECS",
    "SPECS",
    "SPECS_BY_FILE",
    "ApiPrice",
    "CatalogEntry",
    "FxRate",
    "GpuHardware",
    "GpuOffer",
    "Kind",
    "PriceHistoryRow",
    "PricingRow",
    "TableSpec",
    "ThroughputMeasurement",
    "row_rule",
]


class GpuHardware(PricingRow):
    """A row of ``gpu_hardware.csv``: one GPU type.

    Examples
    --------
    >>> hw = GpuHardware(gpu="H100-SXM", memory_gb=80, tdp_watts=700,
    ...                  source="https://www.nvidia.com/en-us/data-center/h100/",
    ...                  as_of="2026-11-01")
    >>> hw.kw_per_gpu, hw.purchase_usd_per_gpu
    (0.7, None)
    """

    key_fields: ClassVar[tuple[str, ...]] = ("gpu",)

    gpu: Name = Field(description="GPU name, non-empty (the key other files refer to)")
    memory_gb: Positive = Field(description="a number > 0 [GB of GPU memory]")
    tdp_watts: Positive = Field(description="a number > 0 [W, thermal design power]")
    purchase_usd_per_gpu: Positive | None = Field(
        None, description="a number > 0 [USD per GPU], or empty (no public price)"
    )
    source: Source
    as_of: AsOf
    notes: Notes = None

    @property
    def kw_per_gpu(self) -> float:
        """Power at TDP. [kW]"""
        return self.tdp_watts / 1000.0


class GpuOffer(PricingRow):
    """A row of ``gpu_offers.csv``: one rental offer.

    Examples
    --------
    >>> offer = GpuOffer(provider="aws", instance="p5.48xlarge", gpu="H100-SXM",
    ...                  gpus_per_instance=8, plan="on_demand", usd_per_gpu_hour=6.88,
    ...                  region="us-east-1", source="https://aws.amazon.com/ec2/pricing/",
    ...                  as_of="2026-11-01")
    >>> round(offer.usd_per_instance_hour, 2)
    55.04
    """

    key_fields: ClassVar[tuple[str, ...]] = ("provider", "instance", "plan", "region")

    provider: Name = Field(description="provider name, non-empty")
    instance: Name = Field(description="instance type as the provider names it (non-empty)")
    gpu: Name = Field(description="a gpu listed in gpu_hardware.csv")
    gpus_per_instance: PositiveInt = Field(description="a whole number > 0 [GPUs]")
    plan: Plan = Field(description="one of " + ", ".join(PLANS))
    usd_per_gpu_hour: Positive = Field(description="a number > 0 [USD per GPU-hour]")
    region: str | None = Field(None, description="region name, or empty (any / not stated)")
    source: Source
    as_of: AsOf
    notes: Notes = None

    @property
    def label(self) -> str:
        return f"{self.provider} {self.instance} {self.plan} {self.region or '(any region)'}"

    @property
    def usd_per_instance_hour(self) -> float:
        """Price of the whole instance. [USD per hour]"""
        return self.usd_per_gpu_hour * self.gpus_per_instance


class ThroughputMeasurement(PricingRow):
    """A row of ``throughput.csv``: one measured serving configuration.

    Throughputs are aggregate over the replica's concurrent requests.

    Examples
    --------
    >>> t = ThroughputMeasurement(model="meta-llama/Llama-3.1-8B-Instruct", gpu="H100-SXM",
    ...     gpus_per_replica=1, engine="vllm", precision="bf16", prefill_tokens_per_s=40000,
    ...     decode_tokens_per_s=5000, source="https://example.org/bench", as_of="2026-10-01")
    >>> t.decode_tokens_per_s, t.concurrency
    (5000.0, None)
    """

    key_fields: ClassVar[tuple[str, ...]] = (
        "model",
        "gpu",
        "gpus_per_replica",
        "engine",
        "precision",
    )

    model: Name = Field(description="model name, non-empty")
    gpu: Name = Field(description="a gpu listed in gpu_hardware.csv")
    gpus_per_replica: PositiveInt = Field(description="a whole number > 0 [GPUs]")
    engine: Name = Field(description="serving engine, non-empty (e.g. vllm, trt-llm)")
    precision: Name = Field(description="weight precision, non-empty (e.g. bf16, fp8)")
    prefill_tokens_per_s: Positive = Field(
        description="a number > 0 [input tokens per second per replica]"
    )
    decode_tokens_per_s: Positive = Field(
        description="a number > 0 [output tokens per second per replica]"
    )
    concurrency: PositiveInt | None = Field(
        None, description="a whole number > 0 [concurrent requests], or empty"
    )
    input_tokens: PositiveInt | None = Field(
        None, description="a whole number > 0 [tokens per request], or empty"
    )
    output_tokens: PositiveInt | None = Field(
        None, description="a whole number > 0 [tokens per request], or empty"
    )
    source: Source
    as_of: AsOf
    notes: Notes = None

    @property
    def label(self) -> str:
        return f"{self.model} on {self.gpus_per_replica}x{self.gpu} {self.engine} {self.precision}"


# ---------------------------------------------------------------------------------------
# Table specs

Kind = Literal["api", "hardware", "gpu", "throughput", "history", "fx"]


@dataclass(frozen=True)
class TableSpec:
    """One kind of table: its file name and its row model.

    Examples
    --------
    >>> SPECS["hardware"].columns
    ('gpu', 'memory_gb', 'tdp_watts', 'purchase_usd_per_gpu', 'source', 'as_of', 'notes')
    """

    kind: Kind
    file: str
    row: type[PricingRow]

    @property
    def columns(self) -> tuple[str, ...]:
        """The file's columns, in order (the row model's fields)."""
        return tuple(self.row.model_fields)


SPECS: dict[str, TableSpec] = {
    "api": TableSpec("api", "api_models.csv", ApiPrice),
    "hardware": TableSpec("hardware", "gpu_hardware.csv", GpuHardware),
    "gpu": TableSpec("gpu", "gpu_offers.csv", GpuOffer),
    "throughput": TableSpec("throughput", "throughput.csv", ThroughputMeasurement),
}
"""The table specs by kind, in load order."""

FILES: dict[str, str] = {kind: spec.file for kind, spec in SPECS.items()}
"""The catalog's files by kind: ``api``, ``hardware``, ``gpu`` (offers), ``throughput``."""

REFERENCE_SPECS: dict[str, TableSpec] = {
    "history": TableSpec("history", "api_price_history.csv", PriceHistoryRow),
    "fx": TableSpec("fx", "fx.csv", FxRate),
}
"""The reference tables by kind: optional in any folder, not counted among the catalog's
tables (:meth:`PricingCatalog.counts`), read and overridden like them."""

ALL_SPECS: dict[str, TableSpec] = {**SPECS, **REFERENCE_SPECS}
"""Every table spec by kind, the catalog's first."""

SPECS_BY_FILE: dict[str, TableSpec] = {spec.file: spec for spec in ALL_SPECS.values()}
"""The table specs by file name (``api_models.csv`` ...), reference tables included."""


@dataclass(frozen=True)
class CatalogEntry:
    """A validated row and where it was read.

    Attributes
    ----------
    row : PricingRow
        The row.
    file : str
        Path of its file, as given.
    line : int
        Physical line of the row (the header is line 1).
    """

    row: PricingRow
    file: str
    line: int

    @property
    def origin(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"
