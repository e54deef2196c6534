"""Charts of sensitivity and Monte Carlo results: what is drawn, against hand-worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from scipy import stats

import tco
from tco.plot.format import NEVER_COLOR

HORIZON = 24
# 1e9 tokens a month, half output. API: 500 MTok x $3 + 500 MTok x $15 = $9,000 a month.
# Cheap: 500 x $1 + 500 x $5 = $3,000 a month plus $18,000 set-up: t* = 18,000 / 6,000 = 3.


@pytest.fixture
def usage():
    return tco.Usage.constant(1e9, months=HORIZON, output_share=0.5)


@pytest.fixture
def api():
    return tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)


@pytest.fixture
def cheap():
    return tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0, setup_usd=18_000)


def _shown(text) -> str:
    return text.get_text().replace("\\$", "$")


def _legend_texts(ax) -> list[str]:
    return [_shown(t) for t in ax.get_legend().get_texts()]


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def _bar(ax, gid):
    (bar,) = [p for p in ax.patches if p.get_gid() == gid]
    return bar


# --------------------------------------------------------------------------- tornado
def test_tornado_bars_sorted_by_swing_from_the_base(usage, api, cheap):
    ranges = {  # given smallest swing first: the chart must sort them
        "candidate.input_usd_per_mtok": (0.5, 2.0),  # 18,000/6,250 = 2.88 .. 18,000/5,500
        "candidate.setup_usd": (9_000, 36_000),  # 1.5 .. 6.0 months: swing 4.5
        "baseline.output_usd_per_mtok": (10.0, 20.0),  # 18,000/3,500 .. 18,000/8,500
    }
    result = tco.tornado(api, cheap, usage, ranges)
    ax = result.plot()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ys = list(ax.get_yticks())
    top_down = [label for _, label in sorted(zip(ys, labels, strict=True), reverse=True)]
    swings = {  # by the inputs' declared labels and units; both options' inputs: role shown
        "Setup / migration [USD] (candidate)": 6.0 - 1.5,
        "API output price [USD/MTok] (baseline)": 18_000 / 3_500 - 18_000 / 8_500,
        "API input price [USD/MTok] (candidate)": 18_000 / 5_500 - 18_000 / 6_250,
    }
    assert top_down == sorted(swings, key=swings.get, reverse=True)
    low = _bar(ax, "low:candidate.setup_usd")
    assert low.get_x() == pytest.approx(3.0)  # bars start at the base answer, t* = 3
    assert low.get_width() == pytest.approx(1.5 - 3.0)
    high = _bar(ax, "high:baseline.output_usd_per_mtok")
    assert high.get_x() + high.get_width() == pytest.approx(18_000 / 8_500)
    assert "base: 3.0 months" in _legend_texts(ax)
    assert ax.get_xlabel() == "Break-even [months]"
    assert "cheap vs api" in ax.get_title()
    texts = [_shown(t) for t in ax.texts]
    assert "9,000 → 1.5 months" in texts and "36,000 → 6.0 months" in texts


def test_tornado_never_end_drawn_to_the_horizon_and_named(usage, api, cheap):
    # at $3/MTok output the API costs $3,000 a month, as the candidate does: never
    ranges = {"candidate.setup_usd": (9_000, 36_000), "baseline.output_usd_per_mtok": (3.0, 20.0)}
    result = tco.tornado(api, cheap, usage, ranges)
    ax = tco.plot.tornado(result.to_frame())  # the table works as well as the result
    top = max(zip(ax.get_yticks(), ax.get_yticklabels(), strict=True), key=lambda p: p[0])
    assert top[1].get_text() == "API output price [USD/MTok] (baseline)"  # infinite swing on top
    never = _bar(ax, "low:baseline.output_usd_per_mtok")
    assert never.get_hatch() == "//"
    assert never.get_x() + never.get_width() == pytest.approx(HORIZON)
    assert "3 → never" in [_shown(t) for t in ax.texts]
    assert f"never breaks even within {HORIZON} months (drawn to the horizon)" in _legend_texts(ax)
    assert max(ax.get_xticks()) <= HORIZON


def test_tornado_of_savings_in_dollars(usage, api, cheap):
    result = tco.tornado(
        api, cheap, usage, {"candidate.setup_usd": (9_000, 36_000)}, metric="savings_usd"
    )
    ax = result.plot()
    base = HORIZON * 6_000 - 18_000  # $126,000
    assert _bar(ax, "low:candidate.setup_usd").get_x() == pytest.approx(base)
    assert "base: $126k" in _legend_texts(ax)
    assert ax.xaxis.get_major_formatter()(1.2e6) == "$1.2M"
    assert ax.get_xlabel() == "Savings at the horizon [USD]"


# --------------------------------------------------------------------------- heatmap
@pytest.fixture
def grid_sweep(usage, api):
    free = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
    # savings $6,000 a month at 1e9 tokens, $12,000 at 2e9: t* = setup / savings
    return tco.sweep(
        api,
        free,
        usage,
        {"candidate.setup_usd": [6_000, 12_000, 200_000], "usage.tokens": [1e9, 2e9]},
    )


def test_heatmap_cells_and_never_cells(grid_sweep):
    ax = grid_sweep.plot()
    mesh = ax.collections[0]
    values = np.ma.getdata(mesh.get_array()).reshape(3, 2)
    mask = np.ma.getmaskarray(mesh.get_array()).reshape(3, 2)
    expected = np.array([[1.0, 0.5], [2.0, 1.0], [math.inf, 200_000 / 12_000]])
    assert mask.tolist() == [[False, False], [False, False], [True, False]]
    assert values[~mask] == pytest.approx(expected[~mask])
    # never cells: the colormap's "bad" colour (distinct from every month colour), hatched
    assert mesh.get_cmap().get_bad() == pytest.approx(to_rgba(NEVER_COLOR))
    (never,) = _by_gid(ax, "never")
    assert len(never.get_paths()) == 1 and never.get_hatch() == "//"
    cells = {(t.get_position(), _shown(t)) for t in ax.texts if t.get_gid() == "cell"}
    assert ((2e9, 200_000), "16.7") in cells
    assert ((1e9, 200_000), "never") in cells
    assert ((1e9, 6_000), "1.0") in cells
    assert _legend_texts(ax) == [f"never breaks even within {HORIZON} months"]
    assert ax.get_ylabel() == "Setup / migration [USD]"  # declared label and unit
    assert ax.get_xlabel() == "Monthly tokens [tokens/month]"
    colorbar = ax.figure.axes[-1]
    assert colorbar.get_ylabel() == "Break-even [months]"


def test_heatmap_of_savings_has_dollar_colorbar(grid_sweep):
    ax = tco.plot.heatmap(grid_sweep, metric="savings_usd")
    mesh = ax.collections[0]
    assert not np.ma.getmaskarray(mesh.get_array()).any()  # savings are never "never"
    values = np.ma.getdata(mesh.get_array()).reshape(3, 2)
    assert values[0, 0] == pytest.approx(HORIZON * 6_000 - 6_000)
    assert ax.figure.axes[-1].yaxis.get_major_formatter()(1.2e6) == "$1.2M"
    assert "Savings at the horizon" in ax.get_title()


def test_heatmap_of_a_one_dimensional_sweep_is_a_line(usage, api, cheap):
    result = tco.sweep(api, cheap, usage, {"candidate.setup_usd": [0, 60_000, 200_000]})
    ax = result.plot()
    (line,) = _by_gid(ax, "sweep")
    assert line.get_xdata().tolist() == [0, 60_000, 200_000]
    assert line.get_ydata()[:2].tolist() == [0.0, 10.0]
    assert np.isnan(line.get_ydata()[2])
    (never,) = _by_gid(ax, "never")
    assert never.get_xdata().tolist() == [200_000]
    assert _legend_texts(ax) == [f"never breaks even within {HORIZON} months"]


# --------------------------------------------------------------------------- Monte Carlo
@pytest.fixture(scope="module")
def mc():
    usage = tco.Usage.constant(1e9, months=HORIZON, output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
    # setup uniform on $0 .. $200,000: never when setup > 24 x $6,000 = $144,000 (28 %)
    return tco.monte_carlo(
        api, cheap, usage, {"candidate.setup_usd": stats.uniform(0, 200_000)}, n=4_000, seed=7
    )


def test_fan_band_contains_the_median(mc):
    ax = tco.plot.fan(mc)
    (band,) = _by_gid(ax, "band:savings:p10-p90")
    (median,) = _by_gid(ax, "median:savings")
    months = mc.fan.index.to_numpy()
    assert median.get_xdata().tolist() == months.tolist()
    assert median.get_ydata() == pytest.approx(mc.fan["savings"]["p50"].to_numpy())
    vertices = band.get_paths()[0].vertices
    for m, med, lo, hi in zip(
        months,
        median.get_ydata(),
        mc.fan["savings"]["p10"],
        mc.fan["savings"]["p90"],
        strict=True,
    ):
        ys = vertices[np.isclose(vertices[:, 0], m), 1]
        assert ys.min() == pytest.approx(lo) and ys.max() == pytest.approx(hi)
        assert ys.min() <= med <= ys.max()
    texts = _legend_texts(ax)
    p10, p90 = mc.fan["savings"]["p10"].iloc[-1], mc.fan["savings"]["p90"].iloc[-1]
    fmt = tco.plot.format_usd
    assert f"P10–P90: {fmt(p10)} to {fmt(p90)} at month {HORIZON}" in texts
    assert "Break-even (savings = 0)" in texts
    assert ax.get_ylabel() == "Cumulative savings [USD]"
    assert "4,000 draws" in ax.get_title()


def test_fan_of_costs_draws_each_option(mc):
    ax = mc.plot(series="costs")
    for key in ("baseline", "candidate"):
        (median,) = _by_gid(ax, f"median:{key}")
        assert median.get_ydata() == pytest.approx(mc.fan[key]["p50"].to_numpy())
    assert "api: median" in _legend_texts(ax)
    with pytest.raises(ValueError, match="savings"):
        tco.plot.fan(mc, series="nope")


def test_break_even_probability_bars_and_median_month(mc):
    ax = mc.plot_probability()
    curve = mc.break_even_curve()
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx(curve.to_numpy())
    assert [p.get_x() + p.get_width() / 2 for p in ax.patches] == pytest.approx(
        curve.index.to_numpy()
    )
    # by month m the share with setup <= 6,000 m, i.e. about m x 3 %
    assert curve[12] == pytest.approx(12 * 6_000 / 200_000, abs=0.03)
    (marker,) = _by_gid(ax, "median-month")
    assert marker.get_xdata()[0] == math.ceil(mc.break_even_percentiles()["p50"])
    never = mc.prob_never
    assert never == pytest.approx(1 - 144_000 / 200_000, abs=0.03)
    assert any(f"{never:.1%} never do within the horizon" in t for t in _legend_texts(ax))
    assert ax.yaxis.get_major_formatter()(0.5) == "50%"


# --------------------------------------------------------------------------- Sobol
def test_sobol_bars_sorted_by_total_index():
    from tco.analysis.sobol import sobol_indices

    result = sobol_indices(
        lambda x: 0.1 * x["a"] + x["b"],
        {"a": stats.uniform(0, 1), "b": stats.uniform(0, 1)},
        n=256,
        seed=0,
    )
    ax = result.plot()
    labels = sorted(
        zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True),
        reverse=True,
    )
    assert [name for _, name in labels] == ["b", "a"]  # b explains ~99 % of the variance
    widths = sorted(p.get_width() for p in ax.patches)
    expected = [*result.first_order.tolist(), *result.total_order.tolist()]
    assert widths == pytest.approx(sorted(expected))
    assert _legend_texts(ax) == ["first order (alone)", "total (with interactions)"]
