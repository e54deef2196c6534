"""Mutation check of core behaviours: does some test fail when the code is subtly wrong?

Each mutation below is a hand-made, one-place change at a named line of the core
(``>=`` to ``>``, a credit dropped, a mask left off) in the three areas issue 13 names:

* the break-even volume at exact ties (``tco/analysis/volume.py``, the steady tolerance);
* the batch path's end-of-month credits (residual value credited at the horizon, discounted
  to the month's end, masked per draw);
* Switch / combine: residual values and the switch thresholds.

The repository is copied into a temporary folder once (the working tree is never touched);
each change is applied to the copy, the tests that guard that area run there
(``pytest -x``, at most 10 minutes and 3 GB), and the file is restored. A mutation is
*killed* when a test fails (or the tests run out of time or memory), and *survives* when
they all pass.

Three places first tried were left out because their mutants are equivalent (no input can
tell them apart): in ``volume.py``, ``volume <= 1.0`` against ``< 1.0`` (the search never
lands on exactly one token), ``last >= 0`` against ``last > 0`` (a last index of 0 always
ends under one token, reported as 0 either way), and ``>= -tol`` against ``> -tol`` in the
interval split (a difference of exactly minus the tolerance); the split is mutated to
``> 0`` instead, which drops the tolerance.

Not a test: run ``python benchmarks/mutation_check.py [name ...]``; it prints a table and
exits 1 if any mutation survives.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 600
"""A mutant's tests that run longer than this count as failing (killed)."""
MEMORY_BYTES = 3 << 30
"""Address space of a mutant's test run: a mutant that makes a search run away fails on
this limit (killed) instead of taking the machine's memory."""
COPY = ("tco", "tests", "pricing_data", "pyproject.toml", "README.md")

VOLUME = ("tests/test_mutation_guards.py", "tests/test_breakeven.py", "tco/analysis/volume.py")
BATCH = (
    "tests/test_mutation_guards.py",
    "tests/test_montecarlo.py",
    "tests/test_sensitivity.py",
    "tests/test_hybrid_strategies.py",
)
SWITCH = (
    "tests/test_mutation_guards.py",
    "tests/test_hybrid_strategies.py",
    "tests/test_hybrid_optimize.py",
    "tco/options/switch.py",
)


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    old: str
    new: str
    what: str
    tests: tuple[str, ...]


MUTATIONS = [
    Mutation(
        "tie-not-cheaper",
        "tco/analysis/volume.py",
        "not_cheaper = self.c - self.b >= -tol",
        "not_cheaper = self.c - self.b > -tol",
        "an exact tie counts as cheaper",
        VOLUME,
    ),
    Mutation(
        "tie-certified",
        "tco/analysis/volume.py",
        "split = c[j + 1] - b[j] >= -np.maximum(tol[j], tol[j + 1])",
        "split = c[j + 1] - b[j] > 0",
        "an interval whose ends tie (candidate(hi) = baseline(lo)) is taken as cheaper",
        VOLUME,
    ),
    Mutation(
        "tie-no-tolerance",
        "tco/core/ledger/breakeven.py",
        "return (np.abs(candidate) + np.abs(baseline)) * STEADY_REL_TOL",
        "return (np.abs(candidate) + np.abs(baseline)) * 0.0",
        "steady costs equal up to rounding are not a tie",
        VOLUME,
    ),
    Mutation(
        "volume-below-one-token",
        "tco/analysis/volume.py",
        "if volume <= 1.0:",
        "if volume <= 0.5:",
        "a threshold under one token a month is reported instead of 0",
        VOLUME,
    ),
    Mutation(
        "bracket-not-bisected",
        "tco/analysis/volume.py",
        "split[0] = True  # the bracket of the last sign change, bisected to float precision",
        "pass",
        "the threshold left at a grid point instead of bisected",
        VOLUME,
    ),
    Mutation(
        "credit-dropped-in-break-even",
        "tco/core/ledger/breakeven.py",
        "cum_end = np.cumsum(up + rec + end, axis=-1)",
        "cum_end = np.cumsum(up + rec, axis=-1)",
        "end-of-month credits ignored by break-even (scalar and batch)",
        BATCH,
    ),
    Mutation(
        "credit-discounted-to-start",
        "tco/core/ledger/totals.py",
        'return values * (start if timing == "upfront" else end)',
        'return values * (start if timing != "recurring" else end)',
        "an end-of-month credit discounted to the month's start",
        BATCH,
    ),
    Mutation(
        "credit-sign",
        "tco/options/procurement.py",
        'end["residual_credit"] = -one_time_at(residual, usage.months, usage.months)',
        'end["residual_credit"] = one_time_at(residual, usage.months, usage.months)',
        "the residual credit charged instead of credited",
        BATCH,
    ),
    Mutation(
        "credit-not-masked-per-draw",
        "tco/options/composite.py",
        "end=sel(parts.end),",
        "end=parts.end,",
        "a draw keeps the end-of-month credit of a switch month it did not take",
        BATCH,
    ),
    Mutation(
        "batch-npv-undiscounted",
        "tco/analysis/batch.py",
        "b_pv, c_pv = b.total(discounted=True), c.total(discounted=True)",
        "b_pv, c_pv = b.total(), c.total()",
        "the batch's NPV savings undiscounted (credits included)",
        BATCH,
    ),
    Mutation(
        "residual-last-part-only",
        "tco/options/composite.py",
        "residual = residual + np.asarray(part.residual_usd)",
        "residual = np.asarray(part.residual_usd)",
        "combine keeps only the last part's residual value",
        SWITCH,
    ),
    Mutation(
        "residual-not-masked",
        "tco/options/composite.py",
        "residual_usd=np.asarray(parts.residual_usd) * pick,",
        "residual_usd=np.asarray(parts.residual_usd),",
        "every draw keeps the residual value of every switch month",
        SWITCH,
    ),
    Mutation(
        "threshold-strict",
        "tco/options/switch.py",
        "reached = tokens >= thr",
        "reached = tokens > thr",
        "a month exactly at the threshold does not switch",
        SWITCH,
    ),
    Mutation(
        "switch-first-window",
        "tco/options/switch.py",
        "if min(month, hi) >= lo:",
        "if min(month, hi) > lo:",
        "a switch after month 1 drops first's only month",
        SWITCH,
    ),
    Mutation(
        "switch-then-window",
        "tco/options/switch.py",
        "if max(month + 1, lo) <= hi:",
        "if max(month + 1, lo) < hi:",
        "a switch before the last month drops then's only month",
        SWITCH,
    ),
    Mutation(
        "combine-timing-clash",
        "tco/options/composite.py",
        'key = name if timing_of.get(name, timing) == timing else f"{role}.{name}"',
        "key = name",
        "two parts' components of one name but different timings merged",
        SWITCH,
    ),
]


def run(mutation: Mutation, workdir: Path) -> tuple[bool, float, str]:
    """Apply ``mutation`` to a copy of the repository in ``workdir`` and run its tests:
    (killed, seconds, the first failing test or '')."""
    target = workdir / mutation.file
    original = target.read_text(encoding="utf-8")
    if original.count(mutation.old) != 1:
        raise SystemExit(f"{mutation.name}: {mutation.old!r} is not once in {mutation.file}")
    target.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
    tests = [t for t in mutation.tests if (workdir / t).exists()]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        return True, time.perf_counter() - start, f"(tests ran over {TIMEOUT_S} s)"
    finally:
        target.write_text(original, encoding="utf-8")
    seconds = time.perf_counter() - start
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    if done.returncode == 1:  # tests failed
        return True, seconds, failed[0][7:] if failed else "(a test failed)"
    if done.returncode == 0:
        return False, seconds, ""
    if done.returncode < 0 or "MemoryError" in done.stdout:  # the mutant ran away
        return True, seconds, f"(tests crashed: exit {done.returncode}, out of memory)"
    raise SystemExit(f"{mutation.name}: pytest exit {done.returncode}\n{done.stdout[-2000:]}")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def main(names: list[str]) -> int:
    chosen = [m for m in MUTATIONS if not names or m.name in names]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for item in COPY:
            src = ROOT / item
            if src.is_dir():
                shutil.copytree(src, workdir / item, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, workdir / item)
        rows = []
        for m in chosen:
            killed, seconds, by = run(m, workdir)
            rows.append((m, killed, seconds, by))
            print(f"{m.name:30s} {'killed' if killed else 'SURVIVED':8s} {seconds:5.1f} s  {by}")
    survived = [m.name for m, killed, _, _ in rows if not killed]
    print()
    print("| mutation | place | what it breaks | result |")
    print("|---|---|---|---|")
    for m, killed, _, by in rows:
        result = f"killed ({by.split(' - ')[0]})" if killed else "**survived**"
        print(f"| {m.name} | `{m.file}`: `{m.old}` -> `{m.new}` | {m.what} | {result} |")
    print(f"\n{len(rows) - len(survived)} of {len(rows)} mutations killed")
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
