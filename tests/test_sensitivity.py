"""Parameter paths, tornado, sweep and Sobol indices (issue 4).

Expected values come from closed forms written out here (payback = setup / monthly
saving), from the scalar engine ``tco.break_even()``, or for Sobol from the published
analytic indices of the Ishigami function.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import tco
import tco.analysis.montecarlo
import tco.analysis.paths
import tco.analysis.sobol
import tco.analysis.sweep
import tco.analysis.tornado
from tco.analysis.paths import ParameterSpace

H = 24
SAVING = 6_000.0  # API 9,000 - cheap 3,000 a month at 1e9 tokens, half output


def pair(setup: float = 18_000.0) -> tuple[tco.VendorAPI, tco.VendorAPI, tco.Usage]:
    u = tco.Usage.constant(1e9, months=H, output_share=0.5)
    base = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0, setup_usd=setup)
    return base, cheap, u


def api_monthly(output_price: float, tokens: float = 1e9) -> float:
    """Baseline monthly cost at half input (3 $/MTok), half output. [USD]"""
    return tokens / 2 / 1e6 * 3.0 + tokens / 2 / 1e6 * output_price


def rented(gpu_hour: float = 2.0) -> tco.SelfHosted:
    return tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Rent(usd_per_gpu_hour=gpu_hour),
        gpus_per_replica=2,
        setup_usd=40_000,
    )


# --------------------------------------------------------------------------- paths
def test_paths_come_from_core_params_and_usage_fields() -> None:
    base, _, _ = pair()
    u = tco.Usage.compound(start=1e9, monthly_growth=0.05, months=12, output_share=0.3)
    paths = tco.parameter_paths(base, rented(), u)
    for p in (
        "baseline.output_usd_per_mtok",
        "baseline.cache_read_usd_per_mtok",
        "candidate.decode_tokens_per_s",
        "candidate.procurement.usd_per_gpu_hour",
        "usage.start",
        "usage.monthly_growth",
        "usage.peak_to_average",
        "usage.output_share",
    ):
        assert p in paths
    assert "candidate.procurement.always_on" not in paths  # a flag, not a number
    bought = rented().model_copy(update={"procurement": tco.Buy(usd_per_gpu=30_000)})
    assert "candidate.procurement.usd_per_gpu" in tco.parameter_paths(base, bought, u)
    series = tco.Usage.from_series([1e9, 2e9], output_share=0.3)
    assert "usage.scale" in tco.parameter_paths(base, rented(), series)
    overflow = tco.Overflow(rented(), base, name="overflow")
    assert "candidate.fleet.procurement.usd_per_gpu_hour" in tco.parameter_paths(base, overflow, u)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("candidate.name", r"'name' \(= 'fleet'\) is a str, not a number"),
        ("candidate.procurement.plan", r"'plan' .* is a str, not a number"),
        ("candidate.procurement.always_on", r"bool value True is not numeric"),
        ("baseline.data_leaves_environment", r"is a bool, not a number"),
        ("candidate.fixed_replicas", r"not among the parameters the cost engine can vary"),
        ("usage.months", r"not among the parameters"),
        ("usage.nonsense", r"unknown parameter path 'usage\.nonsense'"),
        ("gpu.price", r"must start with 'baseline\.', 'candidate\.' or 'usage\.'"),
        ("candidate", r"must start with"),
    ],
)
def test_bad_paths_fail_listing_the_valid_ones(path: str, message: str) -> None:
    base, _, u = pair()
    space = ParameterSpace(base, rented(), u)
    with pytest.raises(tco.ParameterPathError, match=message) as err:
        space.resolve(path)
    assert "candidate.procurement.usd_per_gpu_hour" in str(err.value) or path.startswith(
        ("baseline", "usage")
    )


# --------------------------------------------------------------------------- tornado
def test_tornado_months_by_payback_formula_sorted_by_swing_with_never_explicit() -> None:
    base, cheap, u = pair()
    t = tco.tornado(
        base,
        cheap,
        u,
        {
            "candidate.setup_usd": (9_000.0, 36_000.0),
            "baseline.input_usd_per_mtok": (1.0, 5.0),
            "usage.output_share": (0.3, 0.3),
            "baseline.output_usd_per_mtok": (3.0, 20.0),  # 3.0: API costs what cheap does
        },
    )
    frame = t.to_frame()
    cheap_monthly = 3_000.0
    assert t.base == 18_000.0 / SAVING
    assert not t.base_never
    row = frame.loc["candidate.setup_usd"]
    assert (row.metric_low, row.metric_high) == (9_000.0 / SAVING, 36_000.0 / SAVING)
    row = frame.loc["baseline.input_usd_per_mtok"]
    # input at 1 or 5 $/MTok on 5e8 tokens, output 15 $/MTok on 5e8
    assert row.metric_low == pytest.approx(18_000.0 / (500 * 1.0 + 7_500 - cheap_monthly))
    assert row.metric_high == pytest.approx(18_000.0 / (500 * 5.0 + 7_500 - cheap_monthly))
    row = frame.loc["baseline.output_usd_per_mtok"]
    assert api_monthly(3.0) == cheap_monthly
    assert math.isinf(row.metric_low) and row.never_low and not row.never_high
    assert row.metric_high == pytest.approx(18_000.0 / (api_monthly(20.0) - cheap_monthly))
    assert math.isinf(row.swing)
    # never first (infinite swing), then by swing, zero swing last; no NaN anywhere
    assert list(frame.index) == [
        "baseline.output_usd_per_mtok",
        "candidate.setup_usd",
        "baseline.input_usd_per_mtok",
        "usage.output_share",
    ]
    assert frame.loc["usage.output_share", "swing"] == 0.0
    assert not frame.isna().any().any()
    assert list(frame.columns) == [
        "low",
        "high",
        "base",
        "metric_low",
        "metric_high",
        "never_low",
        "never_high",
        "swing",
    ]
    assert frame.attrs["metric"] == "months" and frame.attrs["horizon"] == H
    assert frame.loc["candidate.setup_usd", "base"] == 18_000.0
    assert tco.break_even(base, cheap, u).months == t.base


def test_tornado_both_ends_never_has_zero_swing() -> None:
    base, cheap, u = pair(setup=1e9)
    t = tco.tornado(base, cheap, u, {"candidate.setup_usd": (5e8, 2e9)})
    row = t.to_frame().loc["candidate.setup_usd"]
    assert row.never_low and row.never_high and row.swing == 0.0 and t.base_never


def test_tornado_savings_and_npv_metrics_by_hand() -> None:
    base, cheap, u = pair()
    ranges = {"candidate.setup_usd": (0.0, 50_000.0)}
    savings = tco.tornado(base, cheap, u, ranges, metric="savings_usd").to_frame()
    assert savings.loc["candidate.setup_usd", "metric_low"] == H * SAVING
    assert savings.loc["candidate.setup_usd", "metric_high"] == H * SAVING - 50_000.0
    assert savings.loc["candidate.setup_usd", "swing"] == 50_000.0
    rate = 0.08
    i = (1 + rate) ** (1 / 12) - 1
    pv_saving = sum(SAVING / (1 + i) ** k for k in range(1, H + 1))
    npv = tco.tornado(base, cheap, u, ranges, metric="npv_savings_usd", discount_rate=rate)
    row = npv.to_frame().loc["candidate.setup_usd"]
    assert row.metric_low == pytest.approx(pv_saving, rel=1e-12)
    assert row.metric_high == pytest.approx(pv_saving - 50_000.0, rel=1e-12)
    assert npv.base == pytest.approx(pv_saving - 18_000.0, rel=1e-12)


def test_tornado_on_a_fleet_equals_scalar_engine() -> None:
    base, _, _ = pair()
    u = tco.Usage.compound(start=2e9, monthly_growth=0.1, months=36, output_share=0.3)
    ranges = {
        "candidate.procurement.usd_per_gpu_hour": (1.0, 6.0),
        "usage.monthly_growth": (0.0, 0.2),
        "candidate.decode_tokens_per_s": (800.0, 4_000.0),
    }
    frame = tco.tornado(base, rented(), u, ranges).to_frame()

    def months(be: tco.BreakEven) -> float:
        return math.inf if be.months is None else be.months

    low_gpu = tco.break_even(base, rented(1.0), u)
    high_gpu = tco.break_even(base, rented(6.0), u)
    assert frame.loc["candidate.procurement.usd_per_gpu_hour", "metric_low"] == months(low_gpu)
    assert frame.loc["candidate.procurement.usd_per_gpu_hour", "metric_high"] == months(high_gpu)
    flat = tco.Usage.compound(start=2e9, monthly_growth=0.0, months=36, output_share=0.3)
    assert frame.loc["usage.monthly_growth", "metric_low"] == months(
        tco.break_even(base, rented(), flat)
    )
    slow = rented().model_copy(update={"decode_tokens_per_s": 800.0})
    assert frame.loc["candidate.decode_tokens_per_s", "metric_low"] == months(
        tco.break_even(base, slow, u)
    )


def test_tornado_bad_input_fails_clearly() -> None:
    base, cheap, u = pair()
    with pytest.raises(ValueError, match=r"ranges\['candidate\.setup_usd'\]: 5 -> a pair"):
        tco.tornado(base, cheap, u, {"candidate.setup_usd": 5})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match=r"usage\.output_share.*1\.5.*less than or equal to 1"):
        tco.tornado(base, cheap, u, {"usage.output_share": (0.1, 1.5)})
    with pytest.raises(ValueError, match=r"metric: 'payback'"):
        tco.tornado(base, cheap, u, {"candidate.setup_usd": (0, 1)}, metric="payback")
    with pytest.raises(ValueError, match="ranges"):
        tco.tornado(base, cheap, u, {})
    with pytest.raises(tco.ParameterPathError, match="not a number"):
        tco.tornado(base, cheap, u, {"candidate.name": (0, 1)})
    with pytest.raises(ValueError, match="distinct names"):
        tco.tornado(base, base, u, {"candidate.setup_usd": (0, 1)})


def test_tornado_result_object(monkeypatch: pytest.MonkeyPatch) -> None:
    base, cheap, u = pair()
    t = tco.tornado(base, cheap, u, {"candidate.setup_usd": (9_000.0, 36_000.0)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.base = 0.0  # type: ignore[misc]
    assert "candidate.setup_usd: 9000 -> 1.50, 36000 -> 6.00" in repr(t)
    assert "<table" in t._repr_html_()
    seen = []
    monkeypatch.setattr(tco.plot, "tornado", lambda r, ax=None: seen.append((r, ax)))
    t.plot(ax="AX")
    assert seen == [(t, "AX")]


# --------------------------------------------------------------------------- sweep
def test_sweep_2d_grid_by_payback_formula_and_heatmap_layout() -> None:
    base, cheap, u = pair()
    setups = [0.0, 30_000.0, 60_000.0, 200_000.0]
    tokens = [5e8, 1e9, 2e9]
    s = tco.sweep(base, cheap, u, {"candidate.setup_usd": setups, "usage.tokens": tokens})
    frame = s.to_frame()
    assert frame.index.name == "candidate.setup_usd" and frame.columns.name == "usage.tokens"
    assert list(frame.index) == setups and list(frame.columns) == tokens
    for setup in setups:
        for tok in tokens:
            saving = SAVING * tok / 1e9
            t = setup / saving
            expected = t if t <= H else math.inf
            assert frame.loc[setup, tok] == pytest.approx(expected, rel=1e-12)
            assert s.savings_usd[setups.index(setup), tokens.index(tok)] == pytest.approx(
                H * saving - setup, rel=1e-12
            )
    assert math.isinf(frame.loc[200_000.0, 5e8]) and not frame.isna().any().any()
    assert frame.attrs["metric"] == "months" and frame.attrs["paths"] == (
        "candidate.setup_usd",
        "usage.tokens",
    )
    tidy = s.tidy()
    assert list(tidy.columns) == [
        "candidate.setup_usd",
        "usage.tokens",
        "months",
        "never",
        "savings_usd",
        "npv_savings_usd",
    ]
    assert len(tidy) == 12 and tidy["never"].sum() == np.isinf(s.months).sum()
    assert list(s.to_frame("savings_usd").index) == setups


def test_sweep_1d_layout() -> None:
    base, cheap, u = pair()
    s = tco.sweep(base, cheap, u, {"candidate.setup_usd": np.array([6_000.0, 12_000.0])})
    frame = s.to_frame()
    assert list(frame.columns) == ["months"] and frame.index.name == "candidate.setup_usd"
    assert frame["months"].tolist() == [1.0, 2.0]


def test_sweep_of_a_fleet_equals_scalar_engine_at_every_point() -> None:
    base, _, _ = pair()
    u = tco.Usage.compound(start=1e9, monthly_growth=0.1, months=36, output_share=0.3)
    starts = np.array([2e8, 1e9, 5e9])
    prices = np.array([1.0, 3.0, 8.0])
    s = tco.sweep(
        base, rented(), u, {"usage.start": starts, "candidate.procurement.usd_per_gpu_hour": prices}
    )
    for i, start in enumerate(starts):
        for j, price in enumerate(prices):
            ui = tco.Usage.compound(start=start, monthly_growth=0.1, months=36, output_share=0.3)
            be = tco.break_even(base, rented(price), ui)
            assert s.months[i, j] == (math.inf if be.months is None else be.months)
            assert s.savings_usd[i, j] == be.savings_usd


def test_sweep_bad_input_fails_clearly() -> None:
    base, cheap, u = pair()
    three = {"candidate.setup_usd": [1.0], "usage.tokens": [1.0], "baseline.setup_usd": [1.0]}
    with pytest.raises(ValueError, match="one or two parameter paths"):
        tco.sweep(base, cheap, u, three)
    with pytest.raises(ValueError, match="1-D"):
        tco.sweep(base, cheap, u, {"candidate.setup_usd": [[1.0, 2.0]]})
    with pytest.raises(ValueError, match="empty"):
        tco.sweep(base, cheap, u, {"candidate.setup_usd": []})
    with pytest.raises(ValueError, match="negative"):
        tco.sweep(base, cheap, u, {"candidate.setup_usd": [-1.0, 2.0]})


def test_sweep_result_object(monkeypatch: pytest.MonkeyPatch) -> None:
    base, cheap, u = pair()
    s = tco.sweep(base, cheap, u, {"candidate.setup_usd": [6_000.0, 1e6]})
    assert "never breaks even at 50% of points" in repr(s)
    with pytest.raises(ValueError, match="read-only"):
        s.months[0] = 0.0
    seen = []
    monkeypatch.setattr(tco.plot, "heatmap", lambda frame, ax=None: seen.append(frame))
    s.plot()
    assert seen[0].equals(s.to_frame())
    assert "<table" in s._repr_html_()


# --------------------------------------------------------------------------- Sobol
def test_sobol_indices_of_the_ishigami_function_match_analytic_values() -> None:
    a, b = 7.0, 0.1
    pi = math.pi

    def ishigami(x: dict[str, np.ndarray]) -> np.ndarray:
        return np.sin(x["x1"]) + a * np.sin(x["x2"]) ** 2 + b * x["x3"] ** 4 * np.sin(x["x1"])

    # Ishigami & Homma (1990); Sobol' & Levitan (1999): partial variances
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    var = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    assert v1 + v2 + v13 == pytest.approx(var)
    uniform = stats.uniform(-pi, 2 * pi)
    res = tco.analysis.sobol.sobol_indices(
        ishigami, {"x1": uniform, "x2": uniform, "x3": uniform}, n=2**13, seed=1234
    )
    np.testing.assert_allclose(res.first_order, [v1 / var, v2 / var, 0.0], atol=0.03)
    np.testing.assert_allclose(res.total_order, [(v1 + v13) / var, v2 / var, v13 / var], atol=0.03)
    assert res.variance == pytest.approx(var, rel=0.05)
    assert res.evaluations == 2**13 * 5


def test_sobol_on_a_tco_metric_ranks_the_dominant_input_first() -> None:
    base, cheap, u = pair()
    dists = {
        "candidate.setup_usd": stats.uniform(10_000, 2_000),  # narrow: +-1,000
        "baseline.output_usd_per_mtok": stats.uniform(6.0, 20.0),  # dominant: 12,000 a month
        "usage.output_share": stats.uniform(0.45, 0.1),
    }
    res = tco.sobol(base, cheap, u, dists, metric="savings_usd", n=512, seed=0)
    assert res.ranking()[0] == "baseline.output_usd_per_mtok"
    assert res.first_order["baseline.output_usd_per_mtok"] > 0.8
    frame = res.to_frame()
    # issue 13: the bootstrap intervals are part of the table
    assert list(frame.columns) == [
        "first_order",
        "total_order",
        "first_order_low",
        "first_order_high",
        "total_order_low",
        "total_order_high",
    ]
    assert frame.index.name == "path"
    assert "baseline.output_usd_per_mtok: first order" in repr(res)
    ci = res.confidence_intervals(n_resamples=99)
    assert list(ci.columns) == [
        "first_order_low",
        "first_order_high",
        "total_order_low",
        "total_order_high",
    ]


def test_sobol_months_needs_a_stand_in_for_never() -> None:
    base, cheap, u = pair()
    dists = {"candidate.setup_usd": stats.uniform(0, 300_000)}  # beyond 24 x 6,000: never
    with pytest.raises(ValueError, match="never_months"):
        tco.sobol(base, cheap, u, dists, metric="months", n=64, seed=0)
    res = tco.sobol(base, cheap, u, dists, metric="months", n=64, seed=0, never_months=H + 1)
    assert res.never_months == H + 1
    assert res.first_order["candidate.setup_usd"] == pytest.approx(1.0, abs=0.05)


def test_sobol_bad_input_fails_clearly() -> None:
    base, cheap, u = pair()
    with pytest.raises(ValueError, match=r"power of 2 >= 2 \(e\.g\. 128\)"):
        tco.sobol(base, cheap, u, {"candidate.setup_usd": stats.uniform(0, 1)}, n=100)
    with pytest.raises(TypeError, match="need a distribution for every input"):
        tco.sobol(base, cheap, u, {"candidate.setup_usd": 5.0}, n=64)
    with pytest.raises(ValueError, match="negative"):
        tco.sobol(base, cheap, u, {"candidate.setup_usd": stats.norm(0, 1)}, n=64)


def test_tornado_on_an_unset_optional_field_shows_missing_base_not_nan() -> None:
    base, _, _ = pair()
    bought = rented().model_copy(update={"procurement": tco.Buy(usd_per_gpu=30_000)})
    u = tco.Usage.constant(5e9, months=36, output_share=0.3)
    path = "candidate.procurement.powered_hours_per_month"  # None: the usage's hours
    frame = tco.tornado(base, bought, u, {path: (300.0, 730.0)}).to_frame()
    assert frame["base"].dtype == "Float64" and frame.loc[path, "base"] is pd.NA
    at_730 = tco.break_even(
        base,
        rented().model_copy(
            update={"procurement": tco.Buy(usd_per_gpu=30_000, powered_hours_per_month=730.0)}
        ),
        u,
    )
    assert frame.loc[path, "metric_high"] == at_730.months


def test_public_names_are_exported() -> None:
    names = {
        "tornado",
        "sweep",
        "monte_carlo",
        "sobol",
        "parameter_paths",
        "TornadoResult",
        "SweepResult",
        "MonteCarloResult",
        "SobolResult",
        "ParameterPathError",
    }
    assert names <= set(tco.__all__)
    modules = [tco.analysis.tornado, tco.analysis.sweep, tco.analysis.montecarlo]
    modules += [tco.analysis.sobol, tco.analysis.paths]
    for name in names:
        assert any(getattr(m, name, None) is getattr(tco, name) for m in modules), name
