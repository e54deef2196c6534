"""Vendor API tiers, long context, cache writes, regional uplift, reasoning tokens and the
model lifecycle, each against costs worked out by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tco

MTOK = 1e6


def usage(**shape: object) -> tco.Usage:
    # 1e9 tokens a month: 0.75e9 input, 0.25e9 output
    return tco.Usage.constant(1e9, months=3, output_share=0.25, **shape)  # type: ignore[arg-type]


def api(**fields: object) -> tco.VendorAPI:
    return tco.VendorAPI(
        "api",
        input_usd_per_mtok=2.0,
        output_usd_per_mtok=8.0,
        **fields,  # type: ignore[arg-type]
    )


def monthly(option: tco.VendorAPI, u: tco.Usage) -> list[float]:
    return tco.simulate([option], u).monthly()[option.name].tolist()


def test_flex_and_priority_tiers_pay_their_own_prices() -> None:
    option = api(
        flex_share=0.2,
        flex_input_usd_per_mtok=1.0,
        flex_output_usd_per_mtok=4.0,
        priority_share=0.1,
        priority_input_usd_per_mtok=3.5,
        priority_output_usd_per_mtok=14.0,
    )
    # input: 750 MTok x (0.7 x 2 + 0.2 x 1 + 0.1 x 3.5); output: 250 MTok x (0.7 x 8 + 0.2 x 4
    # + 0.1 x 14)
    expected = 750 * (1.4 + 0.2 + 0.35) + 250 * (5.6 + 0.8 + 1.4)
    assert monthly(option, usage()) == pytest.approx([expected] * 3, rel=1e-12)


def test_a_tier_without_prices_pays_list_prices_and_shares_cannot_exceed_one() -> None:
    assert monthly(api(flex_share=0.5), usage()) == pytest.approx(monthly(api(), usage()))
    with pytest.raises(ValueError, match=r"batch_share \+ flex_share \+ priority_share: 1.2"):
        api(batch_share=0.6, flex_share=0.6)


def test_flex_cached_input_at_the_tiers_input_ratio() -> None:
    option = api(
        cache_read_usd_per_mtok=0.5,
        flex_share=1.0,
        flex_input_usd_per_mtok=1.0,
        flex_output_usd_per_mtok=4.0,
    )
    u = usage(cached_input_share=0.4)  # 300 MTok cached, 450 uncached
    # flex halves input, so cached input pays 0.5 x 1/2
    expected = 450 * 1.0 + 300 * 0.25 + 250 * 4.0
    assert monthly(option, u) == pytest.approx([expected] * 3, rel=1e-12)


def test_long_context_prices_apply_to_the_share_above_the_threshold() -> None:
    option = api(
        long_context_threshold_tokens=200_000,
        long_context_input_usd_per_mtok=4.0,
        long_context_output_usd_per_mtok=12.0,
    )
    mix = ((8_000, 0.8), (250_000, 0.2))
    u = usage(request_length_mix=mix)
    expected = 750 * (0.8 * 2 + 0.2 * 4) + 250 * (0.8 * 8 + 0.2 * 12)
    assert monthly(option, u) == pytest.approx([expected] * 3, rel=1e-12)
    below = usage(request_length_mix=((8_000, 0.5), (150_000, 0.5)))
    assert monthly(option, below) == pytest.approx(monthly(api(), below), rel=1e-12)
    with pytest.raises(ValueError, match=r"add up to 0\.9"):
        usage(request_length_mix=((8_000, 0.5), (150_000, 0.4)))


def test_cache_writes_pay_the_write_price_of_the_chosen_lifetime() -> None:
    option = api(cache_write_usd_per_mtok=2.5, cache_write_1h_usd_per_mtok=4.0)
    u = usage(cache_write_share=0.2)  # 150 MTok written, 600 MTok plain input
    five = 600 * 2.0 + 150 * 2.5 + 250 * 8.0
    assert monthly(option, u) == pytest.approx([five] * 3, rel=1e-12)
    hour = option.model_copy(update={"cache_write_ttl": "1h"})
    assert monthly(hour, u) == pytest.approx([600 * 2.0 + 150 * 4.0 + 2_000.0] * 3, rel=1e-12)
    # no write price: writes cost what input costs
    assert monthly(api(), u) == pytest.approx(monthly(api(), usage()), rel=1e-12)
    costs = tco.simulate([option], u).by_component("api")
    assert costs["api_cache_write"].tolist() == pytest.approx([375.0] * 3)


def test_regional_endpoint_adds_its_uplift() -> None:
    plain = monthly(api(residency_uplift=0.1), usage())
    regional = monthly(api(residency_uplift=0.1, regional=True), usage())
    assert plain == pytest.approx([750 * 2 + 250 * 8] * 3)
    assert regional == pytest.approx([1.1 * (750 * 2 + 250 * 8)] * 3, rel=1e-12)


def test_reasoning_tokens_are_billed_as_output_and_decoded_by_a_fleet() -> None:
    u = usage(reasoning_per_output=2.0)  # 250 MTok visible output + 500 MTok reasoning
    assert monthly(api(), u) == pytest.approx([750 * 2 + 750 * 8] * 3, rel=1e-12)
    assert u.arrays().output.tolist() == pytest.approx([7.5e8] * 3)


# --------------------------------------------------------------------------- lifecycle
START = date(2026, 12, 1)


def successor() -> tco.VendorAPI:
    return tco.VendorAPI("next", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0)


def retiring(**fields: object) -> tco.VendorAPI:
    return api(
        deprecation_date=date(2027, 1, 14),
        successor=successor(),
        migration_usd=5_000.0,
        staff_fte=0.12,
        **fields,
    )


def test_a_model_retiring_in_the_horizon_moves_to_its_successor() -> None:
    u = tco.Usage.constant(1e9, months=4, output_share=0.25, calendar_start=START)
    staff = 0.12 * 200_000 / 12  # carries over to the successor
    old, new = 750 * 2 + 250 * 8 + staff, 750 * 1 + 250 * 4 + staff
    # retires in January 2027 = month 2: the successor's prices from month 3, migration at its
    # start
    assert monthly(retiring(), u) == pytest.approx([old, old, new + 5_000, new], rel=1e-12)
    costs = tco.simulate([retiring()], u).by_component("api")
    assert costs["migration"].tolist() == [0.0, 0.0, 5_000.0, 0.0]


def test_a_retirement_after_the_horizon_changes_nothing() -> None:
    u = tco.Usage.constant(1e9, months=2, output_share=0.25, calendar_start=START)
    plain = api(staff_fte=0.12)
    assert monthly(retiring(), u) == pytest.approx(monthly(plain, u), rel=1e-12)


def test_retired_before_the_start_is_the_successor_from_the_start() -> None:
    u = tco.Usage.constant(1e9, months=2, output_share=0.25, calendar_start=date(2027, 6, 1))
    staff = 0.12 * 200_000 / 12
    assert monthly(retiring(setup_usd=100.0), u) == pytest.approx(
        [100 + 1_750 + staff, 1_750 + staff], rel=1e-12
    )


def test_a_successor_that_retires_in_turn_moves_on() -> None:
    last = tco.VendorAPI("last", input_usd_per_mtok=0.5, output_usd_per_mtok=2.0)
    middle = successor().model_copy(
        update={"deprecation_date": date(2027, 2, 10), "successor": last, "migration_usd": 700.0}
    )
    option = api(deprecation_date=date(2026, 12, 20), successor=middle, migration_usd=300.0)
    u = tco.Usage.constant(1e9, months=4, output_share=0.25, calendar_start=START)
    assert monthly(option, u) == pytest.approx(
        [3_500.0, 1_750.0 + 300, 1_750.0, 875.0 + 700], rel=1e-12
    )


def test_no_successor_is_an_error_naming_the_date() -> None:
    option = api(deprecation_date=date(2027, 1, 14))
    u = tco.Usage.constant(1e9, months=4, output_share=0.25, calendar_start=START)
    with pytest.raises(ValueError, match=r"retires on 2027-01-14 \(month 2 .*no successor"):
        tco.simulate([option], u)


def test_the_calendar_start_is_the_first_of_its_month() -> None:
    u = tco.Usage.constant(1.0, months=1, output_share=0.5, calendar_start=date(2027, 3, 17))
    assert u.first_month == date(2027, 3, 1)
    with pytest.raises(ValueError, match="start_month: 4 but calendar_start is 2027-03"):
        tco.Usage.constant(
            1.0, months=1, output_share=0.5, calendar_start=date(2027, 3, 1), start_month=4
        )


@settings(max_examples=40, deadline=None)
@given(
    flex=st.floats(0.0, 0.5),
    priority=st.floats(0.0, 0.5),
    batch=st.floats(0.0, 0.5),
    flex_price=st.floats(0.0, 10.0),
)
def test_tier_costs_add_up_traffic_by_traffic(
    flex: float, priority: float, batch: float, flex_price: float
) -> None:
    """Splitting the traffic into its tiers and costing each alone gives the same bill."""
    if flex + priority + batch > 1:
        return
    fields = {
        "flex_input_usd_per_mtok": flex_price,
        "flex_output_usd_per_mtok": 2 * flex_price,
        "priority_input_usd_per_mtok": 5.0,
        "priority_output_usd_per_mtok": 20.0,
        "batch_discount": 0.5,
    }
    mixed = api(flex_share=flex, priority_share=priority, batch_share=batch, **fields)
    u = usage()
    alone = {
        "standard": (1 - flex - priority - batch, api(**fields)),
        "batch": (batch, api(batch_share=1.0, **fields)),
        "flex": (flex, api(flex_share=1.0, **fields)),
        "priority": (priority, api(priority_share=1.0, **fields)),
    }
    expected = sum(share * np.array(monthly(o, u)) for share, o in alone.values())
    assert monthly(mixed, u) == pytest.approx(expected.tolist(), rel=1e-9, abs=1e-9)


# --------------------------------------------------------------------------- catalog rows
def _csv_rows():
    import csv
    from pathlib import Path

    text = (Path(__file__).parents[1] / "pricing_data" / "api_models.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return {f"{r['provider']}/{r['model']}": r for r in csv.DictReader(lines)}


def test_catalog_rows_carry_their_tiers_and_successor_into_the_option():
    rows = _csv_rows()
    with_tiers = [
        i for i, r in rows.items()
        if r["flex_input_usd_per_mtok"] and r["long_context_threshold_tokens"]
        and r["residency_uplift"] and not r["deprecation_date"]
    ]  # fmt: skip
    prices = tco.load_pricing()
    for model in with_tiers[:5]:
        row, api = rows[model], prices.vendor_api(model)
        assert api.flex_input_usd_per_mtok == float(row["flex_input_usd_per_mtok"])
        assert api.flex_output_usd_per_mtok == float(row["flex_output_usd_per_mtok"])
        assert api.long_context_threshold_tokens == int(row["long_context_threshold_tokens"])
        assert api.long_context_input_usd_per_mtok == float(row["long_context_input_usd_per_mtok"])
        assert api.residency_uplift == float(row["residency_uplift"])
    assert with_tiers, "the catalog has rows with flex, long-context and residency prices"


def test_a_retiring_catalog_model_moves_to_its_successor_the_month_after():
    rows = _csv_rows()
    old = rows["openai/gpt-4o"]
    new = rows[old["successor"]]
    retires = date.fromisoformat(old["deprecation_date"])
    api = tco.load_pricing().vendor_api("openai/gpt-4o")
    assert api.deprecation_date == retires
    assert api.successor.name == old["successor"]
    assert any(s.startswith(f"after {retires.isoformat()}, ") for s in api.sources)
    start = date(retires.year, retires.month, 1)  # month 1 holds the retirement: month 2 moves
    usage = tco.Usage.constant(1e6, months=3, output_share=0.0, calendar_start=start)
    monthly = tco.simulate([api], usage).monthly()[api.name].to_numpy()
    np.testing.assert_allclose(
        monthly,
        [float(old["input_usd_per_mtok"])] + [float(new["input_usd_per_mtok"])] * 2,
    )
    kept = tco.load_pricing().vendor_api("openai/gpt-4o", deprecation_date=None, successor=None)
    np.testing.assert_allclose(
        tco.simulate([kept], usage).monthly()[kept.name], [float(old["input_usd_per_mtok"])] * 3
    )
