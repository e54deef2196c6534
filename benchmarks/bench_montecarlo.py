"""tco.monte_carlo against the same study written by hand in numpy (reference_numpy.py).

Both run 100,000 draws x 60 months of the benchmark scenario (six uncertain inputs,
P10/P50/P90 fans) in the same process, interleaved, several times; CPU time of each run.
Prints the first (cold) call separately, the best and median of the rest, and the ratio
of tco to the reference against the goal (at most 1.3x). Also checks that both give the
same answer (break-even of every draw, fan percentiles), so the reference is the same work.

Run: ``python benchmarks/bench_montecarlo.py [repeats]``
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
import reference_numpy as ref
from bench_break_even import scenario
from scipy import stats

import tco

GOAL = 1.3
N, MONTHS, SEED = 100_000, 60, 1

DISTRIBUTIONS = {
    "candidate.procurement.usd_per_gpu_hour": stats.lognorm(0.25, scale=2.5),
    "candidate.decode_tokens_per_s": stats.uniform(1_500, 2_000),
    "baseline.output_usd_per_mtok": stats.uniform(5.0, 10.0),
    "baseline.annual_price_decline": stats.uniform(0.0, 0.4),
    "usage.monthly_growth": stats.norm(0.06, 0.02),
    "usage.peak_to_average": stats.uniform(1.5, 2.0),
}


def cpu(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def same_answer(mc: tco.MonteCarloResult, answer: ref.Answer) -> str:
    never = np.isinf(mc.months)
    assert np.array_equal(never, np.isinf(answer.months)), "break-even differs (never)"
    months = np.max(np.abs(mc.months[~never] - answer.months[~never]), initial=0.0)
    fan = np.stack([mc.fan[s].to_numpy().T for s in ("baseline", "candidate", "savings")])
    rel = np.max(np.abs(fan - answer.fan) / np.maximum(np.abs(answer.fan), 1.0))
    assert months < 1e-9 and rel < 1e-9, f"answers differ: months {months}, fan {rel}"
    return f"same answer: t* within {months:.1e} months, fan within {rel:.1e} relative"


def main(repeats: int = 7) -> None:
    api, fleet, usage = scenario(MONTHS)

    def run_tco() -> tco.MonteCarloResult:
        return tco.monte_carlo(api, fleet, usage, DISTRIBUTIONS, n=N, seed=SEED)

    def run_ref() -> ref.Answer:
        return ref.run(N, MONTHS, SEED)

    cold_tco, mc = cpu(run_tco)
    cold_ref, answer = cpu(run_ref)
    print(f"Monte Carlo, {N:,} draws x {MONTHS} months, {len(DISTRIBUTIONS)} uncertain inputs")
    print(f"  {same_answer(mc, answer)}")  # type: ignore[arg-type]
    print(f"  first (cold) call: tco {cold_tco:.3f} s, numpy reference {cold_ref:.3f} s CPU")
    times: dict[str, list[float]] = {"tco": [], "reference": []}
    for _ in range(repeats):  # interleaved, so load on the machine hits both alike
        times["tco"].append(cpu(run_tco)[0])
        times["reference"].append(cpu(run_ref)[0])
    for name, ts in times.items():
        print(f"  {name:>9}: best {min(ts):.3f} s, median {statistics.median(ts):.3f} s CPU")
    ratio = min(times["tco"]) / min(times["reference"])
    median_ratio = statistics.median(
        t / r for t, r in zip(times["tco"], times["reference"], strict=True)
    )
    verdict = "OK" if ratio <= GOAL else "MISSED"
    print(
        f"  tco / reference: {ratio:.2f}x best-to-best, {median_ratio:.2f}x median of pairs "
        f"(goal <= {GOAL}x: {verdict})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
