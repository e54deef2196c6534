"""Price trends applied to options: :func:`with_trends` and :func:`price_trend_effect`.

The presets themselves (``API_PRICE_TRENDS``, ``GPU_PRICE_TRENDS``), with their sources,
are data in :mod:`tco.core.presets`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tco.analysis.breakeven import break_even
from tco.analysis.question import takes_question
from tco.analysis.switch_month import best_switch_month
from tco.core.checks import check_option, check_usage
from tco.core.option import Option
from tco.core.presets import API_PRICE_TRENDS, trend
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.hosting import SelfHosted
from tco.options.overflow import Overflow
from tco.options.procurement import Rent
from tco.options.routed import Routed
from tco.options.switch import Switch, SwitchOnVolume

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd


def _rebuild(option: Option, **changes: Any) -> Option:
    fields = {k: getattr(option, k) for k in type(option).model_fields}
    return type(option).model_validate(fields | changes)


def with_trends(
    option: Option, *, api: float | str | None = None, gpu: float | str | None = None
) -> Option:
    """A copy of ``option`` with its API and/or GPU-hour price trends set.

    Vendor APIs get ``annual_price_decline = api``; fleets on rented GPUs get
    ``procurement.annual_price_decline = gpu``; strategies pass the trends to their
    parts. ``None`` leaves a trend as it is. Bought GPUs have no price trend.

    Examples
    --------
    >>> import tco
    >>> a = tco.VendorAPI("a", input_usd_per_mtok=1, output_usd_per_mtok=2)
    >>> with_trends(a, api="llmflation").annual_price_decline
    0.9
    """
    check_option(option, "option")
    if isinstance(option, VendorAPI):
        return option if api is None else _rebuild(option, annual_price_decline=trend(api))
    if isinstance(option, SelfHosted):
        if gpu is None or not isinstance(option.procurement, Rent):
            return option
        proc = option.procurement.model_copy(update={"annual_price_decline": trend(gpu, "gpu")})
        return _rebuild(option, procurement=Rent.model_validate(proc.model_dump()))
    if isinstance(option, Overflow):
        return _rebuild(
            option,
            fleet=with_trends(option.fleet, api=api, gpu=gpu),
            api=with_trends(option.api, api=api, gpu=gpu),
        )
    if isinstance(option, Switch | SwitchOnVolume):
        return _rebuild(
            option,
            first=with_trends(option.first, api=api, gpu=gpu),
            then=with_trends(option.then, api=api, gpu=gpu),
        )
    if isinstance(option, Routed):
        return _rebuild(
            option, options=tuple(with_trends(o, api=api, gpu=gpu) for o in option.options)
        )
    return option


@takes_question
def price_trend_effect(
    api: Option,
    fleet: Option,
    usage: Usage,
    declines: Sequence[float | str] | Mapping[str, float] | None = None,
    discount_rate: float = 0.0,
) -> pd.DataFrame:
    """How a steady API price decline delays or cancels self-hosting's break-even.

    For each API price decline, ``fleet`` is compared with ``api`` (whose
    ``annual_price_decline`` is replaced): the break-even month, the best month to
    switch from the API to the fleet, and what the best plan saves against staying on
    the API.

    Parameters
    ----------
    api, fleet : Option
        Typically a :class:`~tco.VendorAPI` and a :class:`~tco.SelfHosted`.
    usage : Usage
    declines : sequence or mapping, optional
        Annual declines (numbers or preset names), or a mapping label -> decline;
        default: every API preset.
    discount_rate : float
        Annual rate for break-even (discounted payback) and the switch month. [-]

    Returns
    -------
    DataFrame
        Indexed by ``trend``: ``annual_decline``, ``break_even_month`` (NaN if none),
        ``break_even_reason``, ``best_switch_month`` (H = never), ``savings_usd`` (API
        alone minus the best switch plan; NPV with a rate). ``attrs`` names the
        ``horizon``, the ``baseline`` and ``candidate`` and the ``discount_rate`` (for
        :func:`tco.plot.price_trends`).

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(2e9, months=36, output_share=0.3)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
    >>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=20_000, decode_tokens_per_s=2_000,
    ...                        procurement=tco.Rent(2.0), setup_usd=40_000)
    >>> table = price_trend_effect(api, fleet, usage, declines=[0.0, 0.9])
    >>> table["break_even_month"].tolist()
    [5.0, nan]
    """
    check_option(api, "api")
    check_option(fleet, "fleet")
    check_usage(usage)
    if declines is None:
        labelled = {name: p.annual_decline for name, p in API_PRICE_TRENDS.items()}
    elif isinstance(declines, Mapping):
        labelled = {str(k): trend(v) for k, v in declines.items()}
    else:
        labelled = {(d if isinstance(d, str) else f"{float(d):.0%}"): trend(d) for d in declines}
    rows = []
    for label, d in labelled.items():
        trended = with_trends(api, api=d)
        be = break_even(trended, fleet, usage, discount_rate)
        best = best_switch_month(trended, fleet, usage, discount_rate)
        rows.append(
            {
                "trend": label,
                "annual_decline": d,
                "break_even_month": np.nan if be.month is None else float(be.month),
                "break_even_reason": be.reason or "",
                "best_switch_month": best.month,
                "savings_usd": best.never_usd - best.objective_usd,
            }
        )
    table = pd.DataFrame(rows).set_index("trend")
    table.attrs = {
        "horizon": usage.horizon,
        "baseline": api.name,
        "candidate": fleet.name,
        "discount_rate": discount_rate,
    }
    return table


__all__ = ["price_trend_effect", "with_trends"]
