"""tco prices import-bench: serving-benchmark results -> a measured throughput curve.

Fixtures in ``tests/data/bench/`` were written by the tools themselves (vllm 0.33.0, sglang
0.5.23, aiperf 0.13.0, genai-perf 0.0.16's exporter, guidellm 0.8.1) against a mock server
(numbers are mock timings), trimmed of per-request lists. Expected values are read from the
files here and converted by hand (ms -> s, totals / completed requests).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from tco.cli import main
from tco.pricing import PricingError, UnknownPriceError, load_pricing
from tco.pricing.benchmarks import import_bench

DATA = Path(__file__).parent / "data" / "bench"
TODAY = date(2026, 12, 1)
WHAT = {
    "model": "meta-llama/Llama-3.1-8B-Instruct",
    "gpu": "H100-SXM",
    "gpus_per_replica": 1,
    "engine": "vllm-0.11.0",
    "precision": "bf16",
}


def bench(files: list[Path], folder: Path, tool: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return import_bench(files, folder, tool=tool, today=TODAY, **(WHAT | kwargs))  # type: ignore[arg-type]


def rows_of(folder: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / "throughput.csv").read_text())))


def test_vllm_file_becomes_one_measured_row(tmp_path: Path) -> None:
    raw = json.loads((DATA / "vllm_c8.json").read_text())
    result = bench([DATA / "vllm_c8.json"], tmp_path / "p", "vllm")
    (row,) = rows_of(tmp_path / "p")
    assert result.written
    assert (row["regime"], row["concurrency"], row["estimated"]) == ("measured", "8", "false")
    assert float(row["output_tokens_per_s"]) == pytest.approx(raw["output_throughput"], abs=0.01)
    assert float(row["ttft_p99_s"]) == pytest.approx(raw["p99_ttft_ms"] / 1000, rel=1e-4)
    assert float(row["tpot_p99_s"]) == pytest.approx(raw["p99_tpot_ms"] / 1000, rel=1e-4)
    assert int(row["input_tokens"]) == round(raw["total_input_tokens"] / raw["completed"])
    assert int(row["output_tokens"]) == round(raw["total_output_tokens"] / raw["completed"])
    assert float(row["tokens_per_s_per_user"]) == pytest.approx(
        1000 / raw["mean_tpot_ms"], abs=0.01
    )
    # The run's date (20261130-230444) is as_of.
    assert row["as_of"] == "2026-11-30"
    # Prefill and decode reproduce the measured rate at the file's mix (T (ISL/OSL/P + 1/D) = 1).
    t, isl, osl = raw["output_throughput"], raw["total_input_tokens"], raw["total_output_tokens"]
    share = t * (
        isl / osl / float(row["prefill_tokens_per_s"]) + 1 / float(row["decode_tokens_per_s"])
    )
    assert share == pytest.approx(1, abs=1e-3)
    assert "MEASURED with vllm" in row["notes"] and "DERIVED" in row["notes"]


@pytest.mark.parametrize(
    ("tool", "file", "concurrencies", "t_key"),
    [
        ("sglang", "sglang.jsonl", ["8", "16"], "output_throughput"),
        ("aiperf", "aiperf.json", ["8"], "output_token_throughput.avg"),
        ("genai-perf", "genai_perf.json", ["8"], "output_token_throughput.avg"),
        (
            "guidellm",
            "guidellm.json",
            ["8"],
            "benchmarks.0.metrics.output_tokens_per_second.successful.mean",
        ),
    ],
)
def test_other_tools(
    tmp_path: Path, tool: str, file: str, concurrencies: list[str], t_key: str
) -> None:
    text = (DATA / file).read_text()
    first = json.loads(text.splitlines()[0]) if file.endswith(".jsonl") else json.loads(text)
    value = first
    for part in t_key.split("."):
        value = value[int(part)] if part.isdigit() else value[part]
    bench([DATA / file], tmp_path / "p", tool)
    rows = rows_of(tmp_path / "p")
    assert [r["concurrency"] for r in rows] == concurrencies
    assert float(rows[0]["output_tokens_per_s"]) == pytest.approx(value, abs=0.01)
    assert {r["regime"] for r in rows} == {"measured"}


def test_sweep_of_files_is_a_curve_the_catalog_returns(tmp_path: Path) -> None:
    raw = json.loads((DATA / "vllm_c8.json").read_text())
    c16 = raw | {"max_concurrency": 16, "output_throughput": 1150.0, "p99_tpot_ms": 14.0}
    (tmp_path / "c16.json").write_text(json.dumps(c16))
    bench([tmp_path / "c16.json", DATA / "vllm_c8.json"], tmp_path / "p", "vllm")
    cat = load_pricing(tmp_path / "p", today=TODAY)
    curve = cat.throughput_rows(WHAT["model"], "H100-SXM", regime="measured")
    assert [(r.concurrency, r.output_tokens_per_s) for r in curve] == [
        (8, pytest.approx(raw["output_throughput"], abs=0.01)),
        (16, 1150.0),
    ]


def test_non_monotone_sweep_is_refused(tmp_path: Path) -> None:
    raw = json.loads((DATA / "vllm_c8.json").read_text())
    # More concurrency, yet lower throughput AND lower p99 TPOT: not one server's curve.
    worse = raw | {"max_concurrency": 16, "output_throughput": 400.0, "p99_tpot_ms": 5.0}
    (tmp_path / "c16.json").write_text(json.dumps(worse))
    with pytest.raises(PricingError) as info:
        bench([DATA / "vllm_c8.json", tmp_path / "c16.json"], tmp_path / "p", "vllm")
    (problem,) = info.value.problems
    assert problem.file == str(tmp_path / "c16.json")
    assert problem.column == "output tokens/s and p99 TPOT"
    assert "throughput and latency may not both fall" in problem.message
    assert not (tmp_path / "p").exists()


def test_same_concurrency_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PricingError, match=r"concurrency: '8' -> one run per concurrency"):
        bench([DATA / "vllm_c8.json", DATA / "vllm_c8.json"], tmp_path / "p", "vllm")


@pytest.mark.parametrize(
    ("drop", "field"),
    [("p99_tpot_ms", "p99_tpot_ms"), ("output_throughput", "output_throughput")],
)
def test_missing_field_names_file_and_field(tmp_path: Path, drop: str, field: str) -> None:
    raw = json.loads((DATA / "vllm_c8.json").read_text())
    del raw[drop]
    bad = tmp_path / "run.json"
    bad.write_text(json.dumps(raw))
    with pytest.raises(PricingError) as info:
        bench([bad], tmp_path / "p", "vllm")
    (problem,) = info.value.problems
    assert (problem.file, problem.column, problem.value) == (str(bad), field, "(missing)")


def test_unbounded_concurrency_bad_number_and_jsonl_line(tmp_path: Path) -> None:
    raw = json.loads((DATA / "vllm_c8.json").read_text())
    (tmp_path / "inf.json").write_text(json.dumps(raw | {"max_concurrency": None}))
    with pytest.raises(PricingError, match="max_concurrency: 'null' -> a whole number > 0"):
        bench([tmp_path / "inf.json"], tmp_path / "p", "vllm")
    lines = (DATA / "sglang.jsonl").read_text().splitlines()
    second = json.loads(lines[1]) | {"p99_ttft_ms": -1}
    (tmp_path / "s.jsonl").write_text(lines[0] + "\n" + json.dumps(second) + "\n")
    with pytest.raises(PricingError, match=r"line 2: p99_ttft_ms: '-1' -> a finite number > 0"):
        bench([tmp_path / "s.jsonl"], tmp_path / "p", "sglang")


def test_unknown_tool_and_gpu(tmp_path: Path) -> None:
    with pytest.raises(PricingError, match="--tool: 'locust' -> one of vllm, sglang, aiperf"):
        bench([DATA / "vllm_c8.json"], tmp_path / "p", "locust")
    with pytest.raises(UnknownPriceError, match=r"unknown GPU 'H100'; closest: .*H100-SXM"):
        bench([DATA / "vllm_c8.json"], tmp_path / "p", "vllm", gpu="H100")


def test_rate_based_guidellm_benchmark_is_left_out_and_listed(tmp_path: Path) -> None:
    raw = json.loads((DATA / "guidellm.json").read_text())
    rate = json.loads(json.dumps(raw["benchmarks"][0]))
    rate["config"]["strategy"]["type_"] = "constant"
    raw["benchmarks"].append(rate)
    (tmp_path / "g.json").write_text(json.dumps(raw))
    result = bench([tmp_path / "g.json"], tmp_path / "p", "guidellm")
    assert [r.concurrency for r in result.runs] == [8]
    assert result.left_out == (
        f"{tmp_path / 'g.json'} benchmarks[1]: strategy constant has no fixed concurrency",
    )


def test_command_line_prints_the_curve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["prices", "import-bench", str(DATA / "sglang.jsonl"), "--tool", "sglang"]
    argv += ["--model", WHAT["model"], "--gpu", "H100-SXM", "--gpus-per-replica", "1"]
    argv += ["--engine", "sglang-0.5.23", "--precision", "bf16", "--as-of", "2026-11-30"]
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("wrote prices/throughput.csv: 2 added, 0 changed")
    assert out[1].startswith("concurrency 8: 617.9 output tokens/s, p99 TTFT 0.0914 s")
    assert out[2].startswith("concurrency 16:")
    assert len(rows_of(tmp_path / "prices")) == 2
