"""Pricing CSV schemas: one frozen row model per file, and the table specs.

The catalog is five CSV files (``pricing_data/`` in the repository, shipped inside the
package as ``tco/pricing_data/``), beside two reference tables (``api_price_history.csv``
and ``fx.csv``, :mod:`tco.pricing.reference_rows`):

============================  ==========================================================
``api_models.csv``            vendor API prices per model, key ``provider/model``
``gpu_hardware.csv``          GPU types: memory, TDP, price, bandwidth, TFLOPS; key ``gpu``
``gpu_offers.csv``            GPU rental offers; key ``(provider, instance, plan, region)``
``throughput.csv``            serving throughput per replica in a regime; key
                              ``(model, gpu, gpus_per_replica, engine, precision,
                              regime, concurrency)``
``model_specs.csv``           open models' architecture figures; key ``model``
``serverless_offers.csv``     serverless GPU offers per GPU-second (optional in a
                              folder, :data:`OPTIONAL_SPECS`); key
                              ``(provider, product, gpu)``
============================  ==========================================================

Every row carries ``source`` and ``as_of``. An empty cell means "not published" or "not
offered", never zero.

Each file of the catalog has a frozen pydantic row model whose fields are the file's
columns, in order (the base and the shared columns are :mod:`tco.pricing.rowbase`'s, the API row
throughput and model-spec rows :mod:`tco.pricing.serving`'s); a field's ``description`` is
the "what is allowed" text of error messages (``tco prices columns`` prints them).
:data:`SPECS` ties each kind of table to its file and row model;
:func:`tco.pricing.parse.parse_file` validates a file against it. The row models,
:data:`FILES` and :data:`PLANS` are re-exported by :mod:`tco.pricing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import Field

from tco.pricing.api_row import API_MODES, ApiPrice
from tco.pricing.cells import PLANS, Name, Plan, Positive, PositiveInt
from tco.pricing.reference_rows import FxRate, PriceHistoryRow
from tco.pricing.rowbase import AsOf, Notes, PricingRow, Source, row_rule
from tco.pricing.serverless_row import ServerlessOffer
from tco.pricing.serving import REGIMES, ModelSpec, ThroughputMeasurement

__all__ = [
    "ALL_SPECS",
    "API_MODES",
    "FILES",
    "OPTIONAL_SPECS",
    "PLANS",
    "REFERENCE_SPECS",
    "REGIMES",
    "SPECS",
    "SPECS_BY_FILE",
    "ApiPrice",
    "CatalogEntry",
    "FxRate",
    "GpuHardware",
    "GpuOffer",
    "Kind",
    "ModelSpec",
    "PriceHistoryRow",
    "PricingRow",
    "ServerlessOffer",
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
    memory_bandwidth_tbps: Positive | None = Field(
        None, description="a number > 0 [TB/s of GPU memory bandwidth], or empty (not published)"
    )
    fp16_tflops: Positive | None = Field(
        None,
        description="a number > 0 [dense FP16/BF16 tensor TFLOPS, without sparsity], "
        "or empty (not published)",
    )
    fp8_tflops: Positive | None = Field(
        None,
        description="a number > 0 [dense FP8 tensor TFLOPS, without sparsity], "
        "or empty (not supported or not published)",
    )
    fp4_tflops: Positive | None = Field(
        None,
        description="a number > 0 [dense FP4 tensor TFLOPS, without sparsity], "
        "or empty (not supported or not published)",
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


# ---------------------------------------------------------------------------------------
# Table specs

Kind = Literal["api", "hardware", "gpu", "throughput", "models", "serverless", "history", "fx"]


@dataclass(frozen=True)
class TableSpec:
    """One kind of table: its file name and its row model.

    Examples
    --------
    >>> SPECS["hardware"].columns[:4]
    ('gpu', 'memory_gb', 'tdp_watts', 'purchase_usd_per_gpu')
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
    "models": TableSpec("models", "model_specs.csv", ModelSpec),
}
"""The table specs by kind, in load order."""

FILES: dict[str, str] = {kind: spec.file for kind, spec in SPECS.items()}
"""The catalog's files by kind: ``api``, ``hardware``, ``gpu`` (offers), ``throughput``,
``models`` (model specs)."""

OPTIONAL_SPECS: dict[str, TableSpec] = {
    "serverless": TableSpec("serverless", "serverless_offers.csv", ServerlessOffer),
}
"""Catalog tables added after the first five (``serverless``: serverless GPU offers,
:mod:`tco.pricing.serverless_row`): optional in any folder, so a folder written for an
older ``tco`` still loads; listed by ``tco prices list/columns --kind``, not counted by
:meth:`PricingCatalog.counts`."""

REFERENCE_SPECS: dict[str, TableSpec] = {
    "history": TableSpec("history", "api_price_history.csv", PriceHistoryRow),
    "fx": TableSpec("fx", "fx.csv", FxRate),
}
"""The reference tables by kind: optional in any folder, not counted among the catalog's
tables (:meth:`PricingCatalog.counts`), read and overridden like them."""

ALL_SPECS: dict[str, TableSpec] = {**SPECS, **OPTIONAL_SPECS, **REFERENCE_SPECS}
"""Every table spec by kind, the catalog's first (then the optional ones)."""

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
