"""Time of one update of ``tco.explore`` on the demo scenario (goal: under 50 ms).

An update is what a slider move does: the drivers' parameters set through their declared
paths, both options costed through the ledger, the break-even and savings found, the chart
redrawn and encoded as the PNG the notebook shows, and the answer's sentence written.
Moves that keep the money axis (blitting), moves to an axis range drawn the first time (a
full redraw) and moves back to a range seen before (its background is kept) are timed
separately, and the arithmetic alone (``WhatIf.answer``) for comparison. The machine's
load shows in the worst times: run it on a quiet machine.

Needs ipywidgets (``pip install 'tco[notebook]'``).

Run: ``python benchmarks/bench_explore.py``
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import tco

GOAL_MS = 50.0
DEMO = Path(__file__).resolve().parents[1] / "tco" / "examples" / "demo.toml"


def timed_ms(moves: list[dict[str, float]], move) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for settings in moves:
        start = time.perf_counter()
        move(settings)
        times.append((time.perf_counter() - start) * 1e3)
    return times


def report(what: str, times: list[float]) -> None:
    median, worst = statistics.median(times), max(times)
    verdict = "meets" if worst < GOAL_MS else "MISSES"
    print(
        f"{what:<44} median {median:6.1f} ms, worst {worst:6.1f} ms "
        f"over {len(times)} moves ({verdict} the {GOAL_MS:.0f} ms goal)"
    )


def main() -> None:
    scenario = tco.Scenario.from_toml(DEMO)
    explorer = tco.explore(scenario.question)
    print(f"demo scenario: {scenario.name}")
    print(f"sliders: {', '.join(explorer.sliders)}")
    print(f"start: {explorer.headline()}")
    small = [{"gpu_price": 1.0 + i / 200} for i in range(100)]  # the axis stays
    jumps = [{"volume": v} for v in (4.0, 0.3, 6.0, 0.5, 8.0, 0.2, 5.0)]  # it rescales
    move = lambda s: explorer.set(**s)  # noqa: E731
    report("arithmetic only (WhatIf.answer)", timed_ms(small, explorer.what.answer))
    report("update, axis kept (GPU price moves)", timed_ms(small, move))
    explorer.reset()
    report("update, axis range drawn the first time", timed_ms(jumps, move))
    report("update, axis range seen before", timed_ms(jumps * 5, move))
    explorer.reset()
    print(f"end (reset): {explorer.headline()}")


if __name__ == "__main__":
    main()
