"""`tco recommend` and the strategy / task-class sections of scenario files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tco
from tco.cli import main
from tco.scenario import EXAMPLES_DIR, Scenario, ScenarioError

HYBRID = EXAMPLES_DIR / "hybrid.toml"

BASE = {
    "scenario": {"name": "t"},
    "usage": {
        "output_share": 0.3,
        "curve": {"kind": "linear", "start": 1e8, "end": 2e10, "months": 24},
    },
    "options": {
        "api": {"type": "api", "input_usd_per_mtok": 2.5, "output_usd_per_mtok": 10.0},
        "fleet": {
            "type": "self_hosted",
            "prefill_tokens_per_s": 20000,
            "decode_tokens_per_s": 2000,
            "procurement": {"kind": "rent", "usd_per_gpu_hour": 2.0},
            "setup_usd": 30000,
        },
    },
}


def scenario(**options):
    data = json.loads(json.dumps(BASE))
    data["options"].update(options)
    return Scenario.from_dict(data)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_strategies_in_a_scenario_refer_to_options_above():
    s = scenario(
        move={"type": "switch", "first": "api", "then": "fleet", "month": 6},
        grow={
            "type": "switch_on_volume",
            "first": "api",
            "then": "fleet",
            "threshold_tokens_per_month": 5e9,
        },
        burst={"type": "overflow", "fleet": "fleet", "api": "api", "sizing_peak_to_average": 1.0},
    )
    move, grow, burst = s.options["move"], s.options["grow"], s.options["burst"]
    assert isinstance(move, tco.Switch) and move.month == 6 and move.then is s.options["fleet"]
    assert isinstance(grow, tco.SwitchOnVolume) and grow.switch_month(s.usage) > 0
    assert isinstance(burst, tco.Overflow) and burst.sizing_peak_to_average == 1.0
    assert list(s.simulate().total().index) == ["api", "fleet", "move", "grow", "burst"]


def test_strategy_references_are_checked():
    with pytest.raises(ScenarioError, match=r"options\.move: then: 'nope' -> the name of an"):
        scenario(move={"type": "switch", "first": "api", "then": "nope", "month": 6})
    with pytest.raises(ScenarioError, match=r"options\.move\.month"):
        scenario(move={"type": "switch", "first": "api", "then": "fleet", "month": -1})
    with pytest.raises(ScenarioError, match="'switch'"):
        scenario(move={"type": "swtich"})


def test_task_classes_and_capabilities_in_a_scenario():
    data = json.loads(json.dumps(BASE))
    data["options"]["api"]["capability"] = "frontier"
    data["options"]["fleet"]["capability"] = {"bulk": "strong"}
    data["task_classes"] = {
        "bulk": {"share": 0.8, "need": "strong", "output_share": 0.1},
        "hard": {"share": 0.2, "need": "frontier"},
    }
    s = Scenario.from_dict(data)
    assert [c.name for c in s.task_classes] == ["bulk", "hard"]
    assert s.capabilities == {"api": "frontier", "fleet": {"bulk": "strong"}}
    rec = s.recommend()
    assert rec.routing is not None and rec.routing.assignment["hard"] == "api"
    data["task_classes"]["hard"]["share"] = 0.5
    with pytest.raises(ScenarioError, match=r"task_classes: classes: shares add up to 1\.3"):
        Scenario.from_dict(data)
    data["task_classes"]["hard"] = {"share": 0.2, "need": "frontier", "nope": 1}
    with pytest.raises(ScenarioError, match=r"task_classes\.hard\.nope"):
        Scenario.from_dict(data)


def test_recommend_command_prints_ranking_drivers_and_summary(capsys):
    code, out, err = run(capsys, "recommend", str(HYBRID))
    assert code == 0 and err == ""
    assert out.startswith("Support assistant: API, self-hosted, or both?: 36 months")
    assert "routed: triage -> gpt-4o-mini; drafting -> llama-70b; escalations -> gpt-4o" in out
    assert "Excluded:" in out and "What the answer rests on:" in out
    assert "GPU price stays below $" in out
    assert "cheapest feasible choice is" in out.splitlines()[-1]


def test_recommend_command_json_and_flags(capsys, tmp_path: Path):
    code, out, _ = run(capsys, "recommend", str(HYBRID), "--json", "--discount-rate", "0")
    assert code == 0
    data = json.loads(out)
    assert data["discount_rate"] == 0.0
    assert data["best"] == data["ranking"][0]["option"]
    assert {"option", "kind", "total_usd", "npv_usd", "break_even"} <= set(data["ranking"][0])
    assert {"driver", "flip", "finding"} <= set(data["drivers"][0])
    # the fleet cannot do escalations and the APIs may not be used: nothing left
    code, out, err = run(capsys, "recommend", str(HYBRID), "--data-must-stay")
    assert code == 2 and out == ""
    assert err.startswith("tco: error: no option or strategy can serve the workload")
    # a file without task classes: the best switch is added unless --no-strategies
    path = tmp_path / "s.toml"
    path.write_text(
        """
[usage]
output_share = 0.3
[usage.curve]
kind = "linear"
start = 1e8
end = 2e10
months = 24
[options.api]
type = "api"
input_usd_per_mtok = 2.5
output_usd_per_mtok = 10.0
[options.fleet]
type = "self_hosted"
prefill_tokens_per_s = 20000
decode_tokens_per_s = 2000
procurement = { kind = "rent", usd_per_gpu_hour = 2.0 }
setup_usd = 30000
""",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "recommend", str(path), "--json")
    kinds = {row["kind"] for row in json.loads(out)["ranking"]}
    assert "switch" in kinds
    code, out, _ = run(capsys, "recommend", str(path), "--json", "--no-strategies")
    assert {row["kind"] for row in json.loads(out)["ranking"]} == {"api", "self-hosted (rent)"}
    code, out, _ = run(capsys, "recommend", str(path), "--horizon", "36", "--json")
    assert json.loads(out)["horizon_months"] == 36
    code, _, err = run(capsys, "recommend", str(path), "--horizon", "0")
    assert code == 2 and "--horizon" in err
