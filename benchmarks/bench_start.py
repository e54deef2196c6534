"""Start-up: what ``import tco`` adds to numpy, pandas and pydantic, and how long the two
commands a new user runs first take, each in fresh processes (median of several).

Goals: ``import tco`` adds at most 0.15 s (also after first use of ``tco.break_even``);
``tco --help`` and ``tco break-even tco/examples/demo.toml`` under 0.6 s on a quiet machine.
Times are a user's: with the compiled bytecode cached (``PYTHONDONTWRITEBYTECODE`` is
dropped, and a first run of each writes it), as after ``pip install``.
Run: ``python benchmarks/bench_start.py [runs]``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT = """
import time
t = time.perf_counter(); import numpy, pandas, pydantic; base = time.perf_counter() - t
t = time.perf_counter(); import tco; lazy = time.perf_counter() - t
t = time.perf_counter(); tco.break_even; used = time.perf_counter() - t
print(base, lazy, lazy + used)
"""

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(args: list[str]) -> str:
    done = subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT, env=ENV)
    return done.stdout


def wall(args: list[str]) -> float:
    start = time.perf_counter()
    run(args)
    return time.perf_counter() - start


def main(runs: int = 7) -> None:
    tco_cmd = str(Path(sys.executable).with_name("tco"))
    commands = ([tco_cmd, "--help"], [tco_cmd, "break-even", "tco/examples/demo.toml"])
    for args in ([sys.executable, "-c", IMPORT], *commands):
        run(args)  # the bytecode written
    rows = [[float(x) for x in run([sys.executable, "-c", IMPORT]).split()] for _ in range(runs)]
    base, lazy, used = (statistics.median(col) for col in zip(*rows, strict=True))
    print(f"import numpy, pandas, pydantic: {base:.3f} s (median of {runs} fresh processes)")
    for what, added in (("import tco", lazy), ("import tco; tco.break_even", used)):
        verdict = "OK" if added <= 0.15 else "MISSED"
        print(f"  {what}: +{added:.3f} s (goal <= +0.15 s: {verdict})")
    for args in commands:
        times = [wall(args) for _ in range(runs)]
        best, median = min(times), statistics.median(times)
        verdict = "OK" if median < 0.6 else "MISSED"
        shown = " ".join(["tco", *args[1:]])
        print(f"{shown}: median {median:.3f} s, best {best:.3f} s (goal < 0.6 s: {verdict})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
