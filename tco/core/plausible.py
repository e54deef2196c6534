"""Inputs that are valid but almost surely a mistake: warned about, with the figure.

A model accepts any finite price and any token volume, but a fleet of millions of GPUs or a
price per million tokens far above anything on the market usually means a typo (a price per
token entered as a price per million tokens, tokens per year entered as tokens per month).
The analyses warn with a :class:`PlausibilityWarning` naming the figure; the answer is still
computed.
"""

from __future__ import annotations

__all__ = [
    "MAX_PLAUSIBLE_GPUS",
    "MAX_PLAUSIBLE_USD",
    "PLAUSIBLE_USD_PER_MTOK",
    "PlausibilityWarning",
]


class PlausibilityWarning(UserWarning):
    """An input or an intermediate figure is possible but implausible (a fleet of more than
    :data:`MAX_PLAUSIBLE_GPUS` GPUs, a price above :data:`PLAUSIBLE_USD_PER_MTOK`, a cost
    above :data:`MAX_PLAUSIBLE_USD`)."""


MAX_PLAUSIBLE_GPUS = 100_000
"""A fleet needing more GPUs than this in a month is warned about. [GPUs]

The largest single training clusters announced in 2024-2025 hold around 100,000 GPUs; an
inference fleet for one workload beyond that is almost surely a volume or throughput typo.
"""

MAX_PLAUSIBLE_USD = 1e15
"""An option costing more than this over its horizon is warned about. [USD]

Ten times the world's yearly output (about $110 trillion in 2024, IMF World Economic
Outlook): a cost beyond it comes from an input typed in the wrong unit or a stray exponent
(a salary of 1e308), not from a workload.
"""

PLAUSIBLE_USD_PER_MTOK = 27_000.0
"""A per-token price above this is warned about. [USD per million tokens]

100 x the highest per-token price in the bundled catalog when it was set (openai/gpt-5.4-pro
long-context output, $270 per million tokens, in ``pricing_data/api_models.csv``, refreshed
2026-11-30). A test checks that it
stays at least 100 x the bundled catalog's highest price; where a catalog is at hand its own
bound is used instead (:meth:`tco.PricingCatalog.price_bound`).
"""
