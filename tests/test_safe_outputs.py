"""Safe outputs (issue 13): third-party text escaped in Markdown and HTML, no CSV cell a
spreadsheet would run, writes that leave nothing behind on failure or signal, and one answer
in the report and in ``tco recommend``."""

from __future__ import annotations

import csv
import io
import os
import signal
import stat
from pathlib import Path

import pytest

import tco
from tco import markdown
from tco.cli import main
from tco.core.files import Terminated, write_atomically, write_folder_atomically
from tco.report import recommendation_headline, write_report
from tco.scenario import example_path

EVIL_IMAGE = "![t](http://evil.example/x.png)"
EVIL_HTML = "<img src=x onerror=alert(1)>"
EVIL_NAME = "a|b <img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","click")'

SCENARIO = f"""
[scenario]
name = "Report {EVIL_IMAGE}"
description = "{EVIL_HTML}"
baseline = "api"
candidate = '{FORMULA}'

[usage]
output_share = 0.5
[usage.curve]
kind = "constant"
tokens = 1e9
months = 12

[options.api]
type = "api"
input_usd_per_mtok = 3.0
output_usd_per_mtok = 15.0
sources = ["{EVIL_IMAGE} (2025-06-01)", "{EVIL_HTML}"]

[options.'{FORMULA}']
type = "api"
input_usd_per_mtok = 1.0
output_usd_per_mtok = 5.0
setup_usd = 1000

[options."{EVIL_NAME}"]
type = "api"
input_usd_per_mtok = 2.0
output_usd_per_mtok = 6.0
"""


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    path = tmp_path / "evil.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- Markdown
def test_markdown_text_escapes_links_images_html_and_cells() -> None:
    assert markdown.text(EVIL_IMAGE) == "!\\[t\\](http://evil.example/x.png)"
    assert markdown.text(EVIL_HTML) == "&lt;img src=x onerror=alert(1)>"
    assert markdown.text("a|b\nc`d`*e*") == "a\\|b c\\`d\\`\\*e\\*"
    assert markdown.text("on_demand") == "on_demand"  # an underscore inside a word is text


def test_report_escapes_third_party_text(evil: Path, tmp_path: Path) -> None:
    report = write_report(evil, tmp_path / "out")
    text = report.markdown.read_text(encoding="utf-8")
    assert EVIL_IMAGE not in text and "<img" not in text
    assert "!\\[t\\](http://evil.example/x.png)" in text  # shown as text
    assert "&lt;img src=x onerror=alert(1)>" in text
    # the option named with a pipe stays in one table cell: 5 cells in its row
    row = next(line for line in text.splitlines() if line.startswith("| a\\|b"))
    assert row.count(" | ") == 4
    # every image the report shows is one of its own charts
    images = [line for line in text.splitlines() if "![" in line and "\\[" not in line]
    assert images and all(line.endswith(".png)") for line in images)


def test_repr_html_escapes_third_party_text(evil: Path) -> None:
    scenario = tco.Scenario.from_toml(evil)
    results = [
        scenario.simulate(),
        scenario.break_even(),
        scenario.break_even_volume(),
        scenario.recommend(),
        tco.best_switch_month(scenario.baseline, scenario.candidate, scenario.usage),
    ]
    for result in results:
        page = result._repr_html_()
        assert "<img" not in page, type(result).__name__
        assert "&lt;img" in page or EVIL_HTML not in repr(result)


# --------------------------------------------------------------------------- CSV
def test_simulate_csv_neutralises_formula_cells(evil: Path, tmp_path: Path) -> None:
    out = tmp_path / "costs.csv"
    assert main(["simulate", str(evil), "--csv", str(out)]) == 0
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    options = {r["option"] for r in rows}
    assert "'" + FORMULA in options and FORMULA not in options
    assert all(not r["option"].startswith(("=", "+", "-", "@")) for r in rows)
    # numbers stay numbers: a credit would be a negative number, not text
    assert all(float(r["usd"]) >= 0 for r in rows)


def test_simulate_csv_to_stdout(evil: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    buffer = io.BytesIO()
    stdout = io.TextIOWrapper(buffer, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdout", stdout)
        assert main(["simulate", str(evil), "--csv", "-"]) == 0
        stdout.flush()
    text = buffer.getvalue().decode()
    header, *rows = text.splitlines()
    assert header == "option,month,component,timing,usd,usd_pv"
    assert len(rows) > 0 and "cumulative cost" not in text  # the CSV alone


def test_prices_list_csv_neutralises_text_cells(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prices", "list", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert all(not c.startswith(("=", "+", "@")) for row in rows for c in row)


# --------------------------------------------------------------------------- atomic writes
def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError, ValueError])
def test_failed_write_leaves_no_temporary_file(tmp_path: Path, error: type) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")

    def write(fh: object) -> None:
        fh.write(b"half")  # type: ignore[attr-defined]
        raise error("stop")

    with pytest.raises(error):
        write_atomically(target, write)
    assert _leftovers(tmp_path) == ["out.csv"]
    assert target.read_text() == "old"


def test_sigterm_during_a_write_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"

    def write(fh: object) -> None:
        fh.write(b"half")  # type: ignore[attr-defined]
        os.kill(os.getpid(), signal.SIGTERM)

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated) as info:
        write_atomically(target, write)
    assert info.value.code == 128 + signal.SIGTERM
    assert _leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is only for the write


def test_write_keeps_mode_follows_links_and_writes_devices(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    real.chmod(0o644)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_atomically(link, lambda fh: fh.write(b"new"))
    assert link.is_symlink() and real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomically(fifo, lambda fh: fh.write(b"through"))
        assert os.read(reader, 100) == b"through"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("existing", [False, True])
def test_failed_folder_write_leaves_nothing(tmp_path: Path, existing: bool) -> None:
    folder = tmp_path / "a" / "report"
    if existing:
        folder.mkdir(parents=True)
        (folder / "keep.txt").write_text("mine")

    files = {"one.md": b"1", "two.png": b"2"}
    calls = {"n": 0}
    real = write_atomically

    def second_fails(path: Path, write: object) -> Path:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(path, write)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("tco.core.files.write_atomically", second_fails)
        with pytest.raises(KeyboardInterrupt):
            write_folder_atomically(folder, files)
    if existing:
        assert _leftovers(folder) == ["keep.txt"]
    else:
        assert _leftovers(tmp_path) == []  # not even the parent folder "a"


def test_failed_report_leaves_nothing(
    evil: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tco.report

    def broken_chart(*args: object, **kwargs: object) -> None:
        raise ValueError("cannot draw")

    out = tmp_path / "new" / "out"
    monkeypatch.setattr(tco.report.plot, "cost_per_mtok", broken_chart)  # the last chart
    with pytest.raises(ValueError, match="cannot draw"):
        write_report(evil, out)
    assert not (tmp_path / "new").exists()
    assert main(["report", str(evil), "--out", str(out)]) == 2
    assert not (tmp_path / "new").exists()


# --------------------------------------------------------------------------- one answer
def test_report_with_task_classes_carries_the_recommendation(tmp_path: Path, capsys) -> None:
    path = example_path("hybrid")
    scenario = tco.Scenario.from_toml(path)
    rec = scenario.recommend()
    assert main(["recommend", str(path)]) == 0
    printed = capsys.readouterr().out
    assert main(["report", str(path), "--out", str(tmp_path / "r")]) == 0
    headline = capsys.readouterr().out.splitlines()[0]
    assert headline == recommendation_headline(rec)
    assert headline.startswith(f"Recommended: {rec.best} (routed): NPV $")
    text = (tmp_path / "r" / "report.md").read_text()
    # the best option and every exclusion, as `tco recommend` prints them
    assert rec.best in printed and markdown.text(rec.best) in text
    for option, reason in zip(rec.excluded["option"], rec.excluded["reason"], strict=True):
        assert f"  - {option}: {reason}" in printed
        assert f"- {markdown.text(option)}: {markdown.text(reason)}" in text
    # the scenario's candidate is excluded: the comparison is marked as reference only
    assert scenario.candidate.name in set(rec.excluded["option"])
    assert "*For reference only: llama-70b cannot be used for this workload" in text
    assert text.index("## Recommendation") < text.index("## llama-70b against gpt-4o")


def test_headline_says_which_figure_is_discounted(tmp_path: Path) -> None:
    usage = tco.Usage.constant(1e9, months=36, output_share=0.5)
    api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0, setup_usd=6e3)
    result = tco.break_even(api, cheap, usage, discount_rate=0.08)
    # $6,000 a month saved: 36 x 6,000 - 6,000 undiscounted; at 8 % a year, monthly rate
    # i = 1.08 ** (1/12) - 1, savings to each month's end, setup at the start of month 1
    i = 1.08 ** (1 / 12) - 1
    npv = sum(6_000 / (1 + i) ** m for m in range(1, 37)) - 6_000
    assert result.npv_savings_usd == pytest.approx(npv)
    assert result.headline().endswith(
        f"and saves $210,000 over 36 months, undiscounted; NPV savings ${npv:,.0f} at 8.0%."
    )
    assert "discounted payback at 8.0% a year" in result.headline()
