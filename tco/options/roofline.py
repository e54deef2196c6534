"""Throughput where nothing is measured: a roofline estimate from the GPU's specifications.

Decode is bound by memory bandwidth: each step reads the weights the batch uses (all of a
dense model's; a mixture of experts' active weights plus the experts its tokens touch,
:func:`weights_read`) and the KV cache of every request in the batch, and gives each
request one token::

    step time = (weights read x bytes per param + batch x context x KV bytes per token)
                / (bandwidth x GPUs x decode efficiency)
    decode    = batch / step time                  [output tokens/s per replica]
    TPOT      = step time

Prefill is bound by compute: about 2 FLOPs per active parameter per token::

    prefill   = dense TFLOPS at the precision x GPUs x prefill efficiency / (2 x active params)

The batch is the largest that fits memory (:mod:`tco.options.memory`), and, under a latency
target, the largest whose step time stays within the TPOT target. The efficiencies are
calibrated against measured rows (:func:`calibrate`): the median of measured over ideal.
Estimates are marked ``estimated`` wherever they appear and never replace a measurement.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median
from typing import Any

from tco.options.memory import GB, bytes_per_param, kv_bytes_per_token

__all__ = ["Efficiency", "Estimate", "calibrate", "estimate", "weights_read"]


@dataclass(frozen=True)
class Efficiency:
    """Shares of the ideal roofline reached in practice. [0-1]"""

    decode: float = 0.5
    prefill: float = 0.4
    source: str = "default (not calibrated)"


@dataclass(frozen=True)
class Estimate:
    """A roofline throughput estimate of one replica (always ``estimated``)."""

    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    batch: int
    tpot_s: float
    estimated: bool = True


def weights_read(spec: Any, precision: str, batch: float) -> float:
    """Weight bytes one decode step reads for ``batch`` requests. [bytes]

    A dense model reads all its weights. Each token of a mixture of experts uses a share
    ``r = active / total`` of the weights; with experts chosen independently, ``batch``
    tokens touch ``1 - (1 - r)^batch`` of them (shared layers taken as experts too: a
    simplification that reads slightly less than the truth for small batches).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> moe = NS(total_params_b=100.0, active_params_b=10.0)
    >>> round(weights_read(moe, "fp8", 1) / 1e9, 6), round(weights_read(moe, "fp8", 64) / 1e9, 1)
    (10.0, 99.9)
    """
    total, active = spec.total_params_b * 1e9, spec.active_params_b * 1e9
    touched = 1.0 - (1.0 - active / total) ** max(batch, 1.0)
    return total * touched * bytes_per_param(precision)


def _step_seconds(
    spec: Any, hw: Any, precision: str, gpus: int, batch: float, context: float, efficiency: float
) -> float:
    weights = weights_read(spec, precision, batch)
    kv = batch * context * kv_bytes_per_token(spec)
    return (weights + kv) / (hw.memory_bandwidth_tbps * 1e12 * gpus * efficiency)


def _tflops(hw: Any, precision: str) -> float:
    key = {"fp8": "fp8_tflops", "fp4": "fp4_tflops", "nvfp4": "fp4_tflops", "mxfp4": "fp4_tflops"}
    value = getattr(hw, key.get(precision.lower(), "fp16_tflops"), None)
    if value is None:
        value = hw.fp16_tflops
    if value is None:
        raise ValueError(f"{hw.gpu}: no dense TFLOPS published for {precision} or fp16")
    return float(value)


def estimate(
    spec: Any,
    hw: Any,
    *,
    precision: str,
    gpus: int,
    context_tokens: float,
    tpot_s: float | None = None,
    efficiency: Efficiency = Efficiency(),
    usable_share: float = 0.9,
) -> Estimate:
    """Prefill and decode tokens per second of a replica, by roofline.

    Parameters
    ----------
    spec : ModelSpec
        ``total_params_b``, ``active_params_b``, ``layers``, ``kv_heads``, ``head_dim``.
    hw : GpuHardware
        ``memory_gb``, ``memory_bandwidth_tbps`` and dense TFLOPS by precision.
    context_tokens : float
        Input + output tokens a request holds in the KV cache (its mean). [tokens]
    tpot_s : float, optional
        Time-per-output-token target; the batch is cut so the step time meets it. [s]

    Examples
    --------
    A 70B dense model in fp8 on one GPU of 3.35 TB/s, 80 GB, 1979 fp8 TFLOPS, requests of
    2,000 tokens: the weights take 70 GB, leaving 2 GB of usable KV cache for 3 requests.

    >>> from types import SimpleNamespace as NS
    >>> spec = NS(total_params_b=70, active_params_b=70, layers=80, kv_heads=8, head_dim=128)
    >>> hw = NS(gpu="H100", memory_gb=80, memory_bandwidth_tbps=3.35, fp8_tflops=1979,
    ...         fp16_tflops=989)
    >>> e = estimate(spec, hw, precision="fp8", gpus=1, context_tokens=2000)
    >>> e.batch, round(e.decode_tokens_per_s)
    (3, 70)
    """
    weights_gb = spec.total_params_b * 1e9 * bytes_per_param(precision) / GB
    kv_free_gb = usable_share * hw.memory_gb * gpus - weights_gb
    per_request_gb = context_tokens * kv_bytes_per_token(spec) / GB
    batch = math.floor(kv_free_gb / per_request_gb) if kv_free_gb > 0 else 0
    if tpot_s is not None:
        within = _batch_within(spec, hw, precision, gpus, context_tokens, tpot_s, efficiency.decode)
        batch = min(batch, within)
    if batch < 1:
        raise ValueError(
            f"{getattr(spec, 'model', 'the model')} on {gpus}x{hw.gpu}: no batch fits "
            + ("the memory" if tpot_s is None else f"the memory and a TPOT of {tpot_s:g} s")
            + " -> more GPUs per replica, a lower precision or a looser target"
        )
    step = _step_seconds(spec, hw, precision, gpus, batch, context_tokens, efficiency.decode)
    prefill = _tflops(hw, precision) * 1e12 * gpus * efficiency.prefill
    prefill /= 2.0 * spec.active_params_b * 1e9
    return Estimate(prefill, batch / step, batch, step)


def _batch_within(
    spec: Any, hw: Any, precision: str, gpus: int, context: float, tpot: float, eff: float
) -> int:
    """The largest batch whose decode step takes at most ``tpot`` (the step time grows with
    the batch, so bisection finds it)."""

    def step(batch: int) -> float:
        return _step_seconds(spec, hw, precision, gpus, batch, context, eff)

    if step(1) > tpot:
        return 0
    low, high = 1, 2
    while step(high) <= tpot and high < 10**9:
        low, high = high, high * 2
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if step(mid) <= tpot else (low, mid)
    return low


def calibrate(pairs: Iterable[tuple[Any, Any, Any]]) -> Efficiency:
    """Efficiencies from measured rows: the median of measured over ideal (efficiency 1).

    ``pairs`` gives (row, model spec, GPU hardware) for rows measured offline, where the
    batch is what memory allows.
    """
    decode, prefill = [], []
    for row, spec, hw in pairs:
        context = (row.input_tokens or 0) + (row.output_tokens or 0)
        ideal = estimate(
            spec,
            hw,
            precision=row.precision,
            gpus=row.gpus_per_replica,
            context_tokens=max(context, 1),
            efficiency=Efficiency(1.0, 1.0),
        )
        decode.append(row.decode_tokens_per_s / ideal.decode_tokens_per_s)
        prefill.append(row.prefill_tokens_per_s / ideal.prefill_tokens_per_s)
    if not decode:
        return Efficiency()
    return Efficiency(
        median(decode), median(prefill), f"median of {len(decode)} measured offline rows"
    )
