"""Bad input fails at construction, with the field (and the bad value) named in the message.

pydantic's ValidationError is a ValueError, so every case is checked as ``ValueError``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

import tco

RENT = tco.Rent(usd_per_gpu_hour=2.0)


def api(**fields: Any) -> tco.VendorAPI:
    return tco.VendorAPI(
        "api", **({"input_usd_per_mtok": 1.0, "output_usd_per_mtok": 2.0} | fields)
    )


def hosted(**fields: Any) -> tco.SelfHosted:
    base: dict[str, Any] = {
        "prefill_tokens_per_s": 1_000.0,
        "decode_tokens_per_s": 100.0,
        "procurement": RENT,
    }
    return tco.SelfHosted("fleet", **(base | fields))


def usage(**fields: Any) -> tco.Usage:
    return tco.Usage.constant(**({"tokens": 1e9, "months": 12, "output_share": 0.25} | fields))


# --------------------------------------------------------------------------- prices
@pytest.mark.parametrize(
    "field",
    [
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cache_read_usd_per_mtok",
        "cache_write_usd_per_mtok",
        "fixed_usd_per_month",
        "staff_usd_per_year",
        "staff_fte",
        "setup_usd",
    ],
)
def test_negative_api_amount(field: str) -> None:
    with pytest.raises(ValueError, match=field) as info:
        api(**{field: -1.0})
    assert "-1.0" in str(info.value)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_non_finite_api_price(value: float) -> None:
    with pytest.raises(ValueError, match="input_usd_per_mtok"):
        api(input_usd_per_mtok=value)


def test_missing_api_price_is_not_defaulted() -> None:
    with pytest.raises(ValueError, match="output_usd_per_mtok"):
        tco.VendorAPI("api", input_usd_per_mtok=1.0)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: tco.Rent(usd_per_gpu_hour=-2.0), "usd_per_gpu_hour"),
        (lambda: tco.Rent(usd_per_gpu_hour=0.0), "usd_per_gpu_hour"),
        (lambda: tco.Buy(usd_per_gpu=-30_000.0), "usd_per_gpu"),
        (lambda: tco.Buy(usd_per_gpu=30_000.0, server_usd_per_gpu=-1.0), "server_usd_per_gpu"),
        (lambda: tco.Buy(usd_per_gpu=30_000.0, usd_per_kwh=-0.1), "usd_per_kwh"),
        (lambda: tco.Buy(usd_per_gpu=1.0, hosting_usd_per_gpu_month=-1), "hosting_usd_per_gpu"),
        (lambda: hosted(staff_usd_per_year=-1.0), "staff_usd_per_year"),
        (lambda: hosted(setup_usd=-5.0), "setup_usd"),
    ],
)
def test_negative_fleet_amount(make: Any, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        make()


# --------------------------------------------------------------------------- shares
@pytest.mark.parametrize("value", [-0.1, 1.5])
@pytest.mark.parametrize("field", ["batch_share", "batch_discount"])
def test_api_share_outside_unit_interval(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        api(**{field: value})


@pytest.mark.parametrize("value", [-0.2, 1.0, 1.5])
def test_price_decline_of_100_percent_or_more(value: float) -> None:
    with pytest.raises(ValueError, match="annual_price_decline"):
        api(annual_price_decline=value)
    with pytest.raises(ValueError, match="annual_price_decline"):
        tco.Rent(usd_per_gpu_hour=2.0, annual_price_decline=value)


@pytest.mark.parametrize("value", [-0.01, 1.01, math.nan])
@pytest.mark.parametrize("field", ["output_share", "cached_input_share"])
def test_usage_share_outside_unit_interval(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        usage(**{field: value})


@pytest.mark.parametrize("value", [0.0, -0.5, 1.2])
def test_target_utilization_in_zero_one(value: float) -> None:
    with pytest.raises(ValueError, match="target_utilization"):
        hosted(target_utilization=value)


def test_maintenance_share_outside_unit_interval() -> None:
    with pytest.raises(ValueError, match="maintenance_share_per_year"):
        tco.Buy(usd_per_gpu=1.0, maintenance_share_per_year=1.5)


# --------------------------------------------------------------------------- capacity
@pytest.mark.parametrize("field", ["prefill_tokens_per_s", "decode_tokens_per_s"])
@pytest.mark.parametrize("value", [0.0, -10.0, math.nan])
def test_zero_or_negative_throughput(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        hosted(**{field: value})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"gpus_per_replica": 0}, "gpus_per_replica"),
        ({"min_replicas": -1}, "min_replicas"),
        ({"spare_replicas": -1}, "spare_replicas"),
        ({"fixed_replicas": 0}, "fixed_replicas"),
        ({"fixed_replicas": 2, "spare_replicas": 2}, "fixed_replicas"),
        ({"gpus_per_replica": 1.5}, "gpus_per_replica"),
    ],
)
def test_bad_fleet_shape(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        hosted(**fields)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"useful_life_years": 0.0}, "useful_life_years"),
        ({"pue": 0.9}, "pue"),
        ({"kw_per_gpu": -0.7}, "kw_per_gpu"),
        ({"powered_hours_per_month": 800.0}, "powered_hours_per_month"),
        ({"powered_hours_per_month": 0.0}, "powered_hours_per_month"),
    ],
)
def test_bad_buy_terms(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        tco.Buy(usd_per_gpu=30_000.0, **fields)


def test_unknown_rent_plan() -> None:
    with pytest.raises(ValueError, match="plan"):
        tco.Rent(usd_per_gpu_hour=2.0, plan="weekly")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"peak_to_average": 0.5}, "peak_to_average"),
        ({"operating_hours_per_month": 0.0}, "operating_hours_per_month"),
        ({"operating_hours_per_month": 731.0}, "operating_hours_per_month"),
        ({"start_month": 13}, "start_month"),
        ({"seasonality": (1.0,) * 11}, "seasonality"),
        ({"seasonality": (1.0,) * 11 + (-1.0,)}, "seasonality"),
    ],
)
def test_bad_usage_shape(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        usage(**fields)


# --------------------------------------------------------------------------- horizon, series
@pytest.mark.parametrize(
    "make",
    [
        lambda: tco.Usage.constant(1e9, months=0, output_share=0.5),
        lambda: tco.Usage.linear(1e9, 2e9, months=0, output_share=0.5),
        lambda: tco.Usage.compound(1e9, 0.1, months=0, output_share=0.5),
        lambda: tco.Usage.logistic(1e9, 6, 0.5, months=0, output_share=0.5),
    ],
)
def test_horizon_zero(make: Any) -> None:
    with pytest.raises(ValueError, match="months"):
        make()


def test_empty_series() -> None:
    with pytest.raises(ValueError, match="series: empty"):
        tco.Usage.from_series([], output_share=0.5)


@pytest.mark.parametrize(
    "series",
    [[1e9, math.nan, 2e9], np.array([1e9, math.nan, 2e9]), pd.Series([1e9, np.nan, 2e9])],
    ids=["list", "ndarray", "series"],
)
def test_nan_in_a_series_names_the_month(series: Any) -> None:
    with pytest.raises(ValueError, match=r"series: value nan at position 1 \(month 2\)"):
        tco.Usage.from_series(series, output_share=0.5)


def test_negative_or_infinite_value_in_a_series() -> None:
    with pytest.raises(ValueError, match="month 3"):
        tco.Usage.from_series([1.0, 2.0, -3.0], output_share=0.5)
    with pytest.raises(ValueError, match="month 1"):
        tco.Usage.from_series([math.inf], output_share=0.5)


def test_bad_requests() -> None:
    with pytest.raises(ValueError, match="requests_per_month"):
        tco.Usage.from_requests([10.0, math.nan], 100, 10)
    with pytest.raises(ValueError, match="input_tokens_per_request"):
        tco.Usage.from_requests(10.0, -100, 10, months=3)
    with pytest.raises(ValueError, match="output_tokens_per_request"):
        tco.Usage.from_requests(10.0, 100, math.nan, months=3)
    with pytest.raises(ValueError, match="months: required"):
        tco.Usage.from_requests(10.0, 100, 10)
    with pytest.raises(ValueError, match="months: 4"):
        tco.Usage.from_requests([1.0, 2.0], 100, 10, months=4)
    with pytest.raises(ValueError, match="must be > 0"):
        tco.Usage.from_requests(10.0, 0, 0, months=2)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: tco.Usage.constant(-1.0, months=3, output_share=0.5), "tokens"),
        (lambda: tco.Usage.constant(math.nan, months=3, output_share=0.5), "tokens"),
        (lambda: tco.Usage.linear(1.0, -1.0, months=3, output_share=0.5), "end"),
        (lambda: tco.Usage.compound(1.0, -1.0, months=3, output_share=0.5), "monthly_growth"),
        (lambda: tco.Usage.logistic(1.0, 3.0, 0.0, months=3, output_share=0.5), "steepness"),
        (lambda: tco.Usage.compound(1e9, 10.0, months=1200, output_share=0.5), "curve"),
    ],
)
def test_bad_curve_parameters(make: Any, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        make()


# --------------------------------------------------------------------------- options, rates
def test_misspelt_field_is_refused() -> None:
    with pytest.raises(ValueError, match="input_price"):
        api(input_price=1.0)
    with pytest.raises(ValueError, match="usd_per_hour"):
        tco.Rent(usd_per_gpu_hour=1.0, usd_per_hour=2.0)  # type: ignore[call-arg]


def test_duplicate_option_names() -> None:
    with pytest.raises(ValueError, match=r"options: duplicate name\(s\) \['same'\]"):
        tco.simulate(
            [
                tco.VendorAPI("same", input_usd_per_mtok=1, output_usd_per_mtok=1),
                tco.SelfHosted(
                    "same", prefill_tokens_per_s=1.0, decode_tokens_per_s=1.0, procurement=RENT
                ),
            ],
            usage(),
        )


@pytest.mark.parametrize("rate", [-1.0, -2.0, math.nan, math.inf, 11.0, "eight percent"])
def test_wrong_discount_rate(rate: Any) -> None:
    with pytest.raises(ValueError, match="discount_rate"):
        tco.simulate([api()], usage(), discount_rate=rate)
    with pytest.raises(ValueError, match="discount_rate"):
        tco.break_even(api(), hosted(), usage(), discount_rate=rate)


def test_models_are_frozen() -> None:
    option = api()
    with pytest.raises(ValueError, match="frozen"):
        option.input_usd_per_mtok = 0.0  # type: ignore[misc]


def test_series_must_be_one_dimensional_numbers() -> None:
    with pytest.raises(ValueError, match=r"series: shape \(2, 2\)"):
        tco.Usage.from_series([[1.0, 2.0], [3.0, 4.0]], output_share=0.5)
    with pytest.raises(ValueError, match=r"series: .*one number per month"):
        tco.Usage.from_series(["a lot", 2.0], output_share=0.5)


def test_option_name_must_not_be_empty() -> None:
    with pytest.raises(ValueError, match="name"):
        tco.VendorAPI("", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)


def test_never_reason_for_sub_dollar_costs() -> None:
    # candidate dearer by 1 cent a month, every month: never cheaper per month, whatever scale
    usage = tco.Usage.constant(1e6, months=3, output_share=0.5)
    base = tco.VendorAPI("base", input_usd_per_mtok=0.01, output_usd_per_mtok=0.01)
    dear = tco.VendorAPI("dear", input_usd_per_mtok=0.02, output_usd_per_mtok=0.02)
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=0.0, output_usd_per_mtok=0.0, setup_usd=1.0)
    assert tco.break_even(base, dear, usage).reason == "candidate never cheaper per month"
    # cheap saves 1 cent a month (1 MTok x $0.01) against a $1 setup: 100 months to pay back,
    # so over 3 months the horizon is too short: 3 + ceil((1 - 0.03) / 0.01) = 100
    reason = tco.break_even(base, cheap, usage).reason
    assert reason is not None and reason.startswith(
        "horizon too short: would break even at month 100"
    )
