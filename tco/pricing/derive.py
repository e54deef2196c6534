"""Prefill and decode rates of a replica from ONE throughput measurement.

A saturated replica that produces ``T`` output tokens per second at a request mix of ``ISL``
input and ``OSL`` output tokens spends, per second, ``T * ISL / OSL / P`` seconds on
prefill and ``T / D`` seconds on decode:

    T * ISL / OSL / P + T / D = 1                                            (1)

One measurement is one equation in two unknowns. With an assumed ratio ``r = P / D``
(prefill tokens per second over decode tokens per second) it has one solution:

    D = T * (1 + ISL / (OSL * r)),        P = r * D                           (2)

``r`` comes from the TensorRT-LLM rows of the same GPU type, where two measurements fix P
and D separately (:data:`PREFILL_DECODE_RATIOS`, the median of P / D over those rows);
a GPU type without such rows borrows the ratio of a named sibling
(:data:`RATIO_SIBLINGS`), and any other GPU takes the median over all of them
(:data:`DEFAULT_RATIO`). Whatever ``r`` is, (2) reproduces the measurement exactly: the
assumption only decides how a *different* mix is served. ``pricing_data/README.md``
("Prefill and decode from one measurement") gives the check against the two-point rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "DEFAULT_RATIO",
    "PREFILL_DECODE_RATIOS",
    "RATIO_SIBLINGS",
    "Split",
    "prefill_decode_ratio",
    "split_output_rate",
]

PREFILL_DECODE_RATIOS: dict[str, float] = {
    "A100-80GB": 2.02,
    "B200": 2.70,
    "H100-SXM": 2.22,
    "H200": 1.70,
    "L40S": 1.66,
}
"""Median P / D per GPU type over the TensorRT-LLM two-point rows of ``throughput.csv``
(v0.17 and v1.0 perf overview: A100-80GB 7 rows, B200 6, H100-SXM 13, H200 14, L40S 4)."""

DEFAULT_RATIO = 1.98
"""Median P / D over all 44 two-point rows, for GPU types with neither rows nor sibling."""

RATIO_SIBLINGS: dict[str, str] = {
    "A100-40GB": "A100-80GB",
    "B300": "B200",
    "GB200": "B200",
    "GB300": "B200",
    "H100-PCIe": "H100-SXM",
    "H200-NVL": "H200",
    "L4": "L40S",
    "RTX-PRO-6000": "L40S",
}
"""GPU type -> the measured type whose ratio it borrows (same architecture generation and
memory class: Blackwell HBM parts take B200's, PCIe Hopper/Ampere parts their SXM
sibling's, GDDR inference cards L40S's)."""


def prefill_decode_ratio(gpu: str) -> tuple[float, str]:
    """The ratio ``r = P / D`` used for ``gpu``, and where it comes from (for notes).

    Examples
    --------
    >>> prefill_decode_ratio("H100-SXM")
    (2.22, 'median P/D of the H100-SXM TensorRT-LLM two-point rows')
    >>> prefill_decode_ratio("GB300")
    (2.7, 'median P/D of the B200 TensorRT-LLM two-point rows (GB300 has none; sibling B200)')
    >>> prefill_decode_ratio("MI355X")[0]
    1.98
    """
    if gpu in PREFILL_DECODE_RATIOS:
        return PREFILL_DECODE_RATIOS[gpu], f"median P/D of the {gpu} TensorRT-LLM two-point rows"
    sibling = RATIO_SIBLINGS.get(gpu)
    if sibling is not None:
        return (
            PREFILL_DECODE_RATIOS[sibling],
            f"median P/D of the {sibling} TensorRT-LLM two-point rows "
            f"({gpu} has none; sibling {sibling})",
        )
    return DEFAULT_RATIO, (
        f"median P/D of all 44 TensorRT-LLM two-point rows ({gpu} has none and no sibling)"
    )


@dataclass(frozen=True)
class Split:
    """Prefill and decode rates derived from one measurement (equation (2)).

    Attributes
    ----------
    prefill_tokens_per_s, decode_tokens_per_s : float
        P and D. [tokens/s per replica]
    ratio : float
        The ``r = P / D`` assumed.
    """

    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    ratio: float

    def note(self, basis: str) -> str:
        """What was derived and how, for a row's notes."""
        return (
            f"prefill/decode DERIVED from that one figure by T*ISL/OSL/P + T/D = 1 with "
            f"assumed r = P/D = {self.ratio:g} ({basis}): P = {self.prefill_tokens_per_s:.0f}, "
            f"D = {self.decode_tokens_per_s:.0f} tokens/s per replica"
        )


def split_output_rate(
    output_tokens_per_s: float, input_tokens: float, output_tokens: float, ratio: float
) -> Split:
    """P and D of a replica from its output rate at one mix and an assumed ``P / D``.

    Parameters
    ----------
    output_tokens_per_s : float
        Measured output tokens per second of the replica, ``T``. [tokens/s]
    input_tokens, output_tokens : float
        Mean input and output tokens per request of the measurement (ISL, OSL). [tokens]
    ratio : float
        Assumed ``r = P / D``. [-]

    Returns
    -------
    Split
        ``D = T * (1 + ISL / (OSL * r))`` and ``P = r * D``, rounded to whole tokens/s.

    Examples
    --------
    1000 tokens/s at 1000 in / 250 out with r = 2: D = 1000 * (1 + 4 / 2) = 3000, P = 6000,
    and 1000 * (4 / 6000 + 1 / 3000) = 1.

    >>> s = split_output_rate(1000, 1000, 250, 2.0)
    >>> s.prefill_tokens_per_s, s.decode_tokens_per_s
    (6000.0, 3000.0)
    """
    values = (output_tokens_per_s, input_tokens, output_tokens, ratio)
    if not all(isinstance(v, int | float) and math.isfinite(v) and v > 0 for v in values):
        raise ValueError(
            "split_output_rate: output rate, input and output tokens and ratio -> "
            f"finite numbers > 0, got {values}"
        )
    decode = output_tokens_per_s * (1.0 + input_tokens / (output_tokens * ratio))
    return Split(float(round(ratio * decode)), float(round(decode)), ratio)
