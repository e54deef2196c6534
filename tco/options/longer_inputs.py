"""Requests longer than those a throughput row was measured at.

A row's time to first token was measured at its own mean input length. When the workload's
requests are longer, :func:`warn_longer_inputs` says how far the time to first token could
grow if it grew with the input (prefill time does, in proportion; queueing may not): a
:class:`LatencyWarning` when that reaches past the target. The row is still used: the
warning says to bring a benchmark run at the workload's mix, or to choose a looser target.
"""

from __future__ import annotations

import warnings
from typing import Any

from tco.options.latency import Latency

__all__ = ["LatencyWarning", "warn_longer_inputs"]


class LatencyWarning(UserWarning):
    """The workload's requests are longer than those a throughput row was measured at, so
    its time to first token may be past the latency target (see
    :func:`warn_longer_inputs`)."""


def warn_longer_inputs(row: Any, mix: tuple[float, float] | None, target: Latency) -> None:
    """A :class:`LatencyWarning` when the workload's mean input is longer than the row's
    and the row's p99 time to first token, grown in proportion to the input, is past the
    target's.

    The proportional growth is an upper bound of the stated model (all of the time to first
    token taken as prefill, which grows with the input); the row's own figure is the lower.

    Examples
    --------
    >>> import warnings
    >>> from types import SimpleNamespace as Row
    >>> from tco.options.latency import TIERS
    >>> row = Row(model="m", gpu="H100", gpus_per_replica=1, ttft_p99_s=1.5, input_tokens=1_000)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_longer_inputs(row, (4_000.0, 500.0), TIERS["server"])
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    m on 1xH100: the throughput row was measured at 1,000 input tokens a request and the
    workload's have 4,000; its time to first token (p99 1.5 s) could reach 6 s if it grew
    with the input, past the target of 2 s -> bring a benchmark run at the workload's mix
    (tco prices import-bench), or choose a looser target
    """
    measured_at = getattr(row, "input_tokens", None)
    ttft, limit = getattr(row, "ttft_p99_s", None), target.ttft_s
    if mix is None or not measured_at or ttft is None or limit is None:
        return
    ratio = mix[0] / measured_at
    if ratio <= 1.0 or ttft * ratio <= limit:
        return
    warnings.warn(
        f"{row.model} on {row.gpus_per_replica}x{row.gpu}: the throughput row was measured "
        f"at {measured_at:,} input tokens a request and the workload's have {mix[0]:,.0f}; "
        f"its time to first token (p99 {ttft:g} s) could reach {ttft * ratio:.3g} s if it "
        f"grew with the input, past the target of {limit:g} s -> bring a benchmark run at "
        "the workload's mix (tco prices import-bench), or choose a looser target",
        LatencyWarning,
        stacklevel=5,  # from_catalog -> served_from_catalog -> choose_throughput -> here
    )
