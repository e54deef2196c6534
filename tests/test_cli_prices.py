"""`tco prices ...`: output and exit codes (0 ok, 1 data problems, 2 usage errors)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pricing_helpers import (
    API_HEADER,
    FIXTURE,
    LEGACY_API_HEADER,
    OFFERS_HEADER,
    copy_fixture,
    use_fixture_as_bundled,
)

from tco.cli import build_parser, main

JSON = Path(__file__).parent / "data" / "litellm_min.json"


@pytest.fixture(autouse=True)
def _fixture_is_bundled(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fixture_as_bundled(monkeypatch)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_clean_data_exits_zero_with_summary_and_stale_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "prices", "check", "--days", "100000")
    assert code == 0
    assert out == f"ok: {FIXTURE}: 4 API models, 5 GPU offers, 3 GPU types, 4 throughput rows\n"
    assert err == ""
    code, out, _ = run(capsys, "prices", "check")
    lines = out.splitlines()
    assert code == 0
    # The fixture's three stale rows (2024, 2025 and January 2026) are warned about.
    assert [line.split(":")[0] for line in lines[1:]] == ["warning"] * 3


def test_check_user_folder_with_problems_exits_one_listing_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    (user / "gpu_offers.csv").write_text(
        OFFERS_HEADER
        + "\nacme,x,NOPE,1,on_demand,2.1,,acme,2026-10-01,"
        + "\nacme,y,L4,1,hourly,-2,,acme,2026-10-01,\n"
    )
    code, out, err = run(capsys, "prices", "check", str(user))
    assert code == 1
    assert out.splitlines() == [
        f"{user / 'gpu_offers.csv'}:2: gpu: 'NOPE' -> a gpu listed in gpu_hardware.csv",
        f"{user / 'gpu_offers.csv'}:3: plan: 'hourly' -> one of on_demand, reserved_1y, "
        "reserved_3y, spot",
        f"{user / 'gpu_offers.csv'}:3: usd_per_gpu_hour: '-2' -> a number > 0 [USD per GPU-hour]",
        "3 problems found",
    ]
    assert "Traceback" not in err


def test_check_no_bundled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").unlink()
    code, out, _ = run(capsys, "prices", "check", str(folder), "--no-bundled", "--days", "9999")
    assert (code, out) == (
        0,
        f"ok: {folder}: 0 API models, 5 GPU offers, 3 GPU types, 4 throughput rows\n",
    )
    code, _, err = run(capsys, "prices", "check", "--no-bundled")
    assert (code, err) == (2, "tco: error: --no-bundled needs a pricing folder\n")


def test_check_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "prices", "check", str(tmp_path / "nope"))
    assert (code, out) == (2, "")
    assert err == f"tco: error: pricing folder '{tmp_path / 'nope'}' does not exist\n"


@pytest.mark.parametrize(
    ("kind", "first_column", "first_value"),
    [
        ("api", "id", "openai/gpt-4o"),
        ("gpu", "provider", "aws"),
        ("hardware", "gpu", "H100-SXM"),
        ("throughput", "model", "meta-llama/Llama-3.1-8B-Instruct"),
    ],
)
def test_list_kinds(
    capsys: pytest.CaptureFixture[str], kind: str, first_column: str, first_value: str
) -> None:
    code, out, _ = run(capsys, "prices", "list", "--kind", kind)
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split()[0] == first_column
    assert lines[1].split()[0] == first_value


def test_list_api_table_layout(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "prices", "list")
    lines = out.splitlines()
    assert len(lines) == 6
    assert lines[0].split() == [
        "id",
        "input",
        "output",
        "cache_read",
        "cache_write",
        "batch_discount",
        "context",
        "open_weights",
        "as_of",
    ]
    assert lines[5].startswith("prices in USD per million tokens")
    assert lines[4].split() == [
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "0.88",
        "0.88",
        "-",
        "-",
        "-",
        "131072",
        "true",
        "2026-01-15",
    ]


def test_list_csv_has_every_column(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "prices", "list", "--kind", "api", "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0
    assert rows[0] == ["id", *API_HEADER.split(","), "origin"]
    first = dict(zip(rows[0], rows[1], strict=True))  # by name: the columns grew
    assert [first[c] for c in ("id", "provider", "model", "input_usd_per_mtok")] == [
        "openai/gpt-4o",
        "openai",
        "gpt-4o",
        "2.5",
    ]
    assert first["as_of"] == "2026-07-24"


def test_list_with_user_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    (user / "api_models.csv").write_text(LEGACY_API_HEADER + "\nacme,a-1,1,2,,,,,,,s,2026-11-01,\n")
    _, out, _ = run(capsys, "prices", "list", "--dir", str(user))
    assert out.splitlines()[-2].split()[:3] == ["acme/a-1", "1", "2"]


def test_list_broken_data_exits_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    (user / "api_models.csv").write_text("nonsense\n")
    code, out, err = run(capsys, "prices", "list", "--dir", str(user))
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == "1 problem found"


def test_stale(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "prices", "stale", "--days", "400")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["origin", "key", "as_of", "age_days"]
    assert lines[1].split()[-2] == "2024-09-01"
    assert lines[2].split()[-2] == "2025-03-01"
    assert lines[3].startswith("2 rows with as_of more than 400 days before ")
    code, out, _ = run(capsys, "prices", "stale", "--days", "100000")
    assert (code, out) == (0, "no rows older than 100000 days\n")


@pytest.mark.parametrize("days", ["-1", "ten"])
def test_bad_days_is_a_usage_error(capsys: pytest.CaptureFixture[str], days: str) -> None:
    code, out, err = run(capsys, "prices", "stale", "--days", days)
    assert (code, out) == (2, "")
    assert "argument --days" in err
    assert "Traceback" not in err


def test_import_litellm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_fixture(tmp_path / "p")
    code, out, _ = run(
        capsys,
        "prices",
        "import-litellm",
        str(JSON),
        "--provider",
        "openai",
        "--provider",
        "anthropic",
        "--dir",
        str(folder),
        "--as-of",
        "2026-11-20",
        "-v",
    )
    assert code == 0
    assert out.splitlines() == [
        f"wrote {folder / 'api_models.csv'}: 2 added, 1 updated, 1 unchanged prices "
        "(as_of refreshed), 4 JSON entries skipped",
        "added: anthropic/claude-sonnet-4-20250514, openai/gpt-4.1",
        "updated: openai/gpt-4o-mini",
        "unchanged: openai/gpt-4o",
        # the fixture's rows LiteLLM has no entry for; its older header gains the new columns
        "left as they were: anthropic/claude-sonnet-4, "
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "note: the file's header lacked the tier and lifecycle columns: added (empty)",
        "skipped openai/gpt-4.1: same row as 'gpt-4.1'",
        "skipped text-embedding-3-small: mode 'embedding' is not one of chat, completion, "
        "responses",
        "skipped dall-e-3: mode 'image_generation' is not one of chat, completion, responses",
        "skipped gpt-realtime-preview: no valid input_cost_per_token / output_cost_per_token",
    ]
    code, out, _ = run(capsys, "prices", "check", str(folder), "--no-bundled", "--days", "999")
    assert (code, out.split(":")[0]) == (0, "ok")


def test_import_litellm_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_fixture(tmp_path / "p")
    before = (folder / "api_models.csv").read_bytes()
    code, _, err = run(
        capsys, "prices", "import-litellm", str(JSON), "--dir", str(folder), "--provider", "x"
    )
    assert code == 1
    assert err.splitlines()[0].endswith(
        "--provider: 'x' -> a litellm_provider with chat models in the file"
    )
    code, _, err = run(capsys, "prices", "import-litellm", str(tmp_path / "no.json"))
    assert (code, err) == (2, f"tco: error: file '{tmp_path / 'no.json'}' does not exist\n")
    code, _, err = run(
        capsys, "prices", "import-litellm", str(JSON), "--dir", str(folder), "--as-of", "soon"
    )
    assert code == 2
    assert "'soon' is not a date YYYY-MM-DD" in err
    code, _, err = run(capsys, "prices", "import-litellm", str(JSON), "--dir", str(tmp_path / "x"))
    assert (code, err) == (2, f"tco: error: pricing folder '{tmp_path / 'x'}' does not exist\n")
    assert (folder / "api_models.csv").read_bytes() == before


def test_no_command_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2
    assert "required" in err
    code, out, _ = run(capsys, "prices", "--help")
    assert code == 0
    assert "import-litellm" in out
    code, _, _ = run(capsys, "prices")
    assert code == 2


def test_parser_is_extensible() -> None:
    parser = build_parser()
    args = parser.parse_args(["prices", "list", "--kind", "gpu"])
    assert (args.command, args.prices_command, args.kind) == ("prices", "list", "gpu")
    assert callable(args.func)


def test_python_dash_m_tco(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    done = subprocess.run(
        [sys.executable, "-m", "tco", "prices", "check", str(folder), "--no-bundled"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent.parent,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"ok: {folder}: 4 API models")
    shutil.rmtree(folder / "")
    done = subprocess.run(
        [sys.executable, "-m", "tco", "prices", "check", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("tco: error: pricing folder")


def test_columns_describes_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "prices", "columns", "--kind", "gpu")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "gpu_offers.csv (key: provider, instance, plan, region)"
    assert [line.split()[0] for line in lines[1:]] == OFFERS_HEADER.split(",")
    assert lines[5].split(None, 1)[1] == "one of on_demand, reserved_1y, reserved_3y, spot"
    code, out, _ = run(capsys, "prices", "columns")
    assert code == 0
    assert [line for line in out.splitlines() if line.endswith(")") and "(key:" in line] == [
        "api_models.csv (key: provider, model)",
        "gpu_hardware.csv (key: gpu)",
        "gpu_offers.csv (key: provider, instance, plan, region)",
        "throughput.csv (key: model, gpu, gpus_per_replica, engine, precision, regime, "
        "concurrency)",
        "model_specs.csv (key: model)",
    ]


def test_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tco", "prices", "list", "--kind", "throughput"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).parent.parent,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head` exiting before the table is printed
    with proc.stderr:
        err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1
    assert err == b""
