"""Price-trend presets: documented yearly falls of API and GPU-hour prices, as data.

Both :class:`~tco.VendorAPI` and :class:`~tco.Rent` take ``annual_price_decline``: prices
follow ``(1 - d) ** ((month - 1) / 12)`` (list price in month 1). A steady API price decline
is the strongest argument against self-hosting: the API bill shrinks every month while the
fleet's setup has to be paid back from savings that keep getting smaller.
:func:`tco.price_trend_effect` shows how it delays or cancels the break-even and the switch.

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

    ``observed`` (0 %, a snapshot of a fit that rose)
        The catalog's own price history (``pricing_data/api_price_history.csv``: the 46
        list prices of OpenAI, Anthropic, Google and DeepSeek models in effect on
        2026-11-30, dated 2024-10-16 to 2026-09-10) fitted as ``tco.pricing.history``
        does (a log-linear fit per provider and tier, each with its own level, one shared
        slope): the fitted list price of the vendors' line-ups *rose* 135 % a year
        (``fitted_decline`` = -1.35). Newer
        models launched at higher prices than the ones they followed (OpenAI's flagship
        from gpt-4o at $2.50 / $10 to gpt-5.6-sol at $4 / $20; Google's Flash line from
        $0.10 / $0.40 to $0.75 / $3.75), while single models were cut (o3 -80 %). A rise
        is not extrapolated: ``annual_price_decline`` is a decline in [0, 1), a line-up
        rise comes with more capable models, and a model's own retirement already moves
        a :class:`~tco.VendorAPI` to its successor's actual prices. So the preset is 0
        (flat) and says why. The figure is a snapshot as of :data:`OBSERVED_AS_OF`;
        ``prices.observed_preset(provider, tier)`` recomputes it at run time from the
        catalog's history (a folder of your own included), by provider and tier
        (Anthropic's Sonnet line fell 32 % a year), with the same rule.

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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "API_PRICE_TRENDS",
    "GPU_PRICE_TRENDS",
    "OBSERVED_AS_OF",
    "OBSERVED_FITTED_DECLINE",
    "TrendPreset",
    "from_fit",
    "trend",
]


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
    fitted_decline : float, optional
        For a preset fitted from a price history: the fit's own figure, negative when
        prices rose (``annual_decline`` is then 0, see :func:`from_fit`). [per year]
    """

    name: str
    annual_decline: float
    applies_to: Literal["api", "gpu"]
    summary: str
    sources: tuple[str, ...]
    fitted_decline: float | None = None

    @property
    def rose(self) -> bool:
        """True when the fit behind the preset found a price rise."""
        return self.fitted_decline is not None and self.fitted_decline < 0.0

    @property
    def after_one_year(self) -> float:
        """Price after 12 months as a share of today's. [-]"""
        return 1.0 - self.annual_decline


def _yearly(factor_per_year: float) -> float:
    """Annual decline from an "Nx cheaper per year" factor."""
    return 1.0 - 1.0 / factor_per_year


def from_fit(
    name: str,
    fitted_decline: float,
    what: str,
    sources: Sequence[str],
    applies_to: Literal["api", "gpu"] = "api",
) -> TrendPreset:
    """A preset from a fitted annual decline: a fall is used as it is, a rise is reported
    and not extrapolated (the preset is 0, flat).

    Parameters
    ----------
    name : str
    fitted_decline : float
        ``1 - exp(slope)`` of a log-linear fit; negative when prices rose. [per year]
    what : str
        What was fitted, for the summary (``"the bundled history, every provider"``).
    sources : sequence of str
        Where the fitted prices come from.

    Examples
    --------
    >>> from_fit("observed", 0.3, "a history", ()).annual_decline
    0.3
    >>> rising = from_fit("observed", -0.5, "a history", ())
    >>> rising.annual_decline, rising.rose
    (0.0, True)
    >>> rising.summary[:50]
    'Fitted from a history: list prices rose 50% a year'
    """
    d = float(fitted_decline)
    if not d < 1.0:  # also refuses NaN
        raise ValueError(f"fitted_decline: {fitted_decline!r} -> a number below 1")
    if d >= 0.0:
        summary = f"Fitted from {what}: list prices fell {d:.0%} a year."
    else:
        summary = (
            f"Fitted from {what}: list prices rose {-d:.0%} a year; a rise is not "
            "extrapolated, so the preset is 0 (flat)."
        )
    return TrendPreset(name, max(d, 0.0), applies_to, summary, tuple(sources), d)


OBSERVED_AS_OF = date(2026, 11, 30)
"""Date of the ``observed`` preset's snapshot: the history's prices in effect on it."""

OBSERVED_FITTED_DECLINE = -1.3505
"""The fit behind the ``observed`` preset on :data:`OBSERVED_AS_OF` (rounded; a test checks
it against ``tco.load_pricing().observed_preset()`` of that day). [per year]"""

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
        from_fit(
            "observed",
            OBSERVED_FITTED_DECLINE,
            "the catalog's price history (46 list prices of OpenAI, Anthropic, Google and "
            "DeepSeek dated 2024-10-16 to 2026-09-10, in effect on 2026-11-30; each provider "
            "and tier its own level)",
            (
                "https://github.com/simonw/llm-prices (launch prices and dates; the commit "
                "of each row is in pricing_data/api_price_history.csv)",
                "https://pypi.org/project/genai-prices/0.2.3/ (dated price changes)",
            ),
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
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"annual price decline: {value!r} -> a share in [0, 1) or a preset name")
    d = float(value)
    if not (0.0 <= d < 1.0):
        raise ValueError(f"annual price decline: {value!r} -> a share in [0, 1)")
    return d
