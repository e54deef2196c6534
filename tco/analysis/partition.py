"""The exact search behind :func:`tco.route`: every subset of task classes costed for every
option in one batched call, then a dynamic programme over subsets for the cheapest partition.

Classes sent to the same option are costed together (one fleet, one staff, one setup), so
the search is over partitions of the classes, not class by class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from tco.analysis.guards import not_finite
from tco.core.arrays import UsageArrays
from tco.core.ledger import Ledger
from tco.core.option import Option, data_leaves
from tco.core.parts import CostContext
from tco.options.routed import (
    Capability,
    CapabilitySpec,
    TaskClass,
    capability_for,
    class_arrays,
    meets,
)

__all__ = [
    "Excluded",
    "Group",
    "best_partition",
    "cheapest_partitions",
    "eligibility",
    "subset_arrays",
    "subset_costs",
]

Group = tuple[int, int]
"""An option (by index) and the subset of classes (a bitmask) it serves."""


def subset_arrays(arrays: UsageArrays, classes: Sequence[TaskClass]) -> UsageArrays:
    """Every subset of classes as one batch row: membership (2**k, k) @ class tokens (k, H)."""
    k, h = len(classes), arrays.months
    per_class = class_arrays(arrays, classes)
    member = ((np.arange(2**k)[:, None] >> np.arange(k)[None, :]) & 1).astype(float)

    def stack(attr: str) -> np.ndarray:
        return member @ np.stack([np.broadcast_to(getattr(a, attr), (h,)) for a in per_class])

    return replace(
        arrays,
        input=stack("input"),
        output=stack("output"),
        cached_input=stack("cached_input"),
        requests=None if arrays.requests is None else stack("requests"),
        cache_writes=None if arrays.cache_writes is None else stack("cache_writes"),
    )


Excluded = list[tuple[str, str, str]]


def eligibility(
    options: Sequence[Option],
    classes: Sequence[TaskClass],
    capabilities: Mapping[str, CapabilitySpec],
    data_must_stay: bool,
) -> tuple[np.ndarray, dict[tuple[str, str], Capability], Excluded]:
    """Bitmask of the classes each option may serve, its capability per class, and why
    each other (option, class) pair is excluded."""
    excluded: Excluded = []
    eligible = np.zeros(len(options), dtype=np.int64)
    caps: dict[tuple[str, str], Capability] = {}
    for j, opt in enumerate(options):
        for i, c in enumerate(classes):
            cap, why = capability_for(capabilities.get(opt.name), c)
            if why is None and not meets(cap, c.need):  # type: ignore[arg-type]
                why = f"capability {cap!r} below the class's need {c.need!r}"
            if why is None and (data_must_stay or c.data_must_stay) and data_leaves(opt):
                why = "data leaves the environment; the class's data must stay"
            if why is None:
                eligible[j] |= 1 << i
                caps[(opt.name, c.name)] = cap  # type: ignore[assignment]
            else:
                excluded.append((opt.name, c.name, why))
    return eligible, caps, excluded


def subset_costs(
    options: Sequence[Option],
    subsets: UsageArrays,
    context: CostContext,
    rate: float,
    classes: Sequence[TaskClass],
    eligible: np.ndarray,
    excluded: Excluded,
) -> tuple[np.ndarray, np.ndarray]:
    """Objective (total or NPV) and undiscounted total of each option serving each subset,
    shape (options, 2**k); inf where the option leaves demand unserved."""
    n = subsets.input.shape[0]
    obj = np.full((len(options), n), np.inf)
    totals = np.full((len(options), n), np.inf)
    total_tokens = subsets.total.sum(axis=-1)
    for j, opt in enumerate(options):
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            parts = opt.cost_parts(subsets, context)
            ledger = Ledger.of(parts, subsets.months, rate)
            totals[j] = np.broadcast_to(ledger.total(), (n,))
            npv = np.broadcast_to(ledger.total(discounted=True), (n,))
        if not (np.all(np.isfinite(totals[j])) and np.all(np.isfinite(npv))):
            raise not_finite(opt, "total cost of a group of task classes")
        obj[j] = npv if rate else totals[j]
        if parts.unserved_tokens is not None:
            unserved = np.broadcast_to(parts.unserved_tokens, subsets.input.shape).sum(axis=-1)
            short = unserved > 1e-9 * np.maximum(total_tokens, 1.0)
            obj[j, short] = np.inf
            for i, c in enumerate(classes):
                if short[1 << i] and eligible[j] >> i & 1:
                    excluded.append((opt.name, c.name, "leaves demand unserved (fleet too small)"))
    obj[:, 0] = 0.0
    totals[:, 0] = 0.0
    return obj, totals


def best_partition(
    obj: np.ndarray, eligible: np.ndarray, classes: Sequence[TaskClass], excluded: Excluded
) -> list[Group]:
    """The partition of the classes, each part served by its cheapest eligible option, with
    the lowest objective: a dynamic programme over subsets (exact)."""
    k = len(classes)
    masks = np.arange(2**k)
    allowed = (masks[None, :] & ~eligible[:, None]) == 0
    cost = np.where(allowed, obj, np.inf)
    best_option = np.argmin(cost, axis=0)
    best_cost = cost[best_option, masks]
    for i, c in enumerate(classes):
        if not np.isfinite(best_cost[1 << i]):
            reasons = "; ".join(f"{o}: {r}" for o, cl, r in excluded if cl == c.name)
            raise ValueError(f"class {c.name!r}: no option can serve it ({reasons})")
    choice = cheapest_partitions(best_cost, k)
    groups: list[Group] = []
    mask = 2**k - 1
    while mask:
        part = int(choice[mask])
        groups.append((int(best_option[part]), part))
        mask ^= part
    return sorted(groups)


def cheapest_partitions(best_cost: np.ndarray, k: int) -> np.ndarray:
    """For each subset, the part (containing its lowest class) of its cheapest partition."""
    dp = np.full(2**k, np.inf)
    dp[0] = 0.0
    choice = np.zeros(2**k, dtype=np.int64)
    for mask in range(1, 2**k):
        low = mask & -mask
        rest = mask ^ low
        sub = rest
        while True:
            part = sub | low
            value = dp[mask ^ part] + best_cost[part]
            if value < dp[mask]:
                dp[mask], choice[mask] = value, part
            if sub == 0:
                break
            sub = (sub - 1) & rest
    return choice
