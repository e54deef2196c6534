"""Hypothesis properties of the cost engine (issue 3).

Options and usages are drawn over wide but realistic ranges; every property states
something that must hold for all of them, and ``t*`` is compared with ``None`` read as
``+inf`` (never breaks even).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import tco
from tco.core.ledger import break_even_months

# Options and usages are drawn over wide ranges, some of which size implausible fleets (more
# than 100,000 GPUs); the properties hold for them all, so the plausibility warning is no
# failure here (tests/test_hardening.py checks that it is raised).
pytestmark = pytest.mark.filterwarnings("ignore::tco.PlausibilityWarning")

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def money(hi: float) -> st.SearchStrategy[float]:
    return st.floats(0.0, hi, allow_nan=False, allow_infinity=False)


shares = st.floats(0.0, 1.0)


@st.composite
def usages(draw: st.DrawFn, months: int | None = None) -> tco.Usage:
    h = months or draw(st.integers(1, 48))
    shape = {
        "output_share": draw(shares),
        "cached_input_share": draw(shares),
        "peak_to_average": draw(st.floats(1.0, 5.0)),
        "operating_hours_per_month": draw(st.floats(100.0, 730.0)),
    }
    kind = draw(st.sampled_from(["constant", "compound", "series"]))
    if kind == "constant":
        return tco.Usage.constant(draw(money(1e12)), months=h, **shape)
    if kind == "compound":
        g = draw(st.floats(-0.2, 0.3))
        return tco.Usage.compound(draw(money(1e11)), g, months=h, **shape)
    series = draw(st.lists(money(1e12), min_size=h, max_size=h))
    return tco.Usage.from_series(series, **shape)


@st.composite
def apis(draw: st.DrawFn, name: str = "api", fixed: bool = True) -> tco.VendorAPI:
    fields: dict[str, Any] = {
        "input_usd_per_mtok": draw(money(30.0)),
        "output_usd_per_mtok": draw(money(100.0)),
        "cache_read_usd_per_mtok": draw(money(30.0)),
        "batch_share": draw(shares),
        "batch_discount": draw(shares),
        "annual_price_decline": draw(st.floats(0.0, 0.9)),
    }
    if fixed:
        fields |= {
            "fixed_usd_per_month": draw(money(5_000.0)),
            "staff_fte": draw(money(3.0)),
            "staff_usd_per_year": draw(money(300_000.0)),
            "setup_usd": draw(money(100_000.0)),
        }
    return tco.VendorAPI(name, **fields)


@st.composite
def procurements(draw: st.DrawFn) -> tco.Rent | tco.Buy:
    if draw(st.booleans()):
        return tco.Rent(
            usd_per_gpu_hour=draw(st.floats(0.1, 10.0)),
            always_on=draw(st.booleans()),
            annual_price_decline=draw(st.floats(0.0, 0.5)),
        )
    return tco.Buy(
        usd_per_gpu=draw(st.floats(1_000.0, 60_000.0)),
        server_usd_per_gpu=draw(money(20_000.0)),
        useful_life_years=draw(st.floats(1.0, 6.0)),
        kw_per_gpu=draw(st.floats(0.0, 1.5)),
        pue=draw(st.floats(1.0, 2.0)),
        usd_per_kwh=draw(money(0.4)),
        hosting_usd_per_gpu_month=draw(money(300.0)),
        maintenance_share_per_year=draw(st.floats(0.0, 0.2)),
    )


@st.composite
def fleets(
    draw: st.DrawFn, name: str = "fleet", procurement: Any = None, sized: bool = False
) -> tco.SelfHosted:
    fixed = None if sized or draw(st.booleans()) else draw(st.integers(1, 20))
    spare = draw(st.integers(0, 2))
    if fixed is not None:
        fixed += spare
    return tco.SelfHosted(
        name,
        prefill_tokens_per_s=draw(st.floats(100.0, 1e6)),
        decode_tokens_per_s=draw(st.floats(10.0, 1e5)),
        procurement=procurement or draw(procurements()),
        gpus_per_replica=draw(st.integers(1, 8)),
        target_utilization=draw(st.floats(0.2, 1.0)),
        min_replicas=draw(st.integers(0, 3)),
        spare_replicas=spare,
        fixed_replicas=fixed,
        staff_fte=draw(money(3.0)),
        staff_usd_per_year=draw(money(300_000.0)),
        staff_fte_per_100_gpus=draw(money(2.0)),
        setup_usd=draw(money(200_000.0)),
    )


options = st.one_of(apis(), fleets())


def t_star(result: tco.BreakEven) -> float:
    event("never" if result.months is None else "breaks even")
    return math.inf if result.months is None else result.months


def later(a: float, b: float) -> bool:
    """Is ``a`` later than ``b`` by more than float noise?"""
    if math.isinf(b):
        return False
    return math.isinf(a) or a > b + 1e-9 * max(1.0, b)


# --------------------------------------------------------------------------- costs
@SETTINGS
@given(option=options, usage=usages(), capex=st.sampled_from(["cash", "amortized"]))
def test_costs_are_finite_and_non_negative(option: Any, usage: tco.Usage, capex: str) -> None:
    sim = tco.simulate([option], usage, discount_rate=0.07, capex=capex)  # type: ignore[arg-type]
    costs = sim.costs
    assert np.all(np.isfinite(costs["usd"])) and np.all(np.isfinite(costs["usd_pv"]))
    assert (costs["usd"] >= 0).all()
    assert (costs["usd_pv"] >= 0).all()
    monthly = sim.monthly().to_numpy()
    assert np.all(np.isfinite(monthly)) and np.all(monthly >= 0)
    unserved = sim.unserved_tokens()[option.name].to_numpy()
    assert np.all(unserved >= 0) and np.all(unserved <= usage.tokens * (1 + 1e-12))


@SETTINGS
@given(option=options, usage=usages(), capex=st.sampled_from(["cash", "amortized"]))
def test_cumulative_cost_never_falls(option: Any, usage: tco.Usage, capex: str) -> None:
    sim = tco.simulate([option], usage, capex=capex)  # type: ignore[arg-type]
    cum = sim.cumulative()[option.name].to_numpy()
    assert np.all(np.diff(cum) >= 0)
    pv = sim.cumulative(discounted=True)[option.name].to_numpy()
    assert np.all(np.diff(pv) >= 0)


@SETTINGS
@given(
    api=apis(),
    base=st.lists(money(1e12), min_size=1, max_size=36),
    extra=st.lists(money(1e12), min_size=36, max_size=36),
    output_share=shares,
    cached=shares,
)
def test_more_volume_never_lowers_an_api_bill(
    api: tco.VendorAPI, base: list[float], extra: list[float], output_share: float, cached: float
) -> None:
    more = [b + e for b, e in zip(base, extra, strict=False)]
    shape = {"output_share": output_share, "cached_input_share": cached}
    low = api.monthly_cost(tco.Usage.from_series(base, **shape))
    high = api.monthly_cost(tco.Usage.from_series(more, **shape))
    assert np.all(high >= low * (1 - 1e-12))


@SETTINGS
@given(fleet=fleets(sized=True), usage=usages(), factor=st.floats(1.0, 10.0))
def test_more_volume_never_lowers_a_sized_fleet_cost(
    fleet: tco.SelfHosted, usage: tco.Usage, factor: float
) -> None:
    bigger = tco.Usage.from_series(
        usage.tokens * factor, **usage.model_dump(include={"output_share", "cached_input_share"})
    )
    smaller = tco.Usage.from_series(
        usage.tokens, **usage.model_dump(include={"output_share", "cached_input_share"})
    )
    low = tco.simulate([fleet], smaller).cumulative()[fleet.name].to_numpy()
    high = tco.simulate([fleet], bigger).cumulative()[fleet.name].to_numpy()
    assert np.all(high >= low * (1 - 1e-12))
    assert np.all(fleet.gpus(bigger) >= fleet.gpus(smaller))


# --------------------------------------------------------------------------- break-even
@SETTINGS
@given(
    api=apis(),
    usage=usages(),
    rate=st.floats(0.1, 10.0),
    cut=st.floats(0.0, 1.0, exclude_max=True),
    discount=st.sampled_from([0.0, 0.1]),
)
def test_cheaper_gpu_hour_never_makes_break_even_later(
    api: tco.VendorAPI, usage: tco.Usage, rate: float, cut: float, discount: float
) -> None:
    fleet = tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Rent(usd_per_gpu_hour=rate),
        setup_usd=30_000,
        staff_fte=0.5,
    )
    cheaper = fleet.model_copy(update={"procurement": tco.Rent(usd_per_gpu_hour=rate * (1 - cut))})
    assume(cheaper.procurement.usd_per_gpu_hour > 0)
    dear = tco.break_even(api, fleet, usage, discount_rate=discount)
    cheap = tco.break_even(api, cheaper, usage, discount_rate=discount)
    assert not later(t_star(cheap), t_star(dear))


@SETTINGS
@given(api=apis(), fleet=fleets(), usage=usages(), factor=st.floats(1.0, 20.0))
def test_higher_throughput_never_makes_break_even_later(
    api: tco.VendorAPI, fleet: tco.SelfHosted, usage: tco.Usage, factor: float
) -> None:
    faster = fleet.model_copy(
        update={
            "prefill_tokens_per_s": fleet.prefill_tokens_per_s * factor,
            "decode_tokens_per_s": fleet.decode_tokens_per_s * factor,
        }
    )
    slow = tco.break_even(api, fleet, usage)
    fast = tco.break_even(api, faster, usage)
    assert not later(t_star(fast), t_star(slow))


@SETTINGS
@given(api=apis(), fleet=fleets(), usage=usages(), cut=st.floats(0.0, 1.0))
def test_lower_staff_cost_never_makes_break_even_later(
    api: tco.VendorAPI, fleet: tco.SelfHosted, usage: tco.Usage, cut: float
) -> None:
    leaner = fleet.model_copy(update={"staff_usd_per_year": fleet.staff_usd_per_year * (1 - cut)})
    fewer = fleet.model_copy(update={"staff_fte": fleet.staff_fte * (1 - cut)})
    before = t_star(tco.break_even(api, fleet, usage))
    assert not later(t_star(tco.break_even(api, leaner, usage)), before)
    assert not later(t_star(tco.break_even(api, fewer, usage)), before)


def scaled_api(api: tco.VendorAPI, k: float) -> tco.VendorAPI:
    usd = (
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cache_read_usd_per_mtok",
        "fixed_usd_per_month",
        "staff_usd_per_year",
        "setup_usd",
    )
    return api.model_copy(update={f: getattr(api, f) * k for f in usd})


def scaled_fleet(fleet: tco.SelfHosted, k: float) -> tco.SelfHosted:
    proc = fleet.procurement
    if isinstance(proc, tco.Rent):
        new_proc: Any = proc.model_copy(update={"usd_per_gpu_hour": proc.usd_per_gpu_hour * k})
    else:
        usd = ("usd_per_gpu", "server_usd_per_gpu", "usd_per_kwh", "hosting_usd_per_gpu_month")
        new_proc = proc.model_copy(update={f: getattr(proc, f) * k for f in usd})
    return fleet.model_copy(
        update={
            "procurement": new_proc,
            "staff_usd_per_year": fleet.staff_usd_per_year * k,
            "setup_usd": fleet.setup_usd * k,
        }
    )


@SETTINGS
@given(
    api=apis(),
    fleet=fleets(),
    usage=usages(),
    k=st.sampled_from([0.5, 3.0, 1000.0]),
    discount=st.sampled_from([0.0, 0.08]),
    credit=st.booleans(),
)
def test_scaling_every_price_leaves_break_even_unchanged(
    api: tco.VendorAPI,
    fleet: tco.SelfHosted,
    usage: tco.Usage,
    k: float,
    discount: float,
    credit: bool,
) -> None:
    kwargs: dict[str, Any] = {"discount_rate": discount, "credit_residual": credit}
    before = tco.break_even(api, fleet, usage, **kwargs)
    t_star(before)  # records the event
    after = tco.break_even(scaled_api(api, k), scaled_fleet(fleet, k), usage, **kwargs)
    if before.months is None:
        assert after.months is None
        assert after.reason == before.reason
    else:
        assert after.months is not None
        assert math.isclose(after.months, before.months, rel_tol=1e-7, abs_tol=1e-9)
    assert math.isclose(after.savings_usd, k * before.savings_usd, rel_tol=1e-7, abs_tol=1e-6)


@SETTINGS
@given(
    api=apis(fixed=False),
    fleet=fleets(),
    months=st.integers(1, 60),
    shape=st.fixed_dictionaries({"output_share": shares, "cached_input_share": shares}),
)
def test_zero_usage_gives_a_never_reason(
    api: tco.VendorAPI, fleet: tco.SelfHosted, months: int, shape: dict[str, float]
) -> None:
    usage = tco.Usage.constant(0.0, months=months, **shape)
    assume(fleet.min_replicas > 0 or fleet.fixed_replicas is not None or fleet.staff_fte > 0)
    assume(fleet.staff_usd_per_year > 0 or fleet.min_replicas > 0 or fleet.fixed_replicas)
    result = tco.break_even(api, fleet, usage)
    assert result.months is None and result.month is None
    assert result.reason is not None
    assert result.reason.startswith("no token volume in the horizon")
    assert "never cheaper per month" in result.reason
    assert math.isfinite(result.savings_usd) and result.savings_usd <= 0
    assert all(math.isfinite(v) for v in result.npv_usd.values())
    # the other way round the API is cheaper from the start
    assert tco.break_even(fleet, api, usage).months == 0.0


@SETTINGS
@given(a=options, b=options, usage=usages(), discount=st.sampled_from([0.0, 0.05]))
def test_break_even_is_well_formed(a: Any, b: Any, usage: tco.Usage, discount: float) -> None:
    a, b = a.model_copy(update={"name": "a"}), b.model_copy(update={"name": "b"})
    result = tco.break_even(a, b, usage, discount_rate=discount)
    if result.months is None:
        assert result.month is None and result.reason
    else:
        assert 0.0 <= result.months <= usage.horizon
        assert result.month == math.ceil(result.months)
        assert result.reason is None
    assert math.isfinite(result.savings_usd)


# --------------------------------------------------------------------------- kernel
def reference_t_star(up: list[float], rec: list[float], end: list[float]) -> float:
    """Walk continuous time month by month and keep the last moment the difference is > 0.

    In month m the difference starts at ``a`` (after the one-time jump at t = m - 1),
    moves in a straight line to ``b`` at t = m, then any end-of-month credit applies.
    """
    last_positive = 0.0
    level = 0.0  # difference at t = m - 1, before month m's one-time costs
    for m in range(1, len(up) + 1):
        a = level + up[m - 1]
        b = a + rec[m - 1]
        if a > 0 and b > 0:
            last_positive = float(m)  # positive all month long
        elif a > 0:  # falls through zero inside the month
            last_positive = (m - 1) + a / (a - b)
        elif b > 0:  # rises above zero inside the month and is positive at its end
            last_positive = float(m)
        level = b + end[m - 1]
    return math.inf if level > 0 else last_positive


# integers (as floats) keep every sum exact, so only the final division rounds
usd = st.integers(-1_000, 1_000).map(float)


@settings(max_examples=150, deadline=None, database=None)
@given(
    paths=st.integers(1, 30).flatmap(
        lambda h: st.tuples(
            st.lists(st.one_of(st.just(0.0), usd), min_size=h, max_size=h),
            st.lists(usd, min_size=h, max_size=h),
            st.lists(st.one_of(st.just(0.0), usd), min_size=h, max_size=h),
        )
    )
)
def test_kernel_matches_a_scalar_walk(paths: tuple[list[float], ...]) -> None:
    up, rec, end = paths
    got = float(break_even_months(np.array(up), np.array(rec), np.array(end)))
    expected = reference_t_star(up, rec, end)
    if math.isinf(expected):
        assert math.isinf(got)
    else:
        assert got == expected


@settings(max_examples=50, deadline=None, database=None)
@given(
    batch=st.integers(1, 5).flatmap(
        lambda n: st.integers(1, 12).flatmap(
            lambda h: st.lists(
                st.tuples(
                    st.lists(usd, min_size=h, max_size=h),
                    st.lists(usd, min_size=h, max_size=h),
                    st.lists(usd, min_size=h, max_size=h),
                ),
                min_size=n,
                max_size=n,
            )
        )
    )
)
def test_kernel_on_a_batch_equals_row_by_row(batch: list[tuple[list[float], ...]]) -> None:
    up = np.array([row[0] for row in batch])
    rec = np.array([row[1] for row in batch])
    end = np.array([row[2] for row in batch])
    got = break_even_months(up, rec, end)
    assert got.shape == (len(batch),)
    for i, row in enumerate(batch):
        expected = reference_t_star(*row)
        assert (math.isinf(got[i]) and math.isinf(expected)) or got[i] == expected


# --------------------------------------------------------------------------- volume
@settings(max_examples=25, deadline=None, database=None)
@given(
    api=apis(fixed=False),
    fleet=fleets(procurement=tco.Rent(usd_per_gpu_hour=2.0), sized=True),
    probes=st.lists(st.floats(1.0, 1e3), min_size=1, max_size=10),
    peak=st.floats(1.0, 4.0),
)
def test_candidate_stays_cheaper_above_the_volume_threshold(
    api: tco.VendorAPI, fleet: tco.SelfHosted, probes: list[float], peak: float
) -> None:
    fleet = fleet.model_copy(update={"setup_usd": 0.0})
    shape = {"output_share": 0.3, "peak_to_average": peak}
    result = tco.break_even_volume(
        api, fleet, tco.Usage.constant(0.0, months=1, **shape), max_tokens_per_month=1e14
    )
    event("threshold" if result.tokens_per_month is not None else "none")
    assume(result.tokens_per_month is not None)
    assert result.tokens_per_month is not None
    for volume in (result.tokens_per_month * p for p in probes):
        # the cost model at a steady volume above the threshold, through simulate()
        usage = tco.Usage.constant(min(volume, 1e14), months=1, **shape)
        monthly = tco.simulate([api, fleet], usage).monthly().iloc[0]
        assert monthly[fleet.name] <= monthly[api.name] * (1 + 1e-9)
