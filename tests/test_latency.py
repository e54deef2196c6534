"""Choosing the throughput row that meets a latency target (never extrapolating)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

import tco
from tco.options.latency import (
    TIERS,
    Latency,
    choose_row,
    meets,
    per_gpu,
)
from tco.options.longer_inputs import LatencyWarning, warn_longer_inputs


@dataclass(frozen=True)
class Row:
    regime: str
    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    ttft_p99_s: float | None = None
    tpot_p99_s: float | None = None
    concurrency: int | None = None
    gpus_per_replica: int = 1
    model: str = "m"
    gpu: str = "H100-SXM"
    engine: str = "vllm"
    precision: str = "fp8"
    source: str = "bench"
    estimated: bool = False


OFFLINE = Row("offline", 40_000, 4_000)
SERVER = Row("server", 30_000, 3_000, ttft_p99_s=2.0, tpot_p99_s=0.2)
INTERACTIVE = Row("interactive", 20_000, 1_500, ttft_p99_s=0.45, tpot_p99_s=0.04)


def test_named_tiers_pick_the_fastest_row_measured_under_them() -> None:
    rows = [OFFLINE, SERVER, INTERACTIVE]
    assert choose_row(rows, "offline") is OFFLINE
    assert choose_row(rows, None) is OFFLINE
    assert choose_row(rows, "server") is SERVER
    assert choose_row(rows, "interactive") is INTERACTIVE
    assert choose_row([OFFLINE, INTERACTIVE], "server") is INTERACTIVE  # stricter serves too


def test_explicit_targets_use_the_p99_latencies_and_never_offline_rows() -> None:
    rows = [OFFLINE, SERVER, INTERACTIVE]
    assert choose_row(rows, tco.Latency(ttft_s=3.0, tpot_s=0.25)) is SERVER
    assert choose_row(rows, tco.Latency(tpot_s=0.05)) is INTERACTIVE
    with pytest.raises(ValueError, match=r"no throughput row meets Latency\(TPOT p99 <= 10 ms\)"):
        choose_row(rows, tco.Latency(tpot_s=0.01))


def test_nothing_meeting_lists_what_exists() -> None:
    with pytest.raises(ValueError, match=r"offline, TTFT p99 not stated") as err:
        choose_row([OFFLINE], "interactive")
    assert "no extrapolation" in str(err.value)


def curve() -> list[Row]:
    # TPOT grows with concurrency; throughput too
    return [
        Row("measured", 10_000, 1_000, ttft_p99_s=0.2, tpot_p99_s=0.02, concurrency=8),
        Row("measured", 16_000, 1_600, ttft_p99_s=0.3, tpot_p99_s=0.04, concurrency=16),
        Row("measured", 20_000, 2_000, ttft_p99_s=0.6, tpot_p99_s=0.08, concurrency=32),
    ]


def test_a_measured_curve_is_interpolated_where_latency_reaches_the_target() -> None:
    # TPOT 0.06 lies half-way between concurrency 16 (0.04) and 32 (0.08); TTFT there is
    # 0.45, within 1 s: throughput half-way, 1,800 decode and 18,000 prefill
    point = choose_row(curve(), tco.Latency(ttft_s=1.0, tpot_s=0.06))
    assert point.concurrency == 24
    assert point.decode_tokens_per_s == pytest.approx(1_800)
    assert point.prefill_tokens_per_s == pytest.approx(18_000)
    assert "interpolated between concurrency 16 and 32" in point.source
    # the tighter of the two targets decides: TTFT 0.4 is a third of the way (0.3 -> 0.6)
    tighter = choose_row(curve(), tco.Latency(ttft_s=0.4, tpot_s=0.06))
    assert tighter.decode_tokens_per_s == pytest.approx(1_600 + 400 / 3)


def test_no_extrapolation_beyond_the_curve() -> None:
    # every point meets a loose target: the last measured point, nothing beyond it
    assert choose_row(curve(), tco.Latency(tpot_s=1.0)).concurrency == 32
    with pytest.raises(ValueError, match="no throughput row meets"):
        choose_row(curve(), tco.Latency(tpot_s=0.01))


def test_a_measurement_beats_an_estimate_and_ranking_is_per_gpu() -> None:
    estimated = Row("offline", 90_000, 9_000, estimated=True)
    assert choose_row([OFFLINE, estimated], "offline") is OFFLINE
    assert choose_row([estimated], "offline") is estimated
    two = Row("offline", 60_000, 6_000, gpus_per_replica=2)
    # 1 / (1/60000 + 1/6000) / 2 = 2,727 < 1 / (1/40000 + 1/4000) = 3,636 per GPU
    assert per_gpu(two) == pytest.approx(1 / (1 / 60_000 + 1 / 6_000) / 2)
    assert choose_row([two, OFFLINE], "offline") is OFFLINE


def test_tiers_and_bad_targets() -> None:
    assert meets(SERVER, TIERS["server"]) and not meets(OFFLINE, TIERS["server"])
    with pytest.raises(ValueError, match=r"latency: 'fast' -> one of 'offline', 'server'"):
        choose_row([OFFLINE], "fast")
    with pytest.raises(ValueError, match="contradict"):
        tco.Latency(tpot_s=0.05, tokens_per_s_per_user=40.0)
    with pytest.raises(ValueError, match="ttft_s"):
        tco.Latency(ttft_s=-1.0)


# ------------------------------------------------------------- inputs longer than the row's
def _row(ttft: float | None = 0.3, input_tokens: int | None = 1_000) -> SimpleNamespace:
    return SimpleNamespace(
        model="m", gpu="H100-SXM", gpus_per_replica=2, ttft_p99_s=ttft, input_tokens=input_tokens
    )


def test_longer_inputs_warn_when_the_grown_ttft_passes_the_target() -> None:
    target = Latency(ttft_s=0.5, tpot_s=0.05)
    # 3,000 input tokens against the row's 1,000: 0.3 s x 3 = 0.9 s > 0.5 s
    with pytest.warns(LatencyWarning) as caught:
        warn_longer_inputs(_row(), (3_000.0, 300.0), target)
    text = str(caught[0].message)
    assert text.startswith("m on 2xH100-SXM: the throughput row was measured at 1,000 input")
    assert "workload's have 3,000; its time to first token (p99 0.3 s) could reach 0.9 s" in text
    assert "past the target of 0.5 s" in text


@pytest.mark.parametrize(
    ("row", "mix", "why"),
    [
        (_row(), (1_500.0, 300.0), "0.3 s x 1.5 = 0.45 s, within 0.5 s"),
        (_row(), (800.0, 300.0), "shorter inputs than the row's"),
        (_row(), None, "the usage states no request size"),
        (_row(ttft=None), (9_000.0, 300.0), "the row states no TTFT (offline)"),
        (_row(input_tokens=None), (9_000.0, 300.0), "the row states no input length"),
    ],
)
def test_no_warning_where_the_row_answers_for_the_workload(row, mix, why) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_longer_inputs(row, mix, Latency(ttft_s=0.5, tpot_s=0.05))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a target without a TTFT says nothing of it
        warn_longer_inputs(_row(), (9_000.0, 300.0), Latency(tpot_s=0.05))
