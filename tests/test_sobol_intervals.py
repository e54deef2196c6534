"""Sobol indices with bootstrap confidence intervals, and flags for index pairs that make
no sense beyond them (issue 13)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import tco
from tco.analysis.sobol import sobol_indices
from tco.analysis.sobol_ci import COLUMNS, saltelli_2010

U = stats.uniform(0, 1)


def linear(x: dict[str, np.ndarray]) -> np.ndarray:
    return x["a"] + 2.0 * x["b"]


# y = a + 2b, a and b uniform on [0, 1]: Var = 1/12 + 4/12, no interaction, so each input's
# first-order and total index are its share: a 1/5, b 4/5.
TRUE = {"a": 0.2, "b": 0.8}


def test_intervals_cover_the_analytic_indices_and_shrink_with_n() -> None:
    widths = {}
    for n in (256, 4096):
        res = sobol_indices(linear, {"a": U, "b": U}, n=n, seed=7)
        frame = res.to_frame()
        assert list(frame.columns) == ["first_order", "total_order", *COLUMNS]
        for path, share in TRUE.items():
            row = frame.loc[path]
            assert row["first_order_low"] <= share <= row["first_order_high"], (n, path)
            assert row["total_order_low"] <= share <= row["total_order_high"], (n, path)
            assert row["first_order_low"] <= row["first_order"] <= row["first_order_high"]
        widths[n] = float((frame["first_order_high"] - frame["first_order_low"]).mean())
        assert res.flags.empty
    # the standard error falls as 1 / sqrt(n): 16 x the points, about a quarter the width
    assert widths[4096] < widths[256] / 2.5


def test_intervals_are_seeded_and_computed_once() -> None:
    a = sobol_indices(linear, {"a": U, "b": U}, n=512, seed=3)
    b = sobol_indices(linear, {"a": U, "b": U}, n=512, seed=3)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert a.intervals is not None
    pd.testing.assert_frame_equal(a.confidence_intervals(), a.intervals)
    again = a.confidence_intervals(n_resamples=199)  # asked anew: seeded, the same each time
    pd.testing.assert_frame_equal(again, a.confidence_intervals(n_resamples=199))


def test_saltelli_estimators_and_intervals_agree_with_scipy() -> None:
    res = sobol_indices(linear, {"a": U, "b": U}, n=1024, seed=11)
    raw = res._scipy
    ours = saltelli_2010(raw._f_A[0], raw._f_B[0], np.asarray(raw._f_AB)[:, 0, :])
    np.testing.assert_allclose(ours[0], res.first_order.to_numpy())
    np.testing.assert_allclose(ours[1], res.total_order.to_numpy())
    # scipy's own SobolResult.bootstrap (BCa, other resamples): the same intervals within
    # the resampling noise
    np.random.seed(0)
    boot = raw.bootstrap(confidence_level=0.95, n_resamples=999)
    theirs = np.asarray(boot.first_order.confidence_interval.low).reshape(2, -1)[0]
    np.testing.assert_allclose(res.intervals["first_order_low"], theirs, atol=0.01)


def test_a_constant_function_has_zero_indices_and_intervals() -> None:
    res = sobol_indices(lambda x: np.ones_like(x["a"]), {"a": U, "b": U}, n=64, seed=0)
    assert (res.to_frame().to_numpy() == 0.0).all()
    assert res.flags.empty


def _flagged_result() -> tco.SobolResult:
    """A result whose intervals say a's first-order index is above its total one (the
    issue's case: 0.008 vs 0.003) and b's total index is above 1."""
    res = sobol_indices(linear, {"a": U, "b": U}, n=64, seed=0)
    crafted = pd.DataFrame(
        {
            "first_order_low": [0.006, 0.7],
            "first_order_high": [0.010, 0.9],
            "total_order_low": [0.001, 1.02],
            "total_order_high": [0.005, 1.10],
        },
        index=pd.Index(["a", "b"], name="path"),
    )
    return dataclasses.replace(
        res,
        first_order=pd.Series([0.008, 0.8], index=crafted.index),
        total_order=pd.Series([0.003, 1.05], index=crafted.index),
        intervals=crafted,
    )


def test_flags_name_the_path_and_the_problem() -> None:
    res = _flagged_result()
    flags = res.flags
    assert list(flags.columns) == ["path", "problem"]
    problems = dict(zip(flags["path"], flags["problem"], strict=True))
    assert problems == {
        "a": "first-order index 0.008 [0.006, 0.010] is above the total index 0.003 "
        "[0.001, 0.005] beyond both intervals: use a larger n",
        "b": "total index 1.050 [1.020, 1.100] is above 1 beyond its interval: use a larger n",
    }
    text = repr(res)
    assert "flagged: a: first-order index 0.008" in text
    assert "flagged: b: total index 1.050" in text
    assert "a: first order 0.008 [0.006, 0.010], total 0.003 [0.001, 0.005]" in text


def test_overlapping_intervals_are_not_flagged() -> None:
    res = _flagged_result()
    crafted = res.intervals.copy()
    crafted.loc["a", "total_order_high"] = 0.007  # overlaps a's first-order interval
    crafted.loc["b", "total_order_low"] = 0.99  # reaches back into [0, 1]
    assert dataclasses.replace(res, intervals=crafted).flags.empty


def test_plot_marks_flagged_inputs_and_draws_the_intervals() -> None:
    ax = _flagged_result().plot()
    (mark,) = [line for line in ax.get_lines() if line.get_gid() == "flag"]
    assert len(mark.get_ydata()) == 2
    labels = {t.get_text(): t.get_color() for t in ax.get_yticklabels()}
    assert labels["a"] == labels["b"] == "#d62728"
    assert any("flagged" in t.get_text() for t in ax.get_legend().get_texts())
    assert len(ax.containers) >= 4  # two bar groups and two interval groups

    plain = sobol_indices(linear, {"a": U, "b": U}, n=256, seed=0).plot()
    assert not [line for line in plain.get_lines() if line.get_gid() == "flag"]


def test_sobol_on_tco_carries_intervals_and_checks_the_level() -> None:
    usage = tco.Usage.constant(1e9, months=12, output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0)
    dists = {"baseline.output_usd_per_mtok": stats.uniform(10, 10)}
    res = tco.sobol(api, cheap, usage, dists, n=64, seed=0, confidence_level=0.9)
    assert res.confidence_level == 0.9 and res.candidate == "cheap"
    row = res.to_frame().loc["baseline.output_usd_per_mtok"]
    # one input: it explains all of the variance; the estimate of 64 points is near 1 and
    # its 90 % interval holds both
    assert row["first_order"] == pytest.approx(1.0, abs=0.05)
    assert row["first_order_low"] <= min(1.0, row["first_order"])
    assert row["first_order_high"] >= max(1.0, row["first_order"])
    with pytest.raises(ValueError, match=r"confidence_level: 1\.5 -> a share in \(0, 1\)"):
        tco.sobol(api, cheap, usage, dists, n=64, seed=0, confidence_level=1.5)
