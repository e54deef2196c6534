"""Overflow, Switch and SwitchOnVolume: expected costs written out by hand.

Throughputs of 1 token/s (prefill and decode) and an output share of 0.5 make the average
number of busy replicas of a month equal to ``tokens / U`` with ``U = 730 * 3600``, so the
fleet sizes below can be checked with pencil and paper.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tco
from tco.core.ledger import Ledger
from tco.core.loadshape import share_above, unserved_share

U = 730 * 3600.0  # tokens per month that keep one replica busy on average (1 tok/s)


def fleet(name="fleet", **kw):
    kw.setdefault("procurement", tco.Rent(usd_per_gpu_hour=2.0))
    return tco.SelfHosted(name, prefill_tokens_per_s=1.0, decode_tokens_per_s=1.0, **kw)


def api(name="api", **kw):
    kw.setdefault("input_usd_per_mtok", 3.0)
    kw.setdefault("output_usd_per_mtok", 5.0)
    return tco.VendorAPI(name, **kw)


def busy_usage(busy, peak=1.0):
    """Usage whose months keep ``busy`` replicas busy on average."""
    return tco.Usage.from_series(
        np.asarray(busy, float) * U, output_share=0.5, peak_to_average=peak
    )


# --------------------------------------------------------------------------- load shape
@pytest.mark.parametrize(
    ("x", "p", "expected"),
    [
        (1.0, 2.0, 1.0 / 4.0),  # triangle 0..2, area above 1: 1/2 * 1 * 1/2
        (0.25, 1.5, 0.75),  # below the floor 0.5: everything above 0.25
        (1.0, 1.5, 0.5**2 / 2.0),  # uniform 0.5..1.5: (1.5-1)^2 / (2*1)
        (2.0, 4.0, 0.5 * 2.0**2 / 8.0),  # busy half the hours, uniform 0..4
        (0.0, 3.0, 1.0),
        (3.0, 3.0, 0.0),
        (0.5, 1.0, 0.5),  # flat load
        (1.0, 1.0, 0.0),
    ],
)
def test_share_above_by_hand(x, p, expected):
    assert float(share_above(x, p)) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(p=st.floats(1.0, 8.0), x=st.floats(0.0, 9.0))
def test_share_above_matches_the_described_load_curve(p, x):
    """Sample the load the docstring describes and measure the tokens above ``x``."""
    n = 200_000
    busy_share = min(1.0, 2.0 / p)
    lo = max(2.0 - p, 0.0)
    hours = (np.arange(n) + 0.5) / n
    load = np.where(hours < busy_share, p - (p - lo) * hours / busy_share, 0.0)
    assert load.mean() == pytest.approx(1.0, rel=1e-4)  # the average
    assert load.max() == pytest.approx(p, rel=1e-4)  # the peak
    expected = np.maximum(load - x, 0.0).mean() / load.mean()
    assert float(share_above(x, p)) == pytest.approx(expected, abs=2e-4)


def test_unserved_share_without_demand_is_zero():
    assert unserved_share(np.array([0.0, 2.0]), 0.0, 3.0).tolist() == [0.0, 0.0]


def test_fixed_fleet_alone_reports_tokens_above_capacity_as_unserved():
    # busy 1.0, peak 1.5, one replica at 80 %: capacity 0.8 -> (1.5 - 0.8)^2 / 2 = 0.245
    usage = busy_usage([1.0], peak=1.5)
    f = fleet(fixed_replicas=1, target_utilization=0.8)
    sim = tco.simulate([f], usage)
    assert sim.unserved_tokens()["fleet"].iloc[0] == pytest.approx(0.245 * U)


# --------------------------------------------------------------------------- overflow
def test_overflow_costs_by_hand():
    # busy [1, 3]; sized for the average (q = 1) at 50 %: replicas ceil(busy / 0.5) = [2, 6]
    # capacity = replicas * 0.5 = busy, peak 2 -> a quarter of each month's tokens overflow.
    usage = busy_usage([1.0, 3.0], peak=2.0)
    f = fleet(
        gpus_per_replica=2,
        target_utilization=0.5,
        staff_fte=0.5,
        staff_usd_per_year=120_000,
        setup_usd=1000,
    )
    a = api(fixed_usd_per_month=100.0)
    o = tco.Overflow(f, a, sizing_peak_to_average=1.0)
    gpus = np.array([4.0, 12.0])
    tokens = np.array([U, 3 * U])
    api_usd = 0.25 * tokens * (0.5 * 3.0 + 0.5 * 5.0) / 1e6
    expected = np.array([1000.0, 0.0]) + gpus * 730 * 2.0 + 5000.0 + api_usd + 100.0
    sim = tco.simulate([o], usage)
    assert sim.monthly()[o.name].to_numpy() == pytest.approx(expected)
    assert sim.gpus()[o.name].tolist() == [4.0, 12.0]
    split = o.split(usage)
    assert split["api_tokens"].to_numpy() == pytest.approx(0.25 * tokens)
    assert (split["fleet_tokens"] + split["api_tokens"]).to_numpy() == pytest.approx(tokens)
    components = sim.by_component(o.name)
    assert components["api_input"].to_numpy() == pytest.approx(0.25 * tokens / 2 * 3.0 / 1e6)
    assert components["gpu_rent"].to_numpy() == pytest.approx(gpus * 730 * 2.0)
    assert components["staff"].to_numpy() == pytest.approx([5000.0, 5000.0])
    assert sim.unserved_tokens()[o.name].tolist() == [0.0, 0.0]


def test_overflow_with_a_cap_and_a_fixed_fleet():
    usage = busy_usage([1.0, 4.0], peak=1.5)
    # cap at 2 replicas at 80 %: month 1 sized ceil(1.5/0.8) = 2 (no overflow),
    # month 2 needs ceil(6/0.8) = 8 -> capped at 2, capacity 1.6 vs average 4:
    # x = 0.4 <= floor 0.5 -> share 1 - 0.4 = 0.6
    o = tco.Overflow(fleet(target_utilization=0.8), api(), max_replicas=2)
    split = o.split(usage)
    assert split["replicas"].tolist() == [2.0, 2.0]
    assert split["api_share"].to_numpy() == pytest.approx([0.0, 0.6])
    fixed = tco.Overflow(fleet(target_utilization=0.8, fixed_replicas=2), api())
    assert fixed.split(usage)["api_share"].to_numpy() == pytest.approx([0.0, 0.6])


def test_overflow_sends_exactly_what_the_same_fleet_alone_leaves_unserved():
    usage = busy_usage([0.5, 2.0, 5.0, 9.0], peak=2.5)
    f = fleet(fixed_replicas=6, target_utilization=0.75, spare_replicas=1)
    o = tco.Overflow(f, api())
    sim = tco.simulate([f, o], usage)
    assert o.split(usage)["api_tokens"].to_numpy() == pytest.approx(
        sim.unserved_tokens()["fleet"].to_numpy()
    )
    # and the fleet part of the overflow costs what the fleet alone costs
    assert sim.by_component(o.name)["gpu_rent"].to_numpy() == pytest.approx(
        sim.by_component("fleet")["gpu_rent"].to_numpy()
    )


def test_overflow_validation_names_the_field():
    with pytest.raises(ValueError, match="max_replicas"):
        tco.Overflow(fleet(spare_replicas=2), api(), max_replicas=2)
    with pytest.raises(ValueError, match="fixed_replicas"):
        tco.Overflow(fleet(fixed_replicas=3), api(), max_replicas=5)


def test_overflow_params_broadcast_over_a_batch():
    usage = busy_usage([1.0, 3.0, 6.0], peak=2.0)
    o = tco.Overflow(fleet(), api(), sizing_peak_to_average=1.2)
    rates = np.array([0.5, 0.7, 0.9])
    prices = np.array([1.0, 2.0, 8.0])
    parts = o.cost_parts(
        usage.arrays(),
        **{"fleet.target_utilization": rates, "api.input_usd_per_mtok": prices},
    )
    batch = np.broadcast_to(Ledger.of(parts, 3).monthly(), (3, 3))
    for i in range(3):
        one = tco.Overflow(
            fleet(target_utilization=rates[i]),
            api(input_usd_per_mtok=prices[i]),
            sizing_peak_to_average=1.2,
        )
        alone = tco.simulate([one], usage).monthly()[one.name].to_numpy()
        assert batch[i] == pytest.approx(alone)


def test_overflow_data_leaves_when_its_api_does():
    assert tco.Overflow(fleet(), api()).data_leaves_environment
    assert not tco.Overflow(fleet(), api(data_leaves_environment=False)).data_leaves_environment


@settings(max_examples=80, deadline=None)
@given(
    busy=st.lists(st.floats(0.0, 20.0), min_size=1, max_size=4),
    peak=st.floats(1.0, 6.0),
    target=st.floats(0.3, 1.0),
    gpus_per_replica=st.sampled_from([1, 2, 4]),
    gpu_hour=st.floats(0.5, 5.0),
    price_in=st.floats(0.0, 60.0),
    price_out=st.floats(0.0, 60.0),
    cap=st.integers(1, 40),
    min_replicas=st.integers(0, 2),
    staff=st.floats(0.0, 2.0),
    setup=st.floats(0.0, 1e4),
    fees=st.floats(0.0, 1e3),
)
def test_overflow_never_costs_more_than_both_parts_alone(
    busy,
    peak,
    target,
    gpus_per_replica,
    gpu_hour,
    price_in,
    price_out,
    cap,
    min_replicas,
    staff,
    setup,
    fees,
):
    """Overflow at the same fleet never costs more than both of its parts alone.

    Precisely: the fleet model (throughput, GPU price, utilisation target) is the same in
    all three options. Overflow caps it at ``cap`` replicas; "fleet alone" sizes it to
    serve everything; "API alone" serves everything. In every month the overflow strategy
    costs at most the larger of

    * the API alone plus the fleet's fixed costs (staff, setup), and
    * the fleet alone plus the API's fixed costs (fees, setup),

    because it pays both parts' fixed costs and, between those two endpoints (no replica,
    the full fleet), its variable cost is convex in the number of replicas: each extra
    replica saves fewer API tokens than the one before (linear load-duration curve).
    Also: fleet tokens + API tokens = demand, and the API gets exactly what the same capped
    fleet alone (``fixed_replicas=cap``) would report as unserved.
    """
    usage = busy_usage(busy, peak=peak)
    f = fleet(
        gpus_per_replica=gpus_per_replica,
        procurement=tco.Rent(usd_per_gpu_hour=gpu_hour),
        target_utilization=target,
        min_replicas=min_replicas,
        staff_fte=staff,
        staff_usd_per_year=100_000,
        setup_usd=setup,
    )
    a = api(
        input_usd_per_mtok=price_in,
        output_usd_per_mtok=price_out,
        fixed_usd_per_month=fees,
        setup_usd=500.0,
    )
    o = tco.Overflow(f, a, max_replicas=cap)
    monthly = tco.simulate([o, f, a], usage).monthly()
    months = np.arange(1, len(busy) + 1)
    fleet_fixed = staff * 100_000 / 12 + np.where(months == 1, setup, 0.0)
    api_fixed = fees + np.where(months == 1, 500.0, 0.0)
    bound = np.maximum(monthly["api"] + fleet_fixed, monthly["fleet"] + api_fixed)
    assert np.all(monthly[o.name] <= bound * (1 + 1e-9) + 1e-6)

    split = o.split(usage)
    assert (split["fleet_tokens"] + split["api_tokens"]).to_numpy() == pytest.approx(
        usage.tokens, rel=1e-12, abs=1e-6
    )
    same = fleet(
        "same",
        fixed_replicas=cap,
        gpus_per_replica=gpus_per_replica,
        target_utilization=target,
        procurement=tco.Rent(usd_per_gpu_hour=gpu_hour),
    )
    unserved = tco.simulate([same], usage).unserved_tokens()["same"].to_numpy()
    assert split["api_tokens"].to_numpy() == pytest.approx(unserved, rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- switch
def test_switch_costs_by_hand():
    usage = tco.Usage.constant(1e9, months=4, output_share=0.5)
    a = api("a", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0, setup_usd=300.0)
    b = api("b", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, setup_usd=500.0)
    cases = {
        0: [500 + 1000, 1000, 1000, 1000],
        1: [300 + 2000, 500 + 1000, 1000, 1000],
        3: [300 + 2000, 2000, 2000, 500 + 1000],
        4: [300 + 2000, 2000, 2000, 2000],
        9: [300 + 2000, 2000, 2000, 2000],
    }
    for s, expected in cases.items():
        sw = tco.Switch(a, b, month=s)
        assert tco.simulate([sw], usage).monthly()[sw.name].tolist() == expected, s


def test_switch_to_a_fleet_sizes_it_from_the_switch_month():
    usage = busy_usage([1.0, 2.0, 3.0, 4.0])
    f = fleet(target_utilization=0.5, setup_usd=700.0)
    sw = tco.Switch(api(), f, month=2)
    sim = tco.simulate([sw], usage)
    # months 3, 4: ceil(3 / 0.5) = 6 and 8 replicas of 1 GPU at $2 x 730 h
    assert sim.gpus()[sw.name].tolist() == [0.0, 0.0, 6.0, 8.0]
    api_usd = np.array([1.0, 2.0]) * U * 4.0 / 1e6
    expected = [api_usd[0], api_usd[1], 700 + 6 * 1460.0, 8 * 1460.0]
    assert sim.monthly()[sw.name].to_numpy() == pytest.approx(expected)


def test_switch_to_bought_gpus_pays_capex_at_the_switch():
    usage = busy_usage([2.0, 2.0, 2.0, 2.0])
    buy = tco.Buy(usd_per_gpu=10_000.0, kw_per_gpu=1.0, pue=1.5, usd_per_kwh=0.1)
    f = fleet(procurement=buy, target_utilization=1.0)
    sw = tco.Switch(api(), f, month=2)
    monthly = tco.simulate([sw], usage).monthly()[sw.name].to_numpy()
    api_usd = 2 * U * 4.0 / 1e6
    power = 2 * 1.0 * 1.5 * 730 * 0.1
    assert monthly == pytest.approx([api_usd, api_usd, 20_000 + power, power])


def test_nested_switches_honour_the_window():
    usage = tco.Usage.constant(1e9, months=5, output_share=0.5)
    a = api("a", input_usd_per_mtok=3.0, output_usd_per_mtok=3.0)
    b = api("b", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0, setup_usd=10.0)
    c = api("c", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, setup_usd=20.0)
    inner = tco.Switch(a, b, month=1)
    outer = tco.Switch(inner, c, month=3)
    monthly = tco.simulate([outer], usage).monthly()[outer.name].tolist()
    assert monthly == [3000.0, 10 + 2000.0, 2000.0, 20 + 1000.0, 1000.0]
    assert "first.then.setup_usd" in outer.core_params()


def test_switch_overrides_reach_the_nested_part():
    usage = busy_usage([1.0, 2.0, 3.0])
    sw = tco.Switch(api(), fleet(), month=1)
    rates = np.array([1.0, 3.0])
    parts = sw.cost_parts(usage.arrays(), **{"then.procurement.usd_per_gpu_hour": rates})
    batch = np.broadcast_to(Ledger.of(parts, 3).monthly(), (2, 3))
    for i, rate in enumerate(rates):
        one = tco.Switch(api(), fleet(procurement=tco.Rent(float(rate))), month=1)
        assert batch[i] == pytest.approx(tco.simulate([one], usage).monthly()[one.name])
    with pytest.raises(KeyError, match=r"then\.nope"):
        sw.cost_parts(usage.arrays(), **{"then.nope": 1.0})


def test_strategies_work_with_break_even():
    usage = tco.Usage.constant(1e9, months=12, output_share=0.5)
    a = api("a", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0)
    b = api("b", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, setup_usd=3000.0)
    result = tco.break_even(a, tco.Switch(a, b, month=2), usage)
    # from month 3 the switch saves 1,000 a month after paying 3,000 at its start
    assert result.months == pytest.approx(5.0)


# --------------------------------------------------------------------------- switch on volume
def test_switch_on_volume_moves_in_the_first_month_reaching_the_threshold():
    usage = tco.Usage.from_series([1e9, 3e9, 2e9, 5e9], output_share=0.5)
    a = api("a", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0)
    b = api("b", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, setup_usd=100.0)
    for threshold, s in [(0.0, 0), (1e9, 0), (2.5e9, 1), (4e9, 3), (6e9, 4)]:
        sw = tco.SwitchOnVolume(a, b, threshold_tokens_per_month=threshold)
        assert sw.switch_month(usage) == s
        by_hand = tco.Switch(a, b, month=s)
        assert tco.simulate([sw], usage).monthly()[sw.name].tolist() == (
            tco.simulate([by_hand], usage).monthly()[by_hand.name].tolist()
        )
    # month 1 on a (2,000), then b from month 2: 100 + 3,000, 2,000 and 5,000
    sw = tco.SwitchOnVolume(a, b, threshold_tokens_per_month=2.5e9)
    assert tco.simulate([sw], usage).monthly()[sw.name].tolist() == [
        2000,
        3100,
        2000,
        5000,
    ]


def test_switch_on_volume_switches_per_draw_in_a_batch():
    usage = tco.Usage.from_series([1e9, 3e9, 2e9, 5e9], output_share=0.5)
    a = api("a", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0)
    b = fleet(setup_usd=100.0)
    sw = tco.SwitchOnVolume(a, b, threshold_tokens_per_month=1.0)
    thresholds = np.array([0.0, 2.5e9, 4e9, 9e9])
    parts = sw.cost_parts(usage.arrays(), threshold_tokens_per_month=thresholds)
    batch = np.broadcast_to(Ledger.of(parts, 4).monthly(), (4, 4))
    gpus = parts.gpus
    for i, (threshold, s) in enumerate(zip(thresholds, [0, 1, 3, 4], strict=True)):
        one = tco.Switch(a, b, month=s)
        sim = tco.simulate([one], usage)
        assert batch[i] == pytest.approx(sim.monthly()[one.name].to_numpy()), threshold
        alone = sim.gpus()[one.name].to_numpy() if s < 4 else np.zeros(4)  # never moves
        assert gpus[i] == pytest.approx(alone)


def test_default_names_and_reprs_are_readable():
    a, f = api(), fleet()
    assert tco.Switch(a, f, month=3).name == "api -> fleet from month 4"
    assert tco.Overflow(f, a).name == "fleet + api overflow"
    sw = tco.SwitchOnVolume(a, f, threshold_tokens_per_month=2e9)
    assert sw.name == "api -> fleet at 2e+09 tokens/month"
    for option in (tco.Switch(a, f, month=3), tco.Overflow(f, a), sw):
        assert option.name in repr(option)
        assert repr(option) == str(option)
    assert math.isclose(sw.core_params()["threshold_tokens_per_month"], 2e9)


def _strategies_for_batch():
    a = api(fixed_usd_per_month=10.0, staff_fte=0.1)
    f = fleet(staff_fte=0.5, setup_usd=100.0, spare_replicas=1)
    b = fleet("owned", procurement=tco.Buy(usd_per_gpu=20_000.0), tuning_usd_per_gpu_hour=2.0)
    classes = (
        tco.TaskClass("x", share=0.4, need="basic"),
        tco.TaskClass("y", share=0.6, need="basic", output_share=0.2),
    )
    return [
        tco.Overflow(f, a, max_replicas=3),
        tco.Switch(a, f, month=2),
        tco.Switch(a, b, month=1),
        tco.SwitchOnVolume(a, f, threshold_tokens_per_month=2.5 * U),
        tco.Routed(name="r", classes=classes, options=(a, f), routes=(("x",), ("y",))),
    ]


@pytest.mark.parametrize("strategy", _strategies_for_batch(), ids=lambda s: type(s).__name__)
def test_every_param_of_a_strategy_broadcasts_over_a_batch(strategy):
    """Sensitivity functions pass each core param as an array of shape (n,)."""
    # the usage counts requests and their size, so per-request fees and egress can be varied
    usage = busy_usage([1.0, 2.0, 3.0, 4.0], peak=1.5).model_copy(
        update={"tokens_per_request": 1_000.0, "bytes_per_request": 4_000.0}
    )
    arrays = usage.arrays()
    base = tco.simulate([strategy], usage).monthly()[strategy.name].to_numpy()
    for key, value in strategy.core_params().items():
        if value is None:  # optional field left unset (Buy.powered_hours_per_month)
            continue
        if isinstance(value, bool):
            draws = np.array([value, value])
        else:
            draws = np.array([value, value * 1.1 + (1.0 if value == 0 else 0.0)])
            if "share" in key or "utilization" in key or "decline" in key:
                draws = np.minimum(draws, 0.9)
            if key.endswith("replicas") or key.endswith("gpus_per_replica"):
                draws = np.array([value, value + 1])
        parts = strategy.cost_parts(arrays, **{key: draws})
        monthly = np.broadcast_to(Ledger.of(parts, 4).monthly(), (2, 4))
        assert monthly.shape == (2, 4), key
        assert np.all(np.isfinite(monthly)), key
        assert monthly[0] == pytest.approx(base), key
