"""What a vendor bills for tokens: list prices, service tiers, long context, cache reads and
writes, regional uplift and the price trend.

Token cost of month m (DESIGN.md, extended by the tiers)::

    sum over kinds k (input, cached input, cache writes, output) of
        tokens_k * rate_k / 1e6 * (1 - annual_price_decline) ** ((m - 1) / 12) * (1 + uplift)

    mixed_k = (1 - L) * list_k + L * long_context_k
    rate_k  = mixed_k * (1 - batch_share * batch_discount - flex_share - priority_share)
              + sum over tiers t (flex, priority) of share_t * tier_t,k * mixed_k / list_k

* ``L`` is the share of tokens in requests longer than the vendor's long-context threshold
  (from the usage's request-length mix; output tokens of long requests are assumed to come
  in the same share); a missing long-context price means no premium;
* batch traffic pays the list prices less the batch discount; a flex or priority tier pays
  its own output price and its own input price, and for cached input and cache writes the
  list price times the tier's input price over the list input price; the long-context
  premium ``mixed_k / list_k`` applies on every tier;
* cache writes (input written to the prompt cache) pay the cache-write price instead of the
  input price (default: the input price); cached input pays the cache-read price;
* ``uplift`` is the regional (data-residency) surcharge, and a committed-use discount takes
  its share off every price.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tco.core.arrays import UsageArrays, nonzero
from tco.core.series import price_trend
from tco.core.units import MTOK

__all__ = ["TokenPrices", "api_token_costs", "long_context_share"]

KINDS = ("input", "cache", "write", "output")
"""Token kinds a vendor bills: uncached input, cached input, cache writes, output."""


@dataclass(frozen=True)
class TokenPrices:
    """A vendor's token prices and the traffic mix over its tiers (numbers or arrays).

    Attributes
    ----------
    input, output, cache_read : numeric
        List prices. [USD per million tokens]
    cache_write : numeric, optional
        Cache-write price; None: the input price. [USD per million tokens]
    batch_share, batch_discount : numeric
        Share of traffic on the batch API and its discount. [0-1]
    tiers : tuple of (share, input price, output price)
        Flex, priority or any other paid tier with a share of the traffic.
    long_context : (threshold, input, output, cache read), optional
        Long-context threshold [input tokens per request] and prices above it.
    uplift : numeric
        Regional surcharge on every price (0.1 = +10 %). [-]
    discount : numeric
        Committed-use discount on every price. [0-1]
    annual_decline : numeric
        Yearly fall of every price. [0-1)
    """

    input: Any
    output: Any
    cache_read: Any
    cache_write: Any = None
    batch_share: Any = 0.0
    batch_discount: Any = 0.5
    tiers: tuple[tuple[Any, Any, Any], ...] = ()
    long_context: tuple[Any, Any, Any, Any] | None = None
    uplift: Any = 0.0
    discount: Any = 0.0
    annual_decline: Any = 0.0

    def list_prices(self) -> dict[str, Any]:
        write = self.input if self.cache_write is None else self.cache_write
        return {
            "input": self.input,
            "cache": self.cache_read,
            "write": write,
            "output": self.output,
        }

    def long_prices(self) -> dict[str, Any]:
        if self.long_context is None:
            return dict.fromkeys(KINDS)
        _, inp, out, cache = self.long_context
        return {"input": inp, "cache": cache, "write": None, "output": out}


def long_context_share(mix: tuple[tuple[float, float], ...] | None, threshold: Any) -> float:
    """Share of tokens in requests whose input exceeds ``threshold`` tokens. [0-1]

    Examples
    --------
    >>> long_context_share(((8_000, 0.9), (300_000, 0.1)), 200_000)
    0.1
    >>> long_context_share(None, 200_000)
    0.0
    """
    if mix is None or threshold is None:
        return 0.0
    return float(sum(share for length, share in mix if length > threshold))


def _ratio(num: Any, den: Any) -> np.ndarray:
    """``num / den``, 1 where ``den`` is 0 (a free list price has no premium to carry)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 1.0)


def rates(prices: TokenPrices, long_share: float) -> dict[str, Any]:
    """USD per million tokens of each kind, averaged over long context and tiers."""
    listed, long = prices.list_prices(), prices.long_prices()
    standard = 1.0 - np.asarray(prices.batch_share) * np.asarray(prices.batch_discount)
    for share, _, _ in prices.tiers:
        standard = standard - np.asarray(share)
    out = {}
    for kind in KINDS:
        mixed = np.asarray(listed[kind], dtype=float)
        if long_share and long[kind] is not None:
            mixed = (1.0 - long_share) * mixed + long_share * np.asarray(long[kind], dtype=float)
        rate = mixed * standard
        for share, tier_input, tier_output in prices.tiers:
            if not nonzero(share):
                continue
            own = (
                tier_output
                if kind == "output"
                else listed[kind] * _ratio(tier_input, listed["input"])
            )
            rate = rate + np.asarray(share) * own * _ratio(mixed, listed[kind])
        out[kind] = rate
    return out


def api_token_costs(usage: UsageArrays, prices: TokenPrices) -> dict[str, np.ndarray]:
    """Token costs per month of a vendor API, by component. [USD/month]

    Returns
    -------
    dict
        ``api_input`` (uncached input), ``api_cache`` (cached input), ``api_output``, and
        ``api_cache_write`` when the usage writes to the prompt cache.

    Examples
    --------
    >>> from tco.core.usage import Usage
    >>> u = Usage.constant(2e6, months=1, output_share=0.5, cached_input_share=0.5).arrays()
    >>> costs = api_token_costs(u, TokenPrices(input=2.0, output=8.0, cache_read=0.5))
    >>> {k: v.tolist() for k, v in costs.items()}
    {'api_input': [1.0], 'api_cache': [0.25], 'api_output': [8.0]}
    """
    threshold = None if prices.long_context is None else prices.long_context[0]
    rate = rates(prices, long_context_share(usage.length_mix, threshold))
    factor = price_trend(prices.annual_decline, usage.months) / MTOK
    if nonzero(prices.uplift):
        factor = factor * (1.0 + np.asarray(prices.uplift, dtype=float))[..., None]
    if nonzero(prices.discount):
        factor = factor * (1.0 - np.asarray(prices.discount, dtype=float))[..., None]
    tokens = {"input": usage.uncached_input, "cache": usage.cached_input, "output": usage.output}
    if usage.cache_writes is not None:
        tokens["input"] = usage.uncached_input - usage.cache_writes
        tokens["write"] = usage.cache_writes
    names = {"input": "api_input", "cache": "api_cache", "write": "api_cache_write"}
    names["output"] = "api_output"
    return {
        names[kind]: tokens[kind] * np.asarray(rate[kind])[..., None] * factor
        for kind in ("input", "cache", "write", "output")
        if kind in tokens
    }
