"""throughput.csv regimes, model_specs.csv and the GPU columns: validation and look-ups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pricing_helpers import (
    FIXTURE,
    HARDWARE_HEADER,
    MODEL_SPECS_HEADER,
    THROUGHPUT_HEADER,
    copy_fixture,
    error_with,
    load,
)

from tco.pricing import UnknownPriceError, load_pricing

COLUMNS = THROUGHPUT_HEADER.split(",")

# A valid measured row: 1000 in / 1000 out, P = 40000, D = 5000, so T = 1 / (1/40000 +
# 1/5000) = 4444.44... output tokens/s.
MEASURED = {
    "model": "meta-llama/Llama-3.1-8B-Instruct",
    "gpu": "H100-SXM",
    "gpus_per_replica": "1",
    "engine": "vllm-0.11.0",
    "precision": "bf16",
    "regime": "measured",
    "ttft_p99_s": "0.8",
    "tpot_p99_s": "0.05",
    "tokens_per_s_per_user": "",
    "prefill_tokens_per_s": "40000",
    "decode_tokens_per_s": "5000",
    "concurrency": "32",
    "input_tokens": "1000",
    "output_tokens": "1000",
    "output_tokens_per_s": "4444.4",
    "estimated": "false",
    "source": "https://example.org/run",
    "as_of": "2026-10-01",
    "notes": "",
}


def line(**cells: str) -> str:
    row = MEASURED | cells
    return ",".join(row[c] for c in COLUMNS)


def problems(tmp_path: Path, *rows: str) -> list[tuple[int | None, str, str, str]]:
    """(line, column, value, message) of each problem of a throughput.csv with ``rows``."""
    text = "\n".join([THROUGHPUT_HEADER, *rows]) + "\n"
    err = error_with(tmp_path / str(len(list(tmp_path.iterdir()))), "throughput.csv", text)
    return [(p.line, p.column, p.value, p.message) for p in err.problems]


def test_measured_row_is_valid(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "throughput.csv").write_text(f"{THROUGHPUT_HEADER}\n{line()}\n")
    (row,) = load(folder).throughputs.itertuples()
    assert (row.regime, row.concurrency, row.ttft_p99_s, row.estimated) == (
        "measured",
        32,
        0.8,
        False,
    )


@pytest.mark.parametrize(
    ("cells", "column", "message_start"),
    [
        ({"regime": "online"}, "regime", "one of offline, server, interactive, measured"),
        ({"regime": "offline", "tpot_p99_s": ""}, "ttft_p99_s", "empty for regime offline"),
        ({"ttft_p99_s": ""}, "ttft_p99_s", "required for regime measured"),
        ({"ttft_p99_s": "0"}, "ttft_p99_s", "a number > 0 [s]"),
        ({"tpot_p99_s": ""}, "tokens_per_s_per_user", "required for regime measured when"),
        ({"concurrency": ""}, "concurrency", "required for regime measured"),
        ({"input_tokens": ""}, "input_tokens", "required for regime measured"),
        ({"output_tokens": ""}, "output_tokens", "required for regime measured"),
        ({"output_tokens_per_s": "6000"}, "output_tokens_per_s", "a number > 0 [output"),
        ({"output_tokens_per_s": "nan"}, "output_tokens_per_s", "a number > 0 [output"),
        ({"estimated": "yes"}, "estimated", "true or false"),
        ({"estimated": ""}, "estimated", "required: true or false"),
    ],
)
def test_bad_cells_name_line_column_and_rule(
    tmp_path: Path, cells: dict[str, str], column: str, message_start: str
) -> None:
    ((where, col, value, message),) = problems(tmp_path, line(**cells))
    assert (where, col) == (2, column)
    assert value == (MEASURED | cells)[column]
    assert message.startswith(message_start), message


def test_offline_row_with_tpot_is_refused_and_server_needs_limits(tmp_path: Path) -> None:
    offline = line(regime="offline", ttft_p99_s="", tpot_p99_s="0.1")
    server = line(regime="server", ttft_p99_s="")
    got = problems(tmp_path, offline, server)
    assert [(p[0], p[1]) for p in got] == [(2, "tpot_p99_s"), (3, "ttft_p99_s")]
    assert "limit met" in got[1][3]


def test_output_rate_must_agree_with_prefill_and_decode(tmp_path: Path) -> None:
    # T (1000/1000/40000 + 1/5000) with T = 5000: 5000 * 0.000225 = 1.125, 12.5 % off.
    ((_, column, _, message),) = problems(tmp_path, line(output_tokens_per_s="5000"))
    assert column == "output_tokens_per_s"
    assert message.endswith("here 1.125")
    # Without a mix only T <= D is checked: 5000 / 5000 = 1 passes, 5200 / 5000 does not.
    no_mix = {"regime": "offline", "ttft_p99_s": "", "tpot_p99_s": "", "concurrency": ""}
    no_mix |= {"input_tokens": "", "output_tokens": ""}
    ok = line(**no_mix, output_tokens_per_s="5000")
    bad = line(**no_mix, output_tokens_per_s="5200", engine="other")
    got = problems(tmp_path, ok, bad)
    assert [(p[0], p[1]) for p in got] == [(3, "output_tokens_per_s")]
    assert got[0][3].endswith("T / D must be at most 1 within 2%, here 1.040")


def test_rows_differing_only_by_concurrency_or_regime_are_distinct_keys(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    rows = [line(), line(concurrency="64"), line(regime="server", concurrency="")]
    (folder / "throughput.csv").write_text("\n".join([THROUGHPUT_HEADER, *rows]) + "\n")
    assert len(load(folder).throughputs) == 3
    err = error_with(tmp_path / "q", "throughput.csv", f"{THROUGHPUT_HEADER}\n{line()}\n{line()}\n")
    assert [(p.line, p.column) for p in err.problems] == [
        (3, "model,gpu,gpus_per_replica,engine,precision,regime,concurrency")
    ]


# -- model_specs.csv -----------------------------------------------------------------------

SPEC = "m,70.6,70.6,80,8,128,8192,131072,bf16,https://example.org/config.json,2026-10-01,"


def spec_problems(tmp_path: Path, *rows: str) -> list[tuple[int | None, str, str]]:
    text = "\n".join([MODEL_SPECS_HEADER, *rows]) + "\n"
    err = error_with(tmp_path, "model_specs.csv", text)
    return [(p.line, p.column, p.message) for p in err.problems]


def test_model_spec_rules(tmp_path: Path) -> None:
    got = spec_problems(
        tmp_path,
        SPEC.replace("m,70.6,70.6", "a,46.7,50"),  # more active than total
        SPEC.replace("m,", "b,").replace(",8,128,", ",0,128,"),  # zero KV heads
        SPEC.replace("m,", "c,").replace(",bf16,", ",,"),  # no precision
        SPEC.replace("m,", "d,").replace(",131072,", ",1.5e5,"),  # context not whole
    )
    assert [(line, column) for line, column, _ in got] == [
        (2, "active_params_b"),
        (3, "kv_heads"),
        (4, "weight_precision_native"),
        (5, "max_context"),
    ]
    assert got[0][2].endswith("at most total_params_b (46.7)")


def test_model_spec_look_up_and_kv_size() -> None:
    spec = load(FIXTURE).model_spec("meta-llama/Llama-3.1-70B-Instruct")
    # 2 (K and V) x 80 layers x 8 heads x 128 values
    assert spec.kv_values_per_token == 2 * 80 * 8 * 128
    assert not spec.moe
    with pytest.raises(UnknownPriceError, match=r"closest: meta-llama/Llama-3\.1-70B-Instruct"):
        load(FIXTURE).model_spec("meta-llama/Llama-3.1-70B")


# -- gpu_hardware.csv ----------------------------------------------------------------------


@pytest.mark.parametrize("column", ["memory_bandwidth_tbps", "fp16_tflops", "fp8_tflops"])
@pytest.mark.parametrize("value", ["0", "-1", "nan", "fast"])
def test_hardware_speed_columns_refuse_bad_values(tmp_path: Path, column: str, value: str) -> None:
    cells = dict.fromkeys(HARDWARE_HEADER.split(","), "")
    cells |= {"gpu": "H100-SXM", "memory_gb": "80", "tdp_watts": "700", "source": "s"}
    cells |= {"as_of": "2026-01-01", column: value}
    rows = [",".join(cells.values()), "A100-80GB,80,400,,,,,,s,2026-01-01,"]
    rows.append("L4,24,72,,,,,,s,2026-01-01,")
    err = error_with(tmp_path, "gpu_hardware.csv", "\n".join([HARDWARE_HEADER, *rows]) + "\n")
    assert [(p.line, p.column, p.value) for p in err.problems] == [(2, column, value)]
    assert "TFLOPS" in err.problems[0].message or "TB/s" in err.problems[0].message


# -- look-ups --------------------------------------------------------------------------------


def catalog_with_regimes(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = copy_fixture(tmp_path / "p")
    rows = (FIXTURE / "throughput.csv").read_text().splitlines()
    rows += [line(), line(concurrency="64", output_tokens_per_s="4400")]
    rows.append(line(regime="server", concurrency="", engine="trt-llm"))
    (folder / "throughput.csv").write_text("\n".join(rows) + "\n")
    return load(folder)


def test_throughput_rows_returns_every_regime(tmp_path: Path) -> None:
    cat = catalog_with_regimes(tmp_path)
    rows = cat.throughput_rows("meta-llama/Llama-3.1-8B-Instruct")
    assert [(r.regime, r.concurrency) for r in rows] == [
        ("offline", 64),
        ("measured", 32),
        ("measured", 64),
        ("server", None),
    ]
    curve = cat.throughput_rows("meta-llama/Llama-3.1-8B-Instruct", "H100-SXM", regime="measured")
    assert [r.concurrency for r in curve] == [32, 64]
    assert cat.throughput_rows("meta-llama/Llama-3.1-8B-Instruct", engine="nope") == []
    # A model with specs but no throughput row is known: no rows, no error.
    folder = copy_fixture(tmp_path / "q")
    (folder / "throughput.csv").write_text(THROUGHPUT_HEADER + "\n")
    assert load(folder).throughput_rows("meta-llama/Llama-3.1-70B-Instruct") == []


def test_throughput_rows_errors(tmp_path: Path) -> None:
    cat = catalog_with_regimes(tmp_path)
    with pytest.raises(UnknownPriceError, match=r"unknown model .*closest: meta-llama/Llama-3\.1"):
        cat.throughput_rows("meta-llama/Llama-3.1-8B")
    with pytest.raises(UnknownPriceError, match="unknown GPU 'H100'; closest: H100-SXM"):
        cat.throughput_rows("meta-llama/Llama-3.1-8B-Instruct", "H100")
    with pytest.raises(TypeError, match="unknown filter latency -> one of gpus_per_replica"):
        cat.throughput_rows("meta-llama/Llama-3.1-8B-Instruct", latency=1)
    with pytest.raises(ValueError, match="regime: 'fast' -> one of offline, server"):
        cat.throughput_rows("meta-llama/Llama-3.1-8B-Instruct", regime="fast")


def test_throughput_keeps_to_offline_unless_asked(tmp_path: Path) -> None:
    cat = catalog_with_regimes(tmp_path)
    # Four 8B rows on H100-SXM, but only one offline: the old call still finds one row.
    assert cat.throughput("meta-llama/Llama-3.1-8B-Instruct").regime == "offline"
    row = cat.throughput("meta-llama/Llama-3.1-8B-Instruct", regime="measured", concurrency=64)
    assert row.output_tokens_per_s == 4400
    with pytest.raises(LookupError, match="2 throughput rows match") as info:
        cat.throughput("meta-llama/Llama-3.1-8B-Instruct", regime="measured")
    assert "regime='measured', concurrency=32" in str(info.value)


# -- the bundled data --------------------------------------------------------------------------


def test_every_bundled_throughput_model_has_a_spec() -> None:
    cat = load_pricing()
    assert set(cat.throughputs["model"]) <= set(cat.model_specs["model"])


def test_bundled_specs_cover_the_current_open_models() -> None:
    models = set(load_pricing().model_specs["model"])
    for wanted in (
        "openai/gpt-oss-120b",
        "openai/gpt-oss-20b",
        "deepseek-ai/DeepSeek-R1",
        "deepseek-ai/DeepSeek-V3",
        "Qwen/Qwen3-235B-A22B",
        "Qwen/Qwen3-32B",
        "Qwen/Qwen3-8B",
        "meta-llama/Llama-4-Scout-17B-16E-Instruct",
        "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
        "meta-llama/Llama-2-70b-chat-hf",
        "mistralai/Mixtral-8x7B-Instruct-v0.1",
        "mistralai/Mistral-Small-3.2-24B-Instruct-2506",
    ):
        assert wanted in models


def test_bundled_gpu_types_with_offers_all_have_throughput_rows() -> None:
    cat = load_pricing()
    rows = cat.throughputs
    assert set(cat.gpu_offers["gpu"]) <= set(rows["gpu"])
    # No public measurement was found for these three (pricing_data/README.md, "Left out on
    # purpose"): roofline estimates cover them, marked as such.
    measured = set(rows.loc[~rows["estimated"], "gpu"])
    assert set(cat.gpu_offers["gpu"]) - measured == {"L4", "A100-40GB", "H100-PCIe"}


def test_bundled_throughput_is_mostly_recent_and_every_regime_is_there() -> None:
    cat = load_pricing()
    rows = cat.throughputs
    stale = cat.stale(days=180, today=date(2026, 12, 1))  # the day the data was bundled
    stale_throughput = int((stale["file"] == "throughput.csv").sum())
    assert stale_throughput < len(rows) / 3  # was 44 of 44
    assert set(rows["regime"]) == {"offline", "server", "interactive"}
    # an estimate never stands beside a measurement of the same model, GPU and regime
    measured = set(map(tuple, rows.loc[~rows["estimated"], ["model", "gpu", "regime"]].values))
    estimated = set(map(tuple, rows.loc[rows["estimated"], ["model", "gpu", "regime"]].values))
    assert measured and estimated and not measured & estimated
