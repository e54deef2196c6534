"""Time of one ``tco.break_even()`` on a 60-month scenario (target well under 5 ms).

A vendor API against a rented self-hosted fleet whose GPU count steps up as usage grows,
with and without a discount rate. Also prints where the time goes (the top functions of
a profile), so a regression shows its cause.

Run: ``python benchmarks/bench_break_even.py``
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time

import tco


def scenario(months: int = 60) -> tuple[tco.VendorAPI, tco.SelfHosted, tco.Usage]:
    """A vendor API against a rented fleet whose GPU count steps up as usage grows."""
    api = tco.VendorAPI(
        "gpt-4o", input_usd_per_mtok=2.5, output_usd_per_mtok=10.0, cache_read_usd_per_mtok=1.25
    )
    fleet = tco.SelfHosted(
        "llama-70b on 4xH100 (rented)",
        prefill_tokens_per_s=20_000,
        decode_tokens_per_s=2_500,
        procurement=tco.Rent(usd_per_gpu_hour=2.5),
        gpus_per_replica=4,
        spare_replicas=1,
        staff_fte=1.0,
        setup_usd=50_000,
    )
    usage = tco.Usage.compound(
        start=2e9,
        monthly_growth=0.06,
        months=months,
        output_share=0.25,
        cached_input_share=0.3,
        peak_to_average=2.5,
    )
    return api, fleet, usage


def median_ms(fn, repeat: int = 500) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    api, fleet, usage = scenario()
    result = tco.break_even(api, fleet, usage)
    print(result.headline())
    for rate in (0.0, 0.08):
        ms = median_ms(lambda rate=rate: tco.break_even(api, fleet, usage, discount_rate=rate))
        verdict = "OK" if ms < 5 else "MISSED"
        print(
            f"break_even(), 60 months, discount rate {rate:.0%}: median {ms:.3f} ms "
            f"(target well under 5 ms: {verdict})"
        )
    ms = median_ms(lambda: tco.simulate([api, fleet], usage).costs, repeat=200)
    print(f"simulate(...).costs (the tidy table, built on first use): median {ms:.3f} ms")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(200):
        tco.break_even(api, fleet, usage)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(8)
    lines = [ln for ln in out.getvalue().splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls"))
    print("Top functions by own time over 200 calls:")
    for ln in lines[start : start + 9]:
        print("  " + ln.strip()[:120])


if __name__ == "__main__":
    main()
