"""Malformed CSV text never escapes as anything but a PricingError naming file and line."""

from __future__ import annotations

import math
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pricing_helpers import FIXTURE, load

from tco import PricingError

LINE_END = re.compile(rb"\r\n|\r|\n")
FILES = [
    "api_models.csv",
    "gpu_hardware.csv",
    "gpu_offers.csv",
    "throughput.csv",
    "model_specs.csv",
]

NASTY = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1e400",
    "1e-400",
    "9" * 400,
    "-1",
    "0",
    "-0",
    "0x10",
    "1_000",
    "1,5",
    "abc",
    "2026-02-30",
    "2999-01-01",
    "2026-01-01T00:00",
    "true",
    "FALSE",
    "on_demand",
    "spot",
    "weekly",
    "H100-SXM",
    "L4",
    "\x00",
    "\x7f",
    "é",
    "🙂",
]
# Cells without quotes, commas or line breaks: one record per line, so the expected row
# count can be worked out independently.
PLAIN_TEXT = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126, exclude_characters='",'),
    max_size=12,
)
CELL = st.one_of(st.sampled_from(NASTY), PLAIN_TEXT)


def fixture_lines(file: str) -> list[list[str]]:
    lines = (FIXTURE / file).read_text().splitlines()
    return [line.split(",") for line in lines]  # the fixture has no quoted commas but notes


@st.composite
def mangled_file(draw: st.DrawFn) -> tuple[str, str, int]:
    """(file name, CSV text, number of non-blank data rows)."""
    file = draw(st.sampled_from(FILES))
    rows = [r for r in fixture_lines(file) if '"' not in ",".join(r)]
    header = list(rows[0])
    if draw(st.integers(0, 9)) == 0:  # a damaged header now and then
        action = draw(st.sampled_from(["drop", "add", "swap", "rename"]))
        i = draw(st.integers(0, len(header) - 1))
        if action == "drop":
            header.pop(i)
        elif action == "add":
            header.insert(i, draw(PLAIN_TEXT))
        elif action == "swap":
            header[i], header[-1] = header[-1], header[i]
        else:
            header[i] = draw(PLAIN_TEXT)
    body = []
    picked = draw(st.lists(st.integers(1, len(rows) - 1), unique=True, max_size=len(rows)))
    for index in picked:
        row = list(rows[index])
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 4]))):
            row[draw(st.integers(0, len(row) - 1))] = draw(CELL)
        extra = draw(st.integers(-2, 2)) if draw(st.integers(0, 4)) == 0 else 0
        if extra > 0:
            row += [draw(CELL) for _ in range(extra)]
        elif extra < 0:
            row = row[:extra]
        body.append(row)
    lines = [",".join(header)] + [",".join(r) for r in body]
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    nonblank = sum(1 for r in body if any(c.strip() for c in r))
    return file, text, nonblank


def check_outcome(folder: Path, file: str, data: bytes, expected_rows: int | None) -> None:
    """Load ``folder`` (``file`` holding ``data``): success with every row, or PricingError
    whose problems name a file of the folder and a line inside it."""
    # Physical lines: \r\n, \r and \n each end one.
    line_count = {f: len(LINE_END.findall((folder / f).read_bytes())) + 1 for f in FILES}
    try:
        catalog = load(folder)
    except PricingError as err:
        assert err.problems
        for p in err.problems:
            name = Path(p.file).name
            assert Path(p.file).parent == folder
            assert name in FILES
            assert p.line is None or 1 <= p.line <= line_count[name], (p, line_count[name])
            where = p.file if p.line is None else f"{p.file}:{p.line}: "
            assert where in str(err)
        event("rejected")
        return
    event("loaded")
    kind = {
        "api_models.csv": "api",
        "gpu_hardware.csv": "hardware",
        "gpu_offers.csv": "gpu",
        "throughput.csv": "throughput",
        "model_specs.csv": "models",
    }[file]
    table = catalog.table(kind)
    if expected_rows is not None:
        assert len(table) == expected_rows
    for column in table.columns:
        if pd.api.types.is_float_dtype(table[column]):
            assert all(math.isfinite(x) for x in table[column].dropna())
    required = {
        "api": ["input_usd_per_mtok", "output_usd_per_mtok"],
        "hardware": ["memory_gb", "tdp_watts"],
        "gpu": ["usd_per_gpu_hour", "gpus_per_instance"],
        "throughput": ["prefill_tokens_per_s", "decode_tokens_per_s", "gpus_per_replica"],
        "models": ["total_params_b", "active_params_b", "layers", "kv_heads", "head_dim"],
    }[kind]
    assert not table[required].isna().any().any()
    assert (table[required] > 0).all().all() or kind == "api"
    assert table["source"].str.strip().ne("").all()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_file(), st.one_of(st.none(), st.binary(min_size=1, max_size=3)))
def test_mangled_csv_loads_or_raises_pricing_error(
    case: tuple[str, str, int], junk: bytes | None
) -> None:
    file, text, nonblank = case
    data = text.encode()
    if junk is not None:  # splice raw (often non-UTF-8) bytes in somewhere
        at = len(data) // 2
        data = data[:at] + junk + data[at:]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "p"
        shutil.copytree(FIXTURE, folder)
        (folder / file).write_bytes(data)
        check_outcome(folder, file, data, nonblank if junk is None else None)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FILES), st.one_of(st.binary(max_size=300), st.text(max_size=300)))
def test_arbitrary_content_loads_or_raises_pricing_error(file: str, content: bytes | str) -> None:
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "p"
        shutil.copytree(FIXTURE, folder)
        (folder / file).write_bytes(data)
        check_outcome(folder, file, data, None)
