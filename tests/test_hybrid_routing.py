"""route(): against exhaustive assignment, by hand, and residency exclusion."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tco

TIERS = ["basic", "strong", "frontier"]


def api(name, price_in, price_out, **kw):
    return tco.VendorAPI(name, input_usd_per_mtok=price_in, output_usd_per_mtok=price_out, **kw)


def fleet(name="fleet", **kw):
    kw.setdefault("procurement", tco.Rent(usd_per_gpu_hour=2.0))
    kw.setdefault("staff_fte", 0.5)
    return tco.SelfHosted(name, prefill_tokens_per_s=20_000, decode_tokens_per_s=2_000, **kw)


def group_usage(usage, classes):
    """The tokens of a group of classes as a Usage built from public constructors."""
    share = sum(c.share for c in classes)
    out = sum(
        c.share * (usage.output_share if c.output_share is None else c.output_share)
        for c in classes
    )
    inp = share - out
    cached = sum(
        c.share
        * (1 - (usage.output_share if c.output_share is None else c.output_share))
        * (usage.cached_input_share if c.cached_input_share is None else c.cached_input_share)
        for c in classes
    )
    return tco.Usage.from_series(
        usage.tokens * share,
        output_share=out / share,
        cached_input_share=cached / inp if inp > 0 else 0.0,
        peak_to_average=usage.peak_to_average,
    )


def brute_force(classes, options, usage, allowed):
    """Cheapest assignment over all len(options) ** len(classes) ones, costed by simulate()."""
    best = (np.inf, None)
    for choice in itertools.product(range(len(options)), repeat=len(classes)):
        if not all(
            allowed[(options[j].name, c.name)] for j, c in zip(choice, classes, strict=True)
        ):
            continue
        total = 0.0
        for j in set(choice):
            members = [c for i, c in enumerate(classes) if choice[i] == j]
            total += tco.simulate([options[j]], group_usage(usage, members)).total().iloc[0]
        if total < best[0] - 1e-6:
            best = (total, {c.name: options[j].name for j, c in zip(choice, classes, strict=True)})
    return best


def test_route_by_hand_with_apis_only():
    usage = tco.Usage.constant(1e9, months=10, output_share=0.5)
    frontier = api("frontier", 3.0, 15.0)
    mid = api("mid", 1.0, 3.0)
    small = api("small", 0.1, 0.3)
    classes = [
        tco.TaskClass("hard", share=0.2, need="frontier"),
        tco.TaskClass("summaries", share=0.3, need="strong"),
        tco.TaskClass("tagging", share=0.5, need="basic", output_share=0.1),
    ]
    r = tco.route(
        classes,
        [frontier, mid, small],
        usage,
        {"frontier": "frontier", "mid": "strong", "small": "basic"},
    )
    assert r.assignment == {"hard": "frontier", "summaries": "mid", "tagging": "small"}
    # per month: hard 2e8 tokens half/half on frontier; summaries 3e8 on mid;
    # tagging 5e8 with 10 % output on small
    hard = 100 * 3.0 + 100 * 15.0
    summaries = 150 * 1.0 + 150 * 3.0
    tagging = 450 * 0.1 + 50 * 0.3
    assert r.total_usd == pytest.approx(10 * (hard + summaries + tagging))
    everything_frontier = 10 * (700 * 3.0 + 300 * 15.0)  # 700 MTok in, 300 out a month
    assert r.baseline == "frontier"
    assert r.baseline_total_usd == pytest.approx(everything_frontier)
    assert r.savings_usd == pytest.approx(everything_frontier - r.total_usd)
    assert r.blended_usd_per_mtok == pytest.approx(r.total_usd / 10e3)
    assert r.table.loc["tagging", "cost_usd"] == pytest.approx(10 * tagging)
    assert set(r.excluded["option"]) == {"mid", "small"}


def test_classes_sharing_a_fleet_share_its_fixed_costs():
    """Splitting is not class by class: two classes on one fleet pay its staff once."""
    usage = tco.Usage.constant(2e9, months=12, output_share=0.3)
    classes = [
        tco.TaskClass("a", share=0.5, need="strong"),
        tco.TaskClass("b", share=0.5, need="strong"),
    ]
    f = fleet()
    # an API that beats the fleet for one class alone, but not for both
    alone_fleet = tco.simulate([f], group_usage(usage, classes[:1])).total().iloc[0]
    both_fleet = tco.simulate([f], usage).total().iloc[0]
    per_class_api = (alone_fleet + both_fleet / 2) / 2  # between both_fleet/2 and alone_fleet
    tokens = usage.tokens.sum() / 2 / 1e6
    price = per_class_api / tokens
    a = api("api", price, price)
    r = tco.route(classes, [a, f], usage, {"api": "strong", "fleet": "strong"})
    assert r.assignment == {"a": "fleet", "b": "fleet"}
    assert r.total_usd == pytest.approx(both_fleet)
    expected, assignment = brute_force(
        classes, [a, f], usage, {(o, c.name): True for o in ("api", "fleet") for c in classes}
    )
    assert r.total_usd == pytest.approx(expected) and r.assignment == assignment


@settings(max_examples=25, deadline=None)
@given(
    data=st.data(),
    n_classes=st.integers(1, 3),
    n_options=st.integers(1, 3),
)
def test_route_matches_exhaustive_assignment(data, n_classes, n_options):
    raw = data.draw(st.lists(st.floats(0.05, 1.0), min_size=n_classes, max_size=n_classes))
    shares = np.array(raw) / sum(raw)
    classes = [
        tco.TaskClass(
            f"c{i}",
            share=float(shares[i]) if i < n_classes - 1 else float(1 - shares[:-1].sum()),
            need=data.draw(st.sampled_from(TIERS)),
            output_share=data.draw(st.none() | st.floats(0.0, 1.0)),
            data_must_stay=data.draw(st.booleans()),
        )
        for i in range(n_classes)
    ]
    options, caps = [], {}
    for j in range(n_options):
        if data.draw(st.booleans()):
            opt = api(
                f"o{j}",
                data.draw(st.floats(0.0, 20.0)),
                data.draw(st.floats(0.0, 40.0)),
                data_leaves_environment=data.draw(st.booleans()),
                fixed_usd_per_month=data.draw(st.floats(0.0, 500.0)),
            )
        else:
            opt = fleet(
                f"o{j}",
                procurement=tco.Rent(data.draw(st.floats(0.5, 6.0))),
                staff_fte=data.draw(st.floats(0.0, 1.0)),
            )
        options.append(opt)
        caps[opt.name] = data.draw(st.sampled_from(TIERS))
    tokens = data.draw(st.floats(1e7, 2e10))
    usage = tco.Usage.linear(tokens, tokens * 2, months=6, output_share=0.3, peak_to_average=2.0)
    rank = {t: i for i, t in enumerate(TIERS)}
    allowed = {
        (o.name, c.name): rank[caps[o.name]] >= rank[c.need]
        and not (c.data_must_stay and o.data_leaves_environment)
        for o in options
        for c in classes
    }
    expected, assignment = brute_force(classes, options, usage, allowed)
    if assignment is None:
        with pytest.raises(ValueError, match="no option can serve it"):
            tco.route(classes, options, usage, caps)
        return
    r = tco.route(classes, options, usage, caps)
    assert r.total_usd == pytest.approx(expected, rel=1e-9, abs=1e-6)
    for c in classes:
        assert allowed[(r.assignment[c.name], c.name)]
    # the routed option costs the same when simulated on the whole usage
    assert tco.simulate([r.option], usage).total().iloc[0] == pytest.approx(r.total_usd)


def test_residency_excludes_options_whose_data_leaves_with_a_reason():
    usage = tco.Usage.constant(1e9, months=6, output_share=0.5)
    frontier = api("frontier", 3.0, 15.0)
    local = fleet("local")
    classes = [
        tco.TaskClass("claims", share=0.6, need="strong", data_must_stay=True),
        tco.TaskClass("faq", share=0.4, need="strong"),
    ]
    caps = {"frontier": "frontier", "local": "strong"}
    r = tco.route(classes, [frontier, local], usage, caps)
    assert r.assignment["claims"] == "local"
    row = r.excluded[(r.excluded.option == "frontier") & (r.excluded.task_class == "claims")]
    assert row["reason"].iloc[0] == "data leaves the environment; the class's data must stay"
    assert any("may not serve claims" in n for n in r.notes)
    # the whole workload must stay: the API is out for every class
    r2 = tco.route(classes, [frontier, local], usage, caps, data_must_stay=True)
    assert set(r2.assignment.values()) == {"local"}
    assert len(r2.excluded[r2.excluded.option == "frontier"]) == 2
    # nothing left for a frontier class whose data must stay
    hard = [tco.TaskClass("legal", share=1.0, need="frontier", data_must_stay=True)]
    with pytest.raises(ValueError, match=r"legal.*frontier: data leaves.*local: capability"):
        tco.route(hard, [frontier, local], usage, caps)


def test_scores_and_per_class_capabilities():
    usage = tco.Usage.constant(1e9, months=3, output_share=0.5)
    big, small = api("big", 2.0, 8.0), api("small", 0.2, 0.8)
    classes = [
        tco.TaskClass("code", share=0.5, need=70.0),
        tco.TaskClass("chat", share=0.5, need=60.0),
    ]
    r = tco.route(classes, [big, small], usage, {"big": 80.0, "small": {"chat": 65.0}})
    assert r.assignment == {"code": "big", "chat": "small"}
    reasons = set(r.excluded["reason"])
    assert "no capability declared for class 'code'" in reasons
    with pytest.raises(ValueError, match="tiers"):
        tco.route(classes, [big], usage, {"big": "frontier"})


def test_route_validates_its_inputs():
    usage = tco.Usage.constant(1e9, months=3, output_share=0.5)
    a = api("a", 1.0, 1.0)
    with pytest.raises(ValueError, match="add up to 1"):
        tco.route([tco.TaskClass("x", share=0.5, need="basic")], [a], usage, {"a": "basic"})
    one = [tco.TaskClass("x", share=1.0, need="basic")]
    with pytest.raises(KeyError, match="unknown option"):
        tco.route(one, [a], usage, {"b": "basic"})
    with pytest.raises(KeyError, match="baseline"):
        tco.route(one, [a], usage, {"a": "basic"}, baseline="zz")
    with pytest.raises(ValueError, match="share"):
        tco.TaskClass("x", share=0.0, need="basic")


def test_routing_with_a_discount_rate_reports_npv_and_readable_results():
    usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    classes = [
        tco.TaskClass("hard", share=0.3, need="frontier"),
        tco.TaskClass("easy", share=0.7, need="basic"),
    ]
    opts = [api("frontier", 3.0, 15.0), api("small", 0.2, 0.6)]
    r = tco.route(classes, opts, usage, {"frontier": "frontier", "small": "basic"}, 0.1)
    assert r.objective == "npv_usd"
    assert r.npv_usd < r.total_usd
    sim = tco.simulate([r.option], usage, discount_rate=0.1)
    assert sim.npv().iloc[0] == pytest.approx(r.npv_usd)
    assert "route1.input_usd_per_mtok" in r.option.core_params()
    assert "hard -> frontier" in repr(r)
    assert "<table" in r._repr_html_()
    assert list(r.to_frame().index) == ["hard", "easy"]
