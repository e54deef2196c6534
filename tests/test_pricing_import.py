"""The LiteLLM importer: conversion, line-level edits, atomic and validated writes."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from pricing_helpers import API_HEADER, LEGACY_API_HEADER, TODAY, load

from tco import PricingError, import_litellm

JSON = Path(__file__).parent / "data" / "litellm_min.json"
SOURCE = "LiteLLM model_prices_and_context_window.json (litellm_min.json)"


def raw_cells(line: str) -> list[str]:
    """A CSV line split at the commas outside quotes, each cell's text kept as written."""
    cells, cell, quoted = [], "", False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            cells.append(cell)
            cell = ""
        else:
            cell += ch
    return [*cells, cell]


def full(line: str, mode: str = "") -> str:
    """A row written in the 13 columns of LEGACY_API_HEADER, in the current 26 columns:
    ``mode`` and the tier and lifecycle columns inserted (empty), each cell's bytes kept."""
    c = raw_cells(line)
    assert len(c) == 13, line
    tiers = [""] * 8  # long-context (4), flex (2), priority (2)
    return ",".join([*c[:2], mode, *c[2:6], "", c[6], *tiers, *c[7:10], "", "", "", *c[10:]])


# A hand-formatted file: CRLF endings, quoted cells, trailing zeros. Rows the importer does
# not touch must keep these exact bytes.
LEGACY_ORIGINAL = (
    LEGACY_API_HEADER + "\r\n"
    "openai,gpt-4o,2.5,10,1.25,,0.5,128000,false,,https://openai.com/api/pricing,2026-07-24,\r\n"
    '"openai","gpt-4o-mini",0.15,0.60,0.075,,0.5,128000,false,,https://openai.com/api/pricing,'
    '2026-07-24,"keep, this note"\r\n'
    'anthropic,claude-sonnet-4,3.00,15,0.30,3.75,0.5,200000,false,"EU, US",'
    'https://www.anthropic.com/pricing,2026-07-24,"quoted ""note"""\r\n'
    "together_ai,meta-llama/Llama-3.3-70B-Instruct-Turbo,0.88,0.88,,,,131072,true,US,"
    "https://www.together.ai/pricing,2026-01-15,hosted open model\r\n"
)
ORIGINAL = "\r\n".join(
    [API_HEADER, *(full(line) if line else line for line in LEGACY_ORIGINAL.split("\r\n")[1:])]
)
LINES = ORIGINAL.split("\r\n")


def target(tmp_path: Path, text: str = ORIGINAL) -> Path:
    folder = tmp_path / "prices"
    folder.mkdir()
    (folder / "api_models.csv").write_bytes(text.encode())
    return folder


def test_round_trip_edits_only_the_imported_rows(tmp_path: Path) -> None:
    folder = target(tmp_path)
    result = import_litellm(JSON, folder, providers=["openai"], as_of="2026-11-20", today=TODAY)
    assert result.written
    assert result.added == ("openai/gpt-4.1",)
    assert result.updated == ("openai/gpt-4o-mini",)
    assert result.confirmed == ("openai/gpt-4o",)
    expected = (
        LINES[0]
        + "\r\n"
        # same prices: only source and as_of change (and the mode is filled in)
        + full(f"openai,gpt-4o,2.5,10,1.25,,0.5,128000,false,,{SOURCE},2026-11-20,", "chat")
        + "\r\n"
        # new prices (1.2e-07 * 1e6 = 0.12 ...), open_weights and notes kept
        + full(
            "openai,gpt-4o-mini,0.12,0.6,0.06,,0.5,128000,false,,"
            f'{SOURCE},2026-11-20,"keep, this note"',
            "chat",
        )
        + "\r\n"
        # new row after the provider's last row; batch 1e-06 / 2e-06 -> 0.5 off
        + full(f"openai,gpt-4.1,2,8,0.5,,0.5,1047576,,,{SOURCE},2026-11-20,", "chat")
        + "\r\n"
        + LINES[3]
        + "\r\n"
        + LINES[4]
        + "\r\n"
    )
    assert (folder / "api_models.csv").read_bytes() == expected.encode()


def test_untouched_rows_keep_their_bytes_in_a_full_import(tmp_path: Path) -> None:
    folder = target(tmp_path)
    result = import_litellm(JSON, folder, as_of="2026-11-20", today=TODAY)
    assert result.added == (
        "anthropic/claude-sonnet-4-20250514",
        "openai/gpt-4.1",
        "text-completion-openai/gpt-3.5-turbo-instruct",
    )
    assert result.updated == ("openai/gpt-4o-mini",)
    # together_ai: prefix stripped from the key; the JSON has no max_input_tokens, so the
    # row's 131072 stays and its prices match: only source and as_of change.
    assert result.confirmed == (
        "openai/gpt-4o",
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
    )
    lines = (folder / "api_models.csv").read_bytes().decode().split("\r\n")
    assert lines[4] == LINES[3]  # anthropic/claude-sonnet-4: not in the JSON
    assert lines[5] == full(
        f"anthropic,claude-sonnet-4-20250514,3,15,0.3,3.75,,200000,,,{SOURCE},2026-11-20,", "chat"
    )
    assert lines[6] == full(
        "together_ai,meta-llama/Llama-3.3-70B-Instruct-Turbo,0.88,0.88,,,,131072,true,US,"
        f"{SOURCE},2026-11-20,hosted open model",
        "chat",
    )
    assert lines[7] == full(
        f"text-completion-openai,gpt-3.5-turbo-instruct,1.5,2,,,,8192,,,{SOURCE},2026-11-20,",
        "completion",
    )
    assert lines[8:] == [""]
    cat = load(folder)
    assert cat.api_price("openai/gpt-4.1").batch_discount == 0.5


def test_skipped_entries_are_listed(tmp_path: Path) -> None:
    result = import_litellm(JSON, target(tmp_path), as_of="2026-11-20", today=TODAY)
    assert dict(result.skipped) == {
        "openai/gpt-4.1": "same row as 'gpt-4.1'",
        "text-embedding-3-small": "mode 'embedding' is not one of chat, completion, responses",
        "dall-e-3": "mode 'image_generation' is not one of chat, completion, responses",
        "gpt-realtime-preview": "no valid input_cost_per_token / output_cost_per_token",
    }
    assert result.summary() == (
        f"wrote {result.path}: 3 added, 1 updated, 2 unchanged prices (as_of refreshed), "
        "4 JSON entries skipped"
    )


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    folder = target(tmp_path)
    import_litellm(JSON, folder, as_of="2026-11-20", today=TODAY)
    before = (folder / "api_models.csv").read_bytes()
    again = import_litellm(JSON, folder, as_of="2026-11-20", today=TODAY)
    assert not again.written
    assert (again.added, again.updated, again.confirmed) == ((), (), ())
    assert (folder / "api_models.csv").read_bytes() == before


def test_new_file_is_created_with_header(tmp_path: Path) -> None:
    result = import_litellm(
        JSON, tmp_path, providers=["anthropic"], source="my copy", as_of=date(2026, 11, 1)
    )
    assert result.written
    assert (tmp_path / "api_models.csv").read_text() == (
        f"{API_HEADER}\n"
        + full(
            "anthropic,claude-sonnet-4-20250514,3,15,0.3,3.75,,200000,,,my copy,2026-11-01,", "chat"
        )
        + "\n"
    )


def test_file_without_final_newline_and_lf_endings(tmp_path: Path) -> None:
    text = f"{API_HEADER}\n" + full("acme,a,1,2,,,,,,,s,2026-01-01,x")
    folder = target(tmp_path, text)
    import_litellm(JSON, folder, providers=["anthropic"], as_of="2026-11-20", today=TODAY)
    assert (folder / "api_models.csv").read_text() == (
        f"{text}\n"
        + full(
            f"anthropic,claude-sonnet-4-20250514,3,15,0.3,3.75,,200000,,,{SOURCE},2026-11-20,",
            "chat",
        )
        + "\n"
    )


def test_as_of_defaults_to_today(tmp_path: Path) -> None:
    import_litellm(JSON, tmp_path, providers=["anthropic"])
    row = (tmp_path / "api_models.csv").read_text().splitlines()[1]
    assert row.split(",")[-2] == date.today().isoformat()


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    folder = target(tmp_path)
    result = import_litellm(JSON, folder, as_of="2026-11-20", today=TODAY, dry_run=True)
    assert not result.written
    assert result.summary().startswith("would write")
    assert (folder / "api_models.csv").read_bytes() == ORIGINAL.encode()


def test_unknown_provider_is_an_error_with_closest(tmp_path: Path) -> None:
    with pytest.raises(PricingError) as info:
        import_litellm(JSON, target(tmp_path), providers=["opnai", "openai"], today=TODAY)
    (problem,) = info.value.problems
    assert (problem.column, problem.value) == ("--provider", "opnai")
    assert problem.message.endswith("(closest: openai)")


def test_invalid_existing_file_is_left_untouched(tmp_path: Path) -> None:
    bad = ORIGINAL.replace("0.88,0.88", "-0.88,0.88")
    folder = target(tmp_path, bad)
    with pytest.raises(PricingError) as info:
        import_litellm(JSON, folder, providers=["openai"], today=TODAY)
    assert [(p.line, p.column) for p in info.value.problems] == [(5, "input_usd_per_mtok")]
    assert (folder / "api_models.csv").read_bytes() == bad.encode()


def test_invalid_result_is_not_written(tmp_path: Path) -> None:
    folder = target(tmp_path)
    with pytest.raises(PricingError) as info:
        import_litellm(JSON, folder, providers=["openai"], as_of="2027-01-01", today=TODAY)
    assert {p.column for p in info.value.problems} == {"as_of"}
    assert (folder / "api_models.csv").read_bytes() == ORIGINAL.encode()
    assert list(folder.iterdir()) == [folder / "api_models.csv"]


def test_bad_as_of(tmp_path: Path) -> None:
    with pytest.raises(PricingError, match="--as-of: '20-11-2026' -> a date YYYY-MM-DD"):
        import_litellm(JSON, tmp_path, as_of="20-11-2026")


def test_failed_rename_leaves_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = target(tmp_path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        import_litellm(JSON, folder, as_of="2026-11-20", today=TODAY)
    assert (folder / "api_models.csv").read_bytes() == ORIGINAL.encode()
    assert list(folder.iterdir()) == [folder / "api_models.csv"]


def test_file_mode_is_kept(tmp_path: Path) -> None:
    folder = target(tmp_path)
    (folder / "api_models.csv").chmod(0o640)
    import_litellm(JSON, folder, as_of="2026-11-20", today=TODAY)
    assert stat.S_IMODE((folder / "api_models.csv").stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ('{"a": 1,\n  "b": }', 2, "valid JSON (Expecting value)"),
        ("[1, 2]", 1, "a JSON object keyed by model"),
        ('{"a": {"input_cost_per_token": NaN}}', None, "valid JSON (NaN is not a number"),
        (b'{"a": "\xff"}', 1, "UTF-8 text"),
    ],
)
def test_unreadable_json(
    tmp_path: Path, content: str | bytes, line: int | None, message: str
) -> None:
    path = tmp_path / "prices.json"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(PricingError) as info:
        import_litellm(path, tmp_path)
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == (str(path), line)
    assert problem.message.startswith(message)
    assert not (tmp_path / "api_models.csv").exists()


def test_missing_json_file(tmp_path: Path) -> None:
    with pytest.raises(PricingError, match="a readable file"):
        import_litellm(tmp_path / "nope.json", tmp_path)


def test_odd_entries_are_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text(
        json.dumps(
            {
                "a": "not an object",
                "b": {
                    "mode": "chat",
                    "litellm_provider": "x",
                    "input_cost_per_token": -1,
                    "output_cost_per_token": 1e-6,
                },
                "c": {
                    "mode": "chat",
                    "litellm_provider": "x/y",
                    "input_cost_per_token": 1e-6,
                    "output_cost_per_token": 1e-6,
                },
                "d": {
                    "mode": "chat",
                    "litellm_provider": "x",
                    "input_cost_per_token": True,
                    "output_cost_per_token": 1e-6,
                },
                "e, with comma": {
                    "mode": "chat",
                    "litellm_provider": "x",
                    "input_cost_per_token": 0,
                    "output_cost_per_token": 3.3e-7,
                    "max_input_tokens": "lots",
                },
            }
        )
    )
    result = import_litellm(path, tmp_path, as_of="2026-11-20", today=TODAY)
    assert [k for k, _ in result.skipped] == ["a", "b", "c", "d"]
    assert result.added == ("x/e, with comma",)
    assert (tmp_path / "api_models.csv").read_text().splitlines()[1] == full(
        'x,"e, with comma",0,0.33,,,,,,,LiteLLM model_prices_and_context_window.json '
        "(prices.json),2026-11-20,",
        "chat",
    )


def test_figures_missing_from_the_json_keep_the_current_cells(tmp_path: Path) -> None:
    # A curated row: batch tier and a longer context window from the vendor's own docs.
    text = (
        f"{API_HEADER}\n"
        + full(
            "anthropic,claude-sonnet-4-20250514,3,15,0.3,3.75,0.5,1000000,false,,"
            "vendor docs,2026-07-24,batch from the vendor"
        )
        + "\n"
    )
    folder = target(tmp_path, text)
    path = tmp_path / "prices.json"
    path.write_text(
        json.dumps(
            {
                "claude-sonnet-4-20250514": {
                    "mode": "chat",
                    "litellm_provider": "anthropic",
                    "input_cost_per_token": 3.3e-06,
                    "output_cost_per_token": 1.5e-05,
                    "max_input_tokens": 200000,
                }
            }
        )
    )
    result = import_litellm(path, folder, as_of="2026-11-20", today=TODAY)
    assert result.updated == ("anthropic/claude-sonnet-4-20250514",)
    assert (folder / "api_models.csv").read_text().splitlines()[1] == full(
        # input and context from the JSON; cache prices and batch tier kept
        "anthropic,claude-sonnet-4-20250514,3.3,15,0.3,3.75,0.5,200000,false,,"
        "LiteLLM model_prices_and_context_window.json (prices.json),2026-11-20,"
        "batch from the vendor",
        "chat",
    )
