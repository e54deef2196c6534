"""Building blocks of strategies: one option's cost parts from several.

A strategy (overflow, switch, routing by task) costs the options it combines against the
same usage and adds their parts: components keep their names (``api_input`` of the API
part, ``gpu_rent`` of the fleet, ``setup`` and ``staff`` summed over the parts), so
``simulate(...).costs`` reads the same as for a plain option.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tco.core.parts import TIMINGS, CostParts

__all__ = ["combine_parts", "select_draws"]


def combine_parts(parts: list[tuple[str, CostParts]]) -> CostParts:
    """One :class:`~tco.core.parts.CostParts` from several, summing components of the same
    name.

    A name used with different timings by two parts is prefixed with the part's role
    (``"then.setup"``) so that each name keeps one timing.
    """
    out = CostParts()
    timing_of: dict[str, str] = {}
    gpus: list[np.ndarray] = []
    unserved: list[np.ndarray] = []
    committed: list[np.ndarray] = []
    terms: set[tuple[int, int]] = set()
    residual: Any = 0.0
    for role, part in parts:
        for timing in TIMINGS:
            target = getattr(out, timing)
            for name, values in getattr(part, timing).items():
                key = name if timing_of.get(name, timing) == timing else f"{role}.{name}"
                timing_of.setdefault(key, timing)
                target[key] = target[key] + values if key in target else values
        if part.gpus is not None:
            gpus.append(part.gpus)
        if part.unserved_tokens is not None:
            unserved.append(part.unserved_tokens)
        if part.committed_gpus is not None:
            committed.append(part.committed_gpus)
        terms.update(part.terms)
        residual = residual + np.asarray(part.residual_usd)
    out.gpus = _sum(gpus)
    out.unserved_tokens = _sum(unserved)
    out.committed_gpus = _sum(committed)
    out.terms = tuple(sorted(terms))
    out.residual_usd = residual
    return out


def _sum(arrays: list[np.ndarray]) -> np.ndarray | None:
    return sum(arrays[1:], arrays[0]) if arrays else None


def select_draws(parts: CostParts, pick: np.ndarray) -> CostParts:
    """The draws of ``parts`` where ``pick`` (shape: batch) is True; zero elsewhere."""
    mask = pick[..., None].astype(float)

    def sel(group: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {k: v * mask for k, v in group.items()}

    return CostParts(
        upfront=sel(parts.upfront),
        recurring=sel(parts.recurring),
        end=sel(parts.end),
        gpus=None if parts.gpus is None else parts.gpus * mask,
        unserved_tokens=None if parts.unserved_tokens is None else parts.unserved_tokens * mask,
        residual_usd=np.asarray(parts.residual_usd) * pick,
        committed_gpus=None if parts.committed_gpus is None else parts.committed_gpus * mask,
        terms=parts.terms,
    )
