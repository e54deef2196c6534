"""Capacity planning: busy replicas, the fleet to provision, and the demand it cannot serve.

Capacity (DESIGN.md): a replica of ``gpus_per_replica`` GPUs prefills
``prefill_tokens_per_s`` and decodes ``decode_tokens_per_s``. In month m it is busy for
``uncached_input / prefill + output / decode`` replica-seconds; spread over the operating
hours this is the average number of busy replicas. A fleet sized to demand is::

    max(min_replicas, ceil(average_busy * peak_to_average / target_utilization)) + spare

A fleet of R replicas (fixed, or capped) serves a load of at most
``(R - spare) * target_utilization`` busy replicas; the tokens that arrive while the load is
above that are unserved, on the linear load-duration curve of :mod:`tco.core.loadshape`
(the same split the overflow strategy sends to a vendor API).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tco.core.arrays import UsageArrays
from tco.core.loadshape import unserved_share
from tco.core.units import SECONDS_PER_HOUR

__all__ = ["busy_replicas", "replicas_needed", "unserved_above_capacity"]


def busy_replicas(
    usage: UsageArrays, prefill_tokens_per_s: Any, decode_tokens_per_s: Any
) -> np.ndarray:
    """Average number of busy replicas over the operating hours of each month. [replicas]

    Examples
    --------
    >>> from tco.core.usage import Usage
    >>> u = Usage.constant(3600 * 730 * 2.0, months=1, output_share=0.5).arrays()
    >>> busy_replicas(u, prefill_tokens_per_s=2.0, decode_tokens_per_s=1.0).tolist()
    [1.5]
    """
    busy_seconds = usage.uncached_input / np.asarray(prefill_tokens_per_s)[..., None] + (
        usage.output / np.asarray(decode_tokens_per_s)[..., None]
    )
    hours = np.asarray(usage.operating_hours, dtype=float)[..., None]
    return busy_seconds / (hours * SECONDS_PER_HOUR)


def replicas_needed(
    busy: np.ndarray,
    *,
    peak_to_average: Any,
    target_utilization: Any,
    min_replicas: Any,
    spare_replicas: Any,
) -> np.ndarray:
    """Replicas to provision: ``max(min, ceil(busy * peak / target)) + spare``.

    A relative tolerance of 1e-9 keeps float noise from adding a replica when the
    load is exactly a whole number of replicas.

    Examples
    --------
    >>> replicas_needed(np.array([0.0, 1.4, 2.8]), peak_to_average=2.0, target_utilization=0.7,
    ...                 min_replicas=1, spare_replicas=1).tolist()
    [2.0, 5.0, 9.0]
    """
    load = busy * np.asarray(peak_to_average)[..., None] / np.asarray(target_utilization)[..., None]
    replicas = np.ceil(load * (1.0 - 1e-9))
    return (
        np.maximum(np.asarray(min_replicas)[..., None], replicas)
        + np.asarray(spare_replicas)[..., None]
    )


def unserved_above_capacity(
    replicas: Any,
    busy: np.ndarray,
    *,
    peak_to_average: Any,
    target_utilization: Any,
    spare_replicas: Any,
) -> np.ndarray:
    """Share of each month's tokens that a fleet of ``replicas`` (spares included) cannot
    serve: the load above ``(replicas - spare) * target_utilization`` busy replicas. [0-1]

    Examples
    --------
    Busy 1.5 replicas on average, peak 2x: the load is uniform on [0, 3], so 2 replicas at
    full utilisation miss ``(3 - 2)^2 / 2 / (3 * 1.5) = 1/9`` of the tokens.

    >>> round(float(unserved_above_capacity(2.0, np.array([1.5]), peak_to_average=2.0,
    ...       target_utilization=1.0, spare_replicas=0)[0]), 6)
    0.111111
    """
    serving = np.asarray(replicas, dtype=float) - np.asarray(spare_replicas)[..., None]
    capacity = np.maximum(serving, 0.0) * np.asarray(target_utilization)[..., None]
    return unserved_share(capacity, busy, np.asarray(peak_to_average, dtype=float)[..., None])
