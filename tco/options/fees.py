"""Fees every option may charge per request and per byte sent: request fees and egress.

Both need the usage to say how many requests it makes (``tokens_per_request``) and, for
egress, how many bytes a request sends (``bytes_per_request``); without them a fee is an
error naming what is missing, never a cost of zero.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import BaseModel

from tco.core.arrays import UsageArrays, nonzero
from tco.core.params import Param
from tco.core.parts import CostContext
from tco.core.units import NonNegative

__all__ = ["RequestFees", "request_costs"]


class RequestFees(BaseModel):
    """Fields of the per-request fee and the egress price (mixed into options).

    Parameters
    ----------
    usd_per_request : float
        Fee per request (gateways, per-call charges). [USD]
    egress_usd_per_gb : float
        Price of data sent out of the cloud or region. [USD/GB]
    """

    FEE_COMPONENTS: ClassVar[dict[str, str]] = {
        "request_fees": "Request fees",
        "egress": "Egress",
    }

    usd_per_request: Annotated[NonNegative, Param("fee per request", "USD")] = 0.0
    egress_usd_per_gb: Annotated[NonNegative, Param("egress price", "USD/GB")] = 0.0


def request_costs(option: Any, usage: UsageArrays, context: CostContext) -> dict[str, Any]:
    """Request fees and egress per month of ``option`` for ``usage``. [USD/month]

    Examples
    --------
    >>> from tco.core.usage import Usage
    >>> from types import SimpleNamespace
    >>> u = Usage.from_requests(1_000_000, 700, 300, months=1, bytes_per_request=20_000)
    >>> fees = SimpleNamespace(name="api", usd_per_request=1e-4, egress_usd_per_gb=0.09)
    >>> {k: v.round(6).tolist() for k, v in request_costs(fees, u.arrays(), CostContext()).items()}
    {'request_fees': [100.0], 'egress': [1.8]}
    """
    out: dict[str, Any] = {}
    if nonzero(option.usd_per_request):
        if usage.requests is None:
            raise ValueError(
                f"{option.name}: usd_per_request is set but the usage does not count requests "
                "-> give the usage tokens_per_request (or build it with Usage.from_requests)"
            )
        fee = np.asarray(option.usd_per_request, dtype=float)[..., None]
        out["request_fees"] = context.within(usage.requests * fee)
    if nonzero(option.egress_usd_per_gb):
        egress = usage.egress_gb
        if egress is None:
            raise ValueError(
                f"{option.name}: egress_usd_per_gb is set but the usage has no request size -> "
                "give the usage bytes_per_request and tokens_per_request"
            )
        price = np.asarray(option.egress_usd_per_gb, dtype=float)[..., None]
        out["egress"] = context.within(egress * price)
    return out
