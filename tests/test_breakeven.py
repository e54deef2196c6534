"""break_even() and break_even_volume(): crossings and thresholds worked out by hand.

Fleets here use a replica that prefills and decodes 1,000 tokens/s at a target utilisation
of 1 with a flat load, so one replica serves ``C = 1,000 x 730 x 3,600 = 2.628e9`` tokens a
month and costs ``730 h x $2 = $1,460`` a month rented. The API charges $1 per million
tokens in and out, so its bill is ``tokens / 1e6`` dollars.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pytest

import tco
from tco.core.ledger import break_even_months

C = 1_000 * 730 * 3_600  # 2.628e9 tokens per replica-month
GPU_MONTH = 730 * 2.0  # $1,460 per rented GPU-month


def dollar_api(name: str = "api", **fields: Any) -> tco.VendorAPI:
    return tco.VendorAPI(name, input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, **fields)


def rented(name: str = "fleet", **fields: Any) -> tco.SelfHosted:
    base: dict[str, Any] = {
        "prefill_tokens_per_s": 1_000.0,
        "decode_tokens_per_s": 1_000.0,
        "target_utilization": 1.0,
        "procurement": tco.Rent(usd_per_gpu_hour=2.0),
    }
    return tco.SelfHosted(name, **(base | fields))


# --------------------------------------------------------------------------- break_even
def test_payback_formula_for_constant_costs() -> None:
    usage = tco.Usage.constant(5e9, months=36, output_share=0.25)
    api = tco.VendorAPI("api", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0)
    fleet = tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=40_000,
        decode_tokens_per_s=4_000,
        procurement=tco.Rent(usd_per_gpu_hour=2.0),
        setup_usd=20_000,
    )
    # API: 3,750 MTok x $2.50 + 1,250 MTok x $10 = 9,375 + 12,500 = 21,875 a month.
    # Fleet: busy = (3.75e9 / 40,000 + 1.25e9 / 4,000) s / 2,628,000 s = 0.15 replicas,
    # ceil(0.15 / 0.7) = 1 GPU x 730 h x $2 = 1,460 a month; plus 20,000 up front.
    expected = 20_000 / (21_875 - 1_460)
    result = tco.break_even(api, fleet, usage)
    assert result.months == pytest.approx(expected, rel=1e-12)
    assert result.month == 1
    assert result.reason is None
    assert result.breaks_even
    assert result.savings_usd == pytest.approx(36 * 21_875 - (20_000 + 36 * 1_460))
    assert result.npv_usd == pytest.approx({"api": 36 * 21_875, "fleet": 20_000 + 36 * 1_460})


def test_whole_month_payback_is_that_month_despite_float_noise() -> None:
    # saves $0.10 a month on $0.30 up front: exactly 3 months, month 3 (not 4)
    usage = tco.Usage.constant(1e6, months=12, output_share=0.0)
    baseline = tco.VendorAPI("b", input_usd_per_mtok=1.1, output_usd_per_mtok=0.0)
    candidate = tco.VendorAPI("c", input_usd_per_mtok=1.0, output_usd_per_mtok=0.0, setup_usd=0.3)
    result = tco.break_even(baseline, candidate, usage)
    assert result.months == pytest.approx(0.3 / (1.1 - 1.0))
    assert result.month == 3


def test_gpu_step_in_a_known_month() -> None:
    # months 1-3: 2e9 tokens -> 1 replica; months 4-12: 4e9 tokens -> 2 replicas
    usage = tco.Usage.from_series([2e9] * 3 + [4e9] * 9, output_share=0.5)
    fleet = rented(setup_usd=3_000)
    assert fleet.gpus(usage).tolist() == [1.0] * 3 + [2.0] * 9
    # saving per month: 2,000 - 1,460 = 540 before the step, 4,000 - 2 x 1,460 = 1,080 after
    left_after_3 = 3_000 - 3 * (2_000 - 1_460)  # 1,380 still to recover at t = 3
    expected = 3 + left_after_3 / (4_000 - 2 * 1_460)  # 4.28
    result = tco.break_even(dollar_api(), fleet, usage)
    assert result.months == pytest.approx(expected)
    assert result.month == 5


def test_break_even_is_the_last_crossing_when_a_step_undoes_it() -> None:
    # months 1-2: 2.6e9 tokens, 1 replica: API 2,600 vs fleet 1,460 -> saves 1,140
    # months 3-4: 2.7e9 tokens, 2 replicas (2.7e9 > C): API 2,700 vs 2,920 -> loses 220
    # months 5-8: 5e9 tokens, 2 replicas: API 5,000 vs 2,920 -> saves 2,080
    usage = tco.Usage.from_series([2.6e9] * 2 + [2.7e9] * 2 + [5e9] * 4, output_share=0.5)
    fleet = rented(setup_usd=2_200)
    assert fleet.gpus(usage).tolist() == [1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]
    # the difference (fleet - API) is 2,200 at t=0, crosses zero at 2,200 / 1,140 = 1.93,
    # is -80 at t=2, climbs back to -80 + 2 x 220 = 360 at t=4, crosses again in month 5
    behind_at_4 = 2_200 - 2 * 1_140 + 2 * 220
    expected = 4 + behind_at_4 / 2_080
    result = tco.break_even(dollar_api(), fleet, usage)
    assert result.months == pytest.approx(expected)
    assert result.month == 5


def test_discounted_payback_against_a_manual_walk() -> None:
    r = 0.12
    i = (1 + r) ** (1 / 12) - 1
    usage = tco.Usage.constant(2e9, months=24, output_share=0.5)
    fleet = rented(setup_usd=10_000)
    saving = 2_000 - 1_460  # per month, recurring, discounted to each month end
    # walk month by month: the setup is paid at t=0 (undiscounted), then the gap closes
    gap, expected = 10_000.0, None
    for k in range(1, 25):
        end = gap - saving / (1 + i) ** k
        if end <= 0:
            expected = k - 1 + gap / (gap - end)
            break
        gap = end
    assert expected is not None
    result = tco.break_even(dollar_api(), fleet, usage, discount_rate=r)
    assert result.months == pytest.approx(expected, rel=1e-12)
    assert result.month == math.ceil(expected)
    assert result.months > 10_000 / saving  # discounting makes payback later
    assert result.npv_usd["fleet"] == pytest.approx(
        10_000 + sum(1_460 / (1 + i) ** k for k in range(1, 25))
    )
    assert result.npv_usd["api"] == pytest.approx(sum(2_000 / (1 + i) ** k for k in range(1, 25)))
    assert result.npv_savings_usd == pytest.approx(result.npv_usd["api"] - result.npv_usd["fleet"])
    # savings at the horizon stay undiscounted
    assert result.savings_usd == pytest.approx(24 * saving - 10_000)


def test_cheaper_from_the_start_is_month_zero() -> None:
    usage = tco.Usage.constant(2e9, months=6, output_share=0.5)
    result = tco.break_even(dollar_api(), rented(), usage)  # 1,460 < 2,000 from month 1
    assert result.months == 0.0
    assert result.month == 0
    assert "from the start" in result.headline()


def test_never_cheaper_per_month() -> None:
    usage = tco.Usage.constant(1e9, months=12, output_share=0.5)  # API $1,000 < fleet $1,460
    result = tco.break_even(dollar_api(), rented(), usage)
    assert result.months is None
    assert result.month is None
    assert result.reason == "candidate never cheaper per month"
    assert not result.breaks_even
    assert result.savings_usd == pytest.approx(12 * (1_000 - 1_460))
    assert "does not break even" in result.headline()


def test_horizon_too_short_names_the_month() -> None:
    usage = tco.Usage.constant(2e9, months=24, output_share=0.5)
    fleet = rented(setup_usd=54_000)  # saves 540 a month: 54,000 / 540 = 100 months
    result = tco.break_even(dollar_api(), fleet, usage)
    assert result.months is None
    assert result.reason is not None
    assert result.reason.startswith("horizon too short: would break even at month 100")


def test_not_cheaper_at_the_end_of_the_horizon() -> None:
    # months 1-3: 2e9 tokens, fleet saves 2,000 - 1,460 = 540; months 4-6: 1e9, it loses 460
    usage = tco.Usage.from_series([2e9] * 3 + [1e9] * 3, output_share=0.5)
    result = tco.break_even(dollar_api(), rented(setup_usd=3_000), usage)
    assert result.months is None
    assert result.reason == "candidate not cheaper per month at the end of the horizon"
    assert result.savings_usd == pytest.approx(3 * 540 - 3 * 460 - 3_000)


def test_residual_credit_can_bring_break_even_to_the_horizon() -> None:
    # Buy one GPU for 35,000 (no power): the fleet saves 2,000 - 0 a month against the API.
    usage = tco.Usage.constant(2e9, months=12, output_share=0.5)
    fleet = rented(procurement=tco.Buy(usd_per_gpu=35_000, kw_per_gpu=0.0))
    # at t = 12 the fleet is still 35,000 - 12 x 2,000 = 11,000 behind; the residual value,
    # 35,000 x (1 - 12 / 48) = 26,250, credited at the end of month 12 puts it ahead
    credited = tco.break_even(dollar_api(), fleet, usage, credit_residual=True)
    assert credited.months == 12.0
    assert credited.month == 12
    assert credited.savings_usd == pytest.approx(-11_000 + 26_250)
    plain = tco.break_even(dollar_api(), fleet, usage)
    assert plain.months is None
    # without the credit, 11,000 / 2,000 = 5.5 more months: month 12 + 6 = 18
    assert plain.reason is not None
    assert plain.reason.startswith("horizon too short: would break even at month 18")


def test_amortized_view_changes_the_answer() -> None:
    usage = tco.Usage.constant(2e9, months=12, output_share=0.5)
    fleet = rented(procurement=tco.Buy(usd_per_gpu=48_000, kw_per_gpu=0.0))
    # accounting view: 48,000 / 48 months = 1,000 a month < 2,000: cheaper from the start
    result = tco.break_even(dollar_api(), fleet, usage, capex="amortized")
    assert result.months == 0.0
    assert result.savings_usd == pytest.approx(12 * (2_000 - 1_000))


def test_zero_usage_gives_a_never_reason() -> None:
    usage = tco.Usage.constant(0.0, months=12, output_share=0.5)
    result = tco.break_even(dollar_api(), rented(), usage)
    assert result.months is None
    assert result.reason is not None
    assert "no token volume" in result.reason
    assert "never cheaper per month" in result.reason


def test_result_views() -> None:
    usage = tco.Usage.constant(5e9, months=12, output_share=0.5)
    result = tco.break_even(dollar_api(), rented(setup_usd=1_000), usage, discount_rate=0.05)
    d = result.to_dict()
    assert d["baseline"] == "api" and d["candidate"] == "fleet"
    assert d["horizon_months"] == 12
    assert d["month"] == result.month
    assert d["discount_rate"] == 0.05
    frame = result.to_frame()
    assert list(frame.columns) == ["api", "fleet", "savings"]
    np.testing.assert_allclose(frame["savings"], frame["api"] - frame["fleet"])
    assert "BreakEven('fleet' vs 'api'" in repr(result)
    assert "fleet breaks even against api" in result._repr_html_()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.months = 1.0  # type: ignore[misc]


def test_same_name_is_refused() -> None:
    usage = tco.Usage.constant(1e9, months=2, output_share=0.5)
    with pytest.raises(ValueError, match="distinct names"):
        tco.break_even(dollar_api("x"), rented("x"), usage)


# --------------------------------------------------------------------------- kernel
def test_kernel_crossing_inside_a_month_after_a_jump() -> None:
    # saves 200 a month; a one-time 200 at the start of month 3 is recovered by its end
    up = np.array([0.0, 0.0, 600.0, 0.0, 0.0])
    rec = np.full(5, -200.0)
    # D: -200, -400, then +200 at t=2 -> 0 at t=3 -> stays below
    assert float(break_even_months(up, rec, np.zeros(5))) == 3.0
    # a bigger jump is never recovered within the horizon
    up[2] = 1_500.0
    assert math.isinf(float(break_even_months(up, rec, np.zeros(5))))


def test_kernel_end_credit_counts_at_the_month_end() -> None:
    up = np.array([100.0, 0.0, 0.0])
    end = np.array([0.0, 0.0, -150.0])
    assert float(break_even_months(up, np.zeros(3), end)) == 3.0


def test_kernel_zero_and_batch() -> None:
    zeros = np.zeros((2, 4))
    up = np.array([[0.0, 0, 0, 0], [30.0, 0, 0, 0]])
    rec = np.array([[-1.0] * 4, [-20.0] * 4])
    out = break_even_months(up, rec, zeros)
    assert out.shape == (2,)
    assert out.tolist() == [0.0, 1.5]
    assert float(break_even_months(zeros[0], zeros[0], zeros[0])) == 0.0


# --------------------------------------------------------------------------- volume
SHAPE = tco.Usage.constant(0.0, months=1, output_share=0.5)


def test_volume_threshold_of_a_rented_fleet_against_an_api() -> None:
    # fleet: $5,000 staff + $1,460 per replica, n(v) = ceil(v / C); API: v / 1e6 dollars.
    fleet = rented(staff_fte=0.5, staff_usd_per_year=120_000)
    # 5 replicas (v in (4C, 5C] = (10.51e9, 13.14e9]): cheaper once v / 1e6 > 5,000 + 5 x 1,460,
    # i.e. from 12.3e9; at 5C = 13.14e9 a 6th replica costs 13,760 > 13,140, so it is dearer
    # again until v / 1e6 = 13,760; every later step keeps it cheaper (6C: 15,768 > 15,220).
    expected = (5_000 + 6 * 1_460) * 1e6  # 13.76e9
    result = tco.break_even_volume(dollar_api(), fleet, SHAPE)
    assert result.reason is None
    assert result.tokens_per_month == pytest.approx(expected, rel=1e-9)
    assert result.baseline_monthly_usd == pytest.approx(13_760.0)
    assert result.candidate_monthly_usd == pytest.approx(13_760.0)
    assert result.baseline_usd_per_mtok == pytest.approx(1.0)
    assert result.candidate_usd_per_mtok == pytest.approx(1.0)
    assert "cheaper from 1.376e+10" in repr(result)


def test_volume_threshold_finds_a_narrow_window_above_a_step() -> None:
    # $5,550 staff: just above 6C = 15.768e9 the fleet costs 5,550 + 7 x 1,460 = 15,770,
    # $2 more than the API, in a window 2e6 tokens wide (0.013 %) up to 15.77e9.
    fleet = rented(staff_fte=0.555, staff_usd_per_year=120_000)
    assert 6 * C / 1e6 < 5_550 + 7 * 1_460  # the window exists
    expected = (5_550 + 7 * 1_460) * 1e6
    result = tco.break_even_volume(dollar_api(), fleet, SHAPE)
    assert result.tokens_per_month == pytest.approx(expected, rel=1e-9)


def test_volume_threshold_of_a_bought_fleet_is_amortized() -> None:
    # 48,000 over 48 months = 1,000 a month per GPU: cheaper from 1e9 tokens (1 replica serves
    # up to C = 2.628e9; at each later step 2,628 n > 1,000 (n + 1))
    fleet = rented(procurement=tco.Buy(usd_per_gpu=48_000, kw_per_gpu=0.0))
    result = tco.break_even_volume(dollar_api(), fleet, SHAPE)
    assert result.tokens_per_month == pytest.approx(1e9, rel=1e-9)


def test_volume_threshold_in_a_later_month_uses_its_prices() -> None:
    # baseline falls 25 % a year: $1.50 in month 13; candidate $1 + $1,000 a month
    baseline = tco.VendorAPI(
        "api", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0, annual_price_decline=0.25
    )
    flat = tco.VendorAPI(
        "flat", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, fixed_usd_per_month=1_000
    )
    month_1 = tco.break_even_volume(baseline, flat, SHAPE)
    month_13 = tco.break_even_volume(baseline, flat, SHAPE, month=13)
    assert month_1.tokens_per_month == pytest.approx(1_000 / (2.0 - 1.0) * 1e6, rel=1e-9)
    assert month_13.tokens_per_month == pytest.approx(1_000 / (1.5 - 1.0) * 1e6, rel=1e-9)


def test_volume_cheaper_at_every_volume_is_zero() -> None:
    baseline = dollar_api(fixed_usd_per_month=100.0)
    cheaper = tco.VendorAPI("cheap", input_usd_per_mtok=0.5, output_usd_per_mtok=0.5)
    result = tco.break_even_volume(baseline, cheaper, SHAPE)
    assert result.tokens_per_month == 0.0
    assert result.baseline_usd_per_mtok == math.inf


def test_volume_cheaper_per_token_without_fees_is_zero() -> None:
    # both cost nothing at zero volume; the candidate is cheaper at any volume above it
    cheaper = tco.VendorAPI("cheap", input_usd_per_mtok=0.5, output_usd_per_mtok=0.5)
    result = tco.break_even_volume(dollar_api(), cheaper, SHAPE)
    assert result.tokens_per_month == 0.0


def test_volume_never_cheaper_has_a_reason() -> None:
    slow = rented(prefill_tokens_per_s=1.0, decode_tokens_per_s=1.0)  # $555 per MTok
    result = tco.break_even_volume(dollar_api(), slow, SHAPE)
    assert result.tokens_per_month is None
    assert result.reason is not None
    assert "never cheaper per month" in result.reason
    assert result.candidate_usd_per_mtok is None
    assert "never cheaper" in repr(result)


def test_volume_cheaper_only_at_low_volume_is_not_a_threshold() -> None:
    # the API is cheaper below 1,460 MTok but the fleet wins at every higher volume
    result = tco.break_even_volume(rented(), dollar_api(), SHAPE)
    assert result.tokens_per_month is None
    assert result.reason is not None
    assert "cheaper per month at some volumes but not from any volume on" in result.reason


def test_volume_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="month"):
        tco.break_even_volume(dollar_api(), rented(), SHAPE, month=0)
    with pytest.raises(ValueError, match="max_tokens_per_month"):
        tco.break_even_volume(dollar_api(), rented(), SHAPE, max_tokens_per_month=math.nan)
