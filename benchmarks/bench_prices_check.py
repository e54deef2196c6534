"""``tco prices check`` on a large ``api_models.csv``: wall time and peak memory.

A folder with a generated ``api_models.csv`` of 200,000 rows (shaped like the bundled rows:
every column filled, a long source and notes, a few empty optional cells) is checked in a
fresh process, as a user runs it: ``tco prices check DIR`` (the bundled catalog underneath).
The wall time (and the CPU time, steadier on a busy machine) and the child's peak resident
memory (``wait4`` rusage) are printed against the goals of issue 13: under 3 s and 300 MB.
A second folder with one bad cell every 1,000 rows checks that the problems are found at
about the same speed.

Run: ``python benchmarks/bench_prices_check.py [rows] [runs]``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 3.0
GOAL_MB = 300.0
HEADER = (
    "provider,model,input_usd_per_mtok,output_usd_per_mtok,cache_read_usd_per_mtok,"
    "cache_write_usd_per_mtok,batch_discount,context_window,open_weights,data_residency,"
    "source,as_of,notes"
)
SOURCE = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"


def row(i: int, bad: bool = False) -> str:
    """Row ``i``: unique key, realistic cells (some optional cells empty)."""
    price_in = f"{0.05 + (i % 997) * 0.013:.4g}"
    price_out = "-1" if bad else f"{0.2 + (i % 991) * 0.05:.4g}"
    cache = "" if i % 3 == 0 else f"{(i % 97) * 0.01:.3g}"
    write = "" if i % 5 else "3.75"
    batch = "" if i % 2 else "0.5"
    window = str(8192 * (1 + i % 64))
    weights = ("true", "false", "")[i % 3]
    residency = "" if i % 4 else "EU and US regions"
    notes = f"imported from LiteLLM; batch {batch or 'n/a'}" if i % 2 == 0 else ""
    return (
        f"provider{i % 500},model-{i}-instruct,{price_in},{price_out},{cache},{write},{batch},"
        f"{window},{weights},{residency},{SOURCE} (row {i}),2026-07-{1 + i % 28:02d},{notes}"
    )


def write_folder(folder: Path, rows: int, bad_every: int = 0) -> Path:
    folder.mkdir()
    lines = [HEADER]
    lines += [row(i, bad=bool(bad_every) and i % bad_every == 0) for i in range(rows)]
    (folder / "api_models.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def measure(folder: Path) -> tuple[float, float, int, str, float]:
    """Wall time [s], peak RSS [MB], exit code, first output line and CPU time (user +
    system) [s] of one check."""
    tco_cmd = str(Path(sys.executable).with_name("tco"))
    start = time.perf_counter()
    proc = subprocess.Popen(
        [tco_cmd, "prices", "check", str(folder), "--days", "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    first = out.decode("utf-8", "replace").splitlines()[0] if out else ""
    return wall, peak_mb, proc.returncode, first, usage.ru_utime + usage.ru_stime


def report(label: str, folder: Path, runs: int, expect: int) -> None:
    results = [measure(folder) for _ in range(runs)]
    codes = {r[2] for r in results}
    assert codes == {expect}, f"{label}: exit codes {codes}, expected {expect}: {results[0][3]}"
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[4] for r in results)
    peak = max(r[1] for r in results)
    time_ok = "OK" if wall < GOAL_S else "MISSED"
    mem_ok = "OK" if peak < GOAL_MB else "MISSED"
    print(
        f"{label}: median {wall:.2f} s wall, {cpu:.2f} s CPU (goal < {GOAL_S:g} s: "
        f"{time_ok}), peak RSS {peak:.0f} MB (goal < {GOAL_MB:g} MB: {mem_ok}); exit {expect}"
    )
    print(f"  first line: {results[0][3][:110]}")


def main(rows: int = 200_000, runs: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clean = write_folder(Path(tmp) / "clean", rows)
        bad = write_folder(Path(tmp) / "bad", rows, bad_every=1_000)
        size = (clean / "api_models.csv").stat().st_size / 1e6
        print(f"tco prices check on {rows:,} api_models.csv rows ({size:.0f} MB), {runs} runs")
        report("clean file", clean, runs, expect=0)
        report(f"{rows // 1000:,} bad cells", bad, runs, expect=1)


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
