"""simulate(): tables, cumulative costs and discounting against a manual NPV."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import tco

C = 1_000 * 730 * 3_600  # tokens one 1,000-token/s replica serves in a 24/7 month


def bought_fleet() -> tco.SelfHosted:
    """1-GPU replicas bought at 10,000 each; power 1 kW x PUE 1 x 730 h x $0.10 = $73/GPU."""
    return tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=1_000,
        decode_tokens_per_s=1_000,
        target_utilization=1.0,
        procurement=tco.Buy(usd_per_gpu=10_000, kw_per_gpu=1.0, pue=1.0, usd_per_kwh=0.1),
        setup_usd=5_000,
    )


def api() -> tco.VendorAPI:
    return tco.VendorAPI(
        "api", input_usd_per_mtok=1.0, output_usd_per_mtok=3.0, fixed_usd_per_month=100.0
    )


USAGE = tco.Usage.from_series([C, C, 2 * C, 2 * C], output_share=0.5)
# API per month: tokens / 1e6 x (0.5 x $1 + 0.5 x $3) + $100 fees
API_MONTHLY = [C / 1e6 * 2 + 100, C / 1e6 * 2 + 100, 2 * C / 1e6 * 2 + 100, 2 * C / 1e6 * 2 + 100]
# fleet: setup 5,000 + 1 GPU in month 1, a second GPU in month 3; power $73 per GPU-month
FLEET_UPFRONT = [15_000.0, 0.0, 10_000.0, 0.0]
FLEET_RECURRING = [73.0, 73.0, 146.0, 146.0]


def test_monthly_and_cumulative_by_hand() -> None:
    sim = tco.simulate([api(), bought_fleet()], USAGE)
    monthly = sim.monthly()
    assert list(monthly.columns) == ["api", "fleet"]
    assert monthly.index.tolist() == [1, 2, 3, 4]
    assert monthly.index.name == "month"
    fleet_monthly = [u + r for u, r in zip(FLEET_UPFRONT, FLEET_RECURRING, strict=True)]
    assert monthly["api"].tolist() == pytest.approx(API_MONTHLY)
    assert monthly["fleet"].tolist() == pytest.approx(fleet_monthly)
    running, expected_cum = 0.0, []
    for v in fleet_monthly:
        running += v
        expected_cum.append(running)
    assert sim.cumulative()["fleet"].tolist() == pytest.approx(expected_cum)
    assert sim.total()["fleet"] == pytest.approx(expected_cum[-1])
    assert sim.total()["api"] == pytest.approx(sum(API_MONTHLY))


def test_tidy_costs_table() -> None:
    sim = tco.simulate([api(), bought_fleet()], USAGE)
    costs = sim.costs
    assert list(costs.columns) == ["option", "month", "component", "timing", "usd", "usd_pv"]
    capex = costs[(costs["option"] == "fleet") & (costs["component"] == "capex")]
    assert capex["month"].tolist() == [1, 2, 3, 4]
    assert capex["usd"].tolist() == [10_000.0, 0.0, 10_000.0, 0.0]
    assert set(capex["timing"]) == {"upfront"}
    by_option = costs.groupby("option")["usd"].sum()
    assert by_option["fleet"] == pytest.approx(sum(FLEET_UPFRONT) + sum(FLEET_RECURRING))
    assert by_option["api"] == pytest.approx(sum(API_MONTHLY))
    # no discount rate: present value = value
    assert costs["usd_pv"].tolist() == costs["usd"].tolist()


def test_components_add_up_to_monthly() -> None:
    sim = tco.simulate([api(), bought_fleet()], USAGE)
    for name in ("api", "fleet"):
        np.testing.assert_allclose(
            sim.by_component(name).sum(axis=1).to_numpy(), sim.monthly()[name].to_numpy()
        )
    with pytest.raises(KeyError, match="nope"):
        sim.by_component("nope")


def test_discounting_against_a_manual_npv() -> None:
    r = 0.10
    i = (1 + r) ** (1 / 12) - 1  # monthly rate
    sim = tco.simulate([api(), bought_fleet()], USAGE, discount_rate=r)

    # one-time costs of month k at its start (k - 1 months), recurring at its end (k months)
    fleet_npv = sum(c / (1 + i) ** (k - 1) for k, c in enumerate(FLEET_UPFRONT, start=1)) + sum(
        c / (1 + i) ** k for k, c in enumerate(FLEET_RECURRING, start=1)
    )
    api_npv = sum(c / (1 + i) ** k for k, c in enumerate(API_MONTHLY, start=1))
    assert sim.npv()["fleet"] == pytest.approx(fleet_npv, rel=1e-12)
    assert sim.npv()["api"] == pytest.approx(api_npv, rel=1e-12)
    # the month-1 purchase and setup are not discounted at all, the month-3 one by 2 months
    capex = sim.costs[(sim.costs["option"] == "fleet") & (sim.costs["component"] == "capex")]
    assert capex["usd_pv"].tolist() == pytest.approx([10_000.0, 0.0, 10_000.0 / (1 + i) ** 2, 0])

    discounted = sim.monthly(discounted=True)["fleet"].tolist()
    expected = [
        FLEET_UPFRONT[k - 1] / (1 + i) ** (k - 1) + FLEET_RECURRING[k - 1] / (1 + i) ** k
        for k in range(1, 5)
    ]
    assert discounted == pytest.approx(expected)
    assert sim.cumulative(discounted=True)["fleet"].iloc[-1] == pytest.approx(fleet_npv)
    assert sim.by_component("fleet", discounted=True).to_numpy().sum() == pytest.approx(fleet_npv)
    # undiscounted tables are unchanged by the rate
    assert sim.monthly()["api"].tolist() == pytest.approx(API_MONTHLY)


def test_discounted_residual_credit_falls_at_the_end_of_the_horizon() -> None:
    r = 0.08
    i = (1 + r) ** (1 / 12) - 1
    usage = tco.Usage.constant(C, months=12, output_share=0.5)
    sim = tco.simulate([bought_fleet()], usage, discount_rate=r, credit_residual=True)
    residual = 10_000 * (1 - 12 / 48)  # one GPU, a year into a 4-year life
    assert sim.residual_value()["fleet"] == pytest.approx(residual)
    expected = 15_000.0 + sum(73.0 / (1 + i) ** k for k in range(1, 13)) - residual / (1 + i) ** 12
    assert sim.npv()["fleet"] == pytest.approx(expected, rel=1e-12)


def test_rate_zero_npv_is_the_total() -> None:
    sim = tco.simulate([api(), bought_fleet()], USAGE)
    pd.testing.assert_series_equal(sim.npv(), sim.total(), check_names=False)


def test_negative_rate_is_allowed() -> None:
    i = 0.95 ** (1 / 12) - 1
    usage = tco.Usage.constant(1e6, months=2, output_share=0.5)
    sim = tco.simulate([api()], usage, discount_rate=-0.05)
    monthly = 1.0 * 2 + 100  # 0.5 MTok x $1 + 0.5 MTok x $3 + $100
    assert sim.npv()["api"] == pytest.approx(monthly / (1 + i) + monthly / (1 + i) ** 2)


def test_gpus_table_lists_fleets_only() -> None:
    sim = tco.simulate([api(), bought_fleet()], USAGE)
    gpus = sim.gpus()
    assert list(gpus.columns) == ["fleet"]
    assert gpus["fleet"].tolist() == [1.0, 1.0, 2.0, 2.0]


def test_cost_per_mtok_served() -> None:
    usage = tco.Usage.from_series([0.0, 2e6, 4e6], output_share=0.5)
    option = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=3.0, setup_usd=6.0)
    per = tco.simulate([option], usage).cost_per_mtok()["api"]
    # month 1: $6 setup, nothing served -> inf; month 2: $4 / 2 MTok; month 3: $8 / 4 MTok
    assert math.isinf(per[1])
    assert per[2] == pytest.approx(2.0)
    assert per[3] == pytest.approx(2.0)


def test_cost_per_mtok_counts_served_tokens_only() -> None:
    usage = tco.Usage.constant(4 * C, months=1, output_share=0.5)
    fixed = tco.SelfHosted(
        "fixed",
        prefill_tokens_per_s=1_000,
        decode_tokens_per_s=1_000,
        target_utilization=1.0,
        fixed_replicas=2,
        procurement=tco.Rent(usd_per_gpu_hour=2.0),
    )
    sim = tco.simulate([fixed], usage)
    # half the tokens are served (2 of 4 busy replicas); 2 GPUs x 730 h x $2
    assert sim.cost_per_mtok()["fixed"][1] == pytest.approx(2 * 730 * 2.0 / (2 * C / 1e6))
    assert sim.summary().loc["fixed", "unserved_tokens"] == pytest.approx(2 * C)


def test_summary_and_reprs() -> None:
    sim = tco.simulate([api(), bought_fleet()], USAGE, discount_rate=0.05)
    summary = sim.summary()
    assert list(summary.columns) == [
        "total_usd",
        "npv_usd",
        "residual_usd",
        "peak_gpus",
        "unserved_tokens",
    ]
    assert summary.loc["fleet", "peak_gpus"] == 2.0
    assert summary.loc["api", "peak_gpus"] == 0.0
    assert summary.loc["api", "residual_usd"] == 0.0
    text = repr(sim)
    assert "2 options" in text and "4 months" in text and "5.0%" in text
    assert "fleet" in sim._repr_html_()


def test_a_single_option_is_accepted() -> None:
    sim = tco.simulate(api(), USAGE)
    assert sim.names == ["api"]


def test_simulate_checks_its_arguments() -> None:
    with pytest.raises(TypeError, match="usage"):
        tco.simulate([api()], [1.0, 2.0])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"options\[1\]"):
        tco.simulate([api(), "fleet"], USAGE)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="options: empty"):
        tco.simulate([], USAGE)
    with pytest.raises(ValueError, match="capex"):
        tco.simulate([api()], USAGE, capex="accrual")  # type: ignore[arg-type]
