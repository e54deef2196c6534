"""Commitment risk: every plan costed on the same usage draws, checked draw by draw by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import tco

H = 730.0
REPLICA = H * 3600 * 4 / 3  # tokens a month that keep one replica busy (prefill 2, decode 1)


def fleet(name, rent):
    return tco.SelfHosted(
        name,
        prefill_tokens_per_s=2.0,
        decode_tokens_per_s=1.0,
        target_utilization=1.0,
        procurement=rent,
    )


PLANS = [
    fleet("on demand", tco.Rent(2.0)),
    fleet("reserved", tco.Rent(1.0, term_months=12, committed_gpus=3, upfront_usd_per_gpu=50.0,
                               on_demand_usd_per_gpu_hour=2.0)),
]  # fmt: skip


def test_each_draw_costs_what_its_gpus_cost_by_hand():
    usage = tco.Usage.constant(2 * REPLICA, months=12, output_share=0.5)
    risk = tco.commitment_risk(
        PLANS, usage, {"usage.tokens": stats.uniform(REPLICA, 3 * REPLICA)}, n=2_000, seed=7
    )
    busy = risk.samples["usage.tokens"].to_numpy() / REPLICA
    gpus = np.ceil(busy - 1e-9)
    on_demand = gpus * H * 2.0 * 12
    reserved = 3 * 50.0 + 3 * H * 1.0 * 12 + np.maximum(gpus - 3, 0) * H * 2.0 * 12
    np.testing.assert_allclose(risk.totals_usd, [on_demand, reserved], rtol=1e-12)
    np.testing.assert_allclose(risk.idle_gpu_months[1], np.maximum(3 - gpus, 0) * 12)
    assert np.all(risk.idle_gpu_months[0] == 0)
    frame = risk.to_frame()
    assert frame.loc["reserved", "prob_idle"] == pytest.approx(np.mean(gpus < 3))
    assert frame.loc["reserved", "prob_cheapest"] == pytest.approx(np.mean(reserved < on_demand))
    assert frame.loc["reserved", "idle_share"] == pytest.approx(
        np.sum(np.maximum(3 - gpus, 0)) / (3 * len(gpus))
    )
    assert risk.best == "reserved"
    assert "reserved has the lowest expected cost" in risk.headline()
    assert "reserved" in repr(risk) and "<table>" in risk._repr_html_()


def test_growth_uncertainty_and_discounting():
    usage = tco.Usage.compound(start=REPLICA, monthly_growth=0.1, months=24, output_share=0.5)
    dist = {"usage.monthly_growth": stats.uniform(0.0, 0.2)}
    flat = tco.commitment_risk(PLANS, usage, dist, n=500, seed=3)
    pv = tco.commitment_risk(PLANS, usage, dist, n=500, seed=3, discount_rate=0.1)
    assert np.all(pv.totals_usd < flat.totals_usd)
    # a fixed value draws the same usage every time: the simulate answer
    fixed = tco.commitment_risk(PLANS, usage, {"usage.monthly_growth": 0.1}, n=3, seed=1)
    total = tco.simulate(PLANS, usage).total().to_numpy()
    np.testing.assert_allclose(fixed.totals_usd, np.repeat(total[:, None], 3, axis=1))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"distributions": {"candidate.setup_usd": 1.0}}, r"only usage\.\* paths"),
        ({"distributions": {"usage.nope": 1.0}}, "nope"),
        ({"n": 0}, "n: 0"),
        ({"plans": []}, "plans: empty"),
        ({"distributions": {"usage.tokens": stats.norm(0, REPLICA)}}, "usage.tokens"),
    ],
)
def test_bad_input_names_the_field(kwargs, message):
    usage = tco.Usage.constant(REPLICA, months=3, output_share=0.5)
    args = {"plans": PLANS, "usage": usage, "distributions": {"usage.tokens": 1.0}, "n": 10}
    with pytest.raises((ValueError, KeyError), match=message):
        tco.commitment_risk(**(args | kwargs), seed=1)


def test_chart_marks_each_plans_expected_cost_and_idle_share():
    import matplotlib

    matplotlib.use("Agg")
    usage = tco.Usage.constant(2 * REPLICA, months=12, output_share=0.5)
    risk = tco.commitment_risk(
        PLANS, usage, {"usage.tokens": stats.uniform(REPLICA, 3 * REPLICA)}, n=400, seed=2
    )
    ax = risk.plot()
    (expected,) = [line for line in ax.lines if line.get_gid() == "expected"]
    np.testing.assert_allclose(expected.get_ydata(), risk.totals_usd.mean(axis=1))
    labels = [t.get_text() for t in ax.get_xticklabels()]
    idle = risk.to_frame()["prob_idle"]
    assert labels[1].startswith("reserved") and f"{idle['reserved']:.0%}" in labels[1]
    assert f"{idle['on demand']:.0%}" in labels[0]
