"""tco prices import-mlperf: MLPerf Inference summary.csv -> throughput rows.

The fixture ``tests/data/mlperf/summary_small.csv`` holds 14 verbatim rows of the v6.1
``summary.csv`` (mlcommons/inference_results_v6.1 @ 7bf15fd8) and one v6.0 row (a partial
node, ``(x87)``) with its version set to v6.1. Expected figures are worked out here by hand
from those rows.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from tco.cli import main
from tco.pricing import PricingError, UnknownPriceError, load_pricing
from tco.pricing.mlperf import engine_name, import_mlperf, precision_name

SUMMARY = Path(__file__).parent / "data" / "mlperf" / "summary_small.csv"
TODAY = date(2026, 12, 1)  # the bundled rows are dated up to 2026-11-30


def rows_of(folder: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / "throughput.csv").read_text())))


def run(folder: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    kwargs.setdefault("as_of", "2026-11-30")
    return import_mlperf(SUMMARY, folder, today=TODAY, **kwargs)  # type: ignore[arg-type]


def find(rows: list[dict[str, str]], model: str, gpu: str, regime: str) -> dict[str, str]:
    (row,) = [r for r in rows if (r["model"], r["gpu"], r["regime"]) == (model, gpu, regime)]
    return row


def test_rows_written_with_median_submission_and_derived_rates(tmp_path: Path) -> None:
    result = run(tmp_path / "prices")
    rows = rows_of(tmp_path / "prices")
    assert result.written and len(rows) == 5 and result.submissions == 7
    row = find(rows, "openai/gpt-oss-120b", "B300", "offline")
    # Three B300 submissions (NVIDIA 106637, Nebius 108529, Oracle 109931 tokens/s over 8
    # GPUs): the median is Nebius'; one node of 8 GPUs is the replica.
    assert (row["gpus_per_replica"], row["output_tokens_per_s"]) == ("8", "108529")
    assert (row["engine"], row["precision"]) == ("tensorrt-llm-1.2-mlpinf", "fp4")
    assert (row["input_tokens"], row["output_tokens"]) == ("7665", "1278")
    # D = T (1 + ISL / (OSL r)) with r = 2.70 (B300 borrows B200's), P = r D.
    decode = 108529 * (1 + 7665 / (1278.2 * 2.70))
    assert float(row["decode_tokens_per_s"]) == pytest.approx(decode, abs=0.5)
    assert float(row["prefill_tokens_per_s"]) == pytest.approx(2.70 * decode, abs=0.5)
    assert (row["ttft_p99_s"], row["tpot_p99_s"], row["estimated"]) == ("", "", "false")
    base = "https://github.com/mlcommons/inference_results_v6.1/tree/main/closed/Nebius/"
    run_dir = "results/B300-SXM-270GBx8_TRT/gpt-oss-120b/Offline/performance/run_1"
    assert row["source"] == base + run_dir
    assert (
        "3 submission(s)" in row["notes"] and "NVIDIA" in row["notes"] and "Oracle" in row["notes"]
    )
    assert row["as_of"] == "2026-11-30"


def test_scenarios_carry_their_latency_limits(tmp_path: Path) -> None:
    run(tmp_path / "p")
    rows = rows_of(tmp_path / "p")
    server = find(rows, "openai/gpt-oss-120b", "B300", "server")
    assert (server["ttft_p99_s"], server["tpot_p99_s"], server["output_tokens_per_s"]) == (
        "3",
        "0.08",
        "100630",
    )
    # GB300 NVL72: 18 nodes x 4 GPUs; 260098 / 72 per GPU, 4 GPUs per replica.
    ds = find(rows, "deepseek-ai/DeepSeek-R1", "GB300", "interactive")
    assert (ds["ttft_p99_s"], ds["tpot_p99_s"], ds["gpus_per_replica"]) == ("1.5", "0.015", "4")
    assert float(ds["output_tokens_per_s"]) == pytest.approx(260098 / 72 * 4, abs=0.01)
    assert ds["output_tokens"] == "3721"  # the result's own TOKENS_PER_SAMPLE 3720.64


def test_partial_node_counts_the_gpus_named(tmp_path: Path) -> None:
    run(tmp_path / "p")
    row = find(rows_of(tmp_path / "p"), "meta-llama/Llama-2-70b-chat-hf", "MI355X", "interactive")
    # "(x87)": 87 GPUs in 11 nodes of 8 (the file's total says 88).
    assert float(row["output_tokens_per_s"]) == pytest.approx(785522 / 87 * 8, abs=0.01)
    assert (row["ttft_p99_s"], row["tpot_p99_s"]) == ("0.45", "0.04")


def test_left_out_rows_are_counted_and_mixed_systems_named(tmp_path: Path) -> None:
    result = run(tmp_path / "p")
    assert result.skipped == {
        "not closed division": 1,
        "not datacenter (edge)": 1,
        "not an imported LLM benchmark (whisper)": 1,
        "system mixing accelerator types": 1,
        "CPU-only system (no accelerator)": 1,
        "GPU type ARC-PRO-B70 not in gpu_hardware.csv": 1,
        "availability preview (not available)": 1,
    }
    (mixed,) = result.mixed
    assert "NVIDIA H200-SXM-141GB + AMD Instinct MI350X" in mixed and mixed.endswith("line 11")


def test_reimport_changes_nothing_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    dry = run(folder, dry_run=True)
    assert not dry.written and not (folder / "throughput.csv").exists()
    assert len(dry.merge.added) == 5
    run(folder)
    before = (folder / "throughput.csv").read_bytes()
    again = run(folder)
    assert (len(again.merge.added), len(again.merge.unchanged), again.written) == (0, 5, False)
    assert (folder / "throughput.csv").read_bytes() == before
    # A row edited by hand is put back (changed), other lines keep their bytes.
    text = before.decode().replace("MLPerf Inference v6.1 closed", "edited by hand", 1)
    (folder / "throughput.csv").write_text(text)
    fixed = run(folder)
    assert len(fixed.merge.changed) == 1
    assert (folder / "throughput.csv").read_bytes() == before


def test_imported_rows_load_on_top_of_the_bundled_catalog(tmp_path: Path) -> None:
    run(tmp_path / "p")
    cat = load_pricing(tmp_path / "p", today=TODAY)
    rows = cat.throughput_rows("openai/gpt-oss-120b", "B300", engine="tensorrt-llm-1.2-mlpinf")
    assert {r.regime for r in rows} >= {"offline", "server"}


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ('"NVIDIA GB300"', '"NVIDIA GB301"', 6, "accelerator_model_name"),
        (
            '"AMD Instinct MI355X 288GB HBM3e","8","8"',
            '"AMD Instinct MI355X 288GB HBM3e","0","8"',
            7,
            "accelerators_per_node",
        ),
        ('"106637.0"', '"fast"', 2, "Result"),
        ('"106637.0"', '"0"', 2, "Result"),
    ],
)
def test_bad_rows_name_file_line_and_column(
    tmp_path: Path, old: str, new: str, line: int, column: str
) -> None:
    text = SUMMARY.read_text()
    assert old in text
    bad = tmp_path / "summary.csv"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(PricingError) as info:
        import_mlperf(bad, tmp_path / "p", as_of="2026-11-30", today=TODAY)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.column) == (str(bad), line, column)
    assert not (tmp_path / "p").exists()


def test_missing_column_round_and_date_errors(tmp_path: Path) -> None:
    bad = tmp_path / "summary.csv"
    bad.write_text(SUMMARY.read_text().replace('"MlperfModel"', '"Benchmark"', 1))
    with pytest.raises(PricingError, match=r"\(header\).*MlperfModel"):
        import_mlperf(bad, tmp_path / "p", today=TODAY)
    with pytest.raises(PricingError, match=r"--round: 'v4.0' -> one of v5.1, v6.0, v6.1"):
        import_mlperf(SUMMARY, tmp_path / "p", round="v4.0", today=TODAY)
    with pytest.raises(PricingError, match=r"--as-of: '' -> a date YYYY-MM-DD: round v6.1"):
        import_mlperf(SUMMARY, tmp_path / "p", today=TODAY)
    with pytest.raises(UnknownPriceError, match="closest: B300"):
        run(tmp_path / "p", gpus=["B30"])


def test_input_tokens_override_and_gpu_filter(tmp_path: Path) -> None:
    result = run(tmp_path / "p", gpus=["B300"], input_tokens={"gpt-oss-120b": 2000})
    rows = rows_of(tmp_path / "p")
    assert {r["gpu"] for r in rows} == {"B300"} and len(rows) == 2
    assert {r["input_tokens"] for r in rows} == {"2000"}
    assert result.skipped["GPU type MI355X not asked for (--gpu)"] == 2
    assert "2000 given at import" in rows[0]["notes"]


def test_names_of_engines_and_precisions() -> None:
    assert engine_name("TensorRT 10.14.1.48; TensorRT-LLM 1.3.0rc0") == "tensorrt-llm-1.3.0rc0"
    assert engine_name("SGLang 0.5.15.post1 (ROCm 7.2.0), PyTorch 2.x") == "sglang-0.5.15.post1"
    assert engine_name("TensorRT 10.14, CUDA 13.1") == "tensorrt-10.14"
    assert engine_name("TODO") == "unstated"
    assert precision_name("fp8 (static per-tensor PTQ, NVIDIA ModelOpt)") == "fp8"
    assert precision_name("INT8") == "int8"
    assert precision_name("") == "unstated"


def test_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["prices", "import-mlperf", str(SUMMARY), "--as-of", "2026-11-30", "--dry-run"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == (
        "would write prices/throughput.csv: 5 added, 0 changed, 0 already there, "
        "0 other rows left as they were"
    )
    assert out[1] == "7 usable results -> 5 rows (median per key)"
    assert not (tmp_path / "prices").exists()
    code = main(["prices", "import-mlperf", str(SUMMARY)])
    captured = capsys.readouterr()
    assert code == 1 and "--as-of" in captured.out + captured.err


def test_refuses_the_installed_package_folder(tmp_path: Path) -> None:
    import tco

    packaged = Path(tco.__file__).parent / "pricing_data"
    with pytest.raises(PricingError, match="a folder of your own"):
        import_mlperf(SUMMARY, packaged, as_of="2026-11-30", today=TODAY)
