"""How far the roofline estimates are from the measured throughput rows (issue 10).

Calibrates the roofline on the bundled measured offline rows (median of measured over ideal
decode and prefill) and the latency tiers (median of measured over estimated), then prints,
per regime and method, the leave-one-out error of the output tokens/s at each measured row's
own request mix: ``roofline`` from the GPU's and model's specs alone, ``anchored`` from the
same system's measured offline row carried to the tier by the roofline's ratio.

Run: ``python benchmarks/bench_roofline.py``
"""

from __future__ import annotations

from statistics import median

import tco
from tco.pricing.calibration import calibration


def main() -> None:
    cal = calibration(tco.load_pricing())
    eff = cal.efficiency
    print(f"efficiency: decode {eff.decode:.2f}, prefill {eff.prefill:.2f} ({eff.source})")
    for (regime, method), factor in sorted(cal.corrections.items()):
        print(f"correction {regime:<11} {method:<8} x {factor:.2f}")
    groups: dict[tuple[str, str], list[float]] = {}
    for e in cal.errors:
        groups.setdefault((e["regime"], e["method"]), []).append(e["error"])
    print(f"\n{'regime':<12}{'method':<10}{'rows':>5}{'median |err|':>14}{'worst |err|':>13}"
          f"{'median bias':>13}")  # fmt: skip
    for (regime, method), errs in sorted(groups.items()):
        size = [abs(x) for x in errs]
        print(
            f"{regime:<12}{method:<10}{len(errs):>5}{median(size):>14.1%}{max(size):>13.1%}"
            f"{median(errs):>+13.1%}"
        )


if __name__ == "__main__":
    main()
