"""The whole bill: reserved terms, whole servers, licences, overhead, egress and request fees,
fine-tuning and evaluation compute, API minimum spend and committed-use discounts, and
serverless GPUs. Every expected figure is worked out by hand in the test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import tco

H = 730.0  # hours in a month
S = H * 3600.0  # seconds in a month


def load(busy_replicas, **shape):
    """Usage that keeps ``busy_replicas`` replicas busy on average at prefill 2 and decode 1
    tokens/s, half the tokens output: ``T`` tokens take ``T/2 / 2 + T/2 / 1 = 3T/4``
    replica-seconds, so ``b`` busy replicas over a month of ``S`` seconds is ``T = 4bS/3``."""
    tokens = np.asarray(busy_replicas, float) * S * 4.0 / 3.0
    return tco.Usage.from_series(tokens, output_share=0.5, **shape)


def fleet(name="fleet", **fields):
    base = {
        "prefill_tokens_per_s": 2.0,
        "decode_tokens_per_s": 1.0,
        "target_utilization": 1.0,
        "min_replicas": 0,
        "procurement": tco.Rent(2.0),
    }
    return tco.SelfHosted(name, **(base | fields))


def components(option, usage, **kw):
    return tco.simulate([option], usage, **kw).by_component(option.name)


def test_the_load_helper_keeps_the_stated_replicas_busy():
    sim = tco.simulate([fleet()], load([1.0, 2.0, 3.0]))
    assert sim.gpus()["fleet"].tolist() == [1.0, 2.0, 3.0]


# --------------------------------------------------------------------------- reserved terms
def test_committed_gpus_are_billed_every_month_of_the_term_and_demand_above_on_demand():
    usage = load([3, 3, 3, 2, 2, 2, 1, 1, 3, 3])
    rent = tco.Rent(
        2.0,
        term_months=6,
        committed_gpus=2,
        upfront_usd_per_gpu=100.0,
        on_demand_usd_per_gpu_hour=3.0,
    )
    table = components(fleet(procurement=rent), usage)
    reserved = [2 * H * 2.0] * 6 + [0.0] * 4  # 2 GPUs x 730 h x $2, used or not
    above = [1, 1, 1, 0, 0, 0, 1, 1, 3, 3]  # above the commitment, then everything
    np.testing.assert_allclose(table["gpu_reserved"], reserved)
    np.testing.assert_allclose(table["gpu_on_demand"], [g * H * 3.0 for g in above])
    np.testing.assert_allclose(table["reserved_upfront"], [200.0] + [0.0] * 9)


def test_the_term_end_is_explicit_and_idle_committed_gpus_are_counted():
    usage = load([3, 3, 3, 2, 2, 2, 1, 1, 3, 3])
    rent = tco.Rent(2.0, term_months=4, committed_gpus=2, upfront_usd_per_gpu=100.0, renew=True)
    sim = tco.simulate([fleet(procurement=rent)], usage)
    terms = sim.commitments()
    assert terms[["start_month", "end_month"]].values.tolist() == [[1, 4], [5, 8], [9, 10]]
    assert terms["committed_gpus"].tolist() == [2.0, 2.0, 2.0]
    assert terms["upfront_usd"].tolist() == [200.0, 200.0, 200.0]
    # months 7-8 need 1 GPU of the 2 committed: 2 idle GPU-months in the second term
    assert terms["idle_gpu_months"].tolist() == [0.0, 2.0, 0.0]
    assert terms["reserved_usd"].tolist() == pytest.approx(
        [4 * 2 * H * 2.0] * 2 + [2 * 2 * H * 2.0]
    )
    # on demand (at the reserved rate when no on-demand price is given): 1 GPU months 1-3, 9-10
    assert terms["on_demand_usd"].tolist() == pytest.approx([3 * H * 2.0, 0.0, 2 * H * 2.0])


def test_a_term_without_a_committed_count_commits_the_fleet_at_its_start():
    usage = load([2, 4, 1, 1])
    rent = tco.Rent(1.0, term_months=2, renew=True)
    table = components(fleet(procurement=rent), usage)
    # term 1 commits 2 GPUs (month 1), term 2 commits 1 (month 3)
    np.testing.assert_allclose(table["gpu_reserved"], [2 * H, 2 * H, H, H])
    np.testing.assert_allclose(table["gpu_on_demand"], [0.0, 2 * H, 0.0, 0.0])


def test_a_fleet_without_a_term_has_no_commitments():
    sim = tco.simulate(
        [fleet(), tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)],
        load([1, 1]),
    )
    assert sim.commitments().empty
    assert list(sim.commitments().columns)[:3] == ["option", "start_month", "end_month"]


# --------------------------------------------------------------------------- whole servers
def test_rented_replicas_pack_into_whole_servers():
    usage = load([3, 5, 9])  # 2-GPU replicas: 6, 10, 18 GPUs -> servers of 8: 8, 16, 24
    rent = tco.Rent(1.0, gpus_per_server=8)
    sim = tco.simulate([fleet(procurement=rent, gpus_per_replica=2)], usage)
    assert sim.gpus()["fleet"].tolist() == [8.0, 16.0, 24.0]
    np.testing.assert_allclose(sim.monthly()["fleet"], [8 * H, 16 * H, 24 * H])


def test_bought_servers_pay_hosting_per_server_and_per_gpu():
    usage = load([3, 3])  # 3 GPUs -> one server of 4
    buy = tco.Buy(
        1_000.0,
        gpus_per_server=4,
        hosting_usd_per_server_month=250.0,
        hosting_usd_per_gpu_month=10.0,
        kw_per_gpu=0.0,
    )
    table = components(fleet(procurement=buy), usage)
    np.testing.assert_allclose(table["hosting"], [250.0 + 4 * 10.0] * 2)
    np.testing.assert_allclose(table["capex"], [4_000.0, 0.0])


def test_nvidia_llm_tco_calculator_example_per_server_year():
    """NVIDIA Technical Blog, "LLM Inference Benchmarking: How Much Does Your LLM Inference
    Cost?": a $320,000 server of 8 GPUs depreciated over 4 years, $3,000 hosting and $4,500
    software a year -> 320,000 / 4 + 3,000 + 4,500 = $87,500 per server-year; at 10 requests/s
    per server of 1,000 + 250 tokens, $0.221969 per million tokens at full capacity."""
    rps, isl, osl = 10.0, 1_000.0, 250.0
    # one 2-GPU instance serves 2.5 requests/s: 0.4 s per request, 0.2 s prefill + 0.2 decode
    server = tco.Buy(
        320_000.0 / 8,
        useful_life_years=4.0,
        kw_per_gpu=0.0,
        gpus_per_server=8,
        hosting_usd_per_server_month=3_000.0 / 12,
    )
    nim = tco.SelfHosted(
        "nim",
        prefill_tokens_per_s=isl / 0.2,
        decode_tokens_per_s=osl / 0.2,
        gpus_per_replica=2,
        target_utilization=1.0,
        procurement=server,
        licence_usd_per_gpu_year=4_500.0 / 8,  # the post counts the licence per server
    )
    usage = tco.Usage.from_requests(rps * S, isl, osl, months=12)
    sim = tco.simulate([nim], usage, capex="amortized")
    assert sim.gpus()["nim"].max() == 8.0
    assert float(sim.total()["nim"]) == pytest.approx(87_500.0, rel=1e-12)
    per_mtok = 87_500.0 / (rps * 3600 * 24 * 365 * (isl + osl) / 1e6)
    assert per_mtok == pytest.approx(0.221969, abs=1e-6)  # the published arithmetic
    assert sim.cost_per_mtok()["nim"].to_numpy() == pytest.approx(per_mtok, rel=1e-12)


# --------------------------------------------------------------------------- licences, overhead
def test_licences_are_per_gpu_year_on_the_gpus_in_service():
    table = components(fleet(licence_usd_per_gpu_year=4_500.0), load([2, 4]))
    np.testing.assert_allclose(table["licences"], [2 * 375.0, 4 * 375.0])


def test_overhead_is_a_share_of_the_whole_gpu_bill_only():
    buy = tco.Buy(1_200.0, kw_per_gpu=1.0, pue=1.0, usd_per_kwh=0.1, hosting_usd_per_gpu_month=50)
    option = fleet(procurement=buy, overhead_share=0.1, staff_fte=1.0, staff_usd_per_year=120_000)
    table = components(option, load([1, 1]), capex="amortized")
    # depreciation 1200/48 = 25, power 1 kW x 730 h x 0.1 = 73, hosting 50; staff not in it
    np.testing.assert_allclose(table["overhead"], [0.1 * (25.0 + 73.0 + 50.0)] * 2)


# --------------------------------------------------------------------------- fees and egress
def requests_usage(months=2):
    # 1e6 requests of 700 + 300 tokens, 20 kB each
    return tco.Usage.from_requests(
        1e6, 700, 300, months=months, output_share=0.3, bytes_per_request=20_000
    )


@pytest.mark.parametrize("side", ["api", "fleet"])
def test_request_fees_and_egress_on_both_sides(side):
    usage = requests_usage()
    fees = {"usd_per_request": 1e-4, "egress_usd_per_gb": 0.09}
    if side == "api":
        option = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, **fees)
    else:
        option = tco.SelfHosted(
            "fleet", prefill_tokens_per_s=1e6, decode_tokens_per_s=1e6,
            procurement=tco.Rent(1.0), **fees,
        )  # fmt: skip
    table = components(option, usage)
    np.testing.assert_allclose(table["request_fees"], [100.0, 100.0])  # 1e6 x 1e-4
    np.testing.assert_allclose(table["egress"], [1.8, 1.8])  # 1e6 x 20 kB = 20 GB x 0.09


def test_egress_without_a_request_size_is_an_error_naming_what_is_missing():
    api = tco.VendorAPI(
        "api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, egress_usd_per_gb=0.09
    )
    no_size = tco.Usage.from_requests(1e6, 700, 300, months=1)
    with pytest.raises(ValueError, match=r"egress_usd_per_gb.*bytes_per_request"):
        tco.simulate([api], no_size)
    no_requests = tco.Usage.constant(1e9, months=1, output_share=0.5)
    fee = tco.VendorAPI(
        "api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, usd_per_request=0.01
    )
    with pytest.raises(ValueError, match=r"usd_per_request.*tokens_per_request"):
        tco.simulate([fee], no_requests)
    with pytest.raises(ValidationError, match="bytes_per_request"):
        tco.Usage.constant(1e9, months=1, output_share=0.5, bytes_per_request=-1.0)


# --------------------------------------------------------------------------- tuning compute
def test_fine_tuning_once_at_the_window_start_and_evaluation_every_month():
    option = fleet(fine_tune_gpu_hours=500.0, eval_gpu_hours_per_month=20.0)
    table = components(option, load([1, 1, 1]))
    np.testing.assert_allclose(table["fine_tuning"], [1_000.0, 0.0, 0.0])  # at the $2 rent
    np.testing.assert_allclose(table["evaluation"], [40.0] * 3)
    switch = tco.Switch(
        tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0), option, month=1
    )
    later = components(switch, load([1, 1, 1]))
    np.testing.assert_allclose(later["fine_tuning"], [0.0, 1_000.0, 0.0])
    np.testing.assert_allclose(later["evaluation"], [0.0, 40.0, 40.0])


def test_tuning_on_bought_gpus_needs_its_own_rate():
    owned = fleet(procurement=tco.Buy(1_000.0), fine_tune_gpu_hours=10.0)
    with pytest.raises(ValueError, match="tuning_usd_per_gpu_hour"):
        tco.simulate([owned], load([1]))
    priced = owned.model_copy(update={"tuning_usd_per_gpu_hour": 3.0})
    np.testing.assert_allclose(components(priced, load([1]))["fine_tuning"], [30.0])


# --------------------------------------------------------------------------- API commitments
def test_api_committed_use_discount_and_minimum_monthly_spend():
    usage = tco.Usage.from_series([1e9, 5e9], output_share=0.0)  # $1/MTok input
    api = tco.VendorAPI(
        "api",
        input_usd_per_mtok=1.0,
        output_usd_per_mtok=1.0,
        committed_use_discount=0.2,
        minimum_usd_per_month=2_000.0,
    )
    table = components(api, usage)
    bill = np.array([800.0, 4_000.0])  # 1,000 and 5,000 USD less 20 %
    np.testing.assert_allclose(table.drop(columns=["minimum_top_up"]).sum(axis=1), bill)
    np.testing.assert_allclose(table["minimum_top_up"], [1_200.0, 0.0])


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: tco.Rent(1.0, term_months=0), "term_months"),
        (lambda: tco.Rent(1.0, term_months=0.5), "term_months"),
        (lambda: tco.Rent(1.0, term_months=12, committed_gpus=10**6), "committed_gpus"),
        (lambda: tco.Rent(1.0, committed_gpus=2), "committed_gpus"),
        (lambda: tco.Rent(1.0, term_months=12, upfront_usd_per_gpu=-5.0), "upfront_usd_per_gpu"),
        (lambda: tco.Buy(1.0, hosting_usd_per_server_month=100.0), "hosting_usd_per_server_month"),
        (lambda: fleet(procurement=tco.Rent(1.0, gpus_per_server=8), gpus_per_replica=3),
         "gpus_per_server"),
        (lambda: fleet(procurement=tco.Rent(1.0, term_months=3, committed_gpus=9),
                       fixed_replicas=4), "committed_gpus"),
        (lambda: fleet(licence_usd_per_gpu_year=-1.0), "licence_usd_per_gpu_year"),
        (lambda: fleet(overhead_share=1.5), "overhead_share"),
        (lambda: tco.Serverless("s", prefill_tokens_per_s=1.0, decode_tokens_per_s=1.0,
                                usd_per_gpu_second=0.0), "usd_per_gpu_second"),
        (lambda: tco.Serverless("s", prefill_tokens_per_s=1.0, decode_tokens_per_s=1.0,
                                usd_per_gpu_second=1e-3, min_workers=3, max_workers=2),
         "max_workers"),
    ],
)  # fmt: skip
def test_bad_bill_inputs_name_the_field(make, field):
    with pytest.raises(ValidationError, match=field):
        make()


# --------------------------------------------------------------------------- serverless
def pods(**fields):
    base = {
        "prefill_tokens_per_s": 2.0,
        "decode_tokens_per_s": 1.0,
        "usd_per_gpu_second": 0.001,
        "target_utilization": 0.5,
    }
    return tco.Serverless("pods", **(base | fields))


def test_serverless_bills_busy_seconds_over_utilisation_and_scales_to_zero():
    table = components(pods(gpus_per_worker=2), load([1.5, 0.0, 3.0]))
    # busy worker-months / 0.5 x 2 GPUs x S seconds x $0.001
    np.testing.assert_allclose(table["gpu_seconds"], [b / 0.5 * 2 * S * 0.001 for b in (1.5, 0, 3)])
    np.testing.assert_allclose(table["gpu_warm"], [0.0] * 3)


def test_serverless_warm_workers_take_the_base_of_the_load():
    # peak 2x: the load is uniform on [0, 2b]; one warm worker serves everything below 1
    usage = load([1.0], peak_to_average=2.0)
    table = components(pods(min_workers=1, cold_start_s=30.0, cold_starts_per_month=100), usage)
    above = (2.0 - 1.0) ** 2 / (2 * 2.0)  # share of tokens above a load of 1: 1/4
    np.testing.assert_allclose(table["gpu_warm"], [S * 0.001])
    np.testing.assert_allclose(table["gpu_seconds"], [1.0 * S * above / 0.5 * 0.001])
    np.testing.assert_allclose(table["cold_starts"], [100 * 30.0 * 0.001])


def test_serverless_cap_leaves_demand_unserved_and_says_so():
    usage = load([1.5], peak_to_average=2.0)  # uniform on [0, 3]
    sim = tco.simulate([pods(max_workers=2)], usage)
    unserved = (3.0 - 2.0) ** 2 / (2 * 3.0 * 1.5)  # 1/9 of the tokens
    tokens = float(usage.tokens[0])
    assert float(sim.unserved_tokens()["pods"].iloc[0]) == pytest.approx(tokens * unserved)
    served_busy = 1.5 * (1 - unserved)
    expected = served_busy * S / 0.5 * 0.001
    assert float(sim.monthly()["pods"].iloc[0]) == pytest.approx(expected)


def test_serverless_takes_part_in_break_even_strategies_and_recommend():
    usage = load(np.linspace(0.5, 20.0, 24))
    api = tco.VendorAPI("api", input_usd_per_mtok=300.0, output_usd_per_mtok=300.0)
    serverless = pods()
    result = tco.break_even(api, serverless, usage)
    # cost per token of serverless is constant: (1 worker-month / 0.5 x S x $0.001) per
    # (4/3 S tokens) = $0.0015 per token = $1,500 per MTok: the API at $300 stays cheaper
    assert result.month is None
    overflow = tco.Overflow(fleet(fixed_replicas=2), serverless)
    sim = tco.simulate([overflow], load([3.0]))
    np.testing.assert_allclose(sim.by_component(overflow.name)["gpu_seconds"], [S / 0.5 * 0.001])
    rec = tco.recommend(usage, [api, serverless])
    assert "serverless" in rec.table["kind"].tolist()


@settings(max_examples=40, deadline=None)
@given(
    busy=st.floats(0.0, 50.0),
    warm=st.integers(0, 10),
    peak=st.floats(1.0, 5.0),
)
def test_serverless_never_costs_less_than_its_warm_floor_nor_more_than_warm_plus_all(
    busy, warm, peak
):
    usage = load([busy], peak_to_average=peak)
    total = float(tco.simulate([pods(min_workers=warm)], usage).total()["pods"])
    floor = warm * S * 0.001
    everything = floor + busy * S / 0.5 * 0.001
    assert floor - 1e-6 <= total <= everything + 1e-6
    assert math.isfinite(total)


# --------------------------------------------------------------------------- declared inputs
NEW_INPUTS = [  # (option, parameter path, a value that moves the bill)
    (fleet(procurement=tco.Rent(2.0, term_months=3)), "procurement.upfront_usd_per_gpu", 500.0),
    (
        fleet(procurement=tco.Rent(2.0, term_months=3, committed_gpus=1)),
        "procurement.on_demand_usd_per_gpu_hour",
        5.0,
    ),
    (
        fleet(procurement=tco.Buy(1.0, gpus_per_server=4)),
        "procurement.hosting_usd_per_server_month",
        300.0,
    ),
    (fleet(), "licence_usd_per_gpu_year", 4_500.0),
    (fleet(), "overhead_share", 0.1),
    (fleet(), "fine_tune_gpu_hours", 100.0),
    (fleet(), "eval_gpu_hours_per_month", 10.0),
    (fleet(), "egress_usd_per_gb", 0.09),
    (
        tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0),
        "committed_use_discount",
        0.2,
    ),
    (
        tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0),
        "minimum_usd_per_month",
        1e7,
    ),
    (
        tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0),
        "usd_per_request",
        0.01,
    ),
    (pods(), "usd_per_gpu_second", 0.002),
    (pods(cold_starts_per_month=1_000), "cold_start_s", 60.0),
    (pods(), "min_workers", 5),
]


@pytest.mark.parametrize(("option", "path", "moved"), NEW_INPUTS, ids=[p for _, p, _ in NEW_INPUTS])
def test_every_new_input_is_a_declared_parameter_analyses_can_move(option, path, moved):
    """Declared, so a sweep moves it with no extra code: the savings against a fixed
    reference are the option's cost at the moved value, by a plain simulate, less the
    reference's."""
    assert path in option.parameters(), sorted(option.parameters())
    usage = requests_usage(months=3)
    reference = tco.VendorAPI("reference", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    result = tco.sweep(option, reference, usage, {f"baseline.{path}": [moved]}, "savings_usd")
    changed = option.vary({path: moved})
    costs = tco.simulate([changed, reference], usage).total()
    assert float(result.savings_usd.ravel()[0]) == pytest.approx(
        float(costs[option.name] - costs["reference"])
    )
    before = tco.simulate([option], usage).total()[option.name]
    assert float(costs[option.name]) != float(before)


def test_a_catalog_reserved_plan_is_a_term_with_on_demand_above_it():
    import csv
    from pathlib import Path

    text = (Path(__file__).parents[1] / "pricing_data" / "gpu_offers.csv").read_text("utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    gcp = {
        r["plan"]: float(r["usd_per_gpu_hour"])
        for r in rows
        if r["provider"] == "gcp" and r["instance"] == "a3-highgpu-8g"
    }
    prices = tco.load_pricing()
    for plan, months in (("reserved_1y", 12), ("reserved_3y", 36)):
        fleet = tco.SelfHosted.from_catalog(
            prices,
            model="meta-llama/Llama-3.1-8B-Instruct",
            gpu="H100-SXM",
            provider="gcp",
            plan=plan,
            region="us-central1",
        )
        rent = fleet.procurement
        assert (rent.term_months, rent.renew) == (months, True)
        assert rent.usd_per_gpu_hour == gcp[plan]
        assert rent.on_demand_usd_per_gpu_hour == gcp["on_demand"]
        assert any("above the commitment: on_demand" in s for s in fleet.sources)
