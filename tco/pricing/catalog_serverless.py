"""The catalog's serverless GPU look-up: the cheapest offer for a GPU and a worker size.

:class:`CatalogServerless` is a base of :class:`tco.pricing.PricingCatalog`; its methods
read the catalog's validated rows (``_entries``) and GPU types (``_hardware``).
:meth:`tco.Serverless.from_catalog` prices a serverless option with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tco.pricing.lookup import asked, matching
from tco.pricing.problems import UnknownPriceError, unknown_key_error
from tco.pricing.schema import CatalogEntry
from tco.pricing.serverless_row import ServerlessOffer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CatalogServerless", "describe_offer"]

_LISTED = 12
"""Offers named in a look-up error at most."""


def describe_offer(offer: ServerlessOffer) -> str:
    """An offer in a few words, for messages and sources.

    Examples
    --------
    >>> offer = ServerlessOffer(provider="runpod", product="flex", gpu="L4",
    ...     usd_per_gpu_second=0.00019, max_gpus_per_worker=2, scale_to_zero=True,
    ...     source="s", as_of="2026-06-08")
    >>> describe_offer(offer)
    'runpod flex L4 at 0.00019 USD/GPU-s (0.684 USD/GPU-h), at most 2 GPUs per worker'
    """
    text = (
        f"{offer.provider} {offer.product} {offer.gpu} at {offer.usd_per_gpu_second:g} "
        f"USD/GPU-s ({offer.usd_per_gpu_hour:.4g} USD/GPU-h)"
    )
    caps = (
        (offer.max_gpus_per_worker, "GPU per worker", "GPUs per worker"),
        (offer.max_workers, "worker at once", "workers at once"),
        (offer.max_gpus, "GPU at once", "GPUs at once"),
    )
    for cap, one, many in caps:
        if cap is not None:
            text += f", at most {cap} {one if cap == 1 else many}"
    if not offer.scale_to_zero:
        text += ", does not scale to zero"
    return text


class CatalogServerless:
    """Serverless GPU offers: their table and the cheapest match for a GPU."""

    _entries: dict[str, tuple[CatalogEntry, ...]]
    _hardware: dict[str, Any]

    def table(self, kind: str) -> pd.DataFrame:  # pragma: no cover - PricingCatalog's
        raise NotImplementedError

    @property
    def serverless_offers(self) -> pd.DataFrame:
        """Serverless GPU offers (``serverless_offers.csv``), priced per GPU-second."""
        return self.table("serverless")

    def serverless_offer(
        self,
        gpu: str,
        provider: str | None = None,
        product: str | None = None,
        *,
        gpus_per_worker: int | None = None,
        scale_to_zero: bool | None = None,
    ) -> ServerlessOffer:
        """The cheapest serverless offer for ``gpu`` matching the given filters.

        Parameters
        ----------
        gpu : str
            A GPU of ``gpu_hardware.csv``.
        provider, product : str, optional
            Restrict to one provider / product (None: any).
        gpus_per_worker : int, optional
            Only offers that run a worker of this many GPUs (``max_gpus_per_worker`` and
            ``max_gpus``, where published, at least this).
        scale_to_zero : bool, optional
            Only offers that scale to zero (True) or keep workers running (False).

        Returns
        -------
        ServerlessOffer
            The lowest ``usd_per_gpu_second`` among matching rows; ties go to the row that
            comes first in the file.

        Raises
        ------
        UnknownPriceError
            No GPU of that name (the closest named), no serverless offer for it, or none
            matching the filters (the offers for the GPU listed).

        Examples
        --------
        >>> import tco
        >>> offer = tco.load_pricing().serverless_offer("H100-SXM", gpus_per_worker=8)
        >>> offer.gpu, offer.usd_per_gpu_second > 0
        ('H100-SXM', True)
        """
        offers = [
            e.row for e in self._entries.get("serverless", ()) if isinstance(e.row, ServerlessOffer)
        ]
        for_gpu = [o for o in offers if o.gpu == gpu]
        if not for_gpu:
            if gpu not in self._hardware:
                raise unknown_key_error(
                    "GPU", str(gpu), {o.gpu for o in offers} | set(self._hardware)
                )
            having = ", ".join(sorted({o.gpu for o in offers})) or "none"
            raise UnknownPriceError(
                f"no serverless offer for GPU {gpu!r} in the catalog; GPUs with one: {having}", gpu
            )
        wanted = {"provider": provider, "product": product, "scale_to_zero": scale_to_zero}
        match = matching(for_gpu, wanted)
        if gpus_per_worker is not None:
            match = [o for o in match if o.workers_allowed(gpus_per_worker) != 0]
        if not match:
            listing = "; ".join(describe_offer(o) for o in for_gpu[:_LISTED])
            more = f" (+{len(for_gpu) - _LISTED} more)" if len(for_gpu) > _LISTED else ""
            filters = asked({**wanted, "gpus_per_worker": gpus_per_worker})
            raise UnknownPriceError(
                f"no serverless offer for GPU {gpu!r} with {filters}; offers for {gpu}: "
                f"{listing}{more}",
                gpu,
            )
        return min(match, key=lambda o: o.usd_per_gpu_second)
