"""Monte Carlo and the vectorised batch engine (issue 4).

The reference for every per-draw figure is the scalar engine, ``tco.break_even()``, called
on options and usages built by hand from each draw's values; closed-form cases (a fixed
monthly saving against a one-time cost) give the probabilities and percentiles.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scipy import stats

import tco
import tco.analysis.batch
import tco.analysis.montecarlo
from tco.analysis.batch import Comparison

H = 36
API_IN, API_CACHE = 2.5, 1.25


def api(output: float = 10.0) -> tco.VendorAPI:
    return tco.VendorAPI(
        "api",
        input_usd_per_mtok=API_IN,
        output_usd_per_mtok=output,
        cache_read_usd_per_mtok=API_CACHE,
    )


def fleet(gpu_hour: float = 2.5, decode: float = 2_500.0, spare: int = 0) -> tco.SelfHosted:
    return tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=decode,
        procurement=tco.Rent(usd_per_gpu_hour=gpu_hour),
        gpus_per_replica=2,
        spare_replicas=spare,
        staff_fte=0.5,
        setup_usd=50_000,
    )


def usage(growth: float = 0.08, peak: float = 2.5) -> tco.Usage:
    return tco.Usage.compound(
        start=1e9,
        monthly_growth=growth,
        months=H,
        output_share=0.3,
        cached_input_share=0.2,
        peak_to_average=peak,
    )


def scalar(be: tco.BreakEven) -> tuple[float, float, float]:
    """(t*, savings, NPV savings) of a scalar result, ``None`` read as inf."""
    months = math.inf if be.months is None else be.months
    return months, be.savings_usd, be.npv_savings_usd


def point(value: float) -> stats.rv_discrete:
    """A degenerate distribution: all mass at ``value``."""
    return stats.rv_discrete(values=([value], [1.0]))


# --------------------------------------------------------------------------- exactness
@pytest.mark.parametrize("rate", [0.0, 0.08])
@pytest.mark.parametrize(
    ("gpu_hour", "output"),
    [(2.5, 10.0), (9.0, 2.0)],  # breaks even; never breaks even
)
def test_degenerate_distributions_reproduce_break_even_exactly(
    rate: float, gpu_hour: float, output: float
) -> None:
    expected = scalar(tco.break_even(api(output), fleet(gpu_hour), usage(), discount_rate=rate))
    mc = tco.monte_carlo(
        api(),
        fleet(),
        usage(),
        {
            "candidate.procurement.usd_per_gpu_hour": point(gpu_hour),
            "baseline.output_usd_per_mtok": point(output),
            "usage.monthly_growth": 0.08,  # a plain number is a fixed value too
        },
        n=5,
        seed=3,
        discount_rate=rate,
    )
    for i in range(5):
        assert (mc.months[i], mc.savings_usd[i], mc.npv_savings_usd[i]) == expected
    assert mc.prob_never == (1.0 if math.isinf(expected[0]) else 0.0)


@st.composite
def draws(draw: st.DrawFn) -> dict[str, np.ndarray]:
    k = draw(st.integers(1, 20))

    def column(strategy: st.SearchStrategy[float]) -> np.ndarray:
        return np.array(draw(st.lists(strategy, min_size=k, max_size=k)), dtype=float)

    return {
        "candidate.procurement.usd_per_gpu_hour": column(st.floats(0.5, 12.0)),
        "baseline.output_usd_per_mtok": column(st.floats(0.5, 30.0)),
        "usage.monthly_growth": column(st.floats(-0.1, 0.3)),
        "usage.peak_to_average": column(st.floats(1.0, 4.0)),
        "candidate.decode_tokens_per_s": column(st.floats(300.0, 6_000.0)),
        "candidate.spare_replicas": column(st.integers(0, 2).map(float)),
    }


@settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(values=draws(), rate=st.sampled_from([0.0, 0.08]))
def test_batch_equals_scalar_break_even_draw_for_draw(
    values: dict[str, np.ndarray], rate: float
) -> None:
    res = Comparison(tco.Question(api(), fleet(), usage(), discount_rate=rate)).evaluate(values)
    for i in range(values["usage.monthly_growth"].size):
        fleet_i = fleet(
            gpu_hour=values["candidate.procurement.usd_per_gpu_hour"][i],
            decode=values["candidate.decode_tokens_per_s"][i],
            spare=int(values["candidate.spare_replicas"][i]),
        )
        usage_i = usage(
            growth=values["usage.monthly_growth"][i], peak=values["usage.peak_to_average"][i]
        )
        be = tco.break_even(
            api(values["baseline.output_usd_per_mtok"][i]), fleet_i, usage_i, discount_rate=rate
        )
        assert (res.months[i], res.savings_usd[i], res.npv_savings_usd[i]) == scalar(be)
        event("never" if be.months is None else "breaks even")
        gpus = fleet_i.gpus(usage_i)
        event("GPU steps" if gpus.min() != gpus.max() else "flat fleet")


def test_monte_carlo_equals_scalar_engine_on_every_draw() -> None:
    dists = {
        "candidate.procurement.usd_per_gpu_hour": stats.uniform(1.0, 8.0),
        "baseline.output_usd_per_mtok": stats.lognorm(0.6, scale=8.0),
        "usage.monthly_growth": stats.uniform(-0.05, 0.2),
        "candidate.spare_replicas": stats.randint(0, 3),
    }
    mc = tco.monte_carlo(api(), fleet(), usage(), dists, n=300, seed=11, discount_rate=0.05)
    steps = 0
    for i, row in mc.samples.iterrows():
        fleet_i = fleet(
            gpu_hour=row["candidate.procurement.usd_per_gpu_hour"],
            spare=int(row["candidate.spare_replicas"]),
        )
        usage_i = usage(growth=row["usage.monthly_growth"])
        be = tco.break_even(
            api(row["baseline.output_usd_per_mtok"]), fleet_i, usage_i, discount_rate=0.05
        )
        assert (mc.months[i], mc.savings_usd[i], mc.npv_savings_usd[i]) == scalar(be)
        gpus = fleet_i.gpus(usage_i)
        steps += int(gpus.min() != gpus.max())
    # the sample covers both answers and fleets that grow in steps
    assert 0 < np.isinf(mc.months).sum() < 300
    assert steps > 100


def test_strategy_paths_work_draw_for_draw() -> None:
    overflow = tco.Overflow(fleet(), api(), name="overflow", max_replicas=3)
    dists = {
        "candidate.fleet.procurement.usd_per_gpu_hour": stats.uniform(1.0, 4.0),
        "candidate.api.output_usd_per_mtok": stats.uniform(5.0, 10.0),
    }
    mc = tco.monte_carlo(api(), overflow, usage(), dists, n=40, seed=2)
    for i, row in mc.samples.iterrows():
        cand = tco.Overflow(
            fleet(row["candidate.fleet.procurement.usd_per_gpu_hour"]),
            api(row["candidate.api.output_usd_per_mtok"]),
            name="overflow",
            max_replicas=3,
        )
        assert (mc.months[i], mc.savings_usd[i], mc.npv_savings_usd[i]) == scalar(
            tco.break_even(api(), cand, usage())
        )


def test_chunked_evaluation_equals_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    dists = {
        "candidate.procurement.usd_per_gpu_hour": stats.uniform(1.0, 8.0),
        "usage.peak_to_average": stats.uniform(1.0, 3.0),
    }
    whole = tco.monte_carlo(api(), fleet(), usage(), dists, n=500, seed=5)
    monkeypatch.setattr(tco.analysis.batch, "CHUNK_CELLS", 7 * H)  # chunks of 7 draws
    chunked = tco.monte_carlo(api(), fleet(), usage(), dists, n=500, seed=5)
    np.testing.assert_array_equal(chunked.months, whole.months)
    np.testing.assert_array_equal(chunked.savings_usd, whole.savings_usd)
    pd.testing.assert_frame_equal(chunked.fan, whole.fan)


# --------------------------------------------------------------------------- closed form
SAVING = 6_000.0  # per month: API 9,000 - cheap 3,000 at 1e9 tokens, half output


def pair() -> tuple[tco.VendorAPI, tco.VendorAPI, tco.Usage]:
    u = tco.Usage.constant(1e9, months=24, output_share=0.5)
    base = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
    return base, cheap, u


def setup_mc(n: int = 20_000, hi: float = 36_000.0 * 5, seed: int = 7) -> tco.MonteCarloResult:
    base, cheap, u = pair()
    return tco.monte_carlo(
        base, cheap, u, {"candidate.setup_usd": stats.uniform(0, hi)}, n=n, seed=seed
    )


def test_prob_break_even_by_month_matches_closed_form() -> None:
    hi = 180_000.0  # setup ~ U(0, 180,000): t* = setup / 6,000 ~ U(0, 30), horizon 24
    mc = setup_mc(hi=hi)
    for m in (0, 3, 12, 24):
        expected = min(1.0, SAVING * m / hi)
        assert mc.prob_break_even_by(m) == pytest.approx(expected, abs=0.015)
    assert mc.prob_never == pytest.approx(1 - 24 * SAVING / hi, abs=0.015)
    curve = mc.break_even_curve()
    assert list(curve.index) == list(range(25))
    assert np.all(np.diff(curve.to_numpy()) >= 0)
    assert curve.iloc[-1] == pytest.approx(1 - mc.prob_never)
    # per draw: t* is setup / saving exactly
    setup = mc.samples["candidate.setup_usd"].to_numpy()
    t = setup / SAVING
    np.testing.assert_allclose(mc.months[t <= 24], t[t <= 24], rtol=1e-12)
    assert np.all(np.isinf(mc.months[t > 24 + 1e-9]))
    assert mc.prob_break_even_by(np.array([3, 12])).shape == (2,)


def test_percentiles_and_fan_match_per_draw_formulas() -> None:
    mc = setup_mc(n=4_001, hi=36_000.0)
    setup = mc.samples["candidate.setup_usd"].to_numpy()
    pct = mc.break_even_percentiles()
    assert list(pct.index) == ["p10", "p50", "p90"]
    # empirical (inverted-CDF) percentile: the ceil(q n)-th smallest t*
    ordered = np.sort(setup / SAVING)
    for label, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
        assert pct[label] == pytest.approx(ordered[math.ceil(q * mc.n) - 1], rel=1e-12)
        assert mc.prob_break_even_by(pct[label]) >= q
    months = np.arange(1, 25)
    savings_paths = SAVING * months[None, :] - setup[:, None]
    fan = mc.fan
    assert list(fan.columns.get_level_values("series").unique()) == [
        "baseline",
        "candidate",
        "savings",
    ]
    assert list(fan.index) == list(months)
    np.testing.assert_allclose(
        fan["savings"].to_numpy(), np.percentile(savings_paths, [10, 50, 90], axis=0).T
    )
    cand_paths = 3_000.0 * months[None, :] + setup[:, None]
    np.testing.assert_allclose(
        fan["candidate"].to_numpy(), np.percentile(cand_paths, [10, 50, 90], axis=0).T
    )
    np.testing.assert_allclose(fan["baseline"].to_numpy(), (9_000.0 * months)[:, None] * [1, 1, 1])
    sav = mc.savings_percentiles()
    np.testing.assert_allclose(sav, np.percentile(24 * SAVING - setup, [10, 50, 90]))


def test_never_percentiles_are_inf_not_nan() -> None:
    mc = setup_mc(n=2_000, hi=36_000.0 * 10)  # P(break even by 24) = 0.4
    pct = mc.break_even_percentiles()
    assert pct["p10"] < 24 and math.isinf(pct["p90"]) and not pct.isna().any()
    assert "never" in repr(mc) and "never" in mc._repr_html_()
    frame = mc.to_frame()
    assert list(frame.columns) == [
        "candidate.setup_usd",
        "months",
        "never",
        "savings_usd",
        "npv_savings_usd",
    ]
    assert frame["never"].sum() == np.isinf(mc.months).sum() > 0
    assert not frame.isna().any().any()


def test_fan_uses_the_first_draws_when_paths_are_many(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tco.analysis.montecarlo, "FAN_CELLS", 24 * 100)  # 100 draws of 24 months
    mc = setup_mc(n=1_000, hi=36_000.0)
    assert mc.fan_draws == 100
    setup = mc.samples["candidate.setup_usd"].to_numpy()[:100]
    months = np.arange(1, 25)
    expected = np.percentile(SAVING * months[None, :] - setup[:, None], [10, 50, 90], axis=0).T
    np.testing.assert_allclose(mc.fan["savings"].to_numpy(), expected)


def test_discounted_months_and_npv_by_explicit_sum() -> None:
    base, cheap, u = pair()
    rate = 0.1
    mc = tco.monte_carlo(
        base, cheap, u, {"candidate.setup_usd": point(30_000.0)}, n=2, seed=0, discount_rate=rate
    )
    i = (1 + rate) ** (1 / 12) - 1
    npv = sum(SAVING / (1 + i) ** k for k in range(1, 25)) - 30_000.0
    assert mc.npv_savings_usd[0] == pytest.approx(npv, rel=1e-12)
    assert mc.savings_usd[0] == pytest.approx(24 * SAVING - 30_000.0, rel=1e-12)
    # discounted payback: the month-end PV sums cross 30,000 inside month 6
    pv = np.cumsum([SAVING / (1 + i) ** k for k in range(1, 25)])
    m = int(np.argmax(pv >= 30_000.0)) + 1
    assert m - 1 < mc.months[0] <= m


# --------------------------------------------------------------------------- randomness
def test_seed_reproduces_and_global_state_is_untouched() -> None:
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = setup_mc(n=300, seed=42)
    b = setup_mc(n=300, seed=42)
    c = setup_mc(n=300, seed=43)
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    pd.testing.assert_frame_equal(a.samples, b.samples)
    np.testing.assert_array_equal(a.months, b.months)
    assert not np.array_equal(a.samples.to_numpy(), c.samples.to_numpy())
    fresh = setup_mc(n=300, seed=None)  # type: ignore[arg-type]
    assert isinstance(fresh.seed, int)
    again = setup_mc(n=300, seed=fresh.seed)
    np.testing.assert_array_equal(fresh.months, again.months)
    gen = np.random.default_rng(9)
    base, cheap, u = pair()
    from_gen = tco.monte_carlo(
        base, cheap, u, {"candidate.setup_usd": stats.uniform(0, 1e5)}, n=10, seed=gen
    )
    assert from_gen.seed is None


def correlated(correlation: object, n: int = 20_000) -> tco.MonteCarloResult:
    base, cheap, u = pair()
    dists = {
        "baseline.input_usd_per_mtok": stats.lognorm(0.3, scale=3.0),
        "baseline.output_usd_per_mtok": stats.lognorm(0.3, scale=15.0),
        "candidate.setup_usd": stats.uniform(0, 50_000),
    }
    return tco.monte_carlo(base, cheap, u, dists, n=n, seed=1, correlation=correlation)


def test_gaussian_copula_gives_the_rank_correlation_of_its_normals() -> None:
    rho = 0.8
    mc = correlated({("baseline.input_usd_per_mtok", "baseline.output_usd_per_mtok"): rho})
    s = mc.samples
    spearman = stats.spearmanr(s["baseline.input_usd_per_mtok"], s["baseline.output_usd_per_mtok"])
    # Gaussian copula: Spearman's rho_s = 6/pi * arcsin(rho / 2)
    assert spearman.statistic == pytest.approx(6 / math.pi * math.asin(rho / 2), abs=0.015)
    # log of a lognormal is normal: Pearson of the logs is rho itself
    logs = np.log(s[["baseline.input_usd_per_mtok", "baseline.output_usd_per_mtok"]])
    assert np.corrcoef(logs.T)[0, 1] == pytest.approx(rho, abs=0.01)
    independent = stats.spearmanr(s["baseline.input_usd_per_mtok"], s["candidate.setup_usd"])
    assert abs(independent.statistic) < 0.03
    assert mc.correlation is not None
    assert mc.correlation.loc["baseline.output_usd_per_mtok", "baseline.input_usd_per_mtok"] == rho


def test_correlation_forms_agree() -> None:
    paths = ["baseline.input_usd_per_mtok", "baseline.output_usd_per_mtok"]
    matrix = np.array([[1.0, 0.6, 0.0], [0.6, 1.0, 0.0], [0.0, 0.0, 1.0]])
    frame = pd.DataFrame([[1.0, 0.6], [0.6, 1.0]], index=paths, columns=paths)
    a = correlated(matrix, n=200)
    b = correlated(frame, n=200)
    c = correlated({tuple(paths): 0.6}, n=200)
    pd.testing.assert_frame_equal(a.samples, b.samples)
    pd.testing.assert_frame_equal(a.samples, c.samples)


@pytest.mark.parametrize(
    ("correlation", "message"),
    [
        ({("baseline.input_usd_per_mtok", "usage.start"): 0.5}, "has no distribution"),
        (np.eye(2), r"shape \(2, 2\) -> \(3, 3\)"),
        (np.array([[1, 0.5, 0], [0.4, 1, 0], [0, 0, 1]]), "symmetric"),
        (np.array([[1, 0.99, -0.99], [0.99, 1, 0.99], [-0.99, 0.99, 1]]), "positive definite"),
        (np.array([[1, 1.5, 0], [1.5, 1, 0], [0, 0, 1]]), r"in \[-1, 1\]"),
    ],
)
def test_bad_correlation_fails_clearly(correlation: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        correlated(correlation, n=10)


# --------------------------------------------------------------------------- bad input
def test_distribution_with_negative_prices_fails_naming_the_path() -> None:
    base, cheap, u = pair()
    with pytest.raises(ValueError, match=r"baseline\.input_usd_per_mtok.*negative.*lognorm"):
        tco.monte_carlo(
            base, cheap, u, {"baseline.input_usd_per_mtok": stats.norm(1.0, 2.0)}, n=1000, seed=0
        )
    with pytest.raises(ValueError, match=r"usd_per_gpu_hour.*greater than 0"):
        tco.monte_carlo(
            api(),
            fleet(),
            usage(),
            {"candidate.procurement.usd_per_gpu_hour": stats.uniform(-1.0, 2.0)},
            n=100,
            seed=0,
        )


@pytest.mark.parametrize("n", [0, -5, 1.5, True, "10"])
def test_n_below_one_or_not_whole_fails(n: object) -> None:
    base, cheap, u = pair()
    with pytest.raises(ValueError, match=r"^n: .* >= 1"):
        tco.monte_carlo(base, cheap, u, {"candidate.setup_usd": stats.uniform(0, 1)}, n=n)  # type: ignore[arg-type]


def test_non_numeric_and_unknown_paths_fail_listing_valid_ones() -> None:
    base, cheap, u = pair()
    with pytest.raises(tco.ParameterPathError, match=r"'name'.*str, not a number") as err:
        tco.monte_carlo(base, cheap, u, {"candidate.name": stats.uniform(0, 1)}, n=10)
    assert "candidate.setup_usd" in str(err.value)
    with pytest.raises(KeyError, match=r"unknown parameter path 'candidate\.gpu_price'"):
        tco.monte_carlo(base, cheap, u, {"candidate.gpu_price": stats.uniform(0, 1)}, n=10)


def test_bad_distributions_fail_clearly() -> None:
    base, cheap, u = pair()
    with pytest.raises(TypeError, match="not a name"):
        tco.monte_carlo(base, cheap, u, {"candidate.setup_usd": "uniform"}, n=10)
    with pytest.raises(TypeError, match=r"frozen scipy\.stats"):
        tco.monte_carlo(base, cheap, u, {"candidate.setup_usd": [1, 2]}, n=10)
    with pytest.raises(ValueError, match="NaN"):
        tco.monte_carlo(base, cheap, u, {"candidate.setup_usd": stats.norm(5, -1)}, n=10)
    with pytest.raises(ValueError, match="whole numbers"):
        tco.monte_carlo(
            api(), fleet(), usage(), {"candidate.spare_replicas": stats.uniform(0, 2)}, n=10
        )
    with pytest.raises(ValueError, match="distributions"):
        tco.monte_carlo(base, cheap, u, {}, n=10)
    with pytest.raises(ValueError, match=r"output_share.*less than or equal to 1"):
        tco.monte_carlo(base, cheap, u, {"usage.output_share": stats.uniform(0.5, 1.0)}, n=50)


# --------------------------------------------------------------------------- result object
def test_result_is_frozen_and_plots_through_tco_plot(monkeypatch: pytest.MonkeyPatch) -> None:
    mc = setup_mc(n=50)
    with pytest.raises(dataclasses.FrozenInstanceError):
        mc.months = np.zeros(50)  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        mc.months[0] = 1.0
    calls: list[tuple[str, object, object]] = []
    monkeypatch.setattr(tco.plot, "fan", lambda r, ax=None: calls.append(("fan", r, ax)))
    monkeypatch.setattr(
        tco.plot,
        "break_even_probability",
        lambda r, ax=None: calls.append(("prob", r, ax)),
    )
    mc.plot(ax="AX")
    mc.plot_probability()
    assert calls == [("fan", mc, "AX"), ("prob", mc, None)]
    assert repr(mc).startswith("MonteCarloResult('cheap' vs 'api', 50 draws, 24 months")
    assert "<table>" in mc._repr_html_()
    summary = mc.summary()
    assert summary["draws"] == 50
    assert summary["prob_break_even"] == 1 - mc.prob_never


@pytest.mark.parametrize(("capex", "credit"), [("amortized", False), ("cash", True)])
def test_bought_fleet_equals_scalar_engine(capex: str, credit: bool) -> None:
    def bought(price: float, life: float) -> tco.SelfHosted:
        return fleet().model_copy(
            update={"procurement": tco.Buy(usd_per_gpu=price, useful_life_years=life)}
        )

    dists = {
        "candidate.procurement.usd_per_gpu": stats.uniform(15_000, 20_000),
        "candidate.procurement.useful_life_years": stats.uniform(2.0, 4.0),
        "usage.monthly_growth": stats.uniform(0.0, 0.15),
    }
    mc = tco.monte_carlo(
        api(), bought(25_000, 4), usage(), dists, n=60, seed=4, capex=capex, credit_residual=credit
    )
    for i, row in mc.samples.iterrows():
        be = tco.break_even(
            api(),
            bought(
                row["candidate.procurement.usd_per_gpu"],
                row["candidate.procurement.useful_life_years"],
            ),
            usage(growth=row["usage.monthly_growth"]),
            capex=capex,
            credit_residual=credit,
        )
        assert (mc.months[i], mc.savings_usd[i], mc.npv_savings_usd[i]) == scalar(be)
