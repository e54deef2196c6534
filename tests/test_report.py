"""`tco report`: charts and a Markdown summary of a scenario, written into a folder."""

from __future__ import annotations

from datetime import date

import pytest

import tco
from tco.cli import main
from tco.report import write_report

SCENARIO = """
[scenario]
name = "Support bot: API or own GPUs?"
description = "A steady support workload."
baseline = "api"
candidate = "fleet"

[usage]
output_share = 0.25

[usage.curve]
kind = "constant"
tokens = 1e9
months = 24

[options.api]
type = "api"
input_usd_per_mtok = 2.0
output_usd_per_mtok = 8.0
sources = ["API price acme/big: acme.example/pricing (2025-06-01)"]

[options.fleet]
type = "self_hosted"
prefill_tokens_per_s = 20000
decode_tokens_per_s = 2000
procurement = { kind = "rent", usd_per_gpu_hour = 2.0 }
setup_usd = 20000
sources = ["GPU offer cloud h100 on_demand: cloud.example (2025-05-15)"]

[options.small-api]
type = "api"
input_usd_per_mtok = 0.2
output_usd_per_mtok = 0.8
"""

# api: 750 MTok x $2 + 250 MTok x $8 = $3,500 a month; fleet: one GPU, $2 x 730 h = $1,460
API_TOTAL = 24 * 3_500.0
FLEET_TOTAL = 20_000 + 24 * 1_460.0
T_STAR = 20_000 / (3_500 - 1_460)


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "bot.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_report_writes_charts_and_summary(scenario_file, tmp_path):
    out = tmp_path / "out"
    report = write_report(scenario_file, out, today=date(2025, 7, 1))
    assert report.markdown == out / "report.md"
    assert set(report.charts) == {
        "cumulative_cost",
        "all_options",
        "monthly_candidate",
        "cost_per_mtok",
    }
    for path in report.charts.values():
        assert path.parent == out
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["report.md", "report.html", *(p.name for p in report.charts.values())]
    )  # no temporary file left behind

    text = report.markdown.read_text(encoding="utf-8")
    assert text.startswith("# Support bot: API or own GPUs?\n\nA steady support workload.")
    savings = API_TOTAL - FLEET_TOTAL
    headline = (
        f"fleet breaks even against api after {T_STAR:.1f} months (in month 10) and saves "
        f"${savings:,.0f} over 24 months."
    )
    assert report.headline == headline
    assert f"**{headline}**" in text
    assert "| api (baseline) | $84,000 |" in text
    assert f"| fleet (candidate) | ${FLEET_TOTAL:,.0f} |" in text
    assert "| small-api |" in text
    # inputs: usage, rate, every option's parameters
    assert "- Usage: Usage(constant, 24 months" in text
    assert "- Discount rate: 0.0% a year; capex view: cash" in text
    assert "| procurement.usd_per_gpu_hour | 2 |" in text
    assert "| setup_usd | 20,000 |" in text
    # sources with their dates, named by option
    assert "- api: API price acme/big: acme.example/pricing (2025-06-01)" in text
    assert "- fleet: GPU offer cloud h100 on_demand: cloud.example (2025-05-15)" in text
    for path in report.charts.values():
        assert f"]({path.name})" in text
    assert text.rstrip().endswith("from `bot.toml` on 2025-07-01.")


def test_report_without_sources_says_so(tmp_path):
    scenario = tco.Scenario.from_dict(
        {
            "usage": {
                "output_share": 0.5,
                "curve": {"kind": "constant", "tokens": 1e9, "months": 6},
            },
            "options": {
                "a": {"type": "api", "input_usd_per_mtok": 3, "output_usd_per_mtok": 15},
                "b": {"type": "api", "input_usd_per_mtok": 1, "output_usd_per_mtok": 5},
            },
        }
    )
    report = write_report(scenario, tmp_path)
    text = report.markdown.read_text(encoding="utf-8")
    assert "No catalog rows: every figure is as given in the scenario file." in text
    assert "b breaks even against a from the start" in text
    assert set(report.charts) == {"cumulative_cost", "monthly_candidate", "cost_per_mtok"}


def test_report_of_a_self_hosted_baseline_shows_its_breakdown_too(tmp_path):
    path = tmp_path / "flipped.toml"
    roles = 'baseline = "api"\ncandidate = "fleet"'
    assert roles in SCENARIO
    path.write_text(SCENARIO.replace(roles, 'baseline = "fleet"\ncandidate = "api"'))
    report = write_report(path, tmp_path / "out")
    assert {"monthly_baseline", "monthly_candidate"} <= set(report.charts)
    assert report.headline.startswith("api does not break even against fleet")


def test_cli_report(scenario_file, tmp_path, capsys):
    out = tmp_path / "cli-out"
    assert main(["report", str(scenario_file), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("fleet breaks even against api after 9.8 months")
    assert printed[1] == f"wrote {out / 'report.md'}"
    assert (out / "cumulative_cost.png").is_file()


def test_cli_report_options_override_the_file(scenario_file, tmp_path, capsys):
    out = tmp_path / "o"
    args = ["report", str(scenario_file), "--out", str(out), "--candidate", "small-api"]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("small-api breaks even against api from the start")


def test_cli_report_errors(scenario_file, tmp_path, capsys):
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    assert main(["report", str(scenario_file), "--out", str(a_file)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert main(["report", str(scenario_file)]) == 2  # --out is required
    assert "--out" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing.toml"), "--out", str(tmp_path)]) == 2
    assert "no such scenario file" in capsys.readouterr().err
