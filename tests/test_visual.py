"""Visual regression: the key charts compared with baseline images, within a tolerance.

Each chart is drawn from deterministic inputs (options built here, seeded draws) on a
figure of fixed size and dpi, with matplotlib's test font settings (DejaVu Sans, shipped
with matplotlib; no hinting), then compared with ``tests/baseline_images/<name>.png`` by
:func:`matplotlib.testing.compare.compare_images` (RMS of the pixel difference, 0-255).
The tolerance absorbs anti-aliasing and FreeType differences between machines; a moved
line, a missing bar or a changed label moves the RMS well beyond it.

A chart changed on purpose? Look at the new picture, then write the baselines again::

    python -m pytest tests/test_visual.py --regen-baselines

(the option is defined in ``tests/conftest.py``). On a failure the drawn image and the
difference image are kept in pytest's temporary folder, named in the message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.testing import set_font_settings_for_testing
from matplotlib.testing.compare import compare_images
from scipy import stats

import tco

BASELINES = Path(__file__).parent / "baseline_images"
TOLERANCE = 2.0
"""Largest RMS difference accepted (0-255 per channel). The same matplotlib draws these
charts identically (RMS 0: its wheels bring their own FreeType); small layout changes of
another version stay below 2. Deliberate breaks land well above it: the break-even
marker removed 4.9, one axis label changed 6.4, the fan's lines moved by 10 % 17.5."""
SIZE = (6.0, 3.8)
DPI = 72


# --------------------------------------------------------------------------- inputs
def _usage() -> tco.Usage:
    return tco.Usage.linear(2e8, 4e9, months=24, output_share=0.25, peak_to_average=2.0)


def _api() -> tco.VendorAPI:
    return tco.VendorAPI("vendor API", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0)


def _fleet(usd_per_gpu_hour: float = 2.0) -> tco.SelfHosted:
    return tco.SelfHosted(
        "fleet",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_000,
        procurement=tco.Rent(usd_per_gpu_hour=usd_per_gpu_hour),
        staff_fte=0.1,
        setup_usd=20_000,
    )


def _draws() -> dict[str, object]:
    return {
        "candidate.procurement.usd_per_gpu_hour": stats.uniform(1.5, 2.0),
        "usage.peak_to_average": stats.uniform(1.5, 1.5),
    }


# --------------------------------------------------------------------------- charts
def cumulative(ax):
    return tco.plot.cumulative_cost(tco.break_even(_api(), _fleet(), _usage()), ax)


def breakdown(ax):
    return tco.plot.monthly_breakdown(tco.break_even(_api(), _fleet(), _usage()), ax=ax)


def per_mtok(ax):
    return tco.plot.cost_per_mtok(tco.break_even(_api(), _fleet(), _usage()), ax)


def tornado(ax):
    ranges = {
        "candidate.procurement.usd_per_gpu_hour": (1.5, 3.5),
        "candidate.setup_usd": (5_000, 60_000),
        "baseline.output_usd_per_mtok": (5.0, 12.0),
    }
    return tco.tornado(_api(), _fleet(), _usage(), ranges).plot(ax=ax)


def heatmap(ax):
    grid = {
        "usage.end": [1e9, 2e9, 4e9, 8e9],
        "candidate.procurement.usd_per_gpu_hour": [1.5, 2.5, 3.5, 4.5],
    }
    return tco.sweep(_api(), _fleet(), _usage(), grid).plot(ax=ax)


def fan(ax):
    mc = tco.monte_carlo(_api(), _fleet(), _usage(), _draws(), n=2_000, seed=11)
    return tco.plot.fan(mc, ax)


def probability(ax):
    mc = tco.monte_carlo(_api(), _fleet(), _usage(), _draws(), n=2_000, seed=11)
    return tco.plot.break_even_probability(mc, ax)


def commitment(ax):
    slow = {"decode_tokens_per_s": 400.0}  # a few replicas, so commitments can sit idle
    on_demand = _fleet(3.0).model_copy(update={"name": "on demand", **slow})
    reserved = _fleet().model_copy(
        update={
            "name": "1-year term",
            **slow,
            "procurement": tco.Rent(
                2.0, term_months=12, renew=True, on_demand_usd_per_gpu_hour=3.0
            ),
        }
    )
    draws = {"usage.end": stats.uniform(1e9, 6e9)}
    risk = tco.commitment_risk([on_demand, reserved], _usage(), draws, n=400, seed=5)
    return tco.plot.commitment_risk(risk, ax)


CHARTS: dict[str, Callable] = {
    "cumulative_cost": cumulative,
    "monthly_breakdown": breakdown,
    "cost_per_mtok": per_mtok,
    "tornado": tornado,
    "heatmap": heatmap,
    "fan": fan,
    "break_even_probability": probability,
    "commitment_risk": commitment,
}


WIDER = {"tornado": (8.5, 3.8), "cost_per_mtok": (6.0, 4.3)}
"""Charts that need another size (long input labels; a caption under the chart). [inches]"""


def draw(name: str, path: Path, tweak: Callable | None = None) -> None:
    """Draw chart ``name`` to ``path`` with the fixed size, dpi and font settings."""
    with mpl.rc_context():
        set_font_settings_for_testing()
        mpl.rcParams["savefig.dpi"] = DPI
        size = WIDER.get(name, SIZE)
        fig, ax = plt.subplots(figsize=size, dpi=DPI, layout="constrained")
        ax = CHARTS[name](ax)
        if tweak is not None:
            tweak(ax)
        fig.savefig(path, dpi=DPI, metadata={"Software": None})
        plt.close(fig)


# --------------------------------------------------------------------------- tests
@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_matches_its_baseline(name, tmp_path, request):
    baseline = BASELINES / f"{name}.png"
    if request.config.getoption("--regen-baselines"):
        BASELINES.mkdir(exist_ok=True)
        draw(name, baseline)
        pytest.skip(f"wrote {baseline}")
    assert baseline.exists(), (
        f"{baseline} is missing: python -m pytest tests/test_visual.py --regen-baselines"
    )
    actual = tmp_path / f"{name}.png"
    draw(name, actual)
    failed = compare_images(str(baseline), str(actual), tol=TOLERANCE)
    assert failed is None, (
        f"{name} differs from its baseline beyond RMS {TOLERANCE}: {failed}\n"
        "If the change is intended, look at the new image, then run "
        "python -m pytest tests/test_visual.py --regen-baselines"
    )


def _rms(a: Path, b: Path) -> float:
    from matplotlib.testing.compare import calculate_rms

    img_a, img_b = (np.asarray(plt.imread(p))[..., :3] * 255 for p in (a, b))
    return float(calculate_rms(img_a.astype(np.int16), img_b.astype(np.int16)))


def _relabel(ax) -> None:
    ax.set_ylabel("Cumulative cost [EUR]")


def _no_break_even_marker(ax) -> None:
    for artist in ax.get_children():
        if artist.get_gid() == "break-even":
            artist.remove()


def _shift_lines(ax) -> None:
    for line in ax.get_lines():
        line.set_ydata(np.asarray(line.get_ydata(), dtype=float) * 1.1)


@pytest.mark.parametrize(
    ("name", "tweak"),
    [
        ("cumulative_cost", _no_break_even_marker),
        ("cumulative_cost", _relabel),
        ("fan", _shift_lines),
    ],
    ids=["marker-removed", "label-changed", "lines-moved-10pct"],
)
def test_the_tolerance_catches_a_real_change(name, tweak, tmp_path):
    baseline = BASELINES / f"{name}.png"
    if not baseline.exists():
        pytest.skip("no baseline yet")
    broken = tmp_path / "broken.png"
    draw(name, broken, tweak)
    assert compare_images(str(baseline), str(broken), tol=TOLERANCE) is not None
    assert _rms(baseline, broken) > TOLERANCE
