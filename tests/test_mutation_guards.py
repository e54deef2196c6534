"""Edge cases of the core that a hand-made mutation run found unguarded (issue 13;
``benchmarks/mutation_check.py`` applies the mutations and runs these tests).

* break-even volume: an exact tie is not "cheaper"; steady costs equal to rounding are a
  tie; a tie hidden between two grid points is found; under one token a month reads as 0;
* end-of-month credits in a batch: each draw of a switch on volume gets only its own credit;
* Switch / combine: residual values of every part are kept (and per draw); components of one
  name but different timings stay apart.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import tco
from tco.analysis.batch import Comparison
from tco.core.arrays import UsageArrays
from tco.core.option import Option
from tco.core.parts import CostContext, CostParts

SECONDS = 730 * 3600  # seconds in a month [s]
ALL_OUTPUT = tco.Usage.constant(0.0, months=1, output_share=1.0)


# --------------------------------------------------------------------------- volume ties
def test_identical_prices_are_never_cheaper_at_any_volume() -> None:
    # two APIs with the same prices cost the same at every volume: a tie, never "cheaper"
    a = tco.VendorAPI("a", input_usd_per_mtok=2.0, output_usd_per_mtok=3.0)
    b = tco.VendorAPI("b", input_usd_per_mtok=2.0, output_usd_per_mtok=3.0)
    result = tco.break_even_volume(a, b, ALL_OUTPUT)
    assert result.tokens_per_month is None
    assert result.reason is not None
    assert result.reason.startswith("candidate never cheaper per month at any steady volume")


def test_costs_equal_to_rounding_are_a_tie() -> None:
    # the candidate is cheaper by one float step in 0.3 (5.6e-17): a relative difference of
    # 2e-16, below the steady tolerance of 1e-12, so a tie: never cheaper
    up = math.nextafter(0.3, 1.0)
    a = tco.VendorAPI("a", input_usd_per_mtok=up, output_usd_per_mtok=up)
    b = tco.VendorAPI("b", input_usd_per_mtok=0.3, output_usd_per_mtok=0.3)
    assert (up - 0.3) / 0.3 < 1e-12
    assert tco.break_even_volume(a, b, ALL_OUTPUT).tokens_per_month is None


def _fleet(name: str, capacity: float, usd_per_gpu_hour: float) -> tco.SelfHosted:
    """One GPU a replica serving ``capacity`` output tokens a month at full utilisation."""
    return tco.SelfHosted(
        name,
        prefill_tokens_per_s=1e9,
        decode_tokens_per_s=capacity / SECONDS,
        procurement=tco.Rent(usd_per_gpu_hour),
        target_utilization=1.0,
    )


def test_a_tie_between_two_grid_points_is_found() -> None:
    # The search starts from a grid of volumes; put a window of ties strictly between two
    # neighbouring grid points lo < hi. The baseline fleet costs K = $1,460 a replica
    # (1 GPU x $2 x 730 h) and serves cap_a a replica; the candidate $730 a replica and
    # serves cap_b, with lo < cap_b < cap_a < hi < 2 cap_b. Up to cap_b: 730 < 1,460
    # (cheaper); on (cap_b, cap_a]: 2 x 730 = 1,460 = one baseline replica (a tie: not
    # cheaper); above cap_a the baseline needs 2 replicas (2,920) and the candidate 2 (up to
    # 2 cap_b), then n_b / 2 < n_a replicas on: cheaper. The threshold is cap_a. Both grid
    # points are cheaper, and candidate(hi) = baseline(lo) = $1,460 exactly: the interval
    # must be searched, not taken as cheaper throughout.
    grid = np.geomspace(1e3, 1e16, 20_001)
    k = int(np.searchsorted(grid, 1e9))
    lo, hi = grid[k], grid[k + 1]
    cap_b, cap_a = lo + (hi - lo) / 3, lo + 2 * (hi - lo) / 3
    assert hi < 2 * cap_b
    baseline, candidate = _fleet("a", cap_a, 2.0), _fleet("b", cap_b, 1.0)
    result = tco.break_even_volume(baseline, candidate, ALL_OUTPUT)
    # replicas = ceil(load x (1 - 1e-9)) (float noise never adds one): the second baseline
    # replica comes at cap_a / (1 - 1e-9), a token above cap_a
    assert result.tokens_per_month == pytest.approx(cap_a / (1 - 1e-9), rel=1e-12)
    assert result.baseline_monthly_usd == pytest.approx(2 * 1_460.0)
    assert result.candidate_monthly_usd == pytest.approx(2 * 730.0)


def test_a_cost_that_drops_at_a_volume_gives_that_volume_exactly() -> None:
    # The candidate moves from $2/MTok to $0.50/MTok at 5e9 tokens a month (a switch on
    # volume): dearer than the $1/MTok baseline below, cheaper from 5e9 on. The threshold
    # lies between two grid points; it is bisected to float precision, not left at one.
    dear = tco.VendorAPI("dear", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0)
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=0.5, output_usd_per_mtok=0.5)
    baseline = tco.VendorAPI("base", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    candidate = tco.SwitchOnVolume(dear, cheap, threshold_tokens_per_month=5e9, name="move")
    result = tco.break_even_volume(baseline, candidate, ALL_OUTPUT)
    assert result.tokens_per_month == pytest.approx(5e9, rel=1e-12)
    assert result.candidate_monthly_usd == pytest.approx(0.5 * 5e9 / 1e6)


def test_a_threshold_under_one_token_a_month_reads_as_zero() -> None:
    # $2/MTok against $1/MTok plus a fee of 0.7 x $1e-6 a month: equal at 0.7 tokens a
    # month (fee / ($1 per 1e6 tokens)); volumes under one token are not resolved: 0
    fee = 0.7 * 1e-6
    a = tco.VendorAPI("a", input_usd_per_mtok=2.0, output_usd_per_mtok=2.0)
    b = tco.VendorAPI("b", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0, fixed_usd_per_month=fee)
    assert tco.break_even_volume(a, b, ALL_OUTPUT).tokens_per_month == 0.0
    # at 7 tokens a month the threshold is resolved, to float precision
    b7 = b.model_copy(update={"fixed_usd_per_month": 7e-6})
    assert tco.break_even_volume(a, b7, ALL_OUTPUT).tokens_per_month == pytest.approx(7.0)


# --------------------------------------------------------------------------- batch credits
def _bought(name: str = "fleet") -> tco.SelfHosted:
    # one GPU of $24,000 over 2 years, no power: capex at the start of its first month,
    # book value straight-line
    buy = tco.Buy(usd_per_gpu=24_000, useful_life_years=2, kw_per_gpu=0.0)
    return tco.SelfHosted(name, prefill_tokens_per_s=1e6, decode_tokens_per_s=1e5, procurement=buy)


API = tco.VendorAPI("api", input_usd_per_mtok=5.0, output_usd_per_mtok=5.0)
GROWING = tco.Usage.linear(1e9, 12e9, months=12, output_share=0.5)  # 1e9 .. 12e9 tokens


def test_each_draw_of_a_switch_on_volume_gets_its_own_credit() -> None:
    # thresholds reached in months 3, 6 and 10: the fleet is bought at the start of
    # month 4, 7 or 11 and credited its book value at the horizon, per draw
    thresholds = np.array([3e9, 6e9, 10e9])
    switch = tco.SwitchOnVolume(API, _bought(), threshold_tokens_per_month=1e9, name="s")
    question = tco.Question(API, switch, GROWING, discount_rate=0.1, credit_residual=True)
    batch = Comparison(question).evaluate({"candidate.threshold_tokens_per_month": thresholds})
    for i, threshold in enumerate(thresholds):
        one = switch.model_copy(update={"threshold_tokens_per_month": float(threshold)})
        scalar = tco.break_even(API, one, GROWING, 0.1, credit_residual=True)
        assert batch.savings_usd[i] == pytest.approx(scalar.savings_usd, rel=1e-12)
        assert batch.npv_savings_usd[i] == pytest.approx(scalar.npv_savings_usd, rel=1e-12)
        # the credit by hand: bought at the start of month s + 1, 12 - s months before the
        # horizon, so (1 - (12 - s) / 24) of $24,000 is left
        s = switch.model_copy(update={"threshold_tokens_per_month": float(threshold)})
        month = s.switch_month(GROWING)
        credit = 24_000 * (1 - (12 - month) / 24)
        sim = scalar.simulation
        assert sim.residual_value()["s"] == pytest.approx(credit)


def test_batch_break_even_and_npv_count_the_credit_at_the_horizon() -> None:
    # API: 1e9 tokens a month at $1.10 (draw 0) or $1.00 output (draw 1) per MTok:
    # 500 x 1.1 + 500 x p a month. Fleet: one GPU bought for $24,000 at the start of month
    # 1 (no power, no staff), credited its book value, $12,000, at the end of month 12.
    usage = tco.Usage.constant(1e9, months=12, output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=1.1, output_usd_per_mtok=1.1)
    prices = np.array([1.1, 1.0])
    monthly = 500 * 1.1 + 500 * prices  # 1,100 and 1,050
    question = tco.Question(api, _bought(), usage, credit_residual=True)
    res = Comparison(question).evaluate({"baseline.output_usd_per_mtok": prices})
    # without the credit the fleet (24,000) never catches up with 12 x 1,100 = 13,200; with
    # it (12,000) it does, at the end of month 12, when the credit falls
    np.testing.assert_allclose(res.savings_usd, 12 * monthly - (24_000 - 12_000))
    assert res.months.tolist() == [12.0, 12.0]
    # at 10 % a year: monthly rate i with (1 + i) ** 12 = 1.1; recurring costs and the credit
    # are discounted to their month's end, the purchase to month 1's start
    i = 1.1 ** (1 / 12) - 1
    api_npv = monthly * sum((1 + i) ** -m for m in range(1, 13))
    fleet_npv = 24_000 - 12_000 / 1.1
    q10 = tco.Question(api, _bought(), usage, discount_rate=0.1, credit_residual=True)
    res10 = Comparison(q10).evaluate({"baseline.output_usd_per_mtok": prices})
    np.testing.assert_allclose(res10.npv_savings_usd, api_npv - fleet_npv, rtol=1e-12)


def test_batch_residual_values_follow_each_draws_switch_month() -> None:
    thresholds = np.array([3e9, 6e9, 10e9])
    switch = tco.SwitchOnVolume(API, _bought(), threshold_tokens_per_month=1e9, name="s")
    arrays = GROWING.arrays()
    parts = switch.cost_parts(
        arrays, CostContext(credit_residual=True), threshold_tokens_per_month=thresholds
    )
    expected = [
        24_000 * (1 - (12 - month) / 24)  # bought at the start of month + 1
        for month in (2, 5, 9)  # the last month before each threshold is reached
    ]
    np.testing.assert_allclose(np.asarray(parts.residual_usd), expected)
    credits = -np.asarray(parts.end["residual_credit"])[:, -1]
    np.testing.assert_allclose(credits, expected)


# --------------------------------------------------------------------------- switch, combine
def test_a_switch_keeps_the_residual_value_of_the_first_part() -> None:
    # the fleet is bought in month 1 and kept after the switch to the API in month 7: at
    # the horizon (12 months) half of its 2-year life is left: $12,000
    switch = tco.Switch(_bought(), API, month=6, name="s")
    sim = tco.simulate([switch], GROWING, credit_residual=True)
    assert sim.residual_value()["s"] == pytest.approx(12_000.0)
    assert sim.costs.query("component == 'residual_credit'")["usd"].sum() == pytest.approx(
        -12_000.0
    )


class _Flat(Option):
    """A test option: ``usd`` a month under ``component``, with the given timing."""

    usd: float
    component: str
    timing: str

    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        values = context.within(np.full(usage.months, self.usd))
        return CostParts(**{self.timing: {self.component: values}})


def test_components_of_one_name_and_two_timings_stay_apart() -> None:
    # "x" is a one-time cost of the first part and a recurring one of the second: the
    # second becomes "then.x", each keeping its timing
    first = _Flat(name="f", usd=100.0, component="x", timing="upfront")
    then = _Flat(name="t", usd=10.0, component="x", timing="recurring")
    usage = tco.Usage.constant(1e6, months=4, output_share=0.5)
    sim = tco.simulate([tco.Switch(first, then, month=2, name="s")], usage)
    timings = sim.costs.groupby("component")["timing"].unique().to_dict()
    assert {k: list(v) for k, v in timings.items()} == {"x": ["upfront"], "then.x": ["recurring"]}
    by = sim.by_component("s")
    assert by["x"].tolist() == [100.0, 100.0, 0.0, 0.0]
    assert by["then.x"].tolist() == [0.0, 0.0, 10.0, 10.0]
