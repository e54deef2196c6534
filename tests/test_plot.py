"""Charts of costs and break-even: what is drawn, checked against numbers worked out here."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import tco
from tco.plot import component_label, cumulative_at, cumulative_path, format_usd

HORIZON = 24
TOKENS = 1e9  # per month, a quarter of them output
# API: 0.75 * 1e3 MTok * $2 + 0.25 * 1e3 MTok * $8 = $3,500 a month
API_MONTHLY = 750 * 2.0 + 250 * 8.0
# the cheap API: $1 in, $4 out -> $1,750 a month, plus $14,000 set-up
CHEAP_MONTHLY = 750 * 1.0 + 250 * 4.0
SETUP = 14_000.0


def _gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def _shown(text) -> str:
    """What a Text object shows: its string without the escapes that keep "$" literal."""
    return text.get_text().replace("\\$", "$")


def _legend_texts(ax) -> list[str]:
    return [_shown(t) for t in ax.get_legend().get_texts()]


@pytest.fixture
def usage():
    return tco.Usage.constant(TOKENS, months=HORIZON, output_share=0.25)


@pytest.fixture
def api():
    return tco.VendorAPI("big-api", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0)


@pytest.fixture
def cheap():
    return tco.VendorAPI(
        "cheap-api", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0, setup_usd=SETUP
    )


@pytest.fixture
def fleet():
    # 1e9 tokens: 0.75e9 / 20,000 + 0.25e9 / 2,000 = 162,500 replica-s a month,
    # 0.062 busy replicas on 2.628e6 s -> 1 replica of 1 GPU; $2 x 730 h = $1,460 + setup
    return tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Rent(usd_per_gpu_hour=2.0),
        setup_usd=20_000,
    )


# --------------------------------------------------------------------------- formatting
@pytest.mark.parametrize(
    ("usd", "text"),
    [
        (0, "$0"),
        (950, "$950"),
        (12_000, "$12k"),
        (12_345, "$12.3k"),
        (1_200_000, "$1.2M"),
        (999_999, "$1M"),
        (2.5e9, "$2.5B"),
        (-45_000, "-$45k"),
        (2.5, "$2.5"),
        (0.15, "$0.15"),
        (math.inf, "n/a"),
    ],
)
def test_format_usd(usd, text):
    assert format_usd(usd) == text


def test_component_label_names_role_and_unknown_components():
    assert component_label("gpu_rent") == "GPU rental"
    assert component_label("then.setup") == "Setup / migration (then)"
    assert component_label("egress_fees") == "Egress fees"


# --------------------------------------------------------------------------- cost paths
def test_cumulative_path_jumps_at_month_start_and_end_credit():
    up = np.array([100.0, 0.0, 50.0])
    rec = np.array([10.0, 10.0, 10.0])
    end = np.array([0.0, 0.0, -30.0])
    t, usd = cumulative_path(up, rec, end)
    assert t.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    assert usd.tolist() == [0, 100, 110, 110, 120, 170, 180, 150]
    assert cumulative_at(up, rec, 0.0) == 100.0  # after the first one-time cost
    assert cumulative_at(up, rec, 2.5) == 120 + 50 + 5  # half-way through month 3


# --------------------------------------------------------------------------- cumulative
def test_break_even_marker_at_payback_time(usage, api, cheap):
    result = tco.break_even(api, cheap, usage)
    t_star = SETUP / (API_MONTHLY - CHEAP_MONTHLY)  # 8.0 months
    assert result.months == pytest.approx(t_star)
    ax = tco.plot.cumulative_cost(result)
    (marker,) = _gid(ax, "break-even")
    assert marker.get_xdata()[0] == pytest.approx(t_star)
    # both cumulative costs meet there: baseline paid t* months of $3,500
    assert marker.get_ydata()[0] == pytest.approx(API_MONTHLY * t_star)
    texts = _legend_texts(ax)
    assert texts[:2] == ["big-api", "cheap-api"]
    assert "Break-even in month 8 (after 8.0 months)" in texts
    savings = HORIZON * (API_MONTHLY - CHEAP_MONTHLY) - SETUP  # $28,000
    assert result.savings_usd == pytest.approx(savings)
    assert f"cheap-api saves {format_usd(savings)} over 24 months" in texts
    (arrow,) = _gid(ax, "savings")
    assert arrow.xy == pytest.approx((HORIZON, HORIZON * CHEAP_MONTHLY + SETUP))
    assert arrow.xyann == pytest.approx((HORIZON, HORIZON * API_MONTHLY))
    (label,) = _gid(ax, "savings-label")
    assert _shown(label) == "saves\n$28k"


def test_lines_show_the_setup_jump_at_the_start(usage, api, cheap):
    ax = tco.break_even(api, cheap, usage).plot()
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "cheap-api")
    assert line.get_xdata()[:3].tolist() == [0.0, 0.0, 1.0]
    assert line.get_ydata()[:3].tolist() == [0.0, SETUP, SETUP + CHEAP_MONTHLY]


def test_axes_are_labelled_with_units_and_usd_ticks(usage, api, cheap):
    ax = tco.plot.cumulative_cost(tco.break_even(api, cheap, usage))
    assert ax.get_ylabel() == "Cumulative cost [USD]"
    assert ax.get_xlabel() == "Months from start"
    assert "24 months" in ax.get_title()
    assert ax.yaxis.get_major_formatter()(1_200_000) == "$1.2M"
    ticks = [t for t in ax.get_xticks() if t <= HORIZON]
    assert ticks == [int(t) for t in ticks] and max(ax.get_xticks()) <= HORIZON


def test_discounted_marker_is_the_discounted_payback(usage, api, cheap):
    result = tco.break_even(api, cheap, usage, discount_rate=0.10)
    i = 1.10 ** (1 / 12) - 1
    # setup at t=0; the saving of 1,750 a month is discounted to each month's end
    pv_saving = np.cumsum((API_MONTHLY - CHEAP_MONTHLY) * (1 + i) ** -np.arange(1, 25))
    m = int(np.argmax(pv_saving >= SETUP))  # months before the break-even month
    expected = m + (SETUP - pv_saving[m - 1]) / (pv_saving[m] - pv_saving[m - 1])
    assert result.months == pytest.approx(expected)
    ax = tco.plot.cumulative_cost(result)
    assert "present value" in ax.get_ylabel()
    assert "10% a year" in ax.get_title()
    (marker,) = _gid(ax, "break-even")
    assert marker.get_xdata()[0] == pytest.approx(expected)
    # the cash view of the same result marks the undiscounted payback
    ax2 = tco.plot.cumulative_cost(result, discounted=False)
    (marker2,) = _gid(ax2, "break-even")
    assert marker2.get_xdata()[0] == pytest.approx(SETUP / (API_MONTHLY - CHEAP_MONTHLY))
    assert ax2.get_ylabel() == "Cumulative cost [USD]"


def test_no_break_even_is_said_in_the_legend(api):
    usage = tco.Usage.constant(1e7, months=12, output_share=0.25)
    fleet = tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Rent(usd_per_gpu_hour=2.0),
    )
    result = tco.break_even(api, fleet, usage)
    assert result.months is None
    ax = result.plot()
    assert _gid(ax, "break-even") == []
    texts = _legend_texts(ax)
    assert any(t.startswith("No break-even within 12 months") for t in texts)
    assert any(result.reason.split()[0] in t for t in texts)
    assert any("fleet costs" in t for t in texts)


def test_cheaper_from_the_start(usage, api):
    cheaper = tco.VendorAPI("cheaper", input_usd_per_mtok=1.0, output_usd_per_mtok=1.0)
    ax = tco.break_even(api, cheaper, usage).plot()
    (marker,) = _gid(ax, "break-even")
    assert marker.get_xdata()[0] == 0.0
    assert "Break-even from the start" in _legend_texts(ax)


def test_simulation_draws_every_option_and_marks_a_chosen_pair(usage, api, cheap, fleet):
    sim = tco.simulate([api, cheap, fleet], usage)
    ax = tco.plot.cumulative_cost(sim)
    assert [ln.get_label() for ln in ax.get_lines()] == ["big-api", "cheap-api", "fleet"]
    assert _gid(ax, "break-even") == []
    ax = tco.plot.cumulative_cost(sim, baseline="big-api", candidate="fleet")
    (marker,) = _gid(ax, "break-even")
    expected = tco.break_even(api, fleet, usage).months
    assert expected == pytest.approx(20_000 / (API_MONTHLY - 1460.0))
    assert marker.get_xdata()[0] == pytest.approx(expected)


def test_bad_arguments_name_what_is_wrong(usage, api, cheap):
    sim = tco.simulate([api, cheap], usage)
    with pytest.raises(ValueError, match="give both"):
        tco.plot.cumulative_cost(sim, baseline="big-api")
    with pytest.raises(KeyError, match="nope"):
        tco.plot.cumulative_cost(sim, baseline="big-api", candidate="nope")
    with pytest.raises(TypeError, match=r"BreakEven or a tco\.Simulation"):
        tco.plot.cumulative_cost(sim.monthly())


def test_draws_on_the_axes_given(usage, api, cheap):
    _, (left, right) = plt.subplots(1, 2)
    result = tco.break_even(api, cheap, usage)
    assert tco.plot.cumulative_cost(result, ax=right) is right
    assert not left.get_lines()


# --------------------------------------------------------------------------- breakdown
def _bar_totals(ax) -> dict[float, float]:
    totals: dict[float, float] = {}
    for patch in ax.patches:
        x = round(patch.get_x() + patch.get_width() / 2, 6)
        totals[x] = totals.get(x, 0.0) + patch.get_height()
    return totals


def test_breakdown_bars_add_up_to_the_monthly_cost_and_show_gpu_steps(usage, api):
    growing = tco.Usage.linear(1e9, 2e10, months=HORIZON, output_share=0.25)
    fleet = tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Rent(usd_per_gpu_hour=2.0),
        staff_fte=0.5,
        setup_usd=5_000,
    )
    sim = tco.simulate([api, fleet], growing)
    ax = tco.plot.monthly_breakdown(sim)  # the option with GPUs by default
    assert "fleet" in ax.get_title()
    totals = _bar_totals(ax)
    assert sorted(totals) == list(range(1, HORIZON + 1))
    monthly = sim.monthly()["fleet"]
    for month, height in totals.items():
        assert height == pytest.approx(monthly[int(month)])
    (gpu_line,) = [ln for a in ax.figure.axes for ln in a.get_lines() if ln.get_gid() == "gpus"]
    gpus = sim.gpus()["fleet"].to_numpy()
    assert gpu_line.get_ydata().tolist() == gpus.tolist()
    assert gpus[0] < gpus[-1]  # the fleet grows, in steps
    assert gpu_line.axes is not ax and gpu_line.axes.get_ylabel() == "GPUs [count]"
    texts = _legend_texts(ax)
    assert texts == ["GPU rental", "Staff", "Setup / migration (one-time)", "GPUs (right axis)"]
    assert ax.get_ylabel() == "Cost per month [USD]"
    assert ax.yaxis.get_major_formatter()(12_000) == "$12k"


def test_breakdown_cuts_one_time_spikes_and_writes_their_total(usage, api):
    bought = tco.SelfHosted(
        "bought",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Buy(usd_per_gpu=30_000, server_usd_per_gpu=10_000),
        staff_fte=0.1,
    )
    result = tco.break_even(api, bought, usage)
    ax = tco.plot.monthly_breakdown(result)  # the candidate by default
    first = float(result.simulation.monthly()["bought"].iloc[0])
    running = float(result.simulation.monthly()["bought"].iloc[1])
    assert first == pytest.approx(40_000 + running)
    assert ax.get_ylim()[1] == pytest.approx(1.6 * running)
    (clipped,) = _gid(ax, "clipped")
    assert _shown(clipped) == f"{format_usd(first)} ↑"
    assert "GPUs bought (one-time)" in _legend_texts(ax)
    ax_full = tco.plot.monthly_breakdown(result, clip_one_time=False)
    assert ax_full.get_ylim()[1] >= first
    assert _gid(ax_full, "clipped") == []


def test_breakdown_of_an_api_has_no_gpu_axis(usage, api, cheap):
    sim = tco.simulate([api, cheap], usage)
    ax = tco.plot.monthly_breakdown(sim, "big-api")
    assert len(ax.figure.axes) == 1
    assert _legend_texts(ax) == ["API input tokens", "API output tokens"]


# --------------------------------------------------------------------------- per MTok
def test_cost_per_mtok_lines_and_averages(usage, api, fleet):
    sim = tco.simulate([api, fleet], usage)
    ax = tco.plot.cost_per_mtok(sim, log=False)
    api_line = _gid(ax, "per-mtok:big-api")[0]
    # $3,500 for 1,000 MTok each month
    assert api_line.get_ydata() == pytest.approx(np.full(HORIZON, API_MONTHLY / 1000))
    fleet_line = _gid(ax, "per-mtok:fleet")[0]
    # running cost only: one GPU all month, $1,460 for 1,000 MTok
    assert fleet_line.get_ydata() == pytest.approx(np.full(HORIZON, 1.46))
    (avg,) = _gid(ax, "average:fleet")
    assert avg.get_ydata()[0] == pytest.approx((20_000 + 1460 * HORIZON) / (1000 * HORIZON))
    assert ax.get_ylabel() == "Cost [USD per million tokens]"
    assert ax.yaxis.get_major_formatter()(2.5) == "$2.5"
    assert _legend_texts(ax)[:2] == ["big-api", "fleet"]
    # the cash view puts the $20,000 setup into month 1
    ax = tco.plot.cost_per_mtok(sim, one_time=True, average=False, log=False)
    y = _gid(ax, "per-mtok:fleet")[0].get_ydata()
    assert y[0] == pytest.approx((20_000 + 1460) / 1000)
    assert _gid(ax, "average:fleet") == []


def test_cost_per_mtok_depreciates_bought_gpus(usage):
    bought = tco.SelfHosted(
        "bought",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Buy(usd_per_gpu=24_000, useful_life_years=2, usd_per_kwh=0.0),
    )
    ax = tco.plot.cost_per_mtok(tco.simulate([bought], usage), average=False, log=False)
    # one GPU: $24,000 over 24 months = $1,000 a month for 1,000 MTok
    assert _gid(ax, "per-mtok:bought")[0].get_ydata() == pytest.approx(np.ones(HORIZON))


def test_cost_per_mtok_goes_logarithmic_over_a_wide_range(api, fleet):
    tiny = tco.Usage.linear(1e6, 1e9, months=12, output_share=0.25)
    ax = tco.plot.cost_per_mtok(tco.simulate([api, fleet], tiny))
    assert ax.get_yscale() == "log"


def test_import_tco_does_not_import_pyplot():
    import subprocess
    import sys

    code = "import sys, tco; tco.plot.cumulative_cost; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_breakdown_cuts_a_large_residual_credit_too(usage):
    bought = tco.SelfHosted(
        "bought",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Buy(usd_per_gpu=48_000, useful_life_years=4, usd_per_kwh=0.0),
        staff_fte=0.1,
    )
    sim = tco.simulate([bought], usage, credit_residual=True)
    ax = tco.plot.monthly_breakdown(sim)
    # one GPU bought in month 1, half its 4-year life left after 24 months: $24,000 credit
    credit = sim.by_component("bought")["residual_credit"].iloc[-1]
    assert credit == pytest.approx(-24_000)
    running = 0.1 * 200_000 / 12
    assert ax.get_ylim() == pytest.approx((-0.6 * running, 1.6 * running))
    texts = {_shown(t) for t in _gid(ax, "clipped")}
    assert texts == {f"{format_usd(48_000 + running)} ↑", "-$24k ↓"}  # $49.7k in month 1
    assert "Residual value credit" in _legend_texts(ax)


# --------------------------------------------------------------------------- switch month
@pytest.fixture
def switch_inputs():
    # month m carries m x 1e8 tokens: $300 x m on the API; "flat" costs $1,000 a month
    # plus $5,000 setup, so switching after s months costs 150 s (s + 1) + 5,000 + 1,000 (12 - s)
    usage = tco.Usage.linear(1e8, 1.2e9, months=12, output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=3.0)
    flat = tco.VendorAPI(
        "flat",
        input_usd_per_mtok=0.0,
        output_usd_per_mtok=0.0,
        fixed_usd_per_month=1000.0,
        setup_usd=5000.0,
    )
    return api, flat, usage


@pytest.mark.parametrize("discount_rate", [0.0, 0.1])
def test_switch_month_marks_the_best_month_and_the_near_best_span(switch_inputs, discount_rate):
    best = tco.best_switch_month(*switch_inputs, discount_rate=discount_rate, tolerance=0.05)
    ax = tco.plot.switch_month(best)
    # what should be drawn, from the table alone
    column = "npv_usd" if discount_rate else "total_usd"
    objective = best.table[column]
    month = int(objective.idxmin())
    near = objective.index[objective <= objective.min() * 1.05]
    if not discount_rate:  # 150 s (s + 1) + 5,000 + 1,000 (12 - s): $15,800 at s = 3
        assert month == 3 and objective.min() == 15_800
        assert near.tolist() == [1, 2, 3, 4, 5]  # $16,500 at s = 5, $17,300 at s = 6
    (line,) = _gid(ax, "objective")
    assert line.get_xdata().tolist() == list(range(13))
    assert line.get_ydata() == pytest.approx(objective.to_numpy())
    (best_line,) = _gid(ax, "best-month")
    assert list(best_line.get_xdata()) == [month, month]
    (span,) = _gid(ax, "near-best")
    assert span.get_x() == near.min() - 0.5
    assert span.get_x() + span.get_width() == near.max() + 0.5
    # the objective in words, money ticks in dollars (no 1e6 offset)
    what = "Present value of all costs" if discount_rate else "Total cost"
    assert _legend_texts(ax) == [what, "within 5% of the best", f"best: month {month}"]
    assert ax.get_xlabel() == "switch month s (api serves 1..s, flat from s+1)"
    view = "present value" if discount_rate else "total"
    assert ax.get_ylabel() == f"Cost over 12 months, {view} [USD]"
    assert ax.yaxis.get_major_formatter()(15_800) == "$15.8k"


def test_switch_month_result_plots_through_tco_plot(switch_inputs):
    best = tco.best_switch_month(*switch_inputs)
    _, ax = plt.subplots()
    assert best.plot(ax=ax) is ax
    (best_line,) = _gid(ax, "best-month")
    assert list(best_line.get_xdata()) == [best.month, best.month]
