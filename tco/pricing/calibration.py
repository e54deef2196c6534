"""Calibrating the roofline (:mod:`tco.options.roofline`) on the catalog's measured
throughput rows: efficiencies from the offline rows, a correction per latency tier, and the
leave-one-out error of every estimate (``benchmarks/bench_roofline.py`` prints them). The
estimates themselves are :mod:`tco.pricing.estimates`'.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any

from tco.options.memory import BYTES_PER_PARAM
from tco.options.roofline import Efficiency, Estimate, estimate

__all__ = [
    "LATENCY_REGIMES",
    "Calibration",
    "anchored_decode",
    "calibration",
    "has_tflops",
    "output_rate",
    "row_mix",
    "usable",
]

LATENCY_REGIMES = ("server", "interactive")


@dataclass(frozen=True)
class Calibration:
    """Efficiencies from the measured offline rows, corrections for the latency tiers, and
    the errors of the estimates.

    Attributes
    ----------
    efficiency : Efficiency
        Median of measured over ideal (roofline at efficiency 1) decode and prefill.
    corrections : dict
        (regime, method) -> median of measured over estimated output tokens/s of the
        measured rows of that latency regime; estimates of that kind are multiplied by it.
    errors : list of dict
        One per measured row checked: ``regime``, ``method`` (``roofline`` or
        ``anchored``), ``model``, ``gpu``, ``measured`` and ``estimated`` output tokens/s
        at the row's mix, and ``error`` (estimated / measured - 1). Every error is
        leave-one-out: the row's own ratio is left out of the median it is estimated with.
    """

    efficiency: Efficiency
    corrections: dict[tuple[str, str], float]
    errors: list[dict[str, Any]]


def usable(row: Any, specs: dict[str, Any], hardware: dict[str, Any]) -> bool:
    hw = hardware.get(row.gpu)
    return (
        row.model in specs
        and hw is not None
        and hw.memory_bandwidth_tbps is not None
        and row.precision.lower() in BYTES_PER_PARAM
        and bool(row.input_tokens and row.output_tokens)
    )


def has_tflops(hw: Any) -> bool:
    return hw.fp16_tflops is not None or hw.fp8_tflops is not None


def output_rate(prefill: float, decode: float, mix: tuple[float, float]) -> float:
    """Output tokens/s of a replica at ``mix``: ``T (in / out / P + 1 / D) = 1``."""
    tokens_in, tokens_out = mix
    return 1.0 / (tokens_in / tokens_out / prefill + 1.0 / decode)


def _roof(spec: Any, hw: Any, row: Any, tpot: float | None, eff: Efficiency) -> Estimate:
    return estimate(
        spec,
        hw,
        precision=row.precision,
        gpus=row.gpus_per_replica,
        context_tokens=row.input_tokens + row.output_tokens,
        tpot_s=tpot,
        efficiency=eff,
    )


def calibration(prices: Any) -> Calibration:
    """Calibrate the roofline on the catalog's measured rows and measure its errors."""
    specs = {m: prices.model_spec(m) for m in set(prices.model_specs["model"])}
    hardware = {g: prices.hardware(g) for g in set(prices.gpu_hardware["gpu"])}
    measured = [
        r
        for r in prices.throughput_measurements()
        if not r.estimated and usable(r, specs, hardware)
    ]
    offline, ratios = [], []
    for row in (r for r in measured if r.regime == "offline"):
        try:
            ideal = _roof(specs[row.model], hardware[row.gpu], row, None, Efficiency(1.0, 1.0))
        except ValueError:
            continue  # no TFLOPS published, or no batch fits: nothing to calibrate on
        offline.append(row)
        ratios.append(
            (row.decode_tokens_per_s / ideal.decode_tokens_per_s,
             row.prefill_tokens_per_s / ideal.prefill_tokens_per_s)
        )  # fmt: skip
    if not ratios:
        return Calibration(Efficiency(), {}, [])
    eff = _median_efficiency(ratios, f"median of {len(ratios)} measured offline rows")
    errors = [
        _error(row, "roofline", _roofline_rate(row, _loo(ratios, i), specs, hardware))
        for i, row in enumerate(offline)
    ]
    raw: dict[tuple[str, str], list[tuple[Any, float]]] = {}
    by_system = {_system(r): r for r in offline}
    for row in (r for r in measured if r.regime in LATENCY_REGIMES):
        if has_tflops(hardware[row.gpu]):
            rate = _roofline_rate(row, eff, specs, hardware)
            raw.setdefault((row.regime, "roofline"), []).append((row, rate))
        anchor = by_system.get(_system(row))
        if anchor is not None:
            rate = _anchored_rate(row, anchor, eff, specs, hardware)
            raw.setdefault((row.regime, "anchored"), []).append((row, rate))
    corrections = {key: _correction(pairs) for key, pairs in raw.items()}
    for (_, method), pairs in raw.items():
        errors.extend(
            _error(row, method, rate * _correction(pairs[:i] + pairs[i + 1 :] or pairs))
            for i, (row, rate) in enumerate(pairs)
        )
    return Calibration(eff, corrections, errors)


def _correction(pairs: list[tuple[Any, float]]) -> float:
    """Median of measured over estimated output rate (estimates of nothing left out)."""
    ratios = [row.output_tokens_per_s / rate for row, rate in pairs if rate > 0]
    return median(ratios) if ratios else 1.0


def _roofline_rate(row: Any, eff: Efficiency, specs: dict, hardware: dict) -> float:
    """Output tokens/s the roofline gives ``row``'s replica at its mix and target (0: no
    batch meets them)."""
    tpot = row.tpot_p99_s if row.regime in LATENCY_REGIMES else None
    try:
        est = _roof(specs[row.model], hardware[row.gpu], row, tpot, eff)
    except ValueError:
        return 0.0
    return output_rate(est.prefill_tokens_per_s, est.decode_tokens_per_s, row_mix(row))


def _anchored_rate(row: Any, anchor: Any, eff: Efficiency, specs: dict, hardware: dict) -> float:
    """Output tokens/s of the offline ``anchor`` carried to ``row``'s target and mix."""
    try:
        decode = anchored_decode(anchor, row.tpot_p99_s, eff, specs, hardware, row_mix(row))
    except ValueError:
        return 0.0
    return output_rate(anchor.prefill_tokens_per_s, decode, row_mix(row))


def _system(row: Any) -> tuple[Any, ...]:
    return (row.model, row.gpu, row.gpus_per_replica, row.engine, row.precision)


def _median_efficiency(ratios: list[tuple[float, float]], source: str) -> Efficiency:
    return Efficiency(median(r[0] for r in ratios), median(r[1] for r in ratios), source)


def _loo(ratios: list[tuple[float, float]], i: int) -> Efficiency:
    rest = ratios[:i] + ratios[i + 1 :]
    return _median_efficiency(rest or ratios, "leave-one-out")


def _error(row: Any, method: str, rate: float) -> dict[str, Any]:
    return {
        "regime": row.regime,
        "method": method,
        "model": row.model,
        "gpu": f"{row.gpus_per_replica}x{row.gpu}",
        "measured": row.output_tokens_per_s,
        "estimated": rate,
        "error": rate / row.output_tokens_per_s - 1.0,
    }


def row_mix(row: Any) -> tuple[float, float]:
    return float(row.input_tokens), float(row.output_tokens)


def anchored_decode(
    anchor: Any,
    tpot: float,
    eff: Efficiency,
    specs: dict,
    hardware: dict,
    mix: tuple[float, float],
) -> float:
    """The measured offline decode scaled by the roofline's tier-to-offline ratio."""
    spec, hw = specs[anchor.model], hardware[anchor.gpu]
    at = _Mixed(anchor, mix)
    offline = _roof(spec, hw, at, None, eff).decode_tokens_per_s
    tier = _roof(spec, hw, at, tpot, eff).decode_tokens_per_s
    return anchor.decode_tokens_per_s * tier / offline


@dataclass(frozen=True)
class _Mixed:
    """A row's replica at another request mix (what :func:`_roof` reads)."""

    row: Any
    mix: tuple[float, float]

    @property
    def precision(self) -> str:
        return str(self.row.precision)

    @property
    def gpus_per_replica(self) -> int:
        return int(self.row.gpus_per_replica)

    @property
    def input_tokens(self) -> float:
        return self.mix[0]

    @property
    def output_tokens(self) -> float:
        return self.mix[1]
