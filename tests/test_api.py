"""VendorAPI: token prices, cache reads, batch discount, price decline, fees, staff, setup.

Expected costs are worked out by hand: tokens / 1e6 x USD per million tokens.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tco
from tco.core.ledger import timed
from tco.core.parts import CostContext, Window
from tco.options.tokens import TokenPrices, api_token_costs


def components(api: tco.VendorAPI, usage: tco.Usage) -> pd.DataFrame:
    return tco.simulate([api], usage).by_component(api.name)


def test_list_prices_for_input_and_output() -> None:
    usage = tco.Usage.constant(1e9, months=2, output_share=0.25)
    api = tco.VendorAPI("gpt", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
    # 750 MTok input x $2.50 = 1,875; 250 MTok output x $10 = 2,500
    assert api.monthly_cost(usage).tolist() == pytest.approx([4_375.0, 4_375.0])
    parts = components(api, usage)
    assert parts["api_input"].tolist() == pytest.approx([1_875.0, 1_875.0])
    assert parts["api_output"].tolist() == pytest.approx([2_500.0, 2_500.0])
    assert parts["api_cache"].tolist() == [0.0, 0.0]


def test_cache_read_price_applies_to_cached_input_only() -> None:
    usage = tco.Usage.constant(1e9, months=1, output_share=0.2, cached_input_share=0.75)
    api = tco.VendorAPI(
        "api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0, cache_read_usd_per_mtok=0.3
    )
    # input 800 MTok: 600 cached x $0.30 = 180, 200 uncached x $3 = 600; output 200 x $15 = 3,000
    parts = components(api, usage)
    assert parts["api_cache"].tolist() == pytest.approx([180.0])
    assert parts["api_input"].tolist() == pytest.approx([600.0])
    assert parts["api_output"].tolist() == pytest.approx([3_000.0])
    assert api.monthly_cost(usage).tolist() == pytest.approx([3_780.0])


def test_cache_read_defaults_to_input_price() -> None:
    usage = tco.Usage.constant(1e9, months=1, output_share=0.2, cached_input_share=0.75)
    api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    assert api.cache_read_usd_per_mtok == 3.0
    # no cache discount: 800 MTok x $3 + 200 MTok x $15
    assert api.monthly_cost(usage).tolist() == pytest.approx([2_400.0 + 3_000.0])


def test_cache_write_price_is_recorded_but_not_charged() -> None:
    usage = tco.Usage.constant(1e9, months=1, output_share=0.5)
    plain = tco.VendorAPI("a", input_usd_per_mtok=1.0, output_usd_per_mtok=2.0)
    priced = tco.VendorAPI(
        "b", input_usd_per_mtok=1.0, output_usd_per_mtok=2.0, cache_write_usd_per_mtok=1.25
    )
    assert priced.cache_write_usd_per_mtok == 1.25
    assert priced.monthly_cost(usage).tolist() == plain.monthly_cost(usage).tolist()


def test_batch_discount_on_the_batch_share() -> None:
    usage = tco.Usage.constant(1e9, months=1, output_share=0.5)
    api = tco.VendorAPI(
        "api", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0, batch_share=0.6, batch_discount=0.5
    )
    list_price = 500 * 2.0 + 500 * 8.0  # 5,000
    # 40 % at list price, 60 % at half price: 0.4 + 0.6 x 0.5 = 0.7 of list
    expected = 0.4 * list_price + 0.6 * list_price * 0.5
    assert api.monthly_cost(usage).tolist() == pytest.approx([expected])
    assert expected == pytest.approx(3_500.0)


def test_batch_discount_default_is_half_and_share_default_none() -> None:
    api = tco.VendorAPI("api", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0)
    assert api.batch_share == 0.0
    assert api.batch_discount == 0.5


def test_annual_price_decline_is_a_smooth_monthly_trend() -> None:
    months = 25
    usage = tco.Usage.constant(1e9, months=months, output_share=0.0)
    api = tco.VendorAPI(
        "api", input_usd_per_mtok=10.0, output_usd_per_mtok=30.0, annual_price_decline=0.3
    )
    expected = [1_000 * 10.0 * (1 - 0.3) ** ((m - 1) / 12) for m in range(1, months + 1)]
    cost = api.monthly_cost(usage)
    assert cost.tolist() == pytest.approx(expected, rel=1e-12)
    assert cost[0] == pytest.approx(10_000.0)  # list price in month 1
    assert cost[12] == pytest.approx(7_000.0)  # a year later: 30 % cheaper
    assert cost[24] == pytest.approx(4_900.0)  # two years: 0.7 ** 2


def test_decline_batch_and_cache_combine() -> None:
    usage = tco.Usage.constant(2e9, months=13, output_share=0.25, cached_input_share=0.5)
    api = tco.VendorAPI(
        "api",
        input_usd_per_mtok=4.0,
        output_usd_per_mtok=16.0,
        cache_read_usd_per_mtok=1.0,
        batch_share=0.5,
        batch_discount=0.4,
        annual_price_decline=0.19,
    )
    # 2,000 MTok: input 1,500 (750 cached, 750 uncached), output 500
    list_cost = 750 * 4.0 + 750 * 1.0 + 500 * 16.0  # 11,750
    batch = 1 - 0.5 * 0.4
    expected_m13 = list_cost * batch * 0.81  # (1 - 0.19) ** (12 / 12)
    assert api.monthly_cost(usage)[12] == pytest.approx(expected_m13)
    assert api.monthly_cost(usage)[0] == pytest.approx(list_cost * batch)


def test_fees_staff_and_setup() -> None:
    usage = tco.Usage.constant(0.0, months=3, output_share=0.5)
    api = tco.VendorAPI(
        "api",
        input_usd_per_mtok=1.0,
        output_usd_per_mtok=1.0,
        fixed_usd_per_month=500.0,
        staff_fte=0.5,
        staff_usd_per_year=240_000.0,
        setup_usd=10_000.0,
    )
    parts = components(api, usage)
    assert parts["fees"].tolist() == [500.0] * 3
    assert parts["staff"].tolist() == pytest.approx([10_000.0] * 3)  # 0.5 x 240,000 / 12
    assert parts["setup"].tolist() == [10_000.0, 0.0, 0.0]
    assert api.monthly_cost(usage).tolist() == pytest.approx([20_500.0, 10_500.0, 10_500.0])


def test_staff_default_loaded_cost_is_200k() -> None:
    usage = tco.Usage.constant(0.0, months=1, output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, staff_fte=1.2)
    assert api.monthly_cost(usage).tolist() == pytest.approx([1.2 * 200_000 / 12])


def test_setup_is_one_time_at_the_month_start_and_tokens_recur() -> None:
    usage = tco.Usage.constant(1e6, months=2, output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, setup_usd=99.0)
    costs = tco.simulate([api], usage).costs
    timing = dict(zip(costs["component"], costs["timing"], strict=False))
    assert timing["setup"] == "upfront"
    assert timing["api_input"] == "recurring"
    assert timing["api_output"] == "recurring"
    assert timing["staff"] == "recurring"


def test_window_limits_costs_and_moves_setup() -> None:
    usage = tco.Usage.constant(1e6, months=4, output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0, setup_usd=7.0)
    parts = api.cost_parts(usage.arrays(), CostContext(window=Window(first=3, last=4)))
    up, rec, _ = timed(parts).arrays(4)
    assert up.tolist() == [0.0, 0.0, 7.0, 0.0]
    assert rec.tolist() == pytest.approx([0.0, 0.0, 2.0, 2.0])  # 1 MTok x $2


def test_api_serves_everything() -> None:
    usage = tco.Usage.from_series([1e6, 5e6], output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    unserved = tco.simulate([api], usage).unserved_tokens()["api"]
    assert unserved.tolist() == [0.0, 0.0]


def test_token_cost_kernel_broadcasts_over_a_batch_of_prices() -> None:
    usage = tco.Usage.constant(1e6, months=2, output_share=0.5).arrays()
    costs = api_token_costs(
        usage,
        TokenPrices(
            input=np.array([1.0, 3.0]),
            output=np.array([2.0, 2.0]),
            cache_read=np.array([1.0, 3.0]),
        ),
    )
    assert costs["api_input"].shape == (2, 2)
    assert costs["api_input"][:, 0].tolist() == pytest.approx([0.5, 1.5])
    assert costs["api_output"][:, 1].tolist() == pytest.approx([1.0, 1.0])


def test_batch_override_of_core_params() -> None:
    usage = tco.Usage.constant(1e6, months=1, output_share=0.0)
    api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    parts = api.cost_parts(usage.arrays(), input_usd_per_mtok=np.array([1.0, 2.0, 4.0]))
    assert parts.recurring["api_input"][:, 0].tolist() == pytest.approx([1.0, 2.0, 4.0])
    with pytest.raises(KeyError, match="not_a_field"):
        api.cost_parts(usage.arrays(), not_a_field=1.0)


def test_defaults_and_repr() -> None:
    api = tco.VendorAPI("vendor/model", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
    assert api.data_leaves_environment is True
    assert api.annual_price_decline == 0.0
    assert api.fixed_usd_per_month == 0.0
    assert api.setup_usd == 0.0
    assert "vendor/model" in repr(api)
    assert tco.VendorAPI(
        name="kw", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0
    ) == tco.VendorAPI("kw", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)


def test_default_cache_price_follows_an_input_price_override() -> None:
    # No cache price given: cached input costs the input price, also when a batch of
    # scenarios overrides the input price (sensitivity, Monte Carlo).
    api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    usage = tco.Usage.constant(1e6, months=1, output_share=0.0, cached_input_share=1.0).arrays()
    parts = api.cost_parts(usage, input_usd_per_mtok=np.array([1.0, 5.0]))
    # 1e6 cached tokens = 1 MTok at the overridden input price
    assert parts.recurring["api_cache"][:, 0].tolist() == [1.0, 5.0]


def test_explicit_cache_price_stays_under_an_input_price_override() -> None:
    api = tco.VendorAPI(
        "api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0, cache_read_usd_per_mtok=0.3
    )
    usage = tco.Usage.constant(1e6, months=1, output_share=0.0, cached_input_share=1.0).arrays()
    parts = api.cost_parts(usage, input_usd_per_mtok=np.array([1.0, 5.0]))
    # the cache cost does not depend on the input price: one value for every draw
    assert np.ravel(parts.recurring["api_cache"]).tolist() == [0.3]
