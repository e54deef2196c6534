"""Roofline estimates on a small synthetic catalog, worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from tco.pricing import load_pricing
from tco.pricing.calibration import calibration
from tco.pricing.estimates import estimated_rows
from tests.pricing_helpers import (
    HARDWARE_HEADER,
    MODEL_SPECS_HEADER,
    OFFERS_HEADER,
    THROUGHPUT_HEADER,
)

TODAY = date(2026, 11, 30)
SRC = "https://example.org/spec,2026-11-01,"
KV = 2 * 40 * 8 * 128 * 2  # bytes per token: K and V, 40 layers, 8 heads of 128, 2 bytes


def write_catalog(folder):
    (folder / "gpu_hardware.csv").write_text(
        f"{HARDWARE_HEADER}\nG1,80,700,,2,1000,2000,,{SRC}\n", "utf-8"
    )
    (folder / "gpu_offers.csv").write_text(
        f"{OFFERS_HEADER}\ncloud,g1.x1,G1,1,on_demand,2.0,,{SRC}\n", "utf-8"
    )
    (folder / "model_specs.csv").write_text(
        f"{MODEL_SPECS_HEADER}\n"
        f"m/dense-10b,10,10,40,8,128,5120,32768,bf16,{SRC}\n"
        f"m/dense-5b,5,5,40,8,128,4096,32768,bf16,{SRC}\n",
        "utf-8",
    )
    rate = 1 / (1000 / 500 / 20000 + 1 / 2000)  # output tokens/s at 1000 in / 500 out
    (folder / "throughput.csv").write_text(
        f"{THROUGHPUT_HEADER}\n"
        f"m/dense-10b,G1,1,e1,fp8,offline,,,,20000,2000,,1000,500,{rate:.4f},false,{SRC}\n",
        "utf-8",
    )
    return load_pricing(folder, bundled=False, today=TODAY)


def test_anchored_rows_scale_the_measurement_by_the_roofline_ratio(tmp_path):
    prices = write_catalog(tmp_path)
    per_request = 1500 * KV  # bytes of KV cache per request of 1,500 tokens
    batch = math.floor((0.9 * 80e9 - 10e9) / per_request)  # 252 requests fit the memory
    ideal_step = (10e9 + batch * per_request) / 2e12
    efficiency = 2000 / (batch / ideal_step)  # the one measured row calibrates decode
    cal = calibration(prices)
    assert cal.efficiency.decode == pytest.approx(efficiency)
    assert cal.corrections == {}  # no measured latency rows to correct on
    rows = {(r.model, r.regime): r for r in estimated_rows(prices, TODAY)}
    # server: TPOT 0.2 s allows more than memory holds, so decode stays as measured
    server = rows[("m/dense-10b", "server")]
    assert server.decode_tokens_per_s == pytest.approx(2000, abs=0.1)
    # interactive: TPOT 0.04 s caps the batch at the largest whose step fits
    bandwidth = 2e12 * efficiency
    capped = math.floor((0.04 * bandwidth - 10e9) / per_request)
    step = (10e9 + capped * per_request) / bandwidth
    interactive = rows[("m/dense-10b", "interactive")]
    # measured 2,000 x (capped decode / offline decode); the calibrated offline decode is 2,000
    assert interactive.decode_tokens_per_s == pytest.approx(capped / step, abs=0.1)
    assert interactive.prefill_tokens_per_s == 20000  # compute bound: kept
    assert interactive.estimated and interactive.engine == "e1"
    assert "ESTIMATE, not a measurement" in interactive.notes
    assert ("m/dense-10b", "offline") not in rows  # the measurement is never re-estimated


def test_a_model_without_rows_gets_roofline_rows_on_rentable_gpus(tmp_path):
    prices = write_catalog(tmp_path)
    rows = [r for r in estimated_rows(prices, TODAY) if r.model == "m/dense-5b"]
    assert {r.regime for r in rows} == {"offline", "server", "interactive"}
    for row in rows:
        assert row.engine == "roofline" and row.estimated and row.gpus_per_replica == 1
        assert row.precision == "fp8"  # a 16-bit model on a GPU with fp8 compute
        # prefill by compute: 2,000 TFLOPS x efficiency / (2 x 5e9 FLOPs per token)
        prefill = 2000e12 * calibration(prices).efficiency.prefill / (2 * 5e9)
        assert row.prefill_tokens_per_s == pytest.approx(prefill, abs=0.1)
        assert (row.input_tokens, row.output_tokens) == (1000, 500)
