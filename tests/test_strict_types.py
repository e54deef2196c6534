"""Strict types (issue 13): a bool is never a number, text is never a number in a scenario
file, and a wrong argument type is named. Every message names the argument (or file and
dotted field), the bad value and what is allowed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

import tco
from tco.analysis.drivers import find_drivers

USAGE = tco.Usage.constant(1e9, months=12, output_share=0.5)
API = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
CHEAP = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0, setup_usd=1e4)
FLEET = tco.SelfHosted(
    "fleet", prefill_tokens_per_s=10_000, decode_tokens_per_s=1_000, procurement=tco.Rent(2.0)
)
CLASSES = [tco.TaskClass("all", share=1.0, need="basic")]
CAPS = {"api": "frontier", "fleet": "strong"}
DIST = {"candidate.setup_usd": stats.uniform(0, 1e4)}


# --------------------------------------------------------------------------- booleans
BOOL_CALLS: dict[str, tuple[Callable[[], Any], str]] = {
    "Usage.constant tokens": (lambda: tco.Usage.constant(True, 12, output_share=0.5), "tokens"),
    "Usage.constant months": (lambda: tco.Usage.constant(1e9, True, output_share=0.5), "months"),
    "Usage.linear start": (lambda: tco.Usage.linear(True, 2e9, 12, output_share=0.5), "start"),
    "Usage.compound growth": (
        lambda: tco.Usage.compound(1e9, True, 12, output_share=0.5),
        "monthly_growth",
    ),
    "Usage.from_series": (lambda: tco.Usage.from_series([1e9, True], output_share=0.5), "series"),
    "Usage.from_series array": (
        lambda: tco.Usage.from_series(np.array([True, False]), output_share=0.5),
        "series",
    ),
    "Usage.from_requests requests": (
        lambda: tco.Usage.from_requests(True, 700, 300, months=2),
        "requests_per_month",
    ),
    "Usage.from_requests tokens": (
        lambda: tco.Usage.from_requests(1000, True, 300, months=2),
        "input_tokens_per_request",
    ),
    "Usage.from_requests months": (
        lambda: tco.Usage.from_requests(1000, 700, 300, months=True),
        "months",
    ),
    "VendorAPI price": (
        lambda: tco.VendorAPI("a", input_usd_per_mtok=True, output_usd_per_mtok=1.0),
        "input_usd_per_mtok",
    ),
    "simulate rate": (lambda: tco.simulate([API], USAGE, True), "discount_rate"),
    "simulate credit_residual": (
        lambda: tco.simulate([API], USAGE, credit_residual=1),
        "credit_residual",
    ),
    "break_even_volume month": (
        lambda: tco.break_even_volume(API, CHEAP, USAGE, month=True),
        "month",
    ),
    "break_even_volume top": (
        lambda: tco.break_even_volume(API, CHEAP, USAGE, max_tokens_per_month=True),
        "max_tokens_per_month",
    ),
    "monte_carlo n": (lambda: tco.monte_carlo(API, CHEAP, USAGE, {}, n=True), "n"),
    "monte_carlo seed": (lambda: tco.monte_carlo(API, CHEAP, USAGE, {}, n=4, seed=True), "seed"),
    "monte_carlo percentiles": (
        lambda: tco.monte_carlo(API, CHEAP, USAGE, DIST, n=4, seed=0, percentiles=(True, 50)),
        "percentiles",
    ),
    "prob_break_even_by month": (
        lambda: tco.monte_carlo(API, CHEAP, USAGE, DIST, n=4, seed=0).prob_break_even_by(True),
        "month",
    ),
    "sobol n": (
        lambda: tco.sobol(API, CHEAP, USAGE, {"candidate.setup_usd": stats.uniform(0, 1)}, n=True),
        "n",
    ),
    "sobol seed": (
        lambda: tco.sobol(
            API, CHEAP, USAGE, {"candidate.setup_usd": stats.uniform(0, 1)}, n=8, seed=True
        ),
        "seed",
    ),
    "sweep grid": (
        lambda: tco.sweep(API, CHEAP, USAGE, {"candidate.setup_usd": [True, 1.0]}),
        "candidate.setup_usd",
    ),
    "tornado range": (
        lambda: tco.tornado(API, CHEAP, USAGE, {"candidate.setup_usd": (False, True)}),
        "candidate.setup_usd",
    ),
    "best_switch_month tolerance": (
        lambda: tco.best_switch_month(API, FLEET, USAGE, tolerance=True),
        "tolerance",
    ),
    "best_overflow points": (lambda: tco.best_overflow(FLEET, API, USAGE, points=True), "points"),
    "recommend horizon": (lambda: tco.recommend(USAGE, [API, FLEET], horizon=True), "horizon"),
    "recommend tolerance": (
        lambda: tco.recommend(USAGE, [API, FLEET], tolerance=True),
        "tolerance",
    ),
    "recommend data_must_stay": (
        lambda: tco.recommend(USAGE, [API, FLEET], data_must_stay=1),
        "data_must_stay",
    ),
    "route data_must_stay": (
        lambda: tco.route(CLASSES, [API, FLEET], USAGE, CAPS, data_must_stay=1),
        "data_must_stay",
    ),
    "with_trends api": (lambda: tco.with_trends(API, api=True), "annual price decline"),
    "price_trend_effect declines": (
        lambda: tco.price_trend_effect(API, FLEET, USAGE, declines=[True]),
        "annual price decline",
    ),
}


@pytest.mark.parametrize("case", list(BOOL_CALLS))
def test_a_bool_is_never_a_number(case: str) -> None:
    call, argument = BOOL_CALLS[case]
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    message = str(info.value)
    assert argument in message
    assert "True" in message or "False" in message or "bool" in message


# --------------------------------------------------------------------------- argument types
WRONG_TYPES: dict[str, tuple[Callable[[], Any], str]] = {
    "break_even candidate": (lambda: tco.break_even(API, "hosted", USAGE), "candidate: str"),
    "break_even usage": (lambda: tco.break_even(API, FLEET, "usage"), "usage: str"),
    "simulate option": (lambda: tco.simulate([API, "x"], USAGE), "options[1]: str"),
    "break_even_volume baseline": (
        lambda: tco.break_even_volume("api", FLEET, USAGE),
        "baseline: str",
    ),
    "route option": (lambda: tco.route(CLASSES, [API, "x"], USAGE, CAPS), "options[1]: str"),
    "route capabilities": (
        lambda: tco.route(CLASSES, [API, FLEET], USAGE, ["api"]),
        "capabilities: list",
    ),
    "recommend workload": (lambda: tco.recommend("usage", [API, FLEET]), "workload: str"),
    "recommend option": (lambda: tco.recommend(USAGE, [API, "x"]), "options[1]: str"),
    "best_overflow fleet": (lambda: tco.best_overflow("fleet", API, USAGE), "fleet: str"),
    "best_overflow api": (lambda: tco.best_overflow(FLEET, "api", USAGE), "api: str"),
    "find_drivers winner": (lambda: find_drivers("x", API, USAGE), "winner: str"),
    "with_trends option": (lambda: tco.with_trends("x", api=0.3), "option: str"),
    "price_trend_effect fleet": (
        lambda: tco.price_trend_effect(API, "fleet", USAGE),
        "fleet: str",
    ),
    "best_switch_month then": (lambda: tco.best_switch_month(API, "x", USAGE), "then: str"),
}


@pytest.mark.parametrize("case", list(WRONG_TYPES))
def test_a_wrong_argument_type_is_named(case: str) -> None:
    call, named = WRONG_TYPES[case]
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    assert str(info.value).startswith(named)


def test_integral_floats_and_numpy_numbers_are_still_numbers() -> None:
    # the strict checks refuse flags and text, not numbers of another numeric type
    u = tco.Usage.from_series(np.array([1e9, 2e9]), output_share=0.5)
    assert u.tokens.tolist() == [1e9, 2e9]
    v = tco.break_even_volume(API, CHEAP, USAGE, month=np.int64(2), max_tokens_per_month=1e12)
    assert v.tokens_per_month == 0.0  # cheaper at every volume: no fee, lower prices


# --------------------------------------------------------------------------- scenario files
SCENARIO = """
[scenario]
baseline = "api"
candidate = "cheap"
discount_rate = 0.08

[usage]
output_share = 0.5
[usage.curve]
kind = "constant"
tokens = 1e9
months = 36

[options.api]
type = "api"
input_usd_per_mtok = 3.0
output_usd_per_mtok = 15.0

[options.cheap]
type = "api"
input_usd_per_mtok = 1.0
output_usd_per_mtok = 5.0
data_leaves_environment = true
"""


@pytest.mark.parametrize(
    ("old", "new", "field", "value", "allowed"),
    [
        ("months = 36", 'months = "36"', "usage.curve.constant.months", "'36'", "integer"),
        ("output_share = 0.5", "output_share = true", "usage.output_share", "True", "number"),
        (
            "data_leaves_environment = true",
            'data_leaves_environment = "off"',
            "options.cheap.data_leaves_environment",
            "'off'",
            "boolean",
        ),
        (
            "discount_rate = 0.08",
            "discount_rate = true",
            "scenario.discount_rate",
            "True",
            "number",
        ),
        (
            "discount_rate = 0.08",
            'discount_rate = "0.08"',
            "scenario.discount_rate",
            "'0.08'",
            "number",
        ),
        ("tokens = 1e9", 'tokens = "1e9"', "usage.curve.constant.tokens", "'1e9'", "number"),
        (
            "input_usd_per_mtok = 1.0",
            "input_usd_per_mtok = false",
            "options.cheap.input_usd_per_mtok",
            "False",
            "number",
        ),
    ],
)
def test_scenario_file_refuses_text_and_flags_as_numbers(
    tmp_path: Path, old: str, new: str, field: str, value: str, allowed: str
) -> None:
    assert old in SCENARIO
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO.replace(old, new), encoding="utf-8")
    with pytest.raises(tco.ScenarioError) as info:
        tco.Scenario.from_toml(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {field}: {value} -> ")
    assert allowed in message


def test_scenario_ranges_refuse_flags(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO + '\n[ranges]\n"candidate.setup_usd" = [false, true]\n')
    with pytest.raises(tco.ScenarioError, match=r"ranges: candidate\.setup_usd: \[False, True\]"):
        tco.Scenario.from_toml(path)


@pytest.mark.parametrize("capability", ["true", "[1, 2]", "{ easy = true }", "{}"])
def test_scenario_capability_must_be_a_tier_a_score_or_a_table(
    tmp_path: Path, capability: str
) -> None:
    path = tmp_path / "s.toml"
    text = SCENARIO.replace(
        "data_leaves_environment = true",
        f"data_leaves_environment = true\ncapability = {capability}",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(tco.ScenarioError) as info:
        tco.Scenario.from_toml(path)
    assert str(info.value).startswith(f"{path}: options.cheap.capability: ")
    assert "-> a tier (basic, strong, frontier), a benchmark score, or a table" in str(info.value)
