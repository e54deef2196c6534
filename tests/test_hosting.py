"""SelfHosted with Rent or Buy: capacity planning and the cost of the fleet, by hand.

Most tests use a replica that prefills and decodes 1,000 tokens/s with a target utilisation
of 1 and a flat load, so one replica serves exactly ``C = 1,000 x 730 x 3,600 = 2.628e9``
tokens in a 730-hour month, and the replica count is ``ceil(tokens / C)``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tco
from tco.options.capacity import busy_replicas, replicas_needed

C = 1_000 * 730 * 3_600  # tokens one replica serves in a 24/7 month at 1,000 tokens/s
RATE = 2.0  # USD per GPU-hour


def fleet(procurement: Any = None, **fields: Any) -> tco.SelfHosted:
    base: dict[str, Any] = {
        "prefill_tokens_per_s": 1_000.0,
        "decode_tokens_per_s": 1_000.0,
        "target_utilization": 1.0,
        "procurement": procurement or tco.Rent(usd_per_gpu_hour=RATE),
    }
    return tco.SelfHosted("fleet", **(base | fields))


def parts(option: tco.SelfHosted, usage: tco.Usage, **kwargs: Any) -> pd.DataFrame:
    return tco.simulate([option], usage, **kwargs).by_component(option.name)


# --------------------------------------------------------------------------- capacity
def test_busy_replicas_from_prefill_and_decode_seconds() -> None:
    usage = tco.Usage.constant(1e9, months=1, output_share=0.25, cached_input_share=0.4)
    # input 750e6, 40 % cached -> 450e6 uncached at 10,000/s; 250e6 output at 1,000/s
    seconds = 450e6 / 10_000 + 250e6 / 1_000  # 295,000 replica-seconds
    expected = seconds / (730 * 3_600)
    busy = busy_replicas(usage.arrays(), prefill_tokens_per_s=10_000, decode_tokens_per_s=1_000)
    assert busy.tolist() == pytest.approx([expected])


def test_cached_input_needs_no_prefill() -> None:
    cached = tco.Usage.constant(1e9, months=1, output_share=0.0, cached_input_share=1.0)
    busy = busy_replicas(cached.arrays(), prefill_tokens_per_s=1.0, decode_tokens_per_s=1.0)
    assert busy.tolist() == [0.0]


def test_replicas_for_peak_and_target_utilization() -> None:
    usage = tco.Usage.constant(
        1e9, months=1, output_share=0.25, cached_input_share=0.4, peak_to_average=3.0
    )
    option = fleet(
        prefill_tokens_per_s=10_000,
        decode_tokens_per_s=1_000,
        target_utilization=0.1,
        gpus_per_replica=2,
    )
    busy = (450e6 / 10_000 + 250e6 / 1_000) / (730 * 3_600)  # 0.11225
    replicas = math.ceil(busy * 3.0 / 0.1)  # ceil(3.37) = 4
    assert replicas == 4
    assert option.gpus(usage).tolist() == [replicas * 2]


def test_min_and_spare_replicas() -> None:
    idle = tco.Usage.constant(0.0, months=2, output_share=0.5)
    option = fleet(min_replicas=2, spare_replicas=1, gpus_per_replica=4)
    # max(2, ceil(0)) + 1 = 3 replicas of 4 GPUs
    assert option.gpus(idle).tolist() == [12.0, 12.0]
    busy = tco.Usage.constant(3.5 * C, months=1, output_share=0.5)
    # max(2, ceil(3.5)) + 1 = 5 replicas
    assert option.gpus(busy).tolist() == [20.0]


def test_no_minimum_means_no_fleet_without_demand() -> None:
    option = fleet(min_replicas=0)
    idle = tco.Usage.constant(0.0, months=2, output_share=0.5)
    assert option.gpus(idle).tolist() == [0.0, 0.0]
    assert tco.simulate([option], idle).total()["fleet"] == 0.0


def test_whole_replicas_of_load_need_no_extra_replica() -> None:
    usage = tco.Usage.constant(2 * C, months=1, output_share=0.3)
    assert fleet().gpus(usage).tolist() == [2.0]
    assert fleet().gpus(usage.with_shape(peak_to_average=1.5)).tolist() == [3.0]


def test_replicas_needed_formula() -> None:
    got = replicas_needed(
        np.array([0.0, 0.7, 1.05]),
        peak_to_average=2.0,
        target_utilization=0.7,
        min_replicas=1,
        spare_replicas=2,
    )
    # ceil(0) -> min 1; ceil(0.7 x 2 / 0.7) = 2; ceil(1.05 x 2 / 0.7) = 3; plus 2 spare
    assert got.tolist() == [3.0, 4.0, 5.0]


# --------------------------------------------------------------------------- Rent
def test_rent_bills_730_hours_per_gpu_month() -> None:
    usage = tco.Usage.constant(C / 2, months=2, output_share=0.5)
    option = fleet(gpus_per_replica=4)
    assert parts(option, usage)["gpu_rent"].tolist() == pytest.approx([4 * 730 * RATE] * 2)


def test_gpu_step_in_a_known_month() -> None:
    # 0.9 C, 0.9 C, 1.1 C, 1.1 C, 2.5 C -> 1, 1, 2, 2, 3 replicas of 2 GPUs
    usage = tco.Usage.from_series([0.9 * C, 0.9 * C, 1.1 * C, 1.1 * C, 2.5 * C], output_share=0.4)
    option = fleet(gpus_per_replica=2)
    assert option.gpus(usage).tolist() == [2.0, 2.0, 4.0, 4.0, 6.0]
    rent = [g * 730 * RATE for g in (2, 2, 4, 4, 6)]
    assert parts(option, usage)["gpu_rent"].tolist() == pytest.approx(rent)


def test_rented_fleet_follows_demand_down() -> None:
    usage = tco.Usage.from_series([3 * C, 0.5 * C, 2 * C], output_share=0.5)
    option = fleet()
    assert option.gpus(usage).tolist() == [3.0, 1.0, 2.0]
    rent = [3 * 730 * RATE, 1 * 730 * RATE, 2 * 730 * RATE]
    assert parts(option, usage)["gpu_rent"].tolist() == pytest.approx(rent)


def test_operating_hours_size_the_fleet_and_bill_when_not_always_on() -> None:
    # 2e9 tokens in 365 operating hours: busy = 2e9 / (1,000 x 365 x 3,600) = 1.52 -> 2
    usage = tco.Usage.constant(2e9, months=1, output_share=0.5, operating_hours_per_month=365)
    busy = busy_replicas(usage.arrays(), prefill_tokens_per_s=1_000, decode_tokens_per_s=1_000)
    assert busy.tolist() == pytest.approx([2e9 / (1_000 * 365 * 3_600)])
    part_time = fleet(procurement=tco.Rent(usd_per_gpu_hour=RATE, always_on=False))
    always = fleet(procurement=tco.Rent(usd_per_gpu_hour=RATE, always_on=True))
    assert part_time.gpus(usage).tolist() == [2.0]
    assert always.gpus(usage).tolist() == [2.0]
    assert parts(part_time, usage)["gpu_rent"].tolist() == pytest.approx([2 * 365 * RATE])
    assert parts(always, usage)["gpu_rent"].tolist() == pytest.approx([2 * 730 * RATE])
    # the same tokens spread over 730 hours need one replica only (0.76 busy)
    assert always.gpus(usage.with_shape(operating_hours_per_month=730)).tolist() == [1.0]


def test_rent_price_decline() -> None:
    usage = tco.Usage.constant(C / 2, months=13, output_share=0.5)
    option = fleet(procurement=tco.Rent(usd_per_gpu_hour=RATE, annual_price_decline=0.2))
    rent = parts(option, usage)["gpu_rent"]
    expected = [730 * RATE * 0.8 ** ((m - 1) / 12) for m in range(1, 14)]
    assert rent.tolist() == pytest.approx(expected)
    assert rent[13] == pytest.approx(730 * RATE * 0.8)


# --------------------------------------------------------------------------- fixed fleet
def test_fixed_fleet_reports_unserved_tokens_flat_load() -> None:
    # Flat load of 4 busy replicas on 2 serving replicas: half the tokens are unserved.
    usage = tco.Usage.constant(4 * C, months=2, output_share=0.5)
    option = fleet(fixed_replicas=2, gpus_per_replica=8)
    sim = tco.simulate([option], usage)
    assert sim.gpus()["fleet"].tolist() == [16.0, 16.0]
    assert sim.unserved_tokens()["fleet"].tolist() == pytest.approx([2 * C, 2 * C])
    assert sim.by_component("fleet")["gpu_rent"].tolist() == pytest.approx([16 * 730 * RATE] * 2)


def test_fixed_fleet_unserved_with_a_peak() -> None:
    # peak/average 2: the load is uniform between 0 and twice the average (mean = average).
    # Capacity equal to the average leaves the triangle above it: (2 - 1)^2 / (2 x 2) = 1/4.
    usage = tco.Usage.constant(2 * C, months=1, output_share=0.5, peak_to_average=2.0)
    option = fleet(fixed_replicas=3, spare_replicas=1)  # 2 serving replicas, busy 2 on average
    unserved = tco.simulate([option], usage).unserved_tokens()["fleet"]
    assert unserved.tolist() == pytest.approx([0.25 * 2 * C])


def test_fixed_fleet_with_room_serves_everything() -> None:
    usage = tco.Usage.constant(2 * C, months=1, output_share=0.5, peak_to_average=1.5)
    option = fleet(fixed_replicas=3)  # capacity 3 = peak 2 x 1.5
    assert tco.simulate([option], usage).unserved_tokens()["fleet"].tolist() == [0.0]


def test_sized_fleet_serves_everything() -> None:
    usage = tco.Usage.from_series([0.0, 5 * C, 50 * C], output_share=0.5, peak_to_average=4.0)
    assert tco.simulate([fleet()], usage).unserved_tokens()["fleet"].tolist() == [0.0] * 3


# --------------------------------------------------------------------------- staff, setup
def test_staff_fixed_and_per_100_gpus() -> None:
    usage = tco.Usage.constant(4.5 * C, months=1, output_share=0.5)
    option = fleet(
        gpus_per_replica=10,
        staff_fte=1.5,
        staff_fte_per_100_gpus=2.0,
        staff_usd_per_year=180_000,
    )
    # 5 replicas x 10 = 50 GPUs -> 1.5 + 2 x 50 / 100 = 2.5 FTE x 180,000 / 12
    assert option.gpus(usage).tolist() == [50.0]
    assert parts(option, usage)["staff"].tolist() == pytest.approx([2.5 * 15_000])


def test_setup_is_paid_once_at_the_start() -> None:
    usage = tco.Usage.constant(C / 2, months=3, output_share=0.5)
    costs = tco.simulate([fleet(setup_usd=50_000)], usage).costs
    setup = costs[costs["component"] == "setup"]
    assert setup["usd"].tolist() == [50_000.0, 0.0, 0.0]
    assert set(setup["timing"]) == {"upfront"}


# --------------------------------------------------------------------------- Buy
BUY = tco.Buy(
    usd_per_gpu=30_000,
    server_usd_per_gpu=5_000,
    useful_life_years=4,
    kw_per_gpu=0.7,
    pue=1.3,
    usd_per_kwh=0.12,
    hosting_usd_per_gpu_month=100.0,
    maintenance_share_per_year=0.12,
)
DEMAND = [1 * C, 3 * C, 2 * C, 0.5 * C, 4 * C]  # replicas 1, 3, 2, 1, 4 (2 GPUs each)


def test_owned_gpus_are_never_sold_when_demand_drops() -> None:
    usage = tco.Usage.from_series(DEMAND, output_share=0.5)
    option = fleet(procurement=BUY, gpus_per_replica=2)
    # needed 2, 6, 4, 2, 8 GPUs; owned is the running maximum
    assert option.gpus(usage).tolist() == [2.0, 6.0, 6.0, 6.0, 8.0]
    capex = parts(option, usage)["capex"]
    # bought 2, 4, 0, 0, 2 GPUs at 30,000 + 5,000
    assert capex.tolist() == pytest.approx([70_000.0, 140_000.0, 0.0, 0.0, 70_000.0])


def test_power_hosting_and_maintenance_of_owned_gpus() -> None:
    usage = tco.Usage.from_series(DEMAND, output_share=0.5)
    option = fleet(procurement=BUY, gpus_per_replica=2)
    c = parts(option, usage)
    owned = [2, 6, 6, 6, 8]
    per_gpu_power = 0.7 * 1.3 * 730 * 0.12  # kW x PUE x hours x USD/kWh = 79.716
    assert c["power"].tolist() == pytest.approx([g * per_gpu_power for g in owned])
    assert c["hosting"].tolist() == pytest.approx([g * 100.0 for g in owned])
    capex_so_far = [70_000, 210_000, 210_000, 210_000, 280_000]
    assert c["maintenance"].tolist() == pytest.approx([k * 0.12 / 12 for k in capex_so_far])


def test_power_follows_powered_hours() -> None:
    usage = tco.Usage.constant(C / 4, months=1, output_share=0.5, operating_hours_per_month=250)
    by_default = fleet(procurement=BUY)  # powered during the operating hours
    explicit = fleet(procurement=BUY.model_copy(update={"powered_hours_per_month": 500.0}))
    assert parts(by_default, usage)["power"].tolist() == pytest.approx([0.7 * 1.3 * 250 * 0.12])
    assert parts(explicit, usage)["power"].tolist() == pytest.approx([0.7 * 1.3 * 500 * 0.12])


def test_staff_per_100_gpus_counts_owned_gpus() -> None:
    # Owned GPUs stay powered, hosted and maintained after demand drops, so they are staffed
    # too: the per-100-GPU staff follows the GPUs the fleet reports.
    usage = tco.Usage.from_series([10 * C, 1 * C], output_share=0.5)
    option = fleet(procurement=BUY, gpus_per_replica=10, staff_fte_per_100_gpus=1.0)
    assert option.gpus(usage).tolist() == [100.0, 100.0]
    assert parts(option, usage)["staff"].tolist() == pytest.approx([200_000 / 12] * 2)


def test_residual_value_straight_line_credited_only_when_asked() -> None:
    # bought at the start of month 1 (1 replica of 2 GPUs) and month 7 (one more)
    usage = tco.Usage.from_series([C] * 6 + [2 * C] * 6, output_share=0.5)
    buy = BUY.model_copy(update={"useful_life_years": 2.0})
    option = fleet(procurement=buy, gpus_per_replica=2)
    p1 = p2 = 2 * 35_000  # 2 GPUs x (30,000 + 5,000)
    # horizon 12 months; ages at the horizon: 12 and 6 months of a 24-month life
    residual = p1 * (1 - 12 / 24) + p2 * (1 - 6 / 24)
    assert residual == pytest.approx(87_500.0)

    plain = tco.simulate([option], usage)
    credited = tco.simulate([option], usage, credit_residual=True)
    assert plain.residual_value()["fleet"] == pytest.approx(residual)
    assert credited.residual_value()["fleet"] == pytest.approx(residual)
    assert "residual_credit" not in plain.by_component("fleet")
    credit = credited.by_component("fleet")["residual_credit"]
    assert credit.tolist() == pytest.approx([0.0] * 11 + [-residual])
    assert credited.total()["fleet"] == pytest.approx(plain.total()["fleet"] - residual)


def test_residual_value_is_zero_after_the_useful_life() -> None:
    usage = tco.Usage.constant(C, months=14, output_share=0.5)
    option = fleet(procurement=BUY.model_copy(update={"useful_life_years": 1.0}))
    assert tco.simulate([option], usage).residual_value()["fleet"] == 0.0


def test_amortized_view_spreads_each_purchase_over_its_life() -> None:
    usage = tco.Usage.from_series([C] * 6 + [2 * C] * 6, output_share=0.5)
    buy = BUY.model_copy(update={"useful_life_years": 2.0})
    option = fleet(procurement=buy, gpus_per_replica=2)
    cash = tco.simulate([option], usage)
    amortized = tco.simulate([option], usage, capex="amortized")
    c = amortized.by_component("fleet")
    assert "capex" not in c
    # 70,000 / 24 from month 1; another 70,000 / 24 from month 7
    expected = [70_000 / 24] * 6 + [2 * 70_000 / 24] * 6
    assert c["depreciation"].tolist() == pytest.approx(expected)
    # what was not written off is exactly the residual value
    written_off = sum(expected)
    assert written_off + cash.residual_value()["fleet"] == pytest.approx(140_000.0)
    # everything else is the same in both views
    others = [k for k in c.columns if k != "depreciation"]
    pd.testing.assert_frame_equal(c[others], cash.by_component("fleet")[others])


def test_amortized_depreciation_stops_at_the_end_of_life() -> None:
    usage = tco.Usage.constant(C, months=9, output_share=0.5)
    option = fleet(procurement=BUY.model_copy(update={"useful_life_years": 0.5}))
    dep = tco.simulate([option], usage, capex="amortized").by_component("fleet")["depreciation"]
    assert dep.tolist() == pytest.approx([35_000 / 6] * 6 + [0.0] * 3)


def test_bought_fleet_sized_over_operating_hours() -> None:
    usage = tco.Usage.constant(2e9, months=1, output_share=0.5, operating_hours_per_month=365)
    assert fleet(procurement=BUY).gpus(usage).tolist() == [2.0]  # busy 1.52 -> 2


def test_bought_fixed_fleet_is_bought_once() -> None:
    usage = tco.Usage.constant(C, months=3, output_share=0.5)
    option = fleet(procurement=BUY, fixed_replicas=4)
    assert parts(option, usage)["capex"].tolist() == pytest.approx([4 * 35_000.0, 0.0, 0.0])


def test_repr_names_procurement() -> None:
    assert "rent $2/GPU-h" in repr(fleet())
    assert "buy $30,000/GPU" in repr(fleet(procurement=BUY))


def test_defaults_match_design() -> None:
    option = tco.SelfHosted(
        "f", prefill_tokens_per_s=1.0, decode_tokens_per_s=1.0, procurement=tco.Rent(1.0)
    )
    assert option.gpus_per_replica == 1
    assert option.target_utilization == 0.7
    assert option.min_replicas == 1
    assert option.spare_replicas == 0
    assert option.fixed_replicas is None
    assert option.staff_usd_per_year == 200_000
    assert option.data_leaves_environment is False
    assert tco.Rent(1.0).plan == "on_demand"
    assert tco.Rent(1.0).always_on is True
    buy = tco.Buy(1.0)
    assert (buy.useful_life_years, buy.kw_per_gpu, buy.pue, buy.usd_per_kwh) == (4, 0.7, 1.3, 0.12)
    assert buy.powered_hours_per_month is None
