"""Progress of long batches: shown when asked, silent by default in tests, one report per run."""

from __future__ import annotations

import pytest
from scipy import stats

import tco
from tco.analysis.progress import Progress, progress_for


@pytest.fixture
def question():
    usage = tco.Usage.constant(1e9, months=12, output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0, setup_usd=1)
    return tco.Question(api, cheap, usage)


def _last(err: str) -> str:
    return err.split("\r")[-1]


def test_monte_carlo_reports_every_draw_when_asked(question, capsys):
    tco.monte_carlo(question, {"candidate.setup_usd": stats.uniform(0, 1)}, n=300, progress=True)
    assert _last(capsys.readouterr().err) == "Monte Carlo: 100% (300 of 300 draws)\n"


def test_sobol_is_one_report_over_all_its_scenarios(question, capsys):
    dists = {
        "candidate.setup_usd": stats.uniform(0, 1),
        "baseline.output_usd_per_mtok": stats.uniform(10, 10),
    }
    tco.sobol(question, dists, n=64, seed=0, progress=True)
    err = capsys.readouterr().err
    assert err.count("\n") == 1  # one report, closed once
    assert _last(err) == "Sobol: 100% (256 of 256 scenarios)\n"  # 64 x (2 inputs + 2)


def test_sweep_reports_its_points(question, capsys):
    tco.sweep(question, {"candidate.setup_usd": [0, 1, 2, 3]}, progress=True)
    assert _last(capsys.readouterr().err) == "Sweep: 100% (4 of 4 points)\n"


def test_silent_unless_asked_in_tests(question, capsys):
    # 200,000 draws x 12 months would take about half a second: and tests never show it
    tco.monte_carlo(question, {"candidate.setup_usd": stats.uniform(0, 1)}, n=2_000)
    tco.monte_carlo(question, {"candidate.setup_usd": stats.uniform(0, 1)}, n=50, progress=False)
    assert capsys.readouterr().err == ""
    assert progress_for(None, "x", 10, cells=1e12) is None  # PYTEST_CURRENT_TEST is set
    assert isinstance(progress_for(True, "x", 10, cells=1), Progress)
    with pytest.raises(ValueError, match="progress: 'yes'"):
        progress_for("yes", "x", 10, cells=1)  # type: ignore[arg-type]


def test_progress_line_counts_and_closes_once():
    import io

    out = io.StringIO()
    p = Progress("Monte Carlo", 1_000, "draws", stream=out, bar=False)
    p.update(1_000)
    p.update(1_000)  # after the end: nothing more
    p.close()
    assert out.getvalue() == "\rMonte Carlo: 100% (1,000 of 1,000 draws)\n"
