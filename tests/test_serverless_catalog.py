"""serverless_offers.csv: the bundled rows, the look-up, Serverless.from_catalog, scenario
files and bad rows (file, line, column).

Expected values are read from the CSV files with the csv module and worked out by hand.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from pricing_helpers import FIXTURE, copy_fixture, error_with, load

import tco
from tco.pricing import PricingError, ServerlessOffer, UnknownPriceError, bundled_pricing_dir

BUNDLED = bundled_pricing_dir()
HEADER = (
    "provider,product,gpu,gpu_label,usd_per_gpu_second,billing_increment_s,cold_start_s,"
    "idle_timeout_s,max_workers,max_gpus,max_gpus_per_worker,scale_to_zero,source,as_of,notes"
)
SECONDS = 730 * 3600  # seconds in a month of 730 hours
LATER = date(2026, 12, 1)  # after every bundled as_of


def csv_rows(name: str, folder: Path = BUNDLED) -> list[dict[str, str]]:
    with (folder / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def offers_csv() -> list[dict[str, str]]:
    return csv_rows("serverless_offers.csv")


def fits(row: dict[str, str], gpus: int) -> bool:
    """A worker of ``gpus`` GPUs fits the row's caps (an empty cap: no cap)."""
    per_worker, most = row["max_gpus_per_worker"], row["max_gpus"]
    return (not per_worker or int(per_worker) >= gpus) and (not most or int(most) >= gpus)


def cheapest(gpu: str, gpus: int = 1, provider: str | None = None) -> dict[str, str]:
    rows = [
        r
        for r in offers_csv()
        if r["gpu"] == gpu and fits(r, gpus) and provider in (None, r["provider"])
    ]
    return min(rows, key=lambda r: float(r["usd_per_gpu_second"]))  # first of equals


# -- the bundled file ---------------------------------------------------------------------


def test_every_bundled_row_loads_with_its_source_and_date() -> None:
    rows = offers_csv()
    table = tco.load_pricing().serverless_offers
    assert len(table) == len(rows) >= 20
    assert table.columns.tolist() == [*HEADER.split(","), "origin"]
    hardware = {r["gpu"] for r in csv_rows("gpu_hardware.csv")}
    for row, (_, got) in zip(rows, table.iterrows(), strict=True):
        assert got["usd_per_gpu_second"] == float(row["usd_per_gpu_second"])
        assert row["gpu"] in hardware
        assert row["source"] and row["as_of"]
        # empty means "not published": never written as 0
        assert all(row[c] != "0" for c in HEADER.split(","))
    providers = {r["provider"] for r in rows}
    assert providers >= {"modal", "runpod", "replicate", "beam", "gcp", "koyeb"}


def test_hourly_prices_in_the_notes_agree_with_the_per_second_price() -> None:
    # Koyeb publishes 2.50 USD/h for an H100: the row holds 2.50 / 3600 per second
    row = next(r for r in offers_csv() if (r["provider"], r["gpu"]) == ("koyeb", "H100-SXM"))
    assert float(row["usd_per_gpu_second"]) * 3600 == pytest.approx(2.50, abs=1e-5)
    offer = tco.load_pricing().serverless_offer("H100-SXM", "koyeb")
    assert offer.usd_per_gpu_hour == pytest.approx(2.50, abs=1e-5)


# -- the look-up --------------------------------------------------------------------------


@pytest.mark.parametrize("gpu", ["H100-SXM", "A100-80GB", "L40S", "L4", "B200", "H200"])
def test_serverless_offer_is_the_cheapest_match(gpu: str) -> None:
    prices = tco.load_pricing()
    expected = cheapest(gpu)
    got = prices.serverless_offer(gpu)
    assert (got.provider, got.product) == (expected["provider"], expected["product"])
    assert got.usd_per_gpu_second == float(expected["usd_per_gpu_second"])


def test_serverless_offer_filters_by_provider_and_worker_size() -> None:
    prices = tco.load_pricing()
    assert prices.serverless_offer("H100-SXM", provider="modal").provider == "modal"
    # Cloud Run runs one GPU per instance: a 2-GPU worker on L4 goes elsewhere
    two = cheapest("L4", gpus=2)
    got = prices.serverless_offer("L4", gpus_per_worker=2)
    assert (got.provider, got.product) == (two["provider"], two["product"])
    assert got.provider != "gcp"
    # Modal runs at most 10 GPUs at once, so no 16-GPU worker
    with pytest.raises(UnknownPriceError, match=r"gpus_per_worker=16.*at most 10 GPUs at once"):
        prices.serverless_offer("H100-SXM", provider="modal", gpus_per_worker=16)


def test_serverless_offer_errors_name_what_there_is() -> None:
    prices = tco.load_pricing()
    with pytest.raises(UnknownPriceError, match=r"unknown GPU 'H100'; closest: .*H100-SXM"):
        prices.serverless_offer("H100")
    with pytest.raises(UnknownPriceError, match=r"no serverless offer for GPU 'MI300X'.*H100-SXM"):
        prices.serverless_offer("MI300X")
    with pytest.raises(UnknownPriceError) as info:
        prices.serverless_offer("L4", provider="nobody")
    text = str(info.value)
    assert "provider='nobody'" in text
    for row in (r for r in offers_csv() if r["gpu"] == "L4"):
        price = float(row["usd_per_gpu_second"])
        assert f"{row['provider']} {row['product']} L4 at {price:g}" in text


def test_a_folder_without_the_file_loads_and_has_no_offers() -> None:
    prices = load(FIXTURE)  # the small fixture has no serverless_offers.csv
    assert prices.serverless_offers.empty
    assert "serverless" not in prices.counts()
    with pytest.raises(
        UnknownPriceError, match=r"no serverless offer for GPU 'L4'.*with one: none"
    ):
        prices.serverless_offer("L4")


def test_workers_allowed_takes_the_smaller_cap() -> None:
    def offer(**caps: int) -> ServerlessOffer:
        return ServerlessOffer(
            provider="p", product="x", gpu="L4", usd_per_gpu_second=0.001, scale_to_zero=True,
            source="s", as_of="2026-01-01", **caps,
        )  # fmt: skip

    assert offer().workers_allowed(4) is None
    assert offer(max_workers=5).workers_allowed(4) == 5
    assert offer(max_gpus=10).workers_allowed(4) == 2  # 10 // 4
    assert offer(max_workers=5, max_gpus=50).workers_allowed(8) == 5  # min(5, 6)
    assert offer(max_gpus_per_worker=2, max_workers=5).workers_allowed(4) == 0


# -- Serverless.from_catalog ----------------------------------------------------------------


def throughput_row(model: str, gpu: str) -> dict[str, str]:
    (row,) = [
        r
        for r in csv_rows("throughput.csv")
        if (r["model"], r["gpu"], r["regime"]) == (model, gpu, "offline")
    ]
    return row


MODEL = "meta-llama/Llama-3.1-8B-Instruct"


@pytest.mark.parametrize("provider", [None, "runpod", "modal", "replicate"])
def test_from_catalog_takes_throughput_and_price_from_the_rows(provider: str | None) -> None:
    prices = tco.load_pricing()
    pods = tco.Serverless.from_catalog(prices, model=MODEL, gpu="H100-SXM", provider=provider)
    rate = throughput_row(MODEL, "H100-SXM")
    offer = cheapest("H100-SXM", int(rate["gpus_per_replica"]), provider)
    assert pods.prefill_tokens_per_s == float(rate["prefill_tokens_per_s"])
    assert pods.decode_tokens_per_s == float(rate["decode_tokens_per_s"])
    assert pods.gpus_per_worker == int(rate["gpus_per_replica"])
    assert pods.usd_per_gpu_second == float(offer["usd_per_gpu_second"])
    caps = [int(offer["max_workers"])] if offer["max_workers"] else []
    if offer["max_gpus"]:
        caps.append(int(offer["max_gpus"]) // int(rate["gpus_per_replica"]))
    assert pods.max_workers == (min(caps) if caps else None)
    assert pods.cold_start_s == float(offer["cold_start_s"] or 0.0)
    assert pods.min_workers == 0  # every bundled offer scales to zero
    throughput, memory, priced = pods.sources
    assert rate["source"] in throughput and memory.startswith("memory fit: ")
    assert offer["source"] in priced and offer["provider"] in pods.name
    assert (pods.regime, pods.estimated) == ("offline", False)
    assert pods.latency is not None and not pods.latency.bounded


def test_from_catalog_meets_a_latency_target_as_self_hosted_does() -> None:
    prices = tco.load_pricing()
    usage = tco.Usage.from_requests(1e6, 1_000, 200, months=1)
    # the interactive row was measured at 128 input tokens a request: both say so
    with pytest.warns(tco.LatencyWarning, match="measured at 128 input tokens"):
        pods = tco.Serverless.from_catalog(
            prices, model=MODEL, gpu="H100-SXM", latency="interactive", usage=usage
        )
    with pytest.warns(tco.LatencyWarning, match="measured at 128 input tokens"):
        fleet = tco.SelfHosted.from_catalog(
            prices, model=MODEL, gpu="H100-SXM", latency="interactive", usage=usage
        )
    # the same row: every figure of it, and its description first in both sources
    assert (pods.prefill_tokens_per_s, pods.decode_tokens_per_s, pods.gpus_per_worker) == (
        fleet.prefill_tokens_per_s,
        fleet.decode_tokens_per_s,
        fleet.gpus_per_replica,
    )
    assert (pods.regime, pods.latency, pods.sources[:2]) == (
        fleet.regime,
        fleet.latency,
        fleet.sources[:2],
    )
    assert pods.latency is not None and pods.latency.name == "interactive"
    with pytest.raises(ValueError, match="latency"):
        tco.Serverless.from_catalog(prices, model=MODEL, gpu="H100-SXM", latency="instant")


def test_from_catalog_bill_by_hand() -> None:
    prices = tco.load_pricing()
    pods = tco.Serverless.from_catalog(
        prices, model=MODEL, gpu="H100-SXM", provider="runpod", cold_starts_per_month=200,
        cold_start_s=40.0,
    )  # fmt: skip
    rate = throughput_row(MODEL, "H100-SXM")
    offer = cheapest("H100-SXM", 1, "runpod")
    tokens = 5e9
    usage = tco.Usage.constant(tokens, months=3, output_share=0.25)
    busy = (0.75 * tokens / float(rate["prefill_tokens_per_s"])) + (
        0.25 * tokens / float(rate["decode_tokens_per_s"])
    )  # worker-seconds in a month
    assert busy / SECONDS < 5  # below RunPod's cap of 5 workers: everything is served
    price = float(offer["usd_per_gpu_second"])
    monthly = busy / 0.6 * price + 200 * 40.0 * price  # default utilisation 0.6
    np.testing.assert_allclose(tco.simulate([pods], usage).monthly()[pods.name], [monthly] * 3)


def test_from_catalog_fields_replace_what_the_rows_set() -> None:
    prices = tco.load_pricing()
    pods = tco.Serverless.from_catalog(
        prices, model=MODEL, gpu="H100-SXM", provider="runpod", max_workers=None,
        usd_per_gpu_second=0.0009, name="negotiated", sources=("our contract",),
    )  # fmt: skip
    assert (pods.max_workers, pods.usd_per_gpu_second, pods.name) == (None, 0.0009, "negotiated")
    assert pods.sources[-1] == "our contract" and len(pods.sources) == 4


def test_from_catalog_refuses_a_worker_no_offer_runs() -> None:
    prices = tco.load_pricing()
    with pytest.raises(UnknownPriceError, match="gpus_per_worker=2"):
        tco.Serverless.from_catalog(
            prices, model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100-SXM", provider="modal",
            gpus_per_worker=2, product="nothing",
        )  # fmt: skip


def test_an_offer_that_does_not_scale_to_zero_keeps_a_worker_warm(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "prices")
    (folder / "serverless_offers.csv").write_text(
        HEADER + "\np,always on,H100-SXM,,0.001,1,12,,3,,,false,https://example.org,2026-10-01,\n",
        encoding="utf-8",
    )
    pods = tco.Serverless.from_catalog(load(folder), model=MODEL, gpu="H100-SXM")
    assert (pods.min_workers, pods.max_workers, pods.cold_start_s) == (1, 3, 12.0)
    rate = throughput_row_in(FIXTURE, MODEL, "H100-SXM")
    usage = tco.Usage.constant(1e6, months=1, output_share=0.5)
    busy = 0.5e6 / float(rate["prefill_tokens_per_s"]) + 0.5e6 / float(rate["decode_tokens_per_s"])
    # one warm worker all month covers the small load: no on-demand seconds
    assert busy < SECONDS
    assert float(tco.simulate([pods], usage).total()[pods.name]) == pytest.approx(SECONDS * 0.001)


def throughput_row_in(folder: Path, model: str, gpu: str) -> dict[str, str]:
    (row,) = [
        r for r in csv_rows("throughput.csv", folder) if (r["model"], r["gpu"]) == (model, gpu)
    ]
    return row


# -- scenario files -------------------------------------------------------------------------

SCENARIO = """
[usage]
output_share = 0.25
[usage.curve]
kind = "constant"
tokens = 5e9
months = 2

[options.pods]
type = "serverless"
catalog = {{ model = "{model}", gpu = "H100-SXM", provider = "runpod" }}
target_utilization = 0.5
"""


def test_a_scenario_file_takes_a_catalog_serverless_option(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO.format(model=MODEL), encoding="utf-8")
    scenario = tco.Scenario.from_toml(path)
    rate = throughput_row(MODEL, "H100-SXM")
    price = float(cheapest("H100-SXM", 1, "runpod")["usd_per_gpu_second"])
    busy = 0.75 * 5e9 / float(rate["prefill_tokens_per_s"]) + 0.25 * 5e9 / float(
        rate["decode_tokens_per_s"]
    )
    assert float(scenario.simulate().total()["pods"]) == pytest.approx(2 * busy / 0.5 * price)
    path.write_text(SCENARIO.format(model="no/such-model"), encoding="utf-8")
    with pytest.raises(tco.ScenarioError, match=r"options\.pods: unknown model 'no/such-model'"):
        tco.Scenario.from_toml(path)
    path.write_text(SCENARIO.format(model=MODEL).replace("catalog = {", "catalog = 'x' #"))
    with pytest.raises(tco.ScenarioError, match=r"options\.pods: catalog: 'x' -> a table"):
        tco.Scenario.from_toml(path)


# -- bad rows: file, line, column -----------------------------------------------------------

GOOD = "modal,Modal Functions,H100-SXM,H100,0.001097,,,60,,10,,true,https://modal.com/pricing,2026-07-01,"


def bad(tmp_path: Path, *rows: str) -> list[str]:
    err = error_with(tmp_path, "serverless_offers.csv", "\n".join([HEADER, *rows]) + "\n")
    return [str(p).replace(str(tmp_path / "prices") + "/", "") for p in err.problems]


def test_bad_serverless_rows_name_file_line_column_value(tmp_path: Path) -> None:
    got = bad(
        tmp_path,
        GOOD.replace("Modal Functions", "a").replace("0.001097", "3.95"),  # a price per hour
        GOOD.replace("Modal Functions", "b").replace(",0.001097,", ",,"),  # no price
        GOOD.replace("Modal Functions", "c").replace(",true,", ",yes,"),
        GOOD.replace("Modal Functions", "d").replace(",60,", ",-1,"),
        GOOD.replace("Modal Functions", "e").replace(",10,,", ",4,8,"),  # 8 per worker > 4
        GOOD.replace("Modal Functions", "f").replace(",,,60,", ",0,,60,"),  # increment 0
        GOOD.replace("Modal Functions", "g").replace("H100-SXM", "H100"),
        GOOD.replace("Modal Functions", "h").replace(",,,60,,10,", ",,,60,2.5,10,"),
        GOOD,
        GOOD,  # the same key twice
    )
    assert got == [
        "serverless_offers.csv:2: usd_per_gpu_second: '3.95' -> a number > 0 and at most 0.1 "
        "[USD per GPU-second; 0.001 = 3.60 USD per GPU-hour]",
        "serverless_offers.csv:3: usd_per_gpu_second: '' -> required: a number > 0 and at most "
        "0.1 [USD per GPU-second; 0.001 = 3.60 USD per GPU-hour]",
        "serverless_offers.csv:4: scale_to_zero: 'yes' -> true or false: the product stops "
        "billing when no worker is needed",
        "serverless_offers.csv:5: idle_timeout_s: '-1' -> a number >= 0, at most 86400 [s a "
        "worker stays up, billed, after its last request: the default], or empty (not "
        "published)",
        "serverless_offers.csv:6: max_gpus_per_worker: '8' -> at most max_gpus (4): one worker "
        "cannot have more GPUs than the quota",
        "serverless_offers.csv:7: billing_increment_s: '0' -> a number > 0, at most 3600 [s: "
        "billed time is rounded up to a multiple of it], or empty (not published)",
        "serverless_offers.csv:8: gpu: 'H100' -> a gpu listed in gpu_hardware.csv (closest: "
        "H100-SXM)",
        "serverless_offers.csv:9: max_workers: '2.5' -> a whole number > 0, at most 100000 "
        "[workers at once, the default quota], or empty (not published)",
        "serverless_offers.csv:11: provider,product,gpu: 'modal/Modal Functions/H100-SXM' -> a "
        "key used once per file; also on line 10",
    ]


def test_a_bad_header_is_reported(tmp_path: Path) -> None:
    text = HEADER.replace(",max_gpus,", ",") + "\n"
    err = error_with(tmp_path, "serverless_offers.csv", text)
    (problem,) = err.problems
    assert (Path(problem.file).name, problem.line, problem.column) == (
        "serverless_offers.csv",
        1,
        "(header)",
    )
    assert "missing max_gpus" in problem.message


def test_the_bundled_file_is_checked_on_top_of_a_folder(tmp_path: Path) -> None:
    # a folder of one's own may replace a bundled row (same key) and add others
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "serverless_offers.csv").write_text(
        HEADER + "\n" + GOOD.replace("0.001097", "0.0009") + "\n", encoding="utf-8"
    )
    prices = tco.load_pricing(folder, today=LATER)
    assert prices.serverless_offer("H100-SXM", "modal").usd_per_gpu_second == 0.0009
    assert len(prices.serverless_offers) == len(offers_csv())
    with pytest.raises(PricingError, match=r"serverless_offers\.csv:2: as_of"):
        (folder / "serverless_offers.csv").write_text(
            HEADER + "\n" + GOOD.replace("2026-07-01", "2099-01-01") + "\n", encoding="utf-8"
        )
        tco.load_pricing(folder, today=LATER)
