"""Scenario files (TOML) and the `tco break-even` / `tco simulate` commands."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import tco
from tco.cli import main
from tco.scenario import example_path

CONSTANT = """
[scenario]
name = "Two APIs"
baseline = "dear"
candidate = "cheap"
{extra}

[usage]
output_share = 0.5
[usage.curve]
kind = "constant"
tokens = 1e9
months = 24

[options.dear]
type = "api"
input_usd_per_mtok = 3.0
output_usd_per_mtok = 15.0

[options.cheap]
type = "api"
input_usd_per_mtok = 1.0
output_usd_per_mtok = 5.0
setup_usd = 18000
"""
# dear: 500 MTok in x $3 + 500 MTok out x $15 = $9,000 a month; cheap: $3,000 a month.
# payback = 18,000 / (9,000 - 3,000) = 3 months; savings over 24 months = 24 x 6,000 - 18,000.


def _write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_scenario_file_gives_the_payback_month(tmp_path: Path) -> None:
    scenario = tco.Scenario.from_toml(_write(tmp_path, CONSTANT.format(extra="")))
    result = scenario.break_even()
    assert result.months == pytest.approx(18_000 / (9_000 - 3_000))
    assert result.month == 3
    assert result.savings_usd == pytest.approx(24 * 6_000 - 18_000)
    assert list(scenario.options) == ["dear", "cheap"]


def test_break_even_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, CONSTANT.format(extra="discount_rate = 0.0"))
    assert main(["break-even", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["months"] == pytest.approx(3.0)
    assert out["month"] == 3
    assert out["reason"] is None
    # volume break-even: cheap has no fees, so it is cheaper at every volume
    assert out["break_even_volume"]["tokens_per_month"] == 0.0


def test_break_even_table_and_swapped_roles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, CONSTANT.format(extra=""))
    assert main(["break-even", str(path), "--baseline", "cheap", "--candidate", "dear"]) == 0
    out = capsys.readouterr().out
    assert "Answer: dear does not break even against cheap: candidate never cheaper per month." in (
        out
    )
    assert "$216,000" in out  # dear over 24 months: 24 x 9,000


def test_simulate_command_writes_tidy_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, CONSTANT.format(extra=""))
    out_csv = tmp_path / "costs.csv"
    assert main(["simulate", str(path), "--csv", str(out_csv)]) == 0
    with out_csv.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) == {"option", "month", "component", "timing", "usd", "usd_pv"}
    total = sum(float(r["usd"]) for r in rows if r["option"] == "cheap")
    assert total == pytest.approx(24 * 3_000 + 18_000)
    assert "216,000" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("output_usd_per_mtok = 15.0", "output_usd_per_mtok = -15.0"), "options.dear."),
        (('kind = "constant"', 'kind = "cubic"'), "usage.curve"),
        (
            ('type = "api"\ninput_usd_per_mtok = 1.0', 'type = "rocket"\ninput_usd_per_mtok = 1.0'),
            "options.cheap.type: 'rocket' -> one of",
        ),
        (('candidate = "cheap"', 'candidate = "nobody"'), "scenario.candidate: 'nobody'"),
        (("output_share = 0.5", "output_share = 1.5"), "usage.output_share: 1.5 ->"),
    ],
)
def test_bad_scenario_names_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], expected: str
) -> None:
    text = CONSTANT.format(extra="").replace(*change)
    assert text != CONSTANT.format(extra="")
    path = _write(tmp_path, text)
    with pytest.raises(tco.ScenarioError, match=r"s\.toml: "):
        tco.Scenario.from_toml(path)
    assert main(["break-even", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and expected in err


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(tco.ScenarioError, match="no such scenario file"):
        tco.Scenario.from_toml(tmp_path / "absent.toml")
    with pytest.raises(tco.ScenarioError, match="not valid TOML"):
        tco.Scenario.from_toml(_write(tmp_path, "[scenario\nname = 1"))


def test_unknown_catalog_id_suggests_close_ones(tmp_path: Path) -> None:
    text = CONSTANT.format(extra="").replace(
        'type = "api"\ninput_usd_per_mtok = 3.0\noutput_usd_per_mtok = 15.0',
        'type = "api"\ncatalog = "openai/gpt-4oo"',
    )
    with pytest.raises(tco.ScenarioError, match=r"options\.dear: .*openai/gpt-4o"):
        tco.Scenario.from_toml(_write(tmp_path, text))


def test_demo_scenario_costs_follow_its_catalog_rows() -> None:
    scenario = tco.Scenario.from_toml(example_path("demo"))
    with (Path(__file__).parents[1] / "pricing_data" / "api_models.csv").open() as fh:
        row = next(
            r for r in csv.DictReader(fh) if (r["provider"], r["model"]) == ("openai", "gpt-4o")
        )
    price_in, price_out = float(row["input_usd_per_mtok"]), float(row["output_usd_per_mtok"])
    price_cache = float(row["cache_read_usd_per_mtok"])
    # month 1: 2e9 tokens, 25 % output, 30 % of the 1.5e9 input cached; 0.1 FTE at $200k
    expected = (1050 * price_in + 450 * price_cache + 500 * price_out) + 0.1 * 200_000 / 12
    monthly = scenario.simulate().monthly()
    assert monthly.loc[1, "gpt-4o"] == pytest.approx(expected)
    sources = scenario.candidate.sources
    assert any("throughput" in s for s in sources) and any("GPU offer" in s for s in sources)


def test_make_demo_command_prints_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["break-even", str(example_path("demo"))]) == 0
    out = capsys.readouterr().out
    assert "Answer: " in out and "Sources:" in out


def test_unknown_example_lists_bundled_ones() -> None:
    with pytest.raises(tco.ScenarioError, match="demo"):
        example_path("nope")


RANGES = """
[ranges]
"candidate.setup_usd" = [9000, 36000]
"baseline.output_usd_per_mtok" = [10.0, 20.0]
"""


def test_ranges_give_the_tornado_and_a_uniform_monte_carlo(tmp_path: Path) -> None:
    scenario = tco.Scenario.from_toml(_write(tmp_path, CONSTANT.format(extra="") + RANGES))
    assert scenario.ranges == {
        "candidate.setup_usd": (9_000.0, 36_000.0),
        "baseline.output_usd_per_mtok": (10.0, 20.0),
    }
    frame = scenario.tornado().to_frame()
    # setup over a 6,000 monthly saving: 1.5 and 6 months
    assert frame.loc["candidate.setup_usd", ["metric_low", "metric_high"]].tolist() == [1.5, 6.0]
    # output at $10/MTok on 500 MTok: dear costs 6,500, saves 3,500 a month
    assert frame.loc["baseline.output_usd_per_mtok", "metric_low"] == pytest.approx(18_000 / 3_500)
    mc = scenario.monte_carlo(n=500, seed=2)
    drawn = mc.samples["candidate.setup_usd"]
    assert drawn.min() >= 9_000 and drawn.max() <= 36_000
    assert scenario.question.candidate.name == "cheap"


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ('"candidate.nope" = [1, 2]', r"ranges: unknown parameter path 'candidate\.nope'"),
        ('"candidate.setup_usd" = [2, 1]', r"ranges: candidate\.setup_usd: \[2, 1\] -> low first"),
        ('"candidate.setup_usd" = [1]', r"\[low, high\], two numbers"),
        ('"candidate.setup_usd" = ["1", 2]', r"\[low, high\], two numbers"),
        ('"candidate.setup_usd" = [true, 2]', r"\[low, high\], two numbers"),
        ('"candidate.setup_usd" = [-5, 2]', r"candidate\.setup_usd: the smallest of the range"),
        ('"candidate.name" = [1, 2]', r"str, not a number"),
    ],
)
def test_bad_ranges_name_the_path(tmp_path: Path, ranges: str, message: str) -> None:
    path = _write(tmp_path, CONSTANT.format(extra="") + "\n[ranges]\n" + ranges + "\n")
    with pytest.raises(tco.ScenarioError, match=message):
        tco.Scenario.from_toml(path)


BILL = """
[scenario]
baseline = "pods"
candidate = "fleet"

[usage]
output_share = 0.5
[usage.curve]
kind = "constant"
tokens = {tokens}
months = 12

[options.pods]
type = "serverless"
prefill_tokens_per_s = 2.0
decode_tokens_per_s = 1.0
usd_per_gpu_second = 0.001
target_utilization = 0.5

[options.fleet]
type = "self_hosted"
prefill_tokens_per_s = 2.0
decode_tokens_per_s = 1.0
target_utilization = 1.0
licence_usd_per_gpu_year = 1200
[options.fleet.procurement]
kind = "rent"
usd_per_gpu_hour = 2.0
term_months = 12
upfront_usd_per_gpu = 600

[ranges]
"baseline.usd_per_gpu_second" = [0.0005, 0.002]
"candidate.procurement.upfront_usd_per_gpu" = [0, 6000]
"""


def test_serverless_and_reserved_terms_in_a_scenario_file(tmp_path: Path) -> None:
    # 2 busy workers: tokens T with 3T/4 worker-seconds = 2 x 730 x 3600 s
    tokens = 2 * 730 * 3600 * 4 / 3
    scenario = tco.Scenario.from_toml(_write(tmp_path, BILL.format(tokens=tokens)))
    total = scenario.simulate().total()
    # pods: 2 busy / 0.5 = 4 workers billed all month at 730 x 3600 x $0.001 = $2,628 each
    assert total["pods"] == pytest.approx(12 * 4 * 2_628.0)
    # fleet: 2 GPUs reserved 12 x 730 h x $2, $600 upfront and $1,200 licence each
    assert total["fleet"] == pytest.approx(2 * (12 * 730 * 2.0 + 600 + 1_200))
    frame = scenario.tornado().to_frame()
    assert set(frame.index) == {
        "baseline.usd_per_gpu_second",
        "candidate.procurement.upfront_usd_per_gpu",
    }


LATENCY = """
[usage]
output_share = 0.35
[usage.curve]
kind = "constant"
tokens = 1e10
months = 12

[options.api]
type = "api"
input_usd_per_mtok = 1.0
output_usd_per_mtok = 4.0

[options.fleet]
type = "self_hosted"
catalog = {{ model = "meta-llama/Llama-2-70b-chat-hf", gpu = "B200" }}
latency = {latency}
procurement = {{ kind = "rent", usd_per_gpu_hour = 5.0 }}
"""


@pytest.mark.parametrize(
    ("latency", "regime"),
    [
        ('"offline"', "offline"),
        ('"server"', "server"),
        ("{ ttft_s = 3.0, tpot_s = 0.25 }", "server"),
    ],
)
def test_a_scenario_states_its_latency(tmp_path: Path, latency: str, regime: str) -> None:
    scenario = tco.Scenario.from_toml(_write(tmp_path, LATENCY.format(latency=latency)))
    fleet = scenario.options["fleet"]
    assert fleet.regime == regime
    bad = LATENCY.format(latency='"fast"')
    with pytest.raises(tco.ScenarioError, match="latency"):
        tco.Scenario.from_toml(_write(tmp_path, bad, "bad.toml"))


@pytest.mark.parametrize("kind", ["self_hosted", "serverless"])
def test_a_catalog_reference_must_be_a_table(tmp_path: Path, kind: str) -> None:
    text = LATENCY.replace('type = "self_hosted"', f'type = "{kind}"').format(latency='"offline"')
    text = text.replace(
        'catalog = { model = "meta-llama/Llama-2-70b-chat-hf", gpu = "B200" }', 'catalog = "B200"'
    )
    with pytest.raises(tco.ScenarioError, match=rf"catalog: 'B200' -> a table .* for {kind}"):
        tco.Scenario.from_toml(_write(tmp_path, text))


OVERRIDE = """
[scenario]
baseline = "api"
candidate = "fleet"
[usage]
output_share = 0.25
[usage.curve]
kind = "constant"
tokens = 1e10
months = 12
[options.api]
type = "api"
catalog = "openai/gpt-4o"
{api}
[options.fleet]
type = "self_hosted"
catalog = {{ model = "meta-llama/Llama-3.3-70B-Instruct", gpu = "H100-SXM" }}
{fleet}
"""


def test_a_catalog_option_takes_an_override_of_any_field(tmp_path: Path) -> None:
    plain = tco.Scenario.from_toml(_write(tmp_path, OVERRIDE.format(api="", fleet="")))
    text = OVERRIDE.format(
        api="input_usd_per_mtok = 9.5", fleet="decode_tokens_per_s = 1234\nstaff_fte = 0.25"
    )
    changed = tco.Scenario.from_toml(_write(tmp_path, text, "override.toml"))
    fleet, before = changed.options["fleet"], plain.options["fleet"]
    assert (fleet.decode_tokens_per_s, fleet.staff_fte) == (1234.0, 0.25)
    assert fleet.prefill_tokens_per_s == before.prefill_tokens_per_s  # the rest from the row
    api = changed.options["api"]
    assert api.input_usd_per_mtok == 9.5
    assert api.output_usd_per_mtok == plain.options["api"].output_usd_per_mtok
