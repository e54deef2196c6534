"""Checking large pricing files quickly (issue 13): the fast path and the check that keeps
no rows give exactly the answers of the row models and of ``load_pricing``."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pricing_helpers import FIXTURE, TODAY
from pricing_helpers import LEGACY_API_HEADER as API_HEADER

import tco.pricing.parse
import tco.pricing.rows
from tco.pricing import PricingError, load_pricing
from tco.pricing.check import check_pricing
from tco.pricing.csvtext import (
    CsvSyntaxError,
    iter_lines,
    iter_records,
    physical_lines,
    record_chunks,
)
from tco.pricing.fastrows import fast_rows
from tco.pricing.parse import CHUNK_ROWS, parse_file
from tco.pricing.schema import SPECS

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

# Cells of every kind the columns hold, good and bad: text, numbers in and out of their
# bounds, whole numbers, flags, dates (one in the future), plans, and trouble.
CELLS = [
    "",
    " ",
    "x",
    " padded ",
    "a/b",
    "H100-SXM",
    "openai",
    "0",
    "-0",
    "1",
    "+4",
    "4",
    "2.5",
    " 2.5 ",
    ".5",
    "1e-3",
    "1e400",
    "-1",
    "0.99",
    "1.0",
    "nan",
    "inf",
    "1_000",
    "9" * 19,
    "true",
    "FALSE",
    "yes",
    "2026-07-24",
    "2026-02-30",
    "2026-7-24",
    "2099-01-01",
    "on_demand",
    "spot",
    "weekly",
    "two\nlines",
    "٣",  # a digit, but not an ASCII one
]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


VALID = {
    "api": (
        "openai,gpt-4o,chat,2.5,10,1.25,,,0.5,,,,,,,4.25,17,128000,false,,,,,"
        "https://openai.com,2026-07-24,"
    ),
    "hardware": "H100-SXM,80,700,30000,3.35,989,1979,,https://www.nvidia.com,2026-09-01,list",
    "gpu": "aws,p5,H100-SXM,8,on_demand,6.88,us-east-1,https://aws.amazon.com,2026-11-01,",
    "throughput": (
        "m,H100-SXM,1,vllm,bf16,offline,,,,40000,5000,64,1000,1000,4444.444,false,"
        "https://e.org,2026-10-01,"
    ),
    "models": "m/x,8,8,32,8,128,4096,131072,bf16,https://e.org,2026-10-01,",
}
"""A valid row of each kind, edited cell by cell into the rows of the random files."""


@st.composite
def rows_of(draw: st.DrawFn, kind: str) -> list[list[str]]:
    """Valid rows with distinct keys, a few cells of some replaced by random cells."""
    base = VALID[kind].split(",")
    rows = []
    for n in range(draw(st.integers(0, 25))):
        row = list(base)
        row[0] = f"{row[0]}{n}"  # distinct keys, unless a cell edit says otherwise
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))):
            row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(CELLS))
        rows.append(row)
    return rows


@st.composite
def files(draw: st.DrawFn) -> tuple[str, str]:
    """A kind of table and a file of it: mostly valid rows, some cells wrong, some rows
    repeated (duplicate keys), of the wrong width, or blank."""
    kind = draw(st.sampled_from(list(SPECS)))
    header = list(SPECS[kind].columns)
    width = len(header)
    rows = draw(rows_of(kind))
    if rows and draw(st.booleans()):
        rows.append(list(draw(st.sampled_from(rows))))  # a repeated key
    if draw(st.booleans()):
        rows.insert(draw(st.integers(0, len(rows))), ["x"] * draw(st.integers(1, width + 2)))
    if draw(st.booleans()):
        rows.insert(draw(st.integers(0, len(rows))), [])
    return kind, csv_text(header, rows)


def parsed(
    kind: str, text: str, fast: bool, keep_rows: bool = True
) -> tco.pricing.parse.ParsedFile:
    if fast:
        return parse_file(SPECS[kind], text, "t.csv", TODAY, keep_rows=keep_rows)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tco.pricing.rows, "fast_rows", lambda row, today: None)
        return parse_file(SPECS[kind], text, "t.csv", TODAY, keep_rows=keep_rows)


@SETTINGS
@given(files())
def test_fast_path_gives_the_row_models_answers(file: tuple[str, str]) -> None:
    kind, text = file
    slow, fast = parsed(kind, text, fast=False), parsed(kind, text, fast=True)
    assert [str(p) for p in fast.problems] == [str(p) for p in slow.problems]
    assert [(e.line, e.row) for e in fast.entries] == [(e.line, e.row) for e in slow.entries]
    assert [e.row.model_dump() for e in fast.entries] == [e.row.model_dump() for e in slow.entries]
    assert fast.gpu_refs == slow.gpu_refs and fast.gpu_names == slow.gpu_names
    # without keeping rows: the same problems, and each valid row's key, line and as_of
    event(f"{len(slow.entries)} valid rows" if len(slow.entries) < 3 else "3+ valid rows")
    summary = parsed(kind, text, fast=True, keep_rows=False)
    assert [str(p) for p in summary.problems] == [str(p) for p in slow.problems]
    # a check keeps only the rows the rules between rows read: retirements and successors
    lifecycle = [
        (e.line, e.row)
        for e in slow.entries
        if getattr(e.row, "deprecation_date", None) or getattr(e.row, "successor", None)
    ]
    assert [(e.line, e.row) for e in summary.entries] == lifecycle
    assert summary.summaries == [(e.row.key, e.line, e.row.as_of) for e in slow.entries]


def test_every_bundled_row_model_has_a_fast_path_but_those_with_cell_rules() -> None:
    # a field validator that reads other cells (the regime's latency rules, active within
    # total parameters) is not repeated by the fast path: those rows go through the model
    for spec in SPECS.values():
        fields = spec.row.__pydantic_decorators__.field_validators
        own = [d for d in fields.values() if not d.func.__qualname__.startswith("PricingRow.")]
        assert (fast_rows(spec.row, TODAY) is None) == bool(own), spec.kind
    assert fast_rows(SPECS["api"].row, TODAY) is not None  # its rules run on the fast path


def test_keys_repeated_across_chunks_are_found(tmp_path: Path) -> None:
    rows = [
        f"p,m{i},1,2,,,,,,,src,2026-07-01,"
        if i != CHUNK_ROWS + 7
        else "p,m3,1,2,,,,,,,s,2026-07-01,"
        for i in range(CHUNK_ROWS + 10)
    ]
    text = API_HEADER + "\n" + "\n".join(rows) + "\n"
    result = parse_file(SPECS["api"], text, "api_models.csv", TODAY, keep_rows=False)
    # m3 is on line 5 (header on line 1); its repeat on line CHUNK_ROWS + 9
    assert [str(p) for p in result.problems] == [
        f"api_models.csv:{CHUNK_ROWS + 9}: provider,model: 'p/m3' -> a key used once per file; "
        "also on line 5"
    ]
    assert len(result.summaries) == CHUNK_ROWS + 9


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(alphabet='ab\r\n,"', max_size=60))
def test_lines_are_read_as_physical_lines(text: str) -> None:
    assert list(iter_lines(text)) == physical_lines(text)


@settings(max_examples=500, deadline=None, database=None)
@given(st.text(alphabet='ab \r\n,"\x00', max_size=60), st.integers(1, 5))
def test_chunks_number_records_as_the_reader_does_one_at_a_time(text: str, size: int) -> None:
    # the chunks work lines out from the line breaks inside cells; the reference asks the
    # csv reader for its line count after each record
    try:
        expected: object = [r for r in iter_records(text) if not r.blank]
    except CsvSyntaxError as exc:
        expected = exc.line
    try:
        chunks = list(record_chunks(text, size))
        got: object = [chunk.record(i) for chunk in chunks for i in range(len(chunk.rows))]
    except CsvSyntaxError as exc:
        got, chunks = exc.line, []
    assert got == expected
    for chunk in chunks:
        assert 0 < len(chunk.rows) <= size
        records = [chunk.record(i) for i in range(len(chunk.rows))]
        assert chunk.one_line == all(r.line == r.end_line for r in records)


def test_lines_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tco.pricing.csvtext, "_BLOCK", 3)
    text = "ab\r\ncd\r\ref\n\ngh\rij"
    assert list(iter_lines(text)) == physical_lines(text)


def _folder_with(tmp_path: Path, name: str, rows: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "api_models.csv").write_text(API_HEADER + "\n" + rows, encoding="utf-8")
    return folder


def test_check_gives_the_catalogs_counts_and_staleness(tmp_path: Path) -> None:
    rows = (
        "openai,gpt-4o,2,8,,,,,,,mine,2025-01-02,\n"  # overrides the fixture's row, older
        "acme,new,1,1,,,,,,,mine,2024-06-30,\n"
        "acme,newer,1,1,,,,,,,mine,2026-11-01,\n"
    )
    folder = _folder_with(tmp_path, "mine", rows)
    for days in (0, 30, 180, 10_000):
        catalog = load_pricing(folder, today=TODAY, bundled=False)
        found = check_pricing(folder, bundled=False, today=TODAY, days=days)
        assert found.counts == catalog.counts()
        assert found.stale == catalog.stale_summary(days)
        assert found.folders == catalog.folders
    # on top of a full catalog: rows override by key, staleness counts the merged rows
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tco.pricing.load, "bundled_pricing_dir", lambda: FIXTURE)
        catalog = load_pricing(folder, today=TODAY)
        found = check_pricing(folder, today=TODAY, days=100)
    assert found.counts == catalog.counts()
    assert found.stale == catalog.stale_summary(100)
    assert any("gpt-4o (2025-01-02" in line for line in found.stale)


def test_check_reports_the_same_problems_as_load(tmp_path: Path) -> None:
    rows = "acme,a,-1,1,,,,,,,s,2026-01-01,\nacme,a,1,1,,,,,,,s,2026-01-01,\nacme,b,1\n"
    folder = _folder_with(tmp_path, "bad", rows)
    with pytest.raises(PricingError) as loaded:
        load_pricing(folder, today=TODAY, bundled=False)
    with pytest.raises(PricingError) as checked:
        check_pricing(folder, today=TODAY, bundled=False)
    assert [str(p) for p in checked.value.problems] == [str(p) for p in loaded.value.problems]
    # the bad price, the repeated key (an invalid row's key counts) and the short row
    assert [p.line for p in checked.value.problems] == [2, 3, 4]


def test_check_of_a_copy_of_the_bundled_data_matches_the_cli(tmp_path: Path, capsys) -> None:
    from tco.cli import main

    copy = shutil.copytree(FIXTURE, tmp_path / "copy")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tco.pricing.load, "bundled_pricing_dir", lambda: FIXTURE)
        assert main(["prices", "check", str(copy), "--days", "30"]) == 0
        catalog = load_pricing(copy, today=date.today())
    out = capsys.readouterr().out.splitlines()
    c = catalog.counts()
    assert out[0].endswith(
        f"{c['api']} API models, {c['gpu']} GPU offers, {c['hardware']} GPU types, "
        f"{c['throughput']} throughput rows"
    )
    assert out[1:] == [f"warning: {line}" for line in catalog.stale_summary(30)]
