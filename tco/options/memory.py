"""Does a model fit a replica? Weights at their precision plus the KV cache of the requests
in flight, against the GPUs' memory.

::

    weights  = total parameters x bytes per parameter
    KV cache = 2 (keys and values) x layers x KV heads x head dimension x bytes per value
               x tokens in flight (concurrency x context per request)
    fits when weights + KV cache <= usable share x memory per GPU x GPUs per replica

The usable share (default 0.9) leaves room for activations, the engine and fragmentation;
the KV cache is held at 2 bytes per value (fp16/bf16) unless stated. Weights quantised below
8 bits carry their scales (``mxfp4``: 4.25 bits per parameter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["BYTES_PER_PARAM", "Fit", "bytes_per_param", "check_fit", "fit", "kv_bytes_per_token"]

BYTES_PER_PARAM = {
    "fp32": 4.0,
    "fp16": 2.0,
    "bf16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "w8a8": 1.0,
    "nvfp4": 0.5625,
    "mxfp4": 0.53125,
    "fp4": 0.5,
    "int4": 0.5,
    "awq": 0.5,
    "gptq": 0.5,
}
"""Bytes per weight by precision; block-scaled 4-bit formats include their scales
(NVFP4: one fp8 scale per 16 values; MXFP4: one 8-bit scale per 32 values)."""

GB = 1e9


def bytes_per_param(precision: str) -> float:
    """Bytes per weight at ``precision`` (``"fp8"``, ``"bf16"``, ``"mxfp4"``, ...).

    Examples
    --------
    >>> bytes_per_param("FP8"), bytes_per_param("mxfp4")
    (1.0, 0.53125)
    """
    key = precision.lower().replace("-", "").replace("_", "")
    if key not in BYTES_PER_PARAM:
        raise ValueError(f"precision: {precision!r} -> one of {', '.join(sorted(BYTES_PER_PARAM))}")
    return BYTES_PER_PARAM[key]


def kv_bytes_per_token(spec: Any, kv_bytes: float = 2.0) -> float:
    """KV cache per token: 2 x layers x KV heads x head dimension x bytes. [bytes]

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> llama_70b = SimpleNamespace(layers=80, kv_heads=8, head_dim=128)
    >>> kv_bytes_per_token(llama_70b)  # 327,680 bytes: 0.33 MB per token
    327680.0
    """
    return 2.0 * spec.layers * spec.kv_heads * spec.head_dim * kv_bytes


@dataclass(frozen=True)
class Fit:
    """Memory a replica needs and has. [GB]"""

    weights_gb: float
    kv_cache_gb: float
    available_gb: float
    smallest_gpus: int | None
    """The fewest GPUs of this type that hold it (None: not even the weights' share fits
    in any count up to 64)."""

    @property
    def needed_gb(self) -> float:
        return self.weights_gb + self.kv_cache_gb

    @property
    def fits(self) -> bool:
        return self.needed_gb <= self.available_gb


def fit(
    spec: Any,
    *,
    precision: str,
    memory_gb: float,
    gpus_per_replica: int,
    concurrency: int,
    context_tokens: float,
    usable_share: float = 0.9,
    kv_bytes: float = 2.0,
) -> Fit:
    """The memory a replica of ``gpus_per_replica`` GPUs needs for ``concurrency`` requests
    of ``context_tokens`` each, and what it has.

    Examples
    --------
    Llama-3.3-70B in fp8 (70.6 GB of weights) with 32 requests of 4,096 tokens (43 GB of KV
    cache) on one 80 GB GPU needs 113.5 GB of 72 usable: two GPUs hold it (144 GB).

    >>> from types import SimpleNamespace
    >>> spec = SimpleNamespace(total_params_b=70.6, layers=80, kv_heads=8, head_dim=128)
    >>> f = fit(spec, precision="fp8", memory_gb=80, gpus_per_replica=1, concurrency=32,
    ...         context_tokens=4096)
    >>> round(f.needed_gb, 1), f.available_gb, f.fits, f.smallest_gpus
    (113.5, 72.0, False, 2)
    """
    weights = spec.total_params_b * 1e9 * bytes_per_param(precision) / GB
    kv = concurrency * context_tokens * kv_bytes_per_token(spec, kv_bytes) / GB
    per_gpu = usable_share * memory_gb
    smallest = math.ceil((weights + kv) / per_gpu)
    return Fit(weights, kv, per_gpu * gpus_per_replica, smallest if smallest <= 64 else None)


def check_fit(model: str, gpu: str, result: Fit, gpus_per_replica: int) -> None:
    """Raise a ValueError naming the numbers when the replica cannot hold the model."""
    if result.fits:
        return
    least = (
        f"the smallest replica that holds it has {result.smallest_gpus} GPUs"
        if result.smallest_gpus is not None
        else "no replica of up to 64 of these GPUs holds it"
    )
    raise ValueError(
        f"{model} does not fit {gpus_per_replica}x{gpu}: {result.weights_gb:,.1f} GB of "
        f"weights + {result.kv_cache_gb:,.1f} GB of KV cache = {result.needed_gb:,.1f} GB, "
        f"{result.available_gb:,.1f} GB usable -> {least}"
    )
