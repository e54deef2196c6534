"""Memory fit and the roofline estimate, against the formulas worked out by hand."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from tco.options.memory import check_fit, fit
from tco.options.roofline import Efficiency, calibrate, estimate

LLAMA_70B = NS(
    model="llama-70b", total_params_b=70.0, active_params_b=70.0, layers=80, kv_heads=8,
    head_dim=128,
)  # fmt: skip
KV = 2 * 80 * 8 * 128 * 2  # bytes per token: 327,680
H100 = NS(gpu="H100", memory_gb=80.0, memory_bandwidth_tbps=3.35, fp8_tflops=1979.0,
          fp16_tflops=989.0, fp4_tflops=None)  # fmt: skip


def test_fit_by_hand() -> None:
    f = fit(LLAMA_70B, precision="bf16", memory_gb=80, gpus_per_replica=4, concurrency=64,
            context_tokens=8_192)  # fmt: skip
    weights = 70e9 * 2 / 1e9
    kv = 64 * 8_192 * KV / 1e9
    assert (f.weights_gb, f.kv_cache_gb) == pytest.approx((weights, kv))
    assert f.available_gb == pytest.approx(0.9 * 80 * 4)
    assert f.fits == (weights + kv <= 288)
    assert f.smallest_gpus == -(-(weights + kv) // 72)


def test_a_replica_that_cannot_hold_the_model_names_the_numbers() -> None:
    f = fit(LLAMA_70B, precision="bf16", memory_gb=80, gpus_per_replica=1, concurrency=8,
            context_tokens=4_096)  # fmt: skip
    with pytest.raises(ValueError, match=r"140\.0 GB of weights .* smallest replica that holds "
                       r"it has 3 GPUs"):  # fmt: skip
        check_fit("llama-70b", "H100", f, 1)
    with pytest.raises(ValueError, match=r"precision: 'fp7' -> one of"):
        fit(LLAMA_70B, precision="fp7", memory_gb=80, gpus_per_replica=1, concurrency=1,
            context_tokens=1)  # fmt: skip


def test_decode_under_a_tpot_target_by_hand() -> None:
    eff = Efficiency(decode=0.5, prefill=0.4)
    e = estimate(LLAMA_70B, H100, precision="fp8", gpus=2, context_tokens=2_000, tpot_s=0.03,
                 efficiency=eff)  # fmt: skip
    # bandwidth per step: 2 x 3.35e12 x 0.5 = 3.35e12 bytes/s; budget in 30 ms: 1.005e11 bytes
    # minus 70e9 of weights leaves 3.05e10 bytes: 46 requests of 2,000 x 327,680 bytes
    budget = 0.03 * 3.35e12 - 70e9
    batch = int(budget // (2_000 * KV))
    assert e.batch == batch == 46
    step = (70e9 + batch * 2_000 * KV) / 3.35e12
    assert e.tpot_s == pytest.approx(step) and e.tpot_s <= 0.03
    assert e.decode_tokens_per_s == pytest.approx(batch / step)
    # prefill: 2 x 1979e12 x 0.4 / (2 x 70e9)
    assert e.prefill_tokens_per_s == pytest.approx(2 * 1979e12 * 0.4 / 140e9)


def test_no_batch_that_meets_the_target_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"no batch fits the memory and a TPOT of 0\.01 s"):
        estimate(LLAMA_70B, H100, precision="fp8", gpus=1, context_tokens=2_000, tpot_s=0.01)


def test_calibration_is_the_median_ratio_to_the_ideal() -> None:
    ideal = estimate(LLAMA_70B, H100, precision="fp8", gpus=2, context_tokens=2_000,
                     efficiency=Efficiency(1.0, 1.0))  # fmt: skip
    rows = [
        NS(input_tokens=1_000, output_tokens=1_000, precision="fp8", gpus_per_replica=2,
           decode_tokens_per_s=ideal.decode_tokens_per_s * r,
           prefill_tokens_per_s=ideal.prefill_tokens_per_s * r / 2)
        for r in (0.4, 0.6, 0.7)
    ]  # fmt: skip
    eff = calibrate((row, LLAMA_70B, H100) for row in rows)
    assert (eff.decode, eff.prefill) == pytest.approx((0.6, 0.3))
    assert "3 measured" in eff.source
