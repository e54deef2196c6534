"""SelfHosted.from_catalog: the throughput row that meets a latency target for the workload,
the memory it needs, and its provenance; expected values read from the CSVs by hand."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

import tco
from tests.pricing_helpers import THROUGHPUT_HEADER

DATA = Path(__file__).parents[1] / "pricing_data"
LLAMA2 = "meta-llama/Llama-2-70b-chat-hf"


def rows(file: str) -> list[dict[str, str]]:
    text = (DATA / file).read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def requests_per_gpu(row: dict[str, str], mix: tuple[float, float]) -> float:
    seconds = mix[0] / float(row["prefill_tokens_per_s"]) + mix[1] / float(
        row["decode_tokens_per_s"]
    )
    return 1.0 / seconds / int(row["gpus_per_replica"])


@pytest.fixture(scope="module")
def prices():
    return tco.load_pricing()


@pytest.mark.parametrize(
    ("tier", "regimes"),
    [("offline", None), ("server", {"server", "interactive"}), ("interactive", {"interactive"})],
)
def test_a_tier_takes_the_best_row_measured_under_it(prices, tier, regimes):
    gpu = "MI355X"
    mine = [r for r in rows("throughput.csv") if r["model"] == LLAMA2 and r["gpu"] == gpu]
    allowed = [r for r in mine if regimes is None or r["regime"] in regimes]
    best = max(allowed, key=lambda r: requests_per_gpu(r, (1.0, 1.0)))
    fleet = tco.SelfHosted.from_catalog(
        prices, model=LLAMA2, gpu=gpu, latency=tier, procurement=tco.Rent(1.0)
    )
    assert fleet.prefill_tokens_per_s == float(best["prefill_tokens_per_s"])
    assert fleet.decode_tokens_per_s == float(best["decode_tokens_per_s"])
    assert fleet.regime == best["regime"]
    assert f"({best['regime']}" in fleet.sources[0]
    assert fleet.latency.name == tier
    assert f"{best['regime']} row" in repr(fleet)


def test_the_workload_mix_ranks_the_rows(prices):
    gpu = "MI355X"
    mine = [r for r in rows("throughput.csv") if r["model"] == LLAMA2 and r["gpu"] == gpu]
    usage = tco.Usage.from_requests(1e6, 3_000, 100, months=1)
    best = max(mine, key=lambda r: requests_per_gpu(r, (3_000.0, 100.0)))
    fleet = tco.SelfHosted.from_catalog(
        prices, model=LLAMA2, gpu=gpu, usage=usage, procurement=tco.Rent(1.0)
    )
    assert fleet.decode_tokens_per_s == float(best["decode_tokens_per_s"])


def test_no_row_meeting_the_target_lists_what_exists(prices):
    tight = tco.Latency(ttft_s=0.01, tpot_s=0.001)
    with pytest.raises(ValueError, match=r"(?s)no throughput row meets .*offline") as err:
        tco.SelfHosted.from_catalog(
            prices, model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100-SXM", latency=tight
        )
    assert "no extrapolation" in str(err.value)
    with pytest.raises(ValueError, match="latency: 'fast'"):
        tco.SelfHosted.from_catalog(prices, model=LLAMA2, gpu="B200", latency="fast")


def test_a_replica_that_cannot_hold_the_workload_names_the_numbers(tmp_path):
    # Llama-3.3-70B (specs: 70.6B parameters, 80 layers, 8 KV heads of 128) in fp8 on one
    # 80 GB H100 at 64 concurrent requests of 1,000 + 1,000 tokens:
    row = (
        "meta-llama/Llama-3.3-70B-Instruct,H100-SXM,1,vllm-0.11.0,fp8,measured,0.5,0.05,,"
        "20000,2000,64,1000,1000,1818.18,false,https://example.org/bench,2026-10-01,"
    )
    (tmp_path / "throughput.csv").write_text(f"{THROUGHPUT_HEADER}\n{row}\n", "utf-8")
    prices = tco.load_pricing(tmp_path)
    weights = 70.6  # GB at one byte per parameter
    kv = 64 * 2_000 * (2 * 80 * 8 * 128 * 2) / 1e9  # K and V, 2 bytes each
    usable = 0.9 * 80
    smallest = math.ceil((weights + kv) / usable)
    with pytest.raises(ValueError) as err:
        tco.SelfHosted.from_catalog(
            prices, model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100-SXM", engine="vllm-0.11.0"
        )
    message = str(err.value)
    assert f"{weights + kv:,.1f} GB" in message and f"{usable:,.1f} GB usable" in message
    assert f"smallest replica that holds it has {smallest} GPUs" in message


def test_requests_longer_than_the_context_window_are_refused(prices):
    usage = tco.Usage.from_requests(1e3, 150_000, 1_000, months=1)
    with pytest.raises(ValueError, match=r"151,000 tokens.*context window of 131,072"):
        tco.SelfHosted.from_catalog(
            prices, model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100-SXM", usage=usage
        )


def test_a_model_without_specs_is_said_so_or_refused(tmp_path):
    row = (
        "acme/unknown-7b,H100-SXM,1,vllm-0.11.0,bf16,offline,,,,20000,2000,,1000,1000,"
        "1818.18,false,https://example.org/bench,2026-10-01,"
    )
    (tmp_path / "throughput.csv").write_text(f"{THROUGHPUT_HEADER}\n{row}\n", "utf-8")
    prices = tco.load_pricing(tmp_path)
    fleet = tco.SelfHosted.from_catalog(prices, model="acme/unknown-7b", gpu="H100-SXM")
    assert "memory fit: not checked (no model spec)" in fleet.sources
    with pytest.raises(ValueError, match="check_memory: 'acme/unknown-7b' cannot be checked"):
        tco.SelfHosted.from_catalog(
            prices, model="acme/unknown-7b", gpu="H100-SXM", check_memory=True
        )


def test_latency_by_name_on_a_plain_fleet():
    fleet = tco.SelfHosted(
        "f", prefill_tokens_per_s=1.0, decode_tokens_per_s=1.0, procurement=tco.Rent(1.0),
        latency="interactive",
    )  # fmt: skip
    assert fleet.latency == tco.Latency(ttft_s=0.45, tpot_s=0.04, name="interactive")
    with pytest.raises(ValueError, match="latency"):
        tco.SelfHosted(
            "f", prefill_tokens_per_s=1.0, decode_tokens_per_s=1.0, procurement=tco.Rent(1.0),
            latency="fast",
        )  # fmt: skip


def test_an_estimate_fills_a_tier_nothing_measured_and_says_so(prices):
    model = "meta-llama/Llama-3.3-70B-Instruct"
    mine = [r for r in rows("throughput.csv") if r["model"] == model and r["gpu"] == "H100-SXM"]
    server = [r for r in mine if r["regime"] == "server"]
    assert server and all(r["estimated"] == "true" for r in server)
    assert all("ESTIMATE" in r["notes"] for r in server)
    fleet = tco.SelfHosted.from_catalog(prices, model=model, gpu="H100-SXM", latency="server")
    assert fleet.estimated and "ESTIMATED" in repr(fleet)
    assert "ESTIMATED (roofline)" in fleet.sources[0]
    offline = tco.SelfHosted.from_catalog(prices, model=model, gpu="H100-SXM")
    assert not offline.estimated  # a measurement is never replaced by an estimate
