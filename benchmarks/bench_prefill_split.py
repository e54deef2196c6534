"""How well does ONE measurement plus an assumed P/D ratio predict other request mixes?

The TensorRT-LLM rows of ``pricing_data/throughput.csv`` were each measured at three
mixes: the primary one (128/2048, or 500/2000), the opposite one (2048/128, or 5000/500)
and 1000/1000 (all quoted in the rows' notes). Their prefill and decode rates come from two
of them. Here each row is re-derived the way the MLPerf and benchmark importers must
(:func:`tco.pricing.derive.split_output_rate`): from the primary measurement alone, with
``r = P / D`` the median of the *other* rows of the same GPU type (leave one out). The
script prints the error of the predicted output rate at the two mixes not used, against
the measurement, and the same for the two-point rates (which used the opposite mix).

Run: ``python benchmarks/bench_prefill_split.py``
"""

from __future__ import annotations

import re
import statistics

import tco
from tco.pricing.derive import split_output_rate

PAIR = re.compile(r"ISL/OSL (\d+)/(\d+) -> ([\d.]+) tok/s and (\d+)/(\d+) -> ([\d.]+) tok/s")
CHECK = re.compile(r"at (\d+)/(\d+) vs ([\d.]+) measured")


def rate(prefill: float, decode: float, isl: float, osl: float) -> float:
    """Output tokens/s of a saturated replica at one mix: 1 / (ISL/OSL/P + 1/D)."""
    return 1.0 / (isl / osl / prefill + 1.0 / decode)


def measurements() -> list[dict[str, float | str]]:
    """The two-point rows with their three measurements."""
    out = []
    for row in tco.load_pricing().throughputs.itertuples():
        pair, check = PAIR.search(row.notes or ""), CHECK.search(row.notes or "")
        if pair and check:
            i1, o1, t1, i2, o2, t2 = (float(x) for x in pair.groups())
            i3, o3, t3 = (float(x) for x in check.groups())
            out.append(
                {
                    "gpu": row.gpu,
                    "label": f"{row.model.split('/')[-1]} {row.gpus_per_replica}x{row.gpu}",
                    "P": row.prefill_tokens_per_s,
                    "D": row.decode_tokens_per_s,
                    "m1": (i1, o1, t1),
                    "m2": (i2, o2, t2),
                    "m3": (i3, o3, t3),
                }
            )
    return out


def errors(rows: list[dict]) -> list[tuple[str, float, float, float]]:
    """(label, one-point error at the opposite mix, at 1000/1000, two-point at 1000/1000) [%]."""
    out = []
    for k, row in enumerate(rows):
        others = [o["P"] / o["D"] for j, o in enumerate(rows) if j != k and o["gpu"] == row["gpu"]]
        r = statistics.median(others)
        i1, o1, t1 = row["m1"]
        s = split_output_rate(t1, i1, o1, r)
        p, d = s.prefill_tokens_per_s, s.decode_tokens_per_s
        (i2, o2, t2), (i3, o3, t3) = row["m2"], row["m3"]
        out.append(
            (
                row["label"],
                100 * (rate(p, d, i2, o2) / t2 - 1),
                100 * (rate(p, d, i3, o3) / t3 - 1),
                100 * (rate(row["P"], row["D"], i3, o3) / t3 - 1),
            )
        )
    return out


def main() -> None:
    table = errors(measurements())
    print(f"{'row':45} {'opposite mix':>13} {'1000/1000':>10} {'two-point 1000/1000':>20}")
    for label, e2, e3, e3b in table:
        print(f"{label:45} {e2:+12.0f}% {e3:+9.0f}% {e3b:+19.0f}%")
    for name, col in (("opposite mix", 1), ("1000/1000", 2), ("two-point at 1000/1000", 3)):
        vals = [abs(t[col]) for t in table]
        print(
            f"{name:25} median |error| {statistics.median(vals):4.0f}%   worst {max(vals):4.0f}%"
            f"   ({len(vals)} rows)"
        )


if __name__ == "__main__":
    main()
