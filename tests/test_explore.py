"""The what-if (tco.explore): sliders found from the declared parameters, answers checked by
hand, the widget's callbacks driven as a user would, and the message without ipywidgets."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

import tco
from tco.analysis.paths import ParameterSpace
from tco.core.money import Currency
from tco.whatif.drivers import find_drivers, settings_values
from tco.whatif.engine import WhatIf

HORIZON = 24
# API: 0.75 * 1e3 MTok * $2 + 0.25 * 1e3 MTok * $8 = $3,500 a month
API_MONTHLY = 750 * 2.0 + 250 * 8.0
# the fleet: 1 replica of 1 GPU at $2 x 730 h = $1,460 a month, $20,000 setup
FLEET_MONTHLY = 2.0 * 730
SETUP = 20_000.0


@pytest.fixture
def usage():
    return tco.Usage.constant(1e9, months=HORIZON, output_share=0.25)


@pytest.fixture
def api():
    return tco.VendorAPI("api", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0)


@pytest.fixture
def fleet():
    # 1e9 tokens: 0.75e9 / 20,000 + 0.25e9 / 2,000 = 162,500 replica-s a month: 1 replica
    return tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Rent(usd_per_gpu_hour=2.0),
        setup_usd=SETUP,
        staff_fte=0.0,
    )


# --------------------------------------------------------------------------- drivers
def test_drivers_come_from_the_declared_parameters(api, fleet, usage):
    drivers = find_drivers(ParameterSpace(api, fleet, usage))
    assert set(drivers) == {
        "volume",
        "api_price",
        "api_decline",
        "gpu_price",
        "throughput",
        "utilisation",
        "staff",
    }  # no growth slider: a constant usage has no growth parameter
    assert drivers["volume"].paths == ["usage.tokens"]
    assert drivers["gpu_price"].paths == ["candidate.procurement.usd_per_gpu_hour"]
    assert drivers["throughput"].paths == [
        "candidate.prefill_tokens_per_s",
        "candidate.decode_tokens_per_s",
    ]
    assert drivers["staff"].paths == ["candidate.staff_fte"]  # the side that runs GPUs
    assert drivers["utilisation"].start == 0.7  # the model's own value
    assert drivers["gpu_price"].start == 1.0  # a multiplier


def test_a_strategy_gets_sliders_through_its_parts(api, fleet, usage):
    switch = tco.Switch(api, fleet, month=6)
    drivers = find_drivers(ParameterSpace(api, switch, usage))
    assert "candidate.then.procurement.usd_per_gpu_hour" in drivers["gpu_price"].paths
    assert "candidate.first.input_usd_per_mtok" in drivers["api_price"].paths


def test_settings_at_their_start_leave_the_models_as_given(api, fleet, usage):
    drivers = find_drivers(ParameterSpace(api, fleet, usage))
    assert settings_values(drivers, {"gpu_price": 1.0, "staff": 0.0}) == {}
    values = settings_values(drivers, {"gpu_price": 1.5})
    assert values["candidate.procurement.usd_per_gpu_hour"].tolist() == [3.0]
    with pytest.raises(KeyError, match="growth"):
        settings_values(drivers, {"growth": 0.1})
    with pytest.raises(ValueError, match="within"):
        settings_values(drivers, {"gpu_price": 100.0})


# --------------------------------------------------------------------------- arithmetic
def test_answers_match_the_payback_formula(api, fleet, usage):
    what = WhatIf(tco.Question(api, fleet, usage))
    start = what.answer({})
    assert start.months == pytest.approx(SETUP / (API_MONTHLY - FLEET_MONTHLY))
    assert start.savings_usd == pytest.approx(HORIZON * (API_MONTHLY - FLEET_MONTHLY) - SETUP)
    # GPU price x 1.5: $2,190 a month
    moved = what.answer({"gpu_price": 1.5})
    assert moved.months == pytest.approx(SETUP / (API_MONTHLY - 1.5 * FLEET_MONTHLY))
    # half an engineer at $200,000 a year: +$8,333 a month, never cheaper
    assert what.answer({"staff": 0.5}).months is None
    # API prices doubled: $7,000 a month
    assert what.answer({"api_price": 2.0}).months == pytest.approx(
        SETUP / (2 * API_MONTHLY - FLEET_MONTHLY)
    )
    # the drawn path ends at the total cost: setup plus 24 months
    t, usd = moved.paths["fleet"]
    assert t[-1] == HORIZON
    assert usd[-1] == pytest.approx(SETUP + HORIZON * 1.5 * FLEET_MONTHLY)


def test_the_engine_agrees_with_break_even_on_the_demo():
    scenario = tco.Scenario.from_toml("tco/examples/demo.toml")
    what = WhatIf(scenario.question)
    direct = scenario.break_even()
    answer = what.answer({})
    assert answer.months == direct.months
    assert answer.savings_usd == pytest.approx(direct.savings_usd)
    # volume x 3 through the declared path equals a break-even of the demo's usage built
    # again with three times its start (tco/examples/demo.toml)
    scaled = tco.Usage.compound(
        start=3 * 2e9,
        monthly_growth=0.10,
        months=36,
        calendar_start="2026-12-01",
        output_share=0.25,
        cached_input_share=0.3,
        peak_to_average=2.5,
    )
    q = scenario.question
    expected = tco.break_even(q.baseline, q.candidate, scaled, discount_rate=q.discount_rate)
    assert what.answer({"volume": 3.0}).savings_usd == pytest.approx(expected.savings_usd)


# --------------------------------------------------------------------------- the widget
def test_the_widget_answers_each_slider_move(api, fleet, usage):
    pytest.importorskip("ipywidgets")
    explorer = tco.explore(api, fleet, usage)
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    t0 = SETUP / (API_MONTHLY - FLEET_MONTHLY)  # 9.8 months
    assert explorer.answer.months == pytest.approx(t0)
    assert "breaks even against api in month 10 (after 9.8 months)" in explorer.text.value
    first_png = bytes(explorer.image.value)
    explorer.sliders["gpu_price"].value = 2.0  # as a user drags it: the callback runs
    # $2,920 a month: 20,000 / 580 = 34.5 months, beyond the 24-month horizon
    assert explorer.answer.months is None
    assert "does not break even against api within 24 months" in explorer.text.value
    assert bytes(explorer.image.value) != first_png
    explorer.set(gpu_price=1.0, volume=2.0)  # 325,000 replica-s a month: still one replica
    assert explorer.answer.months == pytest.approx(SETUP / (2 * API_MONTHLY - FLEET_MONTHLY))
    explorer.reset()
    assert explorer.answer.months == pytest.approx(t0)
    assert explorer.settings()["gpu_price"] == 1.0
    with pytest.raises(KeyError, match="gpu_price"):
        explorer.set(no_such_slider=1.0)


def test_the_widget_shows_money_in_the_currency_asked_for(api, fleet, usage):
    pytest.importorskip("ipywidgets")
    euro = Currency("EUR", 1.25, "test rate", "2026-10-30")
    explorer = tco.explore(tco.Question(api, fleet, usage), currency=euro)
    savings = HORIZON * (API_MONTHLY - FLEET_MONTHLY) - SETUP  # $28,960 = €23,168
    assert f"saves €{savings / 1.25 / 1000:.1f}k over 24 months" in explorer.text.value
    assert explorer._chart.ax.get_ylabel() == "Cumulative cost [EUR]"
    line = explorer._chart.lines[1]
    assert np.max(line.get_ydata()) == pytest.approx((SETUP + HORIZON * FLEET_MONTHLY) / 1.25)


def test_without_ipywidgets_the_message_says_what_to_install(api, fleet, usage, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets now fails
    with pytest.raises(ImportError, match=r"pip install 'tco\[notebook\]'"):
        tco.explore(api, fleet, usage)


def test_a_dropdown_switches_between_candidates(api, fleet, usage):
    pytest.importorskip("ipywidgets")
    dearer = fleet.model_copy(update={"name": "dearer fleet", "setup_usd": 2 * SETUP})
    explorer = tco.explore(api, fleet, usage, variants={"twice the setup": dearer})
    assert list(explorer.variants) == ["fleet", "twice the setup"]
    explorer.choice.value = "twice the setup"  # as a user picks it: the callback runs
    assert explorer.answer.months == pytest.approx(2 * SETUP / (API_MONTHLY - FLEET_MONTHLY))
    assert "dearer fleet breaks even against api" in explorer.text.value
    explorer.set(gpu_price=0.5)  # the sliders act on the candidate chosen: $730 a month
    expected = 2 * SETUP / (API_MONTHLY - 0.5 * FLEET_MONTHLY)  # 14.4 months
    assert explorer.answer.months == pytest.approx(expected)
    assert explorer.choose("fleet").months == pytest.approx(
        SETUP / (API_MONTHLY - 0.5 * FLEET_MONTHLY)
    )
    with pytest.raises(KeyError, match="twice the setup"):
        explorer.choose("nope")


def test_the_drawn_chart_is_the_figure_drawn_whole(api, fleet, usage):
    # the chart is put together from layers (drawn once, per money-axis range, per move):
    # after moves to new ranges and back, it is the image of the whole figure drawn anew
    pytest.importorskip("ipywidgets")
    from PIL import Image

    explorer = tco.explore(api, fleet, usage)
    for volume in (4.0, 0.5, 4.0, 1.5):
        explorer.set(volume=volume)
    chart = explorer._chart
    drawn = np.asarray(Image.open(io.BytesIO(bytes(explorer.image.value))).convert("RGB"))
    for artist in (chart.ax.yaxis, *chart.moving):
        artist.set_animated(False)
    chart.canvas.draw()
    whole = np.asarray(chart.canvas.buffer_rgba())[..., :3]
    assert drawn.shape == whole.shape
    # pixels apart by more than 30 levels: only where a line crosses a spine (a moving line
    # is drawn over it); a missing or left-over tick label would be thousands of them
    apart = np.abs(drawn.astype(int) - whole.astype(int)).max(axis=2) > 30
    assert apart.mean() < 0.001, int(apart.sum())
