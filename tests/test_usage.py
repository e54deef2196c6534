"""Usage: constructors, shape fields, seasonality, the arrays and the DataFrame view.

Every expected array is written out by hand or computed with a plain Python loop from the
curve's formula, never by calling the curve functions under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import tco
from tco.core.units import HOURS_PER_MONTH


def test_hours_per_month_is_a_twelfth_of_a_year() -> None:
    assert HOURS_PER_MONTH == 8_760 / 12


def test_constant_splits_input_output_and_cache() -> None:
    u = tco.Usage.constant(
        1_000_000_000, months=3, output_share=0.25, cached_input_share=0.4, peak_to_average=2.0
    )
    # output = 25 % of 1e9; input = the other 75 %; cached = 40 % of input
    assert u.horizon == 3
    assert u.months.tolist() == [1, 2, 3]
    assert u.tokens.tolist() == [1e9, 1e9, 1e9]
    assert u.output_tokens.tolist() == pytest.approx([250e6] * 3)
    assert u.input_tokens.tolist() == pytest.approx([750e6] * 3)
    assert u.cached_input_tokens.tolist() == pytest.approx([300e6] * 3)
    assert u.peak_to_average == 2.0
    assert u.operating_hours_per_month == 730.0


def test_linear_runs_from_start_in_month_1_to_end_in_month_h() -> None:
    u = tco.Usage.linear(start=10.0, end=40.0, months=4, output_share=0.5)
    # step = (40 - 10) / (4 - 1) = 10
    assert u.tokens.tolist() == pytest.approx([10.0, 20.0, 30.0, 40.0])


def test_linear_over_one_month_is_the_start() -> None:
    assert tco.Usage.linear(7.0, 99.0, months=1, output_share=0.5).tokens.tolist() == [7.0]


def test_compound_growth() -> None:
    start, g, months = 2e9, 0.10, 6
    u = tco.Usage.compound(start=start, monthly_growth=g, months=months, output_share=0.3)
    expected = []
    volume = start
    for _ in range(months):
        expected.append(volume)
        volume *= 1 + g
    assert u.tokens.tolist() == pytest.approx(expected, rel=1e-12)


def test_compound_decline() -> None:
    u = tco.Usage.compound(start=1000.0, monthly_growth=-0.5, months=3, output_share=0.3)
    assert u.tokens.tolist() == pytest.approx([1000.0, 500.0, 250.0])


def test_logistic_follows_the_s_curve() -> None:
    ceiling, mid, k, months = 5e9, 6.0, 0.8, 12
    u = tco.Usage.logistic(
        ceiling=ceiling, midpoint_month=mid, steepness=k, months=months, output_share=0.2
    )
    expected = [ceiling / (1 + math.exp(-k * (m - mid))) for m in range(1, months + 1)]
    assert u.tokens.tolist() == pytest.approx(expected, rel=1e-12)
    assert u.tokens[5] == pytest.approx(ceiling / 2)  # month 6 is the midpoint
    assert np.all(np.diff(u.tokens) > 0)


@pytest.mark.parametrize(
    "series",
    [[1e6, 2e6, 4e6], np.array([1e6, 2e6, 4e6]), pd.Series([1e6, 2e6, 4e6], index=[7, 8, 9])],
    ids=["list", "ndarray", "series"],
)
def test_from_series_takes_one_value_per_month(series: object) -> None:
    u = tco.Usage.from_series(series, output_share=0.5)  # type: ignore[arg-type]
    assert u.horizon == 3
    assert u.tokens.tolist() == [1e6, 2e6, 4e6]
    assert u.output_tokens.tolist() == [0.5e6, 1e6, 2e6]


def test_from_requests_with_a_number_of_requests() -> None:
    u = tco.Usage.from_requests(1_000, 700, 300, months=2)
    # 1,000 requests x (700 + 300) tokens; output share 300 / 1,000
    assert u.tokens.tolist() == [1_000_000.0, 1_000_000.0]
    assert u.output_share == pytest.approx(0.3)
    assert u.input_tokens.tolist() == pytest.approx([700_000.0, 700_000.0])
    assert u.output_tokens.tolist() == pytest.approx([300_000.0, 300_000.0])


def test_from_requests_with_a_series_and_shape_fields() -> None:
    u = tco.Usage.from_requests(
        [100, 200, 400], 1_500, 500, cached_input_share=0.5, peak_to_average=3.0
    )
    assert u.horizon == 3
    assert u.tokens.tolist() == [200_000.0, 400_000.0, 800_000.0]  # x 2,000 tokens each
    assert u.input_tokens.tolist() == pytest.approx([150_000.0, 300_000.0, 600_000.0])
    assert u.cached_input_tokens.tolist() == pytest.approx([75_000.0, 150_000.0, 300_000.0])
    assert u.peak_to_average == 3.0


def test_from_requests_explicit_output_share_wins() -> None:
    u = tco.Usage.from_requests(10, 80, 20, months=1, output_share=0.5)
    assert u.output_share == 0.5


def test_seasonality_aligned_with_start_month() -> None:
    profile = tuple(1.0 + i / 10 for i in range(12))  # January 1.0 ... December 2.1
    u = tco.Usage.constant(100.0, months=14, output_share=0.5, seasonality=profile, start_month=11)
    # month 1 is November (index 10), month 2 December, month 3 January, ...
    calendar = [(11 - 1 + m - 1) % 12 for m in range(1, 15)]
    expected = [100.0 * profile[c] for c in calendar]
    assert u.tokens.tolist() == pytest.approx(expected)
    assert u.tokens[0] == pytest.approx(100.0 * 2.0)  # November
    assert u.tokens[2] == pytest.approx(100.0 * 1.0)  # January
    assert u.tokens[13] == pytest.approx(100.0 * 2.1)  # December of the second year


def test_seasonality_default_start_is_january() -> None:
    profile = (2.0,) + (1.0,) * 11
    u = tco.Usage.from_series([10.0] * 13, output_share=0.1, seasonality=profile)
    assert u.tokens.tolist() == pytest.approx([20.0] + [10.0] * 11 + [20.0])


def test_seasonality_carries_into_the_arrays() -> None:
    profile = (0.5,) * 6 + (1.5,) * 6
    u = tco.Usage.constant(
        1000.0, months=12, output_share=0.2, cached_input_share=0.5, seasonality=profile
    )
    a = u.arrays()
    totals = [500.0] * 6 + [1500.0] * 6
    assert a.total.tolist() == pytest.approx(totals)
    assert a.output.tolist() == pytest.approx([0.2 * t for t in totals])
    assert a.cached_input.tolist() == pytest.approx([0.8 * 0.5 * t for t in totals])


def test_arrays_expose_uncached_input_and_total() -> None:
    u = tco.Usage.constant(
        1000.0,
        months=2,
        output_share=0.3,
        cached_input_share=0.25,
        peak_to_average=1.5,
        operating_hours_per_month=200.0,
    )
    a = u.arrays()
    # input 700, cached 175, uncached 525, output 300
    assert a.months == 2
    assert a.input.tolist() == pytest.approx([700.0, 700.0])
    assert a.cached_input.tolist() == pytest.approx([175.0, 175.0])
    assert a.uncached_input.tolist() == pytest.approx([525.0, 525.0])
    assert a.output.tolist() == pytest.approx([300.0, 300.0])
    assert a.total.tolist() == pytest.approx([1000.0, 1000.0])
    assert a.peak_to_average == 1.5
    assert a.operating_hours == 200.0


def test_arrays_override_for_a_batch() -> None:
    # Batch parameters have shape (n,), months are appended, as for every engine parameter.
    u = tco.Usage.constant(1000.0, months=3, output_share=0.5, cached_input_share=0.5)
    a = u.arrays(
        tokens=np.array([1.0, 2.0]),
        output_share=np.array([0.25, 0.75]),
        cached_input_share=np.array([0.0, 1.0]),
    )
    assert a.input.shape == (2, 3)
    assert a.output.tolist() == [[0.25] * 3, [1.5] * 3]
    assert a.input.tolist() == [[0.75] * 3, [0.5] * 3]
    assert a.cached_input.tolist() == [[0.0] * 3, [0.5] * 3]


def test_batch_of_as_many_scenarios_as_months_is_not_mixed_up() -> None:
    # n == H: a share of shape (n,) must not be broadcast along the months axis.
    u = tco.Usage.constant(100.0, months=2, output_share=0.5)
    a = u.arrays(output_share=np.array([0.1, 0.9]))
    np.testing.assert_allclose(a.output, [[10.0, 10.0], [90.0, 90.0]])


def test_arrays_reject_unknown_override() -> None:
    u = tco.Usage.constant(1000.0, months=3, output_share=0.5)
    with pytest.raises(KeyError, match="nonsense"):
        u.arrays(nonsense=1.0)


def test_to_frame_is_one_row_per_month() -> None:
    u = tco.Usage.from_series([1000.0, 2000.0], output_share=0.4, cached_input_share=0.5)
    frame = u.to_frame()
    assert frame.index.name == "month"
    assert frame.index.tolist() == [1, 2]
    assert list(frame.columns) == [
        "tokens",
        "input_tokens",
        "cached_input_tokens",
        "uncached_input_tokens",
        "output_tokens",
    ]
    # month 2: input 60 % of 2,000 = 1,200, half cached, output 800
    row = frame.loc[2]
    assert row["tokens"] == 2000.0
    assert row["input_tokens"] == pytest.approx(1200.0)
    assert row["cached_input_tokens"] == pytest.approx(600.0)
    assert row["uncached_input_tokens"] == pytest.approx(600.0)
    assert row["output_tokens"] == pytest.approx(800.0)
    assert (frame["input_tokens"] + frame["output_tokens"]).tolist() == pytest.approx(
        frame["tokens"].tolist()
    )


def test_with_shape_changes_a_field_and_validates() -> None:
    u = tco.Usage.constant(1000.0, months=2, output_share=0.4)
    v = u.with_shape(cached_input_share=0.5)
    assert v.cached_input_share == 0.5
    assert v.tokens.tolist() == u.tokens.tolist()
    with pytest.raises(ValueError, match="cached_input_share"):
        u.with_shape(cached_input_share=1.5)


def test_usage_is_frozen() -> None:
    u = tco.Usage.constant(1000.0, months=2, output_share=0.4)
    with pytest.raises(ValueError, match="frozen"):
        u.output_share = 0.5  # type: ignore[misc]


def test_repr_names_the_curve() -> None:
    u = tco.Usage.compound(start=1e9, monthly_growth=0.1, months=24, output_share=0.25)
    text = repr(u)
    assert "compound" in text
    assert "24 months" in text


def test_logistic_far_before_its_midpoint_is_zero_without_overflow() -> None:
    # exp(10 x (100 - 1)) overflows to inf: the volume is 0 (to float precision), no warning
    u = tco.Usage.logistic(
        ceiling=1e9, midpoint_month=100.0, steepness=10.0, months=3, output_share=0.5
    )
    assert u.tokens.tolist() == [0.0, 0.0, 0.0]


def test_a_usage_with_a_calendar_start_can_be_varied_and_rebuilt():
    usage = tco.Usage.compound(
        start=1e9, monthly_growth=0.05, months=12, output_share=0.2, calendar_start="2026-12-01"
    )
    assert usage.start_month == 12  # follows the calendar
    assert tco.Usage.model_validate(usage.model_dump()) == usage
    api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    cheap = api.model_copy(update={"name": "cheap", "input_usd_per_mtok": 0.5, "setup_usd": 1e3})
    result = tco.tornado(api, cheap, usage, {"usage.monthly_growth": (0.0, 0.1)})
    assert result.to_frame().shape[0] == 1
