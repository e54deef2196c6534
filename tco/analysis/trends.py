"""Price trends: documented presets for the yearly fall of API and GPU-hour prices.

Both :class:`~tco.VendorAPI` and :class:`~tco.Rent` take ``annual_price_decline``: prices
follow ``(1 - d) ** ((month - 1) / 12)`` (list price in month 1). A steady API price decline
is the strongest argument against self-hosting: the API bill shrinks every month while the
fleet's setup has to be paid back from savings that keep getting smaller.
:func:`price_trend_effect` shows how it delays or cancels the break-even and the switch.

Presets (``API_PRICE_TRENDS``, ``GPU_PRICE_TRENDS``) are starting points backed by public
figures, not forecasts. Read what each one measures before using it:

API per-token prices
    ``flat`` (0 %)
        The list price of a given model rarely changes during its life (gpt-4o-2024-08-06
        kept $2.50 / $10 per million tokens from its release in August 2024).
    ``flagship`` (75 %/year)
        OpenAI's flagship list prices: GPT-4 $30 / $60 per million input / output tokens
        (March 2023), GPT-4 Turbo $10 / $30 (November 2023), GPT-4o $5 / $15 (May 2024),
        gpt-4o-2024-08-06 $2.50 / $10 (August 2024): input 12x and output 6x cheaper in
        17 months, i.e. about 83 % and 72 % a year. Moving along it means moving to each
        new flagship (a migration every year or so).
    ``llmflation`` (90 %/year)
        a16z, "Welcome to LLMflation" (Guido Appenzeller, November 2024): for a model of
        equivalent performance (same MMLU score) the price fell 10x a year; $60 per million
        tokens for GPT-3 in November 2021, $0.06 for Llama 3.2 3B three years later.
    ``capability_slow`` (89 %/year) and ``historical_fast`` (97.5 %/year)
        Epoch AI, "LLM inference prices have fallen rapidly but unequally across tasks"
        (March 2025): the price to reach a fixed benchmark score fell between 9x and 900x
        a year depending on the milestone; 9x (the slowest) and 40x (GPT-4's score on
        PhD-level science questions). Epoch notes the fastest drops are recent and may not
        persist.

    The constant-capability figures assume you switch each year to whichever model reaches
    your quality bar most cheaply. The same trend makes smaller open models good enough,
    which shrinks a self-hosted fleet too; ``tco`` does not apply that to fleets by itself
    (raise the fleet's throughput or use a GPU-hour trend if you expect it).

GPU-hour prices
    ``flat`` (0 %)
        Hyperscalers' on-demand GPU prices change rarely, and by steps.
    ``price_performance`` (24.6 %/year)
        Epoch AI, "Trends in GPU price-performance" (Hobbhahn and Besiroglu, 2022): FLOP/s
        per dollar doubles every 2.46 years across 470 GPUs (2.07 years for GPUs used in
        ML, i.e. 28 %/year), so the cost of a fixed amount of compute falls by
        ``1 - 2 ** (-1 / 2.46)`` a year. Realised by moving to newer GPUs at similar prices.
    ``h100_2023_2025`` (60 %/year)
        H100 rental fell from about $8 per GPU-hour at the 2023 peak to about $2 in late
        2024 (Latent Space, "$2 H100s: How the GPU Bubble Burst", Eugene Cheah, October
        2024): 4x in about 18 months. A post-shortage correction; rental prices rose again
        by about 40 % between October 2025 and March 2026 (SemiAnalysis GPU rental index),
        so treat it as an upper bound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from tco.analysis.breakeven import break_even
from tco.analysis.optimize import best_switch_month
from tco.analysis.routing import Routed
from tco.core.costs import Option
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.hosting import Rent, SelfHosted
from tco.options.strategies import Overflow, Switch, SwitchOnVolume


@dataclass(frozen=True)
class TrendPreset:
    """A documented yearly price decline.

    Attributes
    ----------
    name : str
    annual_decline : float
        Yearly fall in price (0.3 = 30 % cheaper each year). [0-1)
    applies_to : {"api", "gpu"}
        Vendor API per-token prices or GPU-hour rental prices.
    summary : str
        What the figure measures, in one sentence.
    sources : tuple of str
        Where it comes from.
    """

    name: str
    annual_decline: float
    applies_to: Literal["api", "gpu"]
    summary: str
    sources: tuple[str, ...]

    @property
    def after_one_year(self) -> float:
        """Price after 12 months as a share of today's. [-]"""
        return 1.0 - self.annual_decline


def _yearly(factor_per_year: float) -> float:
    """Annual decline from an "Nx cheaper per year" factor."""
    return 1.0 - 1.0 / factor_per_year


API_PRICE_TRENDS: dict[str, TrendPreset] = {
    p.name: p
    for p in (
        TrendPreset(
            "flat",
            0.0,
            "api",
            "A given model's list price stays put.",
            ("https://openai.com/api/pricing (gpt-4o-2024-08-06: $2.50 / $10 per MTok)",),
        ),
        TrendPreset(
            "flagship",
            0.75,
            "api",
            "OpenAI flagship list prices, GPT-4 (Mar 2023) to gpt-4o-2024-08-06 (Aug 2024): "
            "input 12x, output 6x cheaper in 17 months.",
            (
                "https://openai.com/index/new-models-and-developer-products-announced-at-devday/"
                " (GPT-4 Turbo, November 2023: $10 / $30, 3x and 2x cheaper than GPT-4)",
                "https://openai.com/index/hello-gpt-4o/ (GPT-4o, May 2024: $5 / $15)",
                "https://openai.com/index/introducing-structured-outputs-in-the-api/ "
                "(gpt-4o-2024-08-06, August 2024: $2.50 / $10)",
            ),
        ),
        TrendPreset(
            "llmflation",
            _yearly(10.0),
            "api",
            "a16z: price of a model of equivalent performance (MMLU) fell 10x a year, 2021-2024.",
            ("https://a16z.com/llmflation-llm-inference-cost/ (Appenzeller, November 2024)",),
        ),
        TrendPreset(
            "capability_slow",
            _yearly(9.0),
            "api",
            "Epoch AI: the slowest fall, 9x a year, in the price of reaching a fixed "
            "benchmark score.",
            ("https://epoch.ai/data-insights/llm-inference-price-trends (March 2025)",),
        ),
        TrendPreset(
            "historical_fast",
            _yearly(40.0),
            "api",
            "Epoch AI: price of GPT-4's score on PhD-level science questions fell 40x a year.",
            ("https://epoch.ai/data-insights/llm-inference-price-trends (March 2025)",),
        ),
    )
}
"""Presets for ``VendorAPI.annual_price_decline``, by name."""

GPU_PRICE_TRENDS: dict[str, TrendPreset] = {
    p.name: p
    for p in (
        TrendPreset("flat", 0.0, "gpu", "GPU-hour prices stay put.", ()),
        TrendPreset(
            "price_performance",
            1.0 - 2.0 ** (-1.0 / 2.46),
            "gpu",
            "Epoch AI: GPU FLOP/s per dollar doubles every 2.46 years.",
            ("https://epoch.ai/blog/trends-in-gpu-price-performance (Hobbhahn, Besiroglu 2022)",),
        ),
        TrendPreset(
            "h100_2023_2025",
            1.0 - 0.25 ** (12.0 / 18.0),
            "gpu",
            "H100 rental from about $8 to about $2 per GPU-hour in about 18 months "
            "(2023 peak to late 2024); partly reversed since.",
            (
                "https://www.latent.space/p/gpu-bubble (Cheah, October 2024)",
                "https://newsletter.semianalysis.com/p/the-great-gpu-shortage-rental-capacity",
            ),
        ),
    )
}
"""Presets for ``Rent.annual_price_decline``, by name."""


def trend(value: float | str, kind: Literal["api", "gpu"] = "api") -> float:
    """An annual decline from a number or a preset name.

    Examples
    --------
    >>> trend("llmflation")
    0.9
    >>> round(trend("price_performance", "gpu"), 3)
    0.246
    >>> trend(0.3)
    0.3
    """
    presets = API_PRICE_TRENDS if kind == "api" else GPU_PRICE_TRENDS
    if isinstance(value, str):
        if value not in presets:
            raise KeyError(f"{kind} price trend {value!r} -> one of {sorted(presets)}")
        return presets[value].annual_decline
    d = float(value)
    if not (0.0 <= d < 1.0):
        raise ValueError(f"annual price decline: {value!r} -> a share in [0, 1)")
    return d


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
        alone minus the best switch plan; NPV with a rate).

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
    return pd.DataFrame(rows).set_index("trend")


__all__ = [
    "API_PRICE_TRENDS",
    "GPU_PRICE_TRENDS",
    "TrendPreset",
    "price_trend_effect",
    "trend",
    "with_trends",
]
