"""Charts read as a manager reads them: the savings arrow names the cheapest option shown,
side-by-side panels share one scale with nothing cut, the cost-per-token chart marks the
break-even month and says why the curves cross earlier. Expected values worked out here."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tco
from tco.plot import format_usd

HORIZON = 24
API_MONTHLY = 750 * 2.0 + 250 * 8.0  # $3,500 a month at 1e9 tokens, a quarter output
FLEET_MONTHLY = 2.0 * 730  # one GPU at $2 an hour
SETUP = 20_000.0


def _legend(ax) -> list[str]:
    """Legend entries as read: escapes dropped, wrapped lines joined."""
    return [" ".join(t.get_text().replace("\\$", "$").split()) for t in ax.get_legend().get_texts()]


def _gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


@pytest.fixture
def usage():
    return tco.Usage.constant(1e9, months=HORIZON, output_share=0.25)


@pytest.fixture
def api():
    return tco.VendorAPI("api", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0)


def _fleet(name: str, usd_per_gpu_hour: float, setup: float = SETUP) -> tco.SelfHosted:
    return tco.SelfHosted(
        name,
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Rent(usd_per_gpu_hour=usd_per_gpu_hour),
        setup_usd=setup,
    )


def test_savings_arrow_refers_to_the_cheapest_option_shown(usage, api):
    dear = _fleet("dear", 3.0)  # $2,190 a month + $20,000
    cheap = _fleet("cheap", 1.0)  # $730 a month + $20,000: the cheapest over 24 months
    sim = tco.simulate([api, dear, cheap], usage)
    ax = tco.plot.cumulative_cost(sim, baseline="api", candidate="dear")
    api_total = HORIZON * API_MONTHLY  # $84,000
    cheap_total = SETUP + HORIZON * 730.0  # $37,520
    (arrow,) = _gid(ax, "savings")
    assert arrow.xy == pytest.approx((HORIZON, cheap_total))  # from the cheapest ...
    assert arrow.xyann == pytest.approx((HORIZON, api_total))  # ... to the baseline
    text = f"cheap, the cheapest shown, saves {format_usd(api_total - cheap_total)} against api"
    assert f"{text} over 24 months" in _legend(ax)
    # the break-even marked is still the chosen pair's: 20,000 / (3,500 - 2,190)
    (marker,) = _gid(ax, "break-even")
    assert marker.get_xdata()[0] == pytest.approx(SETUP / (API_MONTHLY - 3.0 * 730))


def test_when_the_baseline_is_cheapest_the_arrow_names_it(usage):
    api = tco.VendorAPI("api", input_usd_per_mtok=0.2, output_usd_per_mtok=0.8)  # $350 a month
    sim = tco.simulate([api, _fleet("dear", 3.0), _fleet("cheap", 1.0)], usage)
    ax = tco.plot.cumulative_cost(sim, baseline="api", candidate="dear")
    cheap_total, api_total = SETUP + HORIZON * 730.0, HORIZON * 350.0
    (arrow,) = _gid(ax, "savings")
    assert arrow.xy == pytest.approx((HORIZON, api_total))
    assert arrow.xyann == pytest.approx((HORIZON, cheap_total))  # the next cheapest
    text = f"api, the cheapest shown, saves {format_usd(cheap_total - api_total)} against cheap"
    assert f"{text} over 24 months" in _legend(ax)


def test_panels_share_one_scale_and_cut_nothing(usage, api):
    rent = _fleet("rent", 2.0)
    buy = tco.SelfHosted(
        "buy",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Buy(usd_per_gpu=30_000, kw_per_gpu=0.0),
        setup_usd=SETUP,
    )
    sim = tco.simulate([api, rent, buy], usage)
    left, right = tco.plot.monthly_breakdowns(sim, ["rent", "buy"])
    assert left.get_ylim() == right.get_ylim()
    tallest = SETUP + 30_000.0  # month 1 of "buy": setup and the GPU bought
    assert left.get_ylim()[1] == pytest.approx(tallest * 1.08)
    bars = [p.get_y() + p.get_height() for p in right.patches]
    assert max(bars) == pytest.approx(tallest)  # drawn at its full height
    assert not _gid(left, "clipped") and not _gid(right, "clipped")
    assert left.get_ylabel() == "Cost per month [USD]" and right.get_ylabel() == ""
    with pytest.raises(ValueError, match="one per option"):
        tco.plot.monthly_breakdowns(sim, ["rent", "buy"], axes=[left])


def test_cost_per_mtok_marks_break_even_and_says_why_curves_cross_earlier(api):
    # month m carries m x 1e8 tokens: the API costs $350 m, the fleet $1,460 + $20,000 setup
    usage = tco.Usage.linear(1e8, 2.4e9, months=HORIZON, output_share=0.25)
    fleet = _fleet("fleet", 2.0)
    result = tco.break_even(api, fleet, usage)
    # per MTok: the API $3.50, the fleet 1,460 / (m x 100): cheaper from m = 5 (m >= 4.17)
    cross = math.ceil(FLEET_MONTHLY / (3.5 * 100))
    # 175 m^2 - 1,285 m - 20,000 = 0 at m = 14.97: break-even in month 15
    m_star = (1285 + math.sqrt(1285**2 + 4 * 175 * SETUP)) / 350
    assert result.month == math.ceil(m_star) == 15
    ax = tco.plot.cost_per_mtok(result)
    (line,) = _gid(ax, "break-even")
    assert list(line.get_xdata()) == [15, 15]
    (dot,) = _gid(ax, "crossing")
    assert dot.get_xdata()[0] == cross == 5
    assert dot.get_ydata()[0] == pytest.approx(FLEET_MONTHLY / 500)
    (caption,) = _gid(ax, "caption")
    words = " ".join(caption.get_text().replace("\\$", "$").split())
    assert "The monthly costs cross in month 5, the break-even comes in month 15" in words
    assert "one-time costs ($20k)" in words
    assert "Break-even in month 15 (cumulative cost)" in _legend(ax)


def test_cost_per_mtok_of_a_simulation_needs_the_pair_named(usage, api):
    sim = tco.simulate([api, _fleet("fleet", 2.0)], usage)
    ax = tco.plot.cost_per_mtok(sim)
    assert not _gid(ax, "break-even") and not _gid(ax, "caption")
    ax = tco.plot.cost_per_mtok(sim, baseline="api", candidate="fleet")
    (line,) = _gid(ax, "break-even")
    assert line.get_xdata()[0] == math.ceil(SETUP / (API_MONTHLY - FLEET_MONTHLY))  # month 10
    (caption,) = _gid(ax, "caption")
    assert "costs less per month from the start" in caption.get_text()
    with pytest.raises(ValueError, match="give both"):
        tco.plot.cost_per_mtok(sim, baseline="api")


def test_switch_month_chart_reads_in_money(usage, api):
    best = tco.best_switch_month(api, _fleet("fleet", 2.0), usage, discount_rate=0.08)
    ax = best.plot()
    assert ax.get_ylabel() == "Cost over 24 months, present value [USD]"
    assert ax.yaxis.get_major_formatter()(1.2e6) == "$1.2M"
    assert not ax.yaxis.get_offset_text().get_text()
    assert np.all(np.isfinite(ax.get_lines()[0].get_ydata()))


def test_price_trends_chart_reads_the_table(usage, api):
    fleet = _fleet("fleet", 2.0)
    table = tco.price_trend_effect(api, fleet, usage, declines=[0.0, 0.9])
    ax = tco.plot.price_trends(table)
    flat = next(p for p in ax.patches if p.get_gid() == "trend:0%")
    assert flat.get_width() == math.ceil(SETUP / (API_MONTHLY - FLEET_MONTHLY))  # month 10
    steep = next(p for p in ax.patches if p.get_gid() == "trend:90%")
    assert steep.get_width() == HORIZON and steep.get_hatch() == "//"  # never: to the horizon
    texts = [" ".join(t.get_text().replace("\\$", "$").split()) for t in ax.texts]
    assert any(t.startswith("never (90% a year; staying on the API is best)") for t in texts)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0%", "90%"]
