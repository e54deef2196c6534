"""Throughput rows where nothing is measured: roofline estimates, calibrated on the catalog.

Two kinds of estimate, both marked ``estimated`` (``engine`` says how) and never made for a
(model, GPU, regime) that has a measurement:

* **anchored**: a (model, GPU) measured offline but not at a latency target gets server and
  interactive rows: the measured rates with decode scaled by the roofline's ratio of the
  tier's decode to the offline decode (:mod:`tco.options.roofline`; prefill is compute
  bound and kept);
* **roofline**: a model with specs on a GPU that can be rented (it has offers), with
  bandwidth and TFLOPS and no row at all, gets offline, server and interactive rows from the
  roofline with the calibrated efficiencies and the tiers' corrections.

Each estimate uses the smallest replica of 1, 2, 4 or 8 GPUs whose weights take at most
:data:`WEIGHT_SHARE` of its usable memory, the precision the model ships in (fp8 for a
16-bit model on a GPU with fp8 compute), and the request mix :data:`ESTIMATE_MIX`. A latency
row exists only if the roofline meets the tier's TPOT target and one request's prefill
takes at most its TTFT target. :func:`tco.pricing.calibration.calibration` measures the
errors of both kinds against the measured rows (``benchmarks/bench_roofline.py`` prints
them).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from tco.options.latency import TIERS
from tco.options.memory import GB, bytes_per_param
from tco.options.roofline import estimate
from tco.pricing.calibration import (
    LATENCY_REGIMES,
    Calibration,
    anchored_decode,
    calibration,
    has_tflops,
    output_rate,
    row_mix,
    usable,
)
from tco.pricing.load import load_pricing
from tco.pricing.mlperf import refuse_package_folder
from tco.pricing.serving import ThroughputMeasurement
from tco.pricing.throughput_file import ThroughputMerge, merge_throughput, write_merge

__all__ = ["ESTIMATE_MIX", "WEIGHT_SHARE", "estimated_rows", "write_estimates"]

ESTIMATE_MIX = (1000, 500)
"""Mean input and output tokens per request of a pure roofline row (a chat-like request)."""
WEIGHT_SHARE = 0.7
"""Most of a replica's usable memory the weights may take (the rest holds the KV cache)."""


# --------------------------------------------------------------------------- new rows
def estimated_rows(prices: Any, as_of: date) -> list[ThroughputMeasurement]:
    """Every estimate the catalog lacks (anchored, then roofline on the GPU types that have
    offers), dated ``as_of``."""
    cal = calibration(prices)
    rows = list(_anchored_rows(prices, cal, as_of))
    have = {(r.model, r.gpu) for r in _measured(prices)} | {(r.model, r.gpu) for r in rows}
    rentable = sorted(set(prices.gpu_offers["gpu"]))
    for model in sorted(set(prices.model_specs["model"])):
        for gpu in rentable:
            if (model, gpu) not in have:
                rows.extend(_roofline_rows(prices, model, gpu, cal, as_of))
    return rows


def _measured(prices: Any) -> list[Any]:
    """The measured rows: the estimates already in the catalog are made again, not kept."""
    return [r for r in prices.throughput_measurements() if not r.estimated]


def _anchored_rows(prices: Any, cal: Calibration, as_of: date) -> Iterator[ThroughputMeasurement]:
    specs = {m: prices.model_spec(m) for m in set(prices.model_specs["model"])}
    hardware = {g: prices.hardware(g) for g in set(prices.gpu_hardware["gpu"])}
    rows = _measured(prices)
    regimes = {(r.model, r.gpu, r.regime) for r in rows}
    for anchor in rows:
        if anchor.regime != "offline":
            continue
        if not usable(anchor, specs, hardware):
            continue
        for regime in LATENCY_REGIMES:
            if (anchor.model, anchor.gpu, regime) in regimes:
                continue
            row = _anchored_row(anchor, regime, cal, specs, hardware, as_of)
            if row is not None:
                regimes.add((anchor.model, anchor.gpu, regime))
                yield row


def _anchored_row(
    anchor: Any, regime: str, cal: Calibration, specs: dict, hardware: dict, as_of: date
) -> ThroughputMeasurement | None:
    target, eff = TIERS[regime], cal.efficiency
    mix = row_mix(anchor)
    assert target.tpot_s is not None and target.ttft_s is not None
    try:
        decode = anchored_decode(anchor, target.tpot_s, eff, specs, hardware, mix)
    except ValueError:
        return None
    if mix[0] / anchor.prefill_tokens_per_s > target.ttft_s:
        return None
    scale = cal.corrections.get((regime, "anchored"), 1.0)
    note = (
        f"ESTIMATE, not a measurement: the measured offline row ({anchor.engine}, "
        f"{anchor.source}, {anchor.as_of}) with decode scaled by the roofline's {regime}-tier "
        f"to offline ratio (TPOT p99 <= {target.tpot_s:g} s; {eff.source}, decode "
        f"efficiency {eff.decode:.2f}), then both rates by {scale:.2f}, the median of measured "
        f"over such estimates for the measured {regime} rows"
    )
    return _row(anchor.model, anchor.gpu, anchor.gpus_per_replica, anchor.engine,
                anchor.precision, regime, anchor.prefill_tokens_per_s * scale, decode * scale,
                None, mix, as_of, note)  # fmt: skip


def _roofline_rows(
    prices: Any, model: str, gpu: str, cal: Calibration, as_of: date
) -> Iterator[ThroughputMeasurement]:
    spec, hw, eff = prices.model_spec(model), prices.hardware(gpu), cal.efficiency
    if hw.memory_bandwidth_tbps is None or not has_tflops(hw):
        return
    precision = _precision(spec, hw)
    gpus = _replica(spec, hw, precision)
    if gpus is None:
        return
    context = sum(ESTIMATE_MIX)
    for regime in ("offline", *LATENCY_REGIMES):
        target = TIERS[regime]
        try:
            est = estimate(spec, hw, precision=precision, gpus=gpus, context_tokens=context,
                           tpot_s=target.tpot_s, efficiency=eff)  # fmt: skip
        except ValueError:
            continue
        scale = cal.corrections.get((regime, "roofline"), 1.0)
        prefill, decode = est.prefill_tokens_per_s * scale, est.decode_tokens_per_s * scale
        if target.ttft_s is not None and ESTIMATE_MIX[0] / prefill > target.ttft_s:
            continue
        note = (
            f"ESTIMATE, not a measurement: roofline from gpu_hardware.csv ({gpu}: "
            f"{hw.memory_bandwidth_tbps:g} TB/s) and model_specs.csv ({model}); batch "
            f"{est.batch} of {context} tokens, TPOT {est.tpot_s * 1e3:.0f} ms; {eff.source} "
            f"(decode {eff.decode:.2f}, prefill {eff.prefill:.2f}); rates x {scale:.2f}, the "
            f"median of measured over estimated for the measured {regime} rows"
        )
        yield _row(model, gpu, gpus, "roofline", precision, regime, prefill, decode,
                   est.batch, ESTIMATE_MIX, as_of, note)  # fmt: skip


def _precision(spec: Any, hw: Any) -> str:
    native = str(spec.weight_precision_native).lower()
    if bytes_per_param(native) <= 1.0:
        return native
    return "fp8" if hw.fp8_tflops is not None else native


def _replica(spec: Any, hw: Any, precision: str) -> int | None:
    weights_gb = spec.total_params_b * 1e9 * bytes_per_param(precision) / GB
    for gpus in (1, 2, 4, 8):
        if weights_gb <= WEIGHT_SHARE * 0.9 * hw.memory_gb * gpus:
            return gpus
    return None


def _row(
    model: str,
    gpu: str,
    gpus: int,
    engine: str,
    precision: str,
    regime: str,
    prefill: float,
    decode: float,
    concurrency: int | None,
    mix: tuple[float, float],
    as_of: date,
    notes: str,
) -> ThroughputMeasurement:
    target = TIERS[regime]
    return ThroughputMeasurement(
        model=model,
        gpu=gpu,
        gpus_per_replica=gpus,
        engine=engine,
        precision=precision,
        regime=regime,
        ttft_p99_s=target.ttft_s,
        tpot_p99_s=target.tpot_s,
        prefill_tokens_per_s=round(prefill, 1),
        decode_tokens_per_s=round(decode, 1),
        concurrency=concurrency,
        input_tokens=int(mix[0]),
        output_tokens=int(mix[1]),
        output_tokens_per_s=round(output_rate(round(prefill, 1), round(decode, 1), mix), 2),
        estimated=True,
        source="tco roofline estimate (tco.pricing.estimates, tco prices estimate)",
        as_of=as_of,
        notes=notes,
    )


def write_estimates(
    folder: str | Path = "prices", *, today: date | None = None, dry_run: bool = False
) -> ThroughputMerge:
    """Make every estimate (:func:`estimated_rows`) and merge it into
    ``folder/throughput.csv`` (created if absent); nothing is written with ``dry_run``.

    The catalog estimated from is the bundled one with ``folder`` over it. An estimate whose
    key is in the file already is replaced when its figures changed.
    """
    target = Path(folder)
    refuse_package_folder(target)
    today = today or date.today()
    has_csv = target.is_dir() and any(target.glob("*.csv"))
    prices = load_pricing(target if has_csv else None, today=today)
    merge = merge_throughput(target, estimated_rows(prices, today), today)
    if not dry_run and (merge.added or merge.changed):
        write_merge(merge)
    return merge
