"""Finite, plausible answers (issue 13): a cost that is not finite is an error naming the
option and the input, never a result; "inf" and "nan" never appear in text; implausible
inputs warn with the figure."""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import pytest
from scipy import stats

import tco
from tco.cli import main
from tco.core.plausible import MAX_PLAUSIBLE_GPUS, MAX_PLAUSIBLE_USD, PLAUSIBLE_USD_PER_MTOK
from tco.report import write_report

USAGE = tco.Usage.constant(1e9, months=12, output_share=0.5)
API = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
# 2 FTE at 1e308 a year: each month's cost (1.7e307) is a float, the year's (2e308) is not
HUGE_STAFF = tco.VendorAPI(
    "costly", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0, staff_fte=2, staff_usd_per_year=1e308
)
FLEET = tco.SelfHosted(
    "fleet", prefill_tokens_per_s=10_000, decode_tokens_per_s=1_000, procurement=tco.Rent(2.0)
)
HUGE_FLEET = tco.SelfHosted(
    "big-fleet",
    prefill_tokens_per_s=10_000,
    decode_tokens_per_s=1_000,
    procurement=tco.Rent(2.0),
    staff_fte=2.0,
    staff_usd_per_year=1e308,
)
NAMED = r"costly: .* is not finite .*staff_usd_per_year = 1e\+308"
FLEET_NAMED = r"big-fleet.*: .* is not finite .*staff_usd_per_year = 1e\+308"


# --------------------------------------------------------------------------- non-finite
@pytest.mark.parametrize(
    "call",
    [
        lambda: tco.simulate([API, HUGE_STAFF], USAGE),
        lambda: tco.break_even(API, HUGE_STAFF, USAGE),
        lambda: tco.break_even(API, HUGE_STAFF, USAGE, discount_rate=0.08),
        lambda: tco.recommend(USAGE, [API, HUGE_STAFF]),
        lambda: tco.best_switch_month(API, HUGE_STAFF, USAGE),
        lambda: tco.best_switch_volume(API, HUGE_STAFF, USAGE),
        lambda: tco.route(
            [tco.TaskClass("all", share=1.0, need="basic")],
            [API, HUGE_STAFF],
            USAGE,
            {"api": "basic", "costly": "basic"},
        ),
        lambda: tco.price_trend_effect(API, HUGE_STAFF, USAGE, declines=[0.0]),
    ],
    ids=[
        "simulate",
        "break_even",
        "break_even_npv",
        "recommend",
        "switch_month",
        "switch_volume",
        "route",
        "trend",
    ],
)
def test_a_cost_beyond_float_is_an_error_naming_option_and_input(call) -> None:
    with pytest.raises(FloatingPointError, match=NAMED):
        call()


def test_best_overflow_and_recommend_with_an_overflowing_fleet() -> None:
    peaky = USAGE.with_shape(peak_to_average=2.0)
    with pytest.raises(FloatingPointError, match=FLEET_NAMED):
        tco.best_overflow(HUGE_FLEET, API, peaky)
    with pytest.raises(FloatingPointError, match=FLEET_NAMED):
        tco.recommend(peaky, [API, HUGE_FLEET])


def test_break_even_volume_names_option_volume_and_input() -> None:
    # a price of 1e300 per MTok is a float; at 1e10 tokens a month the cost is not
    dear = tco.VendorAPI("dear", input_usd_per_mtok=1e300, output_usd_per_mtok=1e300)
    with (
        pytest.warns(tco.PlausibilityWarning),
        pytest.raises(FloatingPointError, match=r"dear: monthly cost at a steady .* tokens/month"),
    ):
        tco.break_even_volume(dear, API, USAGE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tco.PlausibilityWarning)
        with pytest.raises(FloatingPointError, match=r"input_usd_per_mtok = 1e\+300"):
            tco.break_even_volume(dear, API, USAGE)


def test_monte_carlo_draw_beyond_float_names_the_draw() -> None:
    with pytest.raises(FloatingPointError, match=r"costly: cost is not finite .*staff_fte"):
        tco.monte_carlo(
            API, HUGE_STAFF, USAGE, {"candidate.staff_fte": stats.uniform(1, 1)}, n=8, seed=0
        )


# --------------------------------------------------------------------------- no inf, no nan
INF_NAN = re.compile(r"\b(inf|nan)\b", re.IGNORECASE)


def _texts(result: object) -> list[str]:
    texts = [repr(result), result._repr_html_()]  # type: ignore[attr-defined]
    if hasattr(result, "headline"):
        texts.append(result.headline())
    return texts


def test_zero_usage_says_what_is_undefined(tmp_path: Path, capsys) -> None:
    zero = tco.Usage.constant(0.0, months=12, output_share=0.5)
    fleet = tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=10_000,
        decode_tokens_per_s=1_000,
        procurement=tco.Rent(2.0),
        setup_usd=1_000,
    )
    results = [
        tco.simulate([API, fleet], zero),
        tco.break_even(API, fleet, zero),
        tco.break_even(API, fleet, zero, discount_rate=0.08),
        tco.break_even_volume(fleet, API, zero),  # the API is cheaper at every volume
        tco.recommend(zero, [API, fleet]),
        tco.best_switch_month(API, fleet, zero),
        tco.route(
            [tco.TaskClass("all", share=1.0, need="basic")], [API, fleet], zero, {"api": "basic"}
        ),
        tco.tornado(API, fleet, zero, {"candidate.setup_usd": (0.0, 2_000.0)}),
    ]
    for result in results:
        for text in _texts(result):
            assert not INF_NAN.search(text), (type(result).__name__, text)
    rec = results[4]
    assert "no tokens served: cost per million tokens is undefined" in rec.summary

    path = tmp_path / "zero.toml"
    path.write_text(
        '[usage]\noutput_share = 0.5\n[usage.curve]\nkind = "constant"\ntokens = 0\nmonths = 12\n'
        '[options.api]\ntype = "api"\ninput_usd_per_mtok = 3\noutput_usd_per_mtok = 15\n'
        '[options.cheap]\ntype = "api"\ninput_usd_per_mtok = 1\noutput_usd_per_mtok = 5\n'
        "fixed_usd_per_month = 10\n"
    )
    for argv in (["break-even", str(path)], ["recommend", str(path)], ["simulate", str(path)]):
        assert main(argv) == 0
        out, err = capsys.readouterr()
        assert not INF_NAN.search(out + err), out
    assert main(["break-even", str(path)]) == 0
    out = capsys.readouterr().out
    assert "avg $/MTok n/a: no tokens served, so cost per million tokens is undefined" in out
    report = write_report(path, tmp_path / "out")
    text = report.markdown.read_text()
    assert not INF_NAN.search(text)
    assert "No tokens are served: cost per million tokens is undefined." in text


def test_tornado_swing_without_break_even_reads_in_words() -> None:
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0, setup_usd=1e4)
    t = tco.tornado(API, cheap, USAGE, {"baseline.output_usd_per_mtok": (0.0, 20.0)})
    assert "unbounded: never at one end" in repr(t)
    assert not INF_NAN.search(repr(t))


# --------------------------------------------------------------------------- plausibility
def test_plausible_price_bound_is_100x_the_bundled_catalogs_highest() -> None:
    table = tco.load_pricing().table("api")
    prices = table[[c for c in table.columns if c.endswith("_usd_per_mtok")]]
    assert 100 * float(prices.max().max()) <= PLAUSIBLE_USD_PER_MTOK


def test_a_fleet_of_more_than_100000_gpus_warns_with_the_figure() -> None:
    # replica-seconds: 5e14 / 10,000 + 5e14 / 1,000 = 5.5e11 s; / (730 x 3,600 s) =
    # 209,284.6 busy replicas; / 0.7 utilisation -> ceil = 298,979 GPUs
    busy = (5e14 / 10_000 + 5e14 / 1_000) / (730 * 3600)
    gpus = math.ceil(busy / 0.7)
    usage = tco.Usage.constant(1e15, months=3, output_share=0.5)
    with pytest.warns(tco.PlausibilityWarning, match=f"fleet: the fleet needs {gpus:,} GPUs"):
        tco.simulate([FLEET], usage)
    assert gpus > MAX_PLAUSIBLE_GPUS
    # just under the limit: no warning (filterwarnings=error would fail the test)
    ok = tco.Usage.constant(1e15 * 100_000 / gpus * 0.999, months=3, output_share=0.5)
    assert tco.simulate([FLEET], ok).gpus()["fleet"].max() <= MAX_PLAUSIBLE_GPUS


def test_a_cost_beyond_ten_world_outputs_warns_and_reads_in_a_few_digits(capsys) -> None:
    # 1 FTE at 1e306 a year for 12 months: $1e306, finite; the bound is $1e15
    odd = tco.VendorAPI(
        "odd", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0, staff_fte=1,
        staff_usd_per_year=1e306,
    )  # fmt: skip
    with pytest.warns(
        tco.PlausibilityWarning, match=r"odd: costs 1e\+306 USD .*staff_usd_per_year"
    ):
        total = tco.simulate([odd], USAGE).total()["odd"]
    assert total == pytest.approx(1e306 + 12 * (500 + 2_500))
    # just under the bound: no warning (filterwarnings=error would fail the test)
    fine = odd.model_copy(update={"staff_usd_per_year": MAX_PLAUSIBLE_USD * 0.99})
    tco.simulate([fine], USAGE)
    # a table cell of such an amount: three digits, not three hundred
    with pytest.warns(tco.PlausibilityWarning):
        frame = tco.simulate([API, odd], USAGE).summary()
    from tco.cli.output import cost_table

    odd_line = next(line for line in cost_table(frame).splitlines() if line.startswith("odd"))
    assert "$1e+306" in odd_line and len(odd_line) < 80


def test_a_price_above_the_bound_warns_with_the_figure() -> None:
    bound = PLAUSIBLE_USD_PER_MTOK
    dear = tco.VendorAPI("dear", input_usd_per_mtok=1.0, output_usd_per_mtok=bound + 1_000)
    shown = f"{bound + 1_000:,.0f}"
    with pytest.warns(tco.PlausibilityWarning, match=rf"dear: output_usd_per_mtok = {shown} USD"):
        tco.simulate([dear], USAGE)
    fine = tco.VendorAPI("fine", input_usd_per_mtok=1.0, output_usd_per_mtok=bound)
    tco.simulate([fine], USAGE)  # at the bound: no warning


def test_the_batch_engine_warns_once_about_a_drawn_price() -> None:
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
    dist = {"baseline.output_usd_per_mtok": stats.uniform(10.0, 2.5 * PLAUSIBLE_USD_PER_MTOK)}
    with pytest.warns(tco.PlausibilityWarning) as record:
        tco.monte_carlo(API, cheap, USAGE, dist, n=200_000, seed=0)
    messages = [str(w.message) for w in record]
    assert len(messages) == 1  # once, though the draws run in several chunks
    figure = re.match(r"api: output_usd_per_mtok = ([\d,.]+) USD per million tokens", messages[0])
    assert figure is not None
    drawn = float(figure.group(1).replace(",", ""))
    assert PLAUSIBLE_USD_PER_MTOK < drawn <= 2.5 * PLAUSIBLE_USD_PER_MTOK + 10  # a drawn price
