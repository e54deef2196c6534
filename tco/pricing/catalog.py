"""The pricing catalog: validated tables and the look-ups that price options from them.

A :class:`PricingCatalog` is made by :func:`tco.load_pricing` (:mod:`tco.pricing.load`)
from the five files described in :mod:`tco.pricing.schema`. Look-ups by key return typed
rows, or a :class:`tco.VendorAPI`; staleness is :mod:`tco.pricing.staleness`'s.
"""

from __future__ import annotations

import typing
from datetime import date
from typing import TYPE_CHECKING, Any

from tco.pricing.catalog_reference import CatalogReference
from tco.pricing.catalog_serverless import CatalogServerless
from tco.pricing.cells import PLANS
from tco.pricing.frames import table_frame
from tco.pricing.lifecycle import warn_retired
from tco.pricing.lookup import asked, matching, one_throughput, throughput_rows
from tco.pricing.problems import UnknownPriceError, unknown_key_error
from tco.pricing.schema import (
    ALL_SPECS,
    SPECS,
    ApiPrice,
    CatalogEntry,
    GpuHardware,
    GpuOffer,
    ModelSpec,
    PricingRow,
    ThroughputMeasurement,
)
from tco.pricing.staleness import STALE_AFTER_DAYS

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

if TYPE_CHECKING:
    from tco.options.api import VendorAPI

__all__ = ["PricingCatalog"]

AnyRow = typing.TypeVar("AnyRow", bound=PricingRow)


class PricingCatalog(CatalogReference, CatalogServerless):
    """Validated pricing tables with look-ups; made by :func:`load_pricing`.

    Tables are pandas DataFrames (fresh copies on each access): :attr:`api_models`,
    :attr:`gpu_hardware`, :attr:`gpu_offers`, :attr:`throughputs`, :attr:`model_specs`.
    Each has the file's columns (``as_of`` as a datetime) plus ``origin`` (``file:line``
    of the row used); :attr:`api_models` starts with ``id`` (``provider/model``).

    Reference look-ups come from :class:`~tco.pricing.catalog_reference.CatalogReference`:
    :meth:`lifecycle`, :meth:`successor_chain`, :meth:`stale`, :attr:`price_history`,
    :meth:`observed_decline`, :meth:`observed_trend`, :attr:`fx_rates`, :meth:`fx`;
    serverless GPU offers from
    :class:`~tco.pricing.catalog_serverless.CatalogServerless`: :attr:`serverless_offers`,
    :meth:`serverless_offer`.

    Look-ups return typed, frozen rows (:class:`ApiPrice`, :class:`GpuHardware`,
    :class:`GpuOffer`, :class:`ThroughputMeasurement`, :class:`ModelSpec`) or, for
    :meth:`vendor_api`, a :class:`tco.VendorAPI`. An unknown key raises
    :class:`UnknownPriceError` (a ``KeyError``) naming the closest known keys.
    """

    def __init__(
        self,
        entries: dict[str, list[CatalogEntry]],
        *,
        today: date,
        folders: tuple[str, ...] = (),
    ) -> None:
        self._entries = {kind: tuple(entries.get(kind, ())) for kind in ALL_SPECS}
        self._today = today
        self._folders = folders
        self._api = {row.id: row for row in self._rows("api", ApiPrice)}
        self._hardware = {row.gpu: row for row in self._rows("hardware", GpuHardware)}
        self._models = {row.model: row for row in self._rows("models", ModelSpec)}
        self._frames: dict[str, pd.DataFrame] = {}

    def _rows(self, kind: str, row_type: type[AnyRow]) -> list[AnyRow]:
        """The rows of one kind, typed as ``row_type``."""
        return typing.cast("list[AnyRow]", [e.row for e in self._entries[kind]])

    # -- tables ---------------------------------------------------------------------------

    def table(self, kind: str) -> pd.DataFrame:
        """The table of one kind: ``api``, ``hardware``, ``gpu`` (offers), ``throughput``,
        ``models`` (model specs), or a reference table (``history``, ``fx``)."""
        if kind not in ALL_SPECS:
            raise ValueError(f"kind: {kind!r} -> one of {', '.join(ALL_SPECS)}")
        if kind not in self._frames:
            self._frames[kind] = table_frame(ALL_SPECS[kind], self._entries[kind])
        return self._frames[kind].copy()

    @property
    def api_models(self) -> pd.DataFrame:
        """Vendor API prices, one row per ``provider/model``."""
        return self.table("api")

    @property
    def gpu_hardware(self) -> pd.DataFrame:
        """GPU types: memory, TDP, purchase price."""
        return self.table("hardware")

    @property
    def gpu_offers(self) -> pd.DataFrame:
        """GPU rental offers."""
        return self.table("gpu")

    @property
    def throughputs(self) -> pd.DataFrame:
        """Serving throughput per replica (the table behind :meth:`throughput`)."""
        return self.table("throughput")

    @property
    def model_specs(self) -> pd.DataFrame:
        """Open models' architecture figures (the table behind :meth:`model_spec`)."""
        return self.table("models")

    # -- look-ups -------------------------------------------------------------------------

    def api_price(self, id: str) -> ApiPrice:
        """The ``api_models.csv`` row for ``provider/model``.

        A model retired on the catalog's date (``deprecation_date`` on or before it) is
        still found, with a :class:`~tco.RetiredModelWarning` naming the date and the
        successor.

        Examples
        --------
        >>> import tco
        >>> tco.load_pricing().api_price("openai/gpt-4o").provider
        'openai'
        """
        row = self._api_row(id)
        warn_retired(row, self._today, stacklevel=2)
        return row

    def _api_row(self, id: str) -> ApiPrice:
        """The row for ``id``, without a warning."""
        try:
            return self._api[id]
        except (KeyError, TypeError):
            raise unknown_key_error("API model", str(id), self._api) from None

    def vendor_api(self, id: str, **overrides: Any) -> VendorAPI:
        """A :class:`tco.VendorAPI` priced from the catalog row ``id`` (``provider/model``).

        Parameters
        ----------
        id : str
            ``provider/model`` as in ``api_models.csv`` (the ``id`` column).
        **overrides
            Any :class:`tco.VendorAPI` field: ``batch_share``, ``annual_price_decline``,
            ``staff_fte``, a negotiated ``input_usd_per_mtok``, ``name``, ...

        Notes
        -----
        An empty ``cache_read_usd_per_mtok`` means the input price applies. A model whose
        row has no batch tier gets ``batch_discount=0``; asking for ``batch_share > 0``
        on it without giving ``batch_discount`` is an error rather than a silent no-op.
        Tier, long-context and residency prices come from the row when it gives them
        (:mod:`tco.pricing.vendor`); a row that retires with a successor carries the
        successor, so a horizon past its ``deprecation_date`` moves to the successor's
        prices (pass ``successor=None`` to keep the model's prices throughout).

        Examples
        --------
        >>> import tco
        >>> api = tco.load_pricing().vendor_api("openai/gpt-4o", staff_fte=0.25)
        >>> api.name, api.staff_fte
        ('openai/gpt-4o', 0.25)
        """
        from tco.options.api import VendorAPI
        from tco.pricing.vendor import vendor_fields

        row = self._api_row(id)
        warn_retired(row, self._today, stacklevel=2)
        fields = vendor_fields(row, self._api)
        if (
            row.batch_discount is None
            and "batch_discount" not in overrides
            and (overrides.get("batch_share") or 0) > 0
        ):
            raise ValueError(
                f"batch_share: {overrides['batch_share']!r} -> 0 for {row.id}, which has no "
                "batch tier in the catalog; pass batch_discount=... to assume one"
            )
        return VendorAPI(**{**fields, **overrides})

    def hardware(self, gpu: str) -> GpuHardware:
        """The ``gpu_hardware.csv`` row for ``gpu``.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> gpu = prices.gpu_hardware["gpu"].iloc[0]
        >>> prices.hardware(gpu).tdp_watts > 0
        True
        """
        try:
            return self._hardware[gpu]
        except (KeyError, TypeError):
            raise unknown_key_error("GPU", str(gpu), self._hardware) from None

    def gpu_offer(
        self,
        gpu: str,
        provider: str | None = None,
        plan: str = "on_demand",
        region: str | None = None,
        instance: str | None = None,
    ) -> GpuOffer:
        """The cheapest rental offer for ``gpu`` matching the given filters.

        Parameters
        ----------
        gpu : str
            A GPU of ``gpu_hardware.csv``.
        provider, region, instance : str, optional
            Restrict to one provider / region / instance type (None: any).
        plan : str
            One of ``on_demand`` (default), ``reserved_1y``, ``reserved_3y``, ``spot``.

        Returns
        -------
        GpuOffer
            The lowest ``usd_per_gpu_hour`` among matching rows; ties go to the row that
            comes first in the file.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> gpu = prices.gpu_offers.query("plan == 'on_demand'")["gpu"].iloc[0]
        >>> offer = prices.gpu_offer(gpu)
        >>> offer.plan, offer.usd_per_gpu_hour > 0
        ('on_demand', True)
        """
        if plan not in PLANS:
            raise ValueError(f"plan: {plan!r} -> one of {', '.join(PLANS)}")
        offers = self._rows("gpu", GpuOffer)
        for_gpu = [o for o in offers if o.gpu == gpu]
        if not for_gpu:
            known = {o.gpu for o in offers} | set(self._hardware)
            err = unknown_key_error("GPU", str(gpu), known)
            if gpu in self._hardware:
                err = UnknownPriceError(f"no rental offer for GPU {gpu!r} in the catalog", gpu)
            raise err
        wanted = {"provider": provider, "plan": plan, "region": region, "instance": instance}
        match = matching(for_gpu, wanted)
        if not match:
            listing = "; ".join(
                f"{o.provider} {o.instance} {o.plan} {o.region or '-'}" for o in for_gpu[:12]
            )
            more = f" (+{len(for_gpu) - 12} more)" if len(for_gpu) > 12 else ""
            filters = asked(wanted)
            raise UnknownPriceError(
                f"no offer for GPU {gpu!r} with {filters}; offers for {gpu}: {listing}{more}", gpu
            )
        return min(match, key=lambda o: o.usd_per_gpu_hour)

    def throughput(
        self,
        model: str,
        gpu: str | None = None,
        gpus_per_replica: int | None = None,
        engine: str | None = None,
        precision: str | None = None,
        regime: str | None = None,
        concurrency: int | None = None,
    ) -> ThroughputMeasurement:
        """The one ``throughput.csv`` row matching ``model`` and the given filters.

        Without ``regime`` only ``offline`` rows are considered (the maximum-throughput
        figure a fleet without a latency target is sized from); pass ``regime="server"``,
        ``"interactive"`` or ``"measured"`` (and ``concurrency``) for the others, or use
        :meth:`throughput_rows` to see every row.

        No row matching raises :class:`UnknownPriceError` (listing the closest models,
        or the rows for the model); several raise :class:`AmbiguousPriceError` listing
        them, since a per-replica throughput is only meaningful with its GPU count,
        engine, precision and regime: narrow the look-up with those filters.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> first = prices.throughputs.iloc[0]
        >>> t = prices.throughput(first["model"], gpu=first["gpu"],
        ...                       gpus_per_replica=int(first["gpus_per_replica"]),
        ...                       engine=first["engine"], precision=first["precision"])
        >>> t.decode_tokens_per_s > 0, t.regime
        (True, 'offline')
        """
        wanted = {
            "gpu": gpu,
            "gpus_per_replica": gpus_per_replica,
            "engine": engine,
            "precision": precision,
            "regime": regime,
            "concurrency": concurrency,
        }
        return one_throughput(self._rows("throughput", ThroughputMeasurement), model, wanted)

    def throughput_rows(
        self, model: str, gpu: str | None = None, **filters: Any
    ) -> list[ThroughputMeasurement]:
        """Every ``throughput.csv`` row for ``model`` (and ``gpu``), in every regime.

        Parameters
        ----------
        model : str
            A model of ``throughput.csv`` or ``model_specs.csv``.
        gpu : str, optional
            A GPU of ``gpu_hardware.csv`` (None: any).
        **filters
            Any other column of ``throughput.csv`` and the value it must equal
            (``regime="measured"``, ``engine=...``, ``estimated=False``); None: any.

        Returns
        -------
        list of ThroughputMeasurement
            In file order; empty when no row matches. An unknown model or GPU raises
            :class:`UnknownPriceError` naming the closest; an unknown filter ``TypeError``.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> model = prices.throughputs["model"].iloc[0]
        >>> rows = prices.throughput_rows(model)
        >>> len(rows) >= 1 and all(r.model == model for r in rows)
        True
        """
        rows = self._rows("throughput", ThroughputMeasurement)
        return throughput_rows(
            rows,
            model,
            gpu,
            filters,
            known_models={r.model for r in rows} | set(self._models),
            known_gpus=set(self._hardware),
        )

    def throughput_measurements(self) -> list[ThroughputMeasurement]:
        """Every throughput row, in file order (the typed rows behind :attr:`throughputs`)."""
        return list(self._rows("throughput", ThroughputMeasurement))

    def model_spec(self, model: str) -> ModelSpec:
        """The ``model_specs.csv`` row for ``model`` (a Hugging Face id).

        Examples
        --------
        >>> import tco
        >>> tco.load_pricing().model_spec("openai/gpt-oss-120b").moe
        True
        """
        try:
            return self._models[model]
        except (KeyError, TypeError):
            raise unknown_key_error("model spec", str(model), self._models) from None

    # -- misc -----------------------------------------------------------------------------

    @property
    def today(self) -> date:
        """Reference date used at load (staleness, future dates)."""
        return self._today

    @property
    def folders(self) -> tuple[str, ...]:
        """Folders the catalog was read from, bundled first."""
        return self._folders

    def counts(self) -> dict[str, int]:
        """Number of rows per kind."""
        return {kind: len(self._entries[kind]) for kind in SPECS}

    def __repr__(self) -> str:
        c = self.counts()
        stale = len(self.stale())
        extra = f"; {stale} rows older than {STALE_AFTER_DAYS} days" if stale else ""
        return (
            f"PricingCatalog({c['api']} API models, {c['gpu']} GPU offers, "
            f"{c['hardware']} GPU types, {c['throughput']} throughput rows{extra})"
        )
