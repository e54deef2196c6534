"""tco.Question: one validated comparison, accepted by every analysis of two options."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import tco

H = 24


def options() -> tuple[tco.VendorAPI, tco.VendorAPI]:
    api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    cheap = tco.VendorAPI(
        "cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0, setup_usd=18_000
    )
    return api, cheap


def usage() -> tco.Usage:
    return tco.Usage.constant(1e9, months=H, output_share=0.5)


def question(rate: float = 0.0) -> tco.Question:
    return tco.Question(*options(), usage(), discount_rate=rate)


@pytest.mark.parametrize("rate", [0.0, 0.08])
def test_break_even_of_a_question_is_the_old_call(rate: float) -> None:
    api, cheap = options()
    assert tco.break_even(question(rate)) == tco.break_even(api, cheap, usage(), rate)


def test_payback_by_hand() -> None:
    # saves (3 + 15 - 1 - 5) x 500 = 6,000 a month against 18,000 up front
    assert tco.break_even(question()).months == 18_000 / 6_000


@pytest.mark.parametrize(
    ("call", "old"),
    [
        (
            lambda q: tco.tornado(q, {"candidate.setup_usd": (9_000, 36_000)}).frame,
            lambda b, c, u, r: (
                tco.tornado(
                    b, c, u, {"candidate.setup_usd": (9_000, 36_000)}, discount_rate=r
                ).frame
            ),
        ),
        (
            lambda q: tco.sweep(q, {"candidate.setup_usd": [0, 60_000]}).months,
            lambda b, c, u, r: (
                tco.sweep(b, c, u, {"candidate.setup_usd": [0, 60_000]}, discount_rate=r).months
            ),
        ),
        (
            lambda q: (
                tco.monte_carlo(
                    q, {"candidate.setup_usd": stats.uniform(0, 36_000)}, n=200, seed=3
                ).months
            ),
            lambda b, c, u, r: (
                tco.monte_carlo(
                    b,
                    c,
                    u,
                    {"candidate.setup_usd": stats.uniform(0, 36_000)},
                    n=200,
                    seed=3,
                    discount_rate=r,
                ).months
            ),
        ),
        (
            lambda q: tco.best_switch_month(q).table,
            lambda b, c, u, r: tco.best_switch_month(b, c, u, r).table,
        ),
        (
            lambda q: tco.best_switch_volume(q).table,
            lambda b, c, u, r: tco.best_switch_volume(b, c, u, r).table,
        ),
        (
            lambda q: tco.simulate(q).monthly(),
            lambda b, c, u, r: tco.simulate([b, c], u, r).monthly(),
        ),
        (
            lambda q: tco.price_trend_effect(q, declines=[0.0, 0.5]),
            lambda b, c, u, r: tco.price_trend_effect(b, c, u, [0.0, 0.5], r),
        ),
        (
            lambda q: tco.break_even_volume(q).tokens_per_month,
            lambda b, c, u, r: tco.break_even_volume(b, c, u).tokens_per_month,
        ),
    ],
    ids=[
        "tornado",
        "sweep",
        "monte_carlo",
        "switch_month",
        "switch_volume",
        "simulate",
        "price_trend_effect",
        "volume",
    ],
)
@pytest.mark.parametrize("rate", [0.0, 0.08])
def test_every_analysis_takes_a_question(call, old, rate: float) -> None:  # type: ignore[no-untyped-def]
    api, cheap = options()
    got, expected = call(question(rate)), old(api, cheap, usage(), rate)
    if hasattr(got, "equals"):
        assert got.equals(expected)
    else:
        np.testing.assert_array_equal(got, expected)


def test_sobol_takes_a_question() -> None:
    api, cheap = options()
    dists = {
        "candidate.setup_usd": stats.uniform(0, 1_000),
        "baseline.output_usd_per_mtok": stats.uniform(10, 10),
    }
    a = tco.sobol(question(), dists, n=64, seed=0)
    b = tco.sobol(api, cheap, usage(), dists, n=64, seed=0)
    assert a.first_order.equals(b.first_order)


def test_a_setting_given_twice_is_an_error_naming_it() -> None:
    with pytest.raises(TypeError, match="discount_rate: set by the Question"):
        tco.break_even(question(0.05), discount_rate=0.1)
    with pytest.raises(TypeError, match="discount_rate"):
        tco.break_even(question(), 0.1)
    with pytest.raises(TypeError, match="capex"):
        tco.simulate(question(), capex="amortized")


def test_question_validates_once_naming_the_argument() -> None:
    api, cheap = options()
    with pytest.raises(ValueError, match="distinct names"):
        tco.Question(api, api, usage())
    with pytest.raises(TypeError, match="candidate: str -> expected a VendorAPI"):
        tco.Question(api, "hosted", usage())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="usage: list"):
        tco.Question(api, cheap, [1e9])  # type: ignore[arg-type]
    for rate in (True, "0.08", math.nan, 11.0, -1.0):
        with pytest.raises(ValueError, match="discount_rate"):
            tco.Question(api, cheap, usage(), discount_rate=rate)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="capex"):
        tco.Question(api, cheap, usage(), capex="accrual")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="credit_residual"):
        tco.Question(api, cheap, usage(), credit_residual=1)  # type: ignore[arg-type]


def test_question_reads_well() -> None:
    q = question(0.08)
    assert repr(q) == "Question('cheap' vs 'api', 24 months, discount rate 8.0%, capex cash)"
    assert q.horizon == H and q.settings() == {
        "discount_rate": 0.08,
        "capex": "cash",
        "credit_residual": False,
    }
    swapped = q.with_options(q.candidate, q.baseline)
    assert (swapped.baseline.name, swapped.candidate.name) == ("cheap", "api")
