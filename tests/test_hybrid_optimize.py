"""best_switch_month, best_switch_volume and best_overflow against brute force by hand."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

import tco

matplotlib.use("Agg")

TOK_S = 1000.0  # prefill and decode throughput of a replica [tokens/s]
U = 730 * 3600.0 * TOK_S  # tokens per month that keep one replica busy on average
BUSY = np.array([0.5, 1.0, 2.0, 3.0, 4.5, 6.0, 8.0, 10.0])  # growing load [replicas]
PRICE = 2.0  # USD per MTok, input and output alike
GPU_MONTH = 2.0 * 730  # one rented GPU for a month at $2/GPU-hour
SETUP = 30_000.0
STAFF = 4_000.0  # USD per month


def usage():
    return tco.Usage.from_series(BUSY * U, output_share=0.5)


def api_at(price, **kw):
    return tco.VendorAPI("api", input_usd_per_mtok=price, output_usd_per_mtok=price, **kw)


def parts():
    api = api_at(PRICE)
    fleet = tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=TOK_S,
        decode_tokens_per_s=TOK_S,
        procurement=tco.Rent(usd_per_gpu_hour=2.0),
        target_utilization=0.5,
        staff_fte=0.4,
        staff_usd_per_year=120_000,
        setup_usd=SETUP,
    )
    return api, fleet


def by_hand():
    """Per-month costs of each option alone, and the total for every switch month."""
    api_month = BUSY * U * PRICE / 1e6
    replicas = np.array([max(1, math.ceil(b / 0.5)) for b in BUSY])
    fleet_month = replicas * GPU_MONTH + STAFF
    h = len(BUSY)
    totals = []
    for s in range(h + 1):
        total = api_month[:s].sum()
        if s < h:
            total += SETUP + fleet_month[s:].sum()
        totals.append(total)
    return api_month, fleet_month, np.array(totals)


def npv_by_hand(rate):
    api_month, fleet_month, _ = by_hand()
    i = (1 + rate) ** (1 / 12) - 1
    h = len(BUSY)
    end = (1 + i) ** -np.arange(1, h + 1)
    start = (1 + i) ** -np.arange(0, h)
    out = []
    for s in range(h + 1):
        pv = (api_month[:s] * end[:s]).sum()
        if s < h:
            pv += SETUP * start[s] + (fleet_month[s:] * end[s:]).sum()
        out.append(pv)
    return np.array(out)


def test_best_switch_month_matches_brute_force():
    api, fleet = parts()
    _, _, totals = by_hand()
    best = tco.best_switch_month(api, fleet, usage())
    assert best.table["total_usd"].to_numpy() == pytest.approx(totals)
    assert best.month == int(np.argmin(totals))
    assert best.total_usd == pytest.approx(totals.min())
    assert best.objective == "total_usd"
    near = [s for s, t in enumerate(totals) if t <= totals.min() * 1.01]
    assert list(best.near_best) == near
    assert best.flat_range == (min(near), max(near))
    assert best.never_usd == pytest.approx(totals[-1])
    assert best.immediate_usd == pytest.approx(totals[0])
    # the strategy it returns costs the same
    sim = tco.simulate([best.strategy], usage())
    assert sim.total()[best.strategy.name] == pytest.approx(totals.min())


def test_best_switch_month_with_a_discount_rate_minimises_npv():
    api, fleet = parts()
    pv = npv_by_hand(0.25)
    best = tco.best_switch_month(api, fleet, usage(), discount_rate=0.25)
    assert best.objective == "npv_usd"
    assert best.table["npv_usd"].to_numpy() == pytest.approx(pv)
    assert best.month == int(np.argmin(pv))
    assert best.npv_usd == pytest.approx(pv.min())


def test_best_switch_month_phase_costs_add_up():
    api, fleet = parts()
    api_month, fleet_month, _ = by_hand()
    table = tco.best_switch_month(api, fleet, usage()).table
    assert table.loc[3, "first_usd"] == pytest.approx(api_month[:3].sum())
    assert table.loc[3, "then_usd"] == pytest.approx(SETUP + fleet_month[3:].sum())


def test_a_steady_api_price_decline_delays_the_switch():
    api, fleet = parts()
    flat = tco.best_switch_month(api, fleet, usage())
    falling = api_at(PRICE, annual_price_decline=0.9)
    later = tco.best_switch_month(falling, fleet, usage())
    assert later.month > flat.month


def test_never_and_immediate_endpoints():
    _api, fleet = parts()
    free_api = api_at(0.0)
    never = tco.best_switch_month(free_api, fleet, usage())
    assert never.month == len(BUSY)
    assert "Never move" in never.headline()
    dear_api = api_at(1e4)
    now = tco.best_switch_month(dear_api, fleet, usage())
    assert now.month == 0
    assert "from the start" in now.headline()


def test_best_switch_volume_matches_brute_force_over_thresholds():
    api, fleet = parts()
    _, _, totals = by_hand()
    volumes = BUSY * U
    thresholds = np.concatenate([[0.0], volumes, volumes * 1.001, [volumes.max() * 2]])
    brute = []
    for t in thresholds:
        reached = [m for m, v in enumerate(volumes) if v >= t]
        s = reached[0] if reached else len(BUSY)
        brute.append(totals[s])
    best = tco.best_switch_volume(api, fleet, usage())
    assert best.total_usd == pytest.approx(min(brute))
    assert best.month == int(np.argmin(totals))
    assert best.threshold_tokens_per_month == pytest.approx(volumes[best.month])
    lo, hi = best.threshold_range
    assert lo == pytest.approx(volumes[best.month - 1]) and hi == pytest.approx(volumes[best.month])
    assert best.strategy.switch_month(usage()) == best.month
    assert "reaches" in repr(best)


def test_best_switch_volume_on_a_non_monotone_usage():
    # volumes 3, 1, 2, 5: thresholds can only lead to s = 0 (<= 3) or s = 3 (3 < T <= 5)
    u = tco.Usage.from_series(np.array([3.0, 1.0, 2.0, 5.0]) * U, output_share=0.5)
    api, fleet = parts()
    best = tco.best_switch_volume(api, fleet, u)
    assert best.table["switch_month"].tolist() == [0, 3, 4]


def test_best_overflow_picks_the_cheapest_sizing():
    u = tco.Usage.from_series(BUSY * U, output_share=0.5, peak_to_average=3.0)
    api, fleet = parts()
    choice = tco.best_overflow(fleet, api, u, points=9)
    assert choice.total_usd == pytest.approx(choice.table["total_usd"].min())
    sim = tco.simulate([choice.strategy], u)
    assert sim.total()[choice.strategy.name] == pytest.approx(choice.total_usd)
    # a very cheap API takes everything it can: sized for the average (q = 1)
    cheap = api_at(0.01)
    assert tco.best_overflow(fleet, cheap, u, points=9).sizing_peak_to_average == 1.0
    # a very dear API: the fleet is sized for the full peak, nothing overflows
    dear = api_at(1e3)
    assert tco.best_overflow(fleet, dear, u, points=9).api_share == 0.0


def test_results_are_readable_and_frozen():
    api, fleet = parts()
    best = tco.best_switch_month(api, fleet, usage())
    text = repr(best)
    assert "SwitchMonth('api' -> 'fleet')" in text and f"month: {best.month}" in text
    assert "<table" in best._repr_html_()
    assert best.to_frame().index.name == "switch_month"
    with pytest.raises(AttributeError):
        best.month = 1  # type: ignore[misc]
    ax = best.plot()
    assert ax.get_xlabel().startswith("switch month")
    import matplotlib.pyplot as plt

    plt.close("all")


def test_bad_arguments_name_the_field():
    api, fleet = parts()
    with pytest.raises(ValueError, match="tolerance"):
        tco.best_switch_month(api, fleet, usage(), tolerance=2.0)
    with pytest.raises(ValueError, match="discount_rate"):
        tco.best_switch_month(api, fleet, usage(), discount_rate=-2.0)
    with pytest.raises(TypeError, match="usage"):
        tco.best_switch_month(api, fleet, BUSY)
