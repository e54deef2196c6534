"""The command line's contract (issue 13): no traceback for a mistake in the input, exit 2
for usage errors and 1 for pricing data, one line ``tco: error: ...`` per problem, the
traceback with ``--debug``, warnings as ``tco: warning: ...`` lines."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tco.cli import main
from tco.cli.errors import exit_code
from tco.pricing import PricingError, PricingProblem

SCENARIO = """
[scenario]
name = "Two APIs and a fleet"
baseline = "dear"
candidate = "cheap"

[usage]
output_share = 0.5
[usage.curve]
kind = "constant"
tokens = {tokens}
months = 12

[options.dear]
type = "api"
input_usd_per_mtok = 3.0
output_usd_per_mtok = 15.0

[options.cheap]
type = "api"
input_usd_per_mtok = 1.0
output_usd_per_mtok = 5.0
setup_usd = 18000
staff_fte = 2.0
staff_usd_per_year = {staff}

[options.fleet]
type = "self_hosted"
prefill_tokens_per_s = 10000
decode_tokens_per_s = 1000
procurement = {{ kind = "rent", usd_per_gpu_hour = 2.0 }}
"""


def scenario(tmp_path: Path, tokens: str = "1e9", staff: str = "200000") -> Path:
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO.format(tokens=tokens, staff=staff), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str) -> str:
    """The single ``tco: error:`` line of ``err`` (and nothing else), its message."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tco: error: ")
    return lines[0].removeprefix("tco: error: ")


def test_help_documents_exit_codes_and_debug(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    epilog = out[out.index("exit codes:") :]
    for line in ("  0 ", "  1 ", "  2 ", "--debug"):
        assert line in epilog
    assert "pricing data" in epilog.split("  2 ")[0]  # 1 is the pricing data's code


@pytest.mark.parametrize("rate", ["20", "nan", "inf", "-1", "eight"])
def test_bad_discount_rate_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rate: str
) -> None:
    code, _, err = run(capsys, "break-even", str(scenario(tmp_path)), "--discount-rate", rate)
    assert code == 2
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("tco break-even: error: argument --discount-rate:")
    assert repr(rate) in err


@pytest.mark.parametrize(
    ("flags", "flag", "name"),
    [
        (["--candidate", "dear"], "--candidate", "dear"),
        (["--baseline", "cheap"], "--baseline", "cheap"),
    ],
)
def test_candidate_equal_to_baseline_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], flag: str, name: str
) -> None:
    code, _, err = run(capsys, "break-even", str(scenario(tmp_path)), *flags)
    assert code == 2
    message = one_error(err)
    assert message.startswith(f"{flag}: {name!r} is both baseline and candidate")


def test_candidate_equal_to_baseline_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scenario(tmp_path)
    path.write_text(path.read_text().replace('candidate = "cheap"', 'candidate = "dear"'))
    code, _, err = run(capsys, "break-even", str(path))
    assert code == 2
    message = one_error(err)
    assert message.startswith(f"{path}: scenario.candidate: 'dear' is also the baseline")
    assert "['cheap', 'fleet']" in message


def test_overflowing_cost_names_option_and_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 2 FTE at 1e308 a year: each month's staff cost is finite, the year's (2e308) is not.
    path = scenario(tmp_path, staff="1e308")
    for command in ("break-even", "simulate", "recommend", "report"):
        extra = ["--out", str(tmp_path / "rep")] if command == "report" else []
        code, out, err = run(capsys, command, str(path), *extra)
        assert code == 2, command
        message = one_error(err)
        assert message.startswith("cheap: ")
        assert "staff_usd_per_year = 1e+308" in message
        assert "inf" not in out
    assert not (tmp_path / "rep").exists()


def test_debug_shows_the_traceback_and_keeps_the_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(scenario(tmp_path, staff="1e308"))
    for argv in (["--debug", "break-even", path], ["break-even", path, "--debug"]):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert err.startswith("Traceback (most recent call last):")
        assert "FloatingPointError" in err
        assert err.splitlines()[-1].startswith("tco: error: cheap: ")


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ValueError("bad value"), 2),
        (TypeError("bad type"), 2),
        (FloatingPointError("overflow"), 2),
        (KeyError("no such key"), 2),
        (OSError("cannot write"), 2),
        (PricingError([PricingProblem("api_models.csv", 3, "as_of", "x", "a date")]), 1),
    ],
)
def test_every_class_of_input_error_is_one_line_and_its_code(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    code: int,
) -> None:
    def fail(args: object) -> int:
        raise error

    monkeypatch.setattr("tco.cli.scenarios.break_even", fail)
    got, _, err = run(capsys, "break-even", str(scenario(tmp_path)))
    assert got == code
    assert "Traceback" not in err
    if code == 2:
        message = one_error(err)
        assert message == (error.args[0] if isinstance(error, KeyError) else str(error))
    else:
        assert err.splitlines() == ["api_models.csv:3: as_of: 'x' -> a date", "1 problem found"]


def test_a_bug_keeps_its_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr("tco.cli.scenarios.break_even", fail)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["break-even", str(scenario(tmp_path))])
    assert exit_code(RuntimeError()) is None and exit_code(NameError()) is None


def test_validation_error_is_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tco

    def fail(args: object) -> int:
        tco.VendorAPI("x", input_usd_per_mtok=True, output_usd_per_mtok=-1.0)
        return 0

    monkeypatch.setattr("tco.cli.scenarios.break_even", fail)
    code, _, err = run(capsys, "break-even", str(scenario(tmp_path)))
    assert code == 2
    assert err.splitlines() == [
        "tco: error: input_usd_per_mtok: True -> True is a bool, not a number",
        "tco: error: output_usd_per_mtok: -1.0 -> Input should be greater than or equal to 0",
    ]


def test_litellm_number_beyond_any_float_is_skipped_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = {"litellm_provider": "openai", "mode": "chat", "output_cost_per_token": 1e-6}
    text = json.dumps({"big": spec | {"input_cost_per_token": 1.0}})
    (tmp_path / "p.json").write_text(text.replace("1.0", "1e999999"))
    (tmp_path / "huge.json").write_text(text.replace("1.0", "1e400"))
    for name in ("p.json", "huge.json"):
        code, out, err = run(
            capsys, "prices", "import-litellm", str(tmp_path / name), "--dry-run", "-v"
        )
        assert (code, err) == (0, "")
        assert "skipped big: no valid input_cost_per_token / output_cost_per_token" in out


def test_implausible_fleet_is_a_warning_line_with_the_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Replica-seconds = uncached input / prefill + output / decode (DESIGN.md). At 1e15
    # tokens a month, half output: 5e14 / 10,000 + 5e14 / 1,000 = 5.5e11 s, over 730 h x
    # 3,600 s = 209,284.6 busy replicas of 1 GPU; at 70 % target utilisation
    # ceil(209,284.6 / 0.7) = 298,979 GPUs (warned). At 1e13 tokens: 2,990 GPUs (fine).
    busy = (5e14 / 10_000 + 5e14 / 1_000) / (730 * 3600)
    gpus = math.ceil(busy / 0.7)
    assert gpus == 298_979
    path = scenario(tmp_path, tokens="1e15")
    code, _, err = run(capsys, "simulate", str(path))
    assert code == 0
    assert err.splitlines() == [
        f"tco: warning: fleet: the fleet needs {gpus:,} GPUs in month 1 (more than 100,000): "
        "check the token volume (tokens per month, not per year) and the throughput per replica"
    ]
    code, _, err = run(capsys, "simulate", str(scenario(tmp_path, tokens="1e13")))
    assert (code, err) == (0, "")
