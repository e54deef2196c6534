"""The "observed" price-trend preset: the fit against hand computations, a rising history,
and the snapshot in tco.API_PRICE_TRENDS against the bundled history."""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pricing_helpers import copy_fixture, load

import tco
from tco.core.presets import OBSERVED_AS_OF, OBSERVED_FITTED_DECLINE, from_fit, trend
from tco.pricing import bundled_pricing_dir
from tco.pricing.history import observed_preset

TODAY = date(2026, 11, 30)
DAYS_PER_YEAR = 365.25
HISTORY = (
    "provider,model,tier,effective_from,input_usd_per_mtok,output_usd_per_mtok,"
    "cache_read_usd_per_mtok,deprecation_date,source,as_of,notes\n"
)


def frame(rows: list[tuple[str, str, str, str, float, float]]) -> pd.DataFrame:
    """A price history table: (provider, model, tier, effective_from, input, output)."""
    df = pd.DataFrame(
        rows,
        columns=["provider", "model", "tier", "effective_from", "input", "output"],
    ).rename(columns={"input": "input_usd_per_mtok", "output": "output_usd_per_mtok"})
    df["effective_from"] = pd.to_datetime(df["effective_from"])
    df["source"] = "https://example.org/" + df["model"]
    return df


def years(day: str) -> float:
    return (date.fromisoformat(day) - date(2020, 1, 1)).days / DAYS_PER_YEAR


def mix(inp: float, out: float, share: float = 0.25) -> float:
    return (1 - share) * inp + share * out


# -- the fit against a hand computation -----------------------------------------------------

FALLING = [
    ("p", "a", "flagship", "2024-03-01", 10.0, 30.0),
    ("p", "b", "flagship", "2024-11-15", 6.0, 24.0),
    ("p", "c", "flagship", "2025-08-01", 3.0, 15.0),
    ("p", "d", "flagship", "2026-02-10", 2.0, 8.0),
]


def test_a_falling_history_is_used_as_fitted_checked_with_polyfit() -> None:
    t = [years(r[3]) for r in FALLING]
    y = [math.log(mix(r[4], r[5])) for r in FALLING]
    slope, _ = np.polyfit(t, y, 1)
    expected = 1 - math.exp(slope)
    preset = observed_preset(frame(FALLING), today=TODAY)
    assert expected > 0
    assert preset.annual_decline == pytest.approx(expected, rel=1e-9)
    assert preset.fitted_decline == pytest.approx(expected, rel=1e-9)
    assert not preset.rose
    assert preset.summary.endswith(f"list prices fell {expected:.0%} a year.")
    assert preset.sources == tuple(f"https://example.org/{m}" for m in "abcd")
    # a mix with more output weighs the output prices
    heavy = observed_preset(frame(FALLING), output_share=0.9, today=TODAY)
    y_out = [math.log(mix(r[4], r[5], 0.9)) for r in FALLING]
    assert heavy.annual_decline == pytest.approx(1 - math.exp(np.polyfit(t, y_out, 1)[0]))


RISING = [  # two tiers, each launching dearer models: levels differ, slope shared
    ("v", "big-1", "flagship", "2025-01-10", 2.0, 8.0),
    ("v", "big-2", "flagship", "2025-09-01", 3.0, 15.0),
    ("v", "big-3", "flagship", "2026-05-20", 5.0, 25.0),
    ("v", "small-1", "small", "2025-02-01", 0.1, 0.4),
    ("v", "small-2", "small", "2026-03-01", 0.3, 1.2),
    ("v", "small-3", "small", "2027-01-01", 9.0, 9.0),  # announced: after today, left out
]


def within_tier_slope(rows: list[tuple[str, str, str, str, float, float]]) -> float:
    """Least-squares slope with one level per tier: demean t and log price within each tier
    (the fixed-effects formula), then sum(dt * dy) / sum(dt ** 2)."""
    num = den = 0.0
    for tier in {r[2] for r in rows}:
        t = np.array([years(r[3]) for r in rows if r[2] == tier])
        y = np.array([math.log(mix(r[4], r[5])) for r in rows if r[2] == tier])
        num += float(((t - t.mean()) * (y - y.mean())).sum())
        den += float(((t - t.mean()) ** 2).sum())
    return num / den


def test_a_rising_history_is_reported_and_not_extrapolated() -> None:
    kept = [r for r in RISING if date.fromisoformat(r[3]) <= TODAY]
    fitted = 1 - math.exp(within_tier_slope(kept))
    assert fitted < 0  # a rise
    preset = observed_preset(frame(RISING), today=TODAY)
    assert preset.fitted_decline == pytest.approx(fitted, rel=1e-9)
    assert preset.annual_decline == 0.0
    assert preset.rose and preset.after_one_year == 1.0
    assert f"list prices rose {-fitted:.0%} a year" in preset.summary
    assert "not extrapolated" in preset.summary and "5 list prices" in preset.summary
    # one tier alone: a straight line through its points (numpy.polyfit)
    big = [r for r in kept if r[2] == "flagship"]
    slope, _ = np.polyfit([years(r[3]) for r in big], [math.log(mix(r[4], r[5])) for r in big], 1)
    one_tier = observed_preset(frame(RISING), "v", "flagship", today=TODAY)
    assert one_tier.name == "observed (v/flagship)"
    assert one_tier.fitted_decline == pytest.approx(1 - math.exp(slope), rel=1e-9)
    assert one_tier.annual_decline == 0.0
    with pytest.raises(ValueError, match="too few price-history points"):
        observed_preset(frame(RISING), "v", "small", today=TODAY)  # 2 points < 3


def test_the_preset_of_a_rising_file_and_the_strict_trend(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    lines = [
        f"{p},{m},{tier},{day},{i},{o},,2026-11-01,https://example.org/{m},2026-11-01,"
        for p, m, tier, day, i, o in RISING[:5]
    ]
    (folder / "api_price_history.csv").write_text(HISTORY + "\n".join(lines) + "\n")
    prices = load(folder, today=TODAY)
    fitted = 1 - math.exp(within_tier_slope(RISING[:5]))
    preset = prices.observed_preset("v")
    assert (preset.annual_decline, preset.fitted_decline) == (0.0, pytest.approx(fitted))
    with pytest.raises(ValueError, match=rf"rose {-fitted:.1%} a year"):
        prices.observed_trend("v")
    # a fleet-vs-API comparison with the preset keeps the API at its list price
    api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    trended = tco.with_trends(api, api=preset.annual_decline)
    usage = tco.Usage.constant(1e9, months=13, output_share=0.25)
    monthly = tco.simulate([trended], usage).monthly()["api"]
    np.testing.assert_allclose(monthly, 1e9 / 1e6 * 1.0)


def test_from_fit_rules() -> None:
    assert from_fit("x", 0.25, "h", ("s",)).annual_decline == 0.25
    assert from_fit("x", -3.0, "h", ()).annual_decline == 0.0
    assert from_fit("x", 0.0, "h", ()).rose is False
    for bad in (1.0, 2.0, float("nan")):
        with pytest.raises(ValueError, match="fitted_decline"):
            from_fit("x", bad, "h", ())


# -- the snapshot in API_PRICE_TRENDS -------------------------------------------------------


def bundled_points(today: date) -> list[tuple[str, float, float]]:
    """(provider/tier, years, log mix price) of each bundled history row in effect on
    ``today``, read with the csv module."""
    path = bundled_pricing_dir() / "api_price_history.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    points = []
    for r in rows:
        price = mix(float(r["input_usd_per_mtok"]), float(r["output_usd_per_mtok"]))
        if date.fromisoformat(r["effective_from"]) <= today and price > 0:
            group = f"{r['provider']}/{r['tier']}"
            points.append((group, years(r["effective_from"]), math.log(price)))
    return points


def test_the_snapshot_is_the_fit_of_the_bundled_history_on_its_date() -> None:
    points = bundled_points(OBSERVED_AS_OF)
    num = den = 0.0
    for group in {g for g, _, _ in points}:
        t = np.array([x for g, x, _ in points if g == group])
        y = np.array([v for g, _, v in points if g == group])
        num += float(((t - t.mean()) * (y - y.mean())).sum())
        den += float(((t - t.mean()) ** 2).sum())
    by_hand = 1 - math.exp(num / den)
    assert len(points) == 46
    assert abs(OBSERVED_FITTED_DECLINE - by_hand) < 5e-5
    live = tco.load_pricing(today=OBSERVED_AS_OF).observed_preset()
    assert live.fitted_decline == pytest.approx(by_hand, rel=1e-9)
    snapshot = tco.API_PRICE_TRENDS["observed"]
    assert (snapshot.annual_decline, live.annual_decline) == (0.0, 0.0)
    assert snapshot.fitted_decline == OBSERVED_FITTED_DECLINE and snapshot.rose
    assert (
        f"rose {-by_hand:.0%} a year" in snapshot.summary and "46 list prices" in snapshot.summary
    )
    assert trend("observed") == 0.0


def test_the_observed_preset_sits_beside_the_cited_ones() -> None:
    assert list(tco.API_PRICE_TRENDS)[-1] == "observed"
    api = tco.VendorAPI("api", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
    fleet = tco.SelfHosted(
        "fleet", prefill_tokens_per_s=20_000, decode_tokens_per_s=2_000,
        procurement=tco.Rent(2.0), setup_usd=40_000,
    )  # fmt: skip
    usage = tco.Usage.constant(2e9, months=24, output_share=0.3)
    table = tco.price_trend_effect(api, fleet, usage)
    assert table.loc["observed", "annual_decline"] == 0.0
    assert table.loc["observed", "break_even_month"] == table.loc["flat", "break_even_month"]
