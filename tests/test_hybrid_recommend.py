"""Price-trend presets, price_trend_effect and recommend(): expected values by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tco
from tco.analysis.drivers import find_drivers
from tco.analysis.recommend import with_horizon
from tco.core.presets import trend

H = 24
TOKENS = 2e9  # per month, 30 % output
API_MONTH = 1.4e3 * 2.5 + 0.6e3 * 10.0  # 9,500 USD: 1,400 MTok in at $2.5, 600 out at $10
SETUP = 40_000.0
GPU_MONTH = 730 * 2.0  # one rented GPU at $2/GPU-hour


def usage(months=H, **kw):
    return tco.Usage.constant(TOKENS, months=months, output_share=0.3, **kw)


def api(name="api", **kw):
    kw.setdefault("input_usd_per_mtok", 2.5)
    kw.setdefault("output_usd_per_mtok", 10.0)
    return tco.VendorAPI(name, **kw)


def fleet(name="fleet", **kw):
    # busy replicas: (1.4e9 / 20,000 + 0.6e9 / 2,000) / (730 * 3600) = 0.141
    kw.setdefault("procurement", tco.Rent(2.0))
    kw.setdefault("setup_usd", SETUP)
    kw.setdefault("prefill_tokens_per_s", 20_000)
    kw.setdefault("decode_tokens_per_s", 2_000)
    return tco.SelfHosted(name, **kw)


BUSY = (1.4e9 / 20_000 + 0.6e9 / 2_000) / (730 * 3600)


# --------------------------------------------------------------------------- presets
def test_presets_follow_their_cited_figures():
    api_trends, gpu_trends = tco.API_PRICE_TRENDS, tco.GPU_PRICE_TRENDS
    assert api_trends["flat"].annual_decline == 0.0
    assert api_trends["llmflation"].annual_decline == pytest.approx(1 - 1 / 10)  # 10x a year
    assert api_trends["capability_slow"].annual_decline == pytest.approx(1 - 1 / 9)
    assert api_trends["historical_fast"].annual_decline == pytest.approx(1 - 1 / 40)
    # GPT-4 $30/$60 (Mar 2023) -> gpt-4o-2024-08-06 $2.50/$10 (Aug 2024): 17 months
    per_year_in = 1 - (2.5 / 30) ** (12 / 17)
    per_year_out = 1 - (10 / 60) ** (12 / 17)
    assert per_year_out < api_trends["flagship"].annual_decline < per_year_in
    assert gpu_trends["price_performance"].annual_decline == pytest.approx(1 - 2 ** (-1 / 2.46))
    assert gpu_trends["h100_2023_2025"].annual_decline == pytest.approx(1 - (2 / 8) ** (12 / 18))
    for preset in [*api_trends.values(), *gpu_trends.values()]:
        assert preset.summary
        assert preset.name == "flat" or preset.sources
        assert all(s.startswith("https://") for s in preset.sources)
        assert preset.after_one_year == pytest.approx(1 - preset.annual_decline)


def test_trend_lookup_and_validation():
    assert trend("llmflation") == pytest.approx(0.9)
    assert trend(0.25) == 0.25
    with pytest.raises(KeyError, match="llmflation"):
        trend("moore")
    with pytest.raises(ValueError, match="annual price decline"):
        trend(1.5)


def test_with_trends_reaches_every_part():
    a, f = api(), fleet()
    sw = tco.with_trends(tco.Switch(a, f, month=3), api="llmflation", gpu=0.2)
    assert sw.first.annual_price_decline == pytest.approx(0.9)
    assert sw.then.procurement.annual_price_decline == 0.2
    assert sw.name == tco.Switch(a, f, month=3).name
    ov = tco.with_trends(tco.Overflow(f, a), api=0.5)
    assert ov.api.annual_price_decline == 0.5
    assert ov.fleet.procurement.annual_price_decline == 0.0
    bought = fleet(procurement=tco.Buy(usd_per_gpu=30_000))
    assert tco.with_trends(bought, gpu=0.3) == bought
    # a trended API costs (1 - d) ** ((m - 1) / 12) of list price in month m
    monthly = tco.simulate([tco.with_trends(a, api=0.5)], usage(13)).monthly()["api"]
    assert monthly.iloc[12] == pytest.approx(API_MONTH * 0.5)


def test_a_steady_api_price_decline_delays_or_cancels_break_even():
    table = tco.price_trend_effect(api(), fleet(), usage(36), declines=[0.0, 0.3, 0.9])
    # flat: payback 40,000 / (9,500 - 1,460) = 4.98 months -> month 5
    assert table.loc["0%", "break_even_month"] == 5.0
    months = np.arange(1, 37)
    for label, d in (("30%", 0.3), ("90%", 0.9)):
        api_cum = np.cumsum(API_MONTH * (1 - d) ** ((months - 1) / 12))
        fleet_cum = SETUP + GPU_MONTH * months
        ahead = fleet_cum <= api_cum
        if not ahead[-1]:
            assert math.isnan(table.loc[label, "break_even_month"])
            assert table.loc[label, "break_even_reason"]
        else:
            first_for_good = int(np.flatnonzero(~ahead)[-1]) + 2 if (~ahead).any() else 1
            assert table.loc[label, "break_even_month"] == first_for_good
    assert table.loc["90%", "best_switch_month"] == 36  # never switch
    assert list(table["savings_usd"]) == sorted(table["savings_usd"], reverse=True)
    presets = tco.price_trend_effect(api(), fleet(), usage(12))
    assert list(presets.index) == list(tco.API_PRICE_TRENDS)


# --------------------------------------------------------------------------- recommend
def test_recommend_ranks_options_with_costs_by_hand():
    dear = api("dear", input_usd_per_mtok=5.0, output_usd_per_mtok=20.0)
    rec = tco.recommend(usage(), [api(), dear, fleet()], strategies=False)
    assert list(rec.table.index) == ["fleet", "api", "dear"]
    assert rec.table["rank"].tolist() == [1, 2, 3]
    assert rec.table.loc["api", "total_usd"] == pytest.approx(H * API_MONTH)
    assert rec.table.loc["dear", "total_usd"] == pytest.approx(2 * H * API_MONTH)
    assert rec.table.loc["fleet", "total_usd"] == pytest.approx(SETUP + H * GPU_MONTH)
    assert rec.reference_api == "api"
    assert rec.table.loc["fleet", "break_even_month"] == 5.0
    assert rec.table.loc["fleet", "savings_vs_api_usd"] == pytest.approx(
        H * API_MONTH - SETUP - H * GPU_MONTH
    )
    assert rec.table.loc["api", "break_even"] == "reference"
    assert rec.best == "fleet" and rec.rival == "api"
    assert rec.table.loc["fleet", "usd_per_mtok"] == pytest.approx(
        (SETUP + H * GPU_MONTH) / (H * TOKENS / 1e6)
    )


def test_recommend_drivers_flip_where_the_arithmetic_says():
    # a slower model: 10x the busy replicas, 3 replicas of 1 GPU at 70 %
    slow = fleet(prefill_tokens_per_s=2_000, decode_tokens_per_s=200)
    busy = 10 * BUSY
    replicas = math.ceil(busy / 0.7)
    assert replicas == 3
    rec = tco.recommend(usage(), [api(), slow], strategies=False)
    drivers = rec.drivers.set_index("driver")
    fleet_total = SETUP + H * GPU_MONTH * replicas
    # GPU price at which 40,000 + 24 x 730 x 3 x price = 24 x 9,500
    gpu = (H * API_MONTH - SETUP) / (H * 730 * replicas)
    assert drivers.loc["GPU price", "flip"] == pytest.approx(gpu, rel=1e-6)
    assert drivers.loc["GPU price", "holds_while"] == "below"
    # volume k: the fleet shrinks to 1 replica below k = 0.7 / busy (0.50); the API bill
    # k x 228,000 meets the one-replica fleet (75,040) at k = 0.33
    k = (SETUP + H * GPU_MONTH) / (H * API_MONTH)
    assert k < 0.7 / busy
    assert drivers.loc["token volume", "flip"] == pytest.approx(k, rel=1e-6)
    assert drivers.loc["token volume", "holds_while"] == "above"
    # API prices x p: p x 228,000 = the 3-replica fleet
    assert drivers.loc["API price", "flip"] == pytest.approx(fleet_total / (H * API_MONTH))
    # utilisation: replicas = ceil(busy / u); n replicas cost 40,000 + 24 x 1,460 x n and
    # win while that is below 228,000: up to n = 5, so the flip is at u = busy / 5
    n = math.floor((H * API_MONTH - SETUP) / (H * GPU_MONTH))
    assert n == 5
    assert drivers.loc["planned utilisation", "flip"] == pytest.approx(busy / n, rel=1e-6)
    assert drivers.loc["planned utilisation", "holds_while"] == "above"
    # API price decline at which the API's 24-month bill equals the fleet's cost
    lo, hi = 0.0, 0.99
    for _ in range(100):
        mid = (lo + hi) / 2
        bill = API_MONTH * ((1 - mid) ** (np.arange(H) / 12)).sum()
        lo, hi = (mid, hi) if bill > fleet_total else (lo, mid)
    assert drivers.loc["API price decline", "flip"] == pytest.approx(hi, abs=1e-6)
    summary = rec.summary
    assert "fleet (self-hosted (rent))" in summary
    assert f"${gpu:,.2f}/GPU-hour" in summary
    assert f"planned utilisation stays above {busy / n:.0%}" in summary
    assert "breaks even against api in month" in summary


def test_when_the_api_wins_the_drivers_say_when_self_hosting_would():
    small = tco.Usage.constant(2e8, months=H, output_share=0.3)
    rec = tco.recommend(small, [api(), fleet()], strategies=False)
    assert rec.best == "api" and rec.rival == "fleet"
    volume = rec.drivers.set_index("driver").loc["token volume"]
    assert volume["holds_while"] == "below"
    # 0.1 x the API bill per unit volume: fleet 75,040 = k x 22,800 x 24 / 24
    assert volume["flip"] == pytest.approx((SETUP + H * GPU_MONTH) / (H * API_MONTH / 10))


def test_recommend_adds_the_best_switch_and_overflow():
    growing = tco.Usage.compound(
        start=5e8, monthly_growth=0.12, months=36, output_share=0.3, peak_to_average=2.0
    )
    f = fleet(procurement=tco.Rent(2.5), gpus_per_replica=2, staff_fte=0.5, setup_usd=60_000)
    rec = tco.recommend(growing, [api(), f])
    best = tco.best_switch_month(api(), f, growing)
    assert best.strategy.name in rec.table.index
    assert rec.table.loc[best.strategy.name, "total_usd"] == pytest.approx(best.total_usd)
    choice = tco.best_overflow(f, api(), growing)
    assert rec.table.loc[choice.strategy.name, "total_usd"] == pytest.approx(choice.total_usd)
    assert rec.table.loc[best.strategy.name, "kind"] == "switch"
    assert rec.table["total_usd"].is_monotonic_increasing
    assert isinstance(rec.options[best.strategy.name], tco.Switch)
    assert "within 1% of the best" in rec.summary


def test_residency_excludes_the_api_and_its_strategies():
    rec = tco.recommend(usage(), [api(), fleet()], data_must_stay=True)
    assert list(rec.table.index) == ["fleet"]
    assert rec.excluded.to_dict("records") == [
        {"option": "api", "reason": "data leaves the environment; the data must stay"}
    ]
    assert rec.reference_api is None
    assert "Excluded: api (data leaves the environment" in rec.summary
    with pytest.raises(ValueError, match="no option may be used"):
        tco.recommend(usage(), [api()], data_must_stay=True)


def test_a_fixed_fleet_too_small_alone_is_excluded_but_overflows():
    small = fleet("small", fixed_replicas=1, target_utilization=0.1)
    rec = tco.recommend(usage(peak_to_average=3.0), [api(), small])
    assert "small" in set(rec.excluded["option"])
    reason = rec.excluded.set_index("option").loc["small", "reason"]
    assert reason.startswith("leaves ") and "unserved" in reason
    assert "small + api overflow" in rec.table.index


def test_recommend_with_task_classes_ranks_the_routing():
    classes = [
        tco.TaskClass("hard", share=0.2, need="frontier"),
        tco.TaskClass("bulk", share=0.8, need="strong"),
    ]
    rec = tco.recommend(
        usage(),
        [api(), fleet()],
        strategies=False,
        task_classes=classes,
        capabilities={"api": "frontier", "fleet": "strong"},
    )
    assert rec.routing is not None
    assert rec.routing.assignment == {"hard": "api", "bulk": "fleet"}
    name = rec.routing.option.name
    assert rec.table.loc[name, "total_usd"] == pytest.approx(rec.routing.total_usd)
    assert rec.table.loc[name, "kind"] == "routed"
    with pytest.raises(ValueError, match="both or neither"):
        tco.recommend(usage(), [api()], task_classes=classes)


def test_horizon_and_results():
    assert with_horizon(usage(12), 30).horizon == 30
    assert with_horizon(usage(12), 6).tokens.tolist() == [TOKENS] * 6
    series = tco.Usage.from_series([1e9, 2e9, 3e9], output_share=0.5)
    assert with_horizon(series, 2).tokens.tolist() == [1e9, 2e9]
    with pytest.raises(ValueError, match="horizon"):
        with_horizon(series, 5)
    rec = tco.recommend(usage(12), [api(), fleet()], horizon=H, discount_rate=0.08)
    assert rec.horizon == H and rec.objective == "npv_usd"
    assert rec.table["npv_usd"].is_monotonic_increasing
    assert "8% discount rate" in rec.summary
    text = repr(rec)
    assert text.startswith(f"Recommendation ({H} months): {rec.best}")
    assert "<table" in rec._repr_html_()
    assert rec.to_frame().equals(rec.table)
    with pytest.raises(AttributeError):
        rec.best = "x"  # type: ignore[misc]


def test_find_drivers_on_a_switch_varies_the_fleet_inside_it():
    sw = tco.Switch(api(), fleet(), month=2)
    drivers = {d.driver: d for d in find_drivers(sw, api(), usage())}
    # the switch pays 2 months of API, then 40,000 + 22 months of GPU
    gpu = (H * API_MONTH - 2 * API_MONTH - SETUP) / (22 * 730)
    assert drivers["GPU price"].flip == pytest.approx(gpu, rel=1e-6)


def test_with_task_classes_options_that_cannot_do_every_class_are_excluded():
    classes = [
        tco.TaskClass("bulk", share=0.8, need="strong"),
        tco.TaskClass("hard", share=0.2, need="frontier"),
    ]
    mini = api("mini", input_usd_per_mtok=1.5, output_usd_per_mtok=6.0)  # $4,560 a month
    rec = tco.recommend(
        usage(),
        [api(), mini, fleet()],
        task_classes=classes,
        capabilities={"api": "frontier", "mini": "strong", "fleet": "strong"},
    )
    reasons = rec.excluded.set_index("option")["reason"]
    assert reasons["mini"] == (
        "cannot serve the whole workload: capability 'strong' below hard's need 'frontier'"
    )
    assert reasons["fleet"].startswith("cannot serve the whole workload")
    # the cheapest routing uses the fleet for bulk; the best mix of APIs alone is its rival
    assert rec.routing.assignment == {"bulk": "fleet", "hard": "api"}
    assert rec.best == rec.routing.option.name
    assert rec.rival == "routed: bulk -> mini; hard -> api"
    apis_only = tco.route(classes, [api(), mini], usage(), {"api": "frontier", "mini": "strong"})
    assert rec.table.loc[rec.rival, "total_usd"] == pytest.approx(apis_only.total_usd)
    # the strategies of a fleet that cannot do every class are not generated
    assert set(rec.table["kind"]) == {"routed", "api"}


def test_the_rival_of_a_routing_keeps_fleets_to_what_only_they_may_do():
    classes = [
        tco.TaskClass("claims", share=0.5, need="basic", data_must_stay=True),
        tco.TaskClass("letters", share=0.5, need="strong"),
    ]
    caps = {"api": "frontier", "fleet": "strong"}
    big = tco.Usage.constant(2e10, months=H, output_share=0.3)
    rec = tco.recommend(big, [api(), fleet()], task_classes=classes, capabilities=caps)
    # cheapest: both classes on the fleet; the rival keeps only the claims there
    assert rec.routing.assignment == {"claims": "fleet", "letters": "fleet"}
    assert rec.best == "fleet"
    least = "routed: claims -> fleet; letters -> api"
    assert rec.rival == least
    assert rec.excluded.set_index("option").loc["api", "reason"] == (
        "cannot serve the whole workload: claims's data must stay in the environment"
    )
    half = tco.Usage.constant(1e10, months=H, output_share=0.3)
    by_hand = (
        tco.simulate([fleet()], half).total().iloc[0] + tco.simulate([api()], half).total().iloc[0]
    )
    assert rec.table.loc[least, "total_usd"] == pytest.approx(by_hand)
    assert "GPU price" in set(rec.drivers["driver"])
