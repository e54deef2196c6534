"""Money in another currency: rates from fx.csv, tables and charts converted for display,
checked against amounts worked out here; an unknown currency named with the known ones."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import tco
from tco.core.money import USD, Currency, format_money
from tco.pricing.currency import currency, in_currency

HORIZON = 12
API_MONTHLY = 750 * 2.0 + 250 * 8.0  # $3,500 a month at 1e9 tokens, a quarter output
CHEAP_MONTHLY = 750 * 1.0 + 250 * 4.0  # $1,750
SETUP = 14_000.0
FX = Path(__file__).resolve().parents[1] / "pricing_data" / "fx.csv"


def _rate(code: str) -> float:
    """USD per unit of ``code``, read from fx.csv here (not through tco)."""
    with FX.open(newline="", encoding="utf-8") as fh:
        return next(float(r["usd_per_unit"]) for r in csv.DictReader(fh) if r["currency"] == code)


@pytest.fixture
def result():
    usage = tco.Usage.constant(1e9, months=HORIZON, output_share=0.25)
    api = tco.VendorAPI("api", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0)
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0, setup_usd=SETUP)
    return tco.break_even(api, cheap, usage)


@pytest.mark.parametrize(
    ("code", "amount", "text"),
    [
        ("USD", 1_234_567, "$1.23M"),
        ("EUR", 1_234_567, "€1.23M"),
        ("GBP", -4_560, "-£4.56k"),
        ("JPY", 3.21e9, "¥3.21B"),
        ("CHF", 12_000, "CHF 12k"),
    ],
)
def test_money_is_written_with_the_currency_symbol_or_code(code, amount, text):
    assert format_money(amount, Currency(code, 1.0)) == text


def test_rates_come_from_fx_csv():
    for code in ("EUR", "GBP", "JPY"):
        cur = currency(code.lower())
        assert cur.code == code
        assert cur.usd_per_unit == pytest.approx(_rate(code))
        assert cur.as_of and "ECB" in cur.source
    assert currency(None) is USD
    assert currency("usd").usd_per_unit == 1.0
    row = tco.load_pricing().fx("gbp")
    assert currency(row).usd_per_unit == pytest.approx(_rate("GBP"))


def test_an_unknown_currency_names_the_field_the_value_and_the_known_ones():
    with pytest.raises(ValueError, match=r"currency: 'XYZ' is not a known currency; known: "):
        currency("XYZ")
    with pytest.raises(ValueError, match=r"CAD, CHF, EUR, GBP, JPY, USD"):
        currency("XYZ")
    with pytest.raises(ValueError, match=r"currency: 12 \(int\)"):
        currency(12)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="three capital letters"):
        Currency("euro", 1.1)
    with pytest.raises(ValueError, match="> 0"):
        Currency("EUR", 0.0)


def test_simulation_tables_in_a_currency(result):
    sim = result.simulation
    eur = _rate("EUR")
    table = sim.summary(currency="EUR")
    assert list(table.columns[:3]) == ["total_eur", "npv_eur", "residual_eur"]
    assert table.loc["api", "total_eur"] == pytest.approx(HORIZON * API_MONTHLY / eur)
    assert table.loc["cheap", "total_eur"] == pytest.approx((HORIZON * CHEAP_MONTHLY + SETUP) / eur)
    assert table.loc["api", "peak_gpus"] == 0  # not money: unchanged
    assert table.attrs["currency"] == "EUR" and table.attrs["usd_per_unit"] == pytest.approx(eur)
    usd = sim.summary()  # the default keeps its columns and dollars
    assert list(usd.columns[:3]) == ["total_usd", "npv_usd", "residual_usd"]
    assert usd.loc["api", "total_usd"] == HORIZON * API_MONTHLY
    gbp = _rate("GBP")
    monthly = sim.monthly(currency="GBP")
    assert list(monthly.columns) == ["api", "cheap"]  # option names are not renamed
    assert monthly["api"].tolist() == pytest.approx([API_MONTHLY / gbp] * HORIZON)
    assert monthly.attrs["currency"] == "GBP"
    assert sim.npv(currency="GBP").name == "npv_gbp"
    assert sim.cumulative(currency="GBP")["cheap"].iloc[0] == pytest.approx(
        (SETUP + CHEAP_MONTHLY) / gbp
    )
    per = sim.cost_per_mtok(currency="JPY")
    assert per["api"].iloc[0] == pytest.approx(3.5 / _rate("JPY"))  # $3.50 per MTok


def test_break_even_and_monte_carlo_tables_in_a_currency(result):
    jpy = _rate("JPY")
    frame = result.to_frame(currency="JPY")
    savings = HORIZON * (API_MONTHLY - CHEAP_MONTHLY) - SETUP  # $7,000
    assert frame["savings"].iloc[-1] == pytest.approx(savings / jpy)
    assert frame.attrs["currency"] == "JPY"
    assert "currency" not in result.to_frame().attrs
    usage = result.simulation.usage
    api, cheap = result.simulation.options
    mc = tco.monte_carlo(api, cheap, usage, {"candidate.setup_usd": stats.uniform(0, 1)}, n=8)
    table = mc.to_frame(currency="EUR")
    assert {"savings_eur", "npv_savings_eur"} <= set(table.columns)
    assert table["savings_eur"].to_numpy() == pytest.approx(mc.savings_usd / _rate("EUR"))
    assert mc.savings_percentiles(currency="EUR").name == "savings_eur"
    frame = in_currency(result.simulation.summary(), "eur")
    assert frame.attrs["fx_as_of"] == currency("EUR").as_of


def test_money_charts_in_a_currency(result):
    eur = _rate("EUR")
    ax = tco.plot.cumulative_cost(result, currency="EUR")
    assert ax.get_ylabel() == "Cumulative cost [EUR]"
    assert ax.yaxis.get_major_formatter()(1_200_000) == "€1.2M"
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "api")
    assert line.get_ydata()[-1] == pytest.approx(HORIZON * API_MONTHLY / eur)
    savings = HORIZON * (API_MONTHLY - CHEAP_MONTHLY) - SETUP
    legend = [t.get_text().replace("\\$", "$") for t in ax.get_legend().get_texts()]
    assert f"cheap saves {format_money(savings / eur, currency('EUR'))} over 12 months" in legend
    ax = tco.plot.monthly_breakdown(result, "api", currency="GBP")
    assert ax.get_ylabel() == "Cost per month [GBP]"
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(
        HORIZON * API_MONTHLY / _rate("GBP")
    )
    ax = tco.plot.cost_per_mtok(result, currency="JPY")
    assert ax.get_ylabel() == "Cost [JPY per million tokens]"
    (api_line,) = [ln for ln in ax.get_lines() if ln.get_gid() == "per-mtok:api"]
    assert np.nanmax(api_line.get_ydata()) == pytest.approx(3.5 / _rate("JPY"))
    with pytest.raises(ValueError, match="currency: 'EURO'"):
        tco.plot.cumulative_cost(result, currency="EURO")


def test_sensitivity_charts_in_a_currency(result):
    api, cheap = result.simulation.options
    usage = result.simulation.usage
    t = tco.tornado(api, cheap, usage, {"candidate.setup_usd": (0, 28_000)}, metric="savings_usd")
    ax = t.plot(currency="EUR")
    assert ax.get_xlabel() == "Savings at the horizon [EUR]"
    (low,) = [p for p in ax.patches if p.get_gid() == "low:candidate.setup_usd"]
    base = (HORIZON * (API_MONTHLY - CHEAP_MONTHLY) - SETUP) / _rate("EUR")
    assert low.get_x() == pytest.approx(base)
    grid = tco.sweep(
        api,
        cheap,
        usage,
        {"candidate.setup_usd": [0, 14_000], "usage.tokens": [1e9, 2e9]},
        metric="savings_usd",
    )
    ax = grid.plot(currency="GBP")
    assert ax.figure.axes[-1].get_ylabel() == "Savings at the horizon [GBP]"
    assert ax.figure.axes[-1].yaxis.get_major_formatter()(2_000) == "£2k"
    mc = tco.monte_carlo(api, cheap, usage, {"candidate.setup_usd": stats.uniform(0, 1)}, n=64)
    ax = tco.plot.fan(mc, currency="JPY")
    assert ax.get_ylabel() == "Cumulative savings [JPY]"
