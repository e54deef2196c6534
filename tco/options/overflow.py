"""Overflow: a self-hosted fleet takes the base load, a vendor API the peaks above it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import Field, model_validator

from tco.core.arrays import UsageArrays
from tco.core.option import Option, data_leaves
from tco.core.parts import CostContext, CostParts
from tco.core.units import Number, WholeNumber
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.capacity import busy_replicas, replicas_needed, unserved_above_capacity
from tco.options.composite import combine_parts
from tco.options.hosting import SelfHosted
from tco.options.serverless import Serverless

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["Overflow"]


def _capped_fleet(
    fleet: SelfHosted, usage: UsageArrays, sizing: float | None, max_replicas: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Replicas of ``fleet`` sized for a peak of at most ``sizing`` and capped at
    ``max_replicas``, and the share of tokens above its capacity (below 1e-12: none)."""
    busy = busy_replicas(usage, fleet.prefill_tokens_per_s, fleet.decode_tokens_per_s)
    peak = np.asarray(usage.peak_to_average, dtype=float)
    replicas = replicas_needed(
        busy,
        peak_to_average=peak if sizing is None else np.minimum(peak, sizing),
        target_utilization=fleet.target_utilization,
        min_replicas=fleet.min_replicas,
        spare_replicas=fleet.spare_replicas,
    )
    if max_replicas is not None:
        replicas = np.minimum(replicas, float(max_replicas))
    share = unserved_above_capacity(
        replicas,
        busy,
        peak_to_average=peak,
        target_utilization=fleet.target_utilization,
        spare_replicas=fleet.spare_replicas,
    )
    share = np.where(share < 1e-12, 0.0, share)
    return np.broadcast_to(replicas, share.shape).copy(), share


class Overflow(Option):
    """A self-hosted fleet serves what it can; demand above its capacity goes to a vendor API.

    The fleet is the ``fleet`` option as given (sized to demand, or ``fixed_replicas``),
    optionally sized for a lower peak (``sizing_peak_to_average``, e.g. 1.0 for the
    average load) and/or capped at ``max_replicas``. Its capacity is
    ``(replicas - spare_replicas) * target_utilization`` busy replicas; the tokens that
    arrive while the load is above it follow the linear load-duration curve of
    :mod:`tco.core.loadshape` and are served by ``api`` at its prices, with the usage's token
    mix. The same fleet alone reports exactly those tokens as unserved.

    Parameters
    ----------
    fleet : SelfHosted
        The fleet that takes the base load.
    api : VendorAPI or Serverless
        The vendor API (or serverless GPUs) that takes the overflow.
    name : str, optional
        Defaults to ``"<fleet> + <api> overflow"``.
    max_replicas : int, optional
        Cap on the fleet's replicas (spares included); must exceed ``spare_replicas``.
    sizing_peak_to_average : float, optional
        Size the fleet for this peak-to-average ratio instead of the usage's. [>= 1]

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(3600 * 730 * 2.0, months=1, output_share=0.5,
    ...                            peak_to_average=2.0)
    >>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=2.0, decode_tokens_per_s=1.0,
    ...                        procurement=tco.Rent(1.0), target_utilization=1.0,
    ...                        fixed_replicas=2)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    >>> split = tco.Overflow(fleet, api).split(usage)
    >>> round(float(split["api_share"].iloc[0]), 6)  # busy 1.5, capacity 2, peak 3
    0.111111
    """

    fleet: SelfHosted
    api: VendorAPI | Serverless
    max_replicas: Annotated[WholeNumber, Field(ge=1)] | None = None
    sizing_peak_to_average: Annotated[Number, Field(ge=1.0, le=1000.0)] | None = None

    def __init__(
        self,
        fleet: SelfHosted | None = None,
        api: VendorAPI | Serverless | None = None,
        /,
        **data: Any,
    ) -> None:
        if fleet is not None:
            data["fleet"] = fleet
        if api is not None:
            data["api"] = api
        super().__init__(**data)

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and "name" not in data:
            fleet, api = data.get("fleet"), data.get("api")
            if isinstance(fleet, Option) and isinstance(api, Option):
                data = {**data, "name": f"{fleet.name} + {api.name} overflow"}
        return data

    @model_validator(mode="after")
    def _check_fleet(self) -> Overflow:
        sized = self.max_replicas is not None or self.sizing_peak_to_average is not None
        if self.fleet.fixed_replicas is not None and sized:
            raise ValueError(
                f"fleet: {self.fleet.name!r} has fixed_replicas={self.fleet.fixed_replicas}; "
                "max_replicas and sizing_peak_to_average apply to a fleet sized to demand"
            )
        if self.max_replicas is not None and self.max_replicas <= self.fleet.spare_replicas:
            raise ValueError(
                f"max_replicas: {self.max_replicas} -> must exceed the fleet's spare_replicas "
                f"({self.fleet.spare_replicas}) so that some replicas serve"
            )
        return self

    @property
    def data_leaves_environment(self) -> bool:
        return data_leaves(self.fleet) or data_leaves(self.api)

    def overflow_share(self, usage: UsageArrays, **values: Any) -> tuple[np.ndarray, np.ndarray]:
        """Replicas per month and the share of each month's tokens sent to the API
        (``values`` set parameters by path, as for :meth:`cost_parts`)."""
        strategy = self.vary(values)
        fleet = strategy.fleet
        if fleet.fixed_replicas is not None:
            replicas, share = fleet.fleet(usage)
            return replicas, np.zeros_like(replicas) if share is None else share
        return _capped_fleet(fleet, usage, self.sizing_peak_to_average, self.max_replicas)

    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        """Fleet costs plus the API's costs of the overflow tokens."""
        replicas, share = self.overflow_share(usage)
        fleet_parts = self.fleet.fleet_costs(usage, context, replicas, share)
        api_parts = self.api.costs(usage.scaled(share), context)
        parts = combine_parts([("fleet", fleet_parts), ("api", api_parts)])
        parts.unserved_tokens = np.zeros_like(usage.total * share)
        return parts

    def split(self, usage: Usage) -> pd.DataFrame:
        """Tokens served by the fleet and by the API, month by month.

        Returns
        -------
        DataFrame
            Indexed by month: ``tokens``, ``fleet_tokens``, ``api_tokens``, ``api_share``
            and ``replicas``.
        """
        arrays = usage.arrays()
        replicas, share = self.overflow_share(arrays)
        total = arrays.total
        return pd.DataFrame(
            {
                "tokens": total,
                "fleet_tokens": total * (1.0 - share),
                "api_tokens": total * share,
                "api_share": share,
                "replicas": replicas,
            },
            index=pd.Index(usage.months, name="month"),
        )

    def __repr__(self) -> str:
        how = ""
        if self.max_replicas is not None:
            how += f", max_replicas={self.max_replicas}"
        if self.sizing_peak_to_average is not None:
            how += f", sized for peak/avg {self.sizing_peak_to_average:g}"
        return f"Overflow({self.name!r}: fleet {self.fleet.name!r}, api {self.api.name!r}{how})"

    __str__ = __repr__
